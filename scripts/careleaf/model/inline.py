"""Inline Markdown in a block of text, split into words a translator changes and codes they must keep.

Emphasis markers, links (their target and attribute list), inline HTML (`<span lang>`), code
spans, escapes, attribute lists and, in interface strings, `{placeholders}` are codes: XLIFF
carries them as `<bpt>`/`<ept>` pairs and `<ph>` placeholders (careleaf/outputs/xliff.py), so a CAT tool
shows them as tags a translator moves but cannot break. Joining the pieces gives the text back
exactly, character for character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN, CLOSE, ALONE = "open", "close", "alone"


@dataclass(frozen=True)
class Code:
    role: str  # open, close or alone
    native: str  # the Markdown it stands for, exactly
    ctype: str  # XLIFF's ctype: bold, italic, link, x-html, x-code, x-placeholder...
    pair: int = 0  # opens and closes of one pair share a number; numbered in order of opening


Piece = str | Code

_LINK = re.compile(r"\[(?=[^\]]*\]\([^)\s]*(?:\s+\"[^\"]*\")?\))")
_LINK_END = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)(?:\{[^}\n]*\})?")
_HTML_OPEN = re.compile(r"<(?P<tag>[A-Za-z][\w-]*)(?:\s[^<>]*)?>")
_HTML_CLOSE = re.compile(r"</(?P<tag>[A-Za-z][\w-]*)\s*>")
_HTML_VOID = re.compile(r"<(?:br|wbr|img|hr)\b[^<>]*/?>", re.IGNORECASE)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()#+\-.!<>|]")
_ATTRIBUTES = re.compile(r"\{:?[ \t]*[#.][^}\n]*\}")
_PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*\}")
_EMPHASIS = re.compile(r"\*\*|__|\*|_")


def split(text: str, placeholders: bool = False) -> list[Piece]:
    """The text as words and codes. Unpaired markers (a lone `*`) stay words: they are not markup."""
    pieces: list[Piece] = []
    # Open codes waiting for their close: (position in pieces, the close that ends them, ctype).
    waiting: list[tuple[int, str, str]] = []
    position = 0
    while position < len(text):
        code, end = _code_at(text, position, waiting, placeholders)
        if code is None:
            if pieces and isinstance(pieces[-1], str):
                pieces[-1] += text[position]
            else:
                pieces.append(text[position])
            position += 1
            continue
        if code.role == OPEN:
            waiting.append((len(pieces), _closer(code), code.ctype))
        elif code.role == CLOSE:
            waiting.pop()
        pieces.append(code)
        position = end
    # Opens never closed are words after all.
    for index, _, _ in waiting:
        opened = pieces[index]
        assert isinstance(opened, Code)  # waiting holds the index each open code was appended at
        pieces[index] = opened.native
    return _numbered(_merged(pieces))


def join(pieces: list[Piece]) -> str:
    return "".join(piece if isinstance(piece, str) else piece.native for piece in pieces)


def codes(pieces: list[Piece]) -> list[Code]:
    return [piece for piece in pieces if isinstance(piece, Code)]


def _code_at(
    text: str, position: int, waiting: list[tuple[int, str, str]], placeholders: bool
) -> tuple[Code | None, int]:
    rest = text[position:]
    if waiting:
        closer = waiting[-1][1]
        if closer == "link":
            match = _LINK_END.match(rest)
            if match:
                return Code(CLOSE, match.group(0), "link"), position + match.end()
        elif closer.startswith("</"):
            match = _HTML_CLOSE.match(rest)
            if match and f"</{match.group('tag').lower()}>" == closer:
                return Code(CLOSE, match.group(0), waiting[-1][2]), position + match.end()
        elif rest.startswith(closer) and position > 0 and not text[position - 1].isspace():
            if not (closer in ("*", "_") and rest.startswith(closer * 2)):
                return Code(CLOSE, closer, waiting[-1][2]), position + len(closer)
    for pattern, ctype in (
        (_ESCAPE, "x-escape"),
        (_CODE_SPAN, "x-code"),
        (_HTML_VOID, "lb"),
        (_ATTRIBUTES, "x-attributes"),
    ):
        match = pattern.match(rest)
        if match:
            return Code(ALONE, match.group(0), ctype), position + match.end()
    if placeholders:
        match = _PLACEHOLDER.match(rest)
        if match:
            return Code(ALONE, match.group(0), "x-placeholder"), position + match.end()
    if _LINK.match(rest):
        return Code(OPEN, "[", "link"), position + 1
    match = _HTML_OPEN.match(rest)
    if match:
        return Code(OPEN, match.group(0), "x-html-" + match.group("tag").lower()), position + match.end()
    match = _EMPHASIS.match(rest)
    if match and len(rest) > match.end() and not rest[match.end()].isspace():
        marker = match.group(0)
        # Underscores inside a word (snake_case) are not emphasis, as in Python-Markdown.
        if marker[0] == "_" and position > 0 and text[position - 1].isalnum():
            return None, position
        return Code(OPEN, marker, "bold" if len(marker) == 2 else "italic"), position + len(marker)
    return None, position


def _closer(code: Code) -> str:
    if code.ctype == "link":
        return "link"
    if code.ctype.startswith("x-html-"):
        return f"</{code.ctype[len('x-html-') :]}>"
    return code.native


def _merged(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def _numbered(pieces: list[Piece]) -> list[Piece]:
    """Number each code: a pair's open and close share their number, placeholders have their own."""
    numbered: list[Piece] = []
    opened: list[int] = []
    count = 0
    for piece in pieces:
        if isinstance(piece, str):
            numbered.append(piece)
            continue
        if piece.role == CLOSE:
            numbered.append(Code(piece.role, piece.native, piece.ctype, opened.pop()))
            continue
        count += 1
        if piece.role == OPEN:
            opened.append(count)
        numbered.append(Code(piece.role, piece.native, piece.ctype, count))
    return numbered
