"""The header keeps the hospital's name on a phone, in every language and either script direction."""

from __future__ import annotations

import pytest

from careleaf import project as project_settings
from conftest import ROOT, SMALL_CONFIG
from test_accessibility import SCREENSHOTS
from test_build import LANGUAGES, PROJECT, page_path

MEASURE = """() => {
    const box = (selector) => {
        const element = document.querySelector(selector);
        const rect = element.getBoundingClientRect();
        return {left: rect.left, right: rect.right, scroll: element.scrollWidth, client: element.clientWidth,
                text: element.textContent.trim(), visible: getComputedStyle(element).visibility === "visible"};
    };
    return {hospital: box(".careleaf-header__hospital"), library: box(".careleaf-header__library"),
            title: box(".md-header__title"), dir: getComputedStyle(document.querySelector(".md-header__title")).direction};
}"""


@pytest.mark.parametrize("width", (320, 375))
def test_header_shows_the_hospital_short_name_whole_and_cuts_only_the_line_end(browser, served_site, width):
    page = browser.new_page(viewport={"width": width, "height": 640})
    try:
        for lang in LANGUAGES:
            page.goto(f"{served_site}/{page_path(lang, 'muscle-spasm').removesuffix('index.html')}")
            header = page.evaluate(MEASURE)
            hospital, library, title = header["hospital"], header["library"], header["title"]
            assert hospital["text"] == PROJECT.hospital_short_names[lang]
            # Whole: nothing of the name is hidden, and it lies inside the title's box.
            assert hospital["scroll"] <= hospital["client"], (lang, width, hospital)
            assert title["left"] - 0.5 <= hospital["left"] and hospital["right"] <= title["right"] + 0.5, (lang, width, header)
            # The name comes first in the reading direction; the library's name follows it, to the line's end.
            if header["dir"] == "rtl":
                assert library["right"] <= hospital["left"], (lang, width, header)
            else:
                assert hospital["right"] <= library["left"], (lang, width, header)
            if width == 320 and lang in ("en", "ar"):
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"header-{lang}-320px.png"), clip={"x": 0, "y": 0, "width": 320, "height": 56})
    finally:
        page.close()


def test_a_language_without_a_short_name_shows_the_full_name(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(SMALL_CONFIG.replace("    name: Test Hospital\n",
                                                              "    name: Test Hospital\n    short_name: {es: Test}\n"),
                                         encoding="utf-8")
    project = project_settings.load(tmp_path / "mkdocs.yml")
    assert project.hospital_short_names == {"en": "Test Hospital", "es": "Test"}


def test_every_language_of_this_library_has_its_own_short_name():
    project = project_settings.load(ROOT / "mkdocs.yml")
    assert all(name != project.hospital["name"] for name in project.hospital_short_names.values())
