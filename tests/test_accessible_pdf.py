"""PDF/UA basics: the checks, and finishing, on small PDFs made to break one thing at a time."""

from __future__ import annotations

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from careleaf import accessible_pdf
from careleaf.accessible_pdf import Finishing

EPOCH = 1_767_225_600  # 2026-01-01 00:00:00 UTC


def annotations(pdf: pikepdf.Pdf):
    return [annotation for page in pdf.pages for annotation in page.get("/Annots", [])]


# ---------------------------------------------------------------------------
# The checks themselves, on small PDFs made to break one thing at a time
# ---------------------------------------------------------------------------

MARKED_TEXT = b"BT /F1 12 Tf 72 720 Td /Link <</MCID 0>> BDC (H) Tj EMC ET"


def small_pdf(path, content: bytes = MARKED_TEXT, uri: str = "https://care.example.org/", contents: str | None = "H",
              font: str = "Type3", break_: str = ""):
    """A one-page tagged PDF with one link: clean unless `break_` names what to leave out."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    page = pdf.pages[0]
    if font == "Type3":
        glyph = pdf.make_stream(b"500 0 0 0 500 700 d1 0 0 500 700 re f")
        font_dict = Dictionary(Type=Name.Font, Subtype=Name.Type3, FontBBox=[0, 0, 500, 700],
                               FontMatrix=[0.001, 0, 0, 0.001, 0, 0], CharProcs=Dictionary(H=glyph),
                               Encoding=Dictionary(Type=Name.Encoding, Differences=[72, Name.H]),
                               FirstChar=72, LastChar=72, Widths=[500], Resources=Dictionary())
    else:  # a standard font named but not embedded
        font_dict = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    page.Resources = Dictionary(Font=Dictionary(F1=pdf.make_indirect(font_dict)))
    page.Contents = pdf.make_stream(content)
    link = pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[72, 710, 90, 730], StructParent=0,
                                        A=Dictionary(S=Name.URI, URI=pikepdf.String(uri))))
    if contents is not None:
        link.Contents = pikepdf.String(contents)
    page.Annots = Array([link])
    page.StructParents = 1
    element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Link, Pg=page.obj,
                                           K=Array([0, Dictionary(Type=Name.OBJR, Obj=link, Pg=page.obj)])))
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


@pytest.mark.parametrize("kwargs,expected", [
    ({"content": b"BT /F1 12 Tf 72 720 Td (H) Tj ET"}, "page 1: drawn outside marked content: 1 Tj"),
    ({"content": MARKED_TEXT + b" BT /F1 12 Tf 72 700 Td [(H)] TJ ET q /Im0 Do Q"},
     "page 1: drawn outside marked content: 1 Do, 1 TJ"),
    ({"contents": None}, "page 1: a link (https://care.example.org/) has no description (/Contents)"),
    ({"contents": "   "}, "page 1: a link (https://care.example.org/) has no description (/Contents)"),
    ({"uri": "file:///home/editor/notes.html"}, "page 1: a link points to a local file: file:///home/editor/notes.html"),
    ({"font": "Type1"}, "page 1: font /Helvetica is not embedded"),
    ({"break_": "tags"}, "not tagged: no /MarkInfo /Marked true with a /StructTreeRoot"),
    ({"break_": "lang"}, "no document language (/Lang in the catalog)"),
    ({"break_": "title"}, "no /Title in the document information"),
    ({"break_": "outline"}, "no outline (bookmarks)"),
])
def test_each_broken_basic_is_reported(tmp_path, kwargs, expected):
    assert expected in accessible_pdf.problems(small_pdf(tmp_path / "broken.pdf", **kwargs))


def test_finish_publishes_site_links_describes_them_and_claims_pdf_ua_only_when_clean(tmp_path):
    site = tmp_path / "site"
    finishing = Finishing("A handout – Hospital", "es", EPOCH, site, "https://care.example.org/", ("A handout",))
    inside = small_pdf(tmp_path / "inside.pdf", uri=f"{site.as_uri()}/es/muscle-spasm/index.html#red-flags", contents=None)
    assert accessible_pdf.finish(inside, finishing) == []
    with pikepdf.open(inside) as pdf:
        [link] = annotations(pdf)
        assert link.A.URI == "https://care.example.org/es/muscle-spasm/#red-flags"
        assert link.Contents == "H"  # the text drawn under the link's marked content
        assert pdf.Root.Lang == "es" and pdf.pages[0].Tabs == Name.S
        assert pdf.open_metadata()["pdfuaid:part"] == "1"
    outside = small_pdf(tmp_path / "outside.pdf", uri="file:///elsewhere/page.html")
    assert accessible_pdf.finish(outside, finishing) == ["page 1: a link points to a local file: file:///elsewhere/page.html"]
    with pikepdf.open(outside) as pdf:
        assert "pdfuaid:part" not in pdf.open_metadata()


def test_finish_describes_a_phone_link_without_text_by_its_number(tmp_path):
    pdf = small_pdf(tmp_path / "tel.pdf", content=b"BT /F1 12 Tf 72 720 Td /P <</MCID 1>> BDC (H) Tj EMC ET",
                    uri="tel:18005550142", contents=None)
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
