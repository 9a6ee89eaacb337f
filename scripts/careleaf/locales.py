"""User-interface strings: one catalogue per language in locales/<lang>.yml.

English is the source catalogue; every language must have every key it has, with the
same {placeholders}, so that no reader ever sees a missing string or a missing phone number.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from careleaf.project import Project


@dataclass
class Catalogue:
    lang: str
    path: Path
    strings: dict[str, str] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    # (code, line, message) met while reading the file.
    read_errors: list[tuple[str, int, str]] = field(default_factory=list)

    def text(self, key: str, **values: str) -> str:
        """The string for `key` with the {placeholders} given filled in (others left for later)."""
        return self.strings[key].format_map(_Unfilled(values))

    def tree(self, **values: str) -> dict[str, Any]:
        """Every string, placeholders filled, nested again by key for templates (t.related.heading)."""
        tree: dict[str, Any] = {}
        for key in self.strings:
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


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def load_catalogue(path: Path, lang: str) -> Catalogue:
    catalogue = Catalogue(lang=lang, path=path)
    if not path.is_file():
        catalogue.read_errors.append(("locale-missing-file", 1, f"no locale catalogue for '{lang}'"))
        return catalogue
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        catalogue.read_errors.append(("file-encoding", 1, "the file is not valid UTF-8"))
        return catalogue
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or "invalid YAML"
        catalogue.read_errors.append(("locale-yaml", (mark.line + 1) if mark else 1, f"not valid YAML: {problem}"))
        return catalogue
    if not isinstance(data, dict):
        catalogue.read_errors.append(("locale-yaml", 1, "a catalogue must be a mapping of keys to strings"))
        return catalogue
    catalogue.strings = _flatten(data)
    catalogue.key_lines = key_lines(path.read_text(encoding="utf-8"))
    return catalogue


def load_all(project: Project) -> dict[str, Catalogue]:
    return {lang: load_catalogue(project.locales_dir / f"{lang}.yml", lang) for lang in project.languages}


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = "" if value is None else str(value)
    return flat


def key_lines(text: str) -> dict[str, int]:
    """Line numbers of dotted keys, from indentation (good enough for block-style YAML)."""
    lines: dict[str, int] = {}
    stack: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = re.match(r"^(?P<indent>[ ]*)(?P<key>[\w-]+)[ \t]*:", line)
        if not match:
            continue
        indent = len(match.group("indent"))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, match.group("key")))
        lines.setdefault(".".join(key for _, key in stack), number)
    return lines
