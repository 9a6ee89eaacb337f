"""Handouts finished for assistive technology (PDF/UA basics) and rebuilt byte for byte."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pikepdf
import pytest
from bs4 import BeautifulSoup
from pikepdf import Array, Dictionary, Name

from careleaf.outputs import accessible_pdf, handouts
from careleaf.outputs.accessible_pdf import Finishing
from careleaf.util.browser import CHROMIUM, CHROMIUM_FLAGS
from test_build import ARTICLES, LIBRARY, PROJECT, page_path

EPOCH = 1_767_225_600  # 2026-01-01 00:00:00 UTC


def same_words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def html(built_site, slug: str, lang: str) -> BeautifulSoup:
    return BeautifulSoup((built_site / page_path(lang, slug)).read_text(encoding="utf-8"), "html.parser")


def seen_text(element) -> str:
    """An element's text as a sighted reader sees it: no visually hidden parts, no ¶ anchors."""
    element = BeautifulSoup(str(element), "html.parser")
    for hidden in element.select(".visually-hidden, .headerlink"):
        hidden.decompose()
    return same_words(element.get_text())


def outline_titles(pdf: pikepdf.Pdf) -> list[str]:
    titles = []
    with pdf.open_outline() as outline:
        pending = list(reversed(outline.root))
        while pending:
            item = pending.pop()
            titles.append(item.title)
            pending += reversed(item.children)
    return titles


def annotations(pdf: pikepdf.Pdf):
    return [annotation for page in pdf.pages for annotation in page.get("/Annots", [])]


# ---------------------------------------------------------------------------
# Every real handout
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_handout_meets_the_pdf_ua_basics_we_check(built_handouts, slug, lang):
    assert accessible_pdf.problems(built_handouts / lang / f"{slug}.pdf") == []


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_handout_names_its_language_and_title_and_claims_pdf_ua(built_handouts, slug, lang):
    with pikepdf.open(built_handouts / lang / f"{slug}.pdf") as pdf:
        assert pdf.Root.Lang == lang
        title = str(pdf.docinfo.Title)
        assert LIBRARY.get(slug, lang).title in title and PROJECT.hospital["name"] in title
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert pdf.docinfo.Creator == accessible_pdf.CREATOR
        metadata = pdf.open_metadata()
        assert metadata["dc:title"] == title
        assert metadata["dc:language"] == {lang}
        assert metadata["pdfuaid:part"] == "1"


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_every_link_is_described_by_its_text_and_opens_the_public_site(built_site, built_handouts, slug, lang):
    page_links = {same_words(link.get_text()) for link in html(built_site, slug, lang).select("article a[href]")}
    with pikepdf.open(built_handouts / lang / f"{slug}.pdf") as pdf:
        links = [annotation for annotation in annotations(pdf) if annotation.Subtype == Name.Link]
        assert links
        for link in links:
            uri = str(link.A.URI)
            assert uri.startswith(PROJECT.site_url) or uri.startswith("tel:"), uri
            # The words of a link on the page, in reading order (Arabic too), not just any text.
            assert same_words(str(link.Contents)) in page_links, (uri, str(link.Contents))
        pages_with_links = [page for page in pdf.pages if len(page.get("/Annots", []))]
        assert all(page.Tabs == Name.S for page in pages_with_links)


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_outline_reads_the_headings_as_the_page_shows_them(built_site, built_handouts, slug, lang):
    # The page's headings on paper: the end-of-page "About" section prints above the title, unheaded.
    headings = [
        seen_text(heading)
        for heading in html(built_site, slug, lang).select(
            "article :is(h1, h2, h3, h4, h5, h6):not(.careleaf-about--screen *)"
        )
    ]
    with pikepdf.open(built_handouts / lang / f"{slug}.pdf") as pdf:
        assert outline_titles(pdf) == headings


@pytest.mark.parametrize("slug,lang", ARTICLES)
def test_handout_draws_no_type3_fonts(built_handouts, slug, lang):
    # Chinese (Noto Sans CJK is CFF-based) and Arabic (synthesized bold) printed Type 3 fonts.
    assert accessible_pdf.type3_fonts(built_handouts / lang / f"{slug}.pdf") == 0


# ---------------------------------------------------------------------------
# Reproducible: the same page and epoch give the same bytes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang,kind", [("ar", handouts.BILINGUAL), ("zh", handouts.CLEAR)])
def test_printing_a_handout_twice_gives_identical_files_and_the_epoch_sets_the_dates(
    browser, built_site, tmp_path, lang, kind
):
    # Arabic (its text repaired in the PDF) beside English, and Chinese (CJK fonts): the scripts whose
    # printing could vary. Printed by the session's Chromium from the site, then by one started afresh
    # from a copy of the site elsewhere (as another build or machine prints into a shared cache).
    slug = "muscle-spasm"
    elsewhere = tmp_path / "elsewhere" / "site"
    shutil.copytree(built_site, elsewhere, ignore=shutil.ignore_patterns("handouts"))

    def job_in(site: Path) -> handouts.Job:
        [job] = [job for job in handouts.plan(LIBRARY, site, kinds=(kind,)) if (job.slug, job.lang) == (slug, lang)]
        return job

    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    with handouts.Printer(built_site, PROJECT.page_size, handouts.Run(), browser) as printer:
        raw, headings, _ = printer.print(job_in(built_site))
        first.write_bytes(raw)
    fresh = browser.browser_type.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_FLAGS))
    try:
        with handouts.Printer(elsewhere, PROJECT.page_size, handouts.Run(), fresh) as printer:
            raw, again, _ = printer.print(job_in(elsewhere))
            second.write_bytes(raw)
    finally:
        fresh.close()
    assert again == headings
    headings = tuple(headings)
    later, undated = tmp_path / "later.pdf", tmp_path / "undated.pdf"
    shutil.copy(second, later)
    shutil.copy(second, undated)

    def finishing(epoch, site=built_site):
        return Finishing("Muscle spasm – Riverside", lang, epoch, site, PROJECT.site_url, headings)

    for pdf, epoch, site in (
        (first, EPOCH, built_site),
        (second, EPOCH, elsewhere),
        (later, EPOCH + 86_400, elsewhere),
        (undated, None, elsewhere),
    ):
        assert accessible_pdf.finish(pdf, finishing(epoch, site)) == []
    assert first.read_bytes() == second.read_bytes()
    assert later.read_bytes() != first.read_bytes()
    for pdf, day in ((first, "20260101"), (later, "20260102")):
        with pikepdf.open(pdf) as document:
            assert str(document.docinfo.CreationDate).startswith(f"D:{day}000000")
            assert str(document.docinfo.ModDate).startswith(f"D:{day}000000")
            assert document.open_metadata()["xmp:CreateDate"].startswith(f"{day[:4]}-{day[4:6]}-{day[6:]}T00:00:00")
    with pikepdf.open(undated) as document:
        assert "/CreationDate" not in document.docinfo and "/ModDate" not in document.docinfo
        assert "xmp:CreateDate" not in document.open_metadata()
    pdfs = sorted(path.name for path in tmp_path.iterdir() if path.is_file())
    assert pdfs == ["first.pdf", "later.pdf", "second.pdf", "undated.pdf"]


# ---------------------------------------------------------------------------
# The checks themselves, on small PDFs made to break one thing at a time
# ---------------------------------------------------------------------------

MARKED_TEXT = b"BT /F1 12 Tf 72 720 Td /Link <</MCID 0>> BDC (H) Tj EMC ET"


def small_pdf(
    path,
    content: bytes = MARKED_TEXT,
    uri: str = "https://care.example.org/",
    contents: str | None = "H",
    font: str = "Type3",
    break_: str = "",
):
    """A one-page tagged PDF with one link: clean unless `break_` names what to leave out."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    page = pdf.pages[0]
    if font == "Type3":
        glyph = pdf.make_stream(b"500 0 0 0 500 700 d1 0 0 500 700 re f")
        font_dict = Dictionary(
            Type=Name.Font,
            Subtype=Name.Type3,
            FontBBox=[0, 0, 500, 700],
            FontMatrix=[0.001, 0, 0, 0.001, 0, 0],
            CharProcs=Dictionary(H=glyph),
            Encoding=Dictionary(Type=Name.Encoding, Differences=[72, Name.H]),
            FirstChar=72,
            LastChar=72,
            Widths=[500],
            Resources=Dictionary(),
        )
    else:  # a standard font named but not embedded
        font_dict = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    page.Resources = Dictionary(Font=Dictionary(F1=pdf.make_indirect(font_dict)))
    page.Contents = pdf.make_stream(content)
    link = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=[72, 710, 90, 730],
            StructParent=0,
            A=Dictionary(S=Name.URI, URI=pikepdf.String(uri)),
        )
    )
    if contents is not None:
        link.Contents = pikepdf.String(contents)
    page.Annots = Array([link])
    page.StructParents = 1
    element = pdf.make_indirect(
        Dictionary(
            Type=Name.StructElem,
            S=Name.Link,
            Pg=page.obj,
            K=Array([0, Dictionary(Type=Name.OBJR, Obj=link, Pg=page.obj)]),
        )
    )
    if break_ != "tags":
        pdf.Root.MarkInfo = Dictionary(Marked=True)
        pdf.Root.StructTreeRoot = Dictionary(Type=Name.StructTreeRoot, K=Array([element]))
        element.P = pdf.Root.StructTreeRoot
    if break_ != "lang":
        pdf.Root.Lang = pikepdf.String("en")
    if break_ != "title":
        pdf.docinfo.Title = pikepdf.String("A handout")
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    if break_ != "outline":
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("A handout", 0))
    pdf.save(path)
    return path


def test_a_small_clean_pdf_has_no_problems_and_one_type3_font(tmp_path):
    pdf = small_pdf(tmp_path / "clean.pdf")
    assert accessible_pdf.problems(pdf) == []
    assert accessible_pdf.type3_fonts(pdf) == 1


@pytest.mark.parametrize(
    "kwargs,expected",
    [
        ({"content": b"BT /F1 12 Tf 72 720 Td (H) Tj ET"}, "page 1: drawn outside marked content: 1 Tj"),
        (
            {"content": MARKED_TEXT + b" BT /F1 12 Tf 72 700 Td [(H)] TJ ET q /Im0 Do Q"},
            "page 1: drawn outside marked content: 1 Do, 1 TJ",
        ),
        ({"contents": None}, "page 1: a link (https://care.example.org/) has no description (/Contents)"),
        ({"contents": "   "}, "page 1: a link (https://care.example.org/) has no description (/Contents)"),
        (
            {"uri": "file:///home/editor/notes.html"},
            "page 1: a link points to a local file: file:///home/editor/notes.html",
        ),
        ({"font": "Type1"}, "page 1: font /Helvetica is not embedded"),
        ({"break_": "tags"}, "not tagged: no /MarkInfo /Marked true with a /StructTreeRoot"),
        ({"break_": "lang"}, "no document language (/Lang in the catalog)"),
        ({"break_": "title"}, "no /Title in the document information"),
        ({"break_": "outline"}, "no outline (bookmarks)"),
    ],
)
def test_each_broken_basic_is_reported(tmp_path, kwargs, expected):
    assert expected in accessible_pdf.problems(small_pdf(tmp_path / "broken.pdf", **kwargs))


def test_finish_publishes_site_links_describes_them_and_claims_pdf_ua_only_when_clean(tmp_path):
    site = tmp_path / "site"
    finishing = Finishing("A handout – Hospital", "es", EPOCH, site, "https://care.example.org/", ("A handout",))
    inside = small_pdf(
        tmp_path / "inside.pdf", uri=f"{site.as_uri()}/es/muscle-spasm/index.html#red-flags", contents=None
    )
    assert accessible_pdf.finish(inside, finishing) == []
    with pikepdf.open(inside) as pdf:
        [link] = annotations(pdf)
        assert link.A.URI == "https://care.example.org/es/muscle-spasm/#red-flags"
        assert link.Contents == "H"  # the text drawn under the link's marked content
        assert pdf.Root.Lang == "es" and pdf.pages[0].Tabs == Name.S
        assert pdf.open_metadata()["pdfuaid:part"] == "1"
    outside = small_pdf(tmp_path / "outside.pdf", uri="file:///elsewhere/page.html")
    assert accessible_pdf.finish(outside, finishing) == [
        "page 1: a link points to a local file: file:///elsewhere/page.html"
    ]
    with pikepdf.open(outside) as pdf:
        assert "pdfuaid:part" not in pdf.open_metadata()


def test_finish_describes_a_phone_link_without_text_by_its_number(tmp_path):
    pdf = small_pdf(
        tmp_path / "tel.pdf",
        content=b"BT /F1 12 Tf 72 720 Td /P <</MCID 1>> BDC (H) Tj EMC ET",
        uri="tel:18005550142",
        contents=None,
    )
    finishing = Finishing("A handout", "en", None, tmp_path, "https://care.example.org/", ("A handout",))
    assert accessible_pdf.finish(pdf, finishing) == []
    with pikepdf.open(pdf) as document:
        assert annotations(document)[0].Contents == "18005550142"


def test_finish_refuses_headings_that_do_not_match_the_outline(tmp_path):
    pdf = small_pdf(tmp_path / "other-page.pdf")
    before = pdf.read_bytes()
    finishing = Finishing("A handout", "en", EPOCH, tmp_path, "https://care.example.org/", ("A handout", "Another"))
    with pytest.raises(ValueError, match="other-page.pdf"):
        accessible_pdf.finish(pdf, finishing)
    assert pdf.read_bytes() == before


@pytest.mark.parametrize("slug,lang", [(slug, lang) for slug, lang in ARTICLES if lang != PROJECT.default_language])
def test_bilingual_handout_is_one_tagged_document_whose_english_half_says_it_is_english(built_handouts, slug, lang):
    pdf_path = built_handouts / lang / f"{slug}.bilingual.pdf"
    assert accessible_pdf.problems(pdf_path) == []
    with pikepdf.open(pdf_path) as pdf:
        assert str(pdf.Root.Lang) == lang
        languages, pending = set(), [pdf.Root.StructTreeRoot]
        while pending:
            element = pending.pop()
            if isinstance(element, Dictionary):
                if "/Lang" in element:
                    languages.add(str(element.Lang))
                kids = element.get("/K")
                pending.extend(kids if isinstance(kids, Array) else [kids] if kids is not None else [])
        assert PROJECT.default_language in languages
        assert pdf.open_metadata()["pdfuaid:part"] == "1"
