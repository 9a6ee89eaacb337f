"""A new article: the English page, with the full structure and placeholders the validator rejects
until a writer replaces every one of them, and its translations declared pending (readers get the
English page with a notice until each arrives); later, a translator's page in the same shape."""

from __future__ import annotations

import datetime as dt
import json
import re

import yaml

from careleaf.checks.safety import PLACEHOLDER
from careleaf.model import shared_blocks
from careleaf.model.content import (
    HOME_SLUG,
    PENDING,
    RED_FLAGS_ID,
    SLUG,
    TIER_KINDS,
    TRANSLATIONS_KEY,
    Library,
    Page,
)
from careleaf.model.locales import load_all
from careleaf.model.project import Project

SECTIONS = ("What is it?", "How do I care for myself at home?", "What happens next?")
# A line of an English page as a translator's page starts it: structure kept, words to translate.
_HEADING = re.compile(r"^(?P<hashes>#{1,6}[ \t]+)(?P<text>.*?)(?P<attrs>[ \t]*\{[^}]*\})?[ \t]*$")
_ITEM = re.compile(r"^(?P<marker>[ \t]*(?:[-*+]|\d+[.)])[ \t]+)(?P<text>.*\S)[ \t]*$")
_KEPT = re.compile(r"^[ \t]*(?:!!!|\?\?\?|<|$)")  # admonition markers, HTML lines, blank lines


class ScaffoldError(Exception):
    pass


def _todo(what: str) -> str:
    return f"{PLACEHOLDER}: {what}]"


def _to_translate(english: Page, heading: str) -> list[str]:
    """The English body as written, for a translator: its shared blocks included as they are (the
    translation includes its own language's block, so a change to it is seen), its headings, lists and
    boxes in place, every line of words a placeholder quoting the English."""
    lines = []
    for line in english.own_body.split("\n"):
        line = line.rstrip()
        if _KEPT.match(line) or shared_blocks.INCLUDE.match(line):
            lines.append(line)
        elif (title := _HEADING.match(line)) is not None:
            is_card = (title["attrs"] or "").strip() == f"{{#{RED_FLAGS_ID}}}"
            text = heading if is_card else _todo("translate: " + _quoted(title["text"]))
            lines.append(f"{title['hashes']}{text}{title['attrs'] or ''}")
        elif (item := _ITEM.match(line)) is not None:
            lines.append(item["marker"] + _todo("translate: " + _quoted(item["text"])))
        else:
            indent = line[: len(line) - len(line.lstrip())]
            lines.append(indent + _todo("translate: " + _quoted(line.strip())))
    return lines


def _quoted(text: str) -> str:
    """English words inside a placeholder, which ends at the first ']'."""
    return " ".join(text.split()).replace("]", ")")


def article_text(front: dict[str, object], heading: str, revision: dict | None, body: list[str] | None = None) -> str:
    """The page's Markdown: `body`, a translation's (the English body to translate); else the structure
    of a new article, every part a placeholder."""
    lines = [f"{key}: {_yaml(value)}" for key, value in front.items()]
    if revision is not None:
        lines += [
            "translation:",
            "  status: machine-draft",
            "  source_revision:",
            f"    red_flags: {revision['red_flags']}",
            f"    text: {revision['text']}",
        ]
    if body is None:
        body = [_todo("1 to 3 plain sentences: what this page helps with"), ""]
        for section in SECTIONS:
            body += [f"## {_todo(section)}", "", _todo("short sentences, 'you', the action first"), ""]
        body += [f"## {heading} {{#{RED_FLAGS_ID}}}", ""]
        for kind in TIER_KINDS:
            body += [f"!!! {kind}", "", f"    - {_todo(f'a sign that needs the {kind} tier')}", ""]
    text = "\n".join(body).strip("\n")
    return "---\n" + "\n".join(lines) + "\n---\n\n" + text + "\n"


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
    if lang is None:
        if category is None:
            raise ScaffoldError("a new article needs --category")
        if f"categories.{category}" not in source.strings:
            known = sorted(key.split(".", 1)[1] for key in source.strings if key.startswith("categories."))
            raise ScaffoldError(f"unknown category '{category}' (known: {', '.join(known)})")
        existing = [code for code in project.languages if library.get(slug, code) is not None]
        if existing:
            raise ScaffoldError(f"'{slug}' already exists in: {', '.join(existing)}")
        lang, revision, body = project.default_language, None, None
        due = today.replace(year=today.year + 1)
        front = {**title, "category": category, "related": [], "reviewed": today, "review_due": due}
        if project.translations:
            front[TRANSLATIONS_KEY] = PENDING
    else:
        english = _ready_to_translate(project, library, slug, lang, category)
        front = {key: _todo("translate: " + _quoted(english.meta.get(key) or "")) for key in ("title", "summary")}
        front.update({key: english.meta.get(key) for key in ("category", "related", "reviewed", "review_due")})
        revision = english.source_revision()
    path = project.docs_dir / lang / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    heading = catalogues[lang].strings.get("red_flags.section_heading", source.strings["red_flags.section_heading"])
    if revision is not None:
        body = _to_translate(english, heading)
    path.write_text(article_text(front, heading, revision, body), encoding="utf-8")
    return project.relative(path)


def _ready_to_translate(project: Project, library: Library, slug: str, lang: str, category: str | None) -> Page:
    """The English article a translation starts from, once nothing the validator finds stands in the way."""
    from careleaf.checks.validation import validate

    if lang == project.default_language:
        raise ScaffoldError(f"'{lang}' is the source language: start an English article with --category, not --lang")
    if category is not None:
        raise ScaffoldError("--category is the English article's: a translation keeps it (leave --category out)")
    if lang not in project.translations:
        raise ScaffoldError(f"'{lang}' is not one of the site's translations ({', '.join(project.translations)})")
    if slug == HOME_SLUG:
        raise ScaffoldError("the home page is not an article: translate docs/en/index.md by hand or through XLIFF")
    english = library.source(slug)
    if english is None:
        raise ScaffoldError(
            f"no English article '{slug}' to translate: start it with careleaf new {slug} --category ..."
        )
    if library.get(slug, lang) is not None:
        raise ScaffoldError(f"'{slug}' already exists in: {lang}")
    where = project.relative(english.path)
    # The English page as the validator judges it: a translation starts only from one without errors.
    errors = [
        problem
        for problem in validate(project, library, readability_checks=False).errors
        if problem.path == where or problem.article == slug and problem.language == project.default_language
    ]
    if errors:
        raise ScaffoldError(f"{where} is not ready to translate: {errors[0].human()} (careleaf validate lists all)")
    return english
