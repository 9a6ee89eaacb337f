#!/usr/bin/env python3
"""Record a clinician's approval of an English article as it reads now.

    python scripts/approve.py SLUG --by "NAME, credential" [--date YYYY-MM-DD]

Run it only when a qualified clinician has read and approved this version. Any later edit to the
article's text or red flags makes the approval stale until it is approved again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from careleaf import project as project_settings
from careleaf.approval import approve
from careleaf.content import Library
from careleaf.translations import MarkError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("slug")
    parser.add_argument("--by", required=True, help="the clinician who approved it, with their credential")
    parser.add_argument("--date", type=dt.date.fromisoformat, help="approval date (default: today)")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return 0 if exit_.code == 0 else 2
    try:
        project = project_settings.load(args.config)
        block = approve(Library.load(project), args.slug, args.by, args.date)
    except (project_settings.ProjectError, MarkError) as error:
        print(f"approve.py: {error}", file=sys.stderr)
        return 2
    revision = block["revision"]
    print(f"{project.default_language}/{args.slug}.md: approved by {block['approved_by']} on {block['date']} "
          f"(red flags {revision['red_flags']}, text {revision['text']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
