#!/usr/bin/env python3
"""Replaced by `careleaf mark-current` (`careleaf mark-current --help`); kept one release, then removed.

Says so on stderr, then runs `careleaf mark-current` with the same arguments (`--config FILE` is `-f FILE`).
"""

from __future__ import annotations

import sys

from careleaf.cli import legacy


def main(argv: list[str] | None = None) -> int:
    return legacy.run("mark_current.py", ["mark-current"], argv)


if __name__ == "__main__":
    sys.exit(main())
