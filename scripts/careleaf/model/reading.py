"""Reading the files people write (articles, locales, glossaries): a line for every problem,
never a traceback or a hang.

Text is read as MkDocs reads a page (utf-8-sig, universal newlines), so the validator and the
build see the same lines. PyYAML raises more than YAMLError on content: ValueError for an
impossible date (2027-13-45), RecursionError for deep nesting, and libyaml's C composer overflows
the C stack (the process dies) deeper than some 50,000 levels; aliases let a few lines ("billion
laughs") stand for a structure too big to walk. Careleaf's files need neither aliases nor deep
nesting, so `load_yaml` refuses both, keeps an impossible date as an `InvalidDate` for the type
checks to name, and reports anything else as a `YamlError` with its line.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import reprlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, AnyStr, Self

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# Deeper than anything Careleaf writes (front matter nests 3 levels, locales 3).
MAX_DEPTH = 20
# A document cannot nest deeper than it has collection indicators ([ { - ? :), so one with few of
# them cannot overflow libyaml's C stack; the others go to the pure-Python loader (10x slower).
_C_LOADER_MAX_INDICATORS = 2000
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
# Values quoted in messages stay short and flat, whatever was written (a list of 10,000 items).
_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxdict = 2, 60, 60, 4, 4


class ReadError(Exception):
    """A file that cannot be read as text: (code, line, message) for the validator."""

    def __init__(self, code: str, line: int, message: str):
        super().__init__(message)
        self.code, self.line, self.message = code, line, message


def read_text(path: Path) -> str:
    """A file's text as MkDocs reads it: one byte-order mark dropped, CRLF and CR read as LF."""
    try:
        raw = path.read_bytes().removeprefix(codecs.BOM_UTF8)
    except OSError as error:
        raise ReadError("file-unreadable", 1, f"the file cannot be read: {error.strerror or error}") from error
    try:
        return universal_newlines(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        line = universal_newlines(raw[: error.start]).count(b"\n") + 1
        raise ReadError("file-encoding", line, f"the file is not valid UTF-8 (byte {error.start})") from error


def universal_newlines(text: AnyStr) -> AnyStr:
    """CRLF and CR as LF, as Python's text mode and Python-Markdown read them."""
    lf, cr = ("\n", "\r") if isinstance(text, str) else (b"\n", b"\r")
    return text.replace(cr + lf, lf).replace(cr, lf)


class YamlError(Exception):
    """The text cannot be read as Careleaf's YAML: a one-line problem at a 1-based line."""

    def __init__(self, problem: str, line: int):
        super().__init__(problem)
        self.problem = problem
        self.line = line


@dataclass(frozen=True)
class InvalidDate:
    """A value written as a date that is no date (month 13, February 30), kept to be reported."""

    text: str

    def __str__(self) -> str:
        return self.text

    def describe(self) -> str:
        return f"{self.text!r} (no such date)"


@dataclass
class Document:
    data: Any
    # The line of every mapping key, by its path from the top: ("translation", "date") -> 14.
    key_lines: dict[tuple[Any, ...], int]
    # Inside lists, by the path with each item's position: ("codes", "icd10cm", 1) and ("codes", "icd10cm", 1, "code").
    item_lines: dict[tuple[Any, ...], int] = field(default_factory=dict)


def shown(value: Any) -> str:
    """A value read from YAML as its writer would recognise it, short enough for one line."""
    if isinstance(value, InvalidDate):
        return value.describe()
    if isinstance(value, dt.date):
        return repr(value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat())
    return _SHORT.repr(value)


def load_yaml(text: str, first_line: int = 1) -> Document:
    """Parse one YAML document; `first_line` is the file line the text starts on."""
    fast = "&" not in text and sum(text.count(mark) for mark in "[{-?:") <= _C_LOADER_MAX_INDICATORS
    loader = None
    try:
        # The reader refuses control characters as it is made: inside the try, like every other problem.
        loader = (_FastLoader if fast else _CheckedLoader)(text, first_line)
        return Document(loader.get_single_data(), loader.key_lines, loader.item_lines)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        index = mark.index if mark is not None else getattr(error, "position", 0)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        line_start = text.rfind("\n", 0, index) + 1
        if "\t" in text[line_start : index + 1] and not text[line_start:index].strip(" \t"):
            problem += " (YAML is indented with spaces, not tabs)"
        raise YamlError(problem, _line(text, index, first_line)) from error
    finally:
        if loader is not None:
            loader.dispose()


def _line(text: str, index: int, first_line: int) -> int:
    # Lines counted on "\n", as editors and Python count them (YAML also breaks at U+2028, U+0085).
    return first_line + text.count("\n", 0, max(0, min(index, len(text))))


if TYPE_CHECKING:

    class _SafeLoading(SafeConstructor):
        """What the mixin below is mixed into: a loader with PyYAML's SafeConstructor, built from the text."""

        def __init__(self, stream: str) -> None: ...
else:
    _SafeLoading = object


class _CheckedConstruction(_SafeLoading):
    """What both loaders add to PyYAML's SafeConstructor."""

    def __init__(self, text: str, first_line: int):
        super().__init__(text)
        self._text = text
        self._first_line = first_line
        self.key_lines: dict[tuple[Any, ...], int] = {}
        self.item_lines: dict[tuple[Any, ...], int] = {}

    def construct_document(self, node):
        _check_depth(node)
        data = super().construct_document(node)
        self._record_key_lines(node)
        return data

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
            # A scalar PyYAML cannot convert (!!int abc, an integer of 5,000 digits, ...).
            raise ConstructorError(
                None, None, f"cannot read {_short(node)} as {node.tag.rsplit(':', 1)[-1]}", node.start_mark
            ) from error

    # Self: PyYAML's stubs take a constructor as a method of the loader it is registered on.
    def construct_timestamp(self: Self, node: ScalarNode) -> dt.date | InvalidDate:
        try:
            return SafeConstructor.construct_yaml_timestamp(self, node)
        except (ValueError, TypeError, AttributeError, OverflowError):
            return InvalidDate(str(node.value))

    def _node_line(self, node) -> int:
        return _line(self._text, node.start_mark.index, self._first_line)

    def _record_key_lines(self, root) -> None:
        # At most MAX_DEPTH levels and no aliases: a short walk, in document order.
        # `path` leaves list positions out (the last item's key wins), `indexed` keeps them.
        pending: deque[tuple[tuple[Any, ...], tuple[Any, ...], Node]] = deque([((), (), root)])
        while pending:
            path, indexed, node = pending.popleft()
            if isinstance(node, MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, ScalarNode):
                        key = key_node.value if key_node.tag == _STR_TAG else self.construct_object(key_node, deep=True)
                        self.key_lines[(*path, key)] = self._node_line(key_node)
                        if indexed != path:
                            self.item_lines[(*indexed, key)] = self._node_line(key_node)
                        pending.append(((*path, key), (*indexed, key), value_node))
            elif isinstance(node, SequenceNode):
                for index, item in enumerate(node.value):
                    self.item_lines[(*indexed, index)] = self._node_line(item)
                    pending.append((path, (*indexed, index), item))


def _check_depth(root) -> None:
    pending = [(root, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, (MappingNode, SequenceNode)):
            if depth > MAX_DEPTH:
                raise ConstructorError(None, None, f"nested more than {MAX_DEPTH} levels deep", node.start_mark)
            children = [child for pair in node.value for child in pair] if isinstance(node, MappingNode) else node.value
            pending.extend((child, depth + 1) for child in children)


def _short(node) -> str:
    value = node.value if isinstance(node, ScalarNode) else ""
    return repr(value[:40] + "…") if len(value) > 40 else repr(value)


if TYPE_CHECKING or hasattr(yaml, "CSafeLoader"):

    class _FastLoader(_CheckedConstruction, yaml.CSafeLoader):
        """libyaml's parser (as MkDocs uses), for documents too shallow to overflow its C stack."""
else:

    class _FastLoader(_CheckedConstruction, yaml.SafeLoader):
        """PyYAML built without libyaml: the pure-Python parser in its place."""


class _CheckedLoader(_CheckedConstruction, yaml.SafeLoader):
    """The pure-Python loader, refusing aliases and deep nesting as it composes."""

    def __init__(self, text: str, first_line: int):
        super().__init__(text, first_line)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise ComposerError(None, None, "YAML aliases (*name) are not allowed here", self.peek_event().start_mark)
        collection = self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent)
        if collection and self._depth >= MAX_DEPTH:
            raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark)
        self._depth += collection
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= collection


for _loader in (_FastLoader, _CheckedLoader):
    _loader.add_constructor(_TIMESTAMP_TAG, _CheckedConstruction.construct_timestamp)


# A fenced code block's opening or closing line (``` or ~~~, three or more).
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


def outside_fences(markdown: str) -> Iterator[tuple[int, str, bool]]:
    """Yield (index, line, in_code) so headings inside code blocks are not taken for real ones."""
    fence = None
    for index, line in enumerate(markdown.split("\n")):
        match = FENCE.match(line)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker[0] * 3
                yield index, line, True
                continue
            if marker.startswith(fence):
                fence = None
                yield index, line, True
                continue
        yield index, line, fence is not None
