"""Results of the slow checks, kept between runs and keyed on exactly what they depend on.

Editors run the validator on every save: an article whose text has not changed since the last run
is not rendered or scored again. A key is the SHA-256 of the check's own inputs (the text, its
language, the settings and the versions of the code that judges it), so a changed input is a miss,
never a stale answer. The cache lives in `.cache/careleaf/` (git ignores it); delete it at will.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import pickle
from pathlib import Path
from typing import Any

from careleaf.util.files import write_atomically

FOLDER = Path(".cache") / "careleaf"


class ResultCache:
    """One JSON file of results per kind of check, read once and written back if it changed."""

    def __init__(self, root: Path, kind: str, fingerprint: str):
        self.path = root / FOLDER / f"{kind}.json"
        self._fingerprint = fingerprint
        self._entries: dict[str, Any] = self._read()
        self._used: set[str] = set()
        self._changed = False

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256(self._fingerprint.encode("utf-8"))
        for part in parts:
            digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def __getitem__(self, key: str) -> Any:
        self._used.add(key)
        return self._entries[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._used.add(key)
        self._entries[key] = value
        self._changed = True

    def save(self, complete: bool = False) -> None:
        """Write the results back; after a run over the whole library (`complete`), only those it used."""
        if complete and self._used != self._entries.keys():
            self._entries = {key: self._entries[key] for key in self._used}
            self._changed = True
        if not self._changed:
            return
        try:
            write_atomically(
                self.path, json.dumps(self._entries, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            )
        except OSError:
            pass  # a read-only checkout still validates, only without keeping results
        self._changed = False

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}


def source_fingerprint(*modules: Any, extra: str = "", packages: tuple[str, ...] = ()) -> str:
    """The code that computes a result: its modules' source, the installed packages it uses, and any
    settings it reads (`extra`)."""
    versions = "\0".join(importlib.metadata.version(name) for name in packages)
    digest = hashlib.sha256(f"{extra}\0{versions}".encode())
    for module in modules:
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


class PageStore:
    """Pages an earlier run read and parsed, found again by the bytes of their file.

    A pickle: it holds Python objects as this code made them, in the project's own ignored folder,
    and is thrown away whole when any of that code (or the Python running it) changes.
    """

    def __init__(self, root: Path, fingerprint: str):
        self.path = root / FOLDER / "pages.pickle"
        self._fingerprint = fingerprint
        self._pages: dict[str, Any] = {}
        self._kept: dict[str, Any] = {}
        self._missed = False
        try:
            with self.path.open("rb") as handle:
                stored_fingerprint, pages = pickle.load(handle)
            if stored_fingerprint == fingerprint and isinstance(pages, dict):
                self._pages = pages
        except Exception:  # a missing, truncated or foreign file is an empty store
            self._pages = {}

    def key(self, path: Path, lang: str, raw: bytes) -> str:
        digest = hashlib.sha256(f"{path}\0{lang}\0".encode("utf-8", "surrogatepass"))
        digest.update(raw)
        return digest.hexdigest()

    def get(self, key: str) -> Any | None:
        page = self._pages.get(key)
        self._missed |= page is None
        return page

    def keep(self, key: str, page: Any) -> None:
        self._kept[key] = page

    def save(self) -> None:
        """Keep this run's pages (parsed parts included) when any of them was read afresh."""
        if not self._missed and self._kept.keys() == self._pages.keys():
            return
        try:
            write_atomically(self.path, pickle.dumps((self._fingerprint, self._kept), protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError):
            pass  # as above: the next run reads the files again
