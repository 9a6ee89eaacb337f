#!/usr/bin/env python3
"""Print every article in every language of a built site to PDF handouts (the site build does it too).

    python scripts/build_handouts.py [--site SITE_DIR] [--config mkdocs.yml]

Writes SITE_DIR/handouts/<lang>/<slug>.pdf (clear print), <slug>.large-print.pdf and, for every
language but English, <slug>.bilingual.pdf. Pages unchanged since they were last printed come
from the print cache (.cache/careleaf/handouts/). Paper size: the careleaf plugin's handouts.page_size. Only a
library the publishing build (`mkdocs build --strict`) accepts is printed.
Exit codes: 0 done, 1 refused by the publishing build's checks, a page tried to reach the network or
a PDF failed its accessibility checks, 2 usage, configuration or browser error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from careleaf import gate, handouts
from careleaf import project as project_settings
from careleaf.browser import BrowserMissing
from careleaf.kiosk import build_epoch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build PDF handouts from a built Careleaf site.")
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    try:
        project = project_settings.load(args.config)
        library = gate.require_publishable(project, processes=project.build_jobs).library
        run = handouts.build(library, args.site.resolve(), epoch=build_epoch(project.root),
                             progress=lambda line: print(line, flush=True))
    except gate.Refused as error:
        print(f"build_handouts.py: {error}", file=sys.stderr)
        return 1
    except (project_settings.ProjectError, BrowserMissing, FileNotFoundError) as error:
        print(f"build_handouts.py: {error}", file=sys.stderr)
        return 2
    print()
    for line in handouts.summary(run, project.languages):
        print(line)
    for result in run.results:
        for problem in result.problems:
            print(f"build_handouts.py: {result.job.target}: {problem}", file=sys.stderr)
    if run.outside_requests:
        print(f"build_handouts.py: blocked requests off the site: {run.outside_requests[:5]}", file=sys.stderr)
    return 1 if run.outside_requests or any(result.problems for result in run.results) else 0


if __name__ == "__main__":
    sys.exit(main())
