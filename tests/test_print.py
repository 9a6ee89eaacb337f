"""Articles on paper: Chromium's print media, in English, Arabic (right to left) and Chinese (the
Words to know box in every language)."""

from __future__ import annotations

import pytest

from test_build import CATALOGUES, LANGUAGES, PROJECT, page_path

PRINT_LANGUAGES = ["en", "ar", "zh"]


@pytest.fixture
def printed(browser, built_site):
    """Open an article with print media emulated; every request off the site is recorded."""
    pages = []

    def open_page(lang: str, slug: str = "open-finger-fracture"):
        page = browser.new_page()
        page.outside_requests = []
        page.on(
            "request",
            lambda request: None if request.url.startswith("file://") else page.outside_requests.append(request.url),
        )
        page.goto((built_site / page_path(lang, slug)).as_uri())
        page.emulate_media(media="print")
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.close()


@pytest.mark.parametrize("lang", PRINT_LANGUAGES)
def test_print_hides_the_site_chrome(printed, lang):
    page = printed(lang)
    for selector in (
        ".md-header",
        ".md-sidebar--primary",
        ".md-search",
        ".md-select",
        ".md-footer",
        ".careleaf-actions",
    ):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("h1").first.is_visible()
    assert page.outside_requests == []


@pytest.mark.parametrize("lang", PRINT_LANGUAGES)
def test_printed_red_flag_cards_have_black_borders_growing_with_urgency(printed, lang):
    page = printed(lang)
    widths = {}
    for kind in ("emergency", "urgent", "contact"):
        card = page.locator(f".care-card--{kind}")
        assert card.is_visible()
        style = card.evaluate(
            "el => { const s = getComputedStyle(el); return [s.borderTopWidth, s.borderTopColor, s.breakInside, s.backgroundColor]; }"
        )
        widths[kind] = style[0]
        assert style[1] == "rgb(0, 0, 0)" and style[2] == "avoid" and style[3] == "rgb(255, 255, 255)"
    assert widths == {"emergency": "8px", "urgent": "6px", "contact": "4px"}
    heading = page.locator(".care-card--emergency h3").inner_text()
    assert PROJECT.hospital["emergency_number"] in heading


@pytest.mark.parametrize("lang", PRINT_LANGUAGES)
def test_printed_page_shows_hospital_address_and_a_working_qr_code(printed, lang):
    page = printed(lang)
    header = page.locator(".careleaf-print-header")
    assert header.is_visible()
    assert PROJECT.hospital["name"] in header.inner_text()
    assert PROJECT.language_names[lang] in header.inner_text()
    address = page.locator(".careleaf-print-address__url")
    assert address.is_visible()
    expected = PROJECT.site_url + page_path(lang, "open-finger-fracture").removesuffix("index.html")
    assert address.inner_text() == expected
    qr = page.locator(".careleaf-print-address__qr")
    assert qr.is_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert qr.get_attribute("alt") == CATALOGUES[lang]["print"]["qr_alt"]
    related = page.locator(".careleaf-related .careleaf-card__address").first
    assert related.is_visible() and related.inner_text().startswith(PROJECT.site_url)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_words_to_know_show_on_paper_only_and_glossary_words_print_as_plain_text(printed, lang):
    page = printed(lang)
    box = page.locator(".careleaf-words")
    assert box.is_visible()
    assert box.locator("dt").count() > 0 and box.locator("dt").first.is_visible()
    # Every use of a glossary word: no dotted underline, no border, no text decoration on paper.
    decorations = page.eval_on_selector_all(
        ".careleaf-content abbr",
        "marks => marks.map(el => { const s = getComputedStyle(el);"
        " return [s.textDecorationLine, s.borderBottomStyle, s.borderBottomWidth, s.borderTopStyle]; })",
    )
    assert decorations and set(map(tuple, decorations)) == {("none", "none", "0px", "none")}
    # On screen the tooltips work: no box, and the words keep their dotted underline.
    page.emulate_media(media="screen")
    assert not box.is_visible()
    assert (
        page.locator(".careleaf-content abbr").first.evaluate("el => getComputedStyle(el).borderBottomStyle")
        == "dotted"
    )
