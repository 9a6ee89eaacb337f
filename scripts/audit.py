#!/usr/bin/env python3
"""Audit the built site with tools Careleaf did not write: Lighthouse, pa11y/HTML_CodeSniffer, Nu.

    python scripts/audit.py [--runs 3] [--site DIR] [--json]

Builds the library with one article left untranslated (so an English fallback page exists), serves
it on loopback as a web server would (gzip, 404 page), and prints one row per page type and
language: Lighthouse's four scores (mobile, simulated throttling; the median of --runs runs),
LCP and TBT, HTML_CodeSniffer's WCAG 2 AA errors and the Nu Html Checker's errors. Exit 1 when a
row misses issue 17's figures (performance ≥ 95, LCP ≤ 2.5 s, TBT ≤ 150 ms, the others 100, 0 errors).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from careleaf import audits
from careleaf import project as project_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (the median is printed)")
    parser.add_argument("--site", type=Path, help="audit this built site instead of building one")
    parser.add_argument("--article", default="muscle-spasm")
    parser.add_argument("--untranslated", default="finger-dislocation")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    arguments = parser.parse_args(argv)
    if arguments.runs < 1:
        parser.error("--runs must be 1 or more")
    try:
        return run(arguments)
    except (audits.AuditToolMissing, project_settings.ProjectError, RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"audit.py: {error}".splitlines()[0], file=sys.stderr)
        return 2


def run(arguments: argparse.Namespace) -> int:
    project = project_settings.load(audits.ROOT / "mkdocs.yml")
    with tempfile.TemporaryDirectory() as work:
        site = arguments.site or audits.build_audit_site(Path(work), arguments.untranslated)
        pages = audits.audit_pages(project.languages, project.default_language, arguments.article, arguments.untranslated)
        files = sorted(site.rglob("*.html"))
        nu_by_file: dict[Path, list] = {}
        for message in audits.nu_messages(files):
            if message["type"] == "error":
                nu_by_file.setdefault(audits.checked_file(message), []).append(message)
        rows = audits.audit(site, pages, arguments.runs, nu_by_file, progress=None if arguments.json else print_progress)
    nu_errors = sum(map(len, nu_by_file.values()))
    if arguments.json:
        print(json.dumps({"pages": rows, "nu_errors_in_every_page": nu_errors, "pages_checked_by_nu": len(files)},
                         ensure_ascii=False, indent=1))
    else:
        print_table(rows)
        print(f"\nNu Html Checker over every page of the site: {nu_errors} error(s) in {len(files)} pages.")
    return 0 if nu_errors == 0 and all(row["meets_targets"] for row in rows) else 1


def print_progress(row: dict) -> None:
    print(json.dumps(row, ensure_ascii=False), file=sys.stderr, flush=True)


def print_table(rows: list[dict]) -> None:
    print("| page type | language | performance | accessibility | best practices | SEO | LCP | TBT | htmlcs errors | Nu errors | targets |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['page_type']} | {row['language']} | {row['performance']:.0f} | {row['accessibility']:.0f} | "
              f"{row['best-practices']:.0f} | {row['seo']:.0f} | {row['largest-contentful-paint'] / 1000:.2f} s | "
              f"{row['total-blocking-time']:.0f} ms | {row['htmlcs_errors']} | {row['nu_errors']} | "
              f"{'met' if row['meets_targets'] else 'MISSED'} |")


if __name__ == "__main__":
    sys.exit(main())
