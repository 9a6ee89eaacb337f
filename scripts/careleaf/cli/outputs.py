"""What readers take away: `careleaf handouts`, `careleaf packet` and `careleaf kiosk`.

Each passes the publishing gate first: only a library `mkdocs build --strict` accepts is printed or
put on a kiosk (gate.Refused, exit 1, before anything is made).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from careleaf.cli.base import Command
from careleaf.cli.errors import FINDINGS, OK, USAGE, say

if TYPE_CHECKING:
    from careleaf.model.project import Project


def _progress(line: str) -> None:
    print(line, flush=True)


# ---------------------------------------------------------------------------------------------------
# handouts
# ---------------------------------------------------------------------------------------------------


def _share(text: str) -> tuple[int, int]:
    from careleaf.model.config import parse_share

    try:
        return parse_share(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _handouts_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")
    parser.add_argument(
        "--shard",
        type=_share,
        metavar="K/N",
        help="build the site aside and print only the Kth of N shares of its handouts into the print cache",
    )


def _handouts(project: Project, args: argparse.Namespace) -> int:
    """Every handout of a built site printed again (unchanged pages come from the print cache)."""
    from careleaf.checks import gate
    from careleaf.outputs import handouts
    from careleaf.outputs.kiosk import build_epoch

    if args.shard is not None:
        return _print_share(project, args.config_file.resolve(), args.shard)
    library = gate.require_publishable(project, processes=project.build_jobs).library
    run = handouts.build(
        library,
        args.site.resolve(),
        epoch=build_epoch(project.root),
        progress=_progress,
        processes=project.build_jobs,
    )
    print()
    for line in handouts.summary(run, project.languages):
        print(line)
    for result in run.results:
        for problem in result.problems:
            say(f"{result.job.target}: {problem}")
    if run.outside_requests:
        say(f"blocked requests off the site: {run.outside_requests[:5]}")
    return FINDINGS if run.outside_requests or any(result.problems for result in run.results) else OK


def _print_share(project: Project, config_file: Path, shard: tuple[int, int]) -> int:
    """`mkdocs build --strict` into a folder it then deletes, printing one share into the print cache;
    its progress shown as it comes. The build refuses a library the publishing build would (exit 1)."""
    import os
    import subprocess
    import tempfile

    from careleaf.build.plugin import SHARE_SITE_ENVIRONMENT
    from careleaf.model import project as project_settings
    from careleaf.outputs.kiosk import build_problems
    from careleaf.util.code import SHARD_ENVIRONMENT, strict_build

    share = f"{shard[0]}/{shard[1]}"
    os.environ[SHARD_ENVIRONMENT] = share
    try:
        sharded = project_settings.load(config_file).handout_shard
    finally:
        del os.environ[SHARD_ENVIRONMENT]
    if sharded != shard:
        say(
            f'{config_file}: the careleaf plugin\'s handouts need `shard: !ENV [{SHARD_ENVIRONMENT}, ""]` '
            "for --shard (see the README)"
        )
        return USAGE
    with tempfile.TemporaryDirectory(prefix="careleaf-shard-") as work:
        site = Path(work) / "site"
        command, environment = strict_build(
            config_file, site, **{SHARD_ENVIRONMENT: share, SHARE_SITE_ENVIRONMENT: str(site.resolve())}
        )
        output = []
        with subprocess.Popen(
            command, cwd=project.root, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as build:
            assert build.stdout is not None
            for line in build.stdout:
                output.append(line)
                if " printing " in line or "Handouts: " in line or "Printed share" in line:
                    print(line.removeprefix("INFO    -  ").rstrip(), flush=True)
        if build.returncode != 0:
            say(f"the build of share {share} failed (mkdocs build --strict):\n{build_problems(''.join(output))}")
            return FINDINGS
    return OK


HANDOUTS = Command(
    name="handouts",
    summary="print a built site's PDF handouts again",
    description=(
        "Print every article in every language of a built site to PDF handouts (mkdocs build does it too):\n"
        "SITE/handouts/<lang>/<slug>.pdf (clear print), <slug>.large-print.pdf and, for every language but\n"
        "English, <slug>.bilingual.pdf. Pages unchanged since they were last printed come from the print\n"
        "cache (.cache/careleaf/handouts/). Paper size: the careleaf plugin's handouts.page_size. Only a library the\n"
        "publishing build (mkdocs build --strict) accepts is printed. Printing uses the careleaf plugin's\n"
        "build.jobs processes (default: one per CPU core).\n\n"
        "--shard K/N builds the site in a folder it then deletes and prints only every Nth handout from the\n"
        "Kth into the print cache (N machines print a large library at once; copy their caches into one\n"
        "and `mkdocs build` only assembles). Set CARELEAF_HANDOUT_CACHE to choose the cache's folder.\n\n"
        "Exit codes: 0 done, 1 refused by the publishing build's checks, a page tried to reach the network or\n"
        "a PDF failed its accessibility checks, 2 usage, configuration or browser error."
    ),
    arguments=_handouts_arguments,
    run=_handouts,
)


# ---------------------------------------------------------------------------------------------------
# packet
# ---------------------------------------------------------------------------------------------------


def _packet_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "slugs",
        nargs="+",
        metavar="ARTICLE",
        help="article slugs (printed in the library's order, as the web page lists them)",
    )
    parser.add_argument("--lang", required=True, help="the patient's language (e.g. es)")
    parser.add_argument("--with-english", action="store_true", help="add the English original after each handout")
    parser.add_argument("--large-print", action="store_true", help="large print (18 pt)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the PDF to write")
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")


def _packet(project: Project, args: argparse.Namespace) -> int:
    """One PDF for one patient: a cover in their language, then each handout."""
    from careleaf.checks import gate
    from careleaf.outputs import packets

    # What a patient takes home passes the same checks as what the site publishes.
    library = gate.require_publishable(project, processes=project.build_jobs).library
    site = args.site.resolve()
    job = packets.plan(
        library,
        site,
        args.lang,
        args.slugs,
        args.output.resolve(),
        with_english=args.with_english,
        large_print=args.large_print,
    )
    packet = packets.build(library, job, site, progress=_progress)
    print()
    for line in packets.summary(packet):
        print(line)
    for problem in packet.problems:
        say(f"{packet.target}: {problem}")
    if packet.outside_requests:
        say(f"blocked requests off the site: {packet.outside_requests[:5]}")
    return FINDINGS if packet.problems or packet.outside_requests else OK


PACKET = Command(
    name="packet",
    summary="print several handouts for one patient in one PDF",
    description=(
        "One PDF for a patient: a cover page in their language, then each handout.\n\n"
        "  careleaf packet --lang es muscle-spasm broken-finger-closed [--with-english] [--large-print] -o packet.pdf\n\n"
        "Reads the built site (default: site/). The cover lists the articles in the patient's language with\n"
        "lines to write the patient's name and the date by hand: nothing about the patient is typed or\n"
        "stored. --with-english adds the English original after each handout; --large-print prints at 18 pt.\n"
        "Only a library the publishing build (mkdocs build --strict) accepts is printed.\n\n"
        "Exit codes: 0 done, 1 refused by the publishing build's checks, a page tried to reach the network or\n"
        "the PDF failed its accessibility checks, 2 usage, configuration, site or browser error."
    ),
    arguments=_packet_arguments,
    run=_packet,
)


# ---------------------------------------------------------------------------------------------------
# kiosk
# ---------------------------------------------------------------------------------------------------


def _kiosk_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dist", type=Path, default=Path("dist"), help="where the zip goes (default: dist)")
    parser.add_argument(
        "--idle-seconds",
        type=int,
        help="return to the start page after this much idle time (default: the careleaf plugin's kiosk.idle_seconds)",
    )
    parser.add_argument(
        "--print",
        dest="print_enabled",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="offer printing and PDF handouts on the kiosk (default: the careleaf plugin's kiosk.print)",
    )


def _kiosk(project: Project, args: argparse.Namespace) -> int:
    """The offline kiosk copy: a zip of the whole site that works from disk, and its SHA-256."""
    from careleaf.outputs import kiosk

    started = time.perf_counter()
    bundle = kiosk.build_bundle(
        project,
        args.dist.resolve(),
        args.idle_seconds,
        args.print_enabled,
        progress=_progress,
        config_file=args.config_file.resolve(),
    )
    size = bundle.zip_path.stat().st_size
    print(
        f"{bundle.zip_path} ({bundle.files} files, {size / 1_048_576:.1f} MiB) in {time.perf_counter() - started:.1f} s"
    )
    print(f"sha256 {bundle.sha256}")
    return OK


KIOSK = Command(
    name="kiosk",
    summary="build the offline kiosk zip and its SHA-256",
    description=(
        "Build the offline kiosk copy: dist/careleaf-kiosk-<version>.zip and its SHA-256. The zip holds the\n"
        "whole site in every language, works opened from disk (file://) with no network at all, and is\n"
        "byte-identical for the same commit. Unzip it and open index.html. Only a library the publishing\n"
        "build (mkdocs build --strict) accepts is put on a kiosk.\n\n"
        "Exit codes: 0 done, 1 refused (the content fails the publishing build's checks), 2 configuration\n"
        "or build error."
    ),
    arguments=_kiosk_arguments,
    run=_kiosk,
)
