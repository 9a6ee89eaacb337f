"""PDF handouts: every article in every language, printed by Chromium from the built site.

Three per article and language: the clear-print handout (`<slug>.pdf`, the article's print view,
as Ctrl+P prints it), the large-print handout (`<slug>.large-print.pdf`), and, for every language
but the default, the bilingual handout: the patient's language followed by the English original,
each complete with its own red-flag card, printed as one document so each half keeps its language
and its place in the PDF's structure.

The site build prints them (the careleaf plugin, careleaf/build/plugin.py), so a site built with `mkdocs build`
alone links to no PDF it lacks. A page is printed again only when it, or a file it loaded while
printing, changed (`PrintCache`); the finishing step (metadata, dates, links) is cheap and keyed
on the commit's date as well.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
import os
import re
import subprocess
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pypdf import PdfReader
from selectolax.lexbor import LexborHTMLParser

from careleaf.build.views import handout_paths
from careleaf.model.content import Library
from careleaf.model.languages import site_folder
from careleaf.outputs import accessible_pdf, pdf_tagging, verapdf
from careleaf.util.browser import CHROMIUM, chromium
from careleaf.util.cache import FOLDER
from careleaf.util.files import write_atomically
from careleaf.util.processes import map_in_processes

CLEAR, LARGE, BILINGUAL, PACKET = "clear", "large-print", "bilingual", "packet"
# The class the large-print rules of print.css hang on (the printer sets it; Ctrl+P never does).
LARGE_PRINT_CLASS = "careleaf-large-print"
CACHE_ENVIRONMENT = "CARELEAF_HANDOUT_CACHE"

# What one built page contributes to a document printed after another: its content, with every
# address made absolute (the finishing step turns the site's file addresses into public ones).
_PART_SCRIPT = """() => {
  const content = document.querySelector('.md-content').cloneNode(true);
  for (const element of content.querySelectorAll('[src]')) element.setAttribute('src', element.src);
  for (const link of content.querySelectorAll('a[href]')) link.setAttribute('href', link.href);
  return {lang: document.documentElement.lang, dir: document.body.dir || 'ltr', html: content.outerHTML};
}"""
_APPEND_PART_SCRIPT = """(part) => {
  const section = document.createElement('section');  // Chromium tags a section, not a div, with its language
  section.className = 'careleaf-part';
  section.lang = part.lang;
  section.dir = part.dir;
  section.innerHTML = part.html;
  document.querySelector('.md-main__inner').append(section);
}"""

_TICK_SCRIPT = """(slugs) => {
  const boxes = slugs.map(slug => document.querySelector(`input[name="article"][data-slug="${slug}"]`));
  if (boxes.includes(null)) throw new Error(`no tick box for ${slugs[boxes.indexOf(null)]}`);
  for (const box of boxes) box.checked = true;
  boxes[0].form.dispatchEvent(new Event('change'));
}"""


@dataclass(frozen=True)
class Job:
    slug: str
    lang: str
    kind: str
    sources: tuple[Path, ...]  # built HTML pages, printed one after another as one document
    target: Path
    title: str
    ticked: tuple[str, ...] = ()  # a packet's articles, ticked on its first page (the cover lists them)
    large_print: bool = False

    @property
    def label(self) -> str:
        return f"{self.lang}/{self.slug}" + ("" if self.kind == CLEAR else f" ({self.kind})")


@dataclass
class Result:
    job: Job
    pages: int
    seconds: float
    printed: bool  # False: an unchanged page, taken from the cache
    problems: list[str] = field(default_factory=list)


@dataclass
class Run:
    results: list[Result] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    seconds: float = 0.0


def page_file(site_dir: Path, slug: str, lang: str, default_lang: str, directory_urls: bool = True) -> Path:
    """A built article page: <slug>/index.html, or <slug>.html without directory URLs (the kiosk's)."""
    prefix = site_dir / site_folder(lang, default_lang)
    return prefix / slug / "index.html" if directory_urls else prefix / f"{slug}.html"


ALL_KINDS = (CLEAR, LARGE, BILINGUAL)


def plan(
    library: Library, site_dir: Path, kinds: tuple[str, ...] = ALL_KINDS, directory_urls: bool = True
) -> list[Job]:
    """Every handout of every article (of the kinds asked for), in a stable order: by article, language, then kind."""
    project = library.project
    default = project.default_language
    jobs = []
    for slug in library.slugs:
        english = page_file(site_dir, slug, default, default, directory_urls)
        for lang in project.languages:
            page = library.best(slug, lang)
            assert page is not None  # Library.slugs are the default language's articles: the English page is there
            paths = handout_paths(slug, lang, default, translated=page.lang == lang)
            source = page_file(site_dir, slug, lang, default, directory_urls)
            title = f"{page.title} – {project.hospital['name']}"
            jobs.append(Job(slug, lang, CLEAR, (source,), site_dir / str(paths["pdf"]), title))
            jobs.append(
                Job(slug, lang, LARGE, (source,), site_dir / str(paths["large_print"]), title, large_print=True)
            )
            if paths["bilingual"]:
                jobs.append(Job(slug, lang, BILINGUAL, (source, english), site_dir / str(paths["bilingual"]), title))
    return [job for job in jobs if job.kind in kinds]


@dataclass
class Task:
    """One handout's work in a printing process: print it (raw None) or finish the cache's print."""

    number: int
    job: Job
    finishing: accessible_pdf.Finishing  # the headings come from the print when it is printed here
    raw: str | None


@dataclass
class Made:
    """What a printing process made of a task: the print (digest), the finished PDF (digest), its problems."""

    number: int
    raw: str
    headings: list[str]
    loaded: list[str]
    finished: str
    problems: list[str]
    seconds: float
    outside_requests: list[str]


def build(
    library: Library,
    site_dir: Path,
    epoch: int | None = None,
    progress: Callable[[str], None] = print,
    cache_dir: Path | None = None,
    kinds: tuple[str, ...] = ALL_KINDS,
    page_size: str | None = None,
    directory_urls: bool = True,
    browser=None,
    processes: int = 1,
    shard: tuple[int, int] | None = None,
) -> Run:
    """Print (or take from the cache) and finish every handout; a request to anything but the
    site's own files is blocked and recorded. Printing and finishing run in up to `processes`
    processes, each with its own Chromium (started when its first page must be printed); `browser`:
    a running Playwright browser to print with, here. `shard` (K, N): only every Nth job from the
    Kth, printed into the cache for a later build to assemble (`careleaf handouts --shard K/N`)."""
    project = library.project
    jobs = plan(library, site_dir, kinds, directory_urls)
    if shard is not None:
        jobs = jobs[shard[0] - 1 :: shard[1]]
    page_size = page_size or project.page_size
    missing = sorted({source for job in jobs for source in job.sources if not source.is_file()})
    if missing:
        raise FileNotFoundError(f"{len(missing)} built page(s) missing, e.g. {missing[0]}: build the site first")
    cache = PrintCache(cache_dir or default_cache_dir(project.root), settings=_print_settings(page_size))
    run = Run()
    started = time.perf_counter()
    results: dict[int, Result] = {}
    tasks: list[Task] = []
    for number, job in enumerate(jobs, start=1):
        began = time.perf_counter()
        entry = cache.printed(job, site_dir)
        finishing = accessible_pdf.Finishing(
            title=job.title,
            lang=job.lang,
            epoch=epoch,
            site_dir=Path(entry["printed_from"]) if entry else site_dir.resolve(),
            site_url=project.site_url,
            headings=tuple(entry["headings"]) if entry else (),
        )
        problems = cache.copy_finished(job, entry, finishing) if entry else None
        if problems is None:
            tasks.append(Task(number, job, finishing, entry["raw"] if entry else None))
        else:
            results[number] = Result(job, _pages(job.target), time.perf_counter() - began, False, problems)
    workers = 1 if browser is not None else max(1, min(processes, len(tasks)))
    share = functools.partial(_make_share, site_dir, page_size, cache.folder, f"/{len(jobs)}", progress, browser)
    made = {one.number: one for chunk in map_in_processes(share, tasks, workers) for one in chunk}
    for task in tasks:
        one = made[task.number]
        finishing = dataclasses.replace(task.finishing, headings=tuple(one.headings))
        if task.raw is None:
            cache.store_print(task.job, site_dir, one.raw, one.headings, one.loaded)
        cache.store_finished(task.job, one.raw, finishing, one.finished, one.problems)
        run.outside_requests.extend(one.outside_requests)
        printed = task.raw is None
        results[task.number] = Result(task.job, _pages(task.job.target), one.seconds, printed, list(one.problems))
    run.results = [results[number] for number in sorted(results)]
    cache.judge(run.results)
    cache.save()
    run.seconds = time.perf_counter() - started
    return run


def _pages(pdf: Path) -> int:
    return len(PdfReader(pdf).pages)


def _make_share(
    site_dir: Path, page_size: str, cache_folder: Path, of_total: str, progress, browser, tasks: list[Task]
) -> list[Made]:
    """A printing process's share of the tasks: each printed (or taken from the cache), finished in
    place at its target, and both PDFs kept in the cache's blobs (the parent writes its index)."""
    made = []
    blobs = Blobs(cache_folder)
    run = Run()
    with Printer(site_dir, page_size, run, browser) as printer:
        for task in tasks:
            began = time.perf_counter()
            job = task.job
            headings, loaded = list(task.finishing.headings), list[str]()
            if task.raw is None:
                progress(f"{task.number}{of_total} printing {job.label}")
                raw_pdf, headings, loaded = printer.print(job)
                raw = blobs.keep(raw_pdf)
            else:
                raw = task.raw
                raw_pdf = blobs.read(raw)
            job.target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(job.target, raw_pdf)
            problems = accessible_pdf.finish(job.target, dataclasses.replace(task.finishing, headings=tuple(headings)))
            finished = blobs.keep(job.target.read_bytes())
            requests, run.outside_requests = run.outside_requests, []
            made.append(
                Made(task.number, raw, headings, loaded, finished, problems, time.perf_counter() - began, requests)
            )
    return made


class Printer:
    """Chromium, started only when a handout has to be printed (a build with nothing changed never starts it)."""

    def __init__(self, site_dir: Path, page_size: str, run: Run, browser=None):
        self.site_dir = site_dir.resolve()
        self.page_size = page_size
        self.run = run
        self._browser = browser
        self._browser_context = None
        self._pages_made = None
        self._loaded: set[Path] = set()

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *exc) -> None:
        if self._pages_made is not None:
            self._pages_made[0].context.close()
        if self._browser_context is not None:
            self._browser_context.__exit__(*exc)

    def _pages(self):
        if self._pages_made is None:
            if self._browser is None:
                self._browser_context = chromium()
                self._browser = self._browser_context.__enter__()
            context = self._browser.new_context()
            context.route("**/*", self._local_only)
            self._pages_made = (context.new_page(), context.new_page())
            for page in self._pages_made:
                page.emulate_media(media="print")
        return self._pages_made

    def print(
        self, job: Job, on_part: Callable[[int, Path], None] = lambda number, source: None
    ) -> tuple[bytes, list[str], list[str]]:
        """The raw PDF, the headings in document order, and the site files the document loaded."""
        page, part_page = self._pages()
        self._loaded = set()
        page.goto(job.sources[0].as_uri(), wait_until="load")
        if job.ticked:  # as staff tick them (the form is not shown on paper: set, then announce the change)
            page.evaluate(_TICK_SCRIPT, list(job.ticked))
        for number, source in enumerate(job.sources[1:], start=1):
            on_part(number, source)
            part_page.goto(source.as_uri(), wait_until="load")
            page.evaluate(_APPEND_PART_SCRIPT, part_page.evaluate(_PART_SCRIPT))
        if job.large_print:
            page.evaluate(f"document.documentElement.classList.add('{LARGE_PRINT_CLASS}')")
        # Images added with a part load after the page's own load event.
        page.wait_for_load_state("load")
        page.evaluate("Promise.all([...document.images].map(image => image.decode().catch(() => null)))")
        headings = page.evaluate(accessible_pdf.HEADINGS_SCRIPT)
        raw = page.pdf(format=self.page_size, print_background=True, tagged=True, outline=True)
        return raw, headings, sorted(str(path.relative_to(self.site_dir)) for path in self._loaded)

    def _local_only(self, route) -> None:
        url = route.request.url
        if url.startswith("file://"):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if self.site_dir in path.parents and path.is_file():
                self._loaded.add(path)
            route.continue_()
        else:
            self.run.outside_requests.append(url)
            route.abort()


# ---------------------------------------------------------------------------
# The print cache
# ---------------------------------------------------------------------------


# What never reaches paper: the site chrome print.css hides (header, search, navigation, footer) and
# the head's links for other programs (other languages, previous and next page, icons). A page's
# print key leaves them out, so a navigation or search change reprints nothing.
NOT_PRINTED = (
    ".md-header",
    ".md-tabs",
    ".md-sidebar",
    ".md-search",
    ".md-footer",
    ".md-top",
    ".md-skip",
    ".md-dialog",
    ".md-content__button",
    ".md-source-file",
    *(
        f"head > link[rel~='{kind}' i]:not([rel~='stylesheet' i])"
        for kind in ("alternate", "canonical", "prev", "next", "icon")
    ),
)
# Inside what is left out, what could still change a print: a script runs, a style applies wherever it is.
STILL_APPLIED = "script, style, link[rel~='stylesheet' i]"


def printed_part(html: bytes) -> bytes:
    """A built page without what never prints (NOT_PRINTED), its scripts and styles kept: what its print key is made of."""
    tree = LexborHTMLParser(html)
    kept = []
    for selector in NOT_PRINTED:
        for node in tree.css(selector):
            kept += [applied.html or "" for applied in node.css(STILL_APPLIED)]
            node.decompose()
    return "\n".join([tree.html or "", *kept]).encode("utf-8")


def default_cache_dir(root: Path) -> Path:
    return Path(os.environ[CACHE_ENVIRONMENT]) if os.environ.get(CACHE_ENVIRONMENT) else root / FOLDER / "handouts"


def _print_settings(page_size: str) -> str:
    """What else decides a printed page: paper, the browser binary, and the code that prints and finishes."""
    browser = CHROMIUM.stat() if CHROMIUM.exists() else None
    code = hashlib.sha256(
        b"".join(Path(path).read_bytes() for path in (accessible_pdf.__file__, pdf_tagging.__file__))
        + Path(__file__).read_bytes()
    ).hexdigest()
    return json.dumps([page_size, browser and [browser.st_size, browser.st_mtime_ns], code])


# Finished variants kept per printed page: builds that differ only in what finishing reads (a dated
# release, an undated preview, a test build's pinned date) then all find theirs.
FINISHED_VARIANTS = 4
# A cache file nobody has used for this long is dropped (builds may share the folder).
UNUSED_SECONDS = 30 * 86400


class Blobs:
    """PDFs kept by their SHA-256: written whole or not at all, so processes and machines can share them."""

    def __init__(self, cache_folder: Path):
        self.folder = cache_folder / "blobs"

    def path(self, digest: str) -> Path:
        return self.folder / f"{digest}.pdf"

    def keep(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        if not self.path(digest).is_file():
            write_atomically(self.path(digest), data)
        return digest

    def read(self, digest: str) -> bytes:
        """The PDF with this digest; OSError if it is missing or damaged (then removed: printed again)."""
        data = self.path(digest).read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:  # cut short by a copy between machines, say
            self.path(digest).unlink(missing_ok=True)
            raise OSError(f"{self.path(digest)}: damaged")
        _touch(self.path(digest))
        return data

    def intact(self, digest: str) -> bool:
        try:
            self.read(digest)
            return True
        except OSError:
            return False


def _touch(path: Path) -> bool:
    """Mark a cache file as in use (kept by PrintCache.save); False: it is gone."""
    try:
        os.utime(path)
        return True
    except OSError:
        return False


class PrintCache:
    """Printed PDFs, found again by what the pages print and by the bytes of every file they loaded.

    One entry file per print key (settings, kind, what the source pages print: entries/<key>.json)
    holds the site files the document loaded with their digests, the raw PDF's digest and its
    headings, and the finished PDFs made from it, under a key that adds what finishing reads (title,
    language, date, public address). Caches printed in shares on several machines (`--shard`) merge
    by copying their folders into one.
    """

    def __init__(self, folder: Path, settings: str):
        self.folder = folder
        self.settings = settings
        self.blobs = Blobs(folder)
        self._digests: dict[Path, str | None] = {}
        self._entries: dict[str, dict | None] = {}
        self._changed: set[str] = set()
        self._unjudged: dict[Path, dict] = {}  # a finished handout's cache record, until veraPDF has judged it

    def _digest(self, path: Path) -> str | None:
        """A file's digest; a page's is the digest of what it prints (printed_part)."""
        if path not in self._digests:
            try:
                data = path.read_bytes()
            except OSError:
                self._digests[path] = None
            else:
                printed = printed_part(data) if path.suffix == ".html" else data
                self._digests[path] = hashlib.sha256(printed).hexdigest()
        return self._digests[path]

    def _key(self, *parts: str) -> str:
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()

    def _print_key(self, job: Job) -> str:
        return self._key(self.settings, job.kind, *(self._digest(source) or "" for source in job.sources))

    def _entry_file(self, key: str) -> Path:
        return self.folder / "entries" / f"{key}.json"

    def _entry(self, job: Job) -> dict | None:
        key = self._print_key(job)
        if key not in self._entries:
            try:
                self._entries[key] = json.loads(self._entry_file(key).read_text(encoding="utf-8"))
                _touch(self._entry_file(key))
            except (OSError, ValueError):
                self._entries[key] = None
        return self._entries[key]

    def printed(self, job: Job, site_dir: Path) -> dict | None:
        """The cache's print of the job, if every file it loaded is unchanged and its PDF is still there."""
        entry = self._entry(job)
        if not entry or not self.blobs.intact(entry["raw"]):
            return None
        if any(self._digest(site_dir / name) != digest for name, digest in entry["loaded"].items()):
            return None
        return entry

    def store_print(self, job: Job, site_dir: Path, raw: str, headings: list[str], loaded: list[str]) -> None:
        key = self._print_key(job)
        self._entries[key] = {
            "raw": raw,
            "headings": headings,
            "printed_from": str(site_dir.resolve()),
            "loaded": {name: self._digest(site_dir / name) for name in loaded},
            "finished": {},
        }
        self._changed.add(key)

    def _finished_key(self, raw: str, finishing: accessible_pdf.Finishing) -> str:
        return self._key(
            raw, verapdf.identity(), json.dumps([finishing.title, finishing.lang, finishing.epoch, finishing.site_url])
        )

    def copy_finished(self, job: Job, entry: dict, finishing: accessible_pdf.Finishing) -> list[str] | None:
        """Write the cache's finished PDF to the job's target; its problems (as judged). None: not finished yet."""
        known = entry["finished"].get(self._finished_key(entry["raw"], finishing))
        if not known:
            return None
        try:
            data = self.blobs.read(known["pdf"])
        except OSError:
            return None
        job.target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(job.target, data)
        self._unjudged[job.target] = known
        return list(known["problems"])

    def store_finished(
        self, job: Job, raw: str, finishing: accessible_pdf.Finishing, finished: str, problems: list[str]
    ) -> None:
        key = self._print_key(job)
        entry = self._entries[key]
        assert entry is not None and entry["raw"] == raw  # printed() or store_print() put it there
        variants = entry["finished"]
        variants[self._finished_key(raw, finishing)] = record = {"pdf": finished, "problems": problems}
        while len(variants) > FINISHED_VARIANTS:
            del variants[next(iter(variants))]  # the oldest finishing of this print
        self._unjudged[job.target] = record
        self._changed.add(key)

    def judge(self, results: list[Result]) -> None:
        """veraPDF's verdict on every handout finished but not yet judged (one run for all): a file it
        fails claims no PDF/UA, and its failures join the file's problems, here and in the cache."""
        pending = [
            result
            for result in results
            if result.job.target in self._unjudged and not self._unjudged[result.job.target].get("judged")
        ]
        if results and not verapdf.available():
            # Even a file judged before: with no veraPDF here to stand behind it, none claims PDF/UA.
            pending = list(results)
        verdicts = accessible_pdf.judge([result.job.target for result in pending])
        for result in pending:
            failed = verdicts[result.job.target]
            result.problems = [*result.problems, *failed]
            if any(problem.startswith(accessible_pdf.NOT_JUDGED) for problem in failed):
                continue  # the cache keeps the unjudged file, for a validator that runs next time
            stored = self._unjudged[result.job.target]
            if failed:
                stored["pdf"] = self.blobs.keep(result.job.target.read_bytes())
                stored["problems"] = [*stored["problems"], *failed]
            stored["judged"] = True
            self._changed.add(self._print_key(result.job))

    def save(self) -> None:
        """Write the entries that changed; drop cache files nobody has used for a month."""
        try:
            for key in sorted(self._changed):
                entry = self._entries.get(key)
                if entry is not None:
                    write_atomically(self._entry_file(key), json.dumps(entry, ensure_ascii=False).encode("utf-8"))
            self._changed.clear()
            unused, abandoned = time.time() - UNUSED_SECONDS, time.time() - 86400
            for folder in (self.folder / "blobs", self.folder / "entries"):
                for old in folder.glob("*"):
                    # A file unused for a month; half a file a process killed while writing left a day ago.
                    if old.stat().st_mtime < (abandoned if old.name.endswith(".part") else unused):
                        old.unlink(missing_ok=True)
            (self.folder / "index.json").unlink(missing_ok=True)  # the one-file index of Careleaf before 0.2
        except OSError:
            pass  # a read-only cache folder: the next build prints again


def summary(run: Run, languages: tuple[str, ...]) -> list[str]:
    """A table of page counts per article and language (clear / large print / bilingual), and the totals."""
    counts: dict[str, dict[str, dict[str, int]]] = {}
    for result in run.results:
        counts.setdefault(result.job.slug, {}).setdefault(result.job.lang, {})[result.job.kind] = result.pages
    width = max([len("article")] + [len(slug) for slug in counts])
    lines = [f"{'article':<{width}}  " + "  ".join(f"{lang:>8}" for lang in languages)]
    for slug, by_lang in counts.items():
        cells = [
            "/".join(str(by_lang.get(lang, {}).get(kind, "-")) for kind in (CLEAR, LARGE, BILINGUAL))
            for lang in languages
        ]
        lines.append(f"{slug:<{width}}  " + "  ".join(f"{cell:>8}" for cell in cells))
    printed = [result for result in run.results if result.printed]
    problems = sum(len(result.problems) for result in run.results)
    # A handout claims PDF/UA-1 exactly when it has no problem left: veraPDF's failures are problems too.
    conforming = sum(1 for result in run.results if not result.problems)
    lines.append("")
    lines.append("pages: clear print/large print/bilingual")
    lines.append(
        f"{len(run.results)} PDFs in {run.seconds:.1f} s: {len(printed)} printed "
        f"({(sum(r.seconds for r in printed) / max(len(printed), 1)):.2f} s each), "
        f"{len(run.results) - len(printed)} unchanged; accessibility problems: {problems}; "
        f"PDF/UA (passed veraPDF): {conforming} of {len(run.results)}; requests blocked: {len(run.outside_requests)}"
    )
    return lines


# ---------------------------------------------------------------------------
# Reading handouts back (to prove what a patient was given)
# ---------------------------------------------------------------------------

_BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad"), None
)


def pdf_text(pdf: Path) -> str:
    """The text of a PDF in reading order, by Poppler's pdftotext (it applies the bidi algorithm)."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


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


def body_size(pdf: Path) -> float:
    """The size most of the PDF's characters are printed at: its body text."""
    return text_sizes(pdf).most_common(1)[0][0]


def comparable(text: str) -> str:
    """Text reduced to what survives printing, so HTML and PDF text can be compared.

    Compatibility forms (Arabic presentation forms), bidi controls and line breaks are dropped.
    Letters, their order and their marks must match: Arabic ligatures and vowel marks extract in
    reading order (pdf_tagging gives right-to-left words one /ActualText).
    """
    text = unicodedata.normalize("NFKC", text).translate(_BIDI_CONTROLS)
    return re.sub(r"\s+", "", text)
