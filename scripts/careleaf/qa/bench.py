"""Build performance at hospital scale: a synthetic library, built by Careleaf and by vanilla
Material + mkdocs-static-i18n + search, on the same Markdown.

Everything here is measurement: no assertion about speed lives in the tests.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import queue
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup

from careleaf.model import project as project_settings
from careleaf.model.content import read_page
from careleaf.util.cache import FOLDER as CACHE_FOLDER
from careleaf.util.code import CARELEAF_CODE, without_handouts

# `careleaf validate` in a fresh process, from this checkout's code (as the kiosk build runs it).
VALIDATOR = [sys.executable, "-m", "careleaf", "validate"]
# Review dates in the synthetic library are years ahead of this day.
BENCH_TODAY = "2026-11-21"
LANGUAGE_POOL = ("en", "es", "zh", "vi", "ar", "fr", "de", "pt", "ru", "ko", "ja", "it", "pl", "tr", "uk")
WORDS = (
    "you",
    "your",
    "hand",
    "finger",
    "rest",
    "ice",
    "pain",
    "swelling",
    "provider",
    "splint",
    "call",
    "keep",
    "raise",
    "heart",
    "day",
    "week",
    "move",
    "gently",
    "bone",
    "heal",
    "care",
    "home",
    "help",
    "sign",
)


# ---------------------------------------------------------------------------
# The synthetic library
# ---------------------------------------------------------------------------


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 12))]
    return " ".join(words).capitalize() + "."


def _article(
    rng: random.Random, slug: str, slugs: list[str], categories: list[str], heading: str, translation: dict | None
) -> str:
    related = rng.sample([other for other in slugs if other != slug], k=min(3, len(slugs) - 1))
    front = {
        "title": f"Article {slug.split('-')[-1]}",
        "summary": _sentence(rng),
        "category": rng.choice(categories),
        "related": related,
        "reviewed": dt.date(2026, 11, 16),
        "review_due": dt.date(2030, 11, 16),
    }
    if translation:
        front["translation"] = translation
    body = [" ".join(_sentence(rng) for _ in range(3)), ""]
    for section in range(4):
        body += [f"## Section {section + 1}", "", " ".join(_sentence(rng) for _ in range(3)), ""]
        body += [f"- {_sentence(rng)}" for _ in range(3)] + [""]
    body += [f"## {heading} {{#red-flags}}", ""]
    for kind, count in (("emergency", 2), ("urgent", 3), ("contact", 2)):
        body += [f"!!! {kind}", ""] + [f"    - {_sentence(rng).lower().rstrip('.')}" for _ in range(count)] + [""]
    return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n\n" + "\n".join(body)


def generate(
    target: Path, articles: int, languages: int, seed: int = 7, config_file: Path = Path("mkdocs.yml")
) -> Path:
    """A copy of the project (`config_file`'s) whose docs/ holds `articles` x `languages` synthetic articles."""
    root = project_settings.load(config_file).root
    langs = list(LANGUAGE_POOL[:languages])
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(root / "overrides", target / "overrides", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(root / "locales", target / "locales")
    if (root / "node_modules").exists():
        (target / "node_modules").symlink_to(root / "node_modules")
    config = config_file.read_text(encoding="utf-8")
    (target / "mkdocs.yml").write_text(_with_languages(config, langs), encoding="utf-8")
    for lang in langs[5:]:
        shutil.copy(root / "locales" / "en.yml", target / "locales" / f"{lang}.yml")
        shutil.copy(root / "locales" / "glossary" / "en.yml", target / "locales" / "glossary" / f"{lang}.yml")
    slugs = [f"condition-{number:04d}" for number in range(articles)]
    categories = _add_categories(target, langs, count=max(2, articles // 20))
    for lang in langs:
        folder = target / "docs" / lang
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.md").write_text(_home(lang, langs[0], target), encoding="utf-8")
        for slug in slugs:
            translation = None
            if lang != langs[0]:
                source = read_page(target / "docs" / langs[0] / f"{slug}.md", langs[0])
                translation = {"status": "machine-draft", "source_revision": source.source_revision()}
            (folder / f"{slug}.md").write_text(
                _article(
                    random.Random(f"{seed}-{slug}"), slug, slugs, categories, "When to get medical help", translation
                ),
                encoding="utf-8",
            )
    return target


def _add_categories(target: Path, langs: list[str], count: int) -> list[str]:
    """A real library has one category per 10 to 30 articles; give the synthetic one as many."""
    keys = [f"topic-{number:02d}" for number in range(count)]
    for lang in langs:
        path = target / "locales" / f"{lang}.yml"
        catalogue = yaml.safe_load(path.read_text(encoding="utf-8"))
        catalogue["categories"].update({key: f"Topic {key[-2:]}" for key in keys})
        path.write_text(yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return keys


def _home(lang: str, default: str, target: Path) -> str:
    front: dict[str, Any] = {"title": "Care library", "summary": "Care instructions."}
    if lang != default:
        source = read_page(target / "docs" / default / "index.md", default)
        front["translation"] = {"status": "machine-draft", "source_revision": source.source_revision()}
    return "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n\nWelcome.\n"


def _with_languages(config: str, langs: list[str]) -> str:
    start = config.index("      languages:\n")
    end = config.index("  # The kiosk copy")
    entries = "".join(
        f"        - locale: {lang}\n          name: {lang}\n" + ("          default: true\n" if index == 0 else "")
        for index, lang in enumerate(langs)
    )
    return config[:start] + "      languages:\n" + entries + config[end:]


VANILLA = """site_name: Vanilla
docs_dir: docs
theme:
  name: material
  font: false
markdown_extensions: [admonition, attr_list, md_in_html, toc]
plugins:
  - search
  - i18n:
      docs_structure: folder
      languages:
{languages}
"""


def write_vanilla_config(library: Path) -> Path:
    langs = project_settings.load(library / "mkdocs.yml").languages
    entries = "".join(
        f"        - locale: {lang}\n          name: {lang}\n" + ("          default: true\n" if index == 0 else "")
        for index, lang in enumerate(langs)
    )
    path = library / "vanilla.yml"
    path.write_text(VANILLA.format(languages=entries.rstrip("\n")), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------

CHILD = """
import json, resource, sys, time
from mkdocs.__main__ import cli
started = time.perf_counter()
try:
    cli(sys.argv[1:], standalone_mode=False)
finally:
    usage = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"seconds": time.perf_counter() - started, "peak_kib": usage}), file=sys.stderr)
"""


# The build's own summary of its handouts (careleaf/outputs/handouts.py summary()).
HANDOUT_SUMMARY = re.compile(
    r"Handouts: (?P<pdfs>\d+) PDFs in (?P<seconds>[\d.]+) s: (?P<printed>\d+) printed .*"
    r"accessibility problems: (?P<problems>\d+); PDF/UA \(passed veraPDF\): (?P<conforming>\d+) of"
)


def timed_build(library: Path, config: Path, site: Path, env: dict | None = None, clean: bool = True) -> dict:
    """One build in a fresh process: wall time, peak memory of its largest process and, when it
    printed handouts, its own count of them."""
    if clean:
        shutil.rmtree(site, ignore_errors=True)
    command = [sys.executable, "-c", CHILD, "build", "--config-file", str(config), "--site-dir", str(site)]
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    started = time.perf_counter()
    result = subprocess.run(command, cwd=library, capture_output=True, text=True, env=environment)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"build failed ({config.name}):\n{result.stderr[-3000:]}")
    stats = json.loads(result.stderr.strip().splitlines()[-1])
    figures = {"seconds": wall, "peak_mib": stats["peak_kib"] / 1024}
    summary = HANDOUT_SUMMARY.search(result.stderr)
    if summary:
        figures.update(
            pdfs=int(summary["pdfs"]),
            printed=int(summary["printed"]),
            printing_s=float(summary["seconds"]),
            problems=int(summary["problems"]),
            conforming=int(summary["conforming"]),
        )
    return figures


def html_only_config(library: Path) -> Path:
    """The library's configuration with handouts switched off: the pages alone."""
    path = library / "html-only.yml"
    path.write_text(without_handouts((library / "mkdocs.yml").read_text(encoding="utf-8")), encoding="utf-8")
    return path


def handout_builds(library: Path, work: Path, progress=print) -> dict:
    """A cold build with every handout printed into an empty print cache, then the build after one
    English article's text is edited (its handouts, in every language, printed again; the rest reused)."""
    environment = {"CARELEAF_HANDOUT_CACHE": str(work / "print-cache")}
    shutil.rmtree(work / "print-cache", ignore_errors=True)
    progress("cold build with handouts (empty print cache)")
    cold = timed_build(library, library / "mkdocs.yml", work / "site-handouts", environment)
    article = sorted(
        (library / "docs" / project_settings.load(library / "mkdocs.yml").default_language).glob("condition-*.md")
    )[0]
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("\n\n## ", "\n\nEdited for the benchmark.\n\n## ", 1), encoding="utf-8")
    progress(f"build after editing {article.stem} (English)")
    edited = timed_build(library, library / "mkdocs.yml", work / "site-handouts", environment, clean=False)
    article.write_text(text, encoding="utf-8")
    return {"cold": cold, "edit": edited}


def timed_validation(library: Path, cache: bool) -> float:
    """`careleaf validate` on the library as an editor runs it: a fresh process, start to finish.
    Without `cache`, the results kept by earlier runs (.cache/careleaf) are removed first."""
    if not cache:
        shutil.rmtree(library / CACHE_FOLDER, ignore_errors=True)
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, (str(CARELEAF_CODE), os.environ.get("PYTHONPATH")))),
    }
    started = time.perf_counter()
    subprocess.run(
        [*VALIDATOR, "--today", BENCH_TODAY],
        cwd=library,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - started


def site_figures(site: Path, article: Path) -> dict:
    size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    html = article.read_bytes()
    soup = BeautifulSoup(html, "html.parser")
    first_view = len(gzip.compress(html, mtime=0))
    print_only = 0
    for tag, attr in (("link", "href"), ("script", "src")):
        for element in soup.find_all(tag):
            target = element.get(attr)
            if (
                not isinstance(target, str)
                or not target
                or (tag == "link" and "stylesheet" not in element.get_attribute_list("rel"))
            ):
                continue
            path = (article.parent / target.split("?")[0]).resolve()
            if not path.is_file():
                continue
            weight = len(gzip.compress(path.read_bytes(), mtime=0))
            # A media="print" stylesheet is fetched at idle priority and is not needed to show the page.
            if element.get("media") == "print":
                print_only += weight
            else:
                first_view += weight
    return {
        "output_mb": size / 1_000_000,
        "article_html_kb": len(html) / 1000,
        "article_html_kb_gz": len(gzip.compress(html, mtime=0)) / 1000,
        "first_view_kb_gz": first_view / 1000,
        "print_css_kb_gz": print_only / 1000,
    }


def run(
    articles: int,
    languages: int,
    runs: int,
    work: Path,
    progress=print,
    editing_language: str | None = None,
    config_file: Path = Path("mkdocs.yml"),
    handouts: bool = False,
) -> dict:
    library = generate(work / "library", articles, languages, config_file=config_file)
    vanilla = write_vanilla_config(library)
    pages = (articles + 1) * languages
    sample = f"condition-{articles // 2:04d}/index.html"
    results: dict[str, list[dict]] = {"careleaf": [], "vanilla": []}
    for number in range(1, runs + 1):
        for name, config in (("careleaf", html_only_config(library)), ("vanilla", vanilla)):
            progress(f"run {number}/{runs}: {name}, pages only ({pages} pages)")
            results[name].append(timed_build(library, config, work / f"site-{name}"))
    validator_nocache = [timed_validation(library, cache=False) for _ in range(runs)]
    validator_cached = [timed_validation(library, cache=True) for _ in range(runs)]  # after one earlier run
    figures = {}
    for name in results:
        seconds = statistics.median(r["seconds"] for r in results[name])
        figures[name] = {
            "seconds": seconds,
            "pages_per_s": pages / seconds,
            "peak_mib": statistics.median(r["peak_mib"] for r in results[name]),
            **site_figures(work / f"site-{name}", work / f"site-{name}" / sample),
        }
    careleaf_s, vanilla_s = figures["careleaf"]["seconds"], figures["vanilla"]["seconds"]
    printing = handout_builds(library, work, progress) if handouts else None
    loop = None
    if editing_language:
        progress(f"editing loop: mkdocs serve --dirtyreload, {editing_language} only")
        loop = round(statistics.median(editing_loop(library, editing_language, edits=runs)), 2)
    return {
        "articles": articles,
        "languages": languages,
        "runs": runs,
        "pages": pages,
        "careleaf_s": round(careleaf_s, 2),
        "vanilla_s": round(vanilla_s, 2),
        "ratio": round(careleaf_s / vanilla_s, 3),
        "validator_s": round(statistics.median(validator_cached), 3),
        "validator_nocache_s": round(statistics.median(validator_nocache), 3),
        "first_view_kb_gz": round(figures["careleaf"]["first_view_kb_gz"], 1),
        "editing_loop_s": loop,
        "handouts": handout_figures(printing, careleaf_s, vanilla_s) if printing else None,
        "careleaf": {key: round(value, 2) for key, value in figures["careleaf"].items()},
        "vanilla": {key: round(value, 2) for key, value in figures["vanilla"].items()},
    }


def handout_figures(printing: dict, html_s: float, vanilla_s: float) -> dict:
    cold, edit = printing["cold"], printing["edit"]
    return {
        "cold_s": round(cold["seconds"], 1),
        "cold_ratio_to_vanilla": round(cold["seconds"] / vanilla_s, 2),
        "pdfs": cold.get("pdfs", 0),
        "printed_cold": cold.get("printed", 0),
        # The build's own printing time: print and finish on every core, the PDF/UA check included.
        "pdfs_per_s": round(cold.get("printed", 0) / cold["printing_s"], 2) if cold.get("printing_s") else None,
        "printing_s": round(cold.get("printing_s", 0.0), 1),
        # What was printed fast must still be accessible: the build's own count, veraPDF's verdict included.
        "accessibility_problems": cold.get("problems", 0),
        "pdf_ua": cold.get("conforming", 0),
        "edit_s": round(edit["seconds"], 1),
        "printed_after_edit": edit.get("printed", 0),
        "peak_mib": round(max(cold["peak_mib"], edit["peak_mib"]), 1),
        "html_only_s": round(html_s, 2),
    }


# ---------------------------------------------------------------------------
# The editing loop
# ---------------------------------------------------------------------------


def editing_loop(library: Path, lang: str, edits: int = 3, timeout: float = 300) -> list[float]:
    """`CARELEAF_LANGUAGE=<lang> mkdocs serve --dirtyreload`: seconds from saving an edited article
    to the server telling browsers to reload, once per edit."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirtyreload", "--dev-addr", f"127.0.0.1:{port}"]
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CARELEAF_LANGUAGE": lang}
    server = subprocess.Popen(
        command, cwd=library, env=environment, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    errors = server.stderr
    assert errors is not None  # opened with stderr=PIPE

    def forward_errors() -> None:
        for line in errors:
            lines.put(line)

    threading.Thread(target=forward_errors, daemon=True).start()

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if text in lines.get(timeout=1):
                    return
            except queue.Empty:
                if server.poll() is not None:
                    break
        raise RuntimeError(f"mkdocs serve never said {text!r}")

    try:
        wait_for("Serving on")
        article = sorted((library / "docs" / lang).glob("condition-*.md"))[0]
        seconds = []
        for number in range(edits):
            time.sleep(1.5)  # let the watcher settle after the previous build
            started = time.perf_counter()
            text = article.read_text(encoding="utf-8")
            # The first paragraph (text after the red-flag section would break the card, and the build).
            article.write_text(text.replace("---\n\n", f"---\n\nEdited {number + 1}. ", 1), encoding="utf-8")
            wait_for("Reloading browsers")
            seconds.append(time.perf_counter() - started)
        return seconds
    finally:
        server.terminate()
        server.wait(timeout=30)
