#!/usr/bin/env python3
"""Replaced by `careleaf audit` (`careleaf audit --help`); kept one release, then removed.

Says so on stderr, then runs `careleaf audit` with the same arguments (`--config FILE` is `-f FILE`).
"""

from __future__ import annotations

import sys

from careleaf.cli import legacy


def main(argv: list[str] | None = None) -> int:
    return legacy.run("audit.py", ["audit"], argv)


if __name__ == "__main__":
    sys.exit(main())
