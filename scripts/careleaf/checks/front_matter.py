"""Checks of a page's front matter: its fields and their types, dates, category, related articles, translation block."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from careleaf.checks import safety
from careleaf.checks.problems import Gate, Problem
from careleaf.model import approval, codes
from careleaf.model.content import HOME_SLUG, PENDING, TRANSLATION_STATUSES, TRANSLATIONS_KEY, Page
from careleaf.model.locales import Catalogue
from careleaf.model.reading import InvalidDate, shown

ARTICLE_FIELDS = {
    "title": str,
    "summary": str,
    "category": str,
    "related": list,
    "reviewed": dt.date,
    "review_due": dt.date,
}
HOME_FIELDS = {"title": str}
# Front-matter keys that MkDocs or Material understand; anything else is likely a typo.
PASSTHROUGH_FIELDS = {
    "summary",
    "translation",
    "hide",
    "template",
    "search",
    "description",
    "icon",
    "status",
    approval.KEY,
    codes.FRONT_MATTER_KEY,
    TRANSLATIONS_KEY,
}


def check_front_matter(project, library, page, categories, problem) -> list[Problem]:
    problems = []
    fields = HOME_FIELDS if page.is_home else ARTICLE_FIELDS
    for key, kind in fields.items():
        value = page.meta.get(key)
        if value is None or value == "":
            problems.append(
                problem(
                    "front-matter-missing-field",
                    page.line_of(key) if key in page.meta else 1,
                    f"front matter needs '{key}'",
                )
            )
        elif not _is_a(value, kind) and not isinstance(value, InvalidDate):
            problems.append(
                problem("front-matter-type", page.line_of(key), f"'{key}' must be {_KINDS[kind]}, not {shown(value)}")
            )
    # Wherever it stands: MkDocs cannot read a front matter holding an impossible date, and drops all of it.
    for path, value in _invalid_dates(page.meta):
        problems.append(
            problem(
                "front-matter-type",
                page.line_of(*path),
                f"{shown('.'.join(map(str, path)))} must be {_KINDS[dt.date]}, not {value.describe()}",
            )
        )
    for key in page.meta:
        if not isinstance(key, str):
            problems.append(
                problem(
                    "front-matter-type",
                    page.line_of(key),
                    f"a front-matter key is a name such as 'title', not {shown(key)}",
                )
            )
        elif key not in fields and key not in PASSTHROUGH_FIELDS:
            problems.append(
                problem(
                    "front-matter-unknown-field",
                    page.line_of(key),
                    f"unknown front-matter key {shown(key)}",
                    Gate.ADVISORY,
                )
            )
    if not page.is_home:
        reviewed, due = page.meta.get("reviewed"), page.meta.get("review_due")
        if _is_a(reviewed, dt.date) and _is_a(due, dt.date) and due <= reviewed:
            problems.append(
                problem(
                    "front-matter-dates",
                    page.line_of("review_due"),
                    f"'review_due' ({due}) must come after 'reviewed' ({reviewed})",
                )
            )
        category = page.category
        if (
            categories is not None
            and category
            and isinstance(page.meta.get("category"), str)
            and category not in categories
        ):
            problems.append(
                problem(
                    "category-unknown",
                    page.line_of("category"),
                    f"unknown category {shown(category)} (known in locales/{project.default_language}.yml: "
                    f"{', '.join(sorted(categories))})",
                )
            )
        related = page.meta.get("related")
        if isinstance(related, list):
            for slug in related:
                if not isinstance(slug, str):
                    problems.append(
                        problem(
                            "front-matter-type",
                            page.line_of("related"),
                            f"'related' lists article slugs, not {shown(slug)}",
                        )
                    )
                elif library.source(slug) is None or slug == HOME_SLUG:
                    problems.append(
                        problem(
                            "related-unknown", page.line_of("related"), f"related article {shown(slug)} does not exist"
                        )
                    )
                elif slug == page.slug:
                    problems.append(
                        problem("related-self", page.line_of("related"), "an article cannot be related to itself")
                    )
    if TRANSLATIONS_KEY in page.meta:
        problems += check_pending(project, library, page, problem)
    if page.lang == project.default_language:
        if "translation" in page.meta:
            problems.append(
                problem(
                    "translation-on-source",
                    page.line_of("translation"),
                    f"'{page.lang}' is the source language: it has no 'translation' block",
                )
            )
    else:
        problems += check_translation_block(page, problem)
        problems += _check_same_as_source(library, categories, page, problem)
    return problems


def check_pending(project, library, page: Page, problem) -> list[Problem]:
    line = page.line_of(TRANSLATIONS_KEY)
    if page.lang != project.default_language:
        return [
            problem(
                "translations-pending",
                line,
                f"only the English page declares '{TRANSLATIONS_KEY}: {PENDING}'; a translation has a 'translation' block",
            )
        ]
    if page.is_home:
        return [
            problem(
                "translations-pending",
                line,
                f"the home page is not declared '{TRANSLATIONS_KEY}: {PENDING}': a language whose home page "
                "is not ready yet is in progress (the careleaf plugin's languages_in_progress)",
            )
        ]
    if page.meta[TRANSLATIONS_KEY] != PENDING:
        return [
            problem(
                "translations-pending",
                line,
                f"'{TRANSLATIONS_KEY}' can only be '{PENDING}' (its translations may be missing or behind "
                f"for now), not {shown(page.meta[TRANSLATIONS_KEY])}",
            )
        ]
    # A language in progress is declared already: the key covers only the others.
    behind = [
        lang
        for lang in project.translations
        if lang not in project.languages_in_progress
        and (
            (translation := library.get(page.slug, lang)) is None
            or any(safety.staleness(library, translation).values())
        )
    ]
    if behind:
        return []
    return [
        problem(
            "translations-pending",
            line,
            f"every translation is here and current (or in a language in progress): remove "
            f"'{TRANSLATIONS_KEY}: {PENDING}' (left in, it "
            "would let the next English change publish ahead of its translations)",
            Gate.ADVISORY,
        )
    ]


# What a translation carries over from the English article unchanged: its place in the library and
# its review dates (a translation is reviewed with its source, not on a calendar of its own).
SAME_AS_SOURCE = ("category", "related", "reviewed", "review_due")


def _check_same_as_source(library, categories: set[str] | None, page: Page, problem) -> list[Problem]:
    source = library.source(page.slug)
    if source is None or page.is_home:
        return []

    def well_formed(key: str, value: Any) -> bool:
        """A value its own page's checks accept: anything else is reported there, not here as well."""
        kind = ARTICLE_FIELDS[key]
        if not _is_a(value, kind):
            return False
        if key == "category":
            return categories is None or value in categories
        if key == "related":
            return all(isinstance(slug, str) and library.source(slug) is not None for slug in value)
        return True

    return [
        problem(
            "translation-changes-source-field",
            page.line_of(key),
            f"'{key}' is {shown(page.meta.get(key))} here but {shown(source.meta.get(key))} in the English "
            f"article ({library.project.relative(source.path)}): a translation keeps the English article's {key}",
            Gate.FAILS_STRICT,
        )
        for key in SAME_AS_SOURCE
        # A value of the wrong kind is reported as such, in the page it is in.
        if well_formed(key, page.meta.get(key))
        and well_formed(key, source.meta.get(key))
        and page.meta.get(key) != source.meta.get(key)
    ]


def check_translation_block(page: Page, problem) -> list[Problem]:
    block = page.meta.get("translation")
    line = page.line_of("translation")
    if not isinstance(block, dict):
        return [
            problem(
                "translation-status", line, "a translation needs a 'translation' block with status and source_revision"
            )
        ]
    problems = []
    status = block.get("status")
    if not isinstance(status, str) or status not in TRANSLATION_STATUSES:
        problems.append(
            problem(
                "translation-status",
                page.line_of("translation", "status"),
                f"translation.status must be one of {', '.join(TRANSLATION_STATUSES)}, not {shown(status)}",
            )
        )
    if status == "reviewed":
        reviewer, date = block.get("reviewer"), block.get("date")
        if not reviewer:
            problems.append(problem("translation-status", line, "a reviewed translation names its reviewer"))
        elif not isinstance(reviewer, str):
            problems.append(
                problem(
                    "translation-status",
                    page.line_of("translation", "reviewer"),
                    f"translation.reviewer must be text, not {shown(reviewer)}",
                )
            )
        if date is None:
            problems.append(problem("translation-status", line, "a reviewed translation gives the review date"))
        elif not _is_a(date, dt.date) and not isinstance(date, InvalidDate):
            problems.append(
                problem(
                    "translation-status",
                    page.line_of("translation", "date"),
                    f"translation.date must be {_KINDS[dt.date]}, not {shown(date)}",
                )
            )
    revision = block.get("source_revision")
    if not (isinstance(revision, dict) and all(isinstance(revision.get(k), str) for k in ("red_flags", "text"))):
        problems.append(
            problem(
                "translation-source-revision",
                page.line_of("translation", "source_revision"),
                "translation.source_revision needs the English source's 'red_flags' and 'text' hashes",
            )
        )
    return problems


def category_keys(catalogue: Catalogue | None) -> set[str] | None:
    """The category keys the source catalogue names; None when it cannot be read (reported there)."""
    if catalogue is None or catalogue.read_errors:
        return None
    # A category whose name is unusable still exists: that name is reported in the catalogue.
    return {
        key.split(".", 1)[1] for key in [*catalogue.strings, *catalogue.entry_errors] if key.startswith("categories.")
    }


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
