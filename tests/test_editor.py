"""The browser editor (issue 28): Decap CMS over a real git repository, its forms read and written by
Careleaf's content model, its saves refused in the validator's words, nothing fetched from elsewhere."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from careleaf.authoring import editor_form
from careleaf.authoring.editor import running
from careleaf.authoring.editor_config import decap_config
from careleaf.checks.validation import validate
from careleaf.model import project as project_settings
from careleaf.model.content import Library
from conftest import ROOT, copy_project, edit, keep_languages

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
ARTICLE_FILES = sorted(path for path in (ROOT / "docs").rglob("*.md") if "shared" not in path.parts)


@pytest.mark.parametrize("path", ARTICLE_FILES, ids=[str(path.relative_to(ROOT / "docs")) for path in ARTICLE_FILES])
def test_every_page_read_into_the_form_and_written_back_is_the_same_text(path):
    text = path.read_text(encoding="utf-8")
    form = editor_form.to_form(text)
    assert editor_form.to_markdown(form, text) == text
    if path.stem != "index":  # every article's card is a form, not text to edit by hand
        assert form["red_flags"] and form["red_flags"]["emergency"] or form["red_flags"]["urgent"]


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


def test_a_page_written_from_a_blank_form_reads_as_the_validator_expects(small_tree):
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


def _add_sign(page, tier_label: str, text: str) -> str:
    """Add a written sign to the English card's tier; the id of its field."""
    fields = "els => els.map(element => element.id)"
    before = set(page.eval_on_selector_all("input[id^='text-field']", fields))
    page.get_by_role("button", name=f"Add {tier_label[0].lower()}{tier_label[1:]}").first.click()
    page.get_by_role("menuitem", name="Sign", exact=True).click()
    page.wait_for_function(f"document.querySelectorAll(\"input[id^='text-field']\").length > {len(before)}")
    [added] = set(page.eval_on_selector_all("input[id^='text-field']", fields)) - before
    page.locator(f"#{added}").fill(text)
    return added


def _save(page) -> str:
    """Save, and what the editor said."""
    page.get_by_role("button", name="Save", exact=True).click()
    toast = page.locator(".Toastify__toast").last
    toast.wait_for(timeout=30_000)
    said = toast.inner_text()
    toast.locator("button").click()
    toast.wait_for(state="detached")
    return said


def test_an_article_made_in_the_editor_is_refused_as_the_validator_refuses_then_saved_and_published(tmp_path, browser):
    repository = _repository(tmp_path)
    project = project_settings.load(repository / "mkdocs.yml")
    outside: list[str] = []
    with running(project) as editor:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on(
            "request", lambda request: None if request.url.startswith(editor.origin) else outside.append(request.url)
        )
        try:
            page.goto(editor.address)
            page.get_by_role("button", name="Login").click()
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
            page.locator(f"#{urgent}").fill("you cannot put any weight on your foot")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "editor-card.png"))
            assert "Entry saved" in _save(page)
            draft = _git_show(repository, "cms/articles/sprained-ankle:docs/en/sprained-ankle.md")
            assert "translations: pending" in draft
            assert "!!! emergency\n\n    - your foot turns cold or blue\n" in draft
            # The editorial workflow: only a Ready article publishes, after the editor confirms.
            page.on("dialog", lambda dialog: dialog.accept())
            page.get_by_role("button", name="Status: Draft").click()
            page.get_by_role("menuitem", name="Ready").click()
            page.locator(".Toastify__toast").last.wait_for(timeout=30_000)
            page.get_by_role("button", name="Publish").first.click()
            page.get_by_text("Publish now").click()
            page.wait_for_function(
                "() => [...document.querySelectorAll('.Toastify__toast')].some(t => t.innerText.includes('published'))",
                timeout=30_000,
            )
        finally:
            page.close()
    published = (repository / "docs" / "en" / "sprained-ankle.md").read_text(encoding="utf-8")
    assert published == draft
    assert [item["text"] for item in editor_form.to_form(published)["red_flags"]["urgent"]] == [
        "you cannot put any weight on your foot"
    ]
    assert not (repository / "docs" / "es" / "sprained-ankle.md").exists()  # nobody has translated it yet
    report = validate(project_settings.load(repository / "mkdocs.yml"), readability_checks=False)
    assert [problem for problem in report.problems if problem.gate.severity == "error"] == []
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
