"""A new article: the English page, with the full structure and placeholders the validator rejects
until a writer replaces every one of them, and its translations declared pending (readers get the
English page with a notice until each arrives); later, a translator's page in the same shape."""

from __future__ import annotations

import datetime as dt

from careleaf.checks.safety import PLACEHOLDER
from careleaf.model.content import PENDING, SLUG, TIER_KINDS, TRANSLATIONS_KEY, Library
from careleaf.model.locales import load_all
from careleaf.model.project import Project

SECTIONS = ("What is it?", "How do I care for myself at home?", "What happens next?")


class ScaffoldError(Exception):
    pass


def _todo(what: str) -> str:
    return f"{PLACEHOLDER}: {what}]"


def article_text(
    category: str,
    heading: str,
    dates: tuple[str, str],
    related: list[str],
    revision: dict | None,
    pending: bool,
    card: list[tuple[str, list[str]]] | None = None,
) -> str:
    """The page's Markdown; `card`, a translation's: the English tiers, a placeholder per English sign."""
    front = [
        f'title: "{_todo("title")}"',
        f'summary: "{_todo("one plain sentence for cards and search")}"',
        f"category: {category}",
        f"related: [{', '.join(related)}]",
        f"reviewed: {dates[0]}",
        f"review_due: {dates[1]}",
    ]
    if pending:
        front.append(f"{TRANSLATIONS_KEY}: {PENDING}")
    if revision is not None:
        front += [
            "translation:",
            "  status: machine-draft",
            "  source_revision:",
            f"    red_flags: {revision['red_flags']}",
            f"    text: {revision['text']}",
        ]
    body = [_todo("1 to 3 plain sentences: what this page helps with"), ""]
    for section in SECTIONS:
        body += [f"## {_todo(section)}", "", _todo("short sentences, 'you', the action first"), ""]
    body += [f"## {heading} {{#red-flags}}", ""]
    for kind, signs in card or [(kind, [f"a sign that needs the {kind} tier"]) for kind in TIER_KINDS]:
        body += [f"!!! {kind}", "", *(f"    - {_todo(sign)}" for sign in signs), ""]
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n".join(body)


def create(
    project: Project, slug: str, category: str | None, lang: str | None = None, today: dt.date | None = None
) -> str:
    """Write the English docs/en/<slug>.md (translations pending), or with `lang` that language's page
    for an existing English article; returns the path written."""
    today = today or dt.date.today()
    if not SLUG.match(slug):
        raise ScaffoldError(f"'{slug}' is not a slug: lowercase words joined by hyphens")
    catalogues = load_all(project)
    source = catalogues[project.default_language]
    library = Library.load(project)
    english = library.source(slug)
    if lang is None or lang == project.default_language:
        if category is None:
            raise ScaffoldError("a new article needs --category")
        if f"categories.{category}" not in source.strings:
            known = sorted(key.split(".", 1)[1] for key in source.strings if key.startswith("categories."))
            raise ScaffoldError(f"unknown category '{category}' (known: {', '.join(known)})")
        existing = [code for code in project.languages if library.get(slug, code) is not None]
        if existing:
            raise ScaffoldError(f"'{slug}' already exists in: {', '.join(existing)}")
        lang, revision, related, card = project.default_language, None, [], None
        dates = (today.isoformat(), today.replace(year=today.year + 1).isoformat())
    else:
        if lang not in project.translations:
            raise ScaffoldError(f"'{lang}' is not one of the site's translations ({', '.join(project.translations)})")
        if english is None:
            raise ScaffoldError(
                f"no English article '{slug}' to translate: start it with careleaf new {slug} --category ..."
            )
        if library.get(slug, lang) is not None:
            raise ScaffoldError(f"'{slug}' already exists in: {lang}")
        # What a translation keeps from its English article, as the validator wants it.
        category, revision, related = english.category, english.source_revision(), english.related
        dates = (str(english.meta.get("reviewed")), str(english.meta.get("review_due")))
        red_flags = english.red_flags()
        card = [
            (tier.kind, [f"translate: {' '.join(sign.split()).replace(']', ')')}" for sign in tier.items])
            for tier in (red_flags.tiers if red_flags else ())
        ]
    path = project.docs_dir / lang / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    heading = catalogues[lang].strings.get("red_flags.section_heading", source.strings["red_flags.section_heading"])
    pending = revision is None and bool(project.translations)
    path.write_text(article_text(category or "", heading, dates, related, revision, pending, card), encoding="utf-8")
    return project.relative(path)
