"""Safe markup: what an article, a locale string or a glossary entry may put on a page.

An article is rendered with the build's own Markdown extensions and the HTML is parsed the way a
browser parses it (lexbor, an HTML5 parser, through selectolax); nothing is judged by patterns over
Markdown. Editors may type a short list of inline HTML (`EDITOR_HTML`); everything else must come
from Markdown itself (`MARKDOWN_HTML`). Nothing on a page may load from another host or run a script.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

# Markdown and the HTML parser are imported when first needed: a validator run whose results all
# come from the cache (careleaf/util/cache.py) never loads them.

# Raw HTML an editor may type inside Markdown, with the attributes each may carry.
EDITOR_HTML: dict[str, frozenset[str]] = {
    "span": frozenset({"lang", "dir"}),  # an English term inside a translation (WCAG 3.1.2)
    "bdi": frozenset({"lang", "dir"}),  # a number or word in the other direction (Arabic)
    "abbr": frozenset({"title"}),
    "br": frozenset(),
    "strong": frozenset(),
    "em": frozenset(),
    "sub": frozenset(),
    "sup": frozenset(),
    "code": frozenset({"class"}),  # also what a fenced code block renders to
    "pre": frozenset(),
}
# What Python-Markdown and the configured extensions produce, with their attributes.
MARKDOWN_HTML: dict[str, frozenset[str]] = {
    **{
        tag: frozenset()
        for tag in (
            "p",
            "ul",
            "li",
            "em",
            "strong",
            "blockquote",
            "hr",
            "br",
            "dl",
            "dt",
            "dd",
            "table",
            "thead",
            "tbody",
            "tr",
            "pre",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
        )
    },
    "ol": frozenset({"start"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt"}),
    "code": frozenset(),
    "div": frozenset(),
    "th": frozenset({"style"}),
    "td": frozenset({"style"}),
    **EDITOR_HTML,
}
# Any element may carry these (attr_list puts ids and classes on headings and paragraphs).
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "lang", "dir", "title"})
# The tables extension aligns columns with these styles, and only these.
TABLE_STYLES = frozenset({"text-align: left;", "text-align: right;", "text-align: center;"})
# The document elements lexbor adds around any fragment; an editor cannot give them attributes.
DOCUMENT_ELEMENTS = frozenset({"html", "head", "body"})
# Where a link may lead when the reader follows it.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Names the theme and Careleaf's own components use: content must not imitate or clobber them.
RESERVED_ID_PREFIXES = ("__",)
RESERVED_CLASS_PREFIXES = ("md-", "careleaf-", "care-card", "red-flag")
# Careleaf's own Markdown extensions add only abbreviations and language spans (both allowed);
# md_in_html is left out so that raw HTML blocks stay raw and are judged as typed.
UNCHECKED_EXTENSIONS = ("careleaf.", "md_in_html")
# Without these characters Markdown makes no raw HTML, link, image, attribute list or admonition.
_PLAIN_BREAKERS = frozenset("<[{!")
# A red-flag tier marker and the red-flag heading's id, as the content model reads them.
_KNOWN_LINE = re.compile(
    r"^(?:!!![ \t]+(?:emergency|urgent|contact)[ \t]*|(?P<heading>##[ \t].*?)[ \t]*\{#red-flags\}[ \t]*)$"
)
# Deeper than this (indentation or list and quote markers) is rendered, to be sure it renders at all.
_PLAIN_DEPTH = 40
# What a sign needs to be seen: a letter or a digit in any script.
_VISIBLE = re.compile(r"\w")
# Characters that can make Markdown produce markup; text without any of them renders as itself.
_MARKUP_CHARACTERS = frozenset("<>&*_`[]!\\{}~|#")


class RenderError(Exception):
    """Markdown could not render the text (it nests deeper than Python can follow)."""


@dataclass(frozen=True)
class Unsafe:
    """One thing that must not reach a page: a message, and texts to find it by in the source."""

    code: str
    message: str
    needles: tuple[str, ...]

    def as_list(self) -> list:
        return [self.code, self.message, list(self.needles)]

    @classmethod
    def from_list(cls, data: list) -> Unsafe:
        return cls(data[0], data[1], tuple(data[2]))


# ---------------------------------------------------------------------------
# Rendering as the build does
# ---------------------------------------------------------------------------


class Renderer:
    """Python-Markdown with the build's extensions (mkdocs.yml's markdown_extensions)."""

    def __init__(self, extensions: Iterable[Any] = ()):
        names, configs = [], {}
        for entry in extensions:
            name, config = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
            if not isinstance(name, str) or name.startswith(UNCHECKED_EXTENSIONS):
                continue
            names.append(name)
            if isinstance(config, dict):
                configs[name] = config
        # MkDocs always adds these three.
        self._names = list(dict.fromkeys(["toc", "tables", "fenced_code", *names]))
        self._configs = configs
        self._cache: dict[str, tuple[str, tuple[str, ...]]] = {}

    @cached_property
    def _markdown(self):
        # Made at the first text that needs rendering: a run whose answers all come from the cache makes none.
        import markdown

        return markdown.Markdown(extensions=self._names, extension_configs=self._configs)

    def render(self, text: str) -> tuple[str, tuple[str, ...]]:
        """The HTML, and every raw HTML fragment Markdown passed through (as the editor typed it)."""
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        if key not in self._cache:
            self._markdown.reset()
            try:
                html = self._markdown.convert(text)
            except RecursionError as error:
                raise RenderError("the text nests too deeply to render (hundreds of '>' or list levels?)") from error
            raw = tuple(entry for entry in self._markdown.htmlStash.rawHtmlBlocks if isinstance(entry, str))
            self._cache[key] = (html, raw)
        return self._cache[key]


# ---------------------------------------------------------------------------
# Judging HTML
# ---------------------------------------------------------------------------


def article_problems(markdown_text: str, renderer: Renderer, shortcut: bool = True) -> list[Unsafe]:
    """Everything unsafe in an article's Markdown, judged on the HTML it renders to (a text that can
    render only to plain markup is not rendered, unless `shortcut` is off)."""
    if shortcut and renders_only_plain_markup(markdown_text):
        return []
    try:
        html, raw_fragments = renderer.render(markdown_text)
    except RenderError as error:
        return [Unsafe("render-failed", str(error), ())]
    found: dict[tuple[str, str], Unsafe] = {}
    for fragment in raw_fragments:
        for problem in _typed_html_problems(fragment):
            found.setdefault((problem.code, problem.message), problem)
    for problem in html_problems(html, MARKDOWN_HTML):
        found.setdefault((problem.code, problem.message), problem)
    hidden = hidden_red_flags(markdown_text, html)
    if hidden:
        found.setdefault((hidden.code, hidden.message), hidden)
    return list(found.values())


# The card as Markdown writes it: its heading's id, and each tier's box.
_RED_FLAGS_HEADING = re.compile(r"^#{1,6}[ \t].*\{[^}]*#red-flags\b[^}]*\}[ \t]*$", re.M)
_TIER_BOX = re.compile(r"^!!![ \t]*(emergency|urgent|contact)\b", re.M | re.I)  # ??? is tier-collapsible's
_FENCED = re.compile(r"^(?P<fence>`{3,}|~{3,}).*?^(?P=fence)[ \t]*$", re.M | re.S)


def hidden_red_flags(markdown_text: str, html: str) -> Unsafe | None:
    """A red-flag card written in the Markdown that the rendered page does not show: inside an HTML
    comment or a raw HTML block, its heading or its tier boxes are text, or nothing, to a reader."""
    outside_code = _FENCED.sub("", markdown_text)  # an example in a code block is no card
    headings = _RED_FLAGS_HEADING.findall(outside_code)
    boxes = _TIER_BOX.findall(outside_code)
    if not headings and not boxes:
        return None
    tree = _parse(html)
    shown_boxes = sum(len(tree.css(f"div.admonition.{kind.lower()}")) for kind in ("emergency", "urgent", "contact"))
    if len(tree.css("#red-flags")) >= min(len(headings), 1) and shown_boxes >= len(boxes):
        return None
    return Unsafe(
        "red-flags-hidden",
        "the red-flag card is written here but the page would not show it (its heading or a tier box is inside "
        "an HTML comment or an HTML block): remove the '<!--' or the HTML around it",
        ("<!--", "{#red-flags}"),
    )


def renders_only_plain_markup(markdown_text: str) -> bool:
    """True when Markdown can make nothing of this text but its own plain elements (paragraphs,
    headings, lists, emphasis, tables, code): no `<`, `[`, `{` or `!` outside a red-flag tier marker
    and the red-flag heading's id, no heading that could take an id starting `__`, nothing nested
    deep. Such a text need not be rendered to be judged; any other is rendered."""
    for line in markdown_text.split("\n"):
        known = _KNOWN_LINE.match(line)
        if known:
            line = known.group("heading") or ""
        if not _PLAIN_BREAKERS.isdisjoint(line):
            return False
        if len(line) - len(line.lstrip(" \t>*+-0123456789.)")) > _PLAIN_DEPTH:
            return False
        if line.lstrip().startswith("#") and "_" in line:
            return False
    return True


def plain_text_problems(text: str) -> list[Unsafe]:
    """A locale string, a glossary entry or a title: text only, no markup at all."""
    if "<" not in text:
        return []
    tree = _parse(text)
    elements = [node.tag for node in _elements(tree) if node.tag not in DOCUMENT_ELEMENTS]
    if elements or any(node.tag == "-comment" for node in tree.root.traverse(include_text=True)):
        first = elements[0] if elements else "!--"
        return [Unsafe("unsafe-html", f"markup (<{first}>) is not allowed here: write plain text", (f"<{first}",))]
    return []


def html_problems(html: str, allowed: dict[str, frozenset[str]]) -> Iterator[Unsafe]:
    tree = _parse(html)
    for node in _elements(tree):
        tag = node.tag
        if tag in DOCUMENT_ELEMENTS:
            yield from _attribute_problems(node, frozenset())
            continue
        if tag not in allowed:
            yield _element_problem(tag)
            continue
        yield from _attribute_problems(node, allowed[tag] | GLOBAL_ATTRIBUTES)


def _typed_html_problems(fragment: str) -> Iterator[Unsafe]:
    """Raw HTML as an editor typed it: only EDITOR_HTML (HTML comments and entities are fine)."""
    if "<" not in fragment:
        return
    for problem in html_problems(fragment, EDITOR_HTML):
        yield Unsafe(problem.code, problem.message, (fragment.strip().split("\n")[0], *problem.needles))


def _parse(html: str):
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(html)


def _elements(tree) -> Iterator:
    return (node for node in tree.root.traverse() if not node.tag.startswith("-"))


def _element_problem(tag: str) -> Unsafe:
    reason = {
        "script": "runs a script",
        "iframe": "embeds another site",
        "frame": "embeds another site",
        "object": "embeds a plug-in",
        "embed": "embeds a plug-in",
        "form": "sends what a reader types",
        "style": "changes the page's styles",
        "link": "loads a file",
        "meta": "changes how the page behaves",
        "base": "changes where every link goes",
        "svg": "can run scripts",
        "math": "can run scripts",
        "video": "loads media",
        "audio": "loads media",
        "source": "loads media",
        "picture": "loads images",
    }.get(tag, "is not allowed in articles")
    allowed = ", ".join(f"<{name}>" for name in EDITOR_HTML)
    return Unsafe("unsafe-html", f"<{tag}> {reason}: use Markdown (HTML allowed: {allowed})", (f"<{tag}",))


def _attribute_problems(node, allowed: frozenset[str]) -> Iterator[Unsafe]:
    tag = node.tag
    for name, value in node.attributes.items():
        value = value or ""
        if name.startswith("on"):
            yield Unsafe("unsafe-html", f"the '{name}' attribute on <{tag}> runs a script", (f"{name}=", name))
        elif name not in allowed:
            yield Unsafe("unsafe-html", f"the '{name}' attribute is not allowed on <{tag}>", (f"{name}=", name))
        elif name == "style" and value.strip() not in TABLE_STYLES:
            yield Unsafe("unsafe-html", f"the style attribute is not allowed on <{tag}>", ("style=",))
        elif name == "href":
            yield from _link_problems(value, node.text(deep=True).strip())
        elif name == "src":
            yield from _source_problems(tag, value, (node.attributes.get("alt") or "").strip())
        elif name == "id" and value.startswith(RESERVED_ID_PREFIXES):
            yield Unsafe("unsafe-html", f"the id '{value}' is reserved for the site's own scripts", (value,))
        elif name == "class":
            reserved = [token for token in value.split() if token.startswith(RESERVED_CLASS_PREFIXES)]
            if reserved:
                yield Unsafe(
                    "unsafe-html", f"the class '{reserved[0]}' belongs to the site's own components", (reserved[0],)
                )


def _link_problems(value: str, text: str) -> Iterator[Unsafe]:
    # Found in the source by the address as written, else by its scheme, its rest or the link's text.
    scheme = url_scheme(value)
    if scheme is not None and scheme not in LINK_SCHEMES:
        rest = _normalized(value).split(":", 1)[1]
        yield Unsafe(
            "unsafe-url",
            f"a '{scheme}:' link is not allowed (links may be web addresses, mailto: or tel:)",
            (value, f"{scheme}:", rest, f"[{text}]", text),
        )


def _source_problems(tag: str, value: str, alt: str) -> Iterator[Unsafe]:
    if url_scheme(value) is not None or _normalized(value).replace("\\", "/").startswith("//"):
        yield Unsafe(
            "unsafe-url",
            f"<{tag}> loads '{value}' from another address: put the file under docs/ and use a relative address",
            (value, f"[{alt}]", "src="),
        )


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in an attribute value, lower-cased (None for a relative URL)."""
    normalized = _normalized(value)
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", normalized)
    return match.group(1).lower() if match else None


def _normalized(value: str) -> str:
    # As the URL standard does: trim C0 controls and spaces, drop tabs and newlines anywhere.
    return re.sub(r"[\t\n\r]", "", value).strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
        "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c"
        "\x1d\x1e\x1f "
    )


# ---------------------------------------------------------------------------
# What a reader sees
# ---------------------------------------------------------------------------


def visible_text(markdown_text: str, renderer: Renderer) -> str:
    """The text a reader sees of a short piece of Markdown (a red-flag sign)."""
    if not _MARKUP_CHARACTERS.intersection(markdown_text):
        return markdown_text.strip()
    try:
        html, _ = renderer.render(markdown_text)
    except RenderError:
        return ""
    return _parse(html).root.text(deep=True, separator=" ").strip() if html.strip() else ""


def is_visible(markdown_text: str, renderer: Renderer) -> bool:
    return bool(_VISIBLE.search(visible_text(markdown_text, renderer)))


def locate(body: str, first_line: int, needles: Iterable[str], after: dict[str, int] | None = None) -> int:
    """The file line of the first needle found in a page body (each later call for the same needle
    finds its next occurrence); the body's first line if none is found."""
    after = after if after is not None else {}
    lowered = body.lower()
    for needle in needles:
        needle = needle.strip().lower()
        if not needle:
            continue
        position = lowered.find(needle, after.get(needle, 0))
        if position < 0:
            position = lowered.find(needle)
        if position >= 0:
            after[needle] = position + 1
            return first_line + body.count("\n", 0, position)
    return first_line


_RENDERERS: dict[str, Renderer] = {}


def renderer(project) -> Renderer:
    """One renderer per set of Markdown extensions, kept for the process (mkdocs serve validates often)."""
    key = repr([entry if isinstance(entry, str) else sorted(entry) for entry in project.markdown_extensions])
    if key not in _RENDERERS:
        _RENDERERS[key] = Renderer(project.markdown_extensions)
    return _RENDERERS[key]


def visible_counts(red_flags, render: Renderer) -> dict[str, int]:
    """Signs per tier that a reader can see (an empty sign or a lone comment is not one)."""
    return {tier.kind: sum(1 for item in tier.items if is_visible(item, render)) for tier in red_flags.tiers}


def fingerprint(project) -> str:
    """What a page's result depends on besides its text: this policy, the extensions and their versions."""
    from careleaf.util.cache import source_fingerprint

    return source_fingerprint(
        sys.modules[__name__],
        extra=repr(_stable(project.markdown_extensions)),
        packages=("markdown", "pymdown-extensions", "selectolax"),
    )


def _stable(value: Any) -> Any:
    """A description of configuration that is the same in every run (functions by name, not address)."""
    if isinstance(value, dict):
        return sorted((str(key), _stable(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_stable(item) for item in value]
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    return repr(value)
