#!/usr/bin/env python3
"""Mark a translation current: record the English revision it now matches (and who reviewed it).

    python scripts/mark_current.py LANG SLUG [--reviewer "NAME, credential"] [--date YYYY-MM-DD]

Run it only after updating the translation to the current English page. Nothing else ever
marks a translation current. With --reviewer, the status becomes 'reviewed'.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from careleaf import project as project_settings
from careleaf.content import Library
from careleaf.translations import MarkError, mark_current


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lang")
    parser.add_argument("slug")
    parser.add_argument("--reviewer", help="the qualified medical translator who reviewed it")
    parser.add_argument("--date", type=dt.date.fromisoformat, help="review date (default: today)")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    try:
        project = project_settings.load(args.config)
        translation = mark_current(Library.load(project), args.lang, args.slug, args.reviewer, args.date)
    except (project_settings.ProjectError, MarkError) as error:
        print(f"mark_current.py: {error}", file=sys.stderr)
        return 2
    revision = translation["source_revision"]
    print(f"{args.lang}/{args.slug}.md: {translation['status']}, matches English red flags {revision['red_flags']}, text {revision['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
