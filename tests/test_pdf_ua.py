"""Handouts judged by the field's reference validator: veraPDF's PDF/UA-1 profile, and Poppler's text extraction."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata

import pikepdf
import pytest
from bs4 import BeautifulSoup
from pikepdf import Array, Dictionary, Name

from careleaf.outputs import accessible_pdf, pdf_tagging, verapdf
from test_build import LANGUAGES, SLUGS, page_path

pytestmark = pytest.mark.build


def break_role_map(source, target):
    """A copy of a handout veraPDF must fail: its PDF 2.0 structure types (Strong, Aside) lose their role map."""
    shutil.copy(source, target)
    with pikepdf.open(target, allow_overwriting_input=True) as pdf:
        del pdf.Root.StructTreeRoot["/RoleMap"]
        pdf.save(target)
    return target


# ---------------------------------------------------------------------------
# veraPDF on every handout
# ---------------------------------------------------------------------------


def test_verapdf_passes_every_handout_and_each_claims_pdf_ua(built_handouts, tmp_path):
    handouts = sorted(built_handouts.rglob("*.pdf"))
    # 5 articles × 5 languages × (clear, large print) + 5 × 4 bilingual.
    assert len(handouts) == len(SLUGS) * len(LANGUAGES) * 2 + len(SLUGS) * (len(LANGUAGES) - 1)
    known_bad = break_role_map(built_handouts / "en" / "muscle-spasm.pdf", tmp_path / "known-bad.pdf")
    verdicts = verapdf.validate([*handouts, known_bad])
    assert not verdicts[known_bad].passed
    assert "7.1-5" in {failure.rule for failure in verdicts[known_bad].failures}
    failed = {
        str(path.relative_to(built_handouts)): verdicts[path].problems()
        for path in handouts
        if not verdicts[path].passed
    }
    assert failed == {}
    assert all(verdicts[path].checks > 1000 for path in handouts)
    assert [path.name for path in handouts if not accessible_pdf.claims_pdf_ua(path)] == []


def test_a_handout_verapdf_fails_claims_nothing_and_says_why(built_handouts, tmp_path):
    broken = break_role_map(built_handouts / "es" / "finger-dislocation.pdf", tmp_path / "broken.pdf")
    assert accessible_pdf.claims_pdf_ua(broken)
    problems = accessible_pdf.judge([broken])[broken]
    assert any(problem.startswith("veraPDF PDF/UA-1 7.1-5 (") for problem in problems), problems
    assert not accessible_pdf.claims_pdf_ua(broken)


def test_without_verapdf_a_handout_claims_nothing_and_the_build_is_told(built_handouts, tmp_path, monkeypatch):
    pdf = tmp_path / "unjudged.pdf"
    shutil.copy(built_handouts / "vi" / "muscle-spasm.pdf", pdf)

    def missing() -> str:
        raise verapdf.VeraPdfMissing("no java on PATH: run scripts/setup.sh (Debian: default-jdk-headless)")

    monkeypatch.setattr(verapdf, "classpath", missing)
    assert accessible_pdf.judge([pdf])[pdf] == [
        "not checked by veraPDF (no java on PATH: run scripts/setup.sh (Debian: default-jdk-headless)): it claims no PDF/UA"
    ]
    assert not accessible_pdf.claims_pdf_ua(pdf)


def test_a_verdict_is_cached_with_the_handout_and_a_file_not_judged_is_asked_again(
    built_handouts, tmp_path, monkeypatch
):
    from careleaf.outputs import handouts

    target = tmp_path / "site" / "handouts" / "en" / "finger-dislocation.pdf"
    target.parent.mkdir(parents=True)
    job = handouts.Job("finger-dislocation", "en", handouts.CLEAR, (), target, "Finger dislocation")
    cache = handouts.PrintCache(tmp_path / "cache", settings="test")
    finished = built_handouts / "en" / "finger-dislocation.pdf"

    def finish_from_the_build() -> handouts.Result:
        shutil.copy(finished, target)
        cache._unjudged[target] = cache._unjudged.get(target) or {"pdf": "", "problems": []}
        return handouts.Result(job, 1, 0.0, False, [])

    calls = []
    real_validate = verapdf.validate
    # No Java: nothing is judged, the claim goes, and the cache keeps the file unjudged.
    monkeypatch.setattr(verapdf, "available", lambda: False)
    monkeypatch.setattr(verapdf, "classpath", lambda: (_ for _ in ()).throw(verapdf.VeraPdfMissing("no java on PATH")))
    result = finish_from_the_build()
    cache.judge([result])
    assert result.problems == ["not checked by veraPDF (no java on PATH): it claims no PDF/UA"]
    assert not accessible_pdf.claims_pdf_ua(target) and not cache._unjudged[target].get("judged")
    # veraPDF back: judged once, passed, claimed; the next build asks veraPDF nothing.
    monkeypatch.undo()
    monkeypatch.setattr(verapdf, "validate", lambda pdfs: calls.append(list(pdfs)) or real_validate(pdfs))
    result = finish_from_the_build()
    cache.judge([result])
    assert result.problems == [] and accessible_pdf.claims_pdf_ua(target) and cache._unjudged[target]["judged"]
    result = finish_from_the_build()
    cache.judge([result])
    assert calls == [[target]] and result.problems == []


def test_the_driver_output_is_read_rule_by_rule():
    output = (
        "FILE\ta.pdf\tfail\t120\nRULE\t7.1-3\t12\tContent shall be marked as Artifact\troot/page[0]\n"
        "FILE\tb.pdf\tpass\t99\nFILE\tc.pdf\terror\t0\nERROR\tjava.io.IOException: bad xref\n"
    )
    verdicts = dict(verapdf.parse(output))
    assert verdicts["a.pdf"].problems() == ["veraPDF PDF/UA-1 7.1-3 (12×): Content shall be marked as Artifact"]
    assert verdicts["b.pdf"].passed and verdicts["b.pdf"].checks == 99
    assert verdicts["c.pdf"].problems() == ["veraPDF could not read it: java.io.IOException: bad xref"]


# ---------------------------------------------------------------------------
# Text extraction: what search, copy and many assistive tools get
# ---------------------------------------------------------------------------

WORDS = {
    # Arabic letters with their marks; Vietnamese words; Chinese runs (compared as substrings).
    "ar": r"[\u0621-\u064A\u064B-\u065F\u0670-\u06D3]+",
    "vi": r"[^\W\d_]+",
    "zh": r"[\u4e00-\u9fff]+",
}


def words_found(pdf, page_html, lang) -> tuple[int, list[str]]:
    extracted = unicodedata.normalize(
        "NFKC",
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout,
    )
    page = unicodedata.normalize("NFKC", BeautifulSoup(page_html, "html.parser").get_text(" "))
    words = re.findall(WORDS[lang], extracted)
    if lang == "zh":
        flat = re.sub(r"\s+", "", page)
        missing = [word for word in words if word not in flat]
    else:
        known = set(re.findall(WORDS[lang], page))
        missing = [word for word in words if word not in known]
    return len(words), missing


# The article's own text as printed: its paragraphs, list items and red-flag signs (not the screen-only jump link).
PRINTED_TEXT = "article > p:not(.careleaf-jump), article > ul > li, article > ol > li, article .red-flags li"


def printed_words(page_html: str, lang: str) -> list[str]:
    page = BeautifulSoup(page_html, "html.parser")
    return re.findall(
        WORDS[lang],
        unicodedata.normalize("NFKC", " ".join(element.get_text(" ") for element in page.select(PRINTED_TEXT))),
    )


@pytest.mark.parametrize("kind", ["", ".large-print"])
@pytest.mark.parametrize("lang", ["ar", "zh", "vi"])
@pytest.mark.parametrize("slug", SLUGS)
def test_pdftotext_gives_back_the_words_of_the_page(built_site, built_handouts, slug, lang, kind):
    page_html = (built_site / page_path(lang, slug)).read_text(encoding="utf-8")
    pdf = built_handouts / lang / f"{slug}{kind}.pdf"
    # Every word it gives back is a word of the page (nothing garbled, nothing run together)...
    total, missing = words_found(pdf, page_html, lang)
    assert total > 200
    assert len(missing) <= total / 100, missing[:20]
    # ...and the page's words are all there (nothing lost).
    extracted = unicodedata.normalize("NFKC", accessible_pdf_text(pdf))
    found = re.sub(r"\s+", "", extracted) if lang == "zh" else set(re.findall(WORDS[lang], extracted))
    lost = [word for word in printed_words(page_html, lang) if word not in found]
    assert lost == []


def test_arabic_ligatures_and_marks_extract_in_reading_order(built_site, built_handouts):
    text = unicodedata.normalize("NFKC", accessible_pdf_text(built_handouts / "ar" / "muscle-spasm.pdf"))
    page = BeautifulSoup(
        (built_site / page_path("ar", "muscle-spasm")).read_text(encoding="utf-8"), "html.parser"
    ).get_text(" ")
    # على (lam with alef maksura: one glyph), الألم (lam-alef with hamza), words with shadda and tanwin.
    for word in ("على", "الألم", "مقدّم", "جدًا"):
        assert word in page and word in text, word


def accessible_pdf_text(pdf) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


# ---------------------------------------------------------------------------
# The repairs, one at a time, on a PDF made here
# ---------------------------------------------------------------------------


def tagged_pdf(content: bytes, kids) -> pikepdf.Pdf:
    """A one-page PDF with one font, the given content and a structure tree under a Document element."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    page.Contents = pdf.make_stream(content)
    page.StructParents = 0
    document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array(kids)))
    for kid in kids:
        kid.P = document
    pdf.Root.StructTreeRoot = Dictionary(
        Type=Name.StructTreeRoot, K=Array([document]), ParentTree=Dictionary(Nums=Array([0, Array(kids)]))
    )
    return pdf


def element(pdf, kind: str, page, kids) -> pikepdf.Dictionary:
    return pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + kind), Pg=page, K=Array(kids)))


def test_unmarked_drawings_become_artifacts_whole():
    pdf = tagged_pdf(b"q 1 0 0 rg 0 0 200 200 re f Q /P <</MCID 0>> BDC EMC 10 10 m 20 20 l S", [])
    pdf_tagging.repair(pdf)
    instructions = [str(operator) for _, operator in pikepdf.parse_content_stream(pdf.pages[0])]
    assert instructions == ["q", "rg", "BMC", "re", "f", "EMC", "Q", "BDC", "EMC", "BMC", "m", "l", "S", "EMC"]
    for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
        if str(operator) == "BMC":
            assert operands == [Name.Artifact]


def test_a_list_item_gets_a_body_and_its_content_keeps_its_parent_entry():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0].obj
    label = element(pdf, "Lbl", page, [0])
    strong = element(pdf, "Strong", page, [1])
    item = element(pdf, "LI", page, [label, strong, 2])
    for kid in (label, strong):
        kid.P = item
    document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array([item])))
    item.P = document
    pdf.pages[0].StructParents = 0
    pdf.Root.StructTreeRoot = Dictionary(
        Type=Name.StructTreeRoot,
        K=Array([document]),
        ParentTree=Dictionary(Nums=Array([0, Array([label, strong, item])])),
    )
    pdf_tagging.repair(pdf)
    kids = list(item.K)
    assert [str(kid.S) for kid in kids] == ["/Lbl", "/LBody"]
    body = kids[1]
    assert body.P.objgen == item.objgen and list(body.K)[0].objgen == strong.objgen and list(body.K)[1] == 2
    assert strong.P.objgen == body.objgen
    parents = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)[0]
    assert [parent.objgen for parent in parents] == [label.objgen, strong.objgen, body.objgen]
    assert dict(pdf.Root.StructTreeRoot.RoleMap) == {"/Strong": Name.Span}


def repaired_spans(content: str, unicode: dict[int, str]) -> tuple[list[str], dict[int, str]]:
    """Repair a one-page PDF drawn with one two-byte font (its ToUnicode `unicode`): the /ActualText of
    each span left on the page, and the font's ToUnicode table after the repair."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    cmap = pdf.make_stream(pdf_tagging._write_cmap(unicode, 2))
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type0, BaseFont=Name.X, ToUnicode=cmap))
    pdf.pages[0].Resources = Dictionary(Font=Dictionary(F1=font))
    pdf.pages[0].Contents = pdf.make_stream(content.encode())
    pdf_tagging.repair(pdf)
    spans = [
        str(operands[1].ActualText)
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[0])
        if str(operator) == "BDC" and "/ActualText" in operands[1]
    ]
    return spans, pdf_tagging.decoder(font)[1]


def test_a_right_to_left_word_is_one_span_in_drawing_order_and_a_null_glyph_gets_its_text():
    # Drawn left to right: alef, then the lam-alef ligature (glyph 2, its text only in the span), a space, alef.
    spans, unicode = repaired_spans(
        "/P <</MCID 0>> BDC BT /F1 12 Tf /ReversedChars BMC <0001> Tj "
        "/Span <</ActualText <FEFF06440627>>> BDC <0002> Tj EMC <0003> Tj <0001> Tj EMC ET EMC",
        {1: "\u0627", 2: "\x00", 3: " "},
    )
    # One word, its characters in the sequence's (reversed) order: reversing it reads "الا".
    assert spans == ["\u0627\u0627\u0644"]
    assert unicode == {1: "\u0627", 2: "\u0644\u0627", 3: " "}


def test_untagged_text_inside_a_span_that_is_no_tag_becomes_an_artifact_whole():
    # Right-to-left text drawn outside the tags (an SVG logo's words) sits in /ReversedChars and a span: no tag.
    pdf = tagged_pdf(
        b"BT /ReversedChars BMC /Span <</ActualText (a)>> BDC (a) Tj EMC EMC ET "
        b"/P <</MCID 0>> BDC /Span <</ActualText (b)>> BDC BT (b) Tj ET EMC EMC",
        [],
    )
    pdf_tagging.repair(pdf)
    instructions = [
        (str(operator), operands[0] if operands else None)
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[0])
    ]
    assert instructions[:3] == [("BT", None), ("BMC", Name.Artifact), ("BMC", Name.ReversedChars)]
    # The tagged paragraph's own span stays as it was, inside its MCID.
    assert [name for operator, name in instructions if operator == "BMC"] == [Name.Artifact, Name.ReversedChars]


def test_a_span_that_draws_nothing_adds_no_text_to_a_word():
    # Chromium's spans for a line cut by a page break: their text is on the next page, no glyph here.
    spans, _ = repaired_spans(
        "/P <</MCID 0>> BDC BT /F1 12 Tf /ReversedChars BMC /Span <</ActualText <FEFF0644>>> BDC 3 0 Td EMC "
        "/Span <</ActualText <FEFF0628>>> BDC <0001> Tj EMC EMC ET EMC",
        {1: "\u0627", 3: " "},
    )
    assert spans == ["\u0628"]
