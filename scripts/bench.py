#!/usr/bin/env python3
"""Benchmark Careleaf's build against vanilla Material + mkdocs-static-i18n + search.

    python scripts/bench.py [--articles 200] [--languages 5] [--runs 3] [--json] [--editing-loop es]

Prints medians over the runs: wall time, pages/s, peak memory, output size, an article's
HTML (raw and gzipped), an article's first-view weight (HTML + CSS + JS, gzipped; the print-only
stylesheet apart), and `scripts/validate.py` in a fresh process, with and without the results an
earlier run kept (.cache/careleaf); with --editing-loop, the
time from saving an article to the reload in `mkdocs serve` for one language.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from careleaf import bench


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--languages", type=int, default=5, choices=range(1, len(bench.LANGUAGE_POOL) + 1), metavar="1-15")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--editing-loop", metavar="LANG", help="also time `mkdocs serve --dirtyreload` for LANG: save to reload")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="careleaf-bench-") as work:
        progress = (lambda line: print(line, file=sys.stderr, flush=True)) if args.json else (lambda line: print(line, flush=True))
        figures = bench.run(args.articles, args.languages, args.runs, Path(work), progress=progress,
                            editing_language=args.editing_loop)
    if args.json:
        print(json.dumps(figures))
        return 0
    print()
    print(f"{figures['articles']} articles x {figures['languages']} languages = {figures['pages']} pages, median of {figures['runs']} runs")
    rows = [("", "careleaf", "vanilla")]
    for key, label in (("seconds", "wall time (s)"), ("pages_per_s", "pages/s"), ("peak_mib", "peak memory (MiB)"),
                       ("output_mb", "output (MB)"), ("article_html_kb", "article HTML (KB)"),
                       ("article_html_kb_gz", "article HTML gz (KB)"), ("first_view_kb_gz", "first view gz (KB)"),
                       ("print_css_kb_gz", "+ print CSS gz (KB)")):
        rows.append((label, f"{figures['careleaf'][key]:.2f}", f"{figures['vanilla'][key]:.2f}"))
    for row in rows:
        print(f"{row[0]:<22}{row[1]:>12}{row[2]:>12}")
    print(f"ratio careleaf/vanilla: {figures['ratio']:.3f}")
    print(f"validator, after one earlier run: {figures['validator_s']:.3f} s "
          f"({figures['validator_s'] / figures['careleaf_s']:.3f} of a build)")
    print(f"validator, no cache: {figures['validator_nocache_s']:.3f} s "
          f"({figures['validator_nocache_s'] / figures['careleaf_s']:.3f} of a build)")
    if figures["editing_loop_s"] is not None:
        print(f"editing loop ({args.editing_loop} only, save to reload): {figures['editing_loop_s']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
