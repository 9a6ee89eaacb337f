"""Reading by keyboard and screen reader: everything important is reachable, focus is visible,
and each red-flag card's hidden urgency text is in the accessibility tree."""

from __future__ import annotations

import pytest

from test_build import CATALOGUES, LANGUAGES, LIBRARY, PROJECT, page_path

DESCRIBE_FOCUS = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
        id: el.id, tag: el.tagName, cls: el.className || "", href: el.getAttribute("href") || "",
        hreflang: el.getAttribute("hreflang") || "", label: el.getAttribute("aria-label") || "",
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
        ring: style.boxShadow !== "none",
    };
}"""


def tab_through(page, limit: int = 150) -> list[dict]:
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(DESCRIBE_FOCUS)
        if stops and stop == stops[0]:
            break
        if stop["tag"] != "BODY":  # focus has left the page for the browser's own controls
            stops.append(stop)
    return stops


@pytest.fixture
def desktop(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keyboard_reaches_switcher_search_red_flags_and_related_articles(desktop, served_site, lang):
    desktop.goto(f"{served_site}/{page_path(lang, 'open-finger-fracture').removesuffix('index.html')}")
    stops = tab_through(desktop)
    assert any(stop["hreflang"] == "ar" and "md-select__link" in stop["cls"] for stop in stops), "language switcher"
    assert any("md-search__input" in stop["cls"] for stop in stops), "search"
    assert any(stop["id"] == "red-flag-cards" for stop in stops), "red-flag cards"
    related = LIBRARY.get("open-finger-fracture", lang).related
    related_stops = [stop for stop in stops if "careleaf-card__title" in stop["cls"]]
    assert len(related_stops) == len(related), "related articles"
    # Every stop shows where focus is.
    invisible = [stop for stop in stops if not (stop["outline"] or stop["ring"])]
    assert invisible == []


def test_jump_link_takes_focus_to_all_red_flag_cards(desktop, served_site):
    desktop.goto(f"{served_site}/{page_path('zh', 'muscle-spasm').removesuffix('index.html')}")
    stops = tab_through(desktop, limit=40)
    jump = next(i for i, stop in enumerate(stops) if stop["href"] == "#red-flag-cards")
    desktop.goto(desktop.url)
    for _ in range(jump + 1):
        desktop.keyboard.press("Tab")
    desktop.keyboard.press("Enter")
    assert desktop.evaluate("document.activeElement.id") == "red-flag-cards"
    cards = desktop.locator("#red-flag-cards .care-card")
    assert cards.count() == len(LIBRARY.get("muscle-spasm", "zh").red_flags().tiers)
    assert desktop.locator("#red-flag-cards").is_visible()


def test_keyboard_alone_switches_language(desktop, served_site):
    desktop.goto(f"{served_site}/{page_path('vi', 'broken-finger-closed').removesuffix('index.html')}")
    for _ in range(60):
        desktop.keyboard.press("Tab")
        if desktop.evaluate("document.activeElement.getAttribute('hreflang')") == "es":
            break
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(f"{served_site}/es/broken-finger-closed/")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_hidden_urgency_text_is_in_the_accessibility_tree(desktop, served_site, lang):
    desktop.goto(f"{served_site}/{page_path(lang, 'muscle-spasm').removesuffix('index.html')}")
    strings = CATALOGUES[lang]["red_flags"]
    for kind in ("emergency", "urgent", "contact"):
        snapshot = desktop.locator(f".care-card--{kind} h3").aria_snapshot()
        heading = strings[kind]["heading"].format(emergency_number=PROJECT.hospital["emergency_number"])
        assert strings[kind]["urgency"] in snapshot and heading in snapshot, snapshot
        assert snapshot.lstrip("- '").startswith("heading")
