"""Checks that keep patients safe: every article, every language, every red-flag card.

The validator script and the MkDocs build both call `validate()`, so a problem that
stops `careleaf validate` also stops `mkdocs build`.
"""

from __future__ import annotations

import datetime as dt

from careleaf.checks import safety
from careleaf.checks.clinical_review import check_clinical_review
from careleaf.checks.codes import check_code_claims, check_codes
from careleaf.checks.front_matter import category_keys, check_front_matter
from careleaf.checks.languages import check_coverage, check_file_names, check_glossaries, check_locales
from careleaf.checks.paste import check_images, check_paste
from careleaf.checks.problems import INCLUDED_AT, Problem, Report, reporter
from careleaf.checks.readability import readability_problems, unscored
from careleaf.checks.red_flags import check_red_flags
from careleaf.checks.shared_blocks import check_shared_blocks
from careleaf.checks.unsafe_markup import PAGES_WORTH_A_PROCESS, markup_problems
from careleaf.model import markup
from careleaf.model.content import Library, Page
from careleaf.model.locales import load_all
from careleaf.model.project import Project


def validate(
    project: Project,
    library: Library | None = None,
    today: dt.date | None = None,
    markup_checks: bool = True,
    readability_checks: bool = True,
    processes: int = 1,
) -> Report:
    """Every check. The two that render every article can be left out for a caller that runs them
    itself: `mkdocs build` spreads `markup_problems` over its processes before building anything, and
    checks readability (which never blocks a build) alongside the language builds. With `processes`
    above 1 (a single-threaded caller only: it forks), they are spread over that many processes."""
    library = library or Library.load(project, remember=True)
    today = today or dt.date.today()
    # A process of its own pays only for a large library (and only when some text is new).
    processes = processes if len(library.pages) >= PAGES_WORTH_A_PROCESS else 1
    scoring = None
    if readability_checks and processes > 1 and unscored(project, library):
        from careleaf.util.processes import BackgroundCall

        scoring = BackgroundCall(readability_problems, project, library)
    catalogues = load_all(project)
    problems: list[Problem] = []
    problems += check_locales(project, catalogues)
    categories = category_keys(catalogues.get(project.default_language))
    problems += _page_problems(project, library, categories, today, list(library.pages.values()))
    problems += check_coverage(project, library)
    problems += check_code_claims(project, library)
    problems += check_file_names(project, library)
    problems += check_images(project)
    problems += check_glossaries(project, library)
    problems += check_shared_blocks(project, library, today)
    if markup_checks:
        problems += markup_problems(project, library, processes=max(1, processes - (scoring is not None)))
    if scoring is not None:
        problems += scoring.result()
    elif readability_checks:
        problems += readability_problems(project, library)
    for path in library.strays:
        problems.append(
            Problem(
                project.relative(path),
                1,
                None,
                path.stem,
                "page-outside-language",
                f"not inside a language folder ({', '.join(project.languages)}): it would not be published",
            )
        )
    # A problem in a shared block is found once per page that includes it: reported once.
    once = {
        (problem.path, problem.line, problem.code, problem.message.partition(INCLUDED_AT)[0]): problem
        for problem in reversed(problems)
    }
    problems = sorted(once.values(), key=lambda problem: (problem.path, problem.line, problem.code, problem.message))
    library.remember()
    return Report(problems=problems, library=library)


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


def _page_problems(
    project: Project, library: Library, categories: set[str] | None, today: dt.date, pages: list[Page]
) -> list[Problem]:
    """Each page's own checks: its file, front matter, red-flag section, and its safety findings."""
    render = markup.renderer(project)
    problems = [problem for page in pages for problem in _check_page(project, library, page, categories, render)]
    return problems + safety.all_problems(library, today, pages)


def _check_page(
    project: Project, library: Library, page: Page, categories: set[str] | None, render: markup.Renderer
) -> list[Problem]:
    problem = reporter(project, page)
    problems = [problem(code, line, message) for code, line, message in page.read_errors]
    if any(code in {"file-empty", "file-encoding", "front-matter-yaml"} for code, _, _ in page.read_errors):
        return problems
    # Include lines are numbered as the page's own file has them.
    problems += [
        Problem(project.relative(page.path), error.line, page.lang, page.slug, error.code, error.message)
        for error in page.include_errors
    ]
    problems += check_front_matter(project, library, page, categories, problem)
    if not page.is_home:
        problems += check_clinical_review(project, page, problem)
    problems += check_codes(project, page, problem)
    problems += check_paste(page, problem)
    if not page.is_home:
        problems += check_red_flags(page, problem, render)
    return problems
