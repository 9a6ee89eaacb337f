#!/usr/bin/env python3
"""Start a new article in every language, with the full structure and placeholders.

    python scripts/new_article.py SLUG --category KEY

Every '[TO WRITE: ...]' placeholder fails the validator until it is replaced.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from careleaf import project as project_settings
from careleaf.scaffold import ScaffoldError, create


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("slug")
    parser.add_argument("--category", required=True, help="a key of categories: in locales/en.yml")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    try:
        written = create(project_settings.load(args.config), args.slug, args.category)
    except (project_settings.ProjectError, ScaffoldError) as error:
        print(f"new_article.py: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"created {path}")
    print("Replace every '[TO WRITE: ...]', then run scripts/validate.py.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
