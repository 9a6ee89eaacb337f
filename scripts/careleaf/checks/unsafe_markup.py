"""Checks that only safe markup reaches a reader: every page's rendered HTML and its plain-text fields."""

from __future__ import annotations

from careleaf.checks.problems import Problem, reporter
from careleaf.model import markup
from careleaf.model.content import Library, Page
from careleaf.model.project import Project
from careleaf.util.cache import ResultCache

# Below this many pages, forking a process costs more than the checks it would take over.
PAGES_WORTH_A_PROCESS = 100


def markup_problems(project: Project, library: Library, processes: int = 1) -> list[Problem]:
    """Unsafe markup in every page, judged on the HTML each renders to. Pages whose text was judged
    before are not rendered again (careleaf/util/cache.py); the others are spread over `processes`."""
    pages = [page for page in library.pages.values() if page.body]
    cache = ResultCache(project.root, "markup", markup.fingerprint(project))
    keys = [cache.key(page.body) for page in pages]
    unjudged = list({key: page.body for key, page in zip(keys, pages, strict=True) if key not in cache}.items())
    if unjudged:
        for key, result in _judged_in_processes(project, unjudged, processes):
            cache[key] = result
    problems = []
    for page, key in zip(pages, keys, strict=True):
        problems += _check_markup(page, [markup.Unsafe.from_list(item) for item in cache[key]], reporter(project, page))
    cache.save(complete=True)
    return problems


def _judged_in_processes(project: Project, texts: list[tuple[str, str]], processes: int) -> list[tuple[str, list]]:
    render = markup.renderer(project)

    def judge(chunk: list[tuple[str, str]]) -> list[tuple[str, list]]:
        return [(key, [unsafe.as_list() for unsafe in markup.article_problems(text, render)]) for key, text in chunk]

    if processes <= 1 or len(texts) < PAGES_WORTH_A_PROCESS:
        return judge(texts)
    from careleaf.util.processes import map_in_processes  # forks: only `mkdocs build` asks for processes

    return [item for chunk in map_in_processes(judge, texts, processes) for item in chunk]


def _check_markup(page: Page, unsafe_found: list[markup.Unsafe], problem) -> list[Problem]:
    """Only safe markup reaches a page: titles are plain text, the article's HTML is judged."""
    problems = []
    texts = [(key, page.meta.get(key), page.line_of(key)) for key in ("title", "summary")]
    texts.append(("translation.reviewer", page.translation.get("reviewer"), page.line_of("translation")))
    for key, value, line in texts:
        if isinstance(value, str):
            problems += [
                problem(unsafe.code, line, f"'{key}': {unsafe.message}") for unsafe in markup.plain_text_problems(value)
            ]
    found: dict[str, int] = {}
    for unsafe in unsafe_found:
        problems.append(
            problem(unsafe.code, markup.locate(page.body, page.body_line, unsafe.needles, found), unsafe.message)
        )
    return problems
