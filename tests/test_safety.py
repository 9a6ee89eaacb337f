"""Clinical safety checks: each one trips on a broken fixture and passes on a sound one."""

from __future__ import annotations

from bs4 import BeautifulSoup

from careleaf.cli import main as careleaf  # the command under test
from conftest import ROOT, copy_project, edit, line_of, mkdocs_build

TODAY = "2026-11-20"


def run(docs, capsys, *args):
    code = careleaf(["-f", str(docs.parent / "mkdocs.yml"), "validate", "--today", TODAY, *args])
    return code, capsys.readouterr().out


# ---------------------------------------------------------------------------
# Stale translations
# ---------------------------------------------------------------------------


def test_changed_english_red_flags_make_every_translation_stale(small_tree, capsys):
    edit(small_tree / "docs/en/finger.md", "the pain gets worse", "the pain gets worse or spreads")
    code, out = run(small_tree / "docs", capsys)
    assert code == 1
    line = line_of(small_tree / "docs/es/finger.md", "translation:")
    assert (
        f"docs/es/finger.md:{line}: error: the red flags in docs/en/finger.md changed since this translation "
        "was made: update this page's red-flag cards, then run careleaf mark-current es finger "
        "[translation-stale-red-flags]"
    ) in out
    assert "docs/es/wrist.md" not in out


def test_marking_a_translation_current_is_explicit_and_clears_it(small_tree, capsys):
    edit(small_tree / "docs/en/finger.md", "the pain gets worse", "the pain gets worse or spreads")
    assert run(small_tree / "docs", capsys)[0] == 1
    assert (
        careleaf(
            [
                "-f",
                str(small_tree / "mkdocs.yml"),
                "mark-current",
                "es",
                "finger",
                "--reviewer",
                "Ana Ruiz, CMI",
                "--date",
                "2026-11-19",
            ]
        )
        == 0
    )
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
    assert (
        f"docs/es/wrist.md:{line_of(path, '!!! emergency')}: error: the 'emergency' card has 1 sign(s) here "
        f"but 2 in docs/en/wrist.md:{english_line} [red-flags-parity]"
    ) in out


def test_a_translation_with_the_same_signs_passes_parity(small_tree, capsys):
    edit(small_tree / "docs/es/wrist.md", "el dedo está frío o azul", "el dedo se pone frío o azul")
    code, out = run(small_tree / "docs", capsys)
    assert code == 0 and "red-flags-parity" not in out


def test_review_date_past_is_an_error_and_near_is_a_warning(small_tree, capsys):
    path = small_tree / "docs/en/finger.md"
    code, out = run(small_tree / "docs", capsys, "--today", "2027-07-01")  # due 2027-06-30
    assert code == 1
    assert (
        f"docs/en/finger.md:{line_of(path, 'review_due:')}: error: clinical review was due on 2027-06-30 (1 day(s) ago) [review-overdue]"
        in out
    )
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
    assert (
        f"docs/en/wrist.md:{line_of(path, '[TO WRITE')}: error: unfinished text: [TO WRITE: what to do at home] [placeholder]"
        in out
    )


# ---------------------------------------------------------------------------
# End to end, on a copy of the real library
# ---------------------------------------------------------------------------


def test_editing_an_english_red_flag_makes_translations_stale_on_the_page_until_marked_current(tmp_path, capsys):
    project = copy_project(tmp_path / "project")
    english = project / "docs/en/possible-wrist-fracture.md"
    edit(
        english,
        "    - your wrist still hurts after the time your provider said it would heal\n",
        "    - your wrist still hurts 2 weeks after the time your provider said it would heal\n",
    )
    code, out = run(project / "docs", capsys)
    assert code == 1
    stale = sorted(line.split(":")[0] for line in out.splitlines() if "[translation-stale-red-flags]" in line)
    assert stale == [f"docs/{lang}/possible-wrist-fracture.md" for lang in ("ar", "es", "vi", "zh")]

    # The build still renders the pages, each saying so; the publishing (strict) build refuses.
    result = mkdocs_build(project, tmp_path / "site", strict=False, handouts=False)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup(
        (tmp_path / "site/es/possible-wrist-fracture/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    notice = page.select_one(".careleaf-notice--stale")
    assert notice is not None and "La versión en inglés de esta página se actualizó el" in notice.get_text()
    assert notice.a["href"] == "../../possible-wrist-fracture/"
    assert mkdocs_build(project, tmp_path / "strict-site", strict=True, handouts=False).returncode != 0

    # A translator updates Spanish and marks it current: only Spanish passes.
    assert careleaf(["-f", str(project / "mkdocs.yml"), "mark-current", "es", "possible-wrist-fracture"]) == 0
    code, out = run(project / "docs", capsys)
    assert code == 1
    stale = sorted(line.split(":")[0] for line in out.splitlines() if "[translation-stale-red-flags]" in line)
    assert stale == [f"docs/{lang}/possible-wrist-fracture.md" for lang in ("ar", "vi", "zh")]


# ---------------------------------------------------------------------------
# Readability
# ---------------------------------------------------------------------------

HARD_ENGLISH = (
    "Notwithstanding considerable interindividual variability, musculoskeletal immobilization "
    "necessitates comprehensive evaluation of neurovascular compromise, particularly circumferential "
    "constriction, progressive paresthesia and disproportionate discomfort unresponsive to analgesia."
)
MEDIUM_ENGLISH = (
    "Keep your splint on every day, because the broken bone underneath it needs steady protection "
    "while it slowly heals and becomes stronger again over several weeks."
)


def test_hard_english_is_an_error_and_plain_english_passes(small_tree, capsys):
    path = small_tree / "docs/en/wrist.md"
    edit(path, "Rest your hand.", HARD_ENGLISH)
    code, out = run(small_tree / "docs", capsys)
    assert code == 1
    assert (
        "docs/en/wrist.md:1: error: too hard to read: flesch_kincaid_grade" in out
        and "(target ≤ 7) [readability]" in out
    )


def test_english_above_target_but_under_the_limit_warns(small_tree, capsys):
    edit(small_tree / "docs/en/wrist.md", "Rest your hand.", " ".join([MEDIUM_ENGLISH] * 5))  # grade about 8
    code, out = run(small_tree / "docs", capsys)
    assert code == 0
    assert "docs/en/wrist.md:1: warning: harder to read than the target: flesch_kincaid_grade" in out


def test_hard_spanish_is_an_error_by_fernandez_huerta(small_tree, capsys):
    edit(
        small_tree / "docs/es/wrist.md",
        "Intro text in es.",
        "La inmovilización musculoesquelética prolongada necesariamente requiere evaluaciones neurovasculares "
        "exhaustivas, particularmente considerando constricciones circunferenciales y parestesias progresivas.",
    )
    code, out = run(small_tree / "docs", capsys)
    assert code == 1
    assert "docs/es/wrist.md:1: error: too hard to read: fernandez_huerta" in out


def test_report_lists_every_article_and_language_with_status_tiers_reading_and_review(small_tree, capsys):
    edit(small_tree / "docs/en/finger.md", "Rest your hand.", "Rest your hand often.")
    (small_tree / "docs/es/wrist.md").unlink()
    code, out = run(small_tree / "docs", capsys, "--report")
    rows = {
        tuple(line.split()[:2]): line.split() for line in out.splitlines() if line.startswith(("finger ", "wrist "))
    }
    assert rows[("finger", "en")][2:4] == ["ok", "E2"] and rows[("finger", "en")][4] == "U1"
    assert rows[("finger", "es")][2] == "stale"
    assert rows[("wrist", "es")][2] == "missing"
    assert rows[("wrist", "en")][-2:] == ["2027-06-30", "pending"]
    assert rows[("wrist", "es")][-1] == "-"
    # Spanish is not declared in progress: its missing article is an error.
    assert code == 1 and "docs/es/wrist.md:1: error: no 'es' translation" in out


# ---------------------------------------------------------------------------
# Glossary
# ---------------------------------------------------------------------------


def test_a_term_missing_from_a_language_glossary_is_an_error(small_tree, capsys):
    (small_tree / "locales/glossary/en.yml").write_text(
        (small_tree / "locales/glossary/en.yml").read_text(encoding="utf-8")
        + 'hand:\n  term: hand\n  forms: []\n  definition: "The part at the end of your arm."\n',
        encoding="utf-8",
    )
    code, out = run(small_tree / "docs", capsys)
    assert code == 1
    assert (
        "locales/glossary/es.yml:1: error: 'hand' needs a term and a definition in 'es' [glossary-missing-term]" in out
    )


def test_a_missing_glossary_file_is_an_error(small_tree, capsys):
    (small_tree / "locales/glossary/es.yml").unlink()
    code, out = run(small_tree / "docs", capsys)
    assert code == 1
    assert "locales/glossary/es.yml:1: error: no glossary for 'es' [glossary-missing]" in out


def test_shipped_glossary_defines_the_required_terms_in_every_language():
    import yaml

    required = {"spasm", "cramp", "spasticity", "fracture", "dislocation", "scaphoid", "splint"}
    for lang in ("en", "es", "zh", "vi", "ar"):
        terms = yaml.safe_load((ROOT / "locales/glossary" / f"{lang}.yml").read_text(encoding="utf-8"))
        assert required <= set(terms), lang
        assert all(entry["definition"].strip() for entry in terms.values()), lang


def test_built_pages_mark_glossary_terms_with_their_definition(built_site):
    import yaml

    for lang, slug, key in (
        ("en", "muscle-spasm", "spasm"),
        ("zh", "muscle-spasm", "spasm"),
        ("ar", "possible-wrist-fracture", "scaphoid"),
    ):
        entry = yaml.safe_load((ROOT / "locales/glossary" / f"{lang}.yml").read_text(encoding="utf-8"))[key]
        prefix = "" if lang == "en" else f"{lang}/"
        soup = BeautifulSoup((built_site / prefix / slug / "index.html").read_text(encoding="utf-8"), "html.parser")
        marks = [abbr for abbr in soup.select(".md-content abbr") if abbr.get("title") == entry["definition"]]
        assert marks, (lang, key)
        assert {abbr.get_text() for abbr in marks} <= {entry["term"], *entry["forms"]}


def test_definition_shows_on_hover_and_on_tap(browser, served_site):
    for touch in (False, True):
        context = browser.new_context(
            viewport={"width": 375 if touch else 1280, "height": 800}, has_touch=touch, is_mobile=touch
        )
        page = context.new_page()
        page.goto(f"{served_site}/es/muscle-spasm/")
        term = page.locator(".md-content abbr").first
        definition = term.get_attribute("title")
        term.tap() if touch else term.hover()
        tooltip = page.locator(".md-tooltip2--active")
        tooltip.wait_for(state="visible", timeout=5_000)
        assert tooltip.inner_text().strip() == definition
        context.close()


def test_first_use_of_each_glossary_word_is_focusable(built_site):
    for path in (built_site / "muscle-spasm" / "index.html", built_site / "zh" / "muscle-spasm" / "index.html"):
        marks = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select(".md-content abbr")
        focusable = [abbr for abbr in marks if abbr.get("tabindex") == "0"]
        assert len(marks) > len(focusable) > 0, path
        first_use = {}
        for abbr in marks:
            first_use.setdefault(abbr["title"], abbr)
        assert focusable == list(first_use.values())


def test_definition_shows_on_keyboard_focus(browser, served_site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{served_site}/muscle-spasm/")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "ABBR":
            break
    definition = page.evaluate(
        "document.activeElement.getAttribute('title') || "
        "document.querySelector('#' + document.activeElement.getAttribute('aria-describedby')).textContent"
    )
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert page.evaluate("document.activeElement.tagName") == "ABBR"
    assert tooltip.inner_text().strip() == definition.strip()
    page.close()


# ---------------------------------------------------------------------------
# Scaffolding
# ---------------------------------------------------------------------------


def test_new_article_is_english_with_its_translations_pending_and_publishes_once_written(small_tree, capsys):
    import re

    config = str(small_tree / "mkdocs.yml")

    def write(path):
        text = re.sub(
            r"\[TO WRITE: ([^\]]*)\]", lambda m: f"Your elbow {len(m.group(1))} is fine", path.read_text("utf-8")
        )
        path.write_text(text, encoding="utf-8")

    assert careleaf(["-f", config, "new", "elbow", "--category", "bones-and-joints"]) == 0
    assert "careleaf new elbow --lang LANG" in capsys.readouterr().out
    english, spanish = small_tree / "docs/en/elbow.md", small_tree / "docs/es/elbow.md"
    text = english.read_text(encoding="utf-8")
    assert "{#red-flags}" in text and "!!! emergency" in text and "!!! urgent" in text
    assert "\ntranslations: pending\n" in text and not spanish.exists()
    code, out = run(small_tree / "docs", capsys)
    assert code == 1 and "docs/en/elbow.md:2: error: unfinished text" in out

    # A writer fills in every placeholder: it publishes, Spanish readers get the English page meanwhile.
    write(english)
    code, out = run(small_tree / "docs", capsys, "--strict")
    assert code == 0, out
    assert "docs/es/elbow.md:1: note: no 'es' translation yet" in out

    # A translator starts the Spanish page, in the same shape, and finishes it.
    assert careleaf(["-f", config, "new", "elbow", "--lang", "es"]) == 0
    text = spanish.read_text(encoding="utf-8")
    assert "translation:\n  status: machine-draft" in text and "translations:" not in text
    assert "## Cuándo buscar atención médica {#red-flags}" in text
    english_signs = re.findall(r"^    - (.*)$", english.read_text(encoding="utf-8"), re.M)
    assert re.findall(r"^    - \[TO WRITE: translate: (.*)\]$", text, re.M) == english_signs
    code, out = run(small_tree / "docs", capsys)
    assert code == 1 and "docs/es/elbow.md:2: error: unfinished text" in out
    write(spanish)
    code, out = run(small_tree / "docs", capsys, "--strict")
    assert code == 1 and "every translation is here and current (or in a language in progress): remove" in out
    english.write_text(english.read_text(encoding="utf-8").replace("translations: pending\n", ""), encoding="utf-8")
    code, out = run(small_tree / "docs", capsys, "--strict")
    assert code == 0, out


def test_a_translation_is_started_only_for_an_english_article_in_a_site_language(small_tree, capsys):
    config = str(small_tree / "mkdocs.yml")
    assert careleaf(["-f", config, "new", "elbow", "--lang", "es"]) == 2
    assert "no English article 'elbow' to translate" in capsys.readouterr().err
    assert careleaf(["-f", config, "new", "finger", "--lang", "fr"]) == 2
    assert "'fr' is not one of the site's translations (es)" in capsys.readouterr().err
    assert careleaf(["-f", config, "new", "finger", "--lang", "es"]) == 2
    assert "'finger' already exists in: es" in capsys.readouterr().err
    assert careleaf(["-f", config, "new", "elbow"]) == 2
    assert "a new article needs --category" in capsys.readouterr().err


def test_new_article_refuses_unknown_categories_and_existing_slugs(small_tree, capsys):
    config = str(small_tree / "mkdocs.yml")
    assert careleaf(["-f", config, "new", "elbow", "--category", "hearts"]) == 2
    assert "unknown category 'hearts'" in capsys.readouterr().err
    assert careleaf(["-f", config, "new", "finger", "--category", "bones-and-joints"]) == 2
    assert "'finger' already exists in: en, es" in capsys.readouterr().err
