"""The patient's language as a health record writes it (`informationRecipient.languageCode.c`), and which
built language answers it.

Record systems write the same language many ways: ISO 639-1 (`es`), ISO 639-2/T and /B (`spa`; `zho`
and `chi`), BCP 47 tags with a script and a region (`zh-Hant-TW`, `es-419`), with underscores, in any
case, and MedlinePlus Connect's own `sp` for Spanish. The rule (`PatientLanguages.answer`; the infobutton
page's script applies it to `as_data()`, the same table):

1. Surrounding spaces go, ASCII letters are lower-cased, `_` is `-`. Nothing, or `und` (ISO 639's
   "undetermined"): no language asked (the entry page's own language answers, with no notice).
2. The first subtag is the language, as CLDR (Babel's data) canonicalises it: ISO 639-2 and deprecated
   codes become the ISO 639-1 code where there is one (`spa` -> `es`, `chi` -> `zh`, `iw` -> `he`).
   A subtag CLDR has no name for in the default language (a family such as `sgn`, a typo, `xx`): a
   language the notice cannot name.
3. For a language the site builds, its script: a script subtag of the ones CLDR's likely subtags give its
   regions (`zh-Hant`), else the script of the first region they give one for (`zh-TW` -> Hant), else
   the language's own (`zh`, `zh-SG` -> Hans).
4. The answer: the built language in that script, with no notice; else the built language in another
   script, with a notice naming the one asked for (`zh-Hant`: the Simplified Chinese page, "not available
   in Traditional Chinese"); else the site's default language with a notice naming the language (`ko`),
   or naming none (`UNKNOWN`) when step 2 found no language.

The names a notice shows come from `language_names` (CLDR's, per page language), never from the request.
Pure data in, data out, but for the result cache `own_language_names` may keep.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from careleaf.util.cache import ResultCache, source_fingerprint

# ISO 639-2's "uncoded languages": what a notice is told when the code named no language it can name.
UNKNOWN = "mis"
# ISO 639's "undetermined": the record does not know the patient's language, so none is asked.
UNDETERMINED = "und"
# ISO 639-2's other special codes name no language a page could be in: multiple, none, uncoded.
_NOT_A_LANGUAGE = {"mul", "zxx", UNKNOWN, UNDETERMINED}
# MedlinePlus Connect takes `en` and `es`; its earlier documentation, and clients written for it, send `sp`.
MEDLINEPLUS_CODES = {"sp": "es"}
# The query parameter by which the infobutton page tells the page it opens which language was asked for.
NOTICE_PARAMETER = "requested-language"

_SCRIPT = re.compile(r"^[a-z]{4}$")
_REGION = re.compile(r"^(?:[a-z]{2}|[0-9]{3})$")
# What the browser script trims too: ASCII whitespace only (the two sides must agree on every input).
_SPACE = " \t\n\r\f\v"


@dataclass(frozen=True)
class Answer:
    """`language`: the built language to open (None: none asked, the page's own); `asked`: the language a
    notice names (a CLDR id such as 'ko' or 'zh-Hant', UNKNOWN to name none), None for no notice."""

    language: str | None
    asked: str | None = None


def normalised_subtags(code: Any) -> list[str]:
    """' ZH_hant_TW ' -> ['zh', 'hant', 'tw']: spaces around it stripped, ASCII lower case, '_' read as '-'."""
    text = re.sub(r"[A-Z]", lambda letter: letter.group().lower(), str(code if code is not None else "").strip(_SPACE))
    return text.replace("_", "-").split("-")


class PatientLanguages:
    """Which built language answers a requested language code, for one site (its languages and default)."""

    def __init__(self, table: dict[str, Any]):
        self.table = table

    @classmethod
    def for_site(cls, languages: Iterable[str], default: str) -> PatientLanguages:
        return cls(_table(tuple(languages), default))

    def as_data(self) -> dict[str, Any]:
        """The table the infobutton page embeds for its script (plain JSON)."""
        return self.table

    def answer(self, code: Any) -> Answer:
        table = self.table
        subtags = normalised_subtags(code)
        if subtags[0] in ("", UNDETERMINED):
            return Answer(None)
        language = table["languages"].get(subtags[0])
        if language is None:
            return Answer(table["fallback"], UNKNOWN)
        if language not in table["any_script"]:
            return Answer(table["fallback"], language)
        script = _written_script(table["scripts"], language, subtags[1:])
        built = table["built"].get(f"{language}-{script}".lower())
        if built is not None:
            return Answer(built)
        return Answer(table["any_script"][language], f"{language}-{script}")


def _written_script(scripts: dict[str, str], language: str, rest: list[str]) -> str:
    """A known script subtag, else the script of the first region subtag CLDR knows one for, else the language's."""
    explicit = next((subtag for subtag in rest if _SCRIPT.match(subtag) and f"{language}-{subtag}" in scripts), None)
    region = next((subtag for subtag in rest if _REGION.match(subtag) and f"{language}-{subtag}" in scripts), None)
    return scripts[f"{language}-{explicit or region}"] if (explicit or region) else scripts[language]


@lru_cache(maxsize=8)
def _table(languages: tuple[str, ...], default: str) -> dict[str, Any]:
    aliases = get_global("language_aliases")
    likely = get_global("likely_subtags")
    # The languages CLDR names in the default language: a notice for one the site lacks appears on its pages.
    named = sorted(
        ({code for code in _locale(default).languages if isinstance(code, str) and "_" not in code} - _NOT_A_LANGUAGE)
        | {_locale(lang).language for lang in languages}
    )
    canonical: dict[str, str] = {code: code for code in named}
    for alias, target in aliases.items():
        # CLDR's canonical form wins even over a code it also names (tl, tgl -> fil), so both agree.
        base = target.split("_")[0]
        if "_" not in alias and base in named:
            canonical[alias] = base
    canonical.update({code: target for code, target in MEDLINEPLUS_CODES.items() if code not in canonical})

    scripts: dict[str, str] = {}
    built: dict[str, str] = {}
    any_script: dict[str, str] = {}
    for lang in languages:
        locale = _locale(lang)
        base = canonical.get(locale.language, locale.language)
        # 'Zzzz' is ISO 15924's "unknown script": a language CLDR gives no script still has one key.
        own = _likely_script(likely, base) or "Zzzz"
        scripts[base] = own
        for key, value in likely.items():
            parts, maximal = key.split("_"), value.split("_")
            # Regions whose speakers write the language in another script (zh_TW: Hant), and each such script.
            if (
                parts[0] == base
                and len(parts) == 2
                and _REGION.match(parts[1].lower())
                and len(maximal) == 3
                and maximal[1] != own
            ):
                scripts[f"{base}-{parts[1].lower()}"] = maximal[1]
                scripts[f"{base}-{maximal[1].lower()}"] = maximal[1]
        scripts[f"{base}-{own.lower()}"] = own
        # A site language written as zh-Hant or zh-TW is built in that script.
        script = locale.script or _likely_script(likely, f"{base}_{locale.territory}") or own
        built.setdefault(f"{base}-{script}".lower(), lang)
        any_script.setdefault(base, lang)
    return {
        "languages": dict(sorted(canonical.items())),
        "scripts": dict(sorted(scripts.items())),
        "built": built,
        "any_script": any_script,
        "fallback": default,
        "unknown": UNKNOWN,
        "parameter": NOTICE_PARAMETER,
    }


def _likely_script(likely: Mapping[str, str], key: str) -> str | None:
    """The script CLDR's likely subtags give a language or language_REGION ('zh_TW': 'Hant'), or None."""
    maximal = likely.get(key, "").split("_")
    return maximal[1] if len(maximal) == 3 else None


def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def named_languages(patient_languages: PatientLanguages) -> list[str]:
    """Every id a notice may name: each language the site lacks ('ko'), each other script of one it has ('zh-Hant')."""
    table = patient_languages.table
    built = {_locale(lang).language for lang in table["built"].values()}
    ids = {language for language in table["languages"].values() if language not in built}
    for key, script in table["scripts"].items():
        base = key.split("-")[0]
        if table["built"].get(f"{base}-{script}".lower()) is None:
            ids.add(f"{base}-{script}")
    return sorted(ids)


def language_names(
    patient_languages: PatientLanguages, page_lang: str, own_names: Mapping[str, str | None] | None = None
) -> dict[str, list[str | None]]:
    """Every language a notice on a page in `page_lang` may name: its name in that language and, when
    different, its own name (Korean: ["Korean", "한국어"]), by the id the infobutton page passes.
    `own_names`: each id's own name already worked out (`own_language_names`)."""
    page = _locale(page_lang)
    names: dict[str, list[str | None]] = {}
    for language in named_languages(patient_languages):
        name = _name_in(page, language)
        if name is not None:
            autonym = (
                own_names[language] if own_names is not None and language in own_names else own_language_name(language)
            )
            names[language] = [name, autonym if autonym != name else None]
    return names


def own_language_names(languages: Iterable[str], root: Path | None = None) -> dict[str, str | None]:
    """Each language's name in that language. Reading some 300 locales' data takes a second or more, so with
    a project `root` the answers are kept in its result cache (careleaf/util/cache.py), keyed on Babel's version."""
    if root is None:
        return {language: own_language_name(language) for language in languages}
    cache = ResultCache(root, "own-language-names", source_fingerprint(sys.modules[__name__], packages=("babel",)))
    found = {}
    for language in languages:
        key = cache.key(language)
        if key not in cache:
            cache[key] = own_language_name(language)
        found[language] = cache[key]
    cache.save(complete=True)
    return found


def content_language_name(page_lang: str, content_lang: str, patient_languages: PatientLanguages) -> str:
    """What a notice calls the language a page is in, in the page's language: the script too where the
    site's language has several (Simplified Chinese), else the language's name (English)."""
    table = patient_languages.table
    base = _locale(content_lang).language
    script = table["scripts"].get(base)
    several = any(key.startswith(f"{base}-") and value != script for key, value in table["scripts"].items())
    page = _locale(page_lang)
    named = _name_in(page, f"{base}-{script}") if several and script else None
    return named or _name_in(page, base) or content_lang


def _name_in(page: Locale, language: str) -> str | None:
    """CLDR's name for a language (or language and script) in the page's language, None when it has none."""
    key = language.replace("-", "_")
    if key in page.languages or "_" not in key:
        return page.languages.get(key)
    # A language in a script CLDR names no pair for: "Serbian (Latin)", as CLDR composes it.
    try:
        return Locale.parse(key).get_display_name(page)
    except (UnknownLocaleError, ValueError):
        return None


def own_language_name(language: str) -> str | None:
    """CLDR's name for a language in that language ('ko': '한국어'), None without locale data for it."""
    try:
        own = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    return own.languages.get(language.replace("-", "_"))
