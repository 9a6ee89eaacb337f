"""The HL7 Infobutton entry point: what the static page looks codes up in, and the index for programs.

A record system opens `<site>/infobutton/?mainSearchCriteria.v.c=<code>&mainSearchCriteria.v.cs=<OID>
&informationRecipient.languageCode.c=<lang>` (HL7 Version 3 Implementation Guide: URL-Based
Implementations of the Context-Aware Knowledge Retrieval (Infobutton) Domain). The page's script
(overrides/assets/javascripts/infobutton.js) applies `CodeIndex.match` in the browser to the data
`lookup_data` gives it, and answers the patient's language as `careleaf.model.patient_language` does; nothing is
sent anywhere. A page it opens for a language the library lacks (or another script of one it has) names
that language from the build's table of names, `language_names_file`, one per site language.

`knowledge_index` is the same knowledge for a program (`infobutton/index.json`, once per site): one
feed per claim (a code, with its 7th characters), holding every article that makes it (two for a claim
articles share, `shared_with`), each shaped like the JSON knowledge response MedlinePlus Connect
sends for a request of that code (feed.title/subtitle/author/updated/category/id, entry[].lang, title,
link[].href, id, updated, summary, `_value` for element text), with the matching data beside it
under `careleaf`. Pure data in, data out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from careleaf.build.views import absolute_url
from careleaf.model.codes import NAMES, CodeIndex, Entry
from careleaf.model.content import Library, Page
from careleaf.model.languages import site_folder
from careleaf.model.patient_language import PatientLanguages, language_names, named_languages, own_language_names

INFOBUTTON_PAGE = "infobutton.md"
INDEX_FILE = "infobutton/index.json"
# Beside each language's entry page: every language a notice on that language's pages may name.
NAMES_FILE = "languages.json"
# informationRecipient: the patient reads it (HL7 RoleClass PAT), as MedlinePlus Connect echoes it.
PATIENT = "PAT"

# {slug: {language: site-relative URL}}: where each article is built in each language (static-i18n's
# alternates: a translation, or the English text under that language's look with its notice).
ArticleUrls = Mapping[str, Mapping[str, str]]


def page_url(lang: str, default_lang: str) -> str:
    """The entry page's URL in a language, relative to the site root (the default language at the root)."""
    stem = INFOBUTTON_PAGE.removesuffix(".md")
    return f"{site_folder(lang, default_lang)}{stem}/"


def language_names_file(lang: str, default_lang: str) -> str:
    """Where the names a notice on a page in `lang` may show are, relative to the site root."""
    return page_url(lang, default_lang) + NAMES_FILE


def built_languages(article_urls: ArticleUrls, reader_lang: str) -> list[str]:
    return sorted({lang for urls in article_urls.values() for lang in urls} | {reader_lang})


def patient_languages(article_urls: ArticleUrls, reader_lang: str, default_lang: str) -> PatientLanguages:
    """Which built language answers a requested language code; a language the site lacks gets the default."""
    languages = built_languages(article_urls, reader_lang)
    return PatientLanguages.for_site(languages, default_lang if default_lang in languages else reader_lang)


def lookup_data(index: CodeIndex, article_urls: ArticleUrls, reader_lang: str, default_lang: str) -> dict[str, Any]:
    """The entry page's data block: every code entry (CodeIndex.lookup_table), each article's URL in every
    language built, the entry page in each language, the language a request in no built language gets, and
    the table that answers a requested language code (PatientLanguages)."""
    languages = built_languages(article_urls, reader_lang)
    answers = patient_languages(article_urls, reader_lang, default_lang)
    return {
        **index.lookup_table(),
        "lang": reader_lang,
        "fallback": answers.table["fallback"],
        "pages": {lang: page_url(lang, default_lang) for lang in languages},
        "articles": {slug: dict(urls) for slug, urls in sorted(article_urls.items())},
        "patient_language": answers.as_data(),
    }


def names_files(
    article_urls: ArticleUrls, default_lang: str, root: Path | None = None
) -> dict[str, dict[str, list[str | None]]]:
    """Each built language's names file (`language_names_file`) and what it holds (language_names); with the
    project's `root`, the languages' own names come from its result cache."""
    answers = patient_languages(article_urls, default_lang, default_lang)
    own_names = own_language_names(named_languages(answers), root)
    return {
        language_names_file(lang, default_lang): language_names(answers, lang, own_names)
        for lang in built_languages(article_urls, default_lang)
    }


def knowledge_index(
    library: Library, index: CodeIndex, article_urls: ArticleUrls, site_url: str, title: str
) -> dict[str, Any]:
    """Every code an article claims, each with the articles that claim it in every language: one MedlinePlus
    Connect-style feed per claim, its entries each article's (in slug order) in every language; a claim two
    articles share is one feed holding both. `title` names the library (the site's name in the default language)."""
    hospital = library.project.hospital["name"]
    index_url = absolute_url(site_url, INDEX_FILE)
    claims: dict[tuple, list[Entry]] = {}
    for entry in index.entries:
        claims.setdefault(entry.claim, []).append(entry)
    responses = []
    for entries in claims.values():
        entry, slugs = entries[0], sorted({claimant.slug for claimant in entries})
        items = [
            _entry(page, lang, absolute_url(site_url, url))
            for slug in slugs
            for lang, url in article_urls.get(slug, {}).items()
            if (page := library.best(slug, lang)) is not None
        ]
        dates = [item["updated"]["_value"] for item in items if "updated" in item]
        feed: dict[str, Any] = {
            "base": site_url,
            "title": _text(title),
            "subtitle": _text(f"{title}: articles for {NAMES[entry.system]} {entry.label}"),
            "author": {"name": {"_value": hospital}, "uri": {"_value": site_url}},
            **({"updated": {"_value": max(dates)}} if dates else {}),
            "category": [
                {"scheme": "mainSearchCriteria.v.c", "term": entry.display_code},
                {"scheme": "mainSearchCriteria.v.cs", "term": entry.system},
                {"scheme": "informationRecipient", "term": PATIENT},
            ],
            "id": {"_value": f"{index_url}#{_claim_id(entry)}"},
            "entry": items,
            "careleaf": _claim(entry, slugs),
        }
        responses.append({"feed": feed})
    return {"title": title, "id": index_url, "responses": responses}


def _entry(page: Page, reader_lang: str, address: str) -> dict[str, Any]:
    """One article in one language: `lang` is its text's language, `careleaf.language` the site language
    the link belongs to (they differ where an untranslated article is shown in English)."""
    reviewed = page.meta.get("reviewed")
    return {
        "lang": page.lang,
        "title": _text(page.title),
        "link": [{"title": page.title, "rel": "alternate", "type": "html", "hreflang": reader_lang, "href": address}],
        "id": {"_value": address},
        # Atom's last significant change: the day the article was last reviewed.
        **({"updated": {"_value": f"{reviewed.isoformat()}T00:00:00Z"}} if isinstance(reviewed, dt.date) else {}),
        "summary": _text(page.summary or ""),
        "careleaf": {"article": page.slug, "language": reader_lang},
    }


def _claim(entry: Entry, slugs: list[str]) -> dict[str, Any]:
    """The matching data of one claim: the normalised code, its 7th characters, its rank (higher wins), and
    the articles that make it."""
    return {
        "system": entry.system,
        "code": entry.code,
        "rank": entry.rank,
        "articles": slugs,
        "seventh": sorted(entry.seventh) if entry.seventh is not None else None,
    }


def _claim_id(entry: Entry) -> str:
    return f"{entry.system}/{entry.code}" + (f"/{''.join(sorted(entry.seventh))}" if entry.seventh is not None else "")


def _text(value: str) -> dict[str, str]:
    # Titles and summaries are plain text (the validator refuses markup in them), never HTML.
    return {"_value": value, "type": "text"}
