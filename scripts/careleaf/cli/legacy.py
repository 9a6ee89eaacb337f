"""The old `scripts/*.py` entry points, kept one release: each says what replaced it, then runs it.

Their options are the new command's, but for `--config FILE` (now `-f FILE`, before or after the
command) and validate.py's DOCS_DIR (its config was the mkdocs.yml beside it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from careleaf.cli import main
from careleaf.cli.errors import USAGE, say

# validate.py's options that take a value: what follows them is not DOCS_DIR.
_VALIDATE_VALUES = ("--format", "--today", "--config", "-f", "--config-file")


def run(script: str, command: list[str], argv: list[str] | None = None) -> int:
    """Say which `careleaf` command replaced `script`, then run it with the script's arguments."""
    argv = list(sys.argv[1:] if argv is None else argv)
    say(f"scripts/{script} is replaced by 'careleaf {' '.join(command)}' and goes in the next release")
    config, rest = _take_config(argv)
    if script == "validate.py":
        docs_dir, rest = _take_docs_dir(rest)
        if docs_dir is not None:
            if not docs_dir.is_dir():
                say(f"{docs_dir}: no such folder")
                return USAGE
            beside = docs_dir.resolve().parent / "mkdocs.yml"
            config = config or (str(beside) if beside.is_file() else None)
    return main([*(["-f", config] if config else []), *command, *rest])


def _take_config(argv: list[str]) -> tuple[str | None, list[str]]:
    """--config FILE (or --config=FILE) out of the arguments, wherever it was."""
    config, rest, items = None, [], iter(argv)
    for item in items:
        if item == "--config":
            config = next(items, None)
        elif item.startswith("--config="):
            config = item.split("=", 1)[1]
        else:
            rest.append(item)
    return config, rest


def _take_docs_dir(argv: list[str]) -> tuple[Path | None, list[str]]:
    """validate.py's optional DOCS_DIR: its one positional argument."""
    docs_dir, rest, items = None, [], iter(argv)
    for item in items:
        if item in _VALIDATE_VALUES:
            rest += [item, *[value for value in [next(items, None)] if value is not None]]
        elif not item.startswith("-") and docs_dir is None:
            docs_dir = Path(item)
        else:
            rest.append(item)
    return docs_dir, rest
