"""The translatable blocks of a page: what a translator sees, one block at a time.

A page's body is read line by line into a skeleton (markers, indentation, blank lines, attribute
lists: the structure) and blocks (a heading's words, a paragraph, a list item, a red-flag sign).
Each block has a key built from the article's headings, not its line numbers
(`red-flags/emergency/sign3`), so a translation's block can be matched to the English block it
translates, and an edit in one section leaves every other section's keys as they were.
Rendering an English skeleton with a translation's blocks writes the translation with exactly
the English structure: XLIFF export and import go through here (careleaf/outputs/xliff.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown.extensions.toc import slugify_unicode

from careleaf.model import shared_blocks
from careleaf.model.content import RED_FLAGS_ID, TIER_KINDS, Page, attribute_anchor
from careleaf.model.reading import FENCE

_HEADING = re.compile(r"^(?P<lead>(?P<hashes>#{1,6})[ \t]+)(?P<text>.*?)(?P<tail>[ \t]*\{[^}]*\}[ \t]*|[ \t]*)$")
_ADMONITION = re.compile(
    r'^(?P<lead>[ \t]*(?:!!!|\?\?\?\+?)[ \t]*(?P<kind>[\w-]+))(?:(?P<gap>[ \t]+")(?P<title>[^"]*)(?P<tail>"[ \t]*))?[ \t]*$'
)
_LIST_ITEM = re.compile(r"^(?P<lead>(?P<indent>[ \t]*)(?:[-*+]|\d+[.)])[ \t]+)(?P<text>\S.*?)(?P<tail>[ \t]*)$")
_ATTRIBUTE_LINE = re.compile(r"^[ \t]*\{:?[^}]*\}[ \t]*$")
# The lead takes any whitespace (a no-break space too): every line that is not blank is a paragraph.
_PARAGRAPH = re.compile(r"^(?P<lead>\s*)(?P<text>\S.*?)(?P<tail>[ \t]*)$")

# What a translator is told a block is, by kind (XLIFF's restype and the unit's note).
TITLE, SUMMARY, HEADING, PARAGRAPH, ITEM, SIGN, ADMONITION_TITLE = (
    "title",
    "summary",
    "heading",
    "paragraph",
    "item",
    "sign",
    "admonition-title",
)
_KEY_PREFIX = {HEADING: "heading", PARAGRAPH: "p", ITEM: "li", SIGN: "sign", ADMONITION_TITLE: "title"}


@dataclass(frozen=True)
class Block:
    key: str
    kind: str
    text: str
    line: int
    # The red-flag tier a sign belongs to (emergency, urgent, contact).
    tier: str | None = None


@dataclass(frozen=True)
class Layout:
    """A page body as parts: literal strings (the skeleton) and indexes into `blocks`."""

    parts: tuple[str | int, ...]
    blocks: tuple[Block, ...]

    @property
    def shape(self) -> tuple[str | tuple[str, str | None], ...]:
        """The skeleton with each block's kind in its place: two pages of one shape pair block by block."""
        return tuple(
            part if isinstance(part, str) else (self.blocks[part].kind, self.blocks[part].tier) for part in self.parts
        )

    def first_difference(self, other: Layout) -> int:
        """The position in `parts` where the two shapes first differ (the shorter length if one is a prefix)."""
        return next(
            (position for position, (a, b) in enumerate(zip(self.shape, other.shape, strict=False)) if a != b),
            min(len(self.parts), len(other.parts)),
        )

    def render(self, texts: dict[str, str]) -> str:
        """This skeleton with each block's text replaced by `texts[key]` (kept where none is given)."""
        return "".join(
            part if isinstance(part, str) else texts.get(self.blocks[part].key, self.blocks[part].text)
            for part in self.parts
        )


def front_blocks(page: Page) -> list[Block]:
    """The title and summary, the front matter a reader sees."""
    blocks = []
    for kind in (TITLE, SUMMARY):
        value = page.meta.get(kind)
        if isinstance(value, str) and value.strip():
            blocks.append(Block(key=kind, kind=kind, text=value, line=page.line_of(kind)))
    return blocks


def layout(page: Page) -> Layout:
    """Read a page body into skeleton and blocks (see the module's docstring). A page's own text:
    an include line is skeleton, and the shared block it names is translated once, on its own."""
    return _Reader(page.own_body, page.body_line).read()


class _Reader:
    def __init__(self, body: str, first_line: int):
        self.lines = body.split("\n")
        self.first_line = first_line
        self.parts: list[str | int] = []
        self.blocks: list[Block] = []
        # The heading path a block's key starts with, one anchor per level (2..6).
        self.path: dict[int, str] = {}
        # Admonitions open around the current line: (indent width, key part, tier or None).
        self.boxes: list[tuple[int, str, str | None]] = []
        self.counters: dict[str, int] = {}
        self.used_anchors: dict[str, int] = {}

    def read(self) -> Layout:
        fence = None
        for index, line in enumerate(self.lines):
            newline = "\n" if index < len(self.lines) - 1 else ""
            match = FENCE.match(line)
            if fence is not None or match:
                if match:
                    fence = (
                        None
                        if fence is not None and match.group(1).startswith(fence)
                        else (fence or match.group(1)[0] * 3)
                    )
                self.parts.append(line + newline)
                continue
            self._line(line, self.first_line + index)
            self.parts.append(newline)
        return Layout(parts=tuple(self.parts), blocks=tuple(self.blocks))

    def _line(self, line: str, number: int) -> None:
        if not line.strip() or _ATTRIBUTE_LINE.match(line) or shared_blocks.INCLUDE.match(line):
            self.parts.append(line)
            return
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        while self.boxes and indent <= self.boxes[-1][0]:
            self.boxes.pop()
        heading = _HEADING.match(line)
        if heading and not self.boxes:
            level = len(heading.group("hashes"))
            anchor = attribute_anchor(heading.group("tail")) or slugify_unicode(heading.group("text"), "-") or "section"
            self.path = {depth: key for depth, key in self.path.items() if depth < level}
            self.path[level] = self._unique(anchor, level)
            self._block(heading, HEADING, number)
            return
        admonition = _ADMONITION.match(line)
        if admonition:
            kind = admonition.group("kind").lower()
            tier = kind if kind in TIER_KINDS and self._in_red_flags() else None
            self.boxes.append((indent, self._unique(kind, "box"), tier))
            if admonition.group("title") is not None and admonition.group("title").strip():
                self.parts.append(admonition.group("lead") + admonition.group("gap"))
                self._add(ADMONITION_TITLE, admonition.group("title"), number)
                self.parts.append(admonition.group("tail"))
            else:
                self.parts.append(line)
            return
        item = _LIST_ITEM.match(line)
        if item:
            self._block(item, SIGN if self._tier() else ITEM, number)
            return
        paragraph = _PARAGRAPH.match(line)
        assert paragraph is not None  # blank lines returned above, and _PARAGRAPH matches any other
        self._block(paragraph, PARAGRAPH, number)

    def _block(self, match: re.Match, kind: str, number: int) -> None:
        self.parts.append(match.group("lead"))
        self._add(kind, match.group("text"), number)
        self.parts.append(match.group("tail"))

    def _add(self, kind: str, text: str, number: int) -> None:
        scope = "/".join([self.path[depth] for depth in sorted(self.path)] + [box[1] for box in self.boxes])
        if kind == HEADING:
            key = f"{scope}/heading"
        elif kind == ADMONITION_TITLE:
            key = f"{scope}/title"
        else:
            counter = f"{scope}/{_KEY_PREFIX[kind]}"
            self.counters[counter] = self.counters.get(counter, 0) + 1
            key = f"{counter}{self.counters[counter]}"
        self.parts.append(len(self.blocks))
        # Blocks before the first heading are the article's introduction.
        key = key if scope else f"intro{key}"
        self.blocks.append(Block(key=key, kind=kind, text=text, line=number, tier=self._tier()))

    def _unique(self, name: str, level: int | str) -> str:
        scope = (
            "/".join(self.path[depth] for depth in sorted(self.path) if not isinstance(level, int) or depth < level),
            "/".join(box[1] for box in self.boxes),
            name,
        )
        seen = self.used_anchors.get(str(scope), 0) + 1
        self.used_anchors[str(scope)] = seen
        return name if seen == 1 else f"{name}-{seen}"

    def _in_red_flags(self) -> bool:
        return self.path.get(2) == RED_FLAGS_ID

    def _tier(self) -> str | None:
        return next((box[2] for box in reversed(self.boxes) if box[2]), None)


def pairs(source: Layout, translation: Layout) -> Iterator[tuple[Block, Block]]:
    """Each English block with the translation's block in its place, when the two share a shape."""
    if source.shape != translation.shape:
        return iter(())
    return zip(source.blocks, translation.blocks, strict=True)
