"""Content-Security-Policy: every page refuses scripts, handlers and requests it did not ship with,
proved in Chromium on the web build (over HTTP) and on the kiosk copy (from disk)."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from careleaf.build import csp
from conftest import ROOT, _serve, search_results
from test_build import LANGUAGES, PROJECT, SLUGS, page_path

# Reports every violation, from every frame and across navigations, to the test.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", event => window.reportViolation({
    page: location.href, directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample,
}));
"""
# Material looks for a sitemap.xml beside each alternate page: it 404s (the sitemap is at the root)
# over HTTP and is refused from file://, with or without a policy.
MATERIAL_SITEMAP_PROBE = "sitemap.xml"
# Off-site markup an editor might paste, to be refused by the browser.
INJECTED = """
<img id="injected-image" src="{off_site}/pixel.gif" alt="">
<script>window.injectedScriptRan = true;</script>
<img id="injected-handler" src="data:image/gif;base64,AA==" onerror="window.injectedHandlerRan = true" alt="">
"""


def _expected_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _directives(policy: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (part.split() for part in policy.split(";"))}


def _page_policy(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    [meta] = soup.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
    return meta["content"]


class Watched:
    """A browser context whose CSP violations and console errors are recorded."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(**options)
        self.violations: list[dict] = []
        self.errors: list[str] = []
        self.context.expose_function("reportViolation", lambda violation: self.violations.append(violation))
        self.context.add_init_script(REPORT_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _console(self, message) -> None:
        if message.type == "error" and MATERIAL_SITEMAP_PROBE not in message.text + message.location.get("url", ""):
            self.errors.append(message.text)

    def open(self, url: str) -> None:
        self.page.goto(url)
        # Violations are reported as tasks after the fact, and search starts after load.
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def watched(browser):
    opened = []

    def open_context(**options) -> Watched:
        opened.append(Watched(browser, **options))
        return opened[-1]

    yield open_context
    for context in opened:
        context.context.close()


class RecordingServer:
    """Another host (127.0.0.2 is loopback, but not the site's address) that records every request."""

    def __init__(self):
        requests = self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                requests.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.2", 0), Handler)
        self.url = f"http://127.0.0.2:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def off_site():
    server = RecordingServer()
    yield server
    server.close()


def with_injection(html: str, off_site_url: str, keep_policy: bool = True) -> str:
    """The page with unsafe markup pasted into its article (and, for the control, without its policy)."""
    html = html.replace(
        '<section class="careleaf-content"',
        INJECTED.format(off_site=off_site_url) + '<section class="careleaf-content"',
        1,
    )
    if not keep_policy:
        html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    return html


# ---------------------------------------------------------------------------
# The policy, as built
# ---------------------------------------------------------------------------


def test_only_scripts_a_browser_runs_are_hashed():
    html = (
        '<script>var a = 1;</script><script type="module">b()</script><script type="text/javascript">var a = 1;</script>'
        '<script type="application/json" id="__config">{"search": "x.js"}</script><script type="text/plain">c</script>'
        '<script src="bundle.js"></script><script>\r\nd()</script>'
    )
    assert csp.page_script_sources(html) == [_expected_hash(text) for text in ("var a = 1;", "b()", "\nd()")]


def test_a_page_without_exactly_one_placeholder_is_refused():
    with pytest.raises(csp.PolicyError):
        csp.with_policy("<html><head></head></html>", csp.WEB_POLICY)
    with pytest.raises(csp.PolicyError):
        csp.with_policy(f'<meta content="{csp.PLACEHOLDER}"><p>{csp.PLACEHOLDER}</p>', csp.WEB_POLICY)


def test_preview_allows_live_reload_without_hashes_that_would_cancel_it():
    html = f'<meta http-equiv="Content-Security-Policy" content="{csp.PLACEHOLDER}"><script>__md_scope=1</script>'
    script_src = _directives(_page_policy(csp.with_policy(html, csp.WEB_POLICY, preview=True)))["script-src"]
    # A browser that sees a hash ignores 'unsafe-inline': the preview must carry none.
    assert "'unsafe-inline'" in script_src and not any(source.startswith("'sha256-") for source in script_src)
    published = _directives(_page_policy(csp.with_policy(html, csp.WEB_POLICY)))["script-src"]
    assert published == ["'self'", _expected_hash("__md_scope=1")]


def test_iframe_worker_bootstrap_embeds_its_functions_and_the_worker_url():
    shim = (
        '(()=>{function c(s){parent.postMessage(s,"}")}function d(...s){return s}'
        'var o=class{constructor(e){w.write(`<html><script>postMessage=${c};importScripts=${d};x("${e}")<\\/script>'
        "<script src=${e}><\\/script>`)}}})();"
    )
    assert csp.iframe_worker_bootstrap(shim, "../search.js") == (
        'postMessage=function c(s){parent.postMessage(s,"}")};importScripts=function d(...s){return s};x("../search.js")'
    )
    shipped = (ROOT / "node_modules/iframe-worker/shim/index.js").read_text(encoding="utf-8")
    assert '"../w.js"' in csp.iframe_worker_bootstrap(shipped, "../w.js")


def test_every_page_carries_the_policy_before_any_resource(built_site):
    pages = sorted(built_site.rglob("*.html"))
    # Home, articles, 404, "Print several handouts" and the infobutton entry page in every language.
    assert len(pages) == len(LANGUAGES) * (len(SLUGS) + 4)
    for path in pages:
        html = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        head = [element for element in soup.head.children if element.name]
        assert head[0].name == "meta" and head[0].get("http-equiv") == "Content-Security-Policy", path
        # Moved ahead by the policy, the encoding must still be declared within the first 1024 bytes.
        assert html.encode("utf-8").find(b'<meta charset="utf-8">') + 22 <= 1024, path
        directives = _directives(head[0]["content"])
        inline = [
            script.string
            for script in soup.find_all("script")
            if not script.get("src") and script.get("type") in (None, "module")
        ]
        assert directives["script-src"] == ["'self'", *dict.fromkeys(_expected_hash(text) for text in inline)], path
        assert {name: sources for name, sources in directives.items() if name != "script-src"} == {
            name: list(sources) for name, sources in csp.WEB_POLICY.items() if name != "script-src"
        }, path
        assert not [
            (element.name, attribute)
            for element in soup.find_all(True)
            for attribute in element.attrs
            if attribute.startswith("on")
        ], f"{path}: an inline event handler would be refused"


# ---------------------------------------------------------------------------
# The web build, in Chromium
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_articles_and_404_report_no_violation(watched, served_site, lang):
    session = watched(viewport={"width": 1280, "height": 900})
    not_found = "404.html" if lang == PROJECT.default_language else f"{lang}/404.html"
    for path in [page_path(lang), *(page_path(lang, slug) for slug in SLUGS), not_found]:
        session.open(f"{served_site}/{path.removesuffix('index.html')}")
        assert session.page.locator("h1").first.is_visible(), path
    assert session.violations == []
    assert session.errors == []


@pytest.mark.parametrize("lang,query", [("es", "espasmo"), ("ar", "تشنج")])
def test_search_works_under_the_policy(watched, served_site, lang, query):
    session = watched()
    results = search_results(session.page, f"{served_site}/{lang}/", query)
    assert any(result.startswith(f"{served_site}/{lang}/muscle-spasm/") for result in results), results
    assert session.violations == [] and session.errors == []


def test_switcher_tooltip_and_print_work_under_the_policy(watched, served_site):
    session = watched(viewport={"width": 1280, "height": 900})
    session.context.add_init_script("window.printCalls = 0; window.print = () => { window.printCalls += 1; };")
    page = session.page
    session.open(f"{served_site}/ar/muscle-spasm/")
    page.locator(".careleaf-actions__print").click()
    assert page.evaluate("window.printCalls") == 1
    term = page.locator(".md-content abbr[tabindex='0']").first
    definition = term.get_attribute("title")
    term.focus()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert tooltip.inner_text().strip() == definition
    page.locator(".md-header__option .md-select").hover()
    page.locator(".md-select__link[hreflang=es]").click()
    page.wait_for_url(f"{served_site}/es/muscle-spasm/")
    page.wait_for_load_state("networkidle")
    assert session.violations == [] and session.errors == []


@pytest.fixture(scope="module")
def served_copy(built_site, tmp_path_factory):
    """A copy of the built site, to paste unsafe markup into, served on loopback."""
    site = tmp_path_factory.mktemp("csp") / "site"
    shutil.copytree(built_site, site)
    server = _serve(site)
    url = next(server)
    yield site, url
    next(server, None)


def test_injected_off_site_image_script_and_handler_are_refused(watched, served_copy, off_site):
    site, url = served_copy
    article = (site / page_path("es", "muscle-spasm")).read_text(encoding="utf-8")
    (site / "es" / "injected.html").write_text(with_injection(article, off_site.url), encoding="utf-8")
    (site / "es" / "control.html").write_text(
        with_injection(article, off_site.url, keep_policy=False), encoding="utf-8"
    )

    # Without the policy the same markup reaches the other host and runs: the probe can see a failure.
    control = watched()
    control.open(f"{url}/es/control.html")
    assert off_site.requests == ["/pixel.gif"]
    assert control.page.evaluate("[window.injectedScriptRan, window.injectedHandlerRan]") == [True, True]

    off_site.requests.clear()
    session = watched()
    session.open(f"{url}/es/injected.html")
    assert session.page.locator("h1").first.is_visible()
    assert off_site.requests == []
    assert session.page.evaluate("[window.injectedScriptRan, window.injectedHandlerRan]") == [None, None]
    refused = {(violation["directive"], violation["blocked"]) for violation in session.violations}
    assert refused == {
        ("img-src", f"{off_site.url}/pixel.gif"),
        ("script-src-elem", "inline"),
        ("script-src-attr", "inline"),
    }


# ---------------------------------------------------------------------------
# The kiosk copy, from disk
# ---------------------------------------------------------------------------


def kiosk_pages(folder: Path) -> list[Path]:
    pages = []
    for lang in LANGUAGES:
        prefix = folder if lang == PROJECT.default_language else folder / lang
        pages += [prefix / "index.html", *(prefix / f"{slug}.html" for slug in SLUGS)]
    return pages


@pytest.fixture
def offline(watched):
    """A watched context in which every request off file:// is refused and recorded."""
    session = watched()
    session.outside = []
    session.context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("file://")
            else (session.outside.append(route.request.url), route.abort())
        ),
    )
    return session


def test_kiosk_pages_and_search_from_disk_report_no_violation(offline, kiosk_copy):
    for path in kiosk_pages(kiosk_copy):
        html = path.read_text(encoding="utf-8")
        assert _directives(_page_policy(html))["worker-src"] == ["'none'"], path
        offline.open(path.as_uri())
    # Search runs in iframe-worker's iframe, which inherits the policy: its bootstrap is allowed by hash.
    results = search_results(offline.page, (kiosk_copy / "es" / "index.html").as_uri(), "espasmo")
    assert any(result.startswith((kiosk_copy / "es" / "muscle-spasm.html").as_uri()) for result in results), results
    assert offline.violations == [] and offline.errors == []
    assert offline.outside == []


def test_kiosk_refuses_an_injected_off_site_image_and_script(offline, kiosk_copy, tmp_path, off_site):
    folder = tmp_path / "kiosk"
    shutil.copytree(kiosk_copy, folder)
    article = (folder / "es" / "muscle-spasm.html").read_text(encoding="utf-8")
    (folder / "es" / "injected.html").write_text(with_injection(article, off_site.url), encoding="utf-8")
    offline.context.unroute("**/*")  # let the browser itself decide: the policy must refuse it
    offline.open((folder / "es" / "injected.html").as_uri())
    assert offline.page.locator("h1").first.is_visible()
    assert off_site.requests == []
    assert offline.page.evaluate("[window.injectedScriptRan, window.injectedHandlerRan]") == [None, None]
    refused = {(violation["directive"], violation["blocked"]) for violation in offline.violations}
    assert refused == {
        ("img-src", f"{off_site.url}/pixel.gif"),
        ("script-src-elem", "inline"),
        ("script-src-attr", "inline"),
    }


def test_kiosk_self_means_any_local_file(offline, kiosk_copy, tmp_path):
    """What the README says the kiosk cannot enforce: from file://, 'self' matches every local file."""
    elsewhere = tmp_path / "elsewhere" / "pixel.gif"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"))
    folder = tmp_path / "kiosk"
    shutil.copytree(kiosk_copy, folder)
    article = (folder / "es" / "muscle-spasm.html").read_text(encoding="utf-8")
    probe = f'<img id="local-file" src="{elsewhere.as_uri()}" alt="">'
    (folder / "es" / "local.html").write_text(
        article.replace('<section class="careleaf-content"', probe + '<section class="careleaf-content"', 1),
        encoding="utf-8",
    )
    offline.open((folder / "es" / "local.html").as_uri())
    assert offline.page.evaluate("document.getElementById('local-file').naturalWidth") == 1
    assert offline.violations == []
