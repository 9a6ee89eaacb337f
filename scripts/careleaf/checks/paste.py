"""What pasting from a word processor leaves in Markdown: bullets Markdown does not read as a list,
invisible or non-breaking characters between words, curly quotes inside Markdown's own syntax; and
photos too large for a phone or a handout."""

from __future__ import annotations

import re
from pathlib import Path

from careleaf.checks.problems import Gate, Problem
from careleaf.model.content import Page
from careleaf.model.project import Project

# A word processor's bullet at the start of a line: Markdown runs such lines together into one paragraph.
WORD_BULLET = re.compile(r"^\s*([•◦▪▫●○■□‣⁃∙])[\t ]")
# A non-breaking space between two letters: the line cannot wrap there (between a number and its unit it is right).
NBSP_BETWEEN_WORDS = re.compile(r"(?<=[^\W\d_])\u00a0(?=[^\W\d_])")
INVISIBLE = {"\u200b": "zero-width space", "\ufeff": "zero-width no-break space", "\u00ad": "soft hyphen"}
# Curly quotes where Markdown wants straight ones: a link's address, an attribute list, an admonition's title.
CURLY_IN_SYNTAX = re.compile(r"\]\([“”‘’]|\{[^}\n]*[“”][^}\n]*\}|^\s*!!!\s+\w+\s+[“”]")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
# A phone page and a handout stay light: a photo larger than this is refused, named, with how to shrink it.
IMAGE_MAX_BYTES = 1_000_000
IMAGE_MAX_PIXELS = 2000


def check_paste(page: Page, problem) -> list[Problem]:
    """Paste artefacts in the page's own file, each at its line."""
    try:
        lines = page.path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return []  # reported by the reader
    problems = []
    for number, line in enumerate(lines, start=1):
        if bullet := WORD_BULLET.match(line):
            problems.append(
                problem(
                    "paste-bullet",
                    number,
                    f"a '{bullet[1]}' bullet pasted from a word processor: Markdown joins such lines into one "
                    "paragraph; start each list item with '- '",
                    Gate.FAILS_STRICT,
                )
            )
        if NBSP_BETWEEN_WORDS.search(line):
            problems.append(
                problem(
                    "paste-nbsp",
                    number,
                    "a non-breaking space between words (pasted): the line cannot wrap there on a phone; "
                    "type a plain space",
                    Gate.ADVISORY,
                )
            )
        for character, name in INVISIBLE.items():
            if character in line and not (number == 1 and line.startswith("\ufeff")):
                problems.append(
                    problem("paste-invisible", number, f"an invisible {name} (pasted): delete it", Gate.ADVISORY)
                )
        if CURLY_IN_SYNTAX.search(line):
            problems.append(
                problem(
                    "paste-curly-quotes",
                    number,
                    "curly quotes inside Markdown's syntax (a link's address, {attributes} or an admonition's "
                    "title): Markdown reads only straight quotes (\" and ')",
                    Gate.FAILS_STRICT,
                )
            )
    return problems


def check_images(project: Project) -> list[Problem]:
    """Every image under docs/ small enough for a phone on a slow connection and for a handout."""
    from PIL import Image, UnidentifiedImageError

    problems = []
    for path in sorted(project.docs_dir.rglob("*")):
        if path.suffix.lower() not in IMAGE_SUFFIXES or not path.is_file():
            continue
        size = path.stat().st_size
        try:
            with Image.open(path) as image:
                width, height = image.size
        except (OSError, UnidentifiedImageError):
            problems.append(_image_problem(project, path, "image-unreadable", "not an image Careleaf can read"))
            continue
        if size > IMAGE_MAX_BYTES or max(width, height) > IMAGE_MAX_PIXELS:
            problems.append(
                _image_problem(
                    project,
                    path,
                    "image-too-large",
                    f"{size / 1_000_000:.1f} MB, {width} × {height} px: over {IMAGE_MAX_BYTES // 1_000_000} MB or "
                    f"{IMAGE_MAX_PIXELS} px, it slows the page on a phone and goes into every handout that shows "
                    f"it; save it at most {IMAGE_MAX_PIXELS} px on its longer side (a photo: JPEG, quality 80)",
                )
            )
    return problems


def _image_problem(project: Project, path: Path, code: str, message: str) -> Problem:
    return Problem(project.relative(path), 1, None, None, code, message, Gate.FAILS_STRICT)
