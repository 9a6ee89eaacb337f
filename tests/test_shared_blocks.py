"""Shared blocks: advice and red-flag signs written once per language, included by reference,
approved once and translated once; every reader of articles sees the included text."""

from __future__ import annotations

import subprocess
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from careleaf.checks import safety
from careleaf.cli import main as careleaf  # the command under test
from careleaf.model import approval
from careleaf.model import project as project_settings
from careleaf.model.content import Library
from conftest import ROOT, edit, line_of

TODAY = "2026-11-20"
NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
ADVICE = {
    "en": "Keep your hand raised above your heart for the first 2 days.",
    "es": "Mantenga la mano levantada por encima del corazón durante los primeros 2 días.",
}
SIGNS = {
    "en": ["your fingers turn white", "you cannot feel your fingers"],
    "es": ["los dedos se ponen blancos", "no siente los dedos"],
}


def block(lang: str, title: str, body: str, revision: dict | None = None) -> str:
    translation = (
        ""
        if revision is None
        else (
            f"translation:\n  status: machine-draft\n  source_revision:\n"
            f"    red_flags: {revision['red_flags']}\n    text: {revision['text']}\n"
        )
    )
    return f"---\ntitle: {title}\n{translation}---\n\n{body}\n"


@pytest.fixture
def shared_tree(small_tree: Path, capsys) -> Path:
    """The small library with one advice block and one block of emergency signs, included by both
    articles in both languages, every translation marked current: a valid library to break."""
    for lang in ("en", "es"):
        folder = small_tree / "docs" / lang / "shared"
        folder.mkdir()
        (folder / "raise-your-hand.md").write_text(block(lang, "Raise your hand", ADVICE[lang]), encoding="utf-8")
        (folder / "blood-flow-signs.md").write_text(
            block(lang, "Blood-flow signs", "".join(f"- {sign}\n" for sign in SIGNS[lang])), encoding="utf-8"
        )
        for slug in ("finger", "wrist"):
            page = small_tree / "docs" / lang / f"{slug}.md"
            edit(page, "Rest your hand.", 'Rest your hand.\n\n--8<-- "shared/raise-your-hand.md"')
            edit(page, "\n!!! urgent", '    --8<-- "shared/blood-flow-signs.md"\n\n!!! urgent')
    for name in ("raise-your-hand", "blood-flow-signs"):
        mark(small_tree, f"shared/{name}")
    for slug in ("finger", "wrist"):
        mark(small_tree, slug)
    capsys.readouterr()
    return small_tree


def mark(tree: Path, slug: str) -> None:
    # Made from the English as it is now; no reviewer: it stays a machine draft.
    assert careleaf(["-f", str(tree / "mkdocs.yml"), "mark-current", "es", slug]) == 0
    assert "status: machine-draft" in (tree / "docs" / "es" / f"{slug}.md").read_text(encoding="utf-8")


def run(tree: Path, capsys, *args: str) -> tuple[int, str]:
    code = careleaf(["-f", str(tree / "mkdocs.yml"), "validate", "--today", TODAY, *args])
    return code, capsys.readouterr().out


def library(tree: Path) -> Library:
    return Library.load(project_settings.load(tree / "mkdocs.yml"))


def test_every_reader_of_an_article_sees_the_included_text_in_its_language(shared_tree, capsys):
    code, out = run(shared_tree, capsys, "--strict")
    assert code == 0, out
    loaded = library(shared_tree)
    for lang in ("en", "es"):
        page = loaded.get("finger", lang)
        assert ADVICE[lang] in page.body and "--8<--" not in page.body
        # The red-flag card holds the included signs after the page's own.
        emergency = page.red_flags().tier("emergency")
        assert list(emergency.items[-2:]) == SIGNS[lang] and len(emergency.items) == 4


def test_a_misspelt_include_is_an_error_on_its_line_naming_the_block_it_may_mean(shared_tree, capsys):
    page = shared_tree / "docs/es/wrist.md"
    edit(page, '"shared/raise-your-hand.md"', '"shared/raise-your-hnd.md"')
    code, out = run(shared_tree, capsys)
    assert code == 1
    assert (
        f"docs/es/wrist.md:{line_of(page, 'raise-your-hnd')}: error: no shared block shared/raise-your-hnd.md in "
        "this language (did you mean 'shared/raise-your-hand.md'?) [shared-block-missing]"
    ) in out


def test_an_include_that_is_not_a_shared_block_is_refused(shared_tree, capsys):
    page = shared_tree / "docs/en/finger.md"
    edit(page, '--8<-- "shared/raise-your-hand.md"', '--8<-- "../../mkdocs.yml"')
    code, out = run(shared_tree, capsys)
    assert code == 1
    assert f"docs/en/finger.md:{line_of(page, 'mkdocs.yml')}: error: '../../mkdocs.yml' is not a shared block" in out


def test_a_problem_inside_a_block_is_reported_once_at_the_block_file_and_line(shared_tree, capsys):
    path = shared_tree / "docs/en/shared/blood-flow-signs.md"
    edit(path, "- you cannot feel your fingers", "- you cannot feel your fingers\n-")
    code, out = run(shared_tree, capsys)
    assert code == 1
    empty = f"docs/en/shared/blood-flow-signs.md:{line_of(path, 'you cannot feel') + 1}: error:"
    # Both articles include it: the one line that is wrong is named once, where it is written, with
    # where it is included (the first page that includes it).
    assert out.count(empty) == 1, out
    include = line_of(shared_tree / "docs/en/finger.md", "blood-flow-signs")
    assert f"(included at docs/en/finger.md:{include}) [tier-sign-empty]" in out
    assert not [line for line in out.splitlines() if line.startswith(("docs/en/finger.md", "docs/en/wrist.md"))], out


def test_a_sign_holding_a_list_inside_it_is_refused_where_it_is_written(shared_tree, capsys):
    # "- - sign": one sign to the card's parity, a bullet inside a bullet to the reader.
    path = shared_tree / "docs/en/shared/blood-flow-signs.md"
    edit(path, "- your fingers turn white", "- - your fingers turn white")
    code, out = run(shared_tree, capsys)
    assert code == 1
    assert (
        f"docs/en/shared/blood-flow-signs.md:{line_of(path, 'turn white')}: error: a sign in the 'emergency' card "
        "starts with another list marker ('-'): write one '- ' before each sign (included at docs/en/finger.md:"
        f"{line_of(shared_tree / 'docs/en/finger.md', 'blood-flow-signs')}) [tier-sign-nested]"
    ) in out


def test_included_signs_count_in_red_flag_parity(shared_tree, capsys):
    path = shared_tree / "docs/es/shared/blood-flow-signs.md"
    edit(path, "- no siente los dedos\n", "")
    mark(shared_tree, "shared/blood-flow-signs")
    code, out = run(shared_tree, capsys)
    assert code == 1
    assert "docs/es/finger.md" in out and "the 'emergency' card has 3 sign(s) here but 4 in docs/en/finger.md" in out


def test_changing_a_block_stales_every_approval_that_includes_it_and_its_translation(shared_tree, capsys):
    for slug in ("finger", "wrist"):
        assert (
            careleaf(
                [
                    "-f",
                    str(shared_tree / "mkdocs.yml"),
                    "approve",
                    slug,
                    "--by",
                    "Dana Ortiz, MD",
                    "--date",
                    "2026-11-19",
                ]
            )
            == 0
        )
    before = library(shared_tree)
    assert all(approval.status(before.source(slug)) == approval.APPROVED for slug in ("finger", "wrist"))

    edit(
        shared_tree / "docs/en/shared/blood-flow-signs.md",
        "- your fingers turn white",
        "- your fingers turn white or blue",
    )
    after = library(shared_tree)
    # Re-approval: the clinician approved the text as read, and the block in it changed.
    assert all(approval.status(after.source(slug)) == approval.STALE for slug in ("finger", "wrist"))
    # The translation of the block is behind, so every page that includes it shows its card as stale.
    for slug in ("finger", "wrist"):
        assert safety.staleness(after, after.get(slug, "es")) == {"red_flags": True, "text": False}
    code, out = run(shared_tree, capsys)
    assert code == 1
    block_path = shared_tree / "docs/es/shared/blood-flow-signs.md"
    assert (
        f"docs/es/shared/blood-flow-signs.md:{line_of(block_path, 'translation:')}: error: the red flags in "
        "docs/en/shared/blood-flow-signs.md changed since this translation was made"
    ) in out
    # The articles' own translations are current: nothing is asked of them.
    assert "mark-current es finger" not in out and "mark-current es wrist" not in out

    # Translated once: marking the block current clears both pages.
    edit(block_path, "- los dedos se ponen blancos", "- los dedos se ponen blancos o azules")
    mark(shared_tree, "shared/blood-flow-signs")
    fixed = library(shared_tree)
    assert all(not any(safety.staleness(fixed, fixed.get(slug, "es")).values()) for slug in ("finger", "wrist"))


def test_a_changed_advice_block_makes_its_pages_text_stale_not_their_cards(shared_tree, capsys):
    edit(shared_tree / "docs/en/shared/raise-your-hand.md", "first 2 days", "first 3 days")
    loaded = library(shared_tree)
    assert safety.staleness(loaded, loaded.get("wrist", "es")) == {"red_flags": False, "text": True}
    code, out = run(shared_tree, capsys)
    assert code == 0 and "docs/es/shared/raise-your-hand.md" in out and "[translation-stale-text]" in out


def test_a_block_without_english_source_or_title_and_an_unused_block_are_reported(shared_tree, capsys):
    (shared_tree / "docs/es/shared/extra-advice.md").write_text(
        block("es", "Extra", "Texto.", {"red_flags": "a", "text": "b"}), encoding="utf-8"
    )
    (shared_tree / "docs/en/shared/unused-advice.md").write_text(
        "---\nsummary: no title\n---\n\nText.\n", encoding="utf-8"
    )
    code, out = run(shared_tree, capsys)
    assert code == 1
    assert (
        "docs/es/shared/extra-advice.md:1: error: no English shared block docs/en/shared/extra-advice.md [translation-orphan]"
        in out
    )
    assert "docs/en/shared/unused-advice.md:1: error: a shared block needs 'title'" in out
    assert (
        "docs/en/shared/unused-advice.md:1: warning: no article includes shared/unused-advice.md [shared-block-unused]"
        in out
    )


def test_a_block_cannot_include_another(shared_tree, capsys):
    path = shared_tree / "docs/en/shared/raise-your-hand.md"
    edit(path, ADVICE["en"], f'{ADVICE["en"]}\n\n--8<-- "shared/blood-flow-signs.md"')
    code, out = run(shared_tree, capsys)
    assert code == 1
    assert f"docs/en/shared/raise-your-hand.md:{line_of(path, '--8<--')}: error: a shared block cannot include" in out


def test_xliff_exports_a_block_once_and_its_import_writes_the_block(shared_tree, capsys):
    subprocess.run(["git", "init", "-q"], cwd=shared_tree, check=True)
    target = shared_tree / "es.xlf"
    assert careleaf(["-f", str(shared_tree / "mkdocs.yml"), "xliff", "export", "es", "-o", str(target)]) == 0
    capsys.readouterr()
    root = etree.parse(str(target)).getroot()
    files = {
        file.get("original"): [
            "".join(unit.find("x:source", NS).itertext()) for unit in file.iter(f"{{{NS['x']}}}trans-unit")
        ]
        for file in root.findall("x:file", NS)
    }
    sources = [text for texts in files.values() for text in texts]
    # One file per block, its text once in the whole document; the articles keep only their own text.
    assert files["docs/en/shared/blood-flow-signs.md"][-2:] == SIGNS["en"]
    assert sources.count(ADVICE["en"]) == 1 and sources.count(SIGNS["en"][0]) == 1
    assert not any("8<" in text for text in sources)

    tree_ = etree.parse(str(target))
    for unit in tree_.getroot().iter(f"{{{NS['x']}}}trans-unit"):
        if unit.find("x:source", NS).text == ADVICE["en"]:
            unit.find("x:target", NS).text = "Mantenga la mano en alto durante los primeros 2 días."
    tree_.write(str(target), xml_declaration=True, encoding="UTF-8")
    assert careleaf(["-f", str(shared_tree / "mkdocs.yml"), "xliff", "import", str(target)]) == 0, capsys.readouterr()
    written = (shared_tree / "docs/es/shared/raise-your-hand.md").read_text(encoding="utf-8")
    assert "Mantenga la mano en alto durante los primeros 2 días." in written and "status: machine-draft" in written
    assert '--8<-- "shared/raise-your-hand.md"' in (shared_tree / "docs/es/finger.md").read_text(encoding="utf-8")
    capsys.readouterr()
    code, out = run(shared_tree, capsys, "--strict")
    assert code == 0, out


# ---------------------------------------------------------------------------
# The library shipped here
# ---------------------------------------------------------------------------

LANGUAGES = ("en", "es", "zh", "vi", "ar")
_MARKERS = ("- ", "* ", "+ ", "!!! ", "??? ")


def repeated_lines(lang: str) -> dict[str, list[str]]:
    """Non-heading body lines long enough to be advice (8+ words; 12+ characters in Chinese) found in
    more than one article of a language, with the files that hold them."""
    seen: dict[str, set[str]] = {}
    for page in library(ROOT).articles(lang):
        for line in page.own_body.split("\n"):
            text = line.strip()
            for marker in _MARKERS:
                text = text.removeprefix(marker)
            if not text or text.startswith("#") or "8<" in text:
                continue
            if (len(text.replace(" ", "")) >= 12) if lang == "zh" else len(text.split()) >= 8:
                seen.setdefault(text, set()).add(page.path.name)
    return {text: sorted(files) for text, files in seen.items() if len(files) > 1}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_advice_line_is_written_twice_across_the_articles(lang):
    assert repeated_lines(lang) == {}


def test_the_shipped_articles_include_their_shared_advice_in_every_language():
    loaded = library(ROOT)
    for slug in loaded.slugs:
        english = [include.name for include in loaded.source(slug).includes]
        for lang in LANGUAGES:
            page = loaded.get(slug, lang)
            # The same blocks at the same places, resolved into the reader's language.
            assert [include.name for include in page.includes] == english, (slug, lang)
            assert not page.include_errors and "8<" not in page.body
    assert "pain-medicine" in {include.name for slug in loaded.slugs for include in loaded.source(slug).includes}


def test_the_built_site_reads_the_blocks_and_publishes_no_shared_folder(built_site):
    assert not [path for path in built_site.rglob("shared") if path.is_dir()]
    loaded = library(ROOT)
    for lang in LANGUAGES:
        block = loaded.get("shared/pain-medicine", lang)
        # Compared without spaces: the build wraps English words in Chinese and Arabic in spans of their own.
        wanted = "".join(BeautifulSoup(markdown.markdown(block.body), "html.parser").get_text().split())[:40]
        html = (built_site / ("" if lang == "en" else lang) / "muscle-spasm" / "index.html").read_text(encoding="utf-8")
        text = "".join(BeautifulSoup(html, "html.parser").get_text().split())
        assert "8<" not in text, lang
        assert wanted in text, (lang, wanted)


def test_a_link_between_articles_holds_no_glossary_mark():
    # A focusable <abbr> inside <a> is interactive content inside interactive content (the Nu checker's error).
    html = markdown.markdown(
        "Read [Open finger fracture](open-finger-fracture.md) about a fracture.\n\n*[fracture]: A broken bone.",
        extensions=["careleaf.model.glossary"],
    )
    link = BeautifulSoup(html, "html.parser").find("a")
    assert link.get_text() == "Open finger fracture" and link.find("abbr") is None
    assert [abbr.get_text() for abbr in BeautifulSoup(html, "html.parser").find_all("abbr")] == ["fracture"]
