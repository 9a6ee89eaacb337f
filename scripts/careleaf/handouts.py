"""PDF handouts: every article in every language, printed by Chromium from the built site.

Single-language handouts are the article's print view. A bilingual handout is the patient's
language followed by the English original, each complete with its own red-flag card, so a
clinician who reads only English can see what the patient was given. Every handout is then
finished for assistive technology and reproducibility (careleaf/accessible_pdf.py).
"""

from __future__ import annotations

import math
import re
import subprocess
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pypdf import PdfReader, PdfWriter

from careleaf import accessible_pdf
from careleaf.accessible_pdf import Finishing
from careleaf.browser import chromium
from careleaf.content import Library
from careleaf.views import handout_paths


@dataclass(frozen=True)
class Job:
    slug: str
    lang: str
    bilingual: bool
    source: Path  # the built HTML page
    target: Path  # the PDF to write


@dataclass
class Result:
    job: Job
    pages: int
    seconds: float
    problems: list[str] = field(default_factory=list)  # accessible_pdf.problems() after finishing


@dataclass
class Run:
    results: list[Result] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    seconds: float = 0.0


def page_file(site_dir: Path, slug: str, lang: str, default_lang: str) -> Path:
    prefix = site_dir if lang == default_lang else site_dir / lang
    return prefix / slug / "index.html"


def plan(library: Library, site_dir: Path) -> list[Job]:
    """Single-language handouts first (bilingual ones reuse them), in a stable order."""
    project = library.project
    singles, bilinguals = [], []
    for slug in library.slugs:
        for lang in project.languages:
            paths = handout_paths(slug, lang, project.default_language)
            source = page_file(site_dir, slug, lang, project.default_language)
            singles.append(Job(slug, lang, False, source, site_dir / str(paths["pdf"])))
            if paths["bilingual"]:
                bilinguals.append(Job(slug, lang, True, source, site_dir / str(paths["bilingual"])))
    return singles + bilinguals


def build(
    library: Library,
    site_dir: Path,
    progress: Callable[[str], None] = print,
) -> Run:
    """Render every job; a request to anything but the site's own files is blocked and recorded."""
    project = library.project
    jobs = plan(library, site_dir)
    missing = [job.source for job in jobs if not job.source.is_file()]
    if missing:
        raise FileNotFoundError(f"{len(missing)} built page(s) missing, e.g. {missing[0]}: build the site first")
    run = Run()
    epoch = _build_epoch(project.root)
    headings: dict[tuple[str, str], tuple[str, ...]] = {}
    started = time.perf_counter()
    with chromium() as browser:
        context = browser.new_context()
        context.route("**/*", lambda route: _local_only(route, run))
        page = context.new_page()
        page.emulate_media(media="print")
        for number, job in enumerate(jobs, start=1):
            progress(f"{number}/{len(jobs)} {job.lang}/{job.slug}{' (bilingual)' if job.bilingual else ''}")
            began = time.perf_counter()
            job.target.parent.mkdir(parents=True, exist_ok=True)
            if job.bilingual:
                english = site_dir / str(handout_paths(job.slug, project.default_language, project.default_language)["pdf"])
                own = job.target.with_name(f"{job.slug}.pdf")
                pages = _concatenate([own, english], job.target)
                shown = headings[(job.slug, job.lang)] + headings[(job.slug, project.default_language)]
            else:
                shown = headings[(job.slug, job.lang)] = print_page(page, job.source, job.target, project.page_size)
                pages = len(PdfReader(job.target).pages)
            title = f"{library.get(job.slug, job.lang).title} – {project.hospital['name']}"
            problems = accessible_pdf.finish(job.target, Finishing(title, job.lang, epoch, site_dir, project.site_url, shown))
            run.results.append(Result(job, pages, time.perf_counter() - began, problems))
        context.close()
    run.seconds = time.perf_counter() - started
    return run


def print_page(page, source: Path, target: Path, page_size: str) -> tuple[str, ...]:
    """Print one built page (print media emulated) to a tagged PDF with an outline; its headings."""
    page.goto(source.as_uri(), wait_until="load")
    headings = tuple(page.evaluate(accessible_pdf.HEADINGS_SCRIPT))
    page.pdf(path=str(target), format=page_size, print_background=True, tagged=True, outline=True)
    return headings


def _build_epoch(root: Path) -> int | None:
    """The commit's time (or SOURCE_DATE_EPOCH) to date handouts by; None (no dates) outside git."""
    from careleaf.kiosk import commit_epoch  # kiosk imports this module: import when called

    try:
        return commit_epoch(root)
    except (RuntimeError, OSError):
        return None


def _local_only(route, run: Run) -> None:
    url = route.request.url
    if url.startswith("file://"):
        route.continue_()
    else:
        run.outside_requests.append(url)
        route.abort()


def _concatenate(parts: list[Path], target: Path) -> int:
    writer = PdfWriter()
    for part in parts:
        writer.append(str(part))
    with target.open("wb") as handle:
        writer.write(handle)
    return len(writer.pages)


def summary(run: Run, languages: tuple[str, ...]) -> list[str]:
    """A table of page counts per article and language (single / bilingual), and the totals."""
    counts: dict[str, dict[str, list[int]]] = {}
    for result in run.results:
        cell = counts.setdefault(result.job.slug, {}).setdefault(result.job.lang, [0, 0])
        cell[1 if result.job.bilingual else 0] = result.pages
    width = max([len("article")] + [len(slug) for slug in counts])
    lines = [f"{'article':<{width}}  " + "  ".join(f"{lang:>6}" for lang in languages)]
    for slug, by_lang in counts.items():
        cells = []
        for lang in languages:
            single, bilingual = by_lang.get(lang, [0, 0])
            cells.append(f"{single}/{bilingual}" if bilingual else f"{single}")
        lines.append(f"{slug:<{width}}  " + "  ".join(f"{cell:>6}" for cell in cells))
    singles = [r for r in run.results if not r.job.bilingual]
    lines.append("")
    lines.append("pages: single-language/bilingual")
    lines.append(
        f"{len(run.results)} PDFs in {run.seconds:.1f} s "
        f"({(sum(r.seconds for r in singles) / max(len(singles), 1)):.2f} s per single-language PDF); "
        f"requests blocked: {len(run.outside_requests)}"
    )
    bilinguals = [r for r in run.results if r.job.bilingual]
    lines.append(
        f"accessibility problems: {sum(len(r.problems) for r in singles)} in single-language PDFs, "
        f"{sum(len(r.problems) for r in bilinguals)} in bilingual PDFs"
    )
    return lines


def failing_singles(run: Run) -> list[Result]:
    """Single-language handouts that still have accessibility problems (the build fails on them)."""
    return [result for result in run.results if not result.job.bilingual and result.problems]


# ---------------------------------------------------------------------------
# Reading handouts back (to prove what a patient was given)
# ---------------------------------------------------------------------------

_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad"), None)


def pdf_text(pdf: Path) -> str:
    """The text of a PDF in reading order, by Poppler's pdftotext (it applies the bidi algorithm)."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def text_sizes(pdf: Path) -> Counter:
    """How many printed characters the PDF sets at each size, in points (to the half point)."""
    counts: Counter = Counter()

    def visit(text, cm, tm, font_dict, font_size):
        # The size on paper: the font size scaled by the text matrix and the page's transform.
        size = font_size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
        printed = sum(1 for character in text if not character.isspace())
        if printed:
            counts[round(size * 2) / 2] += printed

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return counts


def comparable(text: str) -> str:
    """Text reduced to what survives printing, so HTML and PDF text can be compared.

    Compatibility forms (Arabic presentation forms), bidi controls, line breaks and Arabic
    vowel marks are dropped, and lam-alef and lam-alef maksura ligatures (Noto Sans Arabic draws
    على with one), which extract in either order, are sorted. A missing glyph or a reordered run
    of text still shows as a difference.
    """
    text = unicodedata.normalize("NFKC", text).translate(_BIDI_CONTROLS)
    text = re.sub(r"[\u064B-\u0652]", "", text)
    text = re.sub(r"[\u0644\u0627\u0623\u0625\u0622\u0649]{2,}", lambda match: "".join(sorted(match.group())), text)
    return re.sub(r"\s+", "", text)
