"""Numbers that dial: each hospital number is shown as written and linked as RFC 3966 says a phone dials it."""

from __future__ import annotations

import pikepdf
import pytest
from bs4 import BeautifulSoup

from careleaf.cli import main as careleaf  # the command under test
from careleaf.model import phones
from careleaf.model import project as project_settings
from conftest import ROOT, copy_project, edit, mkdocs_build


@pytest.mark.parametrize(
    "written,region,dialled",
    [
        ("1-877-555-CARE", "US", "tel:+1-877-555-2273"),  # vanity letters become the digits they stand for
        ("(877) 555-0199 ext. 2", "US", "tel:+1-877-555-0199;ext=2"),
        ("1-800-555-0142", "US", "tel:+1-800-555-0142"),
        ("+44 20 7946 0000", "US", "tel:+44-20-7946-0000"),  # a full international number dials from anywhere
        ("020 7946 0000", "GB", "tel:+44-20-7946-0000"),
        # Short emergency numbers are dialled as they are, inside their region.
        ("911", "US", "tel:911"),
        ("999", "GB", "tel:999"),
        ("112", "DE", "tel:112"),
        ("000", "AU", "tel:000"),
    ],
)
def test_a_number_links_to_what_a_phone_dials(written, region, dialled):
    assert phones.tel_uri(written, region) == dialled


@pytest.mark.parametrize(
    "written,region",
    [
        ("555-0100", "US"),  # no area code: not a number on its own
        ("1-877-555", "US"),  # what the old digit filter linked to for 1-877-555-CARE
        ("999", "US"),  # another region's emergency number
        ("911", "GB"),
        ("call us", "US"),
        ("911 ext. 2", "US"),
    ],
)
def test_a_number_no_phone_there_can_dial_is_refused(written, region):
    with pytest.raises(phones.NotDiallable):
        phones.tel_uri(written, region)


def _with_hospital(tree, old: str, new: str) -> None:
    edit(tree / "mkdocs.yml", old, new)


def test_the_configured_numbers_are_computed_once_for_every_link(small_tree):
    _with_hospital(small_tree, 'nurse_line: "1-800-555-0100"', 'nurse_line: "1-877-555-CARE"')
    project = project_settings.load(small_tree / "mkdocs.yml")
    assert project.tel_uris == {"emergency_number": "tel:911", "nurse_line": "tel:+1-877-555-2273"}
    # The page still shows the number as the hospital wrote it.
    assert project.hospital["nurse_line"] == "1-877-555-CARE"


@pytest.mark.parametrize(
    "old,new,message",
    [
        (
            'nurse_line: "1-800-555-0100"',
            'nurse_line: "555-0100"',
            'mkdocs.yml: plugins.careleaf.hospital.nurse_line: "555-0100" is not a number that can be dialled in US',
        ),
        (
            'emergency_number: "911"',
            'emergency_number: "999"',
            'mkdocs.yml: plugins.careleaf.hospital.emergency_number: "999" is not a number that can be dialled in US',
        ),
        (
            'emergency_number: "911"',
            "emergency_number: 000",
            'mkdocs.yml: plugins.careleaf.hospital.emergency_number: "0" is not a number that can be dialled in US (write it in quotes)',
        ),
        (
            "region: US",
            "region: USA",
            'mkdocs.yml: plugins.careleaf.hospital.region: "USA" is not a region whose phone numbers Careleaf can read: give its '
            "two-letter code (ISO 3166-1), such as US, GB or AU",
        ),
        (
            "        region: US\n",
            "",
            "mkdocs.yml: plugins.careleaf.hospital.region: Required configuration not provided.",
        ),
    ],
)
def test_the_validator_names_the_key_of_a_number_that_cannot_be_dialled_in_one_line(
    small_tree, capsys, old, new, message
):
    _with_hospital(small_tree, old, new)
    assert careleaf(["-f", str(small_tree / "mkdocs.yml"), "validate"]) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"careleaf: {message}\n")


def test_another_regions_numbers_dial_there(small_tree):
    _with_hospital(small_tree, "region: US", "region: GB")
    _with_hospital(small_tree, 'emergency_number: "911"', 'emergency_number: "999"')
    _with_hospital(small_tree, 'nurse_line: "1-800-555-0100"', 'nurse_line: "0118 496 0000"')
    project = project_settings.load(small_tree / "mkdocs.yml")
    assert project.tel_uris == {"emergency_number": "tel:999", "nurse_line": "tel:+44-118-496-0000"}


def test_the_build_names_the_key_of_a_number_that_cannot_be_dialled_in_one_line(tmp_path):
    project = copy_project(tmp_path / "project")
    _with_hospital(project, 'nurse_line: "1-800-555-0142"', 'nurse_line: "1-877-555"')
    result = mkdocs_build(project, tmp_path / "site", handouts=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert errors == [
        'ERROR   -  mkdocs.yml: plugins.careleaf.hospital.nurse_line: "1-877-555" is not a number that can be dialled in US'
    ]
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    "number,tel", [("1-877-555-CARE", "tel:+1-877-555-2273"), ("(877) 555-0199 ext. 2", "tel:+1-877-555-0199;ext=2")]
)
def test_the_urgent_card_and_the_footer_link_the_number_as_written_to_what_it_dials(tmp_path, number, tel):
    project = copy_project(tmp_path / "project")
    _with_hospital(project, 'nurse_line: "1-800-555-0142"', f'nurse_line: "{number}"')
    result = mkdocs_build(project, tmp_path / "site", handouts=False)  # the pages are the point here
    assert result.returncode == 0, result.stderr
    for page in ("muscle-spasm/index.html", "ar/muscle-spasm/index.html"):
        soup = BeautifulSoup((tmp_path / "site" / page).read_text(encoding="utf-8"), "html.parser")
        links = soup.select('a[href^="tel:"]')
        # The urgent card's fallback, the footer's nurse line on screen and on paper, and the emergency line twice.
        assert (
            sorted((link["href"], link.get_text()) for link in links if link.get_text() == number)
            == [(tel, number)] * 3
        )
        assert {link["href"] for link in soup.select(".careleaf-about__emergency a")} == {"tel:911"}
        assert all(link["dir"] == "ltr" for link in links if link.get_text() == number)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_printed_handout_links_each_number_to_the_same_tel_uri(built_handouts, lang):
    project = project_settings.load(ROOT / "mkdocs.yml")
    with pikepdf.open(built_handouts / lang / "muscle-spasm.pdf") as pdf:
        uris = {
            str(annotation.A.URI)
            for page in pdf.pages
            for annotation in page.get("/Annots", [])
            if annotation.get("/Subtype") == pikepdf.Name.Link and str(annotation.A.get("/URI", "")).startswith("tel:")
        }
    assert uris == set(project.tel_uris.values())
