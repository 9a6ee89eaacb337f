"""User-interface strings: one catalogue per language in locales/<lang>.yml.

English is the source catalogue; every language must have every key it has, with the
same {placeholders}, so that no reader ever sees a missing string or a missing phone number.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careleaf.model import reading
from careleaf.model.project import Project

# The Material interface strings Careleaf's pages show (skip link, search, navigation and footer
# labels, the code-copy button). Material translates them for 60-odd languages; a catalogue's
# `theme:` section gives them for any other language (or replaces Material's), keyed as Material
# keys them. Its `language` and `direction` Careleaf fills itself (model/languages.py).
THEME_SECTION = "theme"
# The browser editor's words (careleaf editor): staff read them in English unless a catalogue has its own.
EDITOR_SECTION = "editor"
# Sections a translation has only as it needs them: the others are required of every catalogue.
OPTIONAL_SECTIONS = (THEME_SECTION, EDITOR_SECTION)
THEME_KEYS = (
    "action.skip",
    "announce.dismiss",
    "clipboard.copied",
    "clipboard.copy",
    "footer",
    "footer.next",
    "footer.previous",
    "header",
    "nav",
    "search",
    "search.placeholder",
    "search.reset",
    "search.result.initializer",
    "search.result.more.one",
    "search.result.more.other",
    "search.result.none",
    "search.result.one",
    "search.result.other",
    "search.result.placeholder",
    "search.result.term.missing",
    "search.share",
    "select.language",
    "select.version",
    "tabs",
    "toc",
    "top",
)


@dataclass
class Catalogue:
    lang: str
    path: Path
    strings: dict[str, str] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    # (code, line, message) met while reading the file: nothing in it can be used.
    read_errors: list[tuple[str, int, str]] = field(default_factory=list)
    # Keys whose value cannot be used (a list, a number, a broken {placeholder}): key -> (code, line, message).
    # They are left out of `strings`.
    entry_errors: dict[str, tuple[str, int, str]] = field(default_factory=dict)

    def text(self, key: str, **values: str) -> str:
        """The string for `key` with the {placeholders} given filled in (others left for later)."""
        return self.strings[key].format_map(_Unfilled(values))

    @property
    def theme(self) -> dict[str, str]:
        """The `theme:` section: Material's interface strings, by Material's own (dotted) keys."""
        prefix = THEME_SECTION + "."
        return {key.removeprefix(prefix): text for key, text in self.strings.items() if key.startswith(prefix)}

    def tree(self, **values: str) -> dict[str, Any]:
        """Every string the pages show, placeholders filled, nested again by key for templates (t.related.heading);
        not the theme's (Material reads them) nor the editor's."""
        tree: dict[str, Any] = {}
        for key in self.strings:
            if key.startswith(tuple(section + "." for section in OPTIONAL_SECTIONS)):
                continue
            node = tree
            *parents, leaf = key.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = self.text(key, **values)
        return tree


class _Unfilled(dict):
    """Leaves a placeholder as it is when its value is only known per page (e.g. {date})."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def placeholder_values(hospital: dict[str, str]) -> dict[str, str]:
    """What a catalogue's {placeholders} are filled with: the hospital's settings."""
    return {
        "emergency_number": hospital["emergency_number"],
        "nurse_line": hospital["nurse_line"],
        "hospital": hospital["name"],
    }


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def template_problem(text: str) -> str | None:
    """Why `text` cannot be filled in as Catalogue.text fills it ({name} only), or None."""
    try:
        names = placeholders(text)
        text.format_map({name: "" for name in names})
    except (ValueError, KeyError, IndexError, AttributeError, TypeError) as error:
        return f"{error} (a placeholder is a {{name}}; write {{{{ and }}}} for a brace)"
    return None


def load_catalogue(path: Path, lang: str) -> Catalogue:
    catalogue = Catalogue(lang=lang, path=path)
    if not path.is_file():
        catalogue.read_errors.append(("locale-missing-file", 1, f"no locale catalogue for '{lang}'"))
        return catalogue
    try:
        document = reading.load_yaml(reading.read_text(path))
    except reading.ReadError as error:
        catalogue.read_errors.append((error.code, error.line, error.message))
        return catalogue
    except reading.YamlError as error:
        catalogue.read_errors.append(("locale-yaml", error.line, f"not valid YAML: {error.problem}"))
        return catalogue
    if not isinstance(document.data, dict):
        catalogue.read_errors.append(("locale-yaml", 1, "a catalogue must be a mapping of keys to strings"))
        return catalogue
    for path_, line in document.key_lines.items():
        catalogue.key_lines.setdefault(".".join(map(str, path_)), line)
    _flatten(document.data, (), document, catalogue)
    return catalogue


def load_all(project: Project) -> dict[str, Catalogue]:
    return {lang: load_catalogue(project.locales_dir / f"{lang}.yml", lang) for lang in project.languages}


def _flatten(data: dict[Any, Any], parents: tuple[Any, ...], document: reading.Document, catalogue: Catalogue) -> None:
    """Dotted keys to strings; a value that is not text is recorded as an entry error instead."""
    for key, value in data.items():
        path = (*parents, key)
        name = ".".join(map(str, path))
        line = document.key_lines.get(path, 1)
        if not isinstance(key, str) or not key or ("." in key and parents != (THEME_SECTION,)):
            catalogue.entry_errors[name] = (
                "locale-type",
                line,
                f"a key is a name such as 'site_name', not {reading.shown(key)}",
            )
        elif isinstance(value, dict):
            _flatten(value, path, document, catalogue)
        elif value is None:
            catalogue.entry_errors[name] = ("locale-empty", line, f"{reading.shown(name)} is empty")
        elif not isinstance(value, str):
            catalogue.entry_errors[name] = (
                "locale-type",
                line,
                f"{reading.shown(name)} must be text, not {reading.shown(value)} (put it in quotes)",
            )
        elif problem := template_problem(value):
            catalogue.entry_errors[name] = (
                "locale-placeholder",
                line,
                f"{reading.shown(name)} has a broken placeholder: {problem}",
            )
        else:
            catalogue.strings[name] = value
