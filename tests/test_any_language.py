"""A language Material has no interface translation for (Haitian Creole, a top-five language of
limited-English patients in several US states), added by the README's "A language" steps: the build
takes the interface from the locale catalogue's theme: section, and the validator names every
interface string the language still lacks."""

from __future__ import annotations

import re

import yaml
from bs4 import BeautifulSoup

from careleaf.model.locales import THEME_KEYS
from careleaf.util import upstream
from conftest import ROOT, copy_project, keep_languages, line_of, mkdocs_build, run_careleaf

LANG, NAME = "ht", "Kreyòl ayisyen"
LEFT_OUT = "top"  # the back-to-top button's label: the one interface string the test leaves untranslated


def add_haitian_creole(project) -> None:
    """The README's steps, as a hospital's content team would take them."""
    assert upstream.material_interface(LANG, THEME_KEYS) is None  # the case this test is about
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    # 1. The language in plugins.i18n.languages (its name in its own script), in progress while translated.
    text = text.replace(
        "          default: true\n          build: true\n",
        f"          default: true\n          build: true\n        - locale: {LANG}\n          name: {NAME}\n"
        "          build: true\n",
        1,
    )
    text = text.replace("      languages_in_progress: []", f"      languages_in_progress: [{LANG}]", 1)
    assert f"locale: {LANG}" in text and f"languages_in_progress: [{LANG}]" in text
    config.write_text(text, encoding="utf-8")
    # 2. The catalogue, with the theme: section Material has no translation for.
    catalogue = yaml.safe_load((ROOT / "locales" / "en.yml").read_text(encoding="utf-8"))
    catalogue["theme"] = {key: f"[{LANG}] {key}" for key in THEME_KEYS if key != LEFT_OUT}
    (project / "locales" / f"{LANG}.yml").write_text(yaml.safe_dump(catalogue, allow_unicode=True), "utf-8")
    # 3. The glossary; 4. the home page (articles fall back to English until translated).
    glossary = (ROOT / "locales" / "glossary" / "en.yml").read_text(encoding="utf-8")
    (project / "locales" / "glossary" / f"{LANG}.yml").write_text(glossary, encoding="utf-8")
    (project / "docs" / LANG).mkdir()


def test_a_language_material_has_not_translated_builds_with_the_catalogues_interface(tmp_path):
    project = keep_languages(copy_project(tmp_path / "project"), ("en",))
    add_haitian_creole(project)
    # The validator names the one interface string left out, and what readers would see instead.
    checked = run_careleaf(["validate"], cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    missing = [line for line in checked.stdout.splitlines() if "[locale-missing-interface]" in line]
    theme_line = line_of(project / "locales" / f"{LANG}.yml", "theme:")
    assert missing == [
        f"locales/{LANG}.yml:{theme_line}: warning: missing theme: '{LEFT_OUT}' (Material has no interface in '{LANG}'): "
        "pages show the English 'Back to top' [locale-missing-interface]"
    ]
    result = mkdocs_build(project, tmp_path / "site", strict=False, handouts=False)
    assert result.returncode == 0, result.stderr[-3000:]
    article = tmp_path / "site" / LANG / "muscle-spasm" / "index.html"  # the English page, in progress
    soup = BeautifulSoup(article.read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == LANG and soup.html["dir"] == "ltr"
    assert soup.select_one("input.md-search__input")["placeholder"] == f"[{LANG}] search.placeholder"
    assert soup.select_one(".md-skip").get_text(strip=True) == f"[{LANG}] action.skip"
    assert soup.select_one(".md-top").get_text(" ", strip=True) == "Back to top"  # left out: Material's English
    # No English interface string of Material's shows where the catalogue gave one.
    english = upstream.material_interface("en", THEME_KEYS) or {}
    page = str(soup)
    shown = [key for key in THEME_KEYS if key != LEFT_OUT and re.search(rf">\s*{re.escape(english[key])}\s*<", page)]
    assert shown == []


def test_a_language_material_has_translated_takes_the_catalogues_interface_first(tmp_path):
    # A hospital's own wording for one of Material's strings, in a language Material translates.
    project = keep_languages(copy_project(tmp_path / "project"), ("en", "es"))
    catalogue = project / "locales" / "es.yml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8") + '\ntheme:\n  search.placeholder: "Buscar en la biblioteca"\n', "utf-8"
    )
    result = mkdocs_build(project, tmp_path / "site", handouts=False)
    assert result.returncode == 0, result.stderr[-3000:]
    soup = BeautifulSoup((tmp_path / "site" / "es" / "muscle-spasm" / "index.html").read_text("utf-8"), "html.parser")
    assert soup.select_one("input.md-search__input")["placeholder"] == "Buscar en la biblioteca"
    spanish = upstream.material_interface("es", ["action.skip"]) or {}
    assert soup.select_one(".md-skip").get_text(strip=True) == spanish["action.skip"]  # Material's Spanish
