"""A new article in every language, with the full structure and placeholders the validator
rejects until a writer replaces every one of them."""

from __future__ import annotations

import datetime as dt

from careleaf.checks.safety import PLACEHOLDER
from careleaf.model.content import SLUG, TIER_KINDS, Library, read_page
from careleaf.model.locales import load_all
from careleaf.model.project import Project

SECTIONS = ("What is it?", "How do I care for myself at home?", "What happens next?")


class ScaffoldError(Exception):
    pass


def _todo(what: str) -> str:
    return f"{PLACEHOLDER}: {what}]"


def article_text(category: str, heading: str, today: dt.date, revision: dict | None) -> str:
    front = [
        f'title: "{_todo("title")}"',
        f'summary: "{_todo("one plain sentence for cards and search")}"',
        f"category: {category}",
        "related: []",
        f"reviewed: {today.isoformat()}",
        f"review_due: {today.replace(year=today.year + 1).isoformat()}",
    ]
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
    for kind in TIER_KINDS:
        body += [f"!!! {kind}", "", f"    - {_todo(f'a sign that needs the {kind} tier')}", ""]
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n".join(body)


def create(project: Project, slug: str, category: str, today: dt.date | None = None) -> list[str]:
    """Write docs/<lang>/<slug>.md for every language; returns the paths written."""
    today = today or dt.date.today()
    if not SLUG.match(slug):
        raise ScaffoldError(f"'{slug}' is not a slug: lowercase words joined by hyphens")
    catalogues = load_all(project)
    source = catalogues[project.default_language]
    if f"categories.{category}" not in source.strings:
        known = sorted(key.split(".", 1)[1] for key in source.strings if key.startswith("categories."))
        raise ScaffoldError(f"unknown category '{category}' (known: {', '.join(known)})")
    library = Library.load(project)
    existing = [lang for lang in project.languages if library.get(slug, lang) is not None]
    if existing:
        raise ScaffoldError(f"'{slug}' already exists in: {', '.join(existing)}")
    written = []
    revision = None
    for lang in (project.default_language, *project.translations):
        path = project.docs_dir / lang / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        heading = catalogues[lang].strings.get("red_flags.section_heading", source.strings["red_flags.section_heading"])
        path.write_text(article_text(category, heading, today, revision), encoding="utf-8")
        if lang == project.default_language:
            revision = read_page(path, lang).source_revision()
        written.append(project.relative(path))
    return written
