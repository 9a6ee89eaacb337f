"""Translation: `careleaf mark-current`, `careleaf source-revision` and `careleaf xliff export|import`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from careleaf.cli.base import Command, config_option, date
from careleaf.cli.errors import FINDINGS, OK, UsageError, say

if TYPE_CHECKING:
    from careleaf.model.content import Library
    from careleaf.model.project import Project


# ---------------------------------------------------------------------------------------------------
# mark-current
# ---------------------------------------------------------------------------------------------------


def _mark_current_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lang", help="the translation's language (e.g. es)")
    parser.add_argument("slug", help="the article (or shared/<name> for a shared block)")
    parser.add_argument("--reviewer", help="the qualified medical translator who reviewed it")
    parser.add_argument("--date", type=date, help="review date (default: today)")


def _mark_current(project: Project, args: argparse.Namespace) -> int:
    """Record the English revision a translation now matches (and who reviewed it)."""
    from careleaf.model.content import Library
    from careleaf.model.translations import mark_current

    translation = mark_current(Library.load(project), args.lang, args.slug, args.reviewer, args.date)
    revision = translation["source_revision"]
    print(
        f"{args.lang}/{args.slug}.md: {translation['status']}, matches English red flags {revision['red_flags']}, "
        f"text {revision['text']}"
    )
    return OK


MARK_CURRENT = Command(
    name="mark-current",
    summary="mark a translation current with its English revision",
    description=(
        "Mark a translation current: record the English revision it now matches, and who reviewed it.\n"
        "Run it only after updating the translation to the current English page; nothing else ever marks\n"
        "a translation current. With --reviewer, the status becomes 'reviewed'.\n\n"
        "Exit codes: 0 marked, 2 usage or configuration error."
    ),
    arguments=_mark_current_arguments,
    run=_mark_current,
)


# ---------------------------------------------------------------------------------------------------
# source-revision
# ---------------------------------------------------------------------------------------------------


def _source_revision_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("slug", help="the English article")


def _source_revision(project: Project, args: argparse.Namespace) -> int:
    """The English article's revision, as a translation's front matter records it."""
    import yaml

    from careleaf.model.content import Library

    source = Library.load(project).source(args.slug)
    if source is None:
        raise UsageError(f"source-revision: no article '{args.slug}' in {project.default_language}")
    print(yaml.safe_dump({"source_revision": source.source_revision()}, sort_keys=False), end="")
    return OK


SOURCE_REVISION = Command(
    name="source-revision",
    summary="print an English article's revision hashes",
    description=(
        "Print the English source revision of an article (one hash for its red-flag section, one for its\n"
        "text), as a translation's front matter records it.\n\n"
        "Exit codes: 0 printed, 2 usage or configuration error (no such article)."
    ),
    arguments=_source_revision_arguments,
    run=_source_revision,
)


# ---------------------------------------------------------------------------------------------------
# xliff export | import
# ---------------------------------------------------------------------------------------------------


def _xliff_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="export|import")
    exporting = actions.add_parser(
        "export",
        help="write the XLIFF file a vendor translates",
        description="Write the XLIFF 1.2 file a vendor translates.",
    )
    config_option(exporting)
    exporting.add_argument("lang", help="the target language (e.g. es)")
    exporting.add_argument(
        "slugs", nargs="*", metavar="ARTICLE", help="articles to export (default: all, with strings and glossary)"
    )
    exporting.add_argument("--changed-only", action="store_true", help="only units that need translating")
    exporting.add_argument("-o", "--output", type=Path, required=True, help="the .xlf file to write")
    importing = actions.add_parser(
        "import",
        help="write the vendor's translations back",
        description="Write the vendor's translations back (validated first; a refused file writes nothing).",
    )
    config_option(importing)
    importing.add_argument("file", type=Path, help="the .xlf file the vendor returned")
    importing.add_argument("--reviewer", help="the qualified medical translator who signed the units off")
    importing.add_argument("--date", type=date, help="review date (default: today)")


def _xliff(project: Project, args: argparse.Namespace) -> int:
    from careleaf.model.content import Library

    if args.action == "import" and args.date and not args.reviewer:
        raise UsageError("xliff import: --date is the review date: give --reviewer too")
    library = Library.load(project)
    return _export(library, args) if args.action == "export" else _import(library, args)


def _export(library: Library, args: argparse.Namespace) -> int:
    """One file per language for the vendor; none at all when nothing needs translating."""
    from careleaf.outputs import xliff

    document, parts = xliff.export(library, args.lang, args.slugs, changed_only=args.changed_only)
    for part in parts:
        for line, message in part.warnings:
            say(f"{part.target_file}:{line}: {message}")
    if not parts:
        # XLIFF needs at least one <file>: an empty document would not be valid XLIFF to send.
        print(f"nothing to translate (0 units): {args.output} not written")
        return OK
    args.output.write_bytes(document)
    for part in parts:
        needed = sum(1 for unit in part.units if unit.needed)
        print(f"{part.original}: {len(part.units)} units, {needed} to translate")
    total = sum(len(part.units) for part in parts)
    print(
        f"wrote {args.output}: {len(parts)} files, {total} units, "
        f"{sum(1 for part in parts for unit in part.units if unit.needed)} to translate"
    )
    return OK


def _import(library: Library, args: argparse.Namespace) -> int:
    """The vendor's translations written back, or nothing when the validator refuses what they would be."""
    from careleaf.outputs import xliff_import

    changes = xliff_import.plan(library, args.file, args.reviewer, args.date)
    errors = xliff_import.validation_errors(library, changes)
    if errors:
        for error in errors:
            say(str(error))
        say(
            f"{args.file}: refused: the validator finds {len(errors)} error(s) in what it would write; nothing was written"
        )
        return FINDINGS
    xliff_import.write(changes)
    for change in changes:
        print(f"{change.relative}: {change.summary}")
    return OK


XLIFF = Command(
    name="xliff",
    summary="XLIFF for translation vendors: export | import",
    description=(
        "XLIFF 1.2 for the translation vendor: export what a language needs, import what comes back.\n\n"
        "  careleaf xliff export LANG [ARTICLE...] [--changed-only] -o FILE.xlf\n"
        '  careleaf xliff import FILE.xlf [--reviewer "NAME, credential" --date YYYY-MM-DD]\n\n'
        "export: one file per language with every article (or those named), the interface strings and the\n"
        "glossary; --changed-only holds only the units whose English changed since they were translated,\n"
        "or that were never translated. import: writes docs/<lang>/<slug>.md with the English structure,\n"
        "marks an article current when every unit is translated and reviewed when every unit is signed off\n"
        "and --reviewer is given, and validates what it writes; a refused file writes nothing.\n\n"
        "Exit codes: 0 done, 1 refused (nothing written), 2 usage or configuration error."
    ),
    arguments=_xliff_arguments,
    run=_xliff,
)
