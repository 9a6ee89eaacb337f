"""The HL7 Infobutton entry point: what the static page looks codes up in.

A record system opens `<site>/infobutton/?mainSearchCriteria.v.c=<code>&mainSearchCriteria.v.cs=<OID>
&informationRecipient.languageCode.c=<lang>` (HL7 Version 3 Implementation Guide: URL-Based
Implementations of the Context-Aware Knowledge Retrieval (Infobutton) Domain). The page's script
(overrides/assets/javascripts/infobutton.js) applies `CodeIndex.match` in the browser to the data
`lookup_data` gives it; nothing is sent anywhere.
"""

from __future__ import annotations

from typing import Any, Mapping

from careleaf.codes import CodeIndex

INFOBUTTON_PAGE = "infobutton.md"

# {slug: {language: site-relative URL}}: where each article is built in each language (static-i18n's
# alternates: a translation, or the English text under that language's look with its notice).
ArticleUrls = Mapping[str, Mapping[str, str]]


def page_url(lang: str, default_lang: str) -> str:
    """The entry page's URL in a language, relative to the site root (the default language at the root)."""
    stem = INFOBUTTON_PAGE.removesuffix(".md")
    return f"{stem}/" if lang == default_lang else f"{lang}/{stem}/"


def lookup_data(index: CodeIndex, article_urls: ArticleUrls, reader_lang: str, default_lang: str) -> dict[str, Any]:
    """The entry page's data block: every code entry (CodeIndex.lookup_table), each article's URL in every
    language built, the entry page in each language, and the language a request in no built language gets."""
    languages = sorted({lang for urls in article_urls.values() for lang in urls} | {reader_lang})
    return {
        **index.lookup_table(),
        "lang": reader_lang,
        "fallback": default_lang if default_lang in languages else reader_lang,
        "pages": {lang: page_url(lang, default_lang) for lang in languages},
        "articles": {slug: dict(urls) for slug, urls in sorted(article_urls.items())},
    }
