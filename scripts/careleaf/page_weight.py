"""Lighter pages for phones: the HTML of Material's indented templates, without the indentation.

About 40% of an article's bytes are spaces that start lines. A browser renders a newline followed by
spaces exactly as a newline alone, except where white-space is preserved (Material: pre, code, kbd),
so those elements, textareas, scripts and styles are left as they are.
"""

from __future__ import annotations

import re

_PRESERVED = re.compile(r"<(pre|code|kbd|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
_INDENTATION = re.compile(r"\n[ \t]+")


def trim_indentation(html: str) -> str:
    parts, done = [], 0
    for element in _PRESERVED.finditer(html):
        parts += [_INDENTATION.sub("\n", html[done:element.start()]), element.group(0)]
        done = element.end()
    parts.append(_INDENTATION.sub("\n", html[done:]))
    return "".join(parts)
