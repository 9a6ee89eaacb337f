"""The hospital's own logo, a PNG or an SVG with text in it, on the web and in every handout (veraPDF-clean)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageDraw

from careleaf.outputs import accessible_pdf, verapdf
from conftest import edit, mkdocs_build, run_careleaf
from test_new_script import korean_library

pytestmark = [pytest.mark.build]

SVG_WITH_TEXT = """<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40">
  <rect width="40" height="40" rx="6" fill="#005eb8"/>
  <text x="48" y="27" font-family="sans-serif" font-size="18" fill="#005eb8">Riverside</text>
</svg>
"""


def png_logo(path: Path) -> None:
    image = Image.new("RGB", (160, 40), "#ffffff")
    ImageDraw.Draw(image).rounded_rectangle((0, 0, 39, 39), radius=6, fill="#005eb8")
    image.save(path)


def library_with_logo(target: Path, name: str) -> Path:
    project = korean_library(target)
    logo = project / "overrides" / "assets" / name
    if name.endswith(".png"):
        png_logo(logo)
    else:
        logo.write_text(SVG_WITH_TEXT, encoding="utf-8")
    edit(project / "mkdocs.yml", "logo: assets/logo.svg", f"logo: assets/{name}")
    return project


@pytest.mark.parametrize("name", ["hospital.png", "hospital-with-name.svg"])
def test_the_hospital_logo_shows_on_the_web_and_every_handout_passes_verapdf(tmp_path, name):
    project = library_with_logo(tmp_path / "project", name)
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    page = BeautifulSoup((site / "ko" / "finger-care" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one(".md-header__button.md-logo img")["src"].endswith(f"assets/{name}")
    printed = page.select_one(".careleaf-print-header__logo")
    assert printed["src"].endswith(f"assets/{name}") and printed["alt"] == ""
    assert page.select_one(".careleaf-print-header__hospital").get_text(strip=True) == "Riverside Community Hospital"
    handouts = sorted((site / "handouts").rglob("*.pdf"))
    assert len(handouts) == 10
    verdicts = verapdf.validate(handouts)
    assert {pdf.name: verdicts[pdf].problems() for pdf in handouts} == {pdf.name: [] for pdf in handouts}
    assert all(accessible_pdf.claims_pdf_ua(pdf) for pdf in handouts)
    # The logo is drawn on paper (an image, or the SVG's shapes and text), as decoration beside the hospital's name.
    text = subprocess.run(
        ["pdftotext", str(site / "handouts" / "en" / "finger-care.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Riverside Community Hospital" in text


def test_a_logo_that_is_not_there_is_one_line_naming_the_setting(tmp_path):
    project = korean_library(tmp_path / "project")
    edit(project / "mkdocs.yml", "logo: assets/logo.svg", "logo: assets/hospital-logo.png")
    expected = (
        "mkdocs.yml: plugins.careleaf.hospital.logo: assets/hospital-logo.png is not a file in docs/ or overrides/"
    )
    validated = run_careleaf(["validate"], cwd=project)
    assert validated.returncode == 2
    assert validated.stderr.strip().splitlines() == [f"careleaf: {expected}"]
    built = mkdocs_build(project, tmp_path / "site", handouts=False)
    assert built.returncode != 0
    assert expected in built.stderr and "Traceback" not in built.stderr
