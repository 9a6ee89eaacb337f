"""The language switcher, clicked in a real browser, opens the same article in the chosen language."""

from __future__ import annotations

import pytest

from test_build import LANGUAGES, PROJECT, SLUGS, page_path


def switch(page, base: str, slug: str, lang: str, target: str) -> str:
    page.goto(f"{base}/{page_path(lang, slug).removesuffix('index.html')}")
    page.locator(".md-header__option .md-select").hover()
    page.locator(f".md-select__link[hreflang={target}]").click()
    page.wait_for_load_state("load")
    return page.url


@pytest.mark.parametrize("slug", SLUGS)
def test_every_article_switches_to_the_same_article_in_every_language(browser, served_site, slug):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        for lang in LANGUAGES:
            for target in LANGUAGES:
                if target == lang:
                    continue
                url = switch(page, served_site, slug, lang, target)
                assert url == f"{served_site}/{page_path(target, slug).removesuffix('index.html')}", (lang, target)
                assert page.locator("html").get_attribute("lang") == target
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
