"""Clinical safety checks: each one trips on a broken fixture and passes on a sound one."""

from __future__ import annotations

import sys

from bs4 import BeautifulSoup

from conftest import ROOT, copy_project, line_of, mkdocs_build

sys.path.insert(0, str(ROOT / "scripts"))
import mark_current as mark_script  # noqa: E402
import validate as validate_script  # noqa: E402

TODAY = "2026-11-20"


def run(docs, capsys, *args):
    code = validate_script.main([str(docs), "--today", TODAY, *args])
    return code, capsys.readouterr().out


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---------------------------------------------------------------------------
# Stale translations
# ---------------------------------------------------------------------------


def test_changed_english_red_flags_make_every_translation_stale(small_tree, capsys):
    edit(small_tree / "docs/en/finger.md", "the pain gets worse", "the pain gets worse or spreads")
    code, out = run(small_tree / "docs", capsys)
    assert code == 1
    line = line_of(small_tree / "docs/es/finger.md", "translation:")
    assert (f"docs/es/finger.md:{line}: error: the red flags in docs/en/finger.md changed since this translation "
            "was made: update this page's red-flag cards, then run scripts/mark_current.py es finger "
            "[translation-stale-red-flags]") in out
    assert "docs/es/wrist.md" not in out


def test_changed_english_text_warns_and_fails_only_when_strict(small_tree, capsys):
    edit(small_tree / "docs/en/wrist.md", "Rest your hand.", "Rest your hand and keep it raised.")
    code, out = run(small_tree / "docs", capsys)
    assert code == 0
    assert "docs/es/wrist.md:" in out and "[translation-stale-text]" in out
    assert run(small_tree / "docs", capsys, "--strict")[0] == 1


def test_marking_a_translation_current_is_explicit_and_clears_it(small_tree, capsys):
    edit(small_tree / "docs/en/finger.md", "the pain gets worse", "the pain gets worse or spreads")
    assert run(small_tree / "docs", capsys)[0] == 1
    assert mark_script.main(["es", "finger", "--reviewer", "Ana Ruiz, CMI", "--date", "2026-11-19",
                             "--config", str(small_tree / "mkdocs.yml")]) == 0
    code, out = run(small_tree / "docs", capsys)
    assert code == 0, out
    text = (small_tree / "docs/es/finger.md").read_text(encoding="utf-8")
    assert "status: reviewed" in text and "reviewer: Ana Ruiz, CMI" in text and "date: 2026-11-19" in text


# ---------------------------------------------------------------------------
# Red-flag parity, review dates, unfinished text
# ---------------------------------------------------------------------------


def test_a_translation_that_lost_a_sign_names_both_files_and_the_tier(small_tree, capsys):
    path = small_tree / "docs/es/wrist.md"
    edit(path, "    - el dedo está frío o azul\n", "")
    code, out = run(small_tree / "docs", capsys)
    assert code == 1
    english_line = line_of(small_tree / "docs/en/wrist.md", "!!! emergency")
    assert (f"docs/es/wrist.md:{line_of(path, '!!! emergency')}: error: the 'emergency' card has 1 sign(s) here "
            f"but 2 in docs/en/wrist.md:{english_line} [red-flags-parity]") in out


def test_a_translation_with_the_same_signs_passes_parity(small_tree, capsys):
    edit(small_tree / "docs/es/wrist.md", "el dedo está frío o azul", "el dedo se pone frío o azul")
    code, out = run(small_tree / "docs", capsys)
    assert code == 0 and "red-flags-parity" not in out


def test_review_date_past_is_an_error_and_near_is_a_warning(small_tree, capsys):
    path = small_tree / "docs/en/finger.md"
    code, out = run(small_tree / "docs", capsys, "--today", "2027-07-01")  # due 2027-06-30
    assert code == 1
    assert f"docs/en/finger.md:{line_of(path, 'review_due:')}: error: clinical review was due on 2027-06-30 (1 day(s) ago) [review-overdue]" in out
    code, out = run(small_tree / "docs", capsys, "--today", "2027-05-01")
    assert code == 0
    assert "clinical review is due on 2027-06-30, in 60 day(s) [review-due-soon]" in out
    code, out = run(small_tree / "docs", capsys, "--today", "2027-04-30")
    assert code == 0 and "review-due-soon" not in out


def test_unfinished_scaffolding_text_cannot_publish(small_tree, capsys):
    path = small_tree / "docs/en/wrist.md"
    edit(path, "Rest your hand.", "[TO WRITE: what to do at home]")
    code, out = run(small_tree / "docs", capsys)
    assert code == 1
    assert f"docs/en/wrist.md:{line_of(path, '[TO WRITE')}: error: unfinished text: [TO WRITE: what to do at home] [placeholder]" in out


# ---------------------------------------------------------------------------
# End to end, on a copy of the real library
# ---------------------------------------------------------------------------


def test_editing_an_english_red_flag_makes_translations_stale_on_the_page_until_marked_current(tmp_path, capsys):
    project = copy_project(tmp_path / "project")
    english = project / "docs/en/possible-wrist-fracture.md"
    edit(english, "    - your wrist still hurts after the time your provider said it would heal\n",
         "    - your wrist still hurts 2 weeks after the time your provider said it would heal\n")
    code, out = run(project / "docs", capsys)
    assert code == 1
    stale = sorted(line.split(":")[0] for line in out.splitlines() if "[translation-stale-red-flags]" in line)
    assert stale == [f"docs/{lang}/possible-wrist-fracture.md" for lang in ("ar", "es", "vi", "zh")]

    # The build still renders the pages, each saying so; the publishing (strict) build refuses.
    result = mkdocs_build(project, tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((tmp_path / "site/es/possible-wrist-fracture/index.html").read_text(encoding="utf-8"), "html.parser")
    notice = page.select_one(".careleaf-notice--stale")
    assert notice is not None and "La versión en inglés de esta página se actualizó el" in notice.get_text()
    assert notice.a["href"] == "../../possible-wrist-fracture/"
    assert mkdocs_build(project, tmp_path / "strict-site", strict=True).returncode != 0

    # A translator updates Spanish and marks it current: only Spanish passes.
    assert mark_script.main(["es", "possible-wrist-fracture", "--config", str(project / "mkdocs.yml")]) == 0
    code, out = run(project / "docs", capsys)
    assert code == 1
    stale = sorted(line.split(":")[0] for line in out.splitlines() if "[translation-stale-red-flags]" in line)
    assert stale == [f"docs/{lang}/possible-wrist-fracture.md" for lang in ("ar", "vi", "zh")]
