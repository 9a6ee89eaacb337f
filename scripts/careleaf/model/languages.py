"""What Careleaf knows of a language from the Unicode CLDR data Babel ships: which way its text runs."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError


def is_right_to_left(lang: str) -> bool:
    """True for a language written right to left (Arabic, Hebrew, Persian, Urdu…); False for one CLDR
    does not know (a PDF's or a page's lang attribute may hold anything)."""
    try:
        return Locale.parse(lang.replace("-", "_")).character_order == "right-to-left"
    except (ValueError, UnknownLocaleError):
        return False


def text_direction(lang: str) -> str:
    """'rtl' or 'ltr', as HTML's dir attribute takes it."""
    return "rtl" if is_right_to_left(lang) else "ltr"


def site_folder(lang: str, default_language: str) -> str:
    """Where a language's pages sit on the built site, as a relative URL prefix: '' for the default
    language (static-i18n builds it at the root), 'es/' for Spanish."""
    return "" if lang == default_language else f"{lang}/"
