"""The browser editor (issue 28): Decap CMS over a real git repository, its forms read and written by
Careleaf's content model, its saves refused in the validator's words, nothing fetched from elsewhere."""

from __future__ import annotations

import contextlib
import json
import subprocess
from pathlib import Path

import pytest
import yaml

from careleaf.authoring import editor_form
from careleaf.authoring.editor import running
from careleaf.authoring.editor_config import decap_config
from careleaf.checks.validation import validate
from careleaf.model import approval
from careleaf.model import project as project_settings
from careleaf.model.content import TIER_KINDS, Library
from conftest import ROOT, copy_project, edit, keep_languages

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
ARTICLE_FILES = sorted(path for path in (ROOT / "docs").rglob("*.md") if "shared" not in path.parts)


@pytest.mark.parametrize("path", ARTICLE_FILES, ids=[str(path.relative_to(ROOT / "docs")) for path in ARTICLE_FILES])
def test_every_page_read_into_the_form_and_written_back_is_the_same_text(path):
    text = path.read_text(encoding="utf-8")
    form = editor_form.to_form(text)
    assert editor_form.to_markdown(form, text) == text
    if path.stem != "index":  # every article's card is a form, not text to edit by hand
        assert form["red_flags"] and (form["red_flags"]["emergency"] or form["red_flags"]["urgent"])


def test_the_card_is_three_lists_of_written_or_shared_signs():
    form = editor_form.to_form((ROOT / "docs" / "en" / "finger-dislocation.md").read_text(encoding="utf-8"))
    card = form["red_flags"]
    assert card["heading"] == "When to get medical help"
    assert card["emergency"][0] == {"type": "shared", "block": "finger-blood-flow-signs"}
    assert {"type": "sign", "text": "your finger looks bent or out of place again"} in card["urgent"]
    assert "## When to get medical help" not in form["body"] and "!!!" not in form["body"]


def test_a_card_the_form_cannot_hold_exactly_stays_markdown():
    text = (ROOT / "docs" / "en" / "muscle-spasm.md").read_text(encoding="utf-8")
    sign = "    - you think a medicine may be causing your spasms"
    two_lines = text.replace(sign, "    - you think a medicine\n      may be causing your spasms")
    form = editor_form.to_form(two_lines)
    assert form["red_flags"] is None and "!!! contact" in form["body"]
    assert editor_form.to_markdown(form, two_lines) == two_lines


def test_a_page_written_from_a_blank_form_reads_back_as_the_same_form():
    form = {
        "title": "Hand rest",
        "summary": "How to rest your hand.",
        "category": "bones-and-joints",
        "related": ["wrist"],
        "reviewed": "2026-12-01",
        "review_due": "2027-12-01",
        "body": "Rest your hand.\n\n## What is it?\n\nA rest.",
        "red_flags": {
            "heading": "When to get medical help",
            "emergency": [{"type": "sign", "text": "your hand   turns blue"}],
            "urgent": [],
            "contact": [{"type": "sign", "text": "the pain lasts a week"}],
        },
    }
    text = editor_form.to_markdown(form, None, {"translations": "pending"})
    assert "reviewed: 2026-12-01\n" in text and "translations: pending\n---\n" in text
    assert "!!! urgent" not in text and "    - your hand turns blue\n" in text
    assert editor_form.to_form(text) == {**form, "red_flags": {**form["red_flags"]}} | {
        "after": "",
        "body": "Rest your hand.\n\n## What is it?\n\nA rest.\n\n",
        "red_flags": {**form["red_flags"], "emergency": [{"type": "sign", "text": "your hand turns blue"}]},
    }


def test_text_after_the_card_that_would_join_it_does_not_read_back():
    form = {
        "title": "Hand rest",
        "body": "Rest your hand.",
        "red_flags": {"heading": "When to get medical help", "emergency": [{"type": "sign", "text": "it is blue"}]},
        "after": "    - an indented line",
    }
    assert not editor_form.reads_back(form, editor_form.to_markdown(form))
    form["after"] = "## Notes\n\n    an indented line"
    assert editor_form.reads_back(form, editor_form.to_markdown(form))


def test_the_editor_configuration_follows_the_library(tmp_path):
    project_dir = copy_project(tmp_path / "project")
    edit(project_dir / "locales" / "en.yml", "categories:\n", 'categories:\n  skin: "Skin and wounds"\n')
    project = project_settings.load(project_dir / "mkdocs.yml")
    config = decap_config(project, Library.load(project), "http://127.0.0.1:1/api/v1", "main")
    assert config["i18n"] == {
        "structure": "multiple_folders",
        "locales": list(project.languages),
        "default_locale": "en",
    }
    fields = {field["name"]: field for field in config["collections"][0]["fields"]}
    assert {"label": "Skin and wounds", "value": "skin"} in fields["category"]["options"]
    assert {"label": "Muscle spasm", "value": "muscle-spasm"} in fields["related"]["options"]
    tiers = {field["name"]: field for field in fields["red_flags"]["fields"]}
    assert tiers["emergency"]["label"] == "Call 911 or go to the emergency room now if:"
    shared = tiers["urgent"]["types"][1]["fields"][0]["options"]
    assert {
        "label": "fever-sign: you have a fever of 100.4°F (38°C) or higher, or chills",
        "value": "fever-sign",
    } in shared
    assert yaml.safe_load(yaml.safe_dump(config)) == config  # served as config.yml


TIER_LABELS = (
    "Call 911 or go to the emergency room now if:",
    "Call your health care provider right away if:",
    "Call your health care provider during office hours if:",
)
SPANISH_SIGNS = (
    "el pie se pone frío o azul",
    "no puede apoyar nada de peso en el pie",
    "el tobillo todavía le duele después de 2 semanas",
)


def _repository(tmp_path: Path) -> Path:
    """A real git repository holding the library, cut to English, Spanish and Arabic, as a team's would be."""
    project = keep_languages(copy_project(tmp_path / "library"), ("en", "es", "ar"))
    (project / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    for command in (
        ["init", "-q", "-b", "main"],
        ["config", "user.name", "Nurse Educator"],
        ["config", "user.email", "educator@example.org"],
        ["add", "-A"],
        ["commit", "-q", "-m", "library"],
    ):
        subprocess.run(["git", "-C", str(project), *command], check=True)
    return project


def _git_show(repository: Path, revision: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repository), "show", revision], capture_output=True, text=True, check=True
    ).stdout


@contextlib.contextmanager
def _signed_in(browser, editor, outside: list[str]):
    """The editor in Chromium, logged in (Decap's local backend asks nothing), every request leaving it
    for another address recorded in `outside`."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith((editor.origin, editor.preview_origin)) else outside.append(request.url)
        ),
    )
    try:
        page.goto(editor.address)
        page.get_by_role("button", name="Login").click()
        yield page
    finally:
        page.close()


TIER_OF_LABEL = dict(
    zip(
        ("Call 911", "Call your health care provider right", "Call your health care provider during"),
        TIER_KINDS,
        strict=True,
    )
)


def _add_sign(page, tier_label: str, text: str, column: int = 0):
    """Add a written sign at the end of a tier of the card in one column (0: English; 1: the language
    beside it); its field."""
    kind = next(kind for start, kind in TIER_OF_LABEL.items() if tier_label.startswith(start))
    tier = page.locator(f"div[id^='{kind}-field']").nth(column)
    signs = tier.locator("input[id^='text-field']")
    count = signs.count()
    page.get_by_role("button", name=f"Add {tier_label[0].lower()}{tier_label[1:]}").nth(column).click()
    page.get_by_role("menuitem", name="Sign", exact=True).click()
    signs.nth(count).fill(text)
    return signs.nth(count)


def _said(page, action: str, act) -> str:
    """Do `act` (a click), and what the editor then said of Decap's `action`: the toast it showed."""
    with page.expect_response(
        lambda response: (
            response.request.method == "POST" and f'"action":"{action}"' in (response.request.post_data or "")
        )
    ) as answered:
        act()
    answer = answered.value
    words = "Entry saved" if action == "persistEntry" else ""
    if answer.status != 200:
        words = answer.json()["error"].splitlines()[0][:60]
    toast = page.locator(".Toastify__toast", has_text=words).last
    toast.wait_for(timeout=30_000)
    # After a save Decap reads the entry back from the repository: what is typed before then is lost.
    page.wait_for_load_state("networkidle")
    return toast.inner_text()


def _save(page) -> str:
    """Save, and what the editor said."""
    return _said(page, "persistEntry", page.get_by_role("button", name="Save", exact=True).click)


def test_an_article_made_in_the_editor_is_refused_as_the_validator_refuses_then_saved_and_published(tmp_path, browser):
    repository = _repository(tmp_path)
    edit(
        repository / "mkdocs.yml",
        "clinical_review:\n        required: false",
        "clinical_review:\n        required: true",
    )
    subprocess.run(["git", "-C", str(repository), "commit", "-qam", "clinical review required"], check=True)
    project = project_settings.load(repository / "mkdocs.yml")
    outside: list[str] = []
    with running(project) as editor, _signed_in(browser, editor, outside) as page:
        page.goto(editor.address + "#/collections/articles/new")
        page.locator("input[id^='title-field']").first.fill("Sprained ankle")
        page.locator("textarea[id^='summary-field']").first.fill(
            "How to care for a sprained ankle at home, and when to get medical help."
        )
        page.locator("[id^='category-field']").first.click()
        page.get_by_text("Broken bones and joint injuries", exact=True).click()
        page.locator("[id^='related-field']").first.click()
        page.get_by_text("Finger dislocation", exact=True).click()
        page.locator("input[id^='reviewed-field']").first.fill("2026-12-07")
        page.locator("input[id^='review_due-field']").first.fill("2027-12-07")
        page.locator("textarea[id^='body-field']").first.fill(
            "A sprain is a stretched or torn ligament.\n\n## How do I care for it?\n\nRest your ankle."
        )
        # Only the office-hours tier: the validator needs an emergency or an urgent card.
        _add_sign(
            page, "Call your health care provider during office hours if:", "your ankle still hurts after 2 weeks"
        )
        said = _save(page)
        assert "docs/en/sprained-ankle.md:" in said and "needs an 'emergency' or an 'urgent' card" in said
        _add_sign(page, "Call 911 or go to the emergency room now if:", "your foot turns cold or blue")
        urgent = _add_sign(page, "Call your health care provider right away if:", "")
        said = _save(page)
        assert "a sign in the 'urgent' card shows a reader nothing" in said, said
        urgent.fill("you cannot put any weight on your foot")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "editor-card.png"))
        assert "Entry saved" in _save(page)
        # Saved, the new article opens as the draft it now is: typing before then would be lost.
        page.wait_for_url(f"{editor.address}#/collections/articles/entries/sprained-ankle")
        page.wait_for_load_state("networkidle")
        draft = _git_show(repository, "cms/articles/sprained-ankle:docs/en/sprained-ankle.md")
        assert "translations: pending" in draft
        assert "!!! emergency\n\n    - your foot turns cold or blue\n" in draft
        # The Spanish page, written beside the English: the same card, sign for sign.
        page.locator("input[id^='title-field']").nth(1).fill("Esguince de tobillo")
        page.locator("textarea[id^='summary-field']").nth(1).fill(
            "Cómo cuidar un esguince de tobillo en casa y cuándo buscar atención médica."
        )
        page.locator("textarea[id^='body-field']").nth(1).fill(
            "Un esguince es un ligamento estirado o roto.\n\n## ¿Cómo lo cuido?\n\nDescanse el tobillo."
        )
        for tier, sign in zip(TIER_LABELS, SPANISH_SIGNS, strict=True):
            _add_sign(page, tier, sign, column=1)
        assert "Entry saved" in _save(page)
        spanish = _git_show(repository, "cms/articles/sprained-ankle:docs/es/sprained-ankle.md")
        assert "    - el pie se pone frío o azul\n" in spanish and "status: machine-draft" in spanish
        # The editorial workflow: only a Ready article publishes, after the editor confirms; with
        # clinical review required, only an article a clinician approved as it reads is Ready.
        page.on("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Status: Draft").click()
        said = _said(page, "updateUnpublishedEntryStatus", page.get_by_role("menuitem", name="Ready").click)
        assert "no clinician has approved this text" in said
        page.locator("input[id^='approve_as-field']").first.fill("Ana Ruiz, MD")
        assert "Entry saved" in _save(page)
        page.get_by_role("button", name="Status: Draft").click()
        page.get_by_role("menuitem", name="Ready").click()
        page.get_by_role("button", name="Status: Ready").wait_for(timeout=30_000)
        page.get_by_role("button", name="Publish").first.click()
        page.get_by_text("Publish now").click()
        page.wait_for_function(
            "() => [...document.querySelectorAll('.Toastify__toast')].some(t => t.innerText.includes('published'))",
            timeout=30_000,
        )
    published = (repository / "docs" / "en" / "sprained-ankle.md").read_text(encoding="utf-8")
    assert [item["text"] for item in editor_form.to_form(published)["red_flags"]["urgent"]] == [
        "you cannot put any weight on your foot"
    ]
    assert (repository / "docs" / "es" / "sprained-ankle.md").read_text(encoding="utf-8") == spanish
    assert not (repository / "docs" / "ar" / "sprained-ankle.md").exists()  # nobody has translated it yet
    library = Library.load(project_settings.load(repository / "mkdocs.yml"))
    english = library.source("sprained-ankle")
    # The approval is bound to the text as saved: who, when, and the revision readers get.
    assert english.meta["clinical_review"]["approved_by"] == "Ana Ruiz, MD"
    assert approval.status(english) == approval.APPROVED
    report = validate(library.project, library, readability_checks=False)
    assert [
        f"{problem.path}:{problem.line}: {problem.message}"
        for problem in report.problems
        if "sprained-ankle" in problem.path and problem.gate.severity != "note"
    ] == []
    assert outside == []


def test_the_editor_answers_only_with_its_policy_and_refuses_a_form_it_cannot_read(tmp_path):
    import urllib.request

    repository = _repository(tmp_path)
    with running(project_settings.load(repository / "mkdocs.yml")) as editor:
        with urllib.request.urlopen(editor.address) as response:
            policy = response.headers["Content-Security-Policy"]
            assert "default-src 'none'" in policy and "connect-src 'self'" in policy
        request = {
            "action": "persistEntry",
            "params": {
                "branch": "main",
                "dataFiles": [{"path": "docs/en/knee.md", "slug": "knee", "raw": "not a form"}],
                "assets": [],
                "options": {"collectionName": "articles", "commitMessage": "x", "useWorkflow": True, "status": "draft"},
            },
        }
        status, answer = editor.api(request)
        assert status == 422 and answer == {"error": "docs/en/knee.md: the editor sent something that is not a form"}
        status, answer = editor.api(
            {"action": "getEntry", "params": {"branch": "main", "path": "docs/es/muscle-spasm.md"}}
        )
        assert status == 200 and json.loads(answer["data"])["title"] == "Espasmo muscular"


def test_a_sign_edited_in_arabic_beside_the_english_changes_that_line_alone(tmp_path, browser):
    repository = _repository(tmp_path)
    path = "docs/ar/muscle-spasm.md"
    before = (repository / path).read_text(encoding="utf-8")
    first_sign = editor_form.to_form(before)["red_flags"]["emergency"][0]["text"]
    changed_sign = first_sign + " فجأة"
    outside: list[str] = []
    with (
        running(project_settings.load(repository / "mkdocs.yml")) as editor,
        _signed_in(browser, editor, outside) as page,
    ):
        page.goto(editor.address + "#/collections/articles/entries/muscle-spasm")
        page.get_by_role("button", name="Writing in ES").click()
        page.get_by_role("menuitem", name="AR").click()
        page.get_by_role("button", name="Writing in AR").wait_for()
        # What the translator is told as the page opens, beside the English's approval.
        notes = page.locator("[data-careleaf-notes]")
        assert notes.nth(0).inner_text() == "Clinical approval: not approved yet."
        assert "Red-flag card, items per tier (this page/English): emergency 14/14" in notes.nth(1).inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "editor-translation.png"))
        signs = page.eval_on_selector_all(
            "input[id^='text-field']", "inputs => inputs.map(input => [input.id, input.value])"
        )
        [field] = [field_id for field_id, value in signs if value == first_sign]
        page.locator(f"#{field}").fill(changed_sign)
        assert "Entry saved" in _save(page)
        # The preview: the site built with the saved draft, in Arabic, right to left, card and all.
        page.goto(f"{editor.preview_origin}/preview/muscle-spasm/")
        page.wait_for_url(f"{editor.preview_origin}/preview/muscle-spasm/muscle-spasm/")
        page.goto(f"{editor.preview_origin}/preview/muscle-spasm/ar/muscle-spasm/")
        assert page.locator("body").get_attribute("dir") == "rtl"
        assert page.locator("#red-flags").count() == 1
        assert changed_sign in page.locator(".care-card--emergency").inner_text()
    draft = _git_show(repository, f"cms/articles/muscle-spasm:{path}")
    assert draft == before.replace(f"    - {first_sign}\n", f"    - {changed_sign}\n", 1)
    changed = subprocess.run(
        ["git", "-C", str(repository), "diff", "--name-only", "main", "cms/articles/muscle-spasm"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert changed == [path]  # the English and Spanish pages, saved with it, are written back as they were
    assert outside == []


def _post(editor, body: bytes, **headers: str) -> int:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(editor.origin + editor.api_path, data=body, method="POST")
    for name, value in {"Content-Type": "application/json", **headers}.items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_only_the_editors_own_page_reaches_its_api_and_only_for_articles(tmp_path):
    repository = _repository(tmp_path)
    info = json.dumps({"action": "info"}).encode()
    with running(project_settings.load(repository / "mkdocs.yml")) as editor:
        assert _post(editor, info, Origin=editor.origin) == 200
        # Another site's page: a cross-site form post, a name it points at this machine, a guessed path.
        assert _post(editor, info, Origin="https://evil.example") == 403
        assert _post(editor, info, **{"Content-Type": "text/plain"}) == 403
        assert _post(editor, info, Host="evil.example:8090") == 403
        assert editor.api_path != "/api/v1"

        def persist(path: str, **extra) -> tuple[int, dict]:
            files = [{"path": path, "slug": Path(path).stem, "raw": "{}", **extra}]
            return editor.api(
                {"action": "persistEntry", "params": {"branch": "main", "dataFiles": files, "assets": []}}
            )

        for path in (
            "scripts/en/evil.md",
            "docs/en/tendon_repair.md",
            "docs/en/index.md",
            "docs/en/shared/fever-sign.md",
        ):
            status, answer = persist(path)
            assert status == 403 and answer["error"].startswith(f"{path}: not an article's file"), answer
        assert persist("docs/en/knee.md", newPath="scripts/setup.sh")[0] == 403
        for action in ("persistMedia", "deleteFile", "deleteFiles"):
            assert editor.api({"action": action, "params": {"branch": "main"}})[0] == 403
        assert editor.api({"action": "getEntry", "params": {"branch": "main", "path": ".git/config"}})[0] == 403
        # A file someone left in the checkout is never committed by a save.
        (repository / "NOTES-private.txt").write_text("not for the library", encoding="utf-8")
        status, answer = persist("docs/en/knee.md")
        assert status == 409 and "NOTES-private.txt" in answer["error"]
    assert "NOTES-private.txt" not in _git_show(repository, "main:")  # the files of main's last commit


def test_a_translation_opens_with_its_card_beside_the_english_and_what_changed_since(tmp_path):
    repository = _repository(tmp_path)
    english = repository / "docs" / "en" / "muscle-spasm.md"
    with running(project_settings.load(repository / "mkdocs.yml")) as editor:

        def notes(lang: str) -> str:
            status, answer = editor.api(
                {"action": "getEntry", "params": {"branch": "main", "path": f"docs/{lang}/muscle-spasm.md"}}
            )
            assert status == 200
            return json.loads(answer["data"])["careleaf_notes"]

        assert notes("en") == "Clinical approval: not approved yet."
        spanish = notes("es")
        assert (
            "Red-flag card, items per tier (this page/English): emergency 14/14, urgent 11/11, contact 4/4." in spanish
        )
        assert "This translation is current with the English." in spanish
        edit(english, "    - a cramp lasts more than 10 minutes", "    - a cramp lasts more than 15 minutes")
        edit(english, "    - you think a medicine may be causing your spasms\n", "")
        subprocess.run(["git", "-C", str(repository), "commit", "-qam", "two signs changed"], check=True)
        spanish = notes("es")
    assert "emergency 14/14, urgent 11/11, contact 4/3. Each tier needs as many items as the English." in spanish
    changed = spanish.split("Changed in the English since this translation was made (as the English reads now):\n")[1]
    assert changed.splitlines() == [
        "- a cramp lasts more than 15 minutes and does not ease when you stretch",
        "- removed: you think a medicine may be causing your spasms",
    ]


def test_a_sign_removed_from_the_middle_of_a_tier_is_the_one_named_and_a_shared_block_change_is_seen(tmp_path):
    repository = _repository(tmp_path)
    english = repository / "docs" / "en" / "muscle-spasm.md"
    removed = "    - one calf or leg is swollen, warm or red (a possible blood clot)\n"
    edit(english, removed, "")
    subprocess.run(["git", "-C", str(repository), "commit", "-qam", "a sign removed"], check=True)
    with running(project_settings.load(repository / "mkdocs.yml")) as editor:

        def notes(slug: str) -> str:
            path = f"docs/es/{slug}.md"
            status, answer = editor.api({"action": "getEntry", "params": {"branch": "main", "path": path}})
            assert status == 200
            return json.loads(answer["data"])["careleaf_notes"]

        spanish = notes("muscle-spasm")
        changed = spanish.split("(as the English reads now):\n")[1]
        assert changed.splitlines() == ["- removed: one calf or leg is swollen, warm or red (a possible blood clot)"]
        block = repository / "docs" / "en" / "shared" / "finger-blood-flow-signs.md"
        block.write_text(block.read_text(encoding="utf-8") + "- your finger turns white\n", encoding="utf-8")
        subprocess.run(["git", "-C", str(repository), "commit", "-qam", "a shared sign added"], check=True)
        dislocation = notes("finger-dislocation")
    assert "This translation is current" not in dislocation
    assert "A shared block this page includes changed in English" in dislocation


def test_the_preview_has_an_origin_of_its_own_and_builds_no_library_with_a_link_out(tmp_path):
    import urllib.error
    import urllib.request

    repository = _repository(tmp_path)
    (repository / "docs" / "assets").mkdir(exist_ok=True)
    (repository / "docs" / "assets" / "os.txt").symlink_to("/etc/os-release")
    subprocess.run(["git", "-C", str(repository), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(repository), "commit", "-qm", "a link out"], check=True)
    with running(project_settings.load(repository / "mkdocs.yml")) as editor:
        assert editor.preview_origin != editor.origin
        assert f"frame-src {editor.preview_origin};" in editor.policy
        try:
            urllib.request.urlopen(f"{editor.preview_origin}/preview/muscle-spasm/muscle-spasm/")
        except urllib.error.HTTPError as error:
            assert error.code == 500 and "symbolic link (docs/assets/os.txt)" in error.read().decode()
        else:
            raise AssertionError("a library with a symbolic link out was previewed")
