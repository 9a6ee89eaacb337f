"""WCAG 2.1 AA with axe-core and no third-party requests: every page type, every language, two widths,
on the web build (over HTTP) and on the kiosk copy (from disk)."""

from __future__ import annotations

import pytest

from conftest import FALLBACK_SLUG, ROOT
from test_build import LANGUAGES, PROJECT, SLUGS, page_path

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"phone": 375, "desktop": 1280}
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def web_pages(lang: str) -> list[str]:
    """Home, every article and the 404 page of one language (site-relative paths)."""
    not_found = "404.html" if lang == PROJECT.default_language else f"{lang}/404.html"
    return [page_path(lang)] + [page_path(lang, slug) for slug in SLUGS] + [not_found]


def axe_violations(page) -> list[str]:
    assert AXE.is_file(), "axe-core is missing: run scripts/setup.sh (npm ci)"
    # Evaluated over the DevTools protocol: the page's Content-Security-Policy refuses an added <script>.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
        }""",
        WCAG_TAGS,
    )
    return violations


def audit(browser, urls: list[str], width: int, allowed_prefix: str) -> tuple[list[str], list[str]]:
    """Open each URL; return axe violations and every request that left the site."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    outside: list[str] = []
    context.on(
        "request", lambda request: None if request.url.startswith(allowed_prefix) else outside.append(request.url)
    )
    page = context.new_page()
    found = []
    try:
        for url in urls:
            page.goto(url, wait_until="load")
            found += [f"{url}: {violation}" for violation in axe_violations(page)]
    finally:
        context.close()
    return found, outside


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("lang", LANGUAGES)
def test_web_pages_pass_axe_and_request_nothing_off_site(browser, served_site, lang, width):
    urls = [f"{served_site}/{path.removesuffix('index.html')}" for path in web_pages(lang)]
    violations, outside = audit(browser, urls, width, served_site + "/")
    assert violations == []
    assert outside == []


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_untranslated_fallback_pages_pass_axe(browser, served_fallback_site, width):
    urls = [f"{served_fallback_site}/{lang}/{FALLBACK_SLUG}/" for lang in LANGUAGES if lang != PROJECT.default_language]
    violations, outside = audit(browser, urls, width, served_fallback_site + "/")
    assert violations == []
    assert outside == []


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_kiosk_copy_passes_axe_from_disk(browser, kiosk_copy, width):
    urls = []
    for lang in LANGUAGES:
        prefix = "" if lang == PROJECT.default_language else f"{lang}/"
        urls += [(kiosk_copy / f"{prefix}index.html").as_uri()] + [
            (kiosk_copy / f"{prefix}{slug}.html").as_uri() for slug in SLUGS
        ]
        # The 404 pages too: from disk they now load their styles, so what a reader would see is checked.
        urls.append((kiosk_copy / f"{prefix}404.html").as_uri())
    violations, outside = audit(browser, urls, width, "file://")
    assert violations == []
    assert outside == []


def test_phone_screenshots_of_one_article_per_language(browser, served_site):
    """Written for people to look at; the folder is named in the README."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": WIDTHS["phone"], "height": 800})
    try:
        for lang in LANGUAGES:
            path = SCREENSHOTS / f"muscle-spasm-{lang}-{WIDTHS['phone']}px.png"
            path.unlink(missing_ok=True)
            page.goto(f"{served_site}/{page_path(lang, 'muscle-spasm').removesuffix('index.html')}")
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 50_000
    finally:
        page.close()
