"""Language of parts (WCAG 3.1.2): English words inside Chinese or Arabic text carry lang="en".

Translations keep some English terms, "痉挛（spasm）" or an abbreviation such as MRI, so that a
patient can match what staff say. Without a lang attribute a screen reader reads them with Chinese
or Arabic rules. On a page written mostly in a script other than Latin (more of that script's
letters than Latin words), this Markdown extension wraps each run of Latin-script words in
<span lang="en">. Pages in Latin-script languages (English,
Spanish, Vietnamese) cannot be told apart this way: their editors mark English with
<span lang="en">…</span> by hand. Elements that already say their language are left alone.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

_LATIN_LETTER = r"A-Za-z\u00C0-\u024F"
_LATIN_RUN = re.compile(rf"[{_LATIN_LETTER}][{_LATIN_LETTER}0-9'’\-]*(?: [{_LATIN_LETTER}][{_LATIN_LETTER}0-9'’\-]*)*")
_LATIN_WORD = re.compile(rf"[{_LATIN_LETTER}]+")
# Han, kana, Hangul, Arabic, Hebrew, Thai, Devanagari, Cyrillic, Greek: letters of other scripts.
_OTHER_LETTERS = re.compile(
    r"[\u0370-\u03FF\u0400-\u04FF\u0590-\u05FF\u0600-\u06FF\u0750-\u077F\u0900-\u097F"
    r"\u0E00-\u0E7F\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFB50-\uFDFF\uFE70-\uFEFF]"
)
_UNTOUCHED = {"code", "pre", "kbd", "samp", "script", "style"}
_OPENING_TAG = re.compile(r"^<([A-Za-z][\w-]*)(\s[^>]*)?>$", re.S)
_CLOSING_TAG = re.compile(r"^</([A-Za-z][\w-]*)\s*>$")
_LANG_ATTRIBUTE = re.compile(r"\blang\s*=")
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def mostly_other_script(text: str) -> bool:
    """True for text written mostly in another script: more of its letters than Latin words
    (a Chinese character is about a word, a Latin word several letters)."""
    return len(_OTHER_LETTERS.findall(text)) > len(_LATIN_WORD.findall(text))


class LanguageOfPartsTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        text = HTML_PLACEHOLDER_RE.sub("", "".join(root.itertext()))
        if mostly_other_script(text):
            # Raw inline HTML reaches this tree as placeholders, one per tag: follow which are open.
            self._open_raw_tags: list[tuple[str, bool]] = []
            self._mark(root)

    def _mark(self, element: etree.Element) -> None:
        if element.tag in _UNTOUCHED or "lang" in element.attrib:
            return
        children = list(element)  # before any span is added: each piece of text is read once
        self._wrap(element, None)
        for child in children:
            self._mark(child)
            self._wrap(element, child)

    def _wrap(self, parent: etree.Element, child: etree.Element | None) -> None:
        """Wrap the Latin runs of `parent`'s text (child None) or of `child`'s tail."""
        pieces = self._pieces(parent.text if child is None else child.tail)
        if not any(latin for _, latin in pieces):
            return
        first = None if pieces[0][1] else pieces.pop(0)[0]
        position = 0 if child is None else list(parent).index(child) + 1
        if child is None:
            parent.text = first
        else:
            child.tail = first
        for offset, span in enumerate(_spans(pieces)):
            parent.insert(position + offset, span)

    def _pieces(self, text: str | None) -> list[tuple[str, bool]]:
        """The text cut into (piece, is_latin_run); placeholders are never cut, and nothing inside
        a raw HTML tag that gives its own lang is marked."""
        pieces: list[tuple[str, bool]] = []
        text = text or ""
        done = 0
        for placeholder in [*HTML_PLACEHOLDER_RE.finditer(text), None]:
            end = placeholder.start() if placeholder else len(text)
            position = done
            if not any(says_lang for _, says_lang in self._open_raw_tags):
                for run in _LATIN_RUN.finditer(text, done, end):
                    pieces += [(text[position : run.start()], False), (run.group(0), True)]
                    position = run.end()
            pieces.append((text[position:end] + (placeholder.group(0) if placeholder else ""), False))
            if placeholder:
                self._follow(self.md.htmlStash.rawHtmlBlocks[int(placeholder.group(1))])
            done = placeholder.end() if placeholder else end
        merged: list[tuple[str, bool]] = []
        for piece, latin in pieces:
            if merged and not latin and not merged[-1][1]:
                merged[-1] = (merged[-1][0] + piece, False)
            elif piece:
                merged.append((piece, latin))
        return merged

    def _follow(self, raw: object) -> None:
        opening, closing = _OPENING_TAG.match(str(raw)), _CLOSING_TAG.match(str(raw))
        if opening and opening.group(1).lower() not in _VOID:
            says_lang = _LANG_ATTRIBUTE.search(opening.group(2) or "") is not None
            self._open_raw_tags.append((opening.group(1).lower(), says_lang))
        elif closing:
            names = [name for name, _ in self._open_raw_tags]
            if closing.group(1).lower() in names:
                del self._open_raw_tags[len(names) - 1 - names[::-1].index(closing.group(1).lower()) :]


def _spans(pieces: list[tuple[str, bool]]) -> list[etree.Element]:
    """One <span lang="en"> per Latin run, each followed (as its tail) by the text after it."""
    spans: list[etree.Element] = []
    for piece, latin in pieces:
        if latin:
            span = etree.Element("span", {"lang": "en"})
            span.text = piece
            spans.append(span)
        else:
            spans[-1].tail = (spans[-1].tail or "") + piece
    return spans


class LanguageOfPartsExtension(Extension):
    def extendMarkdown(self, md):
        # After inline patterns (20) and the glossary's abbreviations (7): the text is final.
        md.treeprocessors.register(LanguageOfPartsTreeprocessor(md), "careleaf_language_of_parts", 6)


def makeExtension(**kwargs):
    return LanguageOfPartsExtension(**kwargs)
