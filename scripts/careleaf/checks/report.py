"""The validator's report for people: problems grouped by file, and the content report of every article x language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from careleaf.checks import readability, safety
from careleaf.checks.problems import Report
from careleaf.model import approval, markup
from careleaf.model.content import TIER_KINDS


def format_human(report: Report) -> Iterable[str]:
    """One line per problem (path:line: message), grouped by file, then the counts."""
    current = None
    for problem in report.problems:
        if problem.path != current:
            if current is not None:
                yield ""
            current = problem.path
        yield problem.human()
    if report.problems:
        yield ""
    files = len({problem.path for problem in report.problems})
    yield (
        f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
        + (f", {len(report.notes)} note(s) (declared open items, never refused)" if report.notes else "")
        + f" in {files} file(s); "
        f"{len(report.library.pages)} page(s) checked in {len(report.library.project.languages)} language(s)"
    )


def content_report(report: Report) -> list[dict[str, Any]]:
    """Every article x language: translation status, red-flag tiers, reading score, review date."""
    library = report.library
    project = library.project
    thresholds = project.readability or readability.DEFAULT_THRESHOLDS
    rows = []
    for slug in library.slugs:
        for lang in project.languages:
            page = library.get(slug, lang)
            row: dict[str, Any] = {"article": slug, "language": lang}
            if page is None or page.read_errors:
                declared = page is None and library.declared_unfinished(slug, lang) is not None
                # Declared missing (readers get the English page with a notice), or missing.
                row.update(
                    status="pending" if declared else "missing", clinical=None, tiers={}, reading=None, review_due=None
                )
                rows.append(row)
                continue
            stale = safety.staleness(library, page)
            if any(stale.values()):
                status = "stale"
            elif lang != project.default_language and page.translation_status != "reviewed":
                status = "machine-draft"
            else:
                status = "ok"
            red_flags = page.red_flags()
            score = readability.score(page, thresholds)
            row.update(
                clinical=approval.status(page) if lang == project.default_language else None,
                status=status,
                tiers=markup.visible_counts(red_flags, markup.renderer(project)) if red_flags else {},
                reading=score.value if score.value is not None else f"{score.mean_sentence_length} per sentence",
                reading_formula=score.formula or "none (mean sentence length)",
                review_due=str(page.meta.get("review_due")),
            )
            rows.append(row)
    return rows


def format_report(rows: list[dict[str, Any]]) -> Iterable[str]:
    """The content report as an aligned text table."""

    def tiers(counts: dict[str, int]) -> str:
        return " ".join(f"{kind[0].upper()}{counts[kind]}" for kind in TIER_KINDS if kind in counts) or "-"

    table = [("article", "lang", "status", "red flags", "reading", "review due", "clinical approval")]
    for row in rows:
        table.append(
            (
                row["article"],
                row["language"],
                row["status"],
                tiers(row["tiers"]),
                str(row["reading"] if row["reading"] is not None else "-"),
                row["review_due"] or "-",
                row["clinical"] or "-",
            )
        )
    widths = [max(len(line[column]) for line in table) for column in range(len(table[0]))]
    for line in table:
        yield "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
    yield ""
    yield (
        "status: ok, stale (behind its English), machine-draft (no qualified translator checked it), pending (not "
        "translated yet, declared: readers get the English page) or missing; "
        "red flags: E emergency, U urgent, C contact (signs per card); reading: Flesch-Kincaid grade (en, lower is easier), "
        "Fernández-Huerta (es, higher is easier), else mean sentence length (words; characters for zh) with no validated formula; "
        "clinical approval (English articles): approved for the text as it is, stale (approved an earlier text) or pending (never approved)"
    )
