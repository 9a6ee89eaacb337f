"""Shared fixtures: small content trees to break on purpose, and real builds of the site."""

from __future__ import annotations

import ast
import fcntl
import inspect
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from careleaf.util.git import git

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = [sys.executable, "-m", "mkdocs"]
# `careleaf` in a fresh process, from this checkout's code (an installed console script may point at another).
CARELEAF = [sys.executable, "-m", "careleaf"]
# Builds of copies of the project share its print cache: a page unchanged since setup.sh built
# the site is not printed again (the cache is keyed on the page, what it loads and the code).
os.environ.setdefault("CARELEAF_HANDOUT_CACHE", str(ROOT / ".cache" / "careleaf" / "handouts"))
# One date for every test build (copies of the project are not git checkouts): the checked-out
# commit's, which setup.sh's build dated the handouts with, so a test build of an unchanged page
# takes the finished PDF from the print cache as it is (a fixed date outside a git checkout).
TEST_EPOCH = (git(ROOT, "log", "-1", "--format=%ct") or "").strip() or "1795000000"
os.environ.setdefault("SOURCE_DATE_EPOCH", TEST_EPOCH)

# Markers by what a test reaches, through its fixtures and the functions it calls (module and conftest):
# `bash scripts/test.sh --fast` leaves out the slow kinds; CI runs them all.
MARKED_BY_NAME = {
    "build": frozenset(
        {
            "mkdocs_build",
            "MKDOCS",
            "build_audit_site",
            "build_bundle",
            "built_site",
            "fallback_site",
            "editing_loop",
            "careleaf kiosk",
            "careleaf handouts",
            "careleaf packet",
            "careleaf bench",
        }
    ),
    "browser": frozenset({"browser", "chromium", "page"}),
    "audit": frozenset({"lighthouse_and_pa11y", "nu_messages", "link_check", "careleaf audit"}),
    # pip resolving the lock against the package index
    "network": frozenset({"start_pip_dry_run"}),
}


def _reached_names(function, namespaces: list[dict], seen: set[int]) -> set[str]:
    """Every global and attribute name `function` uses, following the functions it names in `namespaces`."""
    function = inspect.unwrap(function)
    code = getattr(function, "__code__", None)
    if code is None or id(code) in seen:
        return set()
    seen.add(id(code))
    names: set[str] = set()
    codes = [code]
    while codes:
        current = codes.pop()
        names.update(current.co_names)
        codes.extend(const for const in current.co_consts if inspect.iscode(const))
    names |= _careleaf_commands(function)
    for name in list(names):
        for namespace in namespaces:
            if callable(namespace.get(name)) and not inspect.isclass(namespace[name]):
                names |= _reached_names(namespace[name], namespaces, seen)
    return names


def _careleaf_commands(function) -> set[str]:
    """ "careleaf kiosk" for a call `careleaf([..., "kiosk", ...])` or `run_careleaf([...])` in `function`."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return set()
    return {
        f"careleaf {element.value}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("careleaf", "run_careleaf")
        and node.args
        and isinstance(node.args[0], ast.List)
        for element in node.args[0].elts
        if isinstance(element, ast.Constant) and isinstance(element.value, str)
    }


# The files that take longest, longest first: pytest-xdist (--dist loadfile --no-loadscope-reorder, as
# scripts/test.sh runs it) hands files to the two workers in this order, so neither is left with a long
# file at the end. A file missing here only costs time; measured with --durations on a fresh clone.
LONGEST_FILES = (
    "test_handouts.py",
    "test_audits.py",
    "test_infobutton.py",
    "test_accessibility.py",
    "test_kiosk.py",
    "test_csp.py",
    "test_platform.py",
    "test_fuzz.py",
    "test_packets.py",
    "test_atomic_publish.py",
    "test_parallel.py",
    "test_logo.py",
    "test_bench.py",
    "test_pdf_ua.py",
    "test_links.py",
    "test_reflow.py",
    "test_language_switch.py",
    "test_new_script.py",
    "test_accessible_pdf.py",
)


def _file_rank(item) -> int:
    name = Path(str(item.fspath)).name
    return LONGEST_FILES.index(name) if name in LONGEST_FILES else len(LONGEST_FILES)


def pytest_collection_modifyitems(config, items) -> None:
    items.sort(key=_file_rank)  # stable: each file's tests keep their order
    namespaces_by_module: dict[str, list[dict]] = {}
    for item in items:
        module = getattr(item, "module", None)
        if module is None:
            continue
        namespaces = namespaces_by_module.setdefault(module.__name__, [vars(module), globals()])
        seen: set[int] = set()
        names = set(item.fixturenames) | _reached_names(item.function, namespaces, seen)
        for fixture in item.fixturenames:
            for namespace in namespaces:
                if fixture in namespace:
                    names |= _reached_names(namespace[fixture], namespaces, seen)
        for marker, triggers in MARKED_BY_NAME.items():
            if names & triggers:
                item.add_marker(marker)


SMALL_CONFIG = """\
site_name: Test library
docs_dir: docs
theme:
  name: material
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - def_list
plugins:
  - i18n:
      docs_structure: folder
      languages:
        - locale: en
          name: English
          default: true
        - locale: es
          name: Español
  - careleaf:
      hospital:
        name: Test Hospital
        logo: assets/logo.svg
        region: US
        emergency_number: "911"
        nurse_line: "1-800-555-0100"
"""
# Where a test adds a careleaf setting to SMALL_CONFIG: edit(config, CARELEAF_SETTINGS, CARELEAF_SETTINGS + "      kiosk: ...\n").
CARELEAF_SETTINGS = "  - careleaf:\n"

RED_FLAGS = {
    "en": (
        "When to get medical help",
        ["you cannot move your finger", "your finger is cold or blue"],
        ["the pain gets worse"],
    ),
    "es": ("Cuándo buscar ayuda médica", ["no puede mover el dedo", "el dedo está frío o azul"], ["el dolor empeora"]),
}


def article(
    lang: str, title: str, related: list[str] | None = None, red_flags: str | None = None, revision: dict | None = None
) -> str:
    """A valid article in `lang`; pass red_flags to replace its red-flag section."""
    heading, emergency, urgent = RED_FLAGS[lang]
    if red_flags is None:
        red_flags = (
            f"## {heading} {{#red-flags}}\n\n!!! emergency\n\n"
            + "".join(f"    - {item}\n" for item in emergency)
            + "\n!!! urgent\n\n"
            + "".join(f"    - {item}\n" for item in urgent)
        )
    translation = _translation_block(lang, revision)
    return (
        f"---\ntitle: {title}\nsummary: A short summary of {title}.\ncategory: bones-and-joints\n"
        f"related: [{', '.join(related or [])}]\n"
        f"reviewed: 2026-01-10\nreview_due: 2027-06-30\n{translation}---\n\n"
        f"Intro text in {lang}.\n\n## Home care\n\nRest your hand.\n\n{red_flags}\n## Follow-up\n\nSee your provider.\n"
    )


def _translation_block(lang: str, revision: dict | None) -> str:
    if lang == "en":
        return ""
    revision = revision or {"red_flags": "abc", "text": "def"}
    return (
        f"translation:\n  status: machine-draft\n  source_revision:\n"
        f"    red_flags: {revision['red_flags']}\n    text: {revision['text']}\n"
    )


def home(lang: str, revision: dict | None = None) -> str:
    translation = _translation_block(lang, revision)
    return f"---\ntitle: Home {lang}\nsummary: Welcome.\n{translation}---\n\nWelcome ({lang}).\n"


@pytest.fixture
def small_tree(tmp_path: Path) -> Path:
    """A valid two-language library (en, es) with two articles, to break one thing at a time."""
    (tmp_path / "mkdocs.yml").write_text(SMALL_CONFIG, encoding="utf-8")
    (tmp_path / "locales").mkdir()
    shutil.copy(ROOT / "overrides" / "assets" / "logo.svg", logo_file(tmp_path))
    from careleaf.model.content import read_page

    (tmp_path / "locales" / "glossary").mkdir()
    for lang, term, definition in (
        ("en", "finger", "One of the five parts at the end of your hand."),
        ("es", "dedo", "Una de las cinco partes al final de la mano."),
    ):
        (tmp_path / "locales" / "glossary" / f"{lang}.yml").write_text(
            f'finger:\n  term: {term}\n  forms: []\n  definition: "{definition}"\n', encoding="utf-8"
        )
    revisions = {}
    for lang in ("en", "es"):
        shutil.copy(ROOT / "locales" / f"{lang}.yml", tmp_path / "locales" / f"{lang}.yml")
        folder = tmp_path / "docs" / lang
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(home(lang, revisions.get("index")), encoding="utf-8")
        for slug, title, other in (("finger", "Finger", "wrist"), ("wrist", "Wrist", "finger")):
            (folder / f"{slug}.md").write_text(
                article(lang, title, [other], revision=revisions.get(slug)), encoding="utf-8"
            )
        if lang == "en":
            # Translations record the revision of the English page they were made from.
            revisions = {path.stem: read_page(path, "en").source_revision() for path in folder.glob("*.md")}
    return tmp_path


def logo_file(project: Path) -> Path:
    """Where SMALL_CONFIG's hospital.logo is (its docs folder), the folder made."""
    (project / "docs" / "assets").mkdir(parents=True, exist_ok=True)
    return project / "docs" / "assets" / "logo.svg"


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a file (which must hold it) with `new`."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line containing `text`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def copy_project(target: Path) -> Path:
    """A copy of the real project (content, locales, overrides, config) to build or break."""
    for name in ("docs", "locales", "overrides"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def keep_languages(project: Path, languages: tuple[str, ...]) -> Path:
    """A copy of the project cut to `languages` (the default among them): the real library, smaller,
    for tests of a mechanism rather than of content (fewer pages to build and handouts to print)."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    for folder in sorted((project / "docs").iterdir()):
        if folder.is_dir() and len(folder.name) <= 3 and folder.name not in languages:
            text, found = re.subn(rf"        - locale: {folder.name}\n(?:          [^\n]*\n)*", "", text)
            assert found == 1, folder.name
            shutil.rmtree(folder)
    config.write_text(text, encoding="utf-8")
    return project


def run_careleaf(
    arguments: list[str], cwd: Path = ROOT, timeout: float = 600, **env: str
) -> subprocess.CompletedProcess:
    """`careleaf ARGUMENTS` run as a user runs it, in `cwd`: its exit code, stdout and stderr."""
    path = os.pathsep.join(filter(None, (str(ROOT / "scripts"), os.environ.get("PYTHONPATH"))))
    return subprocess.run(
        [*CARELEAF, *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": path, **env},
    )


def without_handouts(project: Path) -> Path:
    """The copy's handouts switched off (handouts.build: false): no PDF printed, no link to any."""
    from careleaf.util.code import without_handouts as config_without_handouts

    config = project / "mkdocs.yml"
    config.write_text(config_without_handouts(config.read_text(encoding="utf-8")), encoding="utf-8")
    return project


def mkdocs_build(
    project: Path, site: Path, strict: bool = True, handouts: bool = True, **env: str
) -> subprocess.CompletedProcess:
    """`mkdocs build` of a project copy; `handouts=False` for a test that is not about print: the pages alone."""
    if not handouts:
        without_handouts(project)
    command = [*MKDOCS, "build", "--clean", "--site-dir", str(site), "--config-file", str(project / "mkdocs.yml")]
    if strict:
        command.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, timeout=600)


def built_once(tmp_path_factory, name: str, make: Callable[[Path], Path]) -> Path:
    """`make(folder)` once per test run, even across pytest-xdist's workers: the first to ask builds it
    under a lock in the run's shared temporary folder; the others wait, then read the same result."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run is None:  # one process: the session fixture's own cache is enough
        return make(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent / f"shared-{run}"
    shared.mkdir(exist_ok=True)
    folder, answer = shared / name, shared / f"{name}.result"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not answer.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            answer.write_text(str(make(folder)), encoding="utf-8")
    return Path(answer.read_text(encoding="utf-8"))


def _build_real_library(work: Path) -> Path:
    project = copy_project(work / "project")
    site = work / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real library, built once with `mkdocs build --strict`."""
    return built_once(tmp_path_factory, "build", _build_real_library)


@pytest.fixture(scope="session")
def built_handouts(built_site) -> Path:
    """Every PDF handout the build printed: handouts/<lang>/<slug>.pdf, .large-print.pdf, .bilingual.pdf."""
    return built_site / "handouts"


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Browser tests fail (never skip) without it."""
    from careleaf.util.browser import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def served_site(built_site):
    """The built site over HTTP on loopback, served by a separate process as a web server would."""
    yield from _serve(built_site)


FALLBACK_SLUG = "finger-dislocation"


@pytest.fixture(scope="session")
def fallback_site(tmp_path_factory) -> Path:
    """The library with one article not yet translated into any language but English; its pages alone
    (no handouts: every page differs from the published site's, so each would be printed afresh)."""
    from careleaf.qa.audits import build_audit_site

    return built_once(
        tmp_path_factory, "fallback", lambda work: build_audit_site(work, FALLBACK_SLUG, edit_project=without_handouts)
    )


@pytest.fixture(scope="session")
def served_fallback_site(fallback_site):
    yield from _serve(fallback_site)


@pytest.fixture(scope="session")
def kiosk_copy(tmp_path_factory) -> Path:
    """The kiosk zip (idle timeout 3 s), unzipped as onto a kiosk's disk."""
    import zipfile

    from careleaf.model import project as project_settings
    from careleaf.outputs import kiosk

    project = project_settings.load(ROOT / "mkdocs.yml")
    bundle = kiosk.build_bundle(project, tmp_path_factory.mktemp("dist"), idle_seconds=3, progress=lambda line: None)
    target = tmp_path_factory.mktemp("usb-stick")
    with zipfile.ZipFile(bundle.zip_path) as archive:
        archive.extractall(target)
    [folder] = list(target.iterdir())
    return folder


def _serve(directory: Path):
    """Serve `directory` on loopback as the audits do: as a production web server would (gzip, 404 page)."""
    from careleaf.qa.audits import served

    with served(directory) as url:
        yield url


def search_results(page, url: str, query: str) -> list[str]:
    """Type a query into Material's search on `url`; the links of the results."""
    page.goto(url)
    page.fill("input.md-search__input", query)
    # Material reads the query on keyup; Playwright inserts non-ASCII text with no key events (an
    # IME's commit ends in one), so a query typed after the index loaded was never searched.
    page.press("input.md-search__input", "End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    return page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")
