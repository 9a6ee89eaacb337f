"""Shared blocks: advice or red-flag signs written once per language and included by reference.

An article includes a block with pymdown-extensions' snippet syntax on a line of its own,
`--8<-- "shared/pain-medicine.md"`, indented as the included lines should be (inside a red-flag
tier, 4 spaces). The path is relative to the article's language folder, so every translation
includes the same path and gets the block in its own language: docs/es/shared/pain-medicine.md.
Careleaf resolves includes in its content model (not in Markdown), so the validator, the build,
print, kiosk, search, the Infobutton index and readability all read the included text, and every
line of it keeps its own file and line for messages. MkDocs does not publish the folder
(`exclude_docs` in mkdocs.yml).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from careleaf.model.reading import outside_fences

FOLDER = "shared"
# A snippet line: `--8<-- "file"` (or 'file'), alone on its line, as pymdownx.snippets writes it.
INCLUDE = re.compile(r"""^(?P<indent>[ \t]*)-{1,}8<-{1,}[ \t]+(?P<quote>["'])(?P<target>[^"']*)(?P=quote)[ \t]*$""")
_MARKER = re.compile(r"-{1,}8<-{1,}")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Include:
    """One include line of a page: the block's name and the line (of the page's own text) it stands on."""

    name: str
    line: int
    indent: str


@dataclass(frozen=True)
class IncludeError:
    code: str
    line: int
    message: str


@dataclass(frozen=True)
class Resolved:
    """A text with its includes replaced, and where each of its lines was written."""

    text: str
    # For each line of `text`: (the file it comes from, that file's line); None for the page's own file.
    origins: tuple[tuple[Path | None, int], ...]
    includes: tuple[Include, ...]
    errors: tuple[IncludeError, ...]


def block_name(relative: Path) -> str | None:
    """`shared/pain-medicine.md` -> `pain-medicine`; None when the path names no shared block."""
    parts = relative.parts
    if len(parts) != 2 or parts[0] != FOLDER or relative.suffix != ".md" or not _NAME.match(relative.stem):
        return None
    return relative.stem


def target_of(name: str) -> str:
    """What an include line says for a block."""
    return f"{FOLDER}/{name}.md"


def includes(text: str, first_line: int = 1) -> tuple[list[Include], list[IncludeError]]:
    """The include lines of a text (outside code blocks), and the lines that try to be one and are not."""
    found: list[Include] = []
    errors: list[IncludeError] = []
    for index, line, in_code in outside_fences(text):
        if in_code or not _MARKER.search(line):
            continue
        number = first_line + index
        match = INCLUDE.match(line)
        if not match:
            errors.append(
                IncludeError(
                    "shared-block-include", number, 'an include is one line of its own: --8<-- "shared/<name>.md"'
                )
            )
            continue
        name = block_name(Path(match.group("target")))
        if name is None:
            errors.append(
                IncludeError(
                    "shared-block-include",
                    number,
                    f"'{match.group('target')}' is not a shared block: write --8<-- \"shared/<name>.md\" "
                    "(lowercase words joined by hyphens, in this language's shared/ folder)",
                )
            )
            continue
        found.append(Include(name, number, match.group("indent")))
    return found, errors


def resolve(
    text: str,
    first_line: int,
    lookup: Callable[[str], tuple[Path, str, int] | None],
    known: Callable[[], list[str]] = list,
) -> Resolved:
    """`text` with every include replaced by its block's body, indented like the include line.

    `lookup(name)` gives the block's file, body and first body line, or None when this language has
    no such block. A block cannot include another: one level keeps every line's origin plain to see.
    """
    found, errors = includes(text, first_line)
    by_line = {include.line: include for include in found}
    out: list[str] = []
    origins: list[tuple[Path | None, int]] = []
    all_errors = list(errors)
    for index, line in enumerate(text.split("\n")):
        number = first_line + index
        include = by_line.get(number)
        block = lookup(include.name) if include else None
        if include is None or block is None:
            if include is not None:
                all_errors.append(IncludeError("shared-block-missing", number, _missing(include.name, known())))
            # A line that failed to include stays as it is: the validator names it, the build refuses it.
            out.append(line)
            origins.append((None, number))
            continue
        path, body, body_line = block
        nested, _ = includes(body, body_line)
        if nested:
            all_errors.append(
                IncludeError(
                    "shared-block-nested",
                    number,
                    f"{target_of(include.name)} includes another shared block "
                    f"(line {nested[0].line}): a shared block cannot include one",
                )
            )
        skipped = len(body) - len(body.lstrip("\n"))
        for offset, block_line in enumerate(body.strip("\n").split("\n")):
            out.append(f"{include.indent}{block_line}" if block_line.strip() else "")
            origins.append((path, body_line + skipped + offset))
    return Resolved("\n".join(out), tuple(origins), tuple(found), tuple(all_errors))


def _missing(name: str, names: list[str]) -> str:
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean '{target_of(close[0])}'?)" if close else ""
    return f"no shared block {target_of(name)} in this language{hint}"
