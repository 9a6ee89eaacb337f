"""An article as the browser editor's form shows it, and back: the same Markdown either way.

The editor (Decap CMS, `careleaf editor`) never parses Markdown itself: the editor's server hands it
`to_form(file)` and writes `to_markdown(form, file)`. The red-flag card becomes three lists of signs,
each a sign written here or a shared block chosen by name; everything else stays the Markdown it was.
A card this form cannot write back exactly as it stands (a nested list, a sign on two lines, a note
inside a tier) is left in the page's Markdown, untouched, and the form says so.
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from careleaf.model.content import RED_FLAGS_ID, TIER_KINDS, YAML_RE, split_sections

# What the form edits in the front matter; every other key (codes, translation, ...) is kept as written.
FORM_KEYS = ("title", "summary", "category", "related", "reviewed", "review_due")
DATE_KEYS = ("reviewed", "review_due")
SIGN, SHARED = "sign", "shared"  # the two kinds of item in a tier (the form's list "types")
_INCLUDE = re.compile(r'^--8<-- "shared/(?P<name>[a-z0-9]+(?:-[a-z0-9]+)*)\.md"$')
_SIGN = re.compile(r"^- (?P<text>\S.*)$")


def _yaml() -> YAML:
    """YAML as Careleaf's files are written: comments, quotes and order kept; lists indented under their key."""
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = True
    return yaml


def to_form(text: str) -> dict[str, Any]:
    """The form's values for a page's Markdown (front matter keys, the text around the card, the card)."""
    match = YAML_RE.match(text)
    meta = _yaml().load(match.group(1)) if match else None
    meta = meta if isinstance(meta, dict) else {}
    body = text[match.end() :] if match else text
    form: dict[str, Any] = {key: _form_value(meta.get(key)) for key in FORM_KEYS if key in meta}
    card = _card(body)
    if card is None:
        form.update(body=body, red_flags=None)
        return form
    before, heading, tiers, after = card
    form.update(body=before, red_flags={"heading": heading, **tiers}, after=after)
    return form


def to_markdown(form: dict[str, Any], original: str | None = None, new_keys: dict[str, Any] | None = None) -> str:
    """The Markdown a form's values make, keeping whatever of `original` the form does not edit; a new
    page (no `original`) gets `new_keys` after the form's."""
    match = YAML_RE.match(original) if original else None
    meta = _yaml().load(match.group(1)) if match else None
    if not isinstance(meta, dict):
        meta = CommentedMap()
    for key in FORM_KEYS:
        value = form.get(key)
        if value in (None, "", []):
            meta.pop(key, None)
        elif _form_value(meta.get(key)) != value:
            meta[key] = _file_value(key, value)
    if original is None:
        meta.update(new_keys or {})
    front = io.StringIO()
    _yaml().dump(meta, front)
    body = form.get("body") or ""
    card = form.get("red_flags")
    if card:
        body = _with_card(body, str(card.get("heading") or ""), card, form.get("after") or "")
    return f"---\n{front.getvalue()}---\n{body}"


def with_keys(text: str, keys: dict[str, Any]) -> str:
    """A page with front matter `keys` set (a sign-off record), the rest of its text as it was."""
    match = YAML_RE.match(text)
    if not match or not keys:
        return text
    meta = _yaml().load(match.group(1))
    meta = meta if isinstance(meta, dict) else CommentedMap()
    meta.update(keys)
    front = io.StringIO()
    _yaml().dump(meta, front)
    return f"---\n{front.getvalue()}---\n{text[match.end() :]}"


def reads_back(form: dict[str, Any], markdown: str) -> bool:
    """The card in `markdown` is the form's, sign for sign: nothing the form shows outside the card
    (the text after it) has joined it on the page, and no sign has changed on the way."""
    card = form.get("red_flags")
    items = [item for kind in TIER_KINDS for item in (card or {}).get(kind) or []]
    if not card or any(not " ".join(str(item.get("text") or item.get("block") or "").split()) for item in items):
        return True  # no card, or an empty sign: the validator refuses it, in its own words
    written = to_form(markdown).get("red_flags") or {}

    def signs(tiers: dict[str, Any]) -> list[list[tuple[str, str]]]:
        return [
            [
                (str(item.get("type")), " ".join(str(item.get("text") or item.get("block") or "").split()))
                for item in tiers.get(kind) or []
            ]
            for kind in TIER_KINDS
        ]

    return signs(written) == signs(card)


def is_blank(form: dict[str, Any]) -> bool:
    """Nothing written in the form's own words: a translation nobody has started (the editor copies the
    English category, related articles and dates into every language's form)."""
    card = form.get("red_flags") or {}
    signs = [item for kind in TIER_KINDS for item in card.get(kind) or []]
    return not any(str(form.get(key) or "").strip() for key in ("title", "summary", "body", "after")) and not signs


def _form_value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return [str(item) for item in value]
    return value


def _file_value(key: str, value: Any) -> Any:
    if key in DATE_KEYS and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value  # the validator names a date it cannot read
    if isinstance(value, list):
        return [_plain_string(item) for item in value]
    return _plain_string(value)


def _plain_string(value: Any) -> Any:
    """A string as MkDocs (YAML 1.1) will read it back: quoted when it would read as something else
    (a title "No" is false to PyYAML, "12:30" a number; ruamel writes YAML 1.2, where they are text)."""
    if not isinstance(value, str):
        return value
    try:
        plain = pyyaml.safe_load(f"value: {value}")
    except pyyaml.YAMLError:
        plain = None
    if isinstance(plain, dict) and plain.get("value") == value:
        return value
    return DoubleQuotedScalarString(value)


def _card(body: str) -> tuple[str, str, dict[str, list[dict[str, str]]], str] | None:
    """(text before the card's heading, heading, tiers, text after the card), when the form can hold the
    card exactly: written back, the page must be the same text."""
    sections = [section for section in split_sections(body) if section.is_red_flags]
    if len(sections) != 1:
        return None
    section = sections[0]
    tiers = _tiers(section.body)
    if tiers is None:
        return None
    lines = body.split("\n")
    start = section.line - 1
    end = start + 1 + len(section.body.split("\n"))
    start_char = sum(len(line) + 1 for line in lines[:start])
    end_char = min(start_char + len("\n".join(lines[start:end])) + 1, len(body))
    before, after = body[:start_char], body[end_char:]
    if _with_card(before, section.heading, tiers, after) != body:
        return None
    return before, section.heading, tiers, after


def _tiers(section_body: str) -> dict[str, list[dict[str, str]]] | None:
    tiers: dict[str, list[dict[str, str]]] = {kind: [] for kind in TIER_KINDS}
    current: list[dict[str, str]] | None = None
    for line in section_body.split("\n"):
        if not line.strip():
            continue
        if line.startswith("!!! ") and line[4:].strip() in TIER_KINDS:
            current = tiers[line[4:].strip()]
            if current:
                return None  # a tier written twice
            continue
        if current is None or not line.startswith("    "):
            return None
        item = line[4:]
        if sign := _SIGN.match(item):
            current.append({"type": SIGN, "text": sign["text"]})
        elif include := _INCLUDE.match(item):
            current.append({"type": SHARED, "block": include["name"]})
        else:
            return None
    return tiers


def _card_markdown(heading: str, card: dict[str, Any]) -> str:
    """The card as Careleaf's articles write it: the heading, then each tier with signs an admonition."""
    lines = [f"## {heading} {{#{RED_FLAGS_ID}}}"]
    for kind in TIER_KINDS:
        items = card.get(kind) or []
        if not items:
            continue
        lines += ["", f"!!! {kind}", ""]
        for item in items:
            if item.get("type") == SHARED:
                lines.append(f'    --8<-- "shared/{item.get("block", "")}.md"')
            else:
                lines.append(f"    - {' '.join(str(item.get('text') or '').split())}")
    return "\n".join(lines) + "\n"


def _with_card(before: str, heading: str, card: dict[str, Any], after: str) -> str:
    """The page's text around its card: a blank line before the card's heading, and before what follows."""
    text = before.rstrip("\n") + "\n\n" if before.strip() else ""
    return text + _card_markdown(heading, card) + ("\n" + after.lstrip("\n") if after.strip() else "")
