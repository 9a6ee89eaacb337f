"""The glossary: medical words defined in plain language, one file per language.

The build appends each glossary form as a Markdown abbreviation (`*[word]: definition`) to every
article, and Material shows the definition on hover, on tap and on keyboard focus (the first use
of each word is focusable). On paper no definition can open, so a printed article lists the words
it marked with their definitions (`Glossary.marked_entries`, the "Words to know" box).
Python-Markdown's abbreviations only match between word boundaries, which Chinese does not have,
so `GlossaryExtension` swaps in a matcher that needs boundaries only around words written in
alphabetic scripts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor
from markdown.util import AtomicString

from careleaf.model import reading
from careleaf.model.project import Project

_UNBROKEN_SCRIPTS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass
class Glossary:
    lang: str
    path: Path
    # Well-formed entries only: key -> {"term": text, "forms": [text, ...], "definition": text}.
    terms: dict[str, dict] = field(default_factory=dict)
    read_error: str | None = None
    read_error_line: int = 1
    # Entries that cannot be used, left out of `terms`: key -> (code, line, message).
    entry_errors: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)

    def abbreviations(self) -> dict[str, str]:
        """Every form of every term, mapped to its definition."""
        return {form: entry["definition"] for entry in self.terms.values() for form in [entry["term"], *entry["forms"]]}

    def markdown(self, page_text: str | None = None) -> str:
        """The abbreviation definitions to append to a page's Markdown: those whose form occurs in
        `page_text` (a form that is not in the text cannot be marked, and each one costs a scan)."""
        return "\n".join(
            f"*[{form}]: {definition}"
            for form, definition in sorted(self.abbreviations().items())
            if page_text is None or form in page_text
        )

    def marked_entries(self, html: str) -> list[dict[str, str]]:
        """The entries a page's rendered HTML marks as abbreviations, each once, for the printed
        "Words to know" box: read from the marks themselves, so it is exactly what was matched."""
        from selectolax.lexbor import LexborHTMLParser

        # The same form -> definition table as abbreviations(): a later entry's form wins there too.
        keys = {form: key for key, entry in self.terms.items() for form in [entry["term"], *entry["forms"]]}
        found: dict[str, dict[str, str]] = {}
        # In the order the reader first meets each word: alphabetical order means nothing in Chinese.
        for mark in LexborHTMLParser(html).css("abbr"):
            key = keys.get(mark.text(deep=True))
            # An editor's own <abbr> (a term the glossary does not define) has another title.
            if key is not None and key not in found and mark.attributes.get("title") == self.terms[key]["definition"]:
                found[key] = {"term": self.terms[key]["term"], "definition": self.terms[key]["definition"]}
        return list(found.values())


def glossary_path(project: Project, lang: str) -> Path:
    return project.locales_dir / "glossary" / f"{lang}.yml"


def load(project: Project, lang: str) -> Glossary:
    path = glossary_path(project, lang)
    glossary = Glossary(lang=lang, path=path)
    if not path.is_file():
        glossary.read_error = f"no glossary for '{lang}'"
        return glossary
    try:
        document = reading.load_yaml(reading.read_text(path))
    except (reading.ReadError, reading.YamlError) as error:
        message = error.message if isinstance(error, reading.ReadError) else f"not valid YAML: {error.problem}"
        glossary.read_error, glossary.read_error_line = f"the glossary cannot be read: {message}", error.line
        return glossary
    if not isinstance(document.data, dict):
        glossary.read_error = "a glossary maps each key to its term, forms and definition"
        return glossary
    for key, entry in document.data.items():
        line = document.key_lines.get((key,), 1)
        glossary.key_lines[str(key)] = line
        problem = _entry_problem(key, entry, lang, document)
        if problem is not None:
            glossary.entry_errors[str(key)] = (problem[0], problem[1] or line, problem[2])
        else:
            glossary.terms[key] = {
                "term": entry["term"],
                "forms": entry.get("forms") or [],
                "definition": entry["definition"],
            }
    return glossary


def _entry_problem(key: Any, entry: Any, lang: str, document: reading.Document) -> tuple[str, int | None, str] | None:
    """Why one glossary entry cannot be used: (code, line or None for the key's, message), or None."""
    if not isinstance(key, str):
        return "glossary-type", None, f"a glossary key is a name such as 'spasm', not {reading.shown(key)}"
    if not isinstance(entry, dict):
        return (
            "glossary-type",
            None,
            f"{reading.shown(key)} maps to its term, forms and definition, not {reading.shown(entry)}",
        )
    if not entry.get("term") or not entry.get("definition"):
        return "glossary-missing-term", None, f"{reading.shown(key)} needs a term and a definition in '{lang}'"
    for field_name in ("term", "definition"):
        if not _one_line_of_text(entry[field_name]):
            return (
                "glossary-type",
                document.key_lines.get((key, field_name)),
                f"{reading.shown(key)}: '{field_name}' must be one line of text, not {reading.shown(entry[field_name])}",
            )
    forms = entry.get("forms") or []
    if not isinstance(forms, list) or not all(_one_line_of_text(form) for form in forms):
        return (
            "glossary-type",
            document.key_lines.get((key, "forms")),
            f"{reading.shown(key)}: 'forms' must be a list of words, not {reading.shown(forms)}",
        )
    return None


def _one_line_of_text(value: Any) -> bool:
    # Each form becomes a one-line Markdown abbreviation (*[form]: definition): a line break would end it.
    return isinstance(value, str) and bool(value.strip()) and "\n" not in value.strip()


class GlossaryTreeprocessor(AbbrTreeprocessor):
    """Abbreviations that also match inside Chinese text (no spaces between words)."""

    def run(self, root: Element) -> None:
        if not self.abbrs:
            return None
        alternatives = []
        for key in sorted(self.abbrs, key=len, reverse=True):
            escaped = re.escape(key)
            alternatives.append(escaped if _UNBROKEN_SCRIPTS.search(key) else rf"(?<!\w){escaped}(?!\w)")
        self.RE = re.compile("|".join(alternatives))
        # A link's words are left unmarked: a focusable definition inside a link is interactive content
        # inside interactive content (Nu, axe nested-interactive); the text after the link is still read.
        for link in root.iter("a"):
            for node in link.iter():
                if node.text and not isinstance(node.text, AtomicString):
                    node.text = AtomicString(node.text)
                if node is not link and node.tail and not isinstance(node.tail, AtomicString):
                    node.tail = AtomicString(node.tail)
        self.iter_element(root)
        # Material shows a definition on hover, tap and keyboard focus; let the keyboard reach the
        # first use of each word (every use would add dozens of stops to one article).
        defined: set[str | None] = set()
        for mark in root.iter("abbr"):
            if mark.get("title") not in defined:
                defined.add(mark.get("title"))
                mark.set("tabindex", "0")
        return None


class GlossaryExtension(Extension):
    def extendMarkdown(self, md):
        abbreviations = AbbrExtension()
        abbreviations.extendMarkdown(md)
        md.treeprocessors.register(GlossaryTreeprocessor(md, abbreviations.abbrs), "abbr", 7)


def makeExtension(**kwargs):
    return GlossaryExtension(**kwargs)
