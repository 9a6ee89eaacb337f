"""Measuring the site: `careleaf audit` (independent tools) and `careleaf bench` (speed and weight)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from careleaf.cli.base import Command
from careleaf.cli.errors import FINDINGS, OK, UsageError

if TYPE_CHECKING:
    from careleaf.model.project import Project


# ---------------------------------------------------------------------------------------------------
# audit
# ---------------------------------------------------------------------------------------------------


def _audit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (the median is printed)")
    parser.add_argument("--site", type=Path, help="audit this built site instead of building one")
    parser.add_argument("--article", default="muscle-spasm", help="the article audited (default: muscle-spasm)")
    parser.add_argument(
        "--untranslated",
        default="finger-dislocation",
        help="the article left untranslated, for the English fallback page (default: finger-dislocation)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _audit(project: Project, args: argparse.Namespace) -> int:
    """One row per page type and language; 1 when a row misses issue 17's figures."""
    from careleaf.qa import audits

    if args.runs < 1:
        raise UsageError("audit: --runs must be 1 or more")
    with tempfile.TemporaryDirectory() as work:
        site = args.site or audits.build_audit_site(Path(work), args.untranslated, args.config_file.resolve())
        pages = audits.audit_pages(project.languages, project.default_language, args.article, args.untranslated)
        files = sorted(site.rglob("*.html"))
        nu_by_file: dict[Path, list] = {}
        for message in audits.nu_messages(files):
            if message["type"] == "error":
                nu_by_file.setdefault(audits.checked_file(message), []).append(message)
        rows = audits.audit(site, pages, args.runs, nu_by_file, progress=None if args.json else _audit_progress)
    nu_errors = sum(map(len, nu_by_file.values()))
    if args.json:
        print(
            json.dumps(
                {"pages": rows, "nu_errors_in_every_page": nu_errors, "pages_checked_by_nu": len(files)},
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        _audit_table(rows)
        print(f"\nNu Html Checker over every page of the site: {nu_errors} error(s) in {len(files)} pages.")
    return OK if nu_errors == 0 and all(row["meets_targets"] for row in rows) else FINDINGS


def _audit_progress(row: dict) -> None:
    print(json.dumps(row, ensure_ascii=False), file=sys.stderr, flush=True)


def _audit_table(rows: list[dict]) -> None:
    print(
        "| page type | language | performance | accessibility | best practices | SEO | LCP | TBT | htmlcs errors | Nu errors | targets |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['page_type']} | {row['language']} | {row['performance']:.0f} | {row['accessibility']:.0f} | "
            f"{row['best-practices']:.0f} | {row['seo']:.0f} | {row['largest-contentful-paint'] / 1000:.2f} s | "
            f"{row['total-blocking-time']:.0f} ms | {row['htmlcs_errors']} | {row['nu_errors']} | "
            f"{'met' if row['meets_targets'] else 'MISSED'} |"
        )


AUDIT = Command(
    name="audit",
    summary="audit the site: Lighthouse, pa11y, Nu Html Checker",
    description=(
        "Audit the built site with tools Careleaf did not write: Lighthouse, pa11y/HTML_CodeSniffer, Nu.\n\n"
        "Builds the library with one article left untranslated (so an English fallback page exists), serves\n"
        "it on loopback as a web server would (gzip, 404 page), and prints one row per page type and\n"
        "language: Lighthouse's four scores (mobile, simulated throttling; the median of --runs runs), LCP\n"
        "and TBT, HTML_CodeSniffer's WCAG 2 AA errors and the Nu Html Checker's errors.\n\n"
        "Exit codes: 0 every row meets issue 17's figures (performance >= 95, LCP <= 2.5 s, TBT <= 150 ms,\n"
        "the others 100, 0 errors), 1 a row misses them, 2 usage, configuration or tool error."
    ),
    arguments=_audit_arguments,
    run=_audit,
)


# ---------------------------------------------------------------------------------------------------
# bench
# ---------------------------------------------------------------------------------------------------


def _bench_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--languages", type=int, default=5, metavar="N", help="1 to 15 (default: 5)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--editing-loop", metavar="LANG", help="also time `mkdocs serve --dirtyreload` for LANG: save to reload"
    )
    parser.add_argument(
        "--handouts",
        action="store_true",
        help="also time a cold build printing every handout, and the build after editing one article",
    )


def _bench(project: Project, args: argparse.Namespace) -> int:
    """Medians over the runs, Careleaf against vanilla Material + static-i18n, on a generated library."""
    from careleaf.qa import bench

    if args.articles < 1 or args.runs < 1:
        raise UsageError("bench: --articles and --runs must be 1 or more")
    if not 1 <= args.languages <= len(bench.LANGUAGE_POOL):
        raise UsageError(f"bench: --languages must be 1 to {len(bench.LANGUAGE_POOL)}")
    with tempfile.TemporaryDirectory(prefix="careleaf-bench-") as work:
        progress = (
            (lambda line: print(line, file=sys.stderr, flush=True))
            if args.json
            else (lambda line: print(line, flush=True))
        )
        figures = bench.run(
            args.articles,
            args.languages,
            args.runs,
            Path(work),
            progress=progress,
            editing_language=args.editing_loop,
            config_file=args.config_file,
            handouts=args.handouts,
        )
    if args.json:
        print(json.dumps(figures))
        return OK
    print()
    print(
        f"{figures['articles']} articles x {figures['languages']} languages = {figures['pages']} pages, "
        f"median of {figures['runs']} runs"
    )
    rows = [("", "careleaf", "vanilla")]
    for key, label in (
        ("seconds", "wall time (s)"),
        ("pages_per_s", "pages/s"),
        ("peak_mib", "peak memory (MiB)"),
        ("output_mb", "output (MB)"),
        ("article_html_kb", "article HTML (KB)"),
        ("article_html_kb_gz", "article HTML gz (KB)"),
        ("first_view_kb_gz", "first view gz (KB)"),
        ("print_css_kb_gz", "+ print CSS gz (KB)"),
    ):
        rows.append((label, f"{figures['careleaf'][key]:.2f}", f"{figures['vanilla'][key]:.2f}"))
    for row in rows:
        print(f"{row[0]:<22}{row[1]:>12}{row[2]:>12}")
    print(f"ratio careleaf/vanilla: {figures['ratio']:.3f}")
    print(
        f"validator, after one earlier run: {figures['validator_s']:.3f} s "
        f"({figures['validator_s'] / figures['careleaf_s']:.3f} of a build)"
    )
    print(
        f"validator, no cache: {figures['validator_nocache_s']:.3f} s "
        f"({figures['validator_nocache_s'] / figures['careleaf_s']:.3f} of a build)"
    )
    if figures["editing_loop_s"] is not None:
        print(f"editing loop ({args.editing_loop} only, save to reload): {figures['editing_loop_s']:.2f} s")
    printing = figures["handouts"]
    if printing:
        print(
            f"with handouts, cold (empty print cache): {printing['cold_s']:.1f} s, "
            f"{printing['printed_cold']} of {printing['pdfs']} PDFs printed in {printing['printing_s']:.1f} s "
            f"({printing['pdfs_per_s']} PDFs/s); {printing['cold_ratio_to_vanilla']} x vanilla"
        )
        print(
            f"handouts passing veraPDF (claiming PDF/UA-1): {printing['pdf_ua']} of {printing['pdfs']}; "
            f"accessibility problems: {printing['accessibility_problems']}"
        )
        print(
            f"after editing one English article: {printing['edit_s']:.1f} s, "
            f"{printing['printed_after_edit']} PDFs printed again"
        )
        print(f"peak memory with handouts (largest process): {printing['peak_mib']:.0f} MiB")
    return OK


BENCH = Command(
    name="bench",
    summary="time the build against vanilla Material + i18n",
    description=(
        "Benchmark Careleaf's build against vanilla Material + mkdocs-static-i18n + search, on a synthetic\n"
        "library made from the project's configuration (-f).\n\n"
        "Prints medians over the runs: wall time, pages/s, peak memory, output size, an article's HTML (raw\n"
        "and gzipped), an article's first-view weight (HTML + CSS + JS, gzipped; the print-only stylesheet\n"
        "apart), and 'careleaf validate' in a fresh process, with and without the results an earlier run\n"
        "kept (.cache/careleaf); with --editing-loop, the time from saving an article to the reload in\n"
        "'mkdocs serve' for one language; with --handouts, a cold build printing every handout into an\n"
        "empty print cache (PDFs per second, peak memory) and the build after editing one English article.\n"
        "The Careleaf build timed against vanilla is the pages alone (handouts.build: false)."
    ),
    arguments=_bench_arguments,
    run=_bench,
)
