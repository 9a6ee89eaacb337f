"""Checks of clinical codes: well formed on English articles, absent from translations, claimed by one article."""

from __future__ import annotations

from careleaf.checks.problems import Gate, Problem
from careleaf.model import codes
from careleaf.model.content import Library, Page
from careleaf.model.project import Project


def check_codes(project: Project, page: Page, problem) -> list[Problem]:
    """An English article's diagnosis codes are well formed; translations inherit them and never repeat them."""
    key = codes.FRONT_MATTER_KEY
    # Codes say which diagnoses an article answers: the page still reads right without them, so a
    # problem fails the publishing build (--strict) but not a preview.
    if key in page.meta and page.is_home:
        return [
            problem(
                "codes-format",
                page.line_of(key),
                "the home page answers no diagnosis: codes belong on articles",
                Gate.FAILS_STRICT,
            )
        ]
    if page.lang != project.default_language:
        if key in page.meta:
            return [
                problem(
                    "codes-in-translation",
                    page.line_of(key),
                    f"clinical codes belong on the English page ({project.default_language}/{page.slug}.md): "
                    "translations inherit them, so remove 'codes' here",
                    Gate.FAILS_STRICT,
                )
            ]
        return []
    return [
        problem(code, line, message, Gate.ADVISORY if code == "codes-duplicate" else Gate.FAILS_STRICT)
        for code, line, message in page.clinical_codes().problems
    ]


def check_code_claims(project: Project, library: Library) -> list[Problem]:
    """No two articles claim the same code at the same specificity by accident: a request for it would get both.
    A claim both articles make on purpose (each naming the other in `shared_with`) lists both to the reader."""
    # Library.slugs are the default language's articles: each has its source.
    pages = {slug: source for slug in library.slugs if (source := library.source(slug)) is not None}
    entries = [entry for page in pages.values() if not page.read_errors for entry in page.clinical_codes().entries]
    problems = []

    def claim_problem(entry: codes.Entry, code: str, message: str) -> Problem:
        page = pages[entry.slug]
        return Problem(project.relative(page.path), entry.line, page.lang, page.slug, code, message, Gate.FAILS_STRICT)

    for entry, rivals in codes.ambiguities(entries):
        others = ", ".join(f"{project.relative(pages[rival.slug].path)}:{rival.line}" for rival in rivals)
        shared = entry.overlaps(rivals[0])
        which = f"{codes.NAMES[entry.system]} {entry.display_code}" + (
            f" with 7th character(s) {', '.join(sorted(shared))}" if shared else ""
        )
        problems.append(
            claim_problem(
                entry,
                "codes-ambiguous",
                f"ambiguous: {which} is also claimed by {others} at the same specificity, so a "
                "request for it would match more than one article: give each its own code or 7th "
                "characters, or, if both articles answer it, make it the same claim in each and "
                "name the other article in its 'shared_with'",
            )
        )
    for entry, other, exists in codes.unreturned_shares(entries, pages):
        claim = f"{codes.NAMES[entry.system]} {entry.label}"
        problems.append(
            claim_problem(
                entry,
                "codes-shared",
                (
                    f"'shared_with' names {other}, whose {project.relative(pages[other].path)} does not claim {claim}: claim "
                    f"it there too, naming {entry.slug} in its 'shared_with', or take {other} out of this one"
                )
                if exists
                else (
                    f"'shared_with' names {other}, which is not an article (no {project.default_language}/{other}.md)"
                ),
            )
        )
    return problems
