"""The HL7 Infobutton entry point: <site>/infobutton/ sends a record system's request (a diagnosis code,
its system, the patient's language) to the matching article, in Chromium over HTTP; and
infobutton/index.json, the same knowledge for a program."""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

import pytest
from babel import Locale

from careleaf.model.codes import ICD10CM, SNOMEDCT, CodeIndex
from careleaf.model.patient_language import NOTICE_PARAMETER, UNKNOWN, PatientLanguages
from careleaf.outputs.infobutton import INDEX_FILE
from conftest import FALLBACK_SLUG
from test_accessibility import axe_violations
from test_build import CATALOGUES, LANGUAGES, LIBRARY, PROJECT, SLUGS, page_path, read
from test_csp import REPORT_VIOLATIONS

INDEX = CodeIndex.from_library(LIBRARY)
SITE_URL = PROJECT.site_url
MAIN = "mainSearchCriteria.v."
LANGUAGE = "informationRecipient.languageCode.c"
SETTLED = ".careleaf-infobutton__search:not([hidden]), .careleaf-infobutton__matches:not([hidden])"
NOTICE = ".careleaf-notice--language"


def entry_page(lang: str) -> str:
    return "infobutton/" if lang == PROJECT.default_language else f"{lang}/infobutton/"


def request(
    code: str | None = None,
    system: str = ICD10CM,
    lang: str | None = None,
    name: str | None = None,
    page: str = "infobutton/",
    **more: str,
) -> str:
    """An infobutton URL (site-relative) as a record system writes it."""
    params = [
        (f"{MAIN}c", code),
        (f"{MAIN}cs", system if code is not None else None),
        (f"{MAIN}dn", name),
        (LANGUAGE, lang),
    ]
    params += list(more.items())
    return f"{page}?{urlencode([(key, value) for key, value in params if value is not None])}"


def article_url(site: str, slug: str, lang: str, asked: str | None = None) -> str:
    """An article's address; `asked`: the language the infobutton page tells it a record asked for."""
    notice = f"?{urlencode({NOTICE_PARAMETER: asked})}" if asked else ""
    return f"{site}/{page_path(lang, slug).removesuffix('index.html')}{notice}"


@pytest.fixture
def visit(browser, served_site):
    """A page in a fresh context; no request may leave the served site, nothing may break its policy."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)  # a page that sends the reader nowhere fails in seconds, not minutes
    outside: list[str] = []
    context.on("request", lambda sent: None if sent.url.startswith(served_site + "/") else outside.append(sent.url))
    violations: list[dict] = []
    context.expose_function("reportViolation", lambda violation: violations.append(violation))
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert outside == [], "the infobutton page reached off the site"
    assert errors == [] and violations == []


def articles_answer_blank(page, site: str) -> None:
    """Every page but the infobutton page opens empty: a test of where that page sends the reader, many
    times over, need not load each article (their own tests do)."""

    def answer(route) -> None:
        sent = route.request
        if sent.resource_type == "document" and not urlsplit(sent.url).path.endswith("/infobutton/"):
            route.fulfill(body="<!doctype html><title>article</title>", content_type="text/html")
        else:
            route.continue_()

    page.route(f"{site}/**", answer)


def land(page, site: str, path: str, expected: str | None = None) -> str:
    """Open an infobutton URL and wait until the page has sent the reader on (to `expected`) or shown its answer."""
    page.goto(f"{site}/{path}")
    if expected is not None:
        page.wait_for_url(expected)
    else:
        page.wait_for_selector(SETTLED, state="attached")
    page.wait_for_load_state("load")
    return page.url


def shown_slugs(page) -> list[str]:
    return page.eval_on_selector_all(
        ".careleaf-infobutton__matches li", "items => items.map(item => item.dataset.slug)"
    )


# ---------------------------------------------------------------------------
# A real request lands on the right article, in the patient's language
# ---------------------------------------------------------------------------

LANDINGS = [
    # (code, system, requested language, the page the EHR opened, article, language it opens in)
    ("S62.610A", ICD10CM, "es", "infobutton/", "broken-finger-closed", "es"),  # closed finger fracture
    ("S62610A", ICD10CM, "es-US", "infobutton/", "broken-finger-closed", "es"),  # no dot, a region
    ("s62.610a", ICD10CM, "ES", "zh/infobutton/", "broken-finger-closed", "es"),  # lower case code, upper case language
    ("S62.610B", ICD10CM, "zh", "infobutton/", "open-finger-fracture", "zh"),  # open finger fracture
    ("S62610B", ICD10CM, "zh-CN", "es/infobutton/", "open-finger-fracture", "zh"),
    ("S62.610B", ICD10CM, "AR-EG", "ar/infobutton/", "open-finger-fracture", "ar"),
    ("S63.259A", ICD10CM, "es_US", "infobutton/", "finger-dislocation", "es"),  # finger dislocation
    ("S63.200A", ICD10CM, "vi", "infobutton/", "finger-dislocation", "vi"),
    ("M62.831", ICD10CM, "es", "infobutton/", "muscle-spasm", "es"),  # calf muscle spasm
    ("M62831", ICD10CM, "ar", "vi/infobutton/", "muscle-spasm", "ar"),
    ("24424003", SNOMEDCT, "zh", "infobutton/", "broken-finger-closed", "zh"),  # SNOMED CT concepts
    ("21698002", SNOMEDCT, "es-MX", "infobutton/", "open-finger-fracture", "es"),
    ("1342431003", SNOMEDCT, "ar", "infobutton/", "finger-dislocation", "ar"),
    ("45352006", "SNOMED CT", "vi", "infobutton/", "muscle-spasm", "vi"),  # a system named by name
    ("M62.831", f"urn:oid:{ICD10CM}", "en-US", "es/infobutton/", "muscle-spasm", "en"),
    ("S62.610A", ICD10CM, "fr", "infobutton/", "broken-finger-closed", "en"),  # no French: English (and a notice)
    ("S62.610A", ICD10CM, "fr-CA", "es/infobutton/", "broken-finger-closed", "en"),
    ("M62.831", ICD10CM, None, "es/infobutton/", "muscle-spasm", "es"),  # no language: the page's
    ("M62.831", ICD10CM, None, "infobutton/", "muscle-spasm", "en"),
]


@pytest.mark.parametrize("code,system,lang,opened,slug,landed", LANDINGS)
def test_a_request_lands_on_its_article_in_the_patients_language(
    visit, served_site, code, system, lang, opened, slug, landed
):
    expected = article_url(served_site, slug, landed, asked="fr" if lang and lang.startswith("fr") else None)
    assert land(visit, served_site, request(code, system, lang, page=opened), expected) == expected
    assert visit.locator("html").get_attribute("lang") == landed
    assert visit.locator("h1").first.inner_text().strip() == LIBRARY.best(slug, landed).title


def test_repeated_and_numbered_codes_use_the_first_one_an_article_answers(visit, served_site):
    # Repeated .v.c, one .v.cs for all: Z99.9 answers nothing, M62.831 does.
    path = "infobutton/?" + urlencode(
        [(f"{MAIN}c", "Z99.9"), (f"{MAIN}c", "M62.831"), (f"{MAIN}cs", ICD10CM), (LANGUAGE, "es")]
    )
    assert land(visit, served_site, path, article_url(served_site, "muscle-spasm", "es"))
    # Repeated codes of different systems, paired by position.
    path = "infobutton/?" + urlencode(
        [
            (f"{MAIN}c", "S62.610B"),
            (f"{MAIN}cs", ICD10CM),
            (f"{MAIN}c", "24424003"),
            (f"{MAIN}cs", SNOMEDCT),
            (LANGUAGE, "zh"),
        ]
    )
    assert land(visit, served_site, path, article_url(served_site, "open-finger-fracture", "zh"))
    # Numbered .v.c1 with its own .v.cs1 after an unnumbered code nothing answers.
    path = request("Z99.9", lang="ar", **{f"{MAIN}c1": "1342431003", f"{MAIN}cs1": SNOMEDCT})
    assert land(visit, served_site, path, article_url(served_site, "finger-dislocation", "ar"))
    # .v.c0, .v.c1: the lower number first, whatever the order in the address.
    path = "infobutton/?" + urlencode(
        [
            (f"{MAIN}c1", "S62.610B"),
            (f"{MAIN}cs1", ICD10CM),
            (f"{MAIN}c0", "M62.831"),
            (f"{MAIN}cs0", ICD10CM),
            (LANGUAGE, "vi"),
        ]
    )
    assert land(visit, served_site, path, article_url(served_site, "muscle-spasm", "vi"))


# The page applies careleaf/model/codes.py's rule exactly: the same answer as CodeIndex.match for each of these.
PARITY = [
    (ICD10CM, code)
    for code in (
        "S62.610A",
        "S62610B",
        "s62.666a",
        " S62.610D ",
        "S62.610G",
        "S62.610K",
        "S62.610P",
        "S62.610S",
        "S62.6",
        "S62.61",
        "S62",
        "S62.001A",
        "S62.002D",
        "S62.035A",
        "S62.0",
        "S63.259A",
        "S63.289D",
        "S63.290S",
        "S63.2",
        "S63",
        "M62.831",
        "m62.830",
        "M62.83",
        "M62.8",
        "R25.2",
        "R25",
        "Z99.9",
        "S52.501A",
        "24424003",
    )
] + [(SNOMEDCT, code) for code in ("24424003", " 21698002", "31975004", "1342431003", "45352006", "4535200", "S62.6")]


def test_the_page_answers_every_code_as_codes_py_does(visit, served_site):
    articles_answer_blank(visit, served_site)
    for system, code in PARITY:
        slugs = INDEX.match(system, code)
        path = request(code, system, "en")
        if len(slugs) == 1:
            assert land(visit, served_site, path, article_url(served_site, slugs[0], "en")), code
            continue
        land(visit, served_site, path)
        assert urlsplit(visit.url).path == "/infobutton/", code
        assert sorted(shown_slugs(visit)) == slugs, code
        assert visit.locator(".careleaf-infobutton__matches").is_visible() == bool(slugs), code
        assert visit.locator(".careleaf-library").is_visible() == (not slugs), code


# ---------------------------------------------------------------------------
# The patient's language as record systems write it, and the notice when the library lacks it
# ---------------------------------------------------------------------------

KOREAN = "This page is not available in Korean (한국어). Here it is in English."
TRADITIONAL = "此页面没有繁体中文（繁體中文）版本。下面是简体中文版本。"
NAMES_NONE = "This page is not available in the language that was asked for. Here it is in English."

PATIENT_LANGUAGES = [
    # (informationRecipient.languageCode.c, language of the article opened, the notice it shows)
    ("spa", "es", None),
    ("ara", "ar", None),
    ("vie", "vi", None),
    ("zho", "zh", None),
    ("chi", "zh", None),
    ("sp", "es", None),
    ("es-US", "es", None),
    ("SPA", "es", None),
    ("zh-Hans-CN", "zh", None),
    ("es_419", "es", None),
    ("zh-Hant", "zh", TRADITIONAL),
    ("zh-TW", "zh", TRADITIONAL),
    ("zh-HK", "zh", TRADITIONAL),
    ("zh_MO", "zh", TRADITIONAL),
    ("kor", "en", KOREAN),
    ("ko", "en", KOREAN),
    ("KO-kr", "en", KOREAN),
    ("xx", "en", NAMES_NONE),
]


@pytest.mark.parametrize("code,landed,notice", PATIENT_LANGUAGES)
def test_a_record_systems_language_code_opens_the_article_in_that_language_or_says_why_not(
    visit, served_site, code, landed, notice
):
    path = "/" + page_path(landed, "muscle-spasm").removesuffix("index.html")
    land(
        visit, served_site, request("M62.831", lang=code, page="es/infobutton/"), lambda url: urlsplit(url).path == path
    )
    assert visit.locator("html").get_attribute("lang") == landed
    assert visit.locator("h1").first.inner_text().strip() == LIBRARY.best("muscle-spasm", landed).title
    if notice is None:
        assert urlsplit(visit.url).query == "" and not visit.locator(NOTICE).is_visible()
        return
    visit.wait_for_selector(f"{NOTICE}:not([hidden])")
    assert visit.inner_text(NOTICE) == notice
    # The language's own name is marked as that language, for a screen reader (WCAG 3.1.2).
    own = visit.locator(f"{NOTICE} [data-slot='autonym']:visible")
    if notice == NAMES_NONE:
        assert own.count() == 0
    else:
        assert own.get_attribute("lang") == {"en": "ko", "zh": "zh-Hant"}[landed]


@pytest.fixture(scope="module")
def page_table(built_site) -> PatientLanguages:
    """The table the entry page's script answers a language code with, as the build embedded it."""
    soup = read(built_site, "es/infobutton/index.html")
    table = json.loads(soup.select_one("script#careleaf-infobutton-data").string)["patient_language"]
    assert table == PatientLanguages.for_site(sorted(LANGUAGES), PROJECT.default_language).as_data()
    return PatientLanguages(table)


# The page answers a language code exactly as careleaf/model/patient_language.py does: each of these, and a sample
# of every code the table holds (ISO 639-1, 639-2/T and /B, deprecated codes), with regions and scripts.
LANGUAGE_PARITY = [
    "spa",
    "ara",
    "vie",
    "zho",
    "chi",
    "sp",
    "es-US",
    "zh-Hant",
    "zh-TW",
    "kor",
    "ko",
    "eng",
    "en-GB",
    "fr",
    "fre",
    "zh-Hans-TW",
    "zh-Hant-CN",
    "zh-SG",
    "zh-US",
    "zh-hk-hant",
    "chi_TW",
    "zh-Latn",
    "yue",
    "tl",
    "iw",
    "und",
    "UND-us",
    "",
    " ",
    " es ",
    "\tar\n",
    "-es",
    "_zh",
    "es--US",
    "mul",
    "zxx",
    "mis",
    "qaa",
    "constructor",
    "__proto__",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "es\u00a0",
    "\u212ao",
    "ES-\u0130",
    "<b>es</b>",
    "es-419",
    "ar-Latn",
    "vi-VN-x-private",
]


def parity_codes(page_table: PatientLanguages) -> list[str]:
    return LANGUAGE_PARITY + sorted(page_table.table["languages"])[::45]


def test_the_page_answers_every_language_code_as_patient_language_py_does(visit, served_site, page_table):
    codes = parity_codes(page_table)
    articles_answer_blank(visit, served_site)
    for code in codes:
        answer = page_table.answer(code)
        expected = article_url(served_site, "muscle-spasm", answer.language or "es", answer.asked)
        assert land(visit, served_site, request("M62.831", lang=code, page="es/infobutton/"), expected) == expected, (
            repr(code)
        )
    assert len(codes) > 70


def test_every_article_those_codes_open_shows_its_notice_without_an_error(visit, served_site, page_table):
    # The articles the test above opened blank, each once, as readers see them (the visit fixture fails
    # on a script error or a policy violation).
    answers = [page_table.answer(code) for code in parity_codes(page_table)]
    destinations = sorted({(answer.language or "es", answer.asked) for answer in answers}, key=str)
    assert sum(1 for _, asked in destinations if asked) > 20
    for lang, asked in destinations:
        visit.goto(article_url(served_site, "muscle-spasm", lang, asked))
        if asked:
            visit.wait_for_selector(f"{NOTICE}:not([hidden])")
            assert visit.inner_text(NOTICE).strip(), asked
        else:
            assert visit.locator(NOTICE).count() == 0 or visit.locator(f"{NOTICE}:not([hidden])").count() == 0


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_notice_names_the_language_in_the_pages_language(visit, served_site, lang):
    shown = {"en": "English", "es": "español", "zh": "简体中文", "vi": "Tiếng Việt", "ar": "العربية"}[lang]
    strings = CATALOGUES[lang]["language_notice"]
    language = strings["own_name"].format(name=Locale.parse(lang).languages["ko"], autonym="한국어")
    visit.goto(f"{article_url(served_site, 'muscle-spasm', lang, 'ko')}")
    visit.wait_for_selector(f"{NOTICE}:not([hidden])")
    assert visit.inner_text(NOTICE) == strings["unavailable"].format(language=language, shown=shown)


@pytest.mark.parametrize("asked", ['<img src=x alt="x">', "constructor", "__proto__", UNKNOWN, "javascript:alert(1)"])
def test_a_language_the_table_does_not_hold_is_never_shown_from_the_address(visit, served_site, asked):
    visit.goto(article_url(served_site, "muscle-spasm", "en", asked))
    visit.wait_for_selector(f"{NOTICE}:not([hidden])")
    assert visit.inner_text(NOTICE) == NAMES_NONE
    assert visit.locator(f"{NOTICE} img, {NOTICE} [data-slot]:visible").count() == 0


def test_a_list_or_a_message_carries_the_notice_too(visit, served_site):
    # Several articles for a Traditional Chinese reader: the Simplified Chinese entry page lists them and says so.
    land(visit, served_site, request("S62.6", lang="zh-TW"))
    assert urlsplit(visit.url).path == "/zh/infobutton/"
    visit.wait_for_selector(f"{NOTICE}:not([hidden])")
    assert visit.inner_text(NOTICE) == TRADITIONAL
    # No article for a Korean reader: the English entry page's message, and the notice.
    land(visit, served_site, request("Z99.9", lang="kor", page="es/infobutton/"))
    assert urlsplit(visit.url).path == "/infobutton/"
    visit.wait_for_selector(f"{NOTICE}:not([hidden])")
    assert visit.inner_text(NOTICE) == KOREAN
    assert visit.inner_text(".careleaf-infobutton__message") == CATALOGUES["en"]["infobutton"]["no_match"]


@pytest.mark.parametrize(
    "path",
    [
        f"muscle-spasm/?{NOTICE_PARAMETER}=ko",
        f"zh/muscle-spasm/?{NOTICE_PARAMETER}=zh-Hant",
        f"ar/muscle-spasm/?{NOTICE_PARAMETER}=ko",
    ],
)
def test_an_article_with_the_notice_passes_axe(visit, served_site, path):
    visit.goto(f"{served_site}/{path}")
    visit.wait_for_selector(f"{NOTICE}:not([hidden])")
    assert axe_violations(visit) == []


# ---------------------------------------------------------------------------
# Several matches: a short list; none: a message, the library and search
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code,lang,opened",
    [
        ("S62.6", "es", "infobutton/"),
        ("S62.6", "zh", "zh/infobutton/"),
        ("S62.6", "ar", "vi/infobutton/"),  # a category
        # A follow-up visit for a finger fracture: S62's D and G do not say open or closed, both articles claim them.
        ("S62.610D", "vi", "infobutton/"),
        ("s62.625g", "es", "ar/infobutton/"),
    ],
)
def test_a_request_several_articles_answer_lists_them_in_the_patients_language(visit, served_site, code, lang, opened):
    expected = INDEX.match(ICD10CM, code)
    assert expected == ["broken-finger-closed", "open-finger-fracture"]
    land(visit, served_site, request(code, lang=lang, page=opened))
    assert urlsplit(visit.url).path == f"/{entry_page(lang)}"
    assert visit.locator("html").get_attribute("lang") == lang
    assert visit.inner_text(".careleaf-infobutton__message") == CATALOGUES[lang]["infobutton"]["several"]
    # In the library's order (by title in the reader's language), with title and summary as the library shows them.
    listed = [page for pages in LIBRARY.by_category(lang).values() for page in pages if page.slug in expected]
    assert shown_slugs(visit) == [page.slug for page in listed]
    titles = visit.eval_on_selector_all(
        ".careleaf-infobutton__matches .careleaf-card__title", "links => links.map(a => a.textContent)"
    )
    summaries = visit.eval_on_selector_all(
        ".careleaf-infobutton__matches .careleaf-card__summary", "ps => ps.map(p => p.textContent)"
    )
    assert titles == [page.title for page in listed] and summaries == [page.summary for page in listed]
    assert not visit.locator(".careleaf-library").is_visible()
    assert not visit.locator(".careleaf-infobutton__asked").is_visible()
    visit.locator(".careleaf-infobutton__matches .careleaf-card__title").last.click()
    visit.wait_for_url(article_url(served_site, listed[-1].slug, lang))


@pytest.mark.parametrize("lang", ["es", "ar", "zh"])
def test_an_unknown_code_says_so_in_the_patients_language_with_the_display_name_as_text(visit, served_site, lang):
    name = '<img src=x alt="x"><b>Sore toe</b> & "more"'
    land(visit, served_site, request("Z99.9", lang=lang.upper(), name=name))
    assert urlsplit(visit.url).path == f"/{entry_page(lang)}"
    assert visit.locator("html").get_attribute("lang") == lang
    strings = CATALOGUES[lang]["infobutton"]
    assert visit.inner_text(".careleaf-infobutton__message") == strings["no_match"]
    assert visit.inner_text(".careleaf-infobutton__asked") == f"{strings['asked']} {name}"
    assert visit.locator(".careleaf-infobutton img, .careleaf-infobutton b").count() == 0  # text, never markup
    # The library, as the home page lists it, and Material's search one button away.
    library = visit.eval_on_selector_all(
        ".careleaf-library .careleaf-card", "cards => cards.map(card => card.dataset.slug)"
    )
    assert sorted(library) == sorted(SLUGS)
    assert (
        visit.locator(".careleaf-library").is_visible()
        and not visit.locator(".careleaf-infobutton__matches").is_visible()
    )
    visit.click(".careleaf-infobutton__search button")
    visit.wait_for_function("() => document.activeElement === document.querySelector('.md-search__input')")
    assert visit.evaluate("() => document.getElementById('__search').checked")


@pytest.mark.parametrize(
    "path,message",
    [
        ("infobutton/", "no_code"),  # no parameters
        (request(name="Broken toe"), "no_code"),  # a name and no code
        (request("S62.610A", system="2.16.840.1.113883.6.3"), "no_match"),  # ICD-10 (WHO), not ICD-10-CM
        (request("S62.610A", system=""), "no_match"),
        (request("S62.610K"), "no_match"),  # nonunion: no article answers
        (request("S62.001A"), "no_match"),  # a scaphoid fracture, confirmed: not
        (request("S62.001D"), "no_match"),  # the suspected one the wrist article is for
        (request("31975004", system=SNOMEDCT), "no_match"),
        (request("S62.610S"), "no_match"),  # sequela: late effects
        (f"infobutton/?{MAIN}cs={ICD10CM}&{MAIN}c=", "no_match"),
    ],
)
def test_no_code_or_no_answer_says_so_and_shows_the_library(visit, served_site, path, message):
    land(visit, served_site, path)
    assert urlsplit(visit.url).path == "/infobutton/"
    assert visit.inner_text(".careleaf-infobutton__message") == CATALOGUES["en"]["infobutton"][message]
    assert visit.locator(".careleaf-library").is_visible()
    assert visit.locator(".careleaf-infobutton__asked").is_visible() == (f"{MAIN}dn=" in path)


def test_without_javascript_the_page_shows_the_library(browser, served_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{served_site}/es/{request('S62.610A', lang='es')}")
        assert urlsplit(page.url).path == "/es/infobutton/"
        assert page.inner_text("h1") == CATALOGUES["es"]["infobutton"]["title"]
        assert page.inner_text(".careleaf-infobutton__message") == CATALOGUES["es"]["infobutton"]["intro"]
        links = page.eval_on_selector_all(".careleaf-library .careleaf-card__title", "links => links.map(a => a.href)")
        assert sorted(links) == sorted(article_url(served_site, slug, "es") for slug in SLUGS)
        for hidden in (".careleaf-infobutton__matches", ".careleaf-infobutton__asked", ".careleaf-infobutton__search"):
            assert not page.locator(hidden).is_visible()
    finally:
        context.close()


@pytest.mark.parametrize(
    "path", [request("S62.6", lang="ar"), request("Z99.9", lang="ar", name="Sore toe"), "vi/infobutton/"]
)
def test_the_entry_page_passes_axe_in_each_state(visit, served_site, path):
    land(visit, served_site, path)
    assert axe_violations(visit) == []


# ---------------------------------------------------------------------------
# The page in the build
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_an_entry_page_with_its_lookup_data_and_no_inline_script(built_site, lang):
    soup = read(built_site, f"{entry_page(lang)}index.html")
    assert soup.html["lang"] == lang
    assert soup.select_one(".careleaf-infobutton h1").get_text(strip=True) == CATALOGUES[lang]["infobutton"]["title"]
    # The script is a file of the site, its data a JSON data block (the policy runs neither inline).
    [script] = soup.select("script[src$='infobutton.js']")
    assert (built_site / entry_page(lang)).joinpath(script["src"]).resolve().is_file()
    data = json.loads(soup.select_one("script#careleaf-infobutton-data[type='application/json']").string)
    assert data["lang"] == lang and data["fallback"] == PROJECT.default_language
    assert sorted(data["pages"]) == sorted(LANGUAGES) and sorted(data["articles"]) == sorted(SLUGS)
    for slug, urls in data["articles"].items():
        assert sorted(urls) == sorted(LANGUAGES)
        for target, url in urls.items():
            assert url == page_path(target, slug).removesuffix("index.html")
            assert (built_site / url / "index.html").is_file()
    assert len(data["codes"]) == len(INDEX.entries)
    # The language switcher leads to this page in every other language.
    switcher = {a["hreflang"]: a["href"] for a in soup.select("a.md-select__link")}
    assert set(switcher) == set(LANGUAGES)
    for other, href in switcher.items():
        assert (built_site / entry_page(lang)).joinpath(href, "index.html").resolve() == (
            built_site / entry_page(other) / "index.html"
        ).resolve()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_entry_page_and_articles_find_their_languages_names_beside_the_entry_page(built_site, lang):
    names_file = built_site / entry_page(lang) / "languages.json"
    names = json.loads(names_file.read_text(encoding="utf-8"))
    for path in (
        f"{entry_page(lang)}index.html",
        page_path(lang, "muscle-spasm"),
        page_path(lang, "open-finger-fracture"),
    ):
        [notice] = read(built_site, path).select(NOTICE)
        assert notice.has_attr("hidden") and notice["data-parameter"] == NOTICE_PARAMETER
        assert (built_site / path).parent.joinpath(notice["data-names"]).resolve() == names_file.resolve()
    assert not read(built_site, page_path(lang)).select(NOTICE)  # no record system opens a home page
    # Every language the site lacks is named in the default language's file, and none it has.
    assert not set(names) & set(LANGUAGES)
    if lang == PROJECT.default_language:
        assert names["ko"] == ["Korean", "한국어"] and len(names) > 500
    if lang == "zh":
        assert names["zh-Hant"] == ["繁体中文", "繁體中文"]


def test_the_kiosk_has_no_language_notice(kiosk_copy):
    # No record system opens a kiosk page: no notice, no script for one, no names.
    assert not list(kiosk_copy.rglob("languages.json"))
    for lang in LANGUAGES:
        # The kiosk's pages are files (muscle-spasm.html): it opens them from disk.
        html = (kiosk_copy / page_path(lang).replace("index.html", "muscle-spasm.html")).read_text(encoding="utf-8")
        assert "careleaf-notice--language" not in html and "language-notice.js" not in html


def test_the_entry_page_is_neither_in_the_navigation_nor_in_search(built_site):
    for lang in LANGUAGES:
        home = read(built_site, page_path(lang))
        assert not [a["href"] for a in home.select("nav a[href]") if "infobutton" in a["href"]]
    for index in built_site.rglob("search_index.json"):
        assert "infobutton" not in index.read_text(encoding="utf-8"), index


# ---------------------------------------------------------------------------
# infobutton/index.json
# ---------------------------------------------------------------------------


def site_file(site, address: str):
    assert address.startswith(SITE_URL), address
    return site / address.removeprefix(SITE_URL) / "index.html"


def test_the_index_lists_every_code_of_every_article_with_the_article_in_every_language(built_site):
    index = json.loads((built_site / INDEX_FILE).read_text(encoding="utf-8"))
    assert list(index) == ["title", "id", "responses"] and index["id"] == f"{SITE_URL}{INDEX_FILE}"
    claims = sorted(
        (entry.system, entry.code, tuple(sorted(entry.seventh or ())), entry.slug) for entry in INDEX.entries
    )
    found = []
    for response in index["responses"]:
        feed = response["feed"]
        claim = feed["careleaf"]
        found += [(claim["system"], claim["code"], tuple(claim["seventh"] or ()), slug) for slug in claim["articles"]]
        # What MedlinePlus Connect echoes of a request: the code as written, its system, who reads it.
        display = (
            claim["code"] if claim["system"] == SNOMEDCT else f"{claim['code'][:3]}.{claim['code'][3:]}".rstrip(".")
        )
        assert feed["category"] == [
            {"scheme": f"{MAIN}c", "term": display},
            {"scheme": f"{MAIN}cs", "term": claim["system"]},
            {"scheme": "informationRecipient", "term": "PAT"},
        ]
        assert feed["title"]["_value"] and feed["subtitle"]["_value"].endswith(
            display + (f" [{', '.join(claim['seventh'])}]" if claim["seventh"] else "")
        )
        # Each article that makes the claim, in every language.
        assert [(item["careleaf"]["article"], item["careleaf"]["language"]) for item in feed["entry"]] == [
            (slug, lang) for slug in claim["articles"] for lang in LANGUAGES
        ]
        for item in feed["entry"]:
            page = LIBRARY.best(item["careleaf"]["article"], item["careleaf"]["language"])
            assert item["lang"] == page.lang
            assert (item["title"]["_value"], item["summary"]["_value"]) == (page.title, page.summary)
            [link] = item["link"]
            assert link["href"] == item["id"]["_value"] and link["rel"] == "alternate"
            assert site_file(built_site, link["href"]).is_file(), link["href"]
            assert (
                read(built_site, str(site_file(built_site, link["href"]).relative_to(built_site))).html["lang"]
                == item["careleaf"]["language"]
            )
    assert sorted(found) == claims
    assert len({response["feed"]["id"]["_value"] for response in index["responses"]}) == len(index["responses"])
    # Every code of every article's front matter is there, as the editor wrote it.
    for slug in SLUGS:
        written = LIBRARY.source(slug).meta["codes"]
        listed = written.get("icd10cm", []) + written.get("snomedct", [])
        terms = {
            response["feed"]["category"][0]["term"]
            for response in index["responses"]
            if slug in response["feed"]["careleaf"]["articles"]
        }
        assert {str(item["code"]) if isinstance(item, dict) else str(item) for item in listed} == terms, slug


def test_a_claim_two_articles_share_is_one_feed_with_both_articles(built_site):
    # As a knowledge response answers a request: one feed, an entry for each article that may fit, every language.
    index = json.loads((built_site / INDEX_FILE).read_text(encoding="utf-8"))
    shared = [entry for entry in INDEX.entries if entry.shared_with]
    assert shared
    for entry in shared:
        seventh = sorted(entry.seventh) if entry.seventh is not None else None
        [feed] = [
            response["feed"]
            for response in index["responses"]
            if [response["feed"]["careleaf"][key] for key in ("system", "code", "seventh")]
            == [entry.system, entry.code, seventh]
        ]
        requested = entry.code if entry.seventh is None else entry.code.ljust(6, "X") + min(entry.seventh)
        assert (
            feed["careleaf"]["articles"]
            == INDEX.match(entry.system, requested)
            == sorted(entry.shared_with | {entry.slug})
        )
        for lang in LANGUAGES:
            items = [item for item in feed["entry"] if item["careleaf"]["language"] == lang]
            assert [item["title"]["_value"] for item in items] == [
                LIBRARY.best(slug, lang).title for slug in feed["careleaf"]["articles"]
            ]


def test_an_untranslated_article_is_listed_at_its_fallback_page_in_english(fallback_site):
    index = json.loads((fallback_site / INDEX_FILE).read_text(encoding="utf-8"))
    items = [
        item
        for response in index["responses"]
        for item in response["feed"]["entry"]
        if item["careleaf"] == {"article": FALLBACK_SLUG, "language": "es"}
    ]
    assert items and all(
        item["lang"] == "en" and item["link"][0]["href"] == f"{SITE_URL}es/{FALLBACK_SLUG}/" for item in items
    )
    assert items[0]["title"]["_value"] == LIBRARY.source(FALLBACK_SLUG).title
    assert site_file(fallback_site, items[0]["link"][0]["href"]).is_file()


def test_an_untranslated_article_opens_at_its_fallback_page(browser, served_fallback_site):
    page = browser.new_page()
    try:
        expected = f"{served_fallback_site}/es/{FALLBACK_SLUG}/"
        assert land(page, served_fallback_site, request("S63.259A", lang="es"), expected) == expected
        assert page.locator(".careleaf-notice--fallback").is_visible()  # the page says the article is in English
    finally:
        page.close()
