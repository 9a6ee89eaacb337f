"""A real `mkdocs build --strict` of the shipped library, read back with a real HTML parser."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from careleaf.model import project as project_settings
from careleaf.model.content import Library
from conftest import ROOT, copy_project, line_of, mkdocs_build

PROJECT = project_settings.load(ROOT / "mkdocs.yml")
LIBRARY = Library.load(PROJECT)
LANGUAGES = PROJECT.languages
SLUGS = LIBRARY.slugs
CATALOGUES = {
    lang: yaml.safe_load((ROOT / "locales" / f"{lang}.yml").read_text(encoding="utf-8")) for lang in LANGUAGES
}
ARTICLES = [(slug, lang) for slug in SLUGS for lang in LANGUAGES]
GLOSSARIES = {
    lang: yaml.safe_load((ROOT / "locales" / "glossary" / f"{lang}.yml").read_text(encoding="utf-8"))
    for lang in LANGUAGES
}


def page_path(lang: str, slug: str = "index") -> str:
    """Site-relative path of a page, e.g. 'es/muscle-spasm/index.html'."""
    prefix = "" if lang == PROJECT.default_language else f"{lang}/"
    return f"{prefix}{slug}/index.html" if slug != "index" else f"{prefix}index.html"


def read(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def marked_glossary_words(soup: BeautifulSoup, lang: str) -> list[tuple[str, str]]:
    """(term, definition) of each glossary entry the content marks as <abbr>, once, in order of first mark."""
    by_definition = {entry["definition"]: entry for entry in GLOSSARIES[lang].values()}
    words = {}
    for abbr in soup.select(".careleaf-content abbr"):
        entry = by_definition.get(abbr.get("title"))
        if entry is not None:
            assert abbr.get_text() in [entry["term"], *(entry.get("forms") or [])]
            words.setdefault(entry["term"], entry["definition"])
    return list(words.items())


def words_to_know(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """(term, definition) of each entry in the printed Words to know box, in order."""
    return [
        (item.dt.get_text(strip=True), item.dd.get_text(strip=True)) for item in soup.select(".careleaf-words dl > div")
    ]


def language_of(element) -> tuple[str, str]:
    """The language and direction an element is read in: its own or its nearest ancestor's."""
    lang = next(node["lang"] for node in [element, *element.parents] if node.get("lang"))
    direction = next(node["dir"] for node in [element, *element.parents] if node.get("dir"))
    return lang, direction


def resolve(from_path: str, href: str) -> str:
    """Where a relative link on `from_path` leads, as a site-relative file path."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), urlsplit(href).path))
    return target + "/index.html" if not target.endswith(".html") else target


def test_every_article_is_built_in_every_language(built_site):
    assert len(SLUGS) == 5 and len(LANGUAGES) == 5
    missing = [page_path(lang, slug) for slug, lang in ARTICLES if not (built_site / page_path(lang, slug)).is_file()]
    assert missing == []
    for lang in LANGUAGES:
        assert (built_site / page_path(lang)).is_file()


@pytest.mark.parametrize("slug,lang", ARTICLES + [("index", lang) for lang in LANGUAGES])
def test_page_declares_its_language_and_direction(built_site, slug, lang):
    soup = read(built_site, page_path(lang, slug))
    assert soup.html["lang"] == lang
    # On <html>: the whole document, its <head> and <title> included, has the language's direction.
    assert soup.html["dir"] == soup.body["dir"] == ("rtl" if lang == "ar" else "ltr")


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_switcher_points_to_the_same_article_in_each_language(built_site, slug, lang):
    path = page_path(lang, slug)
    soup = read(built_site, path)
    switcher = {a["hreflang"]: resolve(path, a["href"]) for a in soup.select("a.md-select__link")}
    assert switcher == {other: page_path(other, slug) for other in LANGUAGES}
    # The hreflang alternates are in sitemap.xml (absolute): Material fetches sitemap.xml beside each
    # <link rel="alternate"> a page has, so a page has none.
    assert soup.select("link[rel=alternate]") == []


def test_switcher_names_each_language_in_its_own_script(built_site):
    soup = read(built_site, page_path("es", "muscle-spasm"))
    names = {a["hreflang"]: (a.get_text(strip=True), a.get("lang")) for a in soup.select("a.md-select__link")}
    assert names == {
        "en": ("English", "en"),
        "es": ("Español", "es"),
        "zh": ("中文", "zh"),
        "vi": ("Tiếng Việt", "vi"),
        "ar": ("العربية", "ar"),
    }


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_related_cards_link_to_pages_in_the_same_language(built_site, slug, lang):
    path = page_path(lang, slug)
    soup = read(built_site, path)
    cards = soup.select(".careleaf-related .careleaf-card")
    related = LIBRARY.get(slug, lang).related
    assert len(cards) == len(related) > 0
    assert soup.select_one("#careleaf-related-heading").get_text(strip=True) == CATALOGUES[lang]["related"]["heading"]
    for card, target_slug in zip(cards, related, strict=True):
        target = LIBRARY.get(target_slug, lang)
        link = card.select_one("a.careleaf-card__title")
        assert resolve(path, link["href"]) == page_path(lang, target_slug)
        assert (built_site / page_path(lang, target_slug)).is_file()
        assert link.get_text(strip=True) == target.title
        assert card.select_one(".careleaf-card__summary").get_text(strip=True) == target.summary
        category = CATALOGUES[lang]["categories"][target.category]
        assert card.select_one(".careleaf-card__category").get_text(strip=True) == category


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_every_article_shows_its_complete_red_flag_card(built_site, slug, lang):
    soup = read(built_site, page_path(lang, slug))
    source = LIBRARY.get(slug, lang).red_flags()
    heading = soup.select_one("h2#red-flags")
    assert heading is not None and heading.get_text(strip=True) == source.heading
    cards = soup.select(".red-flags .care-card")
    assert [card["class"][1] for card in cards] == [f"care-card--{tier.kind}" for tier in source.tiers]
    strings = CATALOGUES[lang]["red_flags"]
    for card, tier in zip(cards, source.tiers, strict=True):
        title = card.select_one("h3.care-card__heading")
        hidden = title.select_one(".visually-hidden").get_text(strip=True)
        assert hidden == strings[tier.kind]["urgency"]
        expected = strings[tier.kind]["heading"].format(emergency_number=PROJECT.hospital["emergency_number"])
        assert title.get_text(" ", strip=True) == f"{hidden} {expected}"
        items = [li.get_text(" ", strip=True) for li in card.select(".care-card__content li")]
        assert len(items) == len(tier.items) > 0
        assert not card.find_parent("details") and card.name != "details"
    emergency = soup.select_one(".care-card--emergency h3")
    assert PROJECT.hospital["emergency_number"] in emergency.get_text()


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_every_article_shows_disclaimer_review_dates_and_emergency_number(built_site, slug, lang):
    soup = read(built_site, page_path(lang, slug))
    about = soup.select_one(".careleaf-about")
    text = about.get_text(" ", strip=True)
    assert CATALOGUES[lang]["disclaimer"]["text"] in text
    assert PROJECT.hospital["emergency_number"] in text
    times = {time["datetime"] for time in about.select("time")}
    page = LIBRARY.get(slug, lang)
    assert times == {page.meta["reviewed"].isoformat(), page.meta["review_due"].isoformat()}
    description = soup.head.select_one("meta[name=description]")["content"]
    assert description == page.summary


@pytest.mark.parametrize("slug,lang", [(slug, lang) for slug, lang in ARTICLES if lang != "en"])
def test_machine_draft_translation_says_so_and_links_the_english_original(built_site, slug, lang):
    path = page_path(lang, slug)
    soup = read(built_site, path)
    notice = soup.select_one(".careleaf-notice--draft")
    assert notice is not None
    assert CATALOGUES[lang]["translation"]["machine_draft"] in notice.get_text(" ", strip=True)
    assert resolve(path, notice.a["href"]) == page_path("en", slug)


def test_english_pages_carry_no_translation_notice(built_site):
    for slug in SLUGS:
        soup = read(built_site, page_path("en", slug))
        assert soup.select(".careleaf-notice--draft, .careleaf-notice--stale, .careleaf-notice--fallback") == []


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_an_article_no_clinician_approved_says_so_in_the_readers_language(built_site, slug, lang):
    # Nobody has approved the shipped library (careleaf approve): every article says so.
    soup = read(built_site, page_path(lang, slug))
    notices = soup.select(".careleaf-notice--clinical")
    assert [notice.get_text(" ", strip=True) for notice in notices] == [CATALOGUES[lang]["clinical_review"]["pending"]]
    assert notices[0].find_parent(class_="careleaf-content") is None  # above the article, not inside it


def test_home_pages_carry_no_clinical_review_notice(built_site):
    for lang in LANGUAGES:
        assert read(built_site, page_path(lang)).select(".careleaf-notice--clinical") == []


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_words_to_know_defines_each_glossary_word_the_page_marks_once_in_its_language(built_site, slug, lang):
    soup = read(built_site, page_path(lang, slug))
    marked = marked_glossary_words(soup, lang)
    assert marked, "every shipped article uses glossary words"
    box = soup.select_one("aside.careleaf-words.print-only")
    assert box.select_one("h2").get_text(strip=True) == CATALOGUES[lang]["glossary"]["words_to_know"]
    assert words_to_know(soup) == marked
    assert language_of(box.dl) == (lang, "rtl" if lang == "ar" else "ltr")
    # After the content, before the related articles.
    assert box.find_previous_sibling(class_="careleaf-content") is not None
    assert box.find_next_sibling(class_="careleaf-related") is not None


def test_words_to_know_leave_out_an_editors_own_abbreviation():
    from careleaf.model.glossary import Glossary

    cast = {"term": "cast", "forms": ["casts"], "definition": "A hard cover that holds a bone still."}
    words = Glossary("en", Path("en.yml"), terms={"cast": cast})
    html = (
        '<p><abbr title="Computer-assisted surgery">cast</abbr> <abbr title="{0}">casts</abbr>'
        ' <abbr title="{0}">cast</abbr></p>'
    ).format(cast["definition"])
    assert words.marked_entries(html) == [{"term": "cast", "definition": cast["definition"]}]
    assert words.marked_entries("<p>A cast, not marked.</p>") == []


def test_home_pages_have_no_words_to_know(built_site):
    for lang in LANGUAGES:
        assert read(built_site, page_path(lang)).select(".careleaf-words") == []


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_urgent_card_says_what_to_do_when_the_provider_cannot_be_reached(built_site, slug, lang):
    card = read(built_site, page_path(lang, slug)).select_one(".red-flags .care-card--urgent")
    fallback = card.select_one(".care-card__fallback")
    expected = CATALOGUES[lang]["red_flags"]["urgent"]["fallback"].format(nurse_line=PROJECT.hospital["nurse_line"])
    assert " ".join(fallback.get_text().split()) == expected
    assert PROJECT.hospital["nurse_line"] in expected
    # The number is one tappable link that never breaks across lines.
    assert fallback.a.get_text() == PROJECT.hospital["nurse_line"]
    assert fallback.a["href"] == PROJECT.tel_uris["nurse_line"]
    # After the signs: the reader meets the conditions first, then what to do out of hours.
    assert fallback.find_previous_sibling("ul") is not None
    page = read(built_site, page_path(lang, slug))
    assert page.select(".care-card--contact .care-card__fallback") == []
    # The emergency card ends with its own line (nobody drives; the ambulance for a stroke…), never the nurse line.
    emergency = CATALOGUES[lang]["red_flags"]["emergency"]["fallback"].format(
        emergency_number=PROJECT.hospital["emergency_number"]
    )
    assert [
        " ".join(line.get_text().split()) for line in page.select(".care-card--emergency .care-card__fallback")
    ] == [emergency]
    assert PROJECT.hospital["nurse_line"] not in emergency


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_page_lists_the_library_by_category_in_its_language(built_site, lang):
    path = page_path(lang)
    soup = read(built_site, path)
    groups = soup.select(".careleaf-library h3")
    names = CATALOGUES[lang]["categories"]
    assert sorted(group.get_text(strip=True) for group in groups) == sorted(names.values())
    links = soup.select(".careleaf-library a.careleaf-card__title")
    assert sorted(resolve(path, a["href"]) for a in links) == sorted(page_path(lang, slug) for slug in SLUGS)
    assert {a.get_text(strip=True) for a in links} == {LIBRARY.get(slug, lang).title for slug in SLUGS}


def test_no_resource_is_loaded_from_a_third_party_host(built_site):
    offenders = []
    for html in built_site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"), ("link", "href")):
            for element in soup.find_all(tag):
                value = element.get(attr) or ""
                if tag == "link" and set(element.get("rel", [])) & {"canonical", "alternate"}:
                    continue  # links to pages, not resources the browser fetches
                if urlsplit(value).scheme in {"http", "https"} or value.startswith("//"):
                    offenders.append(f"{html.relative_to(built_site)}: <{tag} {attr}={value}>")
        for style in soup.find_all("style"):
            if "url(http" in style.get_text() or "@import" in style.get_text():
                offenders.append(f"{html.relative_to(built_site)}: <style> loads {style.get_text()[:60]}")
    for css in built_site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        if "url(http" in text or "url(//" in text or "@import url(http" in text:
            offenders.append(str(css.relative_to(built_site)))
    assert offenders == []


# ---------------------------------------------------------------------------
# Builds of a changed copy
# ---------------------------------------------------------------------------


def test_missing_translation_falls_back_to_english_with_a_notice(tmp_path):
    project = copy_project(tmp_path / "project")
    for lang in ("es", "ar"):
        (project / "docs" / lang / "finger-dislocation.md").unlink()
    result = mkdocs_build(project, tmp_path / "site", strict=False, handouts=False)
    assert result.returncode == 0, result.stderr
    assert "docs/es/finger-dislocation.md:1: error: no 'es' translation" in result.stderr
    english = LIBRARY.get("finger-dislocation", "en")
    for lang in ("es", "ar"):
        path = page_path(lang, "finger-dislocation")
        soup = read(tmp_path / "site", path)
        notice = soup.select_one(".careleaf-notice--fallback")
        assert notice.get_text(strip=True) == CATALOGUES[lang]["fallback"]["notice"]
        content = soup.select_one(".careleaf-content")
        assert (content["lang"], content["dir"]) == ("en", "ltr")
        assert content.h1.get_text(strip=True) == english.title
        # The red-flag card is complete, its headings in the reader's language.
        cards = soup.select(".care-card")
        assert len(cards) == len(english.red_flags().tiers)
        assert cards[0].h3["lang"] == lang
        # Words to know: headed in the reader's language, the English words and definitions marked English.
        box = soup.select_one(".careleaf-words")
        assert box.h2.get_text(strip=True) == CATALOGUES[lang]["glossary"]["words_to_know"]
        assert language_of(box.h2) == (lang, "rtl" if lang == "ar" else "ltr")
        assert language_of(box.dl) == ("en", "ltr")
        english_words = marked_glossary_words(soup, "en")
        assert english_words and words_to_know(soup) == english_words
        # Other pages' related cards show the English title, marked as English.
        other = read(tmp_path / "site", page_path(lang, "broken-finger-closed"))
        link = next(a for a in other.select(".careleaf-card__title") if "finger-dislocation" in a["href"])
        assert (link["lang"], link.get_text(strip=True)) == ("en", english.title)


def test_a_page_that_uses_no_glossary_word_has_no_words_to_know(tmp_path):
    project = copy_project(tmp_path / "project")
    # No English article uses any English glossary word now (the validator only warns).
    unused = {key: {**entry, "term": f"unused-word-{key}", "forms": []} for key, entry in GLOSSARIES["en"].items()}
    (project / "locales" / "glossary" / "en.yml").write_text(
        yaml.safe_dump(unused, allow_unicode=True), encoding="utf-8"
    )
    result = mkdocs_build(project, tmp_path / "site", strict=False, handouts=False)
    assert result.returncode == 0, result.stderr
    for slug in SLUGS:
        soup = read(tmp_path / "site", page_path("en", slug))
        assert soup.select(".careleaf-content abbr") == [] and soup.select(".careleaf-words") == []
    # The same build still gives a Spanish page, whose words are still glossary words, its box.
    assert read(tmp_path / "site", page_path("es", SLUGS[0])).select(".careleaf-words dl > div")


def test_strict_build_fails_on_a_missing_translation(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "docs" / "vi" / "muscle-spasm.md").unlink()
    result = mkdocs_build(project, tmp_path / "site", strict=True, handouts=False)
    assert result.returncode != 0
    assert "docs/vi/muscle-spasm.md:1: error: no 'vi' translation" in result.stderr


def test_build_fails_loudly_on_a_broken_red_flag_card(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "docs" / "zh" / "open-finger-fracture.md"
    path.write_text(path.read_text(encoding="utf-8").replace("!!! urgent", "!!! warning"), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site", strict=False, handouts=False)
    assert result.returncode != 0
    line = line_of(path, "!!! warning")
    assert f"docs/zh/open-finger-fracture.md:{line}: error: unknown tier 'warning'" in result.stderr
    assert not (tmp_path / "site" / "zh" / "open-finger-fracture" / "index.html").exists()


def test_build_fails_on_an_unknown_related_slug(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "docs" / "en" / "muscle-spasm.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  - finger-dislocation\n", "  - finger-dislocaton\n", 1),
        encoding="utf-8",
    )
    result = mkdocs_build(project, tmp_path / "site", strict=False, handouts=False)
    assert result.returncode != 0
    assert (
        f"docs/en/muscle-spasm.md:{line_of(path, 'related:')}: error: related article 'finger-dislocaton' does not exist"
        in result.stderr
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_site_is_named_in_the_reader_language_with_the_hospital_name(built_site, lang):
    soup = read(built_site, page_path(lang, "muscle-spasm"))
    expected = CATALOGUES[lang]["site_name"].format(hospital=PROJECT.hospital["name"])
    assert soup.title.get_text(strip=True).endswith(f" - {expected}")
    assert soup.select_one(".md-header__button.md-logo")["aria-label"] == expected
    # The header's first line: the hospital's short name in this language, then the library's name.
    site = soup.select_one(".md-header__topic.careleaf-header__site")
    assert site.select_one(".careleaf-header__hospital").get_text(strip=True) == PROJECT.hospital_short_names[lang]
    assert site.select_one(".careleaf-header__library").get_text(strip=True) == CATALOGUES[lang]["library_name"]


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_every_article_has_a_print_button_and_links_its_handouts(built_site, slug, lang):
    path = page_path(lang, slug)
    soup = read(built_site, path)
    strings = CATALOGUES[lang]["print"]
    assert soup.select_one(".careleaf-actions button").get_text(strip=True) == strings["button"]
    links = {
        a.get_text(strip=True): resolve(path, a["href"]).removesuffix("/index.html")
        for a in soup.select(".careleaf-actions a")
    }
    expected = {
        strings["download"]: f"handouts/{lang}/{slug}.pdf",
        strings["download_large_print"]: f"handouts/{lang}/{slug}.large-print.pdf",
    }
    if lang != "en":
        expected[strings["download_bilingual"]] = f"handouts/{lang}/{slug}.bilingual.pdf"
    assert links == expected
    # The build printed every PDF it links to.
    assert all((built_site / target).is_file() for target in expected.values())
    assert (built_site / posixpath.dirname(path) / "index.qr.svg").is_file()


def test_sitemap_lists_every_page_with_its_alternates_and_x_default(built_site):
    from xml.etree import ElementTree

    namespaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ElementTree.parse(built_site / "sitemap.xml").getroot()
    urls = {url.find("s:loc", namespaces).text: url for url in root.findall("s:url", namespaces)}
    site = PROJECT.site_url
    expected = {
        site + page_path(lang, slug).removesuffix("index.html") for slug in [*SLUGS, "index"] for lang in LANGUAGES
    }
    assert set(urls) == expected
    for slug in SLUGS:
        for lang in LANGUAGES:
            links = {
                link.get("hreflang"): link.get("href")
                for link in urls[site + page_path(lang, slug).removesuffix("index.html")].findall("x:link", namespaces)
            }
            assert links == {
                **{other: site + page_path(other, slug).removesuffix("index.html") for other in LANGUAGES},
                "x-default": site + page_path(PROJECT.default_language, slug).removesuffix("index.html"),
            }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_not_found_page_speaks_the_reader_language_and_leads_home(built_site, lang):
    path = "404.html" if lang == PROJECT.default_language else f"{lang}/404.html"
    soup = read(built_site, path)
    assert soup.html["lang"] == lang
    assert soup.h1.get_text(strip=True) == CATALOGUES[lang]["not_found"]["heading"]
    home = soup.find("a", string=CATALOGUES[lang]["not_found"]["home"])
    assert home["href"] == ("/" if lang == PROJECT.default_language else f"/{lang}/")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_navigation_is_grouped_by_category_and_carries_only_the_current_one(built_site, lang):
    soup = read(built_site, page_path(lang, "muscle-spasm"))
    nav = soup.select_one(".md-nav--primary")
    sections = {
        item.find(["label", "a"]).get_text(" ", strip=True): item
        for item in nav.select(":scope > ul > li.md-nav__item--nested")
    }
    assert set(sections) == set(CATALOGUES[lang]["categories"].values())
    own = sections[CATALOGUES[lang]["categories"]["muscles"]]
    other = sections[CATALOGUES[lang]["categories"]["bones-and-joints"]]
    assert "md-nav__item--pruned" in other["class"] and other.select("li") == []
    assert LIBRARY.get("muscle-spasm", lang).title in own.get_text(" ", strip=True)


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_the_nurse_line_is_one_left_to_right_link_on_screen_and_on_paper(built_site, slug, lang):
    # In Arabic text a bare 1-800-555-0142 is laid out as 0142-555-800-1: the number is isolated.
    soup = read(built_site, page_path(lang, slug))
    about = soup.select(".careleaf-about")
    assert [sorted(block["class"]) for block in about] == [
        ["careleaf-about", "careleaf-about--paper", "print-only"],
        ["careleaf-about", "careleaf-about--screen"],
    ]
    for block in about:
        [number] = block.select("a.careleaf-tel")
        assert number.get_text() == PROJECT.hospital["nurse_line"] and number["dir"] == "ltr"
        assert number["href"] == PROJECT.tel_uris["nurse_line"]
