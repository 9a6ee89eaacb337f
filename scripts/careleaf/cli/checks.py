"""Checking the library: `careleaf validate` and `careleaf status`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from careleaf.cli.base import Command, date
from careleaf.cli.errors import FINDINGS, OK

if TYPE_CHECKING:
    from careleaf.model.project import Project


# ---------------------------------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------------------------------


def _validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("human", "json"), default="human")
    parser.add_argument("--strict", action="store_true", help="warnings fail too (as mkdocs build --strict)")
    parser.add_argument("--report", action="store_true", help="print the status of every article x language first")
    parser.add_argument("--today", type=date, help="check review dates as of YYYY-MM-DD (default: today)")


def _validate(project: Project, args: argparse.Namespace) -> int:
    """Every article, red-flag card and locale, without building; 1 when the build would refuse."""
    from careleaf.checks.report import content_report, format_human, format_report
    from careleaf.checks.validation import validate

    # One process per build worker (the careleaf plugin's build.jobs): the two checks that render articles run beside the rest.
    report = validate(project, today=args.today, processes=project.build_jobs)
    if args.format == "json":
        data = {"problems": [problem.as_dict() for problem in report.problems], "red_flags": report.red_flag_summary()}
        if args.report:
            data["report"] = content_report(report)
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        if args.report:
            for line in format_report(content_report(report)):
                print(line)
            print()
        for line in format_human(report):
            print(line)
    return FINDINGS if report.errors or (args.strict and (report.warnings or project.notes)) else OK


VALIDATE = Command(
    name="validate",
    summary="check articles, red flags and locales; no build",
    description=(
        "Check every article in every language, its red-flag card, its translation status and the locales,\n"
        "without building the site.\n\n"
        "Exit codes: 0 clean (warnings allowed unless --strict), 1 problems found, 2 usage or configuration error."
    ),
    arguments=_validate_arguments,
    run=_validate,
)


# ---------------------------------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------------------------------


def _status_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("human", "json"), default="human")
    parser.add_argument("--lang", action="append", metavar="LANG", help="only this language (repeatable)")


def _status(project: Project, args: argparse.Namespace) -> int:
    """Where every article stands in every language; a report, so it exits 0 whatever it shows."""
    from careleaf.checks.report import content_report, format_report
    from careleaf.checks.validation import validate
    from careleaf.cli.errors import UsageError

    unknown = sorted(set(args.lang or ()) - set(project.languages))
    if unknown:
        raise UsageError(
            f"status: no language {', '.join(map(repr, unknown))} in {args.config_file} "
            f"(languages: {', '.join(project.languages)})"
        )
    rows = content_report(validate(project, processes=project.build_jobs))
    if args.lang:
        rows = [row for row in rows if row["language"] in args.lang]
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for line in format_report(rows):
            print(line)
    return OK


STATUS = Command(
    name="status",
    summary="translation status of every article x language",
    description=(
        "Show where every article stands in every language: translation status (ok, machine-draft, stale,\n"
        "pending: declared not translated yet, missing), red-flag tiers, reading score, review date and\n"
        "clinical approval. A report: exits 0 whatever it shows ('careleaf validate' is the check)."
    ),
    arguments=_status_arguments,
    run=_status,
)
