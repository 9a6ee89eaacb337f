"""What a page shows, computed from the content model for the Jinja templates in overrides/.

Python decides the data (which strings, which links, which language each block is in);
the templates decide the markup. Nothing here builds HTML.
"""

from __future__ import annotations

import datetime as dt
import math
import posixpath
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict, overload
from urllib.parse import urljoin, urlsplit

from babel.dates import format_date

from careleaf.checks import safety
from careleaf.model import approval
from careleaf.model.content import TIER_KINDS, Library, Page, RedFlags
from careleaf.model.languages import site_folder, text_direction
from careleaf.model.locales import Catalogue, placeholder_values
from careleaf.model.patient_language import NOTICE_PARAMETER, PatientLanguages, content_language_name
from careleaf.outputs.print import qr_file_name

UrlFor = Callable[[str], str]


class PhoneSentence(TypedDict):
    before: str
    number: str
    tel: str | None
    after: str


class TierCard(TypedDict):
    kind: str
    heading: str
    urgency: str
    fallback: PhoneSentence | None
    body: str


@overload
def localized_date(value: dt.date, lang: str) -> dict[str, str]: ...
@overload
def localized_date(value: Any, lang: str) -> dict[str, str] | None: ...
def localized_date(value: Any, lang: str) -> dict[str, str] | None:
    if not isinstance(value, dt.date):
        return None
    return {"iso": value.isoformat(), "text": format_date(value, format="long", locale=lang.replace("-", "_"))}


def header_view(project, catalogue: Catalogue, reader_lang: str, logo_size: dict[str, int] | None) -> dict[str, Any]:
    """The header's first line (the hospital's short name, then the library's name) and the logo's size."""
    return {
        "hospital": project.hospital_short_names[reader_lang],
        "library": catalogue.text("library_name"),
        "logo_size": logo_size,
    }


def image_size(path: Path) -> dict[str, int] | None:
    """An image's width and height in CSS pixels (an SVG's from its width and height, else its
    viewBox); None when the file gives none (the page then shows the image unsized)."""
    if path.suffix.lower() == ".svg":
        from xml.etree import ElementTree

        try:
            root = ElementTree.parse(path).getroot()
        except (ElementTree.ParseError, OSError, LookupError, ValueError):
            return None
        size = [root.get(name, "").removesuffix("px") for name in ("width", "height")]
        if not all(_is_number(value) for value in size):
            size = (root.get("viewBox") or "").replace(",", " ").split()[2:]
        if len(size) != 2 or not all(_is_number(value) for value in size):
            return None
        return {"width": max(1, round(float(size[0]))), "height": max(1, round(float(size[1])))}
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return {"width": image.width, "height": image.height}
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
        return None


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text)) and float(text) > 0
    except ValueError:
        return False


def phone_links(project) -> dict[str, str | None]:
    """What each hospital number links to (its tel: URI), or None on a kiosk: no one calls from a kiosk,
    so it shows the number as text."""
    return {key: None if project.kiosk["enabled"] else uri for key, uri in project.tel_uris.items()}


def tier_cards(red_flags: RedFlags, catalogue: Catalogue, project) -> list[TierCard]:
    """One care card per tier, most urgent first, headed in the reader's language."""
    values = placeholder_values(project.hospital)
    links = phone_links(project)
    cards: list[TierCard] = []
    for tier in sorted(
        red_flags.tiers, key=lambda tier: TIER_KINDS.index(tier.kind) if tier.kind in TIER_KINDS else 99
    ):
        if tier.kind not in TIER_KINDS:
            continue
        cards.append(
            {
                "kind": tier.kind,
                "heading": catalogue.text(f"red_flags.{tier.kind}.heading", **values),
                "urgency": catalogue.text(f"red_flags.{tier.kind}.urgency", **values),
                "fallback": phone_sentence(catalogue, f"red_flags.{tier.kind}.fallback", values, links["nurse_line"]),
                "body": tier.body,
            }
        )
    return cards


def phone_sentence(catalogue: Catalogue, key: str, values: dict[str, str], tel: str | None) -> PhoneSentence | None:
    """A sentence that gives the nurse line, split around the number so the template can keep it one
    unbroken, left-to-right run (in Arabic text a bare 1-800-555-0142 reads backwards): a link to `tel`
    (phone_links), or text where there is none."""
    if key not in catalogue.strings:
        return None
    before, marker, after = catalogue.text(key, **{**values, "nurse_line": "{nurse_line}"}).partition("{nurse_line}")
    number = values["nurse_line"] if marker else ""
    return {"before": before, "number": number, "tel": tel if number else None, "after": after}


def language_notice_view(
    catalogue: Catalogue,
    reader_lang: str,
    content_lang: str,
    names_url: str,
    patient_languages: PatientLanguages,
    hospital: dict[str, str],
) -> dict[str, Any]:
    """The notice a page shows when a record system asked for a language the library lacks, or another script
    of one it has (careleaf/model/patient_language.py). Its sentences come in pieces, text and the slots the page's
    script fills with the language's names from `names_url` (assets/javascripts/language-notice.js):
    `named` ("… in Korean. …"), `named_own` ("… in Korean (한국어). …") and `unnamed` (no name known)."""
    values = {
        **placeholder_values(hospital),
        "shown": content_language_name(reader_lang, content_lang, patient_languages),
    }
    unavailable = catalogue.strings["language_notice.unavailable"]
    own_name = _pieces(catalogue.strings["language_notice.own_name"], values)
    return {
        "names": names_url,
        "parameter": NOTICE_PARAMETER,
        "named": _pieces(unavailable, values, language=[{"slot": "name"}]),
        "named_own": _pieces(unavailable, values, language=own_name),
        "unnamed": catalogue.text("language_notice.unknown", **values),
    }


def _pieces(template: str, values: dict[str, str], **slots: list[dict[str, str]]) -> list[dict[str, str]]:
    """A locale string as text pieces and slots: {language} becomes `slots["language"]`, {name} and {autonym}
    slots of their own, every other placeholder its value."""
    pieces: list[dict[str, str]] = []
    for literal, field_name, _, _ in string.Formatter().parse(template):
        if literal:
            pieces.append({"text": literal})
        if field_name in slots:
            pieces += slots[field_name]
        elif field_name in ("name", "autonym"):
            pieces.append({"slot": field_name})
        elif field_name:
            pieces.append({"text": values.get(field_name, "{" + field_name + "}")})
    return pieces


def language_attrs(lang: str) -> dict[str, str]:
    return {"lang": lang, "dir": text_direction(lang)}


def absolute_url(site_url: str, url: str) -> str:
    """The address a reader types or scans: the site's public URL joined with a page's URL."""
    return urljoin(site_url, url) if site_url else url


def handout_paths(slug: str, reader_lang: str, default_lang: str, translated: bool = True) -> dict[str, str | None]:
    """Where the build writes an article's PDFs, relative to the site root: clear print, large print,
    and (for a translation) the translation followed by the English original."""
    folder = f"handouts/{reader_lang}/{slug}"
    return {
        "pdf": f"{folder}.pdf",
        "large_print": f"{folder}.large-print.pdf",
        "bilingual": f"{folder}.bilingual.pdf" if reader_lang != default_lang and translated else None,
    }


def article_card(
    page: Page, catalogue: Catalogue, url: str, with_category: bool = True, site_url: str = ""
) -> dict[str, Any]:
    """A related-article or library card: category, title and summary, in the page's own language."""
    return {
        "url": url,
        "address": absolute_url(site_url, url),
        "title": page.title,
        "summary": page.summary,
        "category": catalogue.strings.get(f"categories.{page.category}", page.category or "")
        if with_category
        else None,
        **language_attrs(page.lang),
    }


def library_groups(library: Library, catalogue: Catalogue, reader_lang: str, url_for: UrlFor) -> list[dict[str, Any]]:
    """The library as the home page lists it: every article a reader of this language gets, by category."""
    return [
        {
            "key": key,
            "name": catalogue.strings.get(f"categories.{key}", key),
            "articles": [
                {**article_card(article, catalogue, url_for(article.slug), with_category=False), "slug": article.slug}
                for article in articles
            ],
        }
        for key, articles in library.by_category(reader_lang).items()
    ]


def page_view(
    library: Library,
    catalogues: dict[str, Catalogue],
    page: Page,
    reader_lang: str,
    url_for: UrlFor,
    source_url: str | None,
    page_url: str = "",
    base_url: str = ".",
    page_dest_uri: str = "index.html",
    words_to_know: list[dict[str, str]] | None = None,
    language_notice: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything Careleaf adds around one page's content, for one reader language;
    `words_to_know` are the glossary entries the content marks (Glossary.marked_entries); `language_notice`
    (language_notice_view) where a record system can open the page (not on a kiosk)."""
    project = library.project
    catalogue = catalogues[reader_lang]
    values = placeholder_values(project.hospital)
    view: dict[str, Any] = {
        "t": catalogue.tree(**values),
        "hospital": project.hospital,
        "reader": language_attrs(reader_lang),
        "content": language_attrs(page.lang),
        "is_home": page.is_home,
        "is_fallback": page.lang != reader_lang,
        "is_machine_draft": page.lang != project.default_language and page.translation_status != "reviewed",
        "source_url": source_url if page.lang != project.default_language else None,
        "tel": phone_links(project),
        "language_name": project.language_names.get(reader_lang, reader_lang),
        "address": absolute_url(project.site_url, page_url),
        "kiosk": project.kiosk,
        # A kiosk without a printer offers no print button and no handouts.
        "print_enabled": not project.kiosk["enabled"] or project.kiosk["print"],
        # Search reads the index below this base: the reader's language only.
        "search_base": f"{base_url}/{reader_lang}/" if page_url.startswith(f"{reader_lang}/") else base_url,
        "language_notice": None if page.is_home else language_notice,
    }
    view["nurse_line"] = phone_sentence(catalogue, "disclaimer.nurse_line", values, view["tel"]["nurse_line"])
    view["clinical_review_pending"] = approval.readers_are_warned(library, page)
    stale = safety.staleness(library, page)
    view["is_stale"] = any(stale.values())
    if view["is_stale"]:
        # A translation without its English source (translation-orphan) stops the build.
        updated = localized_date(safety.english_updated(library, page), reader_lang)
        view["stale_notice"] = catalogue.text("translation.stale", date=updated["text"], **values)
    if page.is_home:
        view["library"] = library_groups(library, catalogue, reader_lang, url_for)
        return view
    view["review_dates"] = [
        {"label": catalogue.text(label), **date}
        for key, label in (("reviewed", "review.reviewed"), ("review_due", "review.due"))
        if (date := localized_date(page.meta.get(key), reader_lang)) is not None
    ]
    view["category"] = catalogue.strings.get(f"categories.{page.category}", page.category or "")
    # On paper a definition cannot open on tap: the handout lists them (in the content's language).
    view["words_to_know"] = words_to_know or []
    view["qr"] = qr_file_name(page_dest_uri)
    if project.handouts_built and view["print_enabled"]:
        view["handouts"] = handout_paths(
            page.slug, reader_lang, project.default_language, translated=page.lang == reader_lang
        )
    view["related"] = [
        article_card(target, catalogue, url_for(slug), site_url=project.site_url)
        for slug in page.related
        if (target := library.best(slug, reader_lang)) is not None
    ]
    return view


PACKET_PAGE = "print-handouts.md"


def packet_view(
    library: Library,
    catalogues: dict[str, Catalogue],
    reader_lang: str,
    url_for: UrlFor,
    english_url_for: Callable[[str], str | None],
    page_url: str = "",
    base_url: str = ".",
) -> dict[str, Any]:
    """The "Print several handouts" page: every article a reader of this language gets, by category,
    with its page (printed in the browser) and its PDFs (for a browser that cannot)."""
    project = library.project
    catalogue = catalogues[reader_lang]
    values = placeholder_values(project.hospital)
    default = project.default_language
    groups: list[dict[str, Any]] = []
    for key, articles in library.by_category(reader_lang).items():
        items = []
        for article in articles:
            item = article_card(article, catalogue, url_for(article.slug), with_category=False)
            item["slug"] = article.slug
            item["english_url"] = english_url_for(article.slug) if reader_lang != default else None
            if project.handouts_built:
                item["handouts"] = handout_paths(
                    article.slug, reader_lang, default, translated=article.lang == reader_lang
                )
            items.append(item)
        groups.append({"key": key, "name": catalogue.strings.get(f"categories.{key}", key), "articles": items})
    return {
        "t": catalogue.tree(**values),
        "hospital": project.hospital,
        "reader": language_attrs(reader_lang),
        "language_name": project.language_names.get(reader_lang, reader_lang),
        "library": groups,
        "with_english": any(item["english_url"] for group in groups for item in group["articles"]),
        "english_name": project.language_names.get(default, default),
        "search_base": f"{base_url}/{reader_lang}/" if page_url.startswith(f"{reader_lang}/") else base_url,
    }


def infobutton_view(
    library: Library,
    catalogues: dict[str, Catalogue],
    reader_lang: str,
    url_for: UrlFor,
    lookup: dict[str, Any],
    page_url: str = "",
    base_url: str = ".",
    language_notice: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The infobutton entry page: the library (what a reader without JavaScript, or with a code no article
    answers, chooses from), and the data its script looks a requested code up in (infobutton.lookup_data)."""
    project = library.project
    catalogue = catalogues[reader_lang]
    return {
        "t": catalogue.tree(**placeholder_values(project.hospital)),
        "hospital": project.hospital,
        "reader": language_attrs(reader_lang),
        "language_name": project.language_names.get(reader_lang, reader_lang),
        "library": library_groups(library, catalogue, reader_lang, url_for),
        # The script resolves the site-relative URLs in the data against the site root (base_url).
        "lookup": {**lookup, "root": base_url},
        "search_base": f"{base_url}/{reader_lang}/" if page_url.startswith(f"{reader_lang}/") else base_url,
        "language_notice": language_notice,
    }


def not_found_view(
    project, catalogues: dict[str, Catalogue], reader_lang: str, base_url: str | None = None
) -> dict[str, Any]:
    """The 404 page's strings, the reader's home and the base of their language's search index. On the
    web (`base_url` None) they start at the site's root: a server answers a 404 at any depth. Opened
    from disk (a kiosk), they are relative to the page (`base_url`, as MkDocs gives a page) and name
    index.html, which no server adds there."""
    folder = site_folder(reader_lang, project.default_language)
    if base_url is None:
        base_url = urlsplit(project.site_url).path or "/"
        home = posixpath.join(base_url, folder)
    else:
        home = posixpath.join(base_url, folder, "index.html")
    return {
        **catalogues[reader_lang].tree(**placeholder_values(project.hospital))["not_found"],
        "home_url": home,
        "search_base": posixpath.join(base_url, folder),
        # A kiosk's 404 page returns to the start page when idle, like every other page.
        "kiosk": project.kiosk if project.kiosk["enabled"] else None,
    }
