#!/usr/bin/env python3
"""Render every article in every language from a built site to PDF handouts.

    python scripts/build_handouts.py [--site SITE_DIR] [--config mkdocs.yml]

Writes SITE_DIR/handouts/<lang>/<slug>.pdf and, for every language but English,
SITE_DIR/handouts/<lang>/<slug>.bilingual.pdf. Paper size: extra.handouts.page_size.
Exit codes: 0 done, 1 a page tried to reach the network or a single-language handout has an
accessibility problem (careleaf/accessible_pdf.py), 2 usage, configuration or browser error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from careleaf import handouts
from careleaf import project as project_settings
from careleaf.browser import BrowserMissing
from careleaf.content import Library


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build PDF handouts from a built Careleaf site.")
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    try:
        project = project_settings.load(args.config)
        run = handouts.build(Library.load(project), args.site.resolve(), progress=lambda line: print(line, flush=True))
    except (project_settings.ProjectError, BrowserMissing, FileNotFoundError, ValueError) as error:
        print(f"build_handouts.py: {error}", file=sys.stderr)
        return 2
    print()
    for line in handouts.summary(run, project.languages):
        print(line)
    failed = False
    if run.outside_requests:
        print(f"build_handouts.py: blocked requests off the site: {run.outside_requests[:5]}", file=sys.stderr)
        failed = True
    for result in handouts.failing_singles(run):
        for problem in result.problems:
            print(f"build_handouts.py: {result.job.target}: {problem}", file=sys.stderr)
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
