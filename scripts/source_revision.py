#!/usr/bin/env python3
"""Replaced by `careleaf source-revision` (`careleaf source-revision --help`); kept one release, then removed.

Says so on stderr, then runs `careleaf source-revision` with the same arguments (`--config FILE` is `-f FILE`).
"""

from __future__ import annotations

import sys

from careleaf.cli import legacy


def main(argv: list[str] | None = None) -> int:
    return legacy.run("source_revision.py", ["source-revision"], argv)


if __name__ == "__main__":
    sys.exit(main())
