"""Discharge packets: a cover page and several handouts in one PDF, from the script and from the
"Print several handouts" page in every language."""

from __future__ import annotations

import json
import shutil
import subprocess

import pikepdf
import pytest

from careleaf.outputs import accessible_pdf, packets
from careleaf.outputs.handouts import body_size, comparable, pdf_text
from conftest import run_careleaf
from test_build import CATALOGUES, LANGUAGES, LIBRARY, PROJECT, SLUGS, page_path, read

PACKET = ["broken-finger-closed", "muscle-spasm"]  # the library's order: bones and joints, then muscles


def packet_page(lang: str) -> str:
    return "print-handouts/index.html" if lang == PROJECT.default_language else f"{lang}/print-handouts/index.html"


def title_of(built_site, slug: str, lang: str) -> str:
    return read(built_site, page_path(lang, slug)).h1.get_text(strip=True)


def struct_languages(pdf: pikepdf.Pdf) -> set[str]:
    """Every /Lang set in the structure tree (Chromium writes one where an element has lang=)."""
    found, pending = set(), [pdf.Root.StructTreeRoot]
    while pending:
        element = pending.pop()
        if isinstance(element, pikepdf.Dictionary):
            if "/Lang" in element:
                found.add(str(element.Lang))
            kids = element.get("/K")
            pending.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])
    return found


def test_packet_is_a_cover_then_each_handout_then_its_english(browser, built_site, tmp_path):
    job = packets.plan(LIBRARY, built_site, "es", list(reversed(PACKET)), tmp_path / "packet.pdf", with_english=True)
    lines = []
    packet = packets.build(LIBRARY, job, built_site, progress=lines.append, browser=browser)
    assert lines == [
        "1/4 es/broken-finger-closed",
        "2/4 en/broken-finger-closed",
        "3/4 es/muscle-spasm",
        "4/4 en/muscle-spasm",
    ]
    strings = CATALOGUES["es"]["packet"]
    expected = [("es", strings["cover_title"])] + [
        (lang, title_of(built_site, slug, lang)) for slug in PACKET for lang in ("es", "en")
    ]
    assert [(lang, title) for _, lang, title in packet.parts] == expected
    firsts = [first for first, _, _ in packet.parts]
    assert firsts[0] == 1 and firsts == sorted(firsts) and len(set(firsts)) == len(firsts)
    assert packet.problems == [] and packet.outside_requests == []
    cover = comparable(
        subprocess.run(
            ["pdftotext", "-l", "1", str(packet.target), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    for text in (
        strings["cover_title"],
        strings["cover_intro"],
        strings["patient_name"],
        strings["date"],
        *(title_of(built_site, slug, "es") for slug in PACKET),
    ):
        assert comparable(text) in cover
    with pikepdf.open(packet.target) as pdf:
        assert str(pdf.Root.Lang) == "es" and "en" in struct_languages(pdf)
        assert str(pdf.docinfo.Title) == f"{strings['cover_title']} – {PROJECT.hospital['name']}"
    # Every red-flag sign of both articles, in both languages, is in the packet.
    text = comparable(pdf_text(packet.target))
    for slug in PACKET:
        for lang in ("es", "en"):
            signs = [
                li.get_text(" ", strip=True)
                for li in read(built_site, page_path(lang, slug)).select(".red-flags .care-card li")
            ]
            assert signs and [sign for sign in signs if comparable(sign) not in text] == []


def test_large_print_packet_is_set_at_18_points(browser, built_site, tmp_path):
    job = packets.plan(LIBRARY, built_site, "ar", ["finger-dislocation"], tmp_path / "large.pdf", large_print=True)
    packet = packets.build(LIBRARY, job, built_site, progress=lambda line: None, browser=browser)
    assert body_size(packet.target) >= 18
    assert accessible_pdf.problems(packet.target) == []


def test_careleaf_packet_prints_progress_and_a_summary(built_site, tmp_path):
    target = tmp_path / "packet.pdf"
    result = run_careleaf(
        ["packet", "--site", str(built_site), "--lang", "vi", *PACKET, "-o", str(target)], timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1/2 vi/broken-finger-closed" in result.stdout and "2/2 vi/muscle-spasm" in result.stdout
    assert f"{target}: " in result.stdout and "accessibility problems: 0; requests blocked: 0" in result.stdout
    assert target.is_file()


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--lang", "es", "no-such-article"], "unknown article(s): no-such-article"),
        (["--lang", "fr", "muscle-spasm"], "no language 'fr'"),
    ],
)
def test_careleaf_packet_refuses_what_it_cannot_make_in_one_line(built_site, tmp_path, arguments, message):
    result = run_careleaf(["packet", "--site", str(built_site), *arguments, "-o", str(tmp_path / "x.pdf")], timeout=120)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_a_print_several_handouts_page_listing_every_article(built_site, lang):
    soup = read(built_site, packet_page(lang))
    strings = CATALOGUES[lang]["packet"]
    assert soup.select_one(".careleaf-packet h1").get_text(strip=True) == strings["title"]
    boxes = soup.select('input[name="article"]')
    assert sorted(box["data-slug"] for box in boxes) == sorted(SLUGS)
    for box in boxes:
        assert box["data-title"] == LIBRARY.best(box["data-slug"], lang).title
        label = soup.select_one(f'label[for="{box["id"]}"]')
        assert label.get_text(strip=True) == box["data-title"]
        assert ("data-english" in box.attrs) == (lang != PROJECT.default_language)
    # Without JavaScript every PDF is still one link away, and each one exists.
    for link in soup.select(".careleaf-packet__downloads a"):
        assert (built_site / packet_page(lang)).parent.joinpath(link["href"]).resolve().is_file(), link["href"]
    assert len(soup.select(".careleaf-packet__downloads a")) == len(SLUGS) * (
        2 if lang == PROJECT.default_language else 3
    )
    # The language switcher leads to this page in the other languages.
    switcher = {a["hreflang"]: a["href"] for a in soup.select("a.md-select__link")}
    assert set(switcher) == set(LANGUAGES)
    for other, href in switcher.items():
        assert (built_site / packet_page(lang)).parent.joinpath(href, "index.html").resolve() == (
            built_site / packet_page(other)
        ).resolve()


def test_staff_tick_articles_and_print_them_in_one_go(browser, served_site):
    page = browser.new_page()
    page.goto(f"{served_site}/es/print-handouts/")
    page.evaluate(
        "() => { window.print = () => { window.printedParts = [...document.querySelectorAll('.careleaf-part')]"
        ".map(part => part.lang + ':' + part.querySelector('h1').textContent.trim()); }; }"
    )
    page.click('.careleaf-packet__form button[type="submit"]')
    assert page.inner_text(".careleaf-packet__status") == CATALOGUES["es"]["packet"]["none_selected"]
    assert page.evaluate("window.printedParts") is None  # nothing ticked: no print dialog
    for slug in reversed(PACKET):  # ticked in any order, printed in the page's order
        page.check(f"#packet-{slug}")
    page.check("#packet-with-english")
    page.check("#packet-large-print")
    assert page.eval_on_selector_all(".careleaf-packet__chosen li", "items => items.map(item => item.textContent)") == [
        LIBRARY.best(slug, "es").title for slug in PACKET
    ]
    page.click('.careleaf-packet__form button[type="submit"]')
    page.wait_for_function("() => window.printedParts !== undefined")
    assert page.evaluate("window.printedParts") == [
        f"{lang}:{LIBRARY.get(slug, lang).title}" for slug in PACKET for lang in ("es", "en")
    ]
    assert page.evaluate("document.documentElement.classList.contains('careleaf-large-print')")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator(".careleaf-part").count() == 0
    page.close()


def test_a_packet_is_never_printed_from_a_site_built_from_older_content(built_site, tmp_path):
    # The site was built, then an article changed: the packet would hand out the old text.
    site = tmp_path / "site"
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("handouts"))
    record = json.loads((site / "careleaf-build.json").read_text(encoding="utf-8"))
    assert set(record) == {"content"}
    (site / "careleaf-build.json").write_text(json.dumps({"content": "0" * 64}), encoding="utf-8")
    with pytest.raises(packets.PacketError, match="was built from other content than docs/"):
        packets.plan(LIBRARY, site, "es", ["muscle-spasm"], tmp_path / "packet.pdf")
    (site / "careleaf-build.json").write_text(json.dumps(record), encoding="utf-8")
    packets.plan(LIBRARY, site, "es", ["muscle-spasm"], tmp_path / "packet.pdf")  # as built: accepted


def test_a_packet_prints_an_article_not_yet_translated_once_and_in_english(fallback_site, tmp_path):
    from careleaf.model.content import Library
    from careleaf.model.project import load
    from conftest import FALLBACK_SLUG

    library = Library.load(load(fallback_site.parent / "project" / "mkdocs.yml"))
    assert library.get(FALLBACK_SLUG, "es") is None
    job = packets.plan(
        library, fallback_site, "es", [FALLBACK_SLUG, "muscle-spasm"], tmp_path / "p.pdf", with_english=True
    )
    parts = [(packets.language_of(source, fallback_site, library), source.parent.name) for source in job.sources[1:]]
    # The untranslated article is the English page already: printed once, called English.
    assert sorted(parts) == [("en", FALLBACK_SLUG), ("en", "muscle-spasm"), ("es", "muscle-spasm")]
