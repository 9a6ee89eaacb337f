"""Content-Security-Policy for every page: the browser refuses whatever would reach off the site.

The policy is a second wall behind the validator: if unsafe markup slipped into an article
(a script, an off-site image, an event handler), the browser neither runs nor fetches it.
Pages carry it in a <meta http-equiv> tag (overrides/main.html) that the careleaf plugin fills per page,
because the inline scripts Material needs are allowed by their hashes, and one of them embeds
the page's base URL. A meta policy cannot carry `frame-ancestors`, `report-uri` or `sandbox`
(browsers ignore them there); a web server can send the same policy as a
`Content-Security-Policy` header and add those.

Hashes are computed from the final HTML (after indentation is trimmed) with lexbor (selectolax),
an HTML5 parser that reads a script's text exactly as a browser does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping
from types import MappingProxyType

from selectolax.lexbor import LexborHTMLParser

# The value the template writes into the meta tag; the careleaf plugin replaces it with the page's policy.
PLACEHOLDER = "careleaf-content-security-policy"

SELF = "'self'"
NONE = "'none'"

# The published site, served over HTTP: nothing from any other host, no inline code but Material's own.
WEB_POLICY: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "default-src": (SELF,),
        "script-src": (SELF,),
        "style-src": (SELF,),
        # Material's icons are data: URLs inside its stylesheet.
        "img-src": (SELF, "data:"),
        "font-src": (SELF,),
        "connect-src": (SELF,),
        # Material's search runs in a Web Worker.
        "worker-src": (SELF,),
        "object-src": (NONE,),
        "frame-src": (NONE,),
        "base-uri": (SELF,),
        "form-action": (SELF,),
    }
)

# The kiosk copy, opened from file://. There Chromium's 'self' matches every file: URL (a file has
# no host to compare), so it means "any local file, never the network". No real worker starts from
# file://: the iframe-worker shim runs search in a hidden about:blank iframe, which inherits this
# policy, and its inline bootstrap is allowed by hash. connect-src stays 'self', as on the web.
KIOSK_POLICY: Mapping[str, tuple[str, ...]] = MappingProxyType({**WEB_POLICY, "worker-src": (NONE,)})

# `mkdocs serve` adds its live-reload script to each response after the build, with values that
# change per request: no hash can allow it, so the local preview alone allows inline scripts.
PREVIEW_SCRIPTS = ("'unsafe-inline'",)

# Script types a browser runs (HTML's JavaScript MIME type essences, and modules); any other
# type (Material's application/json #__config) is a data block and never runs.
_JAVASCRIPT_TYPES = frozenset(
    {
        "",
        "module",
        "text/javascript",
        "application/javascript",
        "application/ecmascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    }
)

# iframe-worker writes its bootstrap as `<script>...${name}...<\/script>` into a template literal.
_SHIM_BOOTSTRAP = re.compile(r"<script>((?:(?!<\\?/script>).)*)<\\/script>", re.S)
_SHIM_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


class PolicyError(ValueError):
    """A page cannot be given its policy (its template lost the meta tag, or a script changed shape)."""


def runs_as_script(script_type: str | None, language: str | None = None) -> bool:
    """Whether a browser executes a <script> with this type (and legacy language) attribute."""
    if script_type is None:
        # HTML: with no type, a non-empty language attribute names the type ("text/" + language).
        script_type = f"text/{language}" if language else ""
    return script_type.strip().lower() in _JAVASCRIPT_TYPES


def source_hash(text: str) -> str:
    """A CSP hash source for an inline script's text, as the browser hashes it (UTF-8, CR LF as LF)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def inline_scripts(tree: LexborHTMLParser) -> list[str]:
    """The text of each inline script in the page that a browser would run, in document order."""
    texts = []
    for script in tree.css("script"):
        attributes = script.attributes
        if "src" not in attributes and runs_as_script(attributes.get("type"), attributes.get("language")):
            texts.append(script.text(deep=True, separator="", strip=False))
    return texts


def search_worker_url(tree: LexborHTMLParser) -> str:
    """The search worker's URL exactly as Material passes it to `new Worker` (from #__config)."""
    config = tree.css_first("script#__config")
    if config is None:
        raise PolicyError("no #__config script: cannot tell which URL the search worker starts from")
    return json.loads(config.text(deep=True, separator="", strip=False))["search"]


def iframe_worker_bootstrap(shim_source: str, worker_url: str) -> str:
    """The inline script iframe-worker writes into its iframe (which inherits the page's policy) for
    a worker started from `worker_url`: its template, with each function it embeds in source form."""
    templates = _SHIM_BOOTSTRAP.findall(shim_source)
    if len(templates) != 1:
        raise PolicyError(f"the iframe-worker shim has {len(templates)} inline bootstrap scripts, expected 1")
    template = templates[0]
    names = set(_SHIM_PLACEHOLDER.findall(template))
    functions = {name: _function_source(shim_source, name) for name in names}
    urls = [name for name, source in functions.items() if source is None]
    if len(urls) != 1:
        raise PolicyError(f"cannot tell the worker URL among the iframe-worker bootstrap's values {sorted(names)}")
    values = {name: worker_url if source is None else source for name, source in functions.items()}
    return _SHIM_PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def page_script_sources(html: str, worker_shim: str | None = None) -> list[str]:
    """Hash sources for the page's inline scripts (and the worker shim's bootstrap), once each, in order."""
    tree = LexborHTMLParser(html)
    scripts = inline_scripts(tree)
    if worker_shim is not None:
        scripts.append(iframe_worker_bootstrap(worker_shim, search_worker_url(tree)))
    return list(dict.fromkeys(source_hash(text) for text in scripts))


def policy(directives: Mapping[str, tuple[str, ...]], script_sources: list[str] | tuple[str, ...] = ()) -> str:
    """The policy text: each directive in order, with `script_sources` added to script-src."""
    parts = []
    for name, sources in directives.items():
        if name == "script-src":
            sources = (*sources, *script_sources)
        parts.append(" ".join((name, *sources)))
    return "; ".join(parts)


def with_policy(
    html: str, directives: Mapping[str, tuple[str, ...]], *, preview: bool = False, worker_shim: str | None = None
) -> str:
    """The page with its placeholder replaced by a policy that allows its own inline scripts.
    `worker_shim`: the iframe-worker shim's source, where the page's search runs through it."""
    found = html.count(PLACEHOLDER)
    if found != 1:
        raise PolicyError(f"expected one Content-Security-Policy placeholder, found {found}")
    script_sources = PREVIEW_SCRIPTS if preview else page_script_sources(html, worker_shim)
    return html.replace(PLACEHOLDER, policy(directives, script_sources), 1)


def _function_source(source: str, name: str) -> str | None:
    """The text of `function name(...){...}` in `source` (what Function.prototype.toString gives),
    or None if `source` declares no such function. Braces inside string literals are skipped."""
    start = source.find(f"function {name}(")
    if start < 0:
        return None
    depth, quote, index = 0, None, source.index("{", start)
    while index < len(source):
        char = source[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = None
        elif char in "\"'`":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return source[start : index + 1]
        index += 1
    raise PolicyError(f"function {name} in the iframe-worker shim never ends")
