#!/usr/bin/env python3
"""One PDF for a patient: a cover page in their language, then each handout.

    python scripts/build_packet.py --lang es muscle-spasm broken-finger-closed [--with-english] [--large-print] -o packet.pdf

Reads the built site (default: site/, as scripts/setup.sh builds it). The cover lists the articles
in the patient's language with lines to write the patient's name and the date by hand: nothing
about the patient is typed or stored. --with-english adds the English original after each handout;
--large-print prints at 18 pt. Only a library the publishing build (`mkdocs build --strict`) accepts
is printed. Exit codes: 0 done, 1 refused by the publishing build's checks, a page tried to reach the
network or the PDF failed its accessibility checks, 2 usage, configuration, site or browser error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from careleaf import gate, packets
from careleaf import project as project_settings
from careleaf.browser import BrowserMissing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print several handouts for one patient into one PDF.")
    parser.add_argument("slugs", nargs="+", metavar="ARTICLE", help="article slugs (printed in the library's order, as the web page lists them)")
    parser.add_argument("--lang", required=True, help="the patient's language (e.g. es)")
    parser.add_argument("--with-english", action="store_true", help="add the English original after each handout")
    parser.add_argument("--large-print", action="store_true", help="large print (18 pt)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the PDF to write")
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    try:
        project = project_settings.load(args.config)
        # What a patient takes home passes the same checks as what the site publishes.
        library = gate.require_publishable(project, processes=project.build_jobs).library
        site = args.site.resolve()
        job = packets.plan(library, site, args.lang, args.slugs, args.output.resolve(),
                           with_english=args.with_english, large_print=args.large_print)
        packet = packets.build(library, job, site, progress=lambda line: print(line, flush=True))
    except gate.Refused as error:
        print(f"build_packet.py: {error}", file=sys.stderr)
        return 1
    except (project_settings.ProjectError, packets.PacketError, BrowserMissing) as error:
        print(f"build_packet.py: {error}", file=sys.stderr)
        return 2
    print()
    for line in packets.summary(packet):
        print(line)
    for problem in packet.problems:
        print(f"build_packet.py: {packet.target}: {problem}", file=sys.stderr)
    if packet.outside_requests:
        print(f"build_packet.py: blocked requests off the site: {packet.outside_requests[:5]}", file=sys.stderr)
    return 1 if packet.problems or packet.outside_requests else 0


if __name__ == "__main__":
    sys.exit(main())
