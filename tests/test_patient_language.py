"""The patient's language as a health record writes it: which built language answers it, and what the notice
on the page it opens calls the language asked for (careleaf/model/patient_language.py). The browser's side of the
same rule is tested in tests/test_infobutton.py, code by code against `PatientLanguages.answer`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careleaf.build.views import language_notice_view
from careleaf.model.locales import load_all
from careleaf.model.patient_language import (
    UNKNOWN,
    Answer,
    PatientLanguages,
    content_language_name,
    language_names,
    named_languages,
    own_language_names,
)
from test_build import LANGUAGES, PROJECT

ANSWERS = PatientLanguages.for_site(LANGUAGES, PROJECT.default_language)
CATALOGUES = load_all(PROJECT)
OWN_NAMES = own_language_names(named_languages(ANSWERS))
# What each language's pages may call a language asked for, as the build writes it.
NAMES = {lang: language_names(ANSWERS, lang, OWN_NAMES) for lang in LANGUAGES}
# Debian's iso-codes: the ISO 639-2 Registration Authority's table, a source independent of CLDR.
ISO_639_2 = Path("/usr/share/iso-codes/json/iso_639-2.json")


# ---------------------------------------------------------------------------
# What record systems send
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code,language",
    [
        ("es", "es"),
        ("spa", "es"),
        ("SPA", "es"),
        ("sp", "es"),
        ("SP", "es"),  # ISO 639-1, 639-2, MedlinePlus
        ("es-US", "es"),
        ("es_US", "es"),
        ("es-419", "es"),
        ("ES-mx", "es"),
        (" es ", "es"),
        ("ar", "ar"),
        ("ara", "ar"),
        ("arb", "ar"),
        ("ar-EG", "ar"),
        ("AR_sa", "ar"),
        ("vi", "vi"),
        ("vie", "vi"),
        ("vi-VN", "vi"),
        ("zh", "zh"),
        ("zho", "zh"),
        ("chi", "zh"),
        ("cmn", "zh"),
        ("zh-CN", "zh"),
        ("zh-Hans", "zh"),
        ("zh-Hans-CN", "zh"),
        ("zh_hans_tw", "zh"),
        ("zh-SG", "zh"),  # Simplified, wherever
        ("en", "en"),
        ("eng", "en"),
        ("en-GB", "en"),
        ("EN_us", "en"),
    ],
)
def test_a_language_the_library_has_opens_in_that_language_without_a_notice(code, language):
    assert ANSWERS.answer(code) == Answer(language, None)


@pytest.mark.parametrize(
    "code", ["zh-Hant", "zh-TW", "zh-HK", "zh-MO", "zh-Hant-TW", "zh_hant_hk", "ZH-tw", "chi-TW", "zho-Hant"]
)
def test_traditional_chinese_opens_the_simplified_page_with_a_notice(code):
    assert ANSWERS.answer(code) == Answer("zh", "zh-Hant")


@pytest.mark.parametrize(
    "code,asked",
    [
        ("ko", "ko"),
        ("kor", "ko"),
        ("ko-KR", "ko"),
        ("fr", "fr"),
        ("fre", "fr"),
        ("fra", "fr"),
        ("fr-CA", "fr"),
        ("iw", "he"),
        ("heb", "he"),
        ("tl", "fil"),
        ("tgl", "fil"),
        ("yue", "yue"),
        ("so", "so"),
        ("som", "so"),
        ("ru", "ru"),
        ("rus", "ru"),
    ],
)
def test_a_language_the_library_lacks_opens_in_english_with_a_notice_naming_it(code, asked):
    assert ANSWERS.answer(code) == Answer(PROJECT.default_language, asked)


@pytest.mark.parametrize(
    "code",
    [
        "xx",
        "qaa",
        "sgn",
        "mul",
        "zxx",
        "mis",
        "klingon",
        "1",
        "constructor",
        "toString",
        "<b>es</b>",
        "e s",
        "es\u00a0",
    ],
)
def test_a_code_that_names_no_language_opens_in_english_with_a_notice_naming_none(code):
    assert ANSWERS.answer(code) == Answer(PROJECT.default_language, UNKNOWN)


@pytest.mark.parametrize("code", [None, "", "   ", "und", "UND", "und-US", "_es", "-es"])
def test_no_language_asked_keeps_the_entry_pages_own(code):
    assert ANSWERS.answer(code) == Answer(None, None)


def test_every_iso_639_2_code_means_what_its_iso_639_1_code_means():
    """Terminology (spa, zho) and bibliographic (chi, fre) codes, from the Registration Authority's table."""
    entries = json.loads(ISO_639_2.read_text(encoding="utf-8"))["639-2"]
    checked = 0
    for entry in entries:
        if "alpha_2" not in entry:
            continue
        two = ANSWERS.answer(entry["alpha_2"])
        for three in {entry["alpha_3"], entry.get("bibliographic", entry["alpha_3"])}:
            assert ANSWERS.answer(three) == two, (three, entry["name"])
            assert ANSWERS.answer(three.upper()) == two, three
            checked += 1
    assert checked > 180  # every language with a two-letter code (184 of them, a few twice)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.text(max_size=20), st.sampled_from(sorted(ANSWERS.table["languages"]))),
    st.sampled_from(["", "-US", "_tw", "-Hant", "-419", "-Hans-HK"]),
)
def test_any_code_gets_an_answer_the_same_in_any_case_and_spelling(code, suffix):
    answer = ANSWERS.answer(code + suffix)
    assert answer.language in (*LANGUAGES, None)
    # Upper case as a record system writes it: ASCII letters only ('ß'.upper() is another code, 'SS').
    shouted = re.sub(r"[a-z]", lambda letter: letter.group().upper(), code + suffix)
    assert ANSWERS.answer(f" {shouted}\t") == answer
    assert ANSWERS.answer((code + suffix).replace("-", "_")) == answer
    assert answer.asked in (None, UNKNOWN) or answer.asked in NAMES[answer.language]


# ---------------------------------------------------------------------------
# What the notice calls the language asked for, and the page shown
# ---------------------------------------------------------------------------


def test_the_names_are_cldrs_in_the_page_language_with_the_languages_own_name():
    english, chinese = NAMES["en"], NAMES["zh"]
    assert english["ko"] == ["Korean", "한국어"]
    assert english["fr"] == ["French", "français"]
    assert english["zh-Hant"] == ["Traditional Chinese", "繁體中文"]
    assert chinese["zh-Hant"] == ["繁体中文", "繁體中文"]
    assert NAMES["es"]["ko"] == ["coreano", "한국어"]
    assert NAMES["ar"]["ko"] == ["الكورية", "한국어"]
    # A language the library has is never named as one it lacks; one with no CLDR locale has no own name.
    assert not set(english) & set(LANGUAGES)
    assert english["ase"] == ["American Sign Language", None]


def test_every_language_the_table_knows_is_named_on_the_pages_that_answer_it():
    for code in ANSWERS.table["languages"]:
        answer = ANSWERS.answer(code)
        if answer.asked is not None:
            assert answer.asked in NAMES[answer.language], code


def test_own_names_kept_in_the_result_cache_are_the_ones_worked_out(tmp_path):
    languages = ["ko", "zh-Hant", "ase", "fr"]
    assert (
        own_language_names(languages, tmp_path)
        == own_language_names(languages)
        == {"ko": "한국어", "zh-Hant": "繁體中文", "ase": None, "fr": "français"}
    )
    assert list((tmp_path / ".cache" / "careleaf").glob("own-language-names.json"))
    assert own_language_names(languages, tmp_path) == own_language_names(languages)  # read back from the cache


@pytest.mark.parametrize(
    "page,content,shown",
    [
        ("en", "en", "English"),
        ("zh", "zh", "简体中文"),
        ("zh", "en", "英语"),
        ("es", "es", "español"),
        ("ar", "ar", "العربية"),
        ("vi", "en", "Tiếng Anh"),
    ],
)
def test_the_notice_names_the_language_of_the_page_shown(page, content, shown):
    assert content_language_name(page, content, ANSWERS) == shown


def sentence(pieces: list[dict[str, str]], name: str, autonym: str | None = None) -> str:
    """The sentence as the page's script completes it."""
    return "".join(piece.get("text") or {"name": name, "autonym": autonym}[piece["slot"]] for piece in pieces)


def test_the_notice_reads_as_a_sentence_in_the_page_language():
    english = language_notice_view(CATALOGUES["en"], "en", "en", "infobutton/languages.json", ANSWERS, PROJECT.hospital)
    assert (
        sentence(english["named_own"], "Korean", "한국어")
        == "This page is not available in Korean (한국어). Here it is in English."
    )
    assert (
        sentence(english["named"], "American Sign Language")
        == "This page is not available in American Sign Language. Here it is in English."
    )
    assert english["unnamed"] == "This page is not available in the language that was asked for. Here it is in English."
    chinese = language_notice_view(
        CATALOGUES["zh"], "zh", "zh", "zh/infobutton/languages.json", ANSWERS, PROJECT.hospital
    )
    assert (
        sentence(chinese["named_own"], "繁体中文", "繁體中文")
        == "此页面没有繁体中文（繁體中文）版本。下面是简体中文版本。"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_the_notice_with_one_slot_for_each_name(lang):
    view = language_notice_view(CATALOGUES[lang], lang, lang, "x.json", ANSWERS, PROJECT.hospital)
    assert [piece["slot"] for piece in view["named"] if "slot" in piece] == ["name"]
    assert sorted(piece["slot"] for piece in view["named_own"] if "slot" in piece) == ["autonym", "name"]
    shown = content_language_name(lang, lang, ANSWERS)
    for text in (sentence(view["named_own"], "N", "A"), view["unnamed"]):
        assert shown in text and "{" not in text
