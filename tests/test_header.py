"""The header keeps the hospital's name on a phone, in every language and either script direction."""

from __future__ import annotations

import shutil

import pytest

from careleaf.build.views import image_size
from careleaf.model import project as project_settings
from conftest import ROOT, SMALL_CONFIG, logo_file
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
            assert title["left"] - 0.5 <= hospital["left"] and hospital["right"] <= title["right"] + 0.5, (
                lang,
                width,
                header,
            )
            # The name comes first in the reading direction; the library's name follows it, to the line's end.
            if header["dir"] == "rtl":
                assert library["right"] <= hospital["left"], (lang, width, header)
            else:
                assert hospital["right"] <= library["left"], (lang, width, header)
            if width == 320 and lang in ("en", "ar"):
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(
                    path=str(SCREENSHOTS / f"header-{lang}-320px.png"),
                    clip={"x": 0, "y": 0, "width": 320, "height": 56},
                )
    finally:
        page.close()


def test_a_language_without_a_short_name_shows_the_full_name(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(
        SMALL_CONFIG.replace(
            "        name: Test Hospital\n",
            "        name: Test Hospital\n        short_name: {es: Test, fr: Test FR}\n",
        ),
        encoding="utf-8",
    )
    shutil.copy(ROOT / "overrides" / "assets" / "logo.svg", logo_file(tmp_path))
    project = project_settings.load(tmp_path / "mkdocs.yml")
    assert project.hospital_short_names == {"en": "Test Hospital", "es": "Test"}


def test_every_language_of_this_library_has_its_own_short_name():
    project = project_settings.load(ROOT / "mkdocs.yml")
    assert all(name != project.hospital["name"] for name in project.hospital_short_names.values())


@pytest.mark.parametrize(
    "content,size",
    [
        ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"/>', {"width": 24, "height": 24}),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" width="120px" height="40" viewBox="0 0 24 8"/>',
            {"width": 120, "height": 40},
        ),
        ('<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0,0,30,10"/>', {"width": 30, "height": 10}),
        ('<svg xmlns="http://www.w3.org/2000/svg"/>', None),
        ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 wide tall"/>', None),
        ("<svg", None),
        ('<svg xmlns="http://www.w3.org/2000/svg" width="1e999" height="10" viewBox="0 0 inf 10"/>', None),
        ('<?xml version="1.0" encoding="bogus"?><svg/>', None),
        ('<svg xmlns="http://www.w3.org/2000/svg" width="0.2" height="0.2"/>', {"width": 1, "height": 1}),
    ],
)
def test_the_logo_is_sized_from_its_own_file(tmp_path, content, size):
    logo = tmp_path / "logo.svg"
    logo.write_text(content, encoding="utf-8")
    assert image_size(logo) == size


def test_a_raster_logo_is_sized_by_pillow_and_a_broken_one_not_at_all(tmp_path):
    from PIL import Image

    Image.new("RGB", (90, 30)).save(tmp_path / "logo.png")
    (tmp_path / "broken.png").write_bytes(b"not an image")
    assert image_size(tmp_path / "logo.png") == {"width": 90, "height": 30}
    assert image_size(tmp_path / "broken.png") is None


def test_the_header_logo_carries_its_size_and_the_site_name(built_site):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((built_site / "ar" / "index.html").read_text(encoding="utf-8"), "html.parser")
    logo = soup.select_one(".md-header__button.md-logo img")
    assert (logo["width"], logo["height"]) == ("24", "24")
    assert logo["alt"] == soup.select_one(".md-header__button.md-logo")["aria-label"] != "logo"
