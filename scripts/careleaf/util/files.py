"""Files written whole or not at all: a reader, or a run killed halfway, never sees part of one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Readable by whoever else uses the project, and by the web server for what is published.
PUBLISHED_MODE = 0o644


@contextmanager
def replaced_atomically(path: Path, mode: int = PUBLISHED_MODE) -> Iterator[Path]:
    """A temporary file beside `path` to write; when the block ends without an error it replaces `path`
    in one rename, otherwise it is removed and `path` is left as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_atomically(path: Path, data: bytes, mode: int = PUBLISHED_MODE) -> None:
    """Write a whole file or nothing."""
    with replaced_atomically(path, mode) as temporary:
        temporary.write_bytes(data)
