"""Search in the reader's language: a Spanish page finds Spanish pages only, Chinese is segmented."""

from __future__ import annotations

import json

import pytest

from conftest import search_results
from test_build import LANGUAGES, PROJECT, SLUGS, page_path


def search(browser, url: str, query: str) -> list[str]:
    page = browser.new_page()
    try:
        return search_results(page, url, query)
    finally:
        page.close()


@pytest.mark.parametrize(
    "lang,query", [("en", "spasm"), ("es", "espasmo"), ("zh", "痉挛"), ("vi", "co thắt"), ("ar", "تشنج")]
)
def test_search_finds_the_article_in_the_reader_language_only(browser, served_site, lang, query):
    url = f"{served_site}/{page_path(lang, 'index').removesuffix('index.html')}"
    results = search(browser, url, query)
    prefix = f"{served_site}/" if lang == PROJECT.default_language else f"{served_site}/{lang}/"
    assert any(result.startswith(f"{prefix}muscle-spasm/") for result in results), results
    others = [f"{served_site}/{other}/" for other in LANGUAGES if other not in (lang, PROJECT.default_language)]
    assert all(result.startswith(prefix) and not result.startswith(tuple(others)) for result in results), results


def test_each_language_has_its_own_index_with_only_its_pages(built_site):
    for lang in LANGUAGES:
        prefix = "" if lang == PROJECT.default_language else f"{lang}/"
        index = json.loads((built_site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
        pages = {doc["location"].split("/")[0] for doc in index["docs"] if doc["location"]}
        assert pages == set(SLUGS), (lang, pages)
        assert index["config"]["lang"] == (["en"] if lang == "zh" else [lang])


def test_chinese_text_is_segmented_into_words(built_site):
    index = json.loads((built_site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("muscle-spasm"))
    assert "肌肉\u200b痉挛" in text or "\u200b痉挛\u200b" in text
