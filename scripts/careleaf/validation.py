"""Checks that keep patients safe: every article, every language, every red-flag card.

The validator script and the MkDocs build both call `validate()`, so a problem that
stops `careleaf validate` also stops `mkdocs build`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any, Iterable

from careleaf.content import (
    HOME_SLUG,
    RED_FLAGS_ID,
    REQUIRED_ONE_OF,
    SLUG,
    TIER_KINDS,
    TRANSLATION_STATUSES,
    Library,
    Page,
    tier_markers,
)
from careleaf import approval, codes, glossary, markup, readability, safety, shared_blocks
from careleaf.cache import ResultCache
from careleaf.locales import Catalogue, load_all, placeholders
from careleaf.project import Project
from careleaf.reading import InvalidDate, shown

ERROR = "error"
# How a problem in a shared block names the page that includes it (the first, when several do).
INCLUDED_AT = " (included at "
# A list marker at the start of a sign's text: a list nested in the sign.
_NESTED_MARKER = re.compile(r"^(?:[-*+]|\d+[.)])(?:[ \t]|$)")
WARNING = "warning"
# Below this many pages, forking a process costs more than the checks it would take over.
PAGES_WORTH_A_PROCESS = 100

ARTICLE_FIELDS = {"title": str, "summary": str, "category": str, "related": list, "reviewed": dt.date, "review_due": dt.date}
HOME_FIELDS = {"title": str}
# Front-matter keys that MkDocs or Material understand; anything else is likely a typo.
PASSTHROUGH_FIELDS = {"summary", "translation", "hide", "template", "search", "description", "icon", "status",
                      approval.KEY, codes.FRONT_MATTER_KEY}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    language: str | None
    article: str | None
    code: str
    message: str
    severity: str = ERROR
    # False where the build may still render the page (with a notice) but --strict must fail.
    blocks_build: bool = True

    @property
    def stops_build(self) -> bool:
        """An error that stops the build itself: the page must not be rendered at all."""
        return self.severity == ERROR and self.blocks_build

    def human(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["blocks_build"]
        return data


@dataclass
class Report:
    problems: list[Problem]
    library: Library

    @property
    def blocking(self) -> list[Problem]:
        """Errors that stop the build itself: a page must not be rendered at all."""
        return [problem for problem in self.problems if problem.stops_build]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == WARNING]

    def red_flag_summary(self) -> list[dict[str, Any]]:
        """For every article and language: the tiers found and how many signs a reader sees in each."""
        render = markup.renderer(self.library.project)
        rows = []
        for page in self.library.articles():
            red_flags = page.red_flags()
            rows.append(
                {
                    "article": page.slug,
                    "language": page.lang,
                    "path": self.library.project.relative(page.path),
                    "tiers": markup.visible_counts(red_flags, render) if red_flags else {},
                }
            )
        return rows


def validate(project: Project, library: Library | None = None, today: dt.date | None = None,
             markup_checks: bool = True, readability_checks: bool = True, processes: int = 1) -> Report:
    """Every check. The two that render every article can be left out for a caller that runs them
    itself: `mkdocs build` spreads `markup_problems` over its processes before building anything, and
    checks readability (which never blocks a build) alongside the language builds. With `processes`
    above 1 (a single-threaded caller only: it forks), they are spread over that many processes."""
    library = library or Library.load(project, remember=True)
    today = today or dt.date.today()
    # A process of its own pays only for a large library (and only when some text is new).
    processes = processes if len(library.pages) >= PAGES_WORTH_A_PROCESS else 1
    scoring = None
    if readability_checks and processes > 1 and _unscored(project, library):
        from careleaf.parallel import BackgroundCall

        scoring = BackgroundCall(readability_problems, project, library)
    catalogues = load_all(project)
    problems: list[Problem] = []
    problems += _check_locales(project, catalogues)
    categories = _category_keys(catalogues.get(project.default_language))
    problems += _page_problems(project, library, categories, today, list(library.pages.values()))
    problems += _check_coverage(project, library)
    problems += _check_code_claims(project, library)
    problems += _check_file_names(project, library)
    problems += _check_glossaries(project, library)
    problems += _check_shared_blocks(project, library, today)
    if markup_checks:
        problems += markup_problems(project, library, processes=max(1, processes - (scoring is not None)))
    if scoring is not None:
        problems += scoring.result()
    elif readability_checks:
        problems += readability_problems(project, library)
    for path in library.strays:
        problems.append(
            Problem(project.relative(path), 1, None, path.stem, "page-outside-language",
                    f"not inside a language folder ({', '.join(project.languages)}): it would not be published")
        )
    # A problem in a shared block is found once per page that includes it: reported once.
    once = {(problem.path, problem.line, problem.code, problem.message.partition(INCLUDED_AT)[0]): problem
            for problem in reversed(problems)}
    problems = sorted(once.values(), key=lambda problem: (problem.path, problem.line, problem.code, problem.message))
    library.remember()
    return Report(problems=problems, library=library)


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


def _page_problems(project: Project, library: Library, categories: set[str] | None, today: dt.date,
                   pages: list[Page]) -> list[Problem]:
    """Each page's own checks: its file, front matter, red-flag section, and its safety findings."""
    render = markup.renderer(project)
    problems = [problem for page in pages for problem in _check_page(project, library, page, categories, render)]
    return problems + [
        Problem(project.relative(where), number, f.page.lang, f.page.slug, f.code, f.message, f.severity, f.blocks_build)
        for f in safety.all_findings(library, today, pages)
        for where, number in [f.page.locate(f.line)]
    ]


def _reporter(project: Project, page: Page):
    """Makes the problems of one page: problem(code, line, message[, severity, blocks_build])."""
    path = project.relative(page.path)

    def problem(code: str, line: int, message: str, severity: str = ERROR, blocks_build: bool = True) -> Problem:
        # A line of an included shared block is reported where it was written, in the block's file, and
        # where it is included: the cause may be either (a card's marker deleted around an include).
        where, number = page.locate(line)
        if where == page.path:
            return Problem(path, number, page.lang, page.slug, code, message, severity, blocks_build)
        include = next((include.line for include in page.includes if include.name == where.stem), 1)
        return Problem(project.relative(where), number, page.lang, page.slug, code,
                       f"{message}{INCLUDED_AT}{path}:{include})", severity, blocks_build)

    return problem


def _check_page(project: Project, library: Library, page: Page, categories: set[str] | None,
                render: markup.Renderer) -> list[Problem]:
    problem = _reporter(project, page)
    problems = [problem(code, line, message) for code, line, message in page.read_errors]
    if any(code in {"file-empty", "file-encoding", "front-matter-yaml"} for code, _, _ in page.read_errors):
        return problems
    # Include lines are numbered as the page's own file has them.
    problems += [Problem(project.relative(page.path), error.line, page.lang, page.slug, error.code, error.message)
                 for error in page.include_errors]
    problems += _check_front_matter(project, library, page, categories, problem)
    if not page.is_home:
        problems += _check_clinical_review(project, page, problem)
    problems += _check_codes(project, page, problem)
    if not page.is_home:
        problems += _check_red_flags(page, problem, render)
    return problems


def _check_clinical_review(project: Project, page: Page, problem) -> list[Problem]:
    """English articles record who approved their clinical content, for the text as it reads now."""
    line = page.line_of(approval.KEY)
    required = project.clinical_review_required
    if page.lang != project.default_language:
        if approval.KEY in page.meta:
            return [problem("clinical-review", line, "clinical approval belongs on the English page (careleaf approve)")]
        return []
    if approval.KEY in page.meta and (wrong := approval.malformed(page.meta[approval.KEY])):
        return [problem("clinical-review", line, f"'{approval.KEY}' {wrong}")]
    state = approval.status(page)
    command = f"careleaf approve {page.slug} --by \"Name, credential\""
    if state == approval.STALE:
        block = page.meta[approval.KEY]
        return [problem("clinical-review-stale", line, f"approved by {block['approved_by']} on {block['date']} for an "
                        f"earlier text: a clinician reviews the changes, then {command}",
                        ERROR if required else WARNING, blocks_build=False)]
    if state == approval.PENDING and required:
        return [problem("clinical-review-pending", 1, "no clinician has approved this article "
                        f"(the careleaf plugin's clinical_review.required): {command}", ERROR, blocks_build=False)]
    return []


def _check_codes(project: Project, page: Page, problem) -> list[Problem]:
    """An English article's diagnosis codes are well formed; translations inherit them and never repeat them."""
    key = codes.FRONT_MATTER_KEY
    # Codes say which diagnoses an article answers: the page still reads right without them, so a
    # problem fails the publishing build (--strict) but not a preview.
    if key in page.meta and page.is_home:
        return [problem("codes-format", page.line_of(key), "the home page answers no diagnosis: codes belong on articles",
                        blocks_build=False)]
    if page.lang != project.default_language:
        if key in page.meta:
            return [problem("codes-in-translation", page.line_of(key),
                            f"clinical codes belong on the English page ({project.default_language}/{page.slug}.md): "
                            "translations inherit them, so remove 'codes' here", blocks_build=False)]
        return []
    return [problem(code, line, message, WARNING if code == "codes-duplicate" else ERROR, blocks_build=False)
            for code, line, message in page.clinical_codes().problems]


def _check_code_claims(project: Project, library: Library) -> list[Problem]:
    """No two articles claim the same code at the same specificity by accident: a request for it would get both.
    A claim both articles make on purpose (each naming the other in `shared_with`) lists both to the reader."""
    # Library.slugs are the default language's articles: each has its source.
    pages = {slug: source for slug in library.slugs if (source := library.source(slug)) is not None}
    entries = [entry for page in pages.values() if not page.read_errors for entry in page.clinical_codes().entries]
    problems = []

    def claim_problem(entry: codes.Entry, code: str, message: str) -> Problem:
        page = pages[entry.slug]
        return Problem(project.relative(page.path), entry.line, page.lang, page.slug, code, message, ERROR, blocks_build=False)

    for entry, rivals in codes.ambiguities(entries):
        others = ", ".join(f"{project.relative(pages[rival.slug].path)}:{rival.line}" for rival in rivals)
        shared = entry.overlaps(rivals[0])
        which = f"{codes.NAMES[entry.system]} {entry.display_code}" + (f" with 7th character(s) {', '.join(sorted(shared))}"
                                                                      if shared else "")
        problems.append(claim_problem(entry, "codes-ambiguous",
                                      f"ambiguous: {which} is also claimed by {others} at the same specificity, so a "
                                      "request for it would match more than one article: give each its own code or 7th "
                                      "characters, or, if both articles answer it, make it the same claim in each and "
                                      "name the other article in its 'shared_with'"))
    for entry, other, exists in codes.unreturned_shares(entries, pages):
        claim = f"{codes.NAMES[entry.system]} {entry.label}"
        problems.append(claim_problem(entry, "codes-shared", (
            f"'shared_with' names {other}, whose {project.relative(pages[other].path)} does not claim {claim}: claim "
            f"it there too, naming {entry.slug} in its 'shared_with', or take {other} out of this one") if exists else (
            f"'shared_with' names {other}, which is not an article (no {project.default_language}/{other}.md)")))
    return problems


# ---------------------------------------------------------------------------
# Shared blocks
# ---------------------------------------------------------------------------

BLOCK_FIELDS = {"title": str}


def _check_shared_blocks(project: Project, library: Library, today: dt.date) -> list[Problem]:
    """Each block's file and front matter, its English source, its translation's revision; an unused block.
    What a block says is judged where it is read: inside every page that includes it."""
    problems = []
    for (name, lang), block in sorted(library.blocks.items()):
        problem = _reporter(project, block)
        problems += [problem(code, line, message) for code, line, message in block.read_errors]
        if block.read_errors:
            continue
        if not block.body.strip():
            problems.append(problem("shared-block-empty", block.body_line, "the shared block has no text"))
        nested, _ = shared_blocks.includes(block.body, block.body_line)
        problems += [problem("shared-block-nested", include.line, "a shared block cannot include another shared block")
                     for include in nested]
        title = block.meta.get("title")
        if not isinstance(title, str) or not title.strip():
            problems.append(problem("front-matter-missing-field", block.line_of("title"),
                                    "a shared block needs 'title': what it holds, for editors and translators"))
        for key in block.meta:
            if key not in BLOCK_FIELDS and key != "translation":
                problems.append(problem("front-matter-unknown-field", block.line_of(key),
                                        f"unknown front-matter key {shown(key)} in a shared block", WARNING))
        source = library.source(block.slug)
        if lang == project.default_language:
            if "translation" in block.meta:
                problems.append(problem("translation-on-source", block.line_of("translation"),
                                        f"'{lang}' is the source language: it has no 'translation' block"))
            if not library.including(name):
                problems.append(problem("shared-block-unused", 1, f"no article includes {shared_blocks.target_of(name)}",
                                        WARNING))
            continue
        if source is None:
            problems.append(problem("translation-orphan", 1, f"no English shared block "
                                    f"{project.relative(project.docs_dir / project.default_language / shared_blocks.target_of(name))}"))
            continue
        problems += _check_translation_block(block, problem)
        problems += [problem(f.code, f.line, f.message, f.severity, f.blocks_build)
                     for f in safety.placeholder_findings(block) + safety.translation_findings(library, block)]
    return problems


def markup_problems(project: Project, library: Library, processes: int = 1) -> list[Problem]:
    """Unsafe markup in every page, judged on the HTML each renders to. Pages whose text was judged
    before are not rendered again (careleaf/cache.py); the others are spread over `processes`."""
    pages = [page for page in library.pages.values() if page.body]
    cache = ResultCache(project.root, "markup", markup.fingerprint(project))
    keys = [cache.key(page.body) for page in pages]
    unjudged = list({key: page.body for key, page in zip(keys, pages) if key not in cache}.items())
    if unjudged:
        for key, result in _judged_in_processes(project, unjudged, processes):
            cache[key] = result
    problems = []
    for page, key in zip(pages, keys):
        problems += _check_markup(page, [markup.Unsafe.from_list(item) for item in cache[key]], _reporter(project, page))
    cache.save(complete=True)
    return problems


def _judged_in_processes(project: Project, texts: list[tuple[str, str]], processes: int) -> list[tuple[str, list]]:
    render = markup.renderer(project)

    def judge(chunk: list[tuple[str, str]]) -> list[tuple[str, list]]:
        return [(key, [unsafe.as_list() for unsafe in markup.article_problems(text, render)]) for key, text in chunk]

    if processes <= 1 or len(texts) < PAGES_WORTH_A_PROCESS:
        return judge(texts)
    from careleaf.parallel import map_in_processes  # forks: only `mkdocs build` asks for processes

    return [item for chunk in map_in_processes(judge, texts, processes) for item in chunk]


def _check_markup(page: Page, unsafe_found: list[markup.Unsafe], problem) -> list[Problem]:
    """Only safe markup reaches a page: titles are plain text, the article's HTML is judged."""
    problems = []
    texts = [(key, page.meta.get(key), page.line_of(key)) for key in ("title", "summary")]
    texts.append(("translation.reviewer", page.translation.get("reviewer"), page.line_of("translation")))
    for key, value, line in texts:
        if isinstance(value, str):
            problems += [problem(unsafe.code, line, f"'{key}': {unsafe.message}") for unsafe in markup.plain_text_problems(value)]
    found: dict[str, int] = {}
    for unsafe in unsafe_found:
        problems.append(problem(unsafe.code, markup.locate(page.body, page.body_line, unsafe.needles, found), unsafe.message))
    return problems


def _check_front_matter(project, library, page, categories, problem) -> list[Problem]:
    problems = []
    fields = HOME_FIELDS if page.is_home else ARTICLE_FIELDS
    for key, kind in fields.items():
        value = page.meta.get(key)
        if value is None or value == "":
            problems.append(problem("front-matter-missing-field", page.line_of(key) if key in page.meta else 1,
                                    f"front matter needs '{key}'"))
        elif not _is_a(value, kind) and not isinstance(value, InvalidDate):
            problems.append(problem("front-matter-type", page.line_of(key), f"'{key}' must be {_KINDS[kind]}, not {shown(value)}"))
    # Wherever it stands: MkDocs cannot read a front matter holding an impossible date, and drops all of it.
    for path, value in _invalid_dates(page.meta):
        problems.append(problem("front-matter-type", page.line_of(*path),
                                f"{shown('.'.join(map(str, path)))} must be {_KINDS[dt.date]}, not {value.describe()}"))
    for key in page.meta:
        if not isinstance(key, str):
            problems.append(problem("front-matter-type", page.line_of(key),
                                    f"a front-matter key is a name such as 'title', not {shown(key)}"))
        elif key not in fields and key not in PASSTHROUGH_FIELDS:
            problems.append(problem("front-matter-unknown-field", page.line_of(key),
                                    f"unknown front-matter key {shown(key)}", WARNING))
    if not page.is_home:
        reviewed, due = page.meta.get("reviewed"), page.meta.get("review_due")
        if _is_a(reviewed, dt.date) and _is_a(due, dt.date) and due <= reviewed:
            problems.append(problem("front-matter-dates", page.line_of("review_due"),
                                    f"'review_due' ({due}) must come after 'reviewed' ({reviewed})"))
        category = page.category
        if categories is not None and category and isinstance(page.meta.get("category"), str) and category not in categories:
            problems.append(problem("category-unknown", page.line_of("category"),
                                    f"unknown category {shown(category)} (known in locales/{project.default_language}.yml: "
                                    f"{', '.join(sorted(categories))})"))
        related = page.meta.get("related")
        if isinstance(related, list):
            for slug in related:
                if not isinstance(slug, str):
                    problems.append(problem("front-matter-type", page.line_of("related"),
                                            f"'related' lists article slugs, not {shown(slug)}"))
                elif library.source(slug) is None or slug == HOME_SLUG:
                    problems.append(problem("related-unknown", page.line_of("related"),
                                            f"related article {shown(slug)} does not exist"))
                elif slug == page.slug:
                    problems.append(problem("related-self", page.line_of("related"), "an article cannot be related to itself"))
    if page.lang == project.default_language:
        if "translation" in page.meta:
            problems.append(problem("translation-on-source", page.line_of("translation"),
                                    f"'{page.lang}' is the source language: it has no 'translation' block"))
    else:
        problems += _check_translation_block(page, problem)
    return problems


def _check_translation_block(page: Page, problem) -> list[Problem]:
    block = page.meta.get("translation")
    line = page.line_of("translation")
    if not isinstance(block, dict):
        return [problem("translation-status", line,
                        "a translation needs a 'translation' block with status and source_revision")]
    problems = []
    status = block.get("status")
    if not isinstance(status, str) or status not in TRANSLATION_STATUSES:
        problems.append(problem("translation-status", page.line_of("translation", "status"),
                                f"translation.status must be one of {', '.join(TRANSLATION_STATUSES)}, not {shown(status)}"))
    if status == "reviewed":
        reviewer, date = block.get("reviewer"), block.get("date")
        if not reviewer:
            problems.append(problem("translation-status", line, "a reviewed translation names its reviewer"))
        elif not isinstance(reviewer, str):
            problems.append(problem("translation-status", page.line_of("translation", "reviewer"),
                                    f"translation.reviewer must be text, not {shown(reviewer)}"))
        if date is None:
            problems.append(problem("translation-status", line, "a reviewed translation gives the review date"))
        elif not _is_a(date, dt.date) and not isinstance(date, InvalidDate):
            problems.append(problem("translation-status", page.line_of("translation", "date"),
                                    f"translation.date must be {_KINDS[dt.date]}, not {shown(date)}"))
    revision = block.get("source_revision")
    if not (isinstance(revision, dict) and all(isinstance(revision.get(k), str) for k in ("red_flags", "text"))):
        problems.append(problem("translation-source-revision", page.line_of("translation", "source_revision"),
                                "translation.source_revision needs the English source's 'red_flags' and 'text' hashes"))
    return problems


def _check_red_flags(page: Page, problem, render: markup.Renderer) -> list[Problem]:
    problems = []
    for heading in page.headings():
        if heading.anchor == RED_FLAGS_ID and heading.level != 2:
            problems.append(problem("red-flags-heading-level", heading.line,
                                    f"the red-flag heading must be level 2 ('## ... {{#{RED_FLAGS_ID}}}'), not level {heading.level}"))
    sections = page.red_flag_sections()
    if not sections:
        holder = next((s for s in page.sections() if any(True for _ in tier_markers(s.body))), None)
        if holder is not None:
            problems.append(problem("red-flags-no-id", holder.line,
                                    f"heading '{holder.heading}' holds red-flag tiers but lacks {{#{RED_FLAGS_ID}}}"))
        else:
            problems.append(problem("red-flags-missing", 1,
                                    f"no red-flag section: add '## <heading> {{#{RED_FLAGS_ID}}}' with its tiers"))
        return problems
    for extra in sections[1:]:
        problems.append(problem("red-flags-duplicate", extra.line,
                                f"a second red-flag section (the first is at line {sections[0].line}): keep one card"))
    section = sections[0]
    if not section.heading:
        problems.append(problem("red-flags-heading-empty", section.line, "the red-flag heading has no text"))
    red_flags = page.red_flags()  # the first red-flag section, parsed once per page
    assert red_flags is not None  # sections is not empty here, so the page parsed its first
    for line in red_flags.stray_lines[:1]:
        problems.append(problem("red-flags-stray-content", line,
                                "the red-flag section may hold only tier cards (!!! emergency / urgent / contact)"))
    seen: dict[str, int] = {}
    for tier in red_flags.tiers:
        if tier.kind not in TIER_KINDS:
            problems.append(problem("tier-unknown", tier.line,
                                    f"unknown tier '{tier.kind}' (use {', '.join(TIER_KINDS)})"))
            continue
        if tier.kind in seen:
            problems.append(problem("tier-duplicate", tier.line,
                                    f"a second '{tier.kind}' card (the first is at line {seen[tier.kind]}): merge them"))
        seen.setdefault(tier.kind, tier.line)
        if tier.collapsible:
            problems.append(problem("tier-collapsible", tier.line,
                                    f"the '{tier.kind}' card must never be collapsible: use '!!! {tier.kind}', not '???'"))
        if tier.title is not None:
            problems.append(problem("tier-title", tier.line,
                                    f"the '{tier.kind}' card takes no title: its heading comes from locales/{page.lang}.yml"))
        if not tier.items:
            problems.append(problem("tier-empty", tier.line, f"the '{tier.kind}' card lists no signs"))
        for text, line in zip(tier.items, tier.item_lines):
            if not markup.is_visible(text, render):
                problems.append(problem("tier-sign-empty", line, f"a sign in the '{tier.kind}' card shows a reader "
                                        "nothing (empty, a comment or only markup): write the sign or remove the line"))
            elif _NESTED_MARKER.match(text):
                # "- - sign" is a list inside a sign: one sign to the validator, a nested bullet to the reader.
                problems.append(problem("tier-sign-nested", line, f"a sign in the '{tier.kind}' card starts with another "
                                        f"list marker ({text[:2].strip()!r}): write one '- ' before each sign"))
        for line in tier.stray_lines[:1]:
            problems.append(problem("tier-not-a-list", line, f"the '{tier.kind}' card must be a list of signs ('- ...')"))
    known = [tier.kind for tier in red_flags.tiers if tier.kind in TIER_KINDS]
    if not any(kind in known for kind in REQUIRED_ONE_OF):
        problems.append(problem("tier-required", section.line,
                                "the red-flag section needs an 'emergency' or an 'urgent' card"))
    if known != sorted(known, key=TIER_KINDS.index):
        problems.append(problem("tier-order", section.line,
                                f"cards should run from most to least urgent ({', '.join(TIER_KINDS)})", WARNING))
    inside = range(section.line, section.line + section.body.count("\n") + 2)
    # Every admonition marker of the page is a card of this section: nothing to look for elsewhere.
    markers = page.body.count("!!!") + page.body.count("???")
    if markers == section.body.count("!!!") + section.body.count("???"):
        return problems
    for line, kind in tier_markers(page.body, page.body_line):
        if line not in inside:
            problems.append(problem("tier-outside-red-flags", line,
                                    f"a '{kind}' card outside the red-flag section: move it under the {{#{RED_FLAGS_ID}}} heading"))
    return problems


# ---------------------------------------------------------------------------
# Languages and locales
# ---------------------------------------------------------------------------


def _check_coverage(project: Project, library: Library) -> list[Problem]:
    problems = []
    slugs = set(library.slugs) | {HOME_SLUG}
    for slug in sorted(slugs):
        source = library.source(slug)
        if source is None:
            problems.append(Problem(project.relative(project.docs_dir / project.default_language / f"{slug}.md"), 1,
                                    project.default_language, slug, "translation-missing",
                                    "the home page is missing in the source language"))
            continue
        for lang in project.translations:
            if library.get(slug, lang) is not None:
                continue
            path = project.relative(project.docs_dir / lang / f"{slug}.md")
            if lang in project.languages_in_progress:
                problems.append(Problem(path, 1, lang, slug, "translation-missing",
                                        f"no '{lang}' translation yet ('{lang}' is in progress): readers get the "
                                        "English page with a notice", WARNING))
            else:
                # The English fallback still carries the whole card, so the page may build; it may not publish.
                problems.append(Problem(path, 1, lang, slug, "translation-missing",
                                        f"no '{lang}' translation: every article needs its red-flag card in every "
                                        f"language (while '{lang}' is being translated, list it in "
                                        "the careleaf plugin's languages_in_progress in mkdocs.yml)", ERROR, blocks_build=False))
    for (slug, lang), page in sorted(library.pages.items()):
        if lang != project.default_language and slug not in slugs:
            problems.append(Problem(project.relative(page.path), 1, lang, slug, "translation-orphan",
                                    f"no English source '{project.default_language}/{slug}.md' for this translation"))
    return problems


def _check_file_names(project: Project, library: Library) -> list[Problem]:
    problems = []
    for path in library.misnamed:
        *folders, name = path.relative_to(project.docs_dir).parts
        first = 1 if folders and folders[0] in project.languages else 0
        bad = next((folder for folder in folders[first:] if not SLUG.match(folder)), name)
        problems.append(Problem(project.relative(path), 1, None, None, "file-name",
                                f"'{bad}' is not a valid name: use lowercase letters a-z, digits and hyphens "
                                f"(e.g. '{suggested_name(bad)}'); every file under docs/ becomes a web address"))
    return problems


def suggested_name(name: str) -> str:
    stem, dot, suffix = name.rpartition(".") if "." in name.strip(".") else (name, "", "")
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_stem).strip("-") or "article"
    return f"{slug}.{re.sub(r'[^a-z0-9]+', '', suffix.lower())}" if dot else slug


def _check_locales(project: Project, catalogues: dict[str, Catalogue]) -> list[Problem]:
    problems = []
    source = catalogues[project.default_language]
    source_path = project.relative(source.path)
    translations = [catalogue for catalogue in catalogues.values() if catalogue is not source]
    for catalogue in catalogues.values():
        path = project.relative(catalogue.path)
        problems += [Problem(path, line, catalogue.lang, None, code, message) for code, line, message in catalogue.read_errors]
        problems += [Problem(path, line, catalogue.lang, None, code, message)
                     for code, line, message in catalogue.entry_errors.values()]
        for key, text in catalogue.strings.items():
            problems += [Problem(path, catalogue.key_lines.get(key, 1), catalogue.lang, None, unsafe.code,
                                 f"{shown(key)}: {unsafe.message}") for unsafe in markup.plain_text_problems(text)]
    if source.read_errors:
        return problems
    # A key every translation has but English lost: templates would meet it missing.
    readable = [catalogue for catalogue in translations if not catalogue.read_errors]
    lost = set.intersection(*(set(catalogue.strings) for catalogue in readable)) if readable else set()
    lost -= source.strings.keys() | source.entry_errors.keys()
    for key in sorted(lost):
        problems.append(Problem(source_path, 1, source.lang, None, "locale-missing-key",
                                f"missing key {shown(key)}, which every translation has"))
    for catalogue in readable:
        path = project.relative(catalogue.path)
        for key, text in source.strings.items():
            if key in catalogue.entry_errors:
                continue
            if key not in catalogue.strings:
                problems.append(Problem(path, 1, catalogue.lang, None, "locale-missing-key",
                                        f"missing key {shown(key)} ({source_path}: {shown(text)})"))
            elif placeholders(catalogue.strings[key]) != placeholders(text):
                problems.append(Problem(path, catalogue.key_lines.get(key, 1), catalogue.lang, None, "locale-placeholder",
                                        f"{shown(key)} must use the placeholders {sorted(placeholders(text))}, "
                                        f"not {sorted(placeholders(catalogue.strings[key]))}"))
            elif not catalogue.strings[key].strip():
                problems.append(Problem(path, catalogue.key_lines.get(key, 1), catalogue.lang, None, "locale-empty",
                                        f"{shown(key)} is empty"))
        for key in sorted(catalogue.strings.keys() - source.strings.keys() - source.entry_errors.keys() - lost):
            problems.append(Problem(path, catalogue.key_lines.get(key, 1), catalogue.lang, None, "locale-unknown-key",
                                    f"key {shown(key)} is not in the English catalogue", WARNING))
    return problems


def _readability_cache(project: Project) -> ResultCache:
    return ResultCache(project.root, "readability", readability.fingerprint())


def _unscored(project: Project, library: Library) -> bool:
    """Whether any article's text was not scored before (only then is scoring worth a process)."""
    thresholds = project.readability or readability.DEFAULT_THRESHOLDS
    cache = _readability_cache(project)
    return any(readability.cache_key(cache, page, thresholds) not in cache
               for page in library.articles() if page.lang in thresholds and not page.read_errors)


def readability_problems(project: Project, library: Library) -> list[Problem]:
    """Articles harder to read than mkdocs.yml's targets (warnings and non-blocking errors)."""
    thresholds = project.readability or readability.DEFAULT_THRESHOLDS
    # Scores of texts scored before come from the cache: textstat is not even loaded for them.
    cache = _readability_cache(project)
    problems = []
    for page in library.articles():
        # A language with no formula is only reported on (--report), never a problem.
        if page.read_errors or page.lang not in thresholds:
            continue
        result = readability.score(page, thresholds, cache)
        if result.status == "error":
            problems.append(Problem(project.relative(page.path), 1, page.lang, page.slug, "readability",
                                    f"too hard to read: {result.note}", ERROR, blocks_build=False))
        elif result.status == "above-target":
            problems.append(Problem(project.relative(page.path), 1, page.lang, page.slug, "readability",
                                    f"harder to read than the target: {result.note}", WARNING, blocks_build=False))
    cache.save(complete=True)
    return problems


def _check_glossaries(project: Project, library: Library) -> list[Problem]:
    """Every glossary term is defined in every language, and appears in that language's articles."""
    problems = []
    source = glossary.load(project, project.default_language)
    for lang in project.languages:
        current = source if lang == project.default_language else glossary.load(project, lang)
        path = project.relative(current.path)
        if current.read_error:
            problems.append(Problem(path, current.read_error_line, lang, None, "glossary-missing", current.read_error))
            continue
        problems += [Problem(path, line, lang, None, code, message) for code, line, message in current.entry_errors.values()]
        text = " ".join(page.body for page in library.articles(lang))
        for key in source.terms:
            if key in current.entry_errors:
                continue
            entry = current.terms.get(key)
            if entry is None:
                problems.append(Problem(path, 1, lang, None, "glossary-missing-term",
                                        f"{shown(key)} needs a term and a definition in '{lang}'"))
                continue
            for field_name in ("term", "definition"):
                problems += [Problem(path, current.key_lines.get(key, 1), lang, None, unsafe.code,
                                     f"{shown(f'{key}.{field_name}')}: {unsafe.message}")
                             for unsafe in markup.plain_text_problems(entry[field_name])]
            unused = [form for form in [entry["term"], *entry["forms"]] if form not in text]
            if unused:
                problems.append(Problem(path, current.key_lines.get(key, 1), lang, None, "glossary-unused",
                                        f"{shown(key)}: {', '.join(unused)} does not occur in the '{lang}' articles", WARNING))
    return problems


def _category_keys(catalogue: Catalogue | None) -> set[str] | None:
    """The category keys the source catalogue names; None when it cannot be read (reported there)."""
    if catalogue is None or catalogue.read_errors:
        return None
    # A category whose name is unusable still exists: that name is reported in the catalogue.
    return {key.split(".", 1)[1] for key in [*catalogue.strings, *catalogue.entry_errors] if key.startswith("categories.")}


_KINDS = {str: "text", list: "a list", dt.date: "a date (YYYY-MM-DD)"}


def _is_a(value: Any, kind: type) -> bool:
    # A date with a time is not the day a review was done or is due.
    return isinstance(value, kind) and not (kind is dt.date and isinstance(value, dt.datetime))


def _invalid_dates(meta: dict) -> Iterable[tuple[tuple[Any, ...], InvalidDate]]:
    """Every impossible date in the front matter, with the path of keys (and list positions) to it."""
    pending: list[tuple[tuple[Any, ...], Any]] = [((), meta)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, InvalidDate):
            yield path, value
        elif isinstance(value, dict):
            pending.extend(((*path, key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            pending.extend(((*path, index), item) for index, item in reversed(list(enumerate(value))))


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
    yield (f"{len(report.errors)} error(s), {len(report.warnings)} warning(s) in {files} file(s); "
           f"{len(report.library.pages)} page(s) checked in {len(report.library.project.languages)} language(s)")


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
                row.update(status="missing", clinical=None, tiers={}, reading=None, review_due=None)
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
        table.append((row["article"], row["language"], row["status"], tiers(row["tiers"]),
                      str(row["reading"] if row["reading"] is not None else "-"), row["review_due"] or "-",
                      row["clinical"] or "-"))
    widths = [max(len(line[column]) for line in table) for column in range(len(table[0]))]
    for line in table:
        yield "  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip()
    yield ""
    yield ("red flags: E emergency, U urgent, C contact (signs per card); reading: Flesch-Kincaid grade (en, lower is easier), "
           "Fernández-Huerta (es, higher is easier), else mean sentence length (words; characters for zh) with no validated formula; "
           "clinical approval (English articles): approved for the text as it is, stale (approved an earlier text) or pending")
