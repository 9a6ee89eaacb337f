"""What Careleaf knows of a language from the Unicode CLDR data Babel ships: which way its text runs."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

# Scripts written right to left, for a tag CLDR has no locale for but whose script subtag says it (ku-Arab).
RIGHT_TO_LEFT_SCRIPTS = frozenset({"Adlm", "Arab", "Hebr", "Nkoo", "Rohg", "Syrc", "Thaa"})


def is_right_to_left(lang: str) -> bool:
    """True for a language written right to left (Arabic, Hebrew, Persian, Urdu…). A tag CLDR has no
    locale for (ar-US, he-x-private) is judged by its script subtag, then by its language alone; a
    language CLDR does not know at all is left to right (a PDF's or a page's lang may hold anything)."""
    subtags = lang.replace("_", "-").split("-")
    if any(subtag.title() in RIGHT_TO_LEFT_SCRIPTS for subtag in subtags[1:] if len(subtag) == 4):
        return True
    for candidate in ("_".join(subtags), subtags[0]):
        try:
            return Locale.parse(candidate).character_order == "right-to-left"
        except (ValueError, UnknownLocaleError):
            continue
    return False


def text_direction(lang: str) -> str:
    """'rtl' or 'ltr', as HTML's dir attribute takes it."""
    return "rtl" if is_right_to_left(lang) else "ltr"


def site_folder(lang: str, default_language: str) -> str:
    """Where a language's pages sit on the built site, as a relative URL prefix: '' for the default
    language (static-i18n builds it at the root), 'es/' for Spanish."""
    return "" if lang == default_language else f"{lang}/"
