"""Publishing in stages: the strict build publishes while the only open items are declared ones (a
language in progress, an English article's translations pending), each reader sees the honest
fallback or notice, and a changed English red-flag card still blocks every translation."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess

import pytest
from bs4 import BeautifulSoup

from careleaf.cli import main as careleaf
from conftest import CARELEAF_SETTINGS, copy_project, edit, keep_languages, line_of, mkdocs_build

TODAY = "2026-11-20"


def validate(project, capsys, *args) -> tuple[int, str]:
    code = careleaf(["-f", str(project / "mkdocs.yml"), "validate", "--today", TODAY, *args])
    return code, capsys.readouterr().out


def in_progress(project, lang: str) -> None:
    edit(project / "mkdocs.yml", CARELEAF_SETTINGS, f"{CARELEAF_SETTINGS}      languages_in_progress: [{lang}]\n")


def declare_pending(page) -> None:
    edit(page, "\ncategory:", "\ntranslations: pending\ncategory:")


# ---------------------------------------------------------------------------
# The validator's gate
# ---------------------------------------------------------------------------


def test_a_pending_article_without_its_translation_is_a_note_that_strict_accepts(small_tree, capsys):
    (small_tree / "docs/es/wrist.md").unlink()
    code, out = validate(small_tree, capsys, "--strict")
    assert code == 1 and "docs/es/wrist.md:1: error: no 'es' translation:" in out
    assert "put 'translations: pending' in its English front matter" in out

    declare_pending(small_tree / "docs/en/wrist.md")
    code, out = validate(small_tree, capsys, "--strict")
    assert code == 0, out
    assert (
        "docs/es/wrist.md:1: note: no 'es' translation yet (docs/en/wrist.md declares its translations pending): "
        "readers get the English page with a notice [translation-missing]"
    ) in out
    assert "0 error(s), 0 warning(s), 1 note(s)" in out
    assert careleaf(["-f", str(small_tree / "mkdocs.yml"), "status", "--lang", "es"]) == 0
    rows = {
        line.split()[0]: line.split()[2] for line in capsys.readouterr().out.splitlines() if line.startswith("wrist ")
    }
    assert rows == {"wrist": "pending"}


def test_an_english_text_change_publishes_behind_only_when_declared(small_tree, capsys):
    edit(small_tree / "docs/en/wrist.md", "Rest your hand.", "Rest your hand and keep it raised.")
    code, out = validate(small_tree, capsys, "--strict")
    assert code == 1 and "warning: docs/en/wrist.md changed since this translation was made" in out
    declare_pending(small_tree / "docs/en/wrist.md")
    code, out = validate(small_tree, capsys, "--strict")
    assert code == 0, out
    line = line_of(small_tree / "docs/es/wrist.md", "translation:")
    assert f"docs/es/wrist.md:{line}: note: docs/en/wrist.md changed since this translation was made" in out
    assert "declared: docs/en/wrist.md declares its translations pending" in out


@pytest.mark.parametrize("declaration", ["pending", "in progress"])
def test_a_changed_english_red_flag_card_blocks_whatever_was_declared(small_tree, capsys, declaration):
    if declaration == "pending":
        declare_pending(small_tree / "docs/en/finger.md")
    else:
        in_progress(small_tree, "es")
    edit(small_tree / "docs/en/finger.md", "the pain gets worse", "the pain gets worse or spreads")
    code, out = validate(small_tree, capsys)
    assert code == 1
    line = line_of(small_tree / "docs/es/finger.md", "translation:")
    assert f"docs/es/finger.md:{line}: error: the red flags in docs/en/finger.md changed" in out


def test_the_pending_declaration_is_checked(small_tree, capsys):
    edit(small_tree / "docs/en/wrist.md", "\ncategory:", "\ntranslations: done\ncategory:")
    edit(small_tree / "docs/es/wrist.md", "\ncategory:", "\ntranslations: pending\ncategory:")
    code, out = validate(small_tree, capsys)
    assert code == 1
    en_line = line_of(small_tree / "docs/en/wrist.md", "translations:")
    es_line = line_of(small_tree / "docs/es/wrist.md", "translations:")
    assert f"docs/en/wrist.md:{en_line}: error: 'translations' can only be 'pending'" in out
    assert f"docs/es/wrist.md:{es_line}: error: only the English page declares 'translations: pending'" in out

    edit(small_tree / "docs/en/wrist.md", "translations: done", "translations: pending")
    edit(small_tree / "docs/es/wrist.md", "translations: pending\n", "")
    code, out = validate(small_tree, capsys, "--strict")
    # Left in once nothing is pending, it would cover the next English change: strict refuses it.
    assert code == 1
    assert (
        f"docs/en/wrist.md:{en_line}: warning: every translation is here and current (or in a language in progress): remove"
    ) in out

    edit(small_tree / "docs/en/wrist.md", "translations: pending\n", "")
    edit(small_tree / "docs/en/index.md", "\ntitle:", "\ntranslations: pending\ntitle:")
    code, out = validate(small_tree, capsys)
    line = line_of(small_tree / "docs/en/index.md", "translations:")
    assert code == 1 and f"docs/en/index.md:{line}: error: the home page is not declared 'translations: pending'" in out


def test_pending_left_in_when_only_languages_in_progress_lack_the_article_is_a_warning(small_tree, capsys):
    in_progress(small_tree, "es")
    (small_tree / "docs/es/wrist.md").unlink()
    declare_pending(small_tree / "docs/en/wrist.md")
    code, out = validate(small_tree, capsys, "--strict")
    assert code == 1 and "warning: every translation is here and current (or in a language in progress)" in out


def test_a_red_flag_heading_from_a_shared_block_is_refused(tmp_path, capsys):
    project = keep_languages(copy_project(tmp_path / "project"), ("en", "es"))
    for lang in ("en", "es"):
        page = project / "docs" / lang / "muscle-spasm.md"
        heading = next(line for line in page.read_text(encoding="utf-8").splitlines() if "{#red-flags}" in line)
        (project / "docs" / lang / "shared/card-heading.md").write_text(
            f"---\ntitle: The card's heading\n---\n\n{heading}\n", encoding="utf-8"
        )
        edit(page, heading, '--8<-- "shared/card-heading.md"')
    code, out = validate(project, capsys)
    assert (
        code == 1 and "the red-flag heading comes from a shared block" in out and "[red-flags-heading-included]" in out
    )


def test_a_glossary_term_used_in_a_translated_article_is_still_a_warning(small_tree, capsys):
    (small_tree / "docs/es/finger.md").unlink()
    declare_pending(small_tree / "docs/en/finger.md")
    # 'finger' is in both English articles: the translated wrist article should already use the term.
    edit(small_tree / "locales/glossary/es.yml", "term: dedo", "term: dedoo")
    code, out = validate(small_tree, capsys, "--strict")
    assert code == 1 and "warning: 'finger': dedoo does not occur in the 'es' articles [glossary-unused]" in out


# ---------------------------------------------------------------------------
# The strict build, as readers see it
# ---------------------------------------------------------------------------


@pytest.mark.build
def test_the_strict_build_publishes_declared_open_items_with_honest_notices_and_blocks_a_changed_card(tmp_path):
    project = keep_languages(copy_project(tmp_path / "project"), ("en", "es", "vi"))
    config = project / "mkdocs.yml"
    edit(config, "      languages_in_progress: []", "      languages_in_progress: [vi]")
    docs = project / "docs"
    # A language in progress: one article not yet in Vietnamese.
    (docs / "vi/finger-dislocation.md").unlink()
    # An English article whose Spanish translation is pending.
    (docs / "es/possible-wrist-fracture.md").unlink()
    declare_pending(docs / "en/possible-wrist-fracture.md")
    # An English text change (the card untouched) that the translations have not caught up with.
    declare_pending(docs / "en/muscle-spasm.md")
    edit(docs / "en/muscle-spasm.md", "Any muscle can spasm,", "Any muscle can go into spasm,")

    site = tmp_path / "site"
    result = mkdocs_build(project, site, handouts=False)
    assert result.returncode == 0, result.stderr
    notes = sorted(re.findall(r"(docs/\S+): note: .*\[(translation-[a-z-]+)\]", result.stderr))
    behind = {lang: line_of(docs / lang / "muscle-spasm.md", "translation:") for lang in ("es", "vi")}
    assert notes == [
        (f"docs/es/muscle-spasm.md:{behind['es']}", "translation-stale-text"),
        ("docs/es/possible-wrist-fracture.md:1", "translation-missing"),
        ("docs/vi/finger-dislocation.md:1", "translation-missing"),
        (f"docs/vi/muscle-spasm.md:{behind['vi']}", "translation-stale-text"),
    ]
    # A glossary term used only in an article not yet translated waits for it.
    assert "note: 'dislocation': trật khớp, Trật khớp does not occur in the 'vi' articles (yet: finger-dislocation" in (
        result.stderr
    )

    def page(lang: str, slug: str) -> BeautifulSoup:
        return BeautifulSoup((site / lang / slug / "index.html").read_text(encoding="utf-8"), "html.parser")

    english_card = page_card(
        BeautifulSoup((site / "possible-wrist-fracture/index.html").read_text("utf-8"), "html.parser")
    )
    for lang, slug in (("vi", "finger-dislocation"), ("es", "possible-wrist-fracture")):
        fallback = page(lang, slug)
        assert fallback.select_one(".careleaf-notice--fallback"), (lang, slug)
        assert fallback.select_one("section.careleaf-content")["lang"] == "en"
        assert [kind for kind, signs in page_card(fallback) if signs] == ["emergency", "urgent", "contact"]
    assert page_card(page("es", "possible-wrist-fracture")) == english_card
    for lang, updated in (("es", "La versión en inglés de esta página se actualizó"), ("vi", "")):
        behind = page(lang, "muscle-spasm")
        notice = behind.select_one(".careleaf-notice--stale")
        assert notice is not None and updated in notice.get_text(), lang
        assert notice.select_one("a[hreflang=en]")["href"].endswith("muscle-spasm/")
        assert not behind.select_one(".careleaf-notice--fallback")
    assert not page("es", "finger-dislocation").select_one(".careleaf-notice--stale, .careleaf-notice--fallback")

    # The English red-flag card changes: declared or not, no translation of it publishes.
    published = (site / "es/muscle-spasm/index.html").read_bytes()
    edit(docs / "en/muscle-spasm.md", "or keeps getting weaker", "or keeps getting weaker or spreading")
    result = mkdocs_build(project, site, handouts=False)
    assert result.returncode == 1
    for lang in ("es", "vi"):
        line = line_of(docs / lang / "muscle-spasm.md", "translation:")
        assert (
            f"docs/{lang}/muscle-spasm.md:{line}: error: the red flags in docs/en/muscle-spasm.md changed"
        ) in result.stderr
    assert (site / "es/muscle-spasm/index.html").read_bytes() == published


def page_card(page: BeautifulSoup) -> list[tuple[str, list[str]]]:
    """The red-flag card's tiers in order, each with the signs it shows."""
    return [
        (
            next(name.removeprefix("care-card--") for name in tier["class"] if name.startswith("care-card--")),
            [sign.get_text(" ", strip=True) for sign in tier.select("li")],
        )
        for tier in page.select(".red-flags .care-card")
    ]


# ---------------------------------------------------------------------------
# Shared blocks in a translation's card
# ---------------------------------------------------------------------------


def test_a_started_translation_is_the_english_page_line_for_line_with_its_shared_blocks_included(tmp_path, capsys):
    project = keep_languages(copy_project(tmp_path / "project"), ("en", "es"))
    spanish = project / "docs/es/finger-dislocation.md"
    spanish.unlink()
    assert careleaf(["-f", str(project / "mkdocs.yml"), "new", "finger-dislocation", "--lang", "es"]) == 0
    capsys.readouterr()

    def body(path) -> list[str]:
        return path.read_text(encoding="utf-8").split("\n---\n", 1)[1].strip("\n").split("\n")

    english, started = body(project / "docs/en/finger-dislocation.md"), body(spanish)
    assert len(started) == len(english)
    includes = 0
    for ours, theirs in zip(started, english, strict=True):
        if not theirs.strip() or theirs.lstrip().startswith(("--8<--", "!!!")):
            assert ours == theirs  # blank lines, shared blocks and boxes as they are
            includes += theirs.lstrip().startswith("--8<--")
        elif "{#red-flags}" in theirs:
            assert ours == "## Cuándo buscar atención médica {#red-flags}"
        else:  # every line of words: a placeholder quoting the English, its bullet or heading kept
            words = re.sub(r"^(\s*(?:[-*+]|\d+[.)]|#+)\s+)", "", theirs).split(" {#")[0]
            assert "[TO WRITE: translate: " + " ".join(words.split()).replace("]", ")") in ours, (ours, theirs)
            assert ours[: len(ours) - len(ours.lstrip())] == theirs[: len(theirs) - len(theirs.lstrip())]
    assert includes >= 20

    # The translator writes every line: the page validates clean, card and blocks included.
    spanish.write_text(
        re.sub(r"\[TO WRITE: [^\]]*\]", "Mueva el dedo con cuidado.", spanish.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    code, out = validate(project, capsys, "--strict")
    assert "docs/es/finger-dislocation.md" not in out, out


def test_a_sign_written_over_several_lines_is_translated_whole(small_tree, capsys):
    edit(
        small_tree / "docs/en/wrist.md",
        "    - the pain gets worse\n",
        "    - the pain gets worse\n      and keeps you awake\n",
    )
    (small_tree / "docs/es/wrist.md").unlink()
    assert careleaf(["-f", str(small_tree / "mkdocs.yml"), "new", "wrist", "--lang", "es"]) == 0
    started = (small_tree / "docs/es/wrist.md").read_text(encoding="utf-8")
    assert (
        "    - [TO WRITE: translate: the pain gets worse]\n      [TO WRITE: translate: and keeps you awake]\n"
        in started
    )


@pytest.mark.parametrize(
    "arguments,message",
    [
        (["new", "wrist", "--lang", "en"], "'en' is the source language: start an English article with --category"),
        (["new", "index", "--lang", "es"], "the home page is not an article"),
        (["new", "wrist", "--lang", "es", "--category", "bones-and-joints"], "--category is the English article's"),
    ],
)
def test_a_translation_is_not_started_from_what_is_not_an_english_article(small_tree, capsys, arguments, message):
    (small_tree / "docs/es/wrist.md").unlink()
    (small_tree / "docs/es/index.md").unlink()
    assert careleaf(["-f", str(small_tree / "mkdocs.yml"), *arguments]) == 2
    assert message in capsys.readouterr().err


def test_a_translation_is_not_started_from_an_english_article_the_validator_refuses(small_tree, capsys):
    (small_tree / "docs/es/wrist.md").unlink()
    edit(small_tree / "docs/en/wrist.md", "related: [finger]", "related: [2024-01-01]")
    assert careleaf(["-f", str(small_tree / "mkdocs.yml"), "new", "wrist", "--lang", "es"]) == 2
    err = capsys.readouterr().err
    assert "docs/en/wrist.md is not ready to translate: docs/en/wrist.md:" in err and "Traceback" not in err
    assert not (small_tree / "docs/es/wrist.md").exists()


def test_a_card_that_copies_a_shared_blocks_signs_instead_of_including_it_fails(tmp_path, capsys):
    project = keep_languages(copy_project(tmp_path / "project"), ("en", "es"))
    block = (project / "docs/es/shared/tetanus-jaw-sign.md").read_text(encoding="utf-8")
    sign = block.split("---", 2)[2].strip()
    page = project / "docs/es/finger-dislocation.md"
    edit(page, '    --8<-- "shared/tetanus-jaw-sign.md"', f"    {sign}")
    code, out = validate(project, capsys, "--strict")
    assert code == 1
    line = line_of(page, "{#red-flags}")
    assert (
        f"docs/es/finger-dislocation.md:{line}: error: the red-flag card in docs/en/finger-dislocation.md includes "
        "shared/tetanus-jaw-sign.md; this one does not"
    ) in out
    assert "red-flags-parity" not in out  # the same signs: only the include is missing


def test_the_english_update_date_counts_the_shared_blocks_a_page_includes(tmp_path):
    from careleaf.checks import safety
    from careleaf.model.content import Library
    from careleaf.model.project import load

    project = keep_languages(copy_project(tmp_path / "project"), ("en", "es"))

    def commit(day: str) -> None:
        env = {"GIT_AUTHOR_DATE": f"{day}T12:00:00Z", "GIT_COMMITTER_DATE": f"{day}T12:00:00Z"}
        for command in (["add", "-A"], ["commit", "-qm", day]):
            subprocess.run(
                ["git", "-c", "user.name=t", "-c", "user.email=t@t", *command],
                cwd=project,
                env={**os.environ, **env},
                check=True,
            )

    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    commit("2026-01-15")
    edit(project / "docs/en/shared/tetanus-jaw-sign.md", "feels stiff", "feels stiff or tight")
    commit("2026-12-01")
    library = Library.load(load(project / "mkdocs.yml"))
    assert safety.english_updated(library, library.get("finger-dislocation", "es")) == dt.date(2026, 12, 1)
    assert safety.english_updated(library, library.get("muscle-spasm", "es")) == dt.date(2026, 1, 15)  # not included
