"""Lighter pages for phones: HTML without the indentation of Material's templates, and minified CSS.

About 40% of an article's bytes are spaces that start lines. A browser renders a newline followed by
spaces exactly as a newline alone, except where white-space is preserved (Material: pre, code, kbd),
so those elements, textareas, scripts and styles are left as they are.
"""

from __future__ import annotations

import re

import rcssmin

_PRESERVED = re.compile(r"<(pre|code|kbd|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
_INDENTATION = re.compile(r"\n[ \t]+")


def trim_indentation(html: str) -> str:
    parts, done = [], 0
    for element in _PRESERVED.finditer(html):
        parts += [_INDENTATION.sub("\n", html[done : element.start()]), element.group(0)]
        done = element.end()
    parts.append(_INDENTATION.sub("\n", html[done:]))
    return "".join(parts)


def minified_css(css: str) -> str:
    """Careleaf's stylesheets without their comments and spacing (rcssmin): the sources keep both."""
    return rcssmin.cssmin(css)
