"""The validator: each broken thing is named with its file, line, code and exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from careleaf.checks.problems import Gate
from careleaf.checks.validation import validate
from careleaf.cli import main as careleaf  # the command under test
from careleaf.model import project as project_settings
from conftest import CARELEAF_SETTINGS, ROOT, article, line_of, run_careleaf

# Review dates are checked against a fixed day, so these tests mean the same every day.
TODAY = "2026-11-20"


def run(tree: Path, capsys, *args: str) -> tuple[int, str]:
    if "--today" not in args:
        args = (*args, "--today", TODAY)
    code = careleaf(["-f", str(tree / "mkdocs.yml"), "validate", *args])
    return code, capsys.readouterr().out


def test_valid_small_tree_passes(small_tree, capsys):
    code, out = run(small_tree, capsys)
    assert code == 0, out
    assert "0 error(s), 0 warning(s)" in out


def test_missing_red_flag_section_fails_naming_the_file(small_tree, capsys):
    path = small_tree / "docs/es/finger.md"
    path.write_text(article("es", "Finger", ["wrist"], red_flags=""), encoding="utf-8")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert (
        "docs/es/finger.md:1: error: no red-flag section: add '## <heading> {#red-flags}' with its tiers [red-flags-missing]"
        in out
    )


def test_heading_without_the_id_is_named_at_its_line(small_tree, capsys):
    path = small_tree / "docs/en/wrist.md"
    path.write_text(path.read_text().replace(" {#red-flags}", ""), encoding="utf-8")
    code, out = run(small_tree, capsys)
    line = line_of(path, "## When to get medical help")
    assert code == 1
    assert (
        f"docs/en/wrist.md:{line}: error: heading 'When to get medical help' holds red-flag tiers "
        "but lacks {#red-flags} [red-flags-no-id]"
    ) in out


@pytest.mark.parametrize(
    ("opening", "closing", "named_at"),
    [("<!-- old text", "-->", "<!-- old text"), ('<div markdown="0">', "</div>", "## When to get medical help")],
    ids=["comment", "html-block"],
)
def test_a_card_the_page_would_not_show_is_an_error_where_it_is_hidden(small_tree, capsys, opening, closing, named_at):
    path = small_tree / "docs/en/wrist.md"
    text = path.read_text(encoding="utf-8").replace(
        "## When to get medical help", f"{opening}\n\n## When to get medical help", 1
    )
    path.write_text(text.rstrip("\n") + f"\n\n## Old notes\n\n{closing}\n", encoding="utf-8")
    code, out = run(small_tree, capsys)
    assert code == 1
    line = line_of(path, named_at)
    assert f"docs/en/wrist.md:{line}: error: the red-flag card is written here but the page would not show it" in out


def test_a_card_shown_as_an_example_in_a_code_block_is_not_a_hidden_card(small_tree, capsys):
    path = small_tree / "docs/en/wrist.md"
    example = "A card is written like this [see below]:\n\n```text\n!!! emergency\n\n    - a sign\n```\n\n"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "## When to get medical help", example + "## When to get medical help", 1
        ),
        encoding="utf-8",
    )
    code, out = run(small_tree, capsys)
    assert "red-flags-hidden" not in out


def test_empty_tier_is_an_error(small_tree, capsys):
    path = small_tree / "docs/en/finger.md"
    path.write_text(path.read_text().replace("    - the pain gets worse\n", ""), encoding="utf-8")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert (
        f"docs/en/finger.md:{line_of(path, '!!! urgent')}: error: the 'urgent' card lists no signs [tier-empty]" in out
    )


def test_unknown_tier_type_is_an_error(small_tree, capsys):
    path = small_tree / "docs/es/wrist.md"
    path.write_text(path.read_text().replace("!!! urgent", "!!! warning"), encoding="utf-8")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert (
        f"docs/es/wrist.md:{line_of(path, '!!! warning')}: error: unknown tier 'warning' "
        "(use emergency, urgent, contact) [tier-unknown]"
    ) in out


def test_collapsible_tier_is_refused(small_tree, capsys):
    path = small_tree / "docs/en/finger.md"
    path.write_text(path.read_text().replace("!!! emergency", "??? emergency"), encoding="utf-8")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert f"docs/en/finger.md:{line_of(path, '??? emergency')}:" in out
    assert "must never be collapsible" in out and "[tier-collapsible]" in out


def test_tier_needs_emergency_or_urgent(small_tree, capsys):
    red_flags = "## When to get medical help {#red-flags}\n\n!!! contact\n\n    - your splint is loose\n"
    path = small_tree / "docs/en/finger.md"
    path.write_text(article("en", "Finger", ["wrist"], red_flags=red_flags), encoding="utf-8")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert (
        f"docs/en/finger.md:{line_of(path, '{#red-flags}')}: error: "
        "the red-flag section needs an 'emergency' or an 'urgent' card [tier-required]" in out
    )


def test_tier_outside_the_red_flag_section_is_an_error(small_tree, capsys):
    path = small_tree / "docs/en/finger.md"
    path.write_text(
        path.read_text().replace("## Home care\n", "## Home care\n\n!!! urgent\n\n    - you feel faint\n"),
        encoding="utf-8",
    )
    code, out = run(small_tree, capsys)
    assert code == 1
    assert f"docs/en/finger.md:{line_of(path, '!!! urgent')}:" in out and "[tier-outside-red-flags]" in out


def test_tier_with_a_custom_title_is_refused(small_tree, capsys):
    path = small_tree / "docs/en/finger.md"
    path.write_text(path.read_text().replace("!!! emergency", '!!! emergency "Call 999"'), encoding="utf-8")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert "[tier-title]" in out


def test_missing_translation_is_an_error_by_default(small_tree, capsys):
    (small_tree / "docs/es/wrist.md").unlink()
    code, out = run(small_tree, capsys)
    assert code == 1
    assert (
        "docs/es/wrist.md:1: error: no 'es' translation: every article needs its red-flag card in every language "
        "(while 'es' is being translated, list it in the careleaf plugin's languages_in_progress in mkdocs.yml; "
        "while this article's translations are being made, put 'translations: pending' in its English front matter) "
        "[translation-missing]"
    ) in out


def test_missing_translation_in_a_language_in_progress_is_a_note_even_strict_accepts(small_tree, capsys):
    config = small_tree / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(CARELEAF_SETTINGS, CARELEAF_SETTINGS + "      languages_in_progress: [es]\n"),
        encoding="utf-8",
    )
    (small_tree / "docs/es/wrist.md").unlink()
    code, out = run(small_tree, capsys)
    assert code == 0, out
    assert (
        "docs/es/wrist.md:1: note: no 'es' translation yet ('es' is in progress): readers get the English page "
        "with a notice [translation-missing]"
    ) in out
    code, _ = run(small_tree, capsys, "--strict")
    assert code == 0


@pytest.mark.parametrize("setting", ["[en]", "[fr]", "es"])
def test_languages_in_progress_must_name_translation_languages(small_tree, capsys, setting):
    config = small_tree / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(CARELEAF_SETTINGS, f"{CARELEAF_SETTINGS}      languages_in_progress: {setting}\n"),
        encoding="utf-8",
    )
    code = careleaf(["-f", str(small_tree / "mkdocs.yml"), "validate", "--today", TODAY])
    assert code == 2
    assert "mkdocs.yml: plugins.careleaf.languages_in_progress" in capsys.readouterr().err


def test_unknown_related_slug_is_an_error(small_tree, capsys):
    path = small_tree / "docs/en/finger.md"
    path.write_text(article("en", "Finger", ["wrist", "elbow"]), encoding="utf-8")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert (
        f"docs/en/finger.md:{line_of(path, 'related:')}: error: related article 'elbow' does not exist [related-unknown]"
        in out
    )


def test_malformed_yaml_gives_a_line_not_a_traceback(small_tree, capsys):
    path = small_tree / "docs/es/finger.md"
    path.write_text(path.read_text().replace("title: Finger", "title: [Finger"), encoding="utf-8")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert "Traceback" not in out
    assert (
        "docs/es/finger.md:" in out and "error: front matter is not valid YAML" in out and "[front-matter-yaml]" in out
    )


def test_dates_must_be_dates(small_tree, capsys):
    path = small_tree / "docs/en/wrist.md"
    path.write_text(path.read_text().replace("review_due: 2027-06-30", "review_due: next year"), encoding="utf-8")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert (
        f"docs/en/wrist.md:{line_of(path, 'review_due:')}: error: 'review_due' must be a date (YYYY-MM-DD), "
        "not 'next year' [front-matter-type]"
    ) in out


def test_missing_front_matter_field_is_an_error(small_tree, capsys):
    path = small_tree / "docs/en/wrist.md"
    path.write_text(path.read_text().replace("summary: A short summary of Wrist.\n", ""), encoding="utf-8")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert "docs/en/wrist.md:1: error: front matter needs 'summary' [front-matter-missing-field]" in out


def test_missing_locale_key_is_an_error(small_tree, capsys):
    path = small_tree / "locales/es.yml"
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("english_original:")
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert (
        "locales/es.yml:1: error: missing key 'translation.english_original'" in out and "[locale-missing-key]" in out
    )


def test_locale_that_drops_the_emergency_number_is_an_error(small_tree, capsys):
    path = small_tree / "locales/es.yml"
    text = path.read_text(encoding="utf-8")
    assert "{emergency_number}" in text
    path.write_text(text.replace("{emergency_number}", "112", 1), encoding="utf-8")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert "[locale-placeholder]" in out and "'emergency_number'" in out


def test_non_utf8_file_gives_a_clear_line(small_tree, capsys):
    path = small_tree / "docs/es/wrist.md"
    path.write_bytes(
        path.read_text(encoding="utf-8").encode("latin-1", errors="replace") + "\ncafé\n".encode("latin-1")
    )
    code, out = run(small_tree, capsys)
    assert code == 1
    assert "docs/es/wrist.md:" in out and "error: the file is not valid UTF-8" in out and "[file-encoding]" in out
    assert "Traceback" not in out


def test_empty_file_gives_a_clear_line(small_tree, capsys):
    (small_tree / "docs/en/wrist.md").write_text("", encoding="utf-8")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert "docs/en/wrist.md:1: error: the file is empty [file-empty]" in out


def test_translation_without_status_is_an_error(small_tree, capsys):
    path = small_tree / "docs/es/finger.md"
    text = path.read_text(encoding="utf-8").replace("  status: machine-draft\n", "")
    path.write_text(text, encoding="utf-8")
    code, out = run(small_tree, capsys)
    assert code == 1
    assert (
        f"docs/es/finger.md:{line_of(path, 'translation:')}: error: "
        "translation.status must be one of machine-draft, reviewed, not None [translation-status]" in out
    )


def test_json_lists_problems_and_tier_counts(small_tree, capsys):
    path = small_tree / "docs/es/finger.md"
    path.write_text(path.read_text().replace("    - el dolor empeora\n", ""), encoding="utf-8")
    code, out = run(small_tree, capsys, "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert sorted(p["code"] for p in data["problems"]) == ["red-flags-parity", "tier-empty"]
    [problem] = [p for p in data["problems"] if p["code"] == "tier-empty"]
    assert problem == {
        "path": "docs/es/finger.md",
        "line": line_of(path, "!!! urgent"),
        "language": "es",
        "article": "finger",
        "code": "tier-empty",
        "message": "the 'urgent' card lists no signs",
        "severity": "error",
    }
    counts = {(row["article"], row["language"]): row["tiers"] for row in data["red_flags"]}
    assert counts[("finger", "es")] == {"emergency": 2, "urgent": 0}
    assert counts[("wrist", "en")] == {"emergency": 2, "urgent": 1}


def test_unreadable_configuration_exits_2(tmp_path, capsys):
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins: [search]\n", encoding="utf-8")
    assert careleaf(["-f", str(tmp_path / "mkdocs.yml"), "validate"]) == 2
    assert "the i18n plugin (mkdocs-static-i18n) is not configured" in capsys.readouterr().err
    assert careleaf(["-f", str(tmp_path / "nowhere.yml"), "validate"]) == 2
    assert capsys.readouterr().err == f"careleaf: {tmp_path / 'nowhere.yml'}: no such configuration file\n"


def test_shipped_content_is_clean():
    result = run_careleaf(["validate", "--strict"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s), 0 warning(s)" in result.stdout


def test_every_shipped_article_has_all_five_languages():
    project = project_settings.load(ROOT / "mkdocs.yml")
    report = validate(project)
    assert project.languages == ("en", "es", "zh", "vi", "ar")
    assert len(report.library.slugs) == 5
    for slug in report.library.slugs:
        for lang in project.languages:
            page = report.library.get(slug, lang)
            assert page is not None, f"{lang}/{slug}.md"
            assert page.red_flags().counts() == report.library.source(slug).red_flags().counts(), f"{lang}/{slug}.md"


@pytest.mark.parametrize("lang", ["en", "es", "zh", "vi", "ar"])
def test_removing_a_red_flag_section_from_any_language_fails_naming_file_and_line(tmp_path, lang, capsys):
    from conftest import copy_project

    project = copy_project(tmp_path)
    path = project / "docs" / lang / "muscle-spasm.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("{#red-flags}")
    start = text.rindex("\n## ", 0, start) + 1
    end = text.find("\n## ", start + 1) + 1 or len(text)  # the section may be the article's last
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    code = careleaf(["-f", str(project / "mkdocs.yml"), "validate"])
    out = capsys.readouterr().out
    assert code == 1
    assert f"docs/{lang}/muscle-spasm.md:1: error: no red-flag section" in out


def test_source_revision_changes_with_the_red_flags_only_when_they_change(small_tree):
    from careleaf.model.content import read_page

    path = small_tree / "docs/en/finger.md"
    before = read_page(path, "en").source_revision()
    path.write_text(path.read_text().replace("Rest your hand.", "Rest your hand often."), encoding="utf-8")
    text_changed = read_page(path, "en").source_revision()
    path.write_text(path.read_text().replace("the pain gets worse", "the pain gets much worse"), encoding="utf-8")
    flags_changed = read_page(path, "en").source_revision()
    assert text_changed["red_flags"] == before["red_flags"] and text_changed["text"] != before["text"]
    assert flags_changed["red_flags"] != text_changed["red_flags"] and flags_changed["text"] == text_changed["text"]


def test_shipped_translations_record_the_current_english_revision():
    project = project_settings.load(ROOT / "mkdocs.yml")
    library = validate(project).library
    for (slug, lang), page in library.pages.items():
        if lang != project.default_language:
            assert page.translation["source_revision"] == library.source(slug).source_revision(), f"{lang}/{slug}.md"


def test_what_a_word_processor_pastes_is_named_at_its_line(small_tree):
    # Word's bullets, a non-breaking space between words, curly quotes in a link: each named where it is.
    page = small_tree / "docs" / "en" / "finger.md"
    text = page.read_text(encoding="utf-8")
    pasted = "•\tRest your hand.\n◦  Keep it up.\n\nRaise\u00a0your hand. See [the guide](“guide.md”).\n"
    page.write_text(text.replace("## Home care\n\n", "## Home care\n\n" + pasted, 1), encoding="utf-8")
    report = validate(project_settings.load(small_tree / "mkdocs.yml"))
    found = {(problem.code, problem.line) for problem in report.problems if problem.code.startswith("paste-")}
    first = line_of(page, "•\tRest")
    assert found == {
        ("paste-bullet", first),
        ("paste-bullet", first + 1),
        ("paste-nbsp", first + 3),
        ("paste-curly-quotes", first + 3),
    }
    assert {problem.gate for problem in report.problems if problem.code in {"paste-bullet", "paste-curly-quotes"}} == {
        Gate.FAILS_STRICT
    }


def test_a_translation_keeps_the_english_articles_category_related_articles_and_review_dates(small_tree):
    page = small_tree / "docs" / "es" / "finger.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("reviewed: 2026-01-10", "reviewed: 2026-02-01", 1), encoding="utf-8")
    report = validate(project_settings.load(small_tree / "mkdocs.yml"))
    [changed] = [problem for problem in report.problems if problem.code == "translation-changes-source-field"]
    assert (changed.path, changed.line) == ("docs/es/finger.md", line_of(page, "reviewed: 2026-02-01"))
    assert (
        "'reviewed' is '2026-02-01' here but '2026-01-10' in the English article (docs/en/finger.md)" in changed.message
    )
    assert changed.gate is Gate.FAILS_STRICT


def test_a_phone_photo_is_refused_with_its_size_and_how_to_shrink_it(small_tree):
    from PIL import Image

    photo = small_tree / "docs" / "en" / "img" / "wrist.jpg"
    photo.parent.mkdir(parents=True)
    Image.new("RGB", (4032, 3024), "white").save(photo, quality=95)
    small = small_tree / "docs" / "en" / "img" / "splint.png"
    Image.new("RGB", (800, 600), "white").save(small)
    report = validate(project_settings.load(small_tree / "mkdocs.yml"))
    [large] = [problem for problem in report.problems if problem.code == "image-too-large"]
    assert large.path == "docs/en/img/wrist.jpg" and "4032 × 3024 px" in large.message
    assert "at most 2000 px" in large.message
