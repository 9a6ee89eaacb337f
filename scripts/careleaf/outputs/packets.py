"""Discharge packets: several handouts for one patient in one PDF, after a cover page.

The cover is the site's own "Print several handouts" page (print-handouts.html) in the patient's
language, with the chosen articles ticked: on paper it lists them, with lines for the patient's
name and the date written by hand. Nothing about the patient is typed, printed or stored. Each
article follows as its clear-print (or large-print) handout, and with `with_english` its English
original after it, all printed by Chromium as one tagged document, the way staff print the same
page from a browser.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from careleaf.build.views import PACKET_PAGE
from careleaf.model.content import Library
from careleaf.model.languages import site_folder
from careleaf.model.locales import load_all
from careleaf.outputs import accessible_pdf, handouts
from careleaf.outputs.kiosk import BUILD_RECORD, build_epoch, content_digest


class PacketError(ValueError):
    """A packet that cannot be made as asked (unknown article or language, site not built)."""


@dataclass
class Packet:
    target: Path
    pages: int
    seconds: float
    # (first page, language, title) of each part, cover first.
    parts: list[tuple[int, str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)


def plan(
    library: Library,
    site_dir: Path,
    lang: str,
    slugs: list[str],
    target: Path,
    with_english: bool = False,
    large_print: bool = False,
    directory_urls: bool = True,
) -> handouts.Job:
    project = library.project
    default = project.default_language
    if lang not in project.languages:
        raise PacketError(f"no language '{lang}' in this library (languages: {', '.join(project.languages)})")
    unknown = [slug for slug in slugs if slug not in library.slugs]
    if not slugs or unknown:
        raise PacketError(
            f"unknown article(s): {', '.join(unknown) or '(none given)'} (articles: {', '.join(library.slugs)})"
        )
    # In the library's order (category, then title), as the web page lists and prints them.
    order = [page.slug for pages in library.by_category(lang).values() for page in pages]
    slugs = sorted(dict.fromkeys(slugs), key=order.index)
    cover = site_dir / site_folder(lang, default) / Path(PACKET_PAGE).stem / "index.html"
    sources = [cover]
    for slug in slugs:
        sources.append(handouts.page_file(site_dir, slug, lang, default, directory_urls))
        # A page not yet translated is the English page already: not printed twice.
        if with_english and lang != default and library.get(slug, lang) is not None:
            sources.append(handouts.page_file(site_dir, slug, default, default, directory_urls))
    missing = [source for source in sources if not source.is_file()]
    if missing:
        raise PacketError(f"{missing[0]} is missing: build the site first (bash scripts/setup.sh)")
    _check_built_from_this_content(project, site_dir)
    cover_title = load_all(project)[lang].text("packet.cover_title")
    return handouts.Job(
        slug=",".join(slugs),
        lang=lang,
        kind=handouts.PACKET,
        sources=tuple(sources),
        target=target,
        title=f"{cover_title} – {project.hospital['name']}",
        ticked=tuple(slugs),
        large_print=large_print,
    )


def _check_built_from_this_content(project, site_dir: Path) -> None:
    """A packet is printed from a site built from the content as it is now: never an older site."""
    try:
        built_from = json.loads((site_dir / BUILD_RECORD).read_text(encoding="utf-8")).get("content")
    except (OSError, ValueError, AttributeError):
        built_from = None
    if built_from != content_digest(project.root):
        raise PacketError(
            f"{site_dir} was built from other content than docs/, locales/ and mkdocs.yml hold now "
            "(or by an older Careleaf): build it again (mkdocs build) and print the packet from that"
        )


def build(
    library: Library, job: handouts.Job, site_dir: Path, progress: Callable[[str], None] = print, browser=None
) -> Packet:
    """Print the packet, finish it like every handout (title, language, outline, dates), and read
    back where each part starts."""
    project = library.project
    started = time.perf_counter()
    run = handouts.Run()
    parts = len(job.sources) - 1
    with handouts.Printer(site_dir, project.page_size, run, browser) as printer:
        raw, headings, _ = printer.print(
            job,
            on_part=lambda number, source: progress(
                f"{number}/{parts} {language_of(source, site_dir, library)}/{source.parent.name}"
            ),
        )
    job.target.parent.mkdir(parents=True, exist_ok=True)
    job.target.write_bytes(raw)
    finishing = accessible_pdf.Finishing(
        title=job.title,
        lang=job.lang,
        epoch=build_epoch(project.root),
        site_dir=site_dir,
        site_url=project.site_url,
        headings=tuple(headings),
    )
    problems = accessible_pdf.finish(job.target, finishing)
    problems += accessible_pdf.judge([job.target])[job.target]
    packet = Packet(
        job.target, 0, time.perf_counter() - started, problems=problems, outside_requests=run.outside_requests
    )
    with pikepdf.open(job.target) as pdf:
        packet.pages = len(pdf.pages)
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        with pdf.open_outline() as outline:
            for item in outline.root:  # one top-level heading per part: the cover's, then each title
                # An explicit destination, [page /XYZ left top zoom], as the browser writes them.
                page = item.destination[0] if isinstance(item.destination, pikepdf.Array) else None
                packet.parts.append((pages.get(page.objgen, 0) if page is not None else 0, "", item.title))
    languages = [language_of(source, site_dir, library) for source in job.sources]
    packet.parts = [(first, lang, title) for (first, _, title), lang in zip(packet.parts, languages, strict=False)]
    return packet


def language_of(source: Path, site_dir: Path, library: Library) -> str:
    """The language a part is written in: an article not yet translated is printed in English."""
    folders = source.relative_to(site_dir).parts
    lang = folders[0] if folders[0] in library.project.languages else library.project.default_language
    slug = source.parent.name
    if slug in library.slugs and library.get(slug, lang) is None:
        return library.project.default_language
    return lang


def summary(packet: Packet) -> list[str]:
    """The parts with the page each starts on, and the totals."""
    lines = [f"{'page':>4}  {'lang':<4}  title"]
    lines += [f"{first:>4}  {lang:<4}  {title}" for first, lang, title in packet.parts]
    lines.append("")
    lines.append(
        f"{packet.target}: {packet.pages} pages in {packet.seconds:.1f} s; "
        f"accessibility problems: {len(packet.problems)}; requests blocked: {len(packet.outside_requests)}"
    )
    return lines
