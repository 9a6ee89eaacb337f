#!/usr/bin/env python3
"""XLIFF 1.2 for the translation vendor: export what a language needs, import what comes back.

    python scripts/xliff.py export LANG [ARTICLE...] [--changed-only] -o FILE.xlf
    python scripts/xliff.py import FILE.xlf [--reviewer "NAME, credential" --date YYYY-MM-DD]

export: one file per language with every article (or those named), the interface strings and the
glossary; --changed-only holds only the units whose English changed since they were translated,
or that were never translated. import: writes docs/<lang>/<slug>.md with the English structure,
marks an article current when every unit is translated and reviewed when every unit is signed off
and --reviewer is given, and validates what it writes; a refused file writes nothing.
Exit codes: 0 done, 1 refused (nothing written), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from careleaf import project as project_settings
from careleaf import xliff, xliff_import
from careleaf.content import Library


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="XLIFF 1.2 export and import for translation vendors.")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    commands = parser.add_subparsers(dest="command", required=True)
    exporting = commands.add_parser("export", help="write the XLIFF file a vendor translates")
    exporting.add_argument("lang", help="the target language (e.g. es)")
    exporting.add_argument("slugs", nargs="*", metavar="ARTICLE", help="articles to export (default: all, with strings and glossary)")
    exporting.add_argument("--changed-only", action="store_true", help="only units that need translating")
    exporting.add_argument("-o", "--output", type=Path, required=True, help="the .xlf file to write")
    importing = commands.add_parser("import", help="write the vendor's translations back")
    importing.add_argument("file", type=Path, help="the .xlf file the vendor returned")
    importing.add_argument("--reviewer", help="the qualified medical translator who signed the units off")
    importing.add_argument("--date", type=dt.date.fromisoformat, help="review date (default: today)")
    args = parser.parse_args(argv)
    if args.command == "import" and args.date and not args.reviewer:
        parser.error("--date is the review date: give --reviewer too")
    try:
        project = project_settings.load(args.config)
        library = Library.load(project)
        return _export(library, args) if args.command == "export" else _import(library, args)
    except project_settings.ProjectError as error:
        print(f"xliff.py: {error}", file=sys.stderr)
        return 2
    except xliff.XliffError as error:
        print(f"xliff.py: {error}", file=sys.stderr)
        return 1


def _export(library: Library, args: argparse.Namespace) -> int:
    document, parts = xliff.export(library, args.lang, args.slugs, changed_only=args.changed_only)
    for part in parts:
        for line, message in part.warnings:
            print(f"xliff.py: {part.target_file}:{line}: {message}", file=sys.stderr)
    if not parts:
        # XLIFF needs at least one <file>: an empty document would not be valid XLIFF to send.
        print(f"nothing to translate (0 units): {args.output} not written")
        return 0
    args.output.write_bytes(document)
    for part in parts:
        needed = sum(1 for unit in part.units if unit.needed)
        print(f"{part.original}: {len(part.units)} units, {needed} to translate")
    total = sum(len(part.units) for part in parts)
    print(f"wrote {args.output}: {len(parts)} files, {total} units, "
          f"{sum(1 for part in parts for unit in part.units if unit.needed)} to translate")
    return 0


def _import(library: Library, args: argparse.Namespace) -> int:
    changes = xliff_import.plan(library, args.file, args.reviewer, args.date)
    errors = xliff_import.validation_errors(library, changes)
    if errors:
        for error in errors:
            print(f"xliff.py: {error}", file=sys.stderr)
        print(f"xliff.py: {args.file}: refused: the validator finds {len(errors)} error(s) in what it would write; "
              "nothing was written", file=sys.stderr)
        return 1
    xliff_import.write(changes)
    for change in changes:
        print(f"{change.relative}: {change.summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
