#!/usr/bin/env python3
"""Build the offline kiosk copy: dist/careleaf-kiosk-<version>.zip and its SHA-256.

    python scripts/build_kiosk.py [--dist dist] [--idle-seconds N] [--print | --no-print]

The zip holds the whole site in every language, works opened from disk (file://) with no
network at all, and is byte-identical for the same commit. Unzip it and open index.html.
Only a library the publishing build (`mkdocs build --strict`) accepts is put on a kiosk.
Exit codes: 0 done, 1 refused (the content fails the publishing build's checks), 2 configuration
or build error.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from careleaf import gate, kiosk
from careleaf import project as project_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("--dist", type=Path, default=Path("dist"))
    parser.add_argument("--idle-seconds", type=int, help="return to the start page after this much idle time (default: the careleaf plugin's kiosk.idle_seconds)")
    parser.add_argument("--print", dest="print_enabled", action=argparse.BooleanOptionalAction, default=None,
                        help="offer printing and PDF handouts on the kiosk (default: the careleaf plugin's kiosk.print)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        project = project_settings.load(args.config)
        bundle = kiosk.build_bundle(project, args.dist.resolve(), args.idle_seconds, args.print_enabled,
                                    progress=lambda line: print(line, flush=True))
    except gate.Refused as error:
        print(f"build_kiosk.py: {error}", file=sys.stderr)
        return 1
    except (project_settings.ProjectError, RuntimeError) as error:
        print(f"build_kiosk.py: {error}", file=sys.stderr)
        return 2
    size = bundle.zip_path.stat().st_size
    print(f"{bundle.zip_path} ({bundle.files} files, {size / 1_048_576:.1f} MiB) in {time.perf_counter() - started:.1f} s")
    print(f"sha256 {bundle.sha256}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
