"""Clinical safety checks: stale translations, red-flag parity, review dates, unfinished text.

Staleness is computed, never remembered: a translation records the English revision it was
made from, and the English page's current revision is hashed again on every run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from careleaf.checks.problems import Gate, Problem, located
from careleaf.model import markup, shared_blocks
from careleaf.model.content import HOME_SLUG, PENDING, TIER_KINDS, TRANSLATIONS_KEY, Library, Page
from careleaf.model.project import Project
from careleaf.util.git import git

# Scaffolded articles carry this marker wherever a writer still has to write; it never publishes.
PLACEHOLDER = "[TO WRITE"
REVIEW_WARNING_DAYS = 60


def staleness(library: Library, page: Page) -> dict[str, bool]:
    """Which parts of the English source changed since this translation was made: the page's own, and
    those of every shared block it includes (a block inside the red-flag section counts as red flags)."""
    stale = _own_staleness(library, page)
    if page.lang == library.project.default_language:
        return stale
    in_card = page.included_in_red_flags() if page.includes else set()
    for include in page.includes:
        block = library.get(f"{shared_blocks.FOLDER}/{include.name}", page.lang)
        if block is not None and any(_own_staleness(library, block).values()):
            stale["red_flags" if include.name in in_card else "text"] = True
    return stale


def _own_staleness(library: Library, page: Page) -> dict[str, bool]:
    source = library.source(page.slug)
    if source is None or page.lang == library.project.default_language:
        return {"red_flags": False, "text": False}
    recorded = page.translation.get("source_revision")
    recorded = recorded if isinstance(recorded, dict) else {}
    current = source.source_revision()
    return {part: recorded.get(part) != current[part] for part in ("red_flags", "text")}


def in_any_red_flag_card(library: Library, name: str) -> bool:
    """True when some English page includes the block inside its red-flag section."""
    return any(
        name in page.included_in_red_flags() for page in library.including(name, library.project.default_language)
    )


def translation_problems(library: Library, page: Page) -> list[Problem]:
    source = library.source(page.slug)
    if source is None or page.lang == library.project.default_language or not page.translation:
        return []
    recorded = page.translation.get("source_revision")
    hashes = isinstance(recorded, dict) and all(isinstance(recorded.get(part), str) for part in ("red_flags", "text"))
    # An unreadable source, or a revision that is no pair of hashes, is reported by the validator itself.
    if source.read_errors or not hashes:
        return []
    # A page is judged on its own text here; a stale block it includes is reported once, on the block.
    stale = _own_staleness(library, page)
    if page.slug.startswith(f"{shared_blocks.FOLDER}/") and stale["text"]:
        stale["red_flags"] = in_any_red_flag_card(library, page.slug.partition("/")[2])
    source_path = library.project.relative(source.path)
    command = f"careleaf mark-current {page.lang} {page.slug}"
    line = page.line_of("translation")
    if stale["red_flags"]:
        return [
            located(
                library.project,
                page,
                line,
                "translation-stale-red-flags",
                f"the red flags in {source_path} changed since this translation was made: "
                f"update this page's red-flag cards, then run {command}",
                Gate.FAILS_STRICT,
            )
        ]
    if stale["text"]:
        # Readers see the English page's update date on the translation either way; it publishes
        # only when someone declared it may lag (the red flags above never may).
        declared = library.declared_unfinished(page.slug, page.lang)
        return [
            located(
                library.project,
                page,
                line,
                "translation-stale-text",
                f"{source_path} changed since this translation was made: update it, then run {command}"
                + (
                    f" (declared: {declared}; readers see that the English was updated)"
                    if declared
                    else f" (to publish it behind the English for now, put '{TRANSLATIONS_KEY}: {PENDING}' in "
                    f"{source_path}'s front matter)"
                ),
                Gate.DECLARED if declared else Gate.ADVISORY,
            )
        ]
    return []


def parity_problems(library: Library, page: Page) -> list[Problem]:
    """Every language has the English tiers, with as many signs in each."""
    source = library.source(page.slug)
    if source is None or page.is_home or page.lang == library.project.default_language:
        return []
    theirs, ours = source.red_flags(), page.red_flags()
    if theirs is None or ours is None:
        return []
    findings = []
    source_path = library.project.relative(source.path)
    # Only signs a reader can see count: an empty sign does not make up for a missing one.
    render = markup.renderer(library.project)
    counts, wanted_counts = markup.visible_counts(ours, render), markup.visible_counts(theirs, render)
    for kind in TIER_KINDS:
        expected, found = theirs.tier(kind), ours.tier(kind)
        if expected is None and found is None:
            continue
        count = counts.get(kind, 0)
        wanted = wanted_counts.get(kind, 0)
        if count != wanted:
            where = f"{source_path}:{expected.line}" if expected else source_path
            findings.append(
                located(
                    library.project,
                    page,
                    found.line if found else ours.line,
                    "red-flags-parity",
                    f"the '{kind}' card has {count} sign(s) here but {wanted} in {where}",
                )
            )
    # A sign copied out of a shared block would never be seen to go stale when the block changes.
    copied = sorted(source.included_in_red_flags() - page.included_in_red_flags())
    if copied:
        blocks = ", ".join(shared_blocks.target_of(name) for name in copied)
        findings.append(
            located(
                library.project,
                page,
                ours.line,
                "red-flags-shared-blocks",
                f"the red-flag card in {source_path} includes {blocks}; this one does not: include "
                f'the same block (--8<-- "{shared_blocks.target_of(copied[0])}") instead of its signs, '
                "so that a change to it reaches this card",
                Gate.FAILS_STRICT,
            )
        )
    return findings


def review_problems(project: Project, page: Page, today: dt.date) -> list[Problem]:
    due = page.meta.get("review_due")
    if page.is_home or not isinstance(due, dt.date) or isinstance(due, dt.datetime):
        return []
    line = page.line_of("review_due")
    if due < today:
        return [
            located(
                project,
                page,
                line,
                "review-overdue",
                f"clinical review was due on {due} ({(today - due).days} day(s) ago)",
                Gate.FAILS_STRICT,
            )
        ]
    if (due - today).days <= REVIEW_WARNING_DAYS:
        return [
            located(
                project,
                page,
                line,
                "review-due-soon",
                f"clinical review is due on {due}, in {(due - today).days} day(s)",
                Gate.ADVISORY,
            )
        ]
    return []


def placeholder_problems(project: Project, page: Page) -> list[Problem]:
    """Scaffolding text left in a page: it must be written before it can publish."""
    findings: list[Problem] = []
    if PLACEHOLDER not in page.body and PLACEHOLDER not in repr(page.meta):
        return findings
    lines = page.path.read_text(encoding="utf-8", errors="replace").split("\n") if page.path.exists() else []
    # Front matter from the file, the body as read (shared blocks included: their lines are located there).
    numbered = [
        *enumerate(lines[: page.body_line - 1], start=1),
        *enumerate(page.body.split("\n"), start=page.body_line),
    ]
    for number, line in numbered:
        if PLACEHOLDER in line:
            findings.append(located(project, page, number, "placeholder", f"unfinished text: {line.strip()[:80]}"))
    return findings


def english_updated(library: Library, page: Page) -> dt.date:
    """When the English version of a page last changed: its own file or any shared block it includes."""
    source = library.source(page.slug)
    assert source is not None
    blocks = [library.source(f"{shared_blocks.FOLDER}/{include.name}") for include in source.includes]
    paths = [source.path, *(block.path for block in blocks if block is not None)]
    return max(last_changed(path, library.project.root) for path in paths)


def last_changed(path: Path, root: Path) -> dt.date:
    """When a file last changed: its last commit, or (outside git) its modification time."""
    committed = (git(root, "log", "-1", "--format=%cs", "--", str(path)) or "").strip()
    if committed:
        return dt.date.fromisoformat(committed)
    return dt.date.fromtimestamp(path.stat().st_mtime)


def all_problems(library: Library, today: dt.date, pages: list[Page] | None = None) -> list[Problem]:
    """The safety problems of every page (or of `pages`)."""
    findings: list[Problem] = []
    for page in sorted(library.pages.values() if pages is None else pages, key=lambda page: (page.slug, page.lang)):
        slug = page.slug
        if page.read_errors:
            continue
        findings += placeholder_problems(library.project, page) + translation_problems(library, page)
        if slug != HOME_SLUG:
            findings += parity_problems(library, page) + review_problems(library.project, page, today)
    return findings
