"""A new article: the English page, with the full structure and placeholders the validator rejects
until a writer replaces every one of them, and its translations declared pending (readers get the
English page with a notice until each arrives); later, a translator's page in the same shape."""

from __future__ import annotations

import datetime as dt
import json
import re

import yaml

from careleaf.checks.safety import PLACEHOLDER
from careleaf.model.content import PENDING, SLUG, TIER_KINDS, TRANSLATIONS_KEY, Library, Page, split_sections
from careleaf.model.locales import load_all
from careleaf.model.project import Project

SECTIONS = ("What is it?", "How do I care for myself at home?", "What happens next?")
# A sign in a card: its bullet and indentation kept, its words to translate.
_SIGN = re.compile(r"^(?P<bullet>[ \t]*(?:[-*+]|\d+[.)])[ \t]+)(?P<text>.*\S)[ \t]*$")


class ScaffoldError(Exception):
    pass


def _todo(what: str) -> str:
    return f"{PLACEHOLDER}: {what}]"


def _english_card(english: Page) -> list[str]:
    """The English red-flag section as written, each sign a placeholder quoting it; its shared blocks
    stay included (the translation includes its own language's block, so a change to it is seen)."""
    section = next(section for section in split_sections(english.own_body, english.body_line) if section.is_red_flags)
    lines = []
    for line in section.body.split("\n"):
        sign = _SIGN.match(line)
        text = " ".join(sign["text"].split()).replace("]", ")") if sign else ""
        lines.append(f"{sign['bullet']}{_todo(f'translate: {text}')}" if sign else line.rstrip())
    return lines


def article_text(front: dict[str, object], heading: str, revision: dict | None, card: list[str] | None = None) -> str:
    """The page's Markdown; `card`, a translation's: the English card's lines, its signs to translate."""
    lines = [f"{key}: {_yaml(value)}" for key, value in front.items()]
    if revision is not None:
        lines += [
            "translation:",
            "  status: machine-draft",
            "  source_revision:",
            f"    red_flags: {revision['red_flags']}",
            f"    text: {revision['text']}",
        ]
    body = [_todo("1 to 3 plain sentences: what this page helps with"), ""]
    for section in SECTIONS:
        body += [f"## {_todo(section)}", "", _todo("short sentences, 'you', the action first"), ""]
    body += [f"## {heading} {{#red-flags}}"]
    if card is None:
        body.append("")
        for kind in TIER_KINDS:
            body += [f"!!! {kind}", "", f"    - {_todo(f'a sign that needs the {kind} tier')}", ""]
    else:
        body += [*card, ""] if card and card[-1] else card
    return "---\n" + "\n".join(lines) + "\n---\n\n" + "\n".join(body)


def _yaml(value: object) -> str:
    """A front-matter value as an editor would write it, read back as it is: a date bare; a word bare
    when YAML reads it back as that word; anything else as JSON, which YAML reads as written (a slug
    such as 'yes' stays a string)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and SLUG.match(value) and yaml.safe_load(value) == value:
        return value
    return json.dumps(value, ensure_ascii=False)


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
    title = {"title": _todo("title"), "summary": _todo("one plain sentence for cards and search")}
    if lang is None or lang == project.default_language:
        if category is None:
            raise ScaffoldError("a new article needs --category")
        if f"categories.{category}" not in source.strings:
            known = sorted(key.split(".", 1)[1] for key in source.strings if key.startswith("categories."))
            raise ScaffoldError(f"unknown category '{category}' (known: {', '.join(known)})")
        existing = [code for code in project.languages if library.get(slug, code) is not None]
        if existing:
            raise ScaffoldError(f"'{slug}' already exists in: {', '.join(existing)}")
        lang, revision, card = project.default_language, None, None
        front = {
            **title,
            "category": category,
            "related": [],
            "reviewed": today,
            "review_due": today.replace(year=today.year + 1),
        }
        if project.translations:
            front[TRANSLATIONS_KEY] = PENDING
    else:
        front, revision, card = _translation_start(project, library, slug, lang, category, title)
    path = project.docs_dir / lang / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    heading = catalogues[lang].strings.get("red_flags.section_heading", source.strings["red_flags.section_heading"])
    path.write_text(article_text(front, heading, revision, card), encoding="utf-8")
    return project.relative(path)


def _translation_start(project, library, slug, lang, category, title):
    if category is not None:
        raise ScaffoldError("--category is the English article's: a translation keeps it (leave --category out)")
    if lang not in project.translations:
        raise ScaffoldError(f"'{lang}' is not one of the site's translations ({', '.join(project.translations)})")
    english = library.source(slug)
    if english is None:
        raise ScaffoldError(
            f"no English article '{slug}' to translate: start it with careleaf new {slug} --category ..."
        )
    if library.get(slug, lang) is not None:
        raise ScaffoldError(f"'{slug}' already exists in: {lang}")
    where = project.relative(english.path)
    # What a translation keeps from its English article, as the validator wants it.
    kept = {key: english.meta.get(key) for key in ("category", "related", "reviewed", "review_due")}
    if (
        english.read_errors
        or english.red_flags() is None
        or not isinstance(kept["category"], str)
        or not isinstance(kept["related"], list)
        or not all(isinstance(kept[key], dt.date) for key in ("reviewed", "review_due"))
    ):
        raise ScaffoldError(f"{where} is not ready to translate: run careleaf validate and fix it first")
    return {**title, **kept}, english.source_revision(), _english_card(english)
