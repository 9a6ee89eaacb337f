"""The glossary: medical words defined in plain language, one file per language.

The build appends each glossary form as a Markdown abbreviation (`*[word]: definition`) to every
article, and Material shows the definition on hover, on tap and on keyboard focus (the first use
of each word is focusable). Python-Markdown's abbreviations only match between word boundaries,
which Chinese does not have, so `GlossaryExtension` swaps in a matcher that needs boundaries only
around words written in alphabetic scripts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor

from careleaf.project import Project

_UNBROKEN_SCRIPTS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass
class Glossary:
    lang: str
    path: Path
    terms: dict[str, dict] = field(default_factory=dict)
    read_error: str | None = None

    def abbreviations(self) -> dict[str, str]:
        """Every form of every term, mapped to its definition."""
        marks = {}
        for entry in self.terms.values():
            for form in [entry.get("term"), *(entry.get("forms") or [])]:
                if form and entry.get("definition"):
                    marks[str(form)] = str(entry["definition"])
        return marks

    def markdown(self, page_text: str | None = None) -> str:
        """The abbreviation definitions to append to a page's Markdown: those whose form occurs in
        `page_text` (a form that is not in the text cannot be marked, and each one costs a scan)."""
        return "\n".join(
            f"*[{form}]: {definition}"
            for form, definition in sorted(self.abbreviations().items())
            if page_text is None or form in page_text
        )


def glossary_path(project: Project, lang: str) -> Path:
    return project.locales_dir / "glossary" / f"{lang}.yml"


def load(project: Project, lang: str) -> Glossary:
    path = glossary_path(project, lang)
    glossary = Glossary(lang=lang, path=path)
    if not path.is_file():
        glossary.read_error = f"no glossary for '{lang}'"
        return glossary
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        glossary.read_error = f"the glossary cannot be read: {str(error).splitlines()[0]}"
        return glossary
    if not isinstance(data, dict) or not all(isinstance(entry, dict) for entry in data.values()):
        glossary.read_error = "a glossary maps each key to its term, forms and definition"
        return glossary
    glossary.terms = data
    return glossary


class GlossaryTreeprocessor(AbbrTreeprocessor):
    """Abbreviations that also match inside Chinese text (no spaces between words)."""

    def run(self, root):
        if not self.abbrs:
            return None
        alternatives = []
        for key in sorted(self.abbrs, key=len, reverse=True):
            escaped = re.escape(key)
            alternatives.append(escaped if _UNBROKEN_SCRIPTS.search(key) else rf"(?<!\w){escaped}(?!\w)")
        self.RE = re.compile("|".join(alternatives))
        self.iter_element(root)
        # Material shows a definition on hover, tap and keyboard focus; let the keyboard reach the
        # first use of each word (every use would add dozens of stops to one article).
        defined: set[str] = set()
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
