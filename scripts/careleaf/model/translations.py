"""A translator's explicit act: mark a translation current with the English revision it now matches."""

from __future__ import annotations

import datetime as dt
import re

import yaml
from mkdocs.utils.meta import YAML_RE

from careleaf.model.content import Library, Page


class MarkError(Exception):
    """The translation cannot be marked (missing page, unreadable front matter)."""


def mark_current(
    library: Library, lang: str, slug: str, reviewer: str | None = None, date: dt.date | None = None
) -> dict:
    """Record the English page's current revision in the translation; with a reviewer, mark it reviewed.

    Never called by the build or the validator: only by `careleaf mark-current`, on purpose.
    """
    # `slug` may name a shared block (shared/<name>): translated once, marked once, for every page that includes it.
    page, source = library.get(slug, lang), library.source(slug)
    if lang == library.project.default_language:
        raise MarkError(f"'{lang}' is the source language: there is nothing to mark")
    if page is None or source is None:
        raise MarkError(f"no translation {lang}/{slug}.md of an English {slug}.md")
    if page.read_errors:
        raise MarkError(f"{library.project.relative(page.path)} cannot be read: {page.read_errors[0][2]}")
    translation = dict(page.translation)
    translation["source_revision"] = source.source_revision()
    if reviewer:
        translation.update(status="reviewed", reviewer=reviewer, date=date or dt.date.today())
    else:
        translation.setdefault("status", "machine-draft")
    write_front_matter_block(page, "translation", translation)
    return translation


def write_front_matter_block(page: Page, key: str, value: dict) -> None:
    """Write `key: value` into the page's front matter, replacing the key's block if it has one."""
    text = page.path.read_text(encoding="utf-8")
    match = YAML_RE.match(text)
    if not match:
        raise MarkError(f"{page.path}: no front matter")
    lines = match.group(1).split("\n")
    block = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False).rstrip("\n").split("\n")
    start = next((i for i, line in enumerate(lines) if re.match(rf"^{re.escape(key)}\s*:", line)), None)
    if start is None:
        lines[-1:-1] = block
    else:
        end = start + 1
        while (
            end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()) and end < len(lines) - 1
        ):
            end += 1
        lines[start:end] = block
    front = "\n".join(lines)
    page.path.write_text(f"---\n{front}---\n{text[match.end() :]}", encoding="utf-8")
