"""The language switcher, clicked in a real browser, opens the same article in the chosen language."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import pytest

from test_build import LANGUAGES, PROJECT, SLUGS, page_path


def every_switch_once(languages: Sequence[str]) -> list[tuple[str, str]]:
    """Every (from, to) pair of languages, ordered so that each switch starts on the page the last one
    opened (an Eulerian circuit of the complete directed graph: Hierholzer's algorithm)."""
    unused = {lang: [target for target in languages if target != lang] for lang in languages}
    stack, circuit = [languages[0]], []
    while stack:
        if unused[stack[-1]]:
            stack.append(unused[stack[-1]].pop())
        else:
            circuit.append(stack.pop())
    circuit.reverse()
    return list(pairwise(circuit))


def test_every_pair_of_languages_is_switched_once_from_where_the_last_switch_landed():
    pairs = every_switch_once(LANGUAGES)
    assert sorted(pairs) == sorted((lang, target) for lang in LANGUAGES for target in LANGUAGES if lang != target)
    assert all(earlier[1] == later[0] for earlier, later in pairwise(pairs))


def test_the_switcher_clicked_through_every_pair_of_languages_stays_on_the_article(browser, served_site):
    slug = SLUGS[0]
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    def address(lang: str) -> str:
        return f"{served_site}/{page_path(lang, slug).removesuffix('index.html')}"

    try:
        pairs = every_switch_once(LANGUAGES)
        page.goto(address(pairs[0][0]))
        for lang, target in pairs:
            assert page.url == address(lang)
            page.locator(".md-header__option .md-select").hover()
            page.locator(f".md-select__link[hreflang={target}]").click()
            page.wait_for_load_state("load")
            assert page.url == address(target), (lang, target)
            assert page.locator("html").get_attribute("lang") == target
    finally:
        page.close()


# Clicking is the same for every article (above); what each article's pages differ in is where their links lead.
@pytest.mark.parametrize("slug", SLUGS)
def test_every_articles_switcher_leads_to_the_same_article_in_every_language(browser, served_site, slug):
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    def address(lang: str) -> str:
        return f"{served_site}/{page_path(lang, slug).removesuffix('index.html')}"

    try:
        for lang in LANGUAGES:
            page.goto(address(lang))
            assert page.locator("html").get_attribute("lang") == lang
            links = page.eval_on_selector_all(
                ".md-header__option .md-select__link", "links => links.map(link => link.hreflang + ' ' + link.href)"
            )
            assert sorted(links) == sorted(f"{target} {address(target)}" for target in LANGUAGES), lang
    finally:
        page.close()


def test_spanish_switcher_opens_the_same_article_in_arabic_on_a_phone(browser, served_site):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        page.goto(f"{served_site}/{page_path('es', 'muscle-spasm').removesuffix('index.html')}")
        page.locator(".md-header__option .md-select").click()
        page.locator(".md-select__link[hreflang=ar]").click()
        page.wait_for_url(f"{served_site}/ar/muscle-spasm/")
        assert page.locator("body").get_attribute("dir") == "rtl"
        assert PROJECT.language_names["ar"] in page.locator(".md-select__link[hreflang=ar]").inner_text()
    finally:
        page.close()
