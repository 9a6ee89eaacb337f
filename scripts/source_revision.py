#!/usr/bin/env python3
"""Print the English source revision of an article, as a translation records it.

    python scripts/source_revision.py SLUG [--config mkdocs.yml]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from careleaf import project as project_settings
from careleaf.content import Library


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("slug")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    try:
        project = project_settings.load(args.config)
    except project_settings.ProjectError as error:
        print(f"source_revision.py: {error}", file=sys.stderr)
        return 2
    source = Library.load(project).source(args.slug)
    if source is None:
        print(f"source_revision.py: no article '{args.slug}' in {project.default_language}", file=sys.stderr)
        return 1
    print(yaml.safe_dump({"source_revision": source.source_revision()}, sort_keys=False), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
