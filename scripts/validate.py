#!/usr/bin/env python3
"""Validate every article in every language without building the site.

    python scripts/validate.py [DOCS_DIR] [--config mkdocs.yml] [--format human|json] [--strict]

Exit codes: 0 clean (warnings allowed unless --strict), 1 problems found, 2 usage or
configuration error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from careleaf import project as project_settings
from careleaf.validation import content_report, format_human, format_report, validate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check Careleaf articles, red-flag cards and locales.")
    parser.add_argument("docs_dir", nargs="?", type=Path, help="the docs folder (default: docs_dir in mkdocs.yml)")
    parser.add_argument("--config", type=Path, help="mkdocs.yml (default: beside DOCS_DIR, else ./mkdocs.yml)")
    parser.add_argument("--format", choices=("human", "json"), default="human")
    parser.add_argument("--strict", action="store_true", help="warnings fail too")
    parser.add_argument("--report", action="store_true", help="print a table of every article x language first")
    parser.add_argument("--today", type=_date, help="check review dates as of YYYY-MM-DD (default: today)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return 0 if exit_.code == 0 else 2
    config = args.config or _find_config(args.docs_dir)
    if args.docs_dir is not None and not args.docs_dir.is_dir():
        print(f"validate.py: {args.docs_dir}: no such folder", file=sys.stderr)
        return 2
    try:
        project = project_settings.load(config, args.docs_dir.resolve() if args.docs_dir else None)
    except project_settings.ProjectError as error:
        print(f"validate.py: {error}", file=sys.stderr)
        return 2
    # Settings to move (still under extra:): warnings, as in the build.
    for note in project.notes:
        print(f"validate.py: warning: mkdocs.yml: {note}", file=sys.stderr)
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
    failed = report.errors or (args.strict and (report.warnings or project.notes))
    return 1 if failed else 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from error


def _find_config(docs_dir: Path | None) -> Path:
    if docs_dir is not None and (docs_dir.resolve().parent / "mkdocs.yml").is_file():
        return docs_dir.resolve().parent / "mkdocs.yml"
    return Path("mkdocs.yml")


if __name__ == "__main__":
    sys.exit(main())
