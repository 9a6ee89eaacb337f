"""The kiosk copy, unzipped and opened from disk (file://) with every network request blocked."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import pikepdf
import pytest
from bs4 import BeautifulSoup

from careleaf.model import project as project_settings
from careleaf.model.content import Library
from careleaf.model.locales import load_all, placeholder_values
from careleaf.outputs import kiosk
from conftest import ROOT, copy_project, edit, keep_languages, run_careleaf, search_results

PROJECT = project_settings.load(ROOT / "mkdocs.yml")
LIBRARY = Library.load(PROJECT)
CATALOGUES = {
    lang: catalogue.tree(**placeholder_values(PROJECT.hospital)) for lang, catalogue in load_all(PROJECT).items()
}
IDLE_SECONDS = 3


def kiosk_path(lang: str, slug: str = "index") -> str:
    prefix = "" if lang == PROJECT.default_language else f"{lang}/"
    return f"{prefix}{slug}.html"


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    """The kiosk zip built twice from the same commit (short idle timeout for the test)."""
    first = kiosk.build_bundle(
        PROJECT, tmp_path_factory.mktemp("dist1"), idle_seconds=IDLE_SECONDS, progress=lambda line: None
    )
    second = kiosk.build_bundle(
        PROJECT, tmp_path_factory.mktemp("dist2"), idle_seconds=IDLE_SECONDS, progress=lambda line: None
    )
    return first, second


@pytest.fixture(scope="module")
def unzipped(bundles, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("usb-stick")
    with zipfile.ZipFile(bundles[0].zip_path) as archive:
        archive.extractall(target)
    [folder] = list(target.iterdir())
    return folder


@pytest.fixture
def offline_page(browser):
    """A page whose every request off file:// is blocked and recorded."""
    context = browser.new_context()
    outside: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("file://")
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    page.outside_requests = outside
    yield page
    context.close()


def test_two_builds_of_one_commit_are_byte_identical(bundles):
    first, second = bundles
    assert first.sha256 == second.sha256
    assert first.zip_path.read_bytes() == second.zip_path.read_bytes()
    recorded = (first.zip_path.parent / f"{first.zip_path.name}.sha256").read_text(encoding="utf-8")
    assert recorded == f"{first.sha256}  {first.zip_path.name}\n"
    assert first.zip_path.name == f"careleaf-kiosk-{first.version}.zip"


def test_zip_entries_are_sorted_with_fixed_times(bundles):
    with zipfile.ZipFile(bundles[0].zip_path) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert len({info.date_time for info in archive.infolist()}) == 1


def test_manifest_tells_an_operator_what_is_on_the_kiosk(unzipped, bundles):
    manifest = json.loads((unzipped / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == bundles[0].version
    assert list(manifest["languages"]) == list(PROJECT.languages)
    assert [article["slug"] for article in manifest["articles"]] == LIBRARY.slugs
    for article in manifest["articles"]:
        source = LIBRARY.source(article["slug"])
        assert (article["reviewed"], article["review_due"]) == (
            str(source.meta["reviewed"]),
            str(source.meta["review_due"]),
        )
    assert manifest["idle_seconds"] == IDLE_SECONDS and manifest["print"] is False


def test_an_interrupted_zip_leaves_no_partial_file(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>hi</p>", encoding="utf-8")
    target = tmp_path / "dist" / "careleaf-kiosk-test.zip"
    with pytest.raises(TypeError):
        kiosk.write_zip(site, "careleaf-kiosk-test", {"manifest.json": None}, target, 1_700_000_000)
    assert list((tmp_path / "dist").iterdir()) == []


def test_every_page_in_every_language_loads_from_disk_with_zero_requests(offline_page, unzipped):
    page = offline_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for lang in PROJECT.languages:
        page.goto((unzipped / kiosk_path(lang)).as_uri())
        assert page.locator(".careleaf-library").is_visible()
        for slug in LIBRARY.slugs:
            page.goto((unzipped / kiosk_path(lang, slug)).as_uri())
            assert page.locator("h1").first.inner_text() == LIBRARY.best(slug, lang).title
            assert page.locator(".care-card").count() == len(LIBRARY.best(slug, lang).red_flags().tiers)
    assert page.outside_requests == []
    assert errors == []


def test_switcher_opens_the_same_article_by_click(offline_page, unzipped):
    page = offline_page
    page.goto((unzipped / kiosk_path("es", "muscle-spasm")).as_uri())
    page.locator(".md-header__option .md-select").hover()
    page.locator(".md-select__link[hreflang=ar]").click()
    page.wait_for_url("**/ar/muscle-spasm.html")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.outside_requests == []


@pytest.mark.parametrize("lang,query", [("en", "spasm"), ("es", "espasmo"), ("zh", "痉挛")])
def test_search_from_disk_finds_the_article_in_the_reader_language(offline_page, unzipped, lang, query):
    results = search_results(offline_page, (unzipped / kiosk_path(lang)).as_uri(), query)
    folder = unzipped.as_uri() + ("/" if lang == PROJECT.default_language else f"/{lang}/")
    assert any(result.startswith(f"{folder}muscle-spasm.html") for result in results), results
    other = [
        f"{unzipped.as_uri()}/{code}/" for code in PROJECT.languages if code not in (lang, PROJECT.default_language)
    ]
    assert all(result.startswith(folder) and not result.startswith(tuple(other)) for result in results), results
    assert offline_page.outside_requests == []


def test_no_link_leaves_the_kiosk(offline_page, unzipped):
    page = offline_page
    for lang in PROJECT.languages:
        page.goto((unzipped / kiosk_path(lang, "open-finger-fracture")).as_uri())
        targets = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        assert targets and all(target.startswith("file://") for target in targets), [
            t for t in targets if not t.startswith("file://")
        ]
        # The nurse line is still shown, as text.
        assert PROJECT.hospital["nurse_line"] in page.locator(".careleaf-about--screen").inner_text()
        assert page.locator(".careleaf-actions").count() == 0  # printing is off unless configured


def test_the_kiosk_shows_the_hospital_numbers_as_text_not_links(unzipped):
    # As built, before kiosk.js runs: no page carries a tel: link at all.
    pages = sorted(unzipped.rglob("*.html"))
    assert pages
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert soup.select('a[href^="tel:"]') == [], path
    for lang in PROJECT.languages:
        soup = BeautifulSoup((unzipped / kiosk_path(lang, "muscle-spasm")).read_text(encoding="utf-8"), "html.parser")
        numbers = soup.select(
            ".care-card__fallback span.careleaf-phone-number, .careleaf-about span.careleaf-phone-number"
        )
        # The urgent card's fallback and the nurse line on screen and on paper, as the hospital wrote it, left to right.
        assert [(span.get_text(), span["dir"]) for span in numbers] == [(PROJECT.hospital["nurse_line"], "ltr")] * 3
        emergency = soup.select(".careleaf-about__emergency strong")
        assert emergency and all(PROJECT.hospital["emergency_number"] in line.get_text() for line in emergency)


def test_idle_kiosk_returns_to_the_language_choice_and_forgets_the_search(offline_page, unzipped):
    page = offline_page
    page.goto((unzipped / kiosk_path("vi", "broken-finger-closed")).as_uri())
    page.type("input.md-search__input", "ngón tay")
    page.wait_for_url(unzipped.joinpath("index.html").as_uri(), timeout=(IDLE_SECONDS + 5) * 1000)
    assert page.locator(".careleaf-language-choice a").count() == len(PROJECT.languages)
    assert page.input_value("input.md-search__input") == ""


def kiosk_404(lang: str) -> str:
    return "404.html" if lang == PROJECT.default_language else f"{lang}/404.html"


@pytest.mark.parametrize("lang", PROJECT.languages)
def test_a_404_page_opened_from_disk_loads_and_links_nothing_outside_the_kiosk_folder(browser, unzipped, lang):
    folder = unzipped.as_uri() + "/"
    page_file = unzipped / kiosk_404(lang)
    # Every address the page writes, resolved as the browser resolves it from disk, is a file in the folder.
    soup = BeautifulSoup(page_file.read_text(encoding="utf-8"), "html.parser")
    addresses = [
        element[attribute] for attribute in ("src", "href") for element in soup.find_all(attrs={attribute: True})
    ]
    assert addresses
    for address in addresses:
        target = urljoin(page_file.as_uri(), address).split("#")[0]
        assert target.startswith(folder), address
        assert Path(url2pathname(urlsplit(target).path)).is_file(), address
    # And loading it in Chromium requests nothing outside the folder.
    context = browser.new_context()
    requested: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            requested.append(route.request.url),
            route.continue_() if route.request.url.startswith(folder) else route.abort(),
        ),
    )
    page = context.new_page()
    page.goto(page_file.as_uri())
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == CATALOGUES[lang]["not_found"]["heading"]
    assert requested and [url for url in requested if not url.startswith(folder)] == []
    # Its way home leads to the reader's language, and after the idle time it returns to the start page.
    page.locator(".md-content a", has_text=CATALOGUES[lang]["not_found"]["home"]).click()
    assert page.url == (unzipped / kiosk_path(lang)).as_uri()
    page.go_back()
    page.wait_for_url((unzipped / "index.html").as_uri(), timeout=(IDLE_SECONDS + 5) * 1000)
    context.close()


def test_touch_targets_are_large(offline_page, unzipped):
    page = offline_page
    page.goto((unzipped / kiosk_path("ar")).as_uri())
    sizes = page.eval_on_selector_all(
        ".careleaf-language-choice a, .careleaf-card__title, .md-nav__link",
        "links => links.filter(a => a.offsetParent).map(a => a.getBoundingClientRect().height)",
    )
    assert sizes and min(sizes) >= 44, sizes


def test_a_kiosk_with_printing_is_byte_identical_too_and_carries_every_handout(tmp_path, monkeypatch):
    # English and Arabic (a Chinese print is printed twice and compared in test_accessible_pdf). The first
    # build prints everything into an empty print cache; the second takes the prints from it (printing
    # twice gives the same bytes: test_accessible_pdf) and must make the same bundle.
    copy = keep_languages(copy_project(tmp_path / "project"), ("en", "ar"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")  # the bundle's version
    (copy / "node_modules").symlink_to(ROOT / "node_modules")  # the kiosk's search shim
    project = project_settings.load(copy / "mkdocs.yml")
    monkeypatch.setenv("CARELEAF_HANDOUT_CACHE", str(tmp_path / "cache"))
    bundles = [
        kiosk.build_bundle(project, tmp_path / f"dist-{run}", print_enabled=True, progress=lambda line: None)
        for run in ("first", "second")
    ]
    assert bundles[0].zip_path.read_bytes() == bundles[1].zip_path.read_bytes()
    with zipfile.ZipFile(bundles[0].zip_path) as archive:
        names = archive.namelist()
        pdfs = [name for name in names if name.endswith(".pdf")]
        handout = next(name for name in pdfs if name.endswith("/handouts/ar/muscle-spasm.pdf"))
        epoch = kiosk.commit_epoch(copy)
        with pikepdf.open(io.BytesIO(archive.read(handout))) as pdf:
            stamp = dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("D:%Y%m%d%H%M%S")
            assert str(pdf.docinfo.CreationDate).startswith(stamp)
    languages = len(project.languages)
    assert languages == 2
    # Each article: a handout and a large-print one per language, and a bilingual one per translation.
    assert len(pdfs) == len(LIBRARY.slugs) * (2 * languages + languages - 1)
    # A kiosk offers no "Print several handouts" page: it fetches nothing, even from disk.
    assert not any(name.endswith(("print-handouts.html", "print-handouts/index.html")) for name in names)


def test_a_library_the_publishing_build_refuses_gets_no_kiosk(tmp_path):
    # Clinical approval required and nothing approved: `mkdocs build --strict` refuses every English article.
    project = copy_project(tmp_path / "project")
    edit(
        project / "mkdocs.yml", "clinical_review:\n        required: false", "clinical_review:\n        required: true"
    )
    dist = tmp_path / "dist"
    result = run_careleaf(["kiosk", "-f", str(project / "mkdocs.yml"), "--dist", str(dist)], cwd=project, timeout=300)
    first = sorted(LIBRARY.slugs)[0]
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"careleaf: refused: mkdocs build --strict, the publishing build, does not accept this library "
        f"({len(LIBRARY.slugs)} error(s), 0 warning(s)); the first: docs/en/{first}.md:1: error: no clinician has approved "
        f'this article (the careleaf plugin\'s clinical_review.required): careleaf approve {first} --by "Name, credential" '
        f"[clinical-review-pending]; every one: careleaf validate --strict\n"
    )
    assert not dist.exists()


def test_a_warning_only_the_build_gives_stops_the_kiosk_too(tmp_path):
    # The validator passes a link to a page that does not exist; MkDocs warns, and --strict must count it.
    project = copy_project(tmp_path / "project")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    edit(project / "docs/es/muscle-spasm.md", "\n## ", "\nVea [la otra página](no-such-page.md).\n\n## ")
    settings = project_settings.load(project / "mkdocs.yml")
    with pytest.raises(RuntimeError) as refused:
        kiosk.build_site(settings, tmp_path / "site", 1_700_000_000, None, None)
    lines = str(refused.value).splitlines()
    assert lines[0] == "the kiosk build failed (mkdocs build --strict):"
    assert any("'no-such-page.md'" in line and line.startswith("WARNING") for line in lines), lines
    assert not any(line.startswith("INFO") for line in lines), lines


def test_a_kiosk_copy_of_other_content_never_takes_another_copys_name(tmp_path):
    # Uncommitted work (or no git at all): the name carries the content's digest, so a second copy of
    # different content is a second file, and the same content keeps its name.
    project = copy_project(tmp_path / "project")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    first = kiosk.version(project)
    assert first == kiosk.version(project) and "+content." in first
    edit(project / "docs" / "es" / "muscle-spasm.md", "## ", "Beba agua.\n\n## ")
    assert kiosk.version(project) != first
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    subprocess.run(["git", "-C", str(project), "add", "-A"], check=True)
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x",
    }
    subprocess.run(["git", "-C", str(project), "commit", "-qm", "c"], check=True, env=environment)
    committed = kiosk.version(project)
    assert re.fullmatch(r"[0-9.]+\+[0-9a-f]{12}", committed), committed
    edit(project / "locales" / "es.yml", "site_name:", "site_name:")  # unchanged bytes: still clean
    assert kiosk.version(project) == committed
    edit(project / "docs" / "es" / "muscle-spasm.md", "Beba agua.", "Beba más agua.")
    assert kiosk.version(project).startswith(committed + ".dirty.")
