"""Handout PDFs finished for assistive technology, and rebuilt byte for byte from the same commit.

Chromium prints a tagged PDF (a structure tree, every drawn glyph in marked content, /Lang from
`<html lang>`) with an outline when asked. finish() then gives each handout what Chromium leaves
out or gets wrong: what PDF/UA-1 needs of the tagging (pdf_tagging: decoration as artifacts, role
map, list bodies, real Unicode for every glyph, right-to-left words that extract in reading order),
the document title shown by viewers, the outline's titles as the page's headings read them
(Chromium's come out in visual order for Arabic, and lose spaces at inline elements in English), a
description (/Contents) on every link, public addresses instead of file:// links, fixed dates and
a content-derived /ID, and XMP metadata.

problems() is Careleaf's own quick check (tagged, /Lang, a displayed title, nothing drawn outside
marked content, a described link, no local link, an outline, embedded fonts). The PDF/UA-1 claim
(pdfuaid:part 1 in the XMP) is judged by veraPDF, the reference validator, on the whole standard:
judge() keeps it only on files veraPDF passes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pikepdf
from pikepdf.models.metadata import encode_pdf_date

from careleaf.model.languages import is_right_to_left
from careleaf.outputs import pdf_tagging, verapdf
from careleaf.util.files import replaced_atomically

CREATOR = "Careleaf"
NOT_JUDGED = "not checked by veraPDF"

# The text of every heading drawn on paper, in document order, as a sighted reader sees it:
# parts not rendered or clipped to nothing (the .visually-hidden pattern, Material's ¶ headerlink
# hidden in print) are left out. Run after page.emulate_media(media="print").
HEADINGS_SCRIPT = """() => {
  const rendered = (element) => element.checkVisibility({ visibilityProperty: true });
  const clippedAway = (element) => {
    const style = getComputedStyle(element);
    return style.position === "absolute"
      && (style.clip === "rect(0px, 0px, 0px, 0px)" || (element.offsetWidth <= 1 && element.offsetHeight <= 1));
  };
  const seenText = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.data;
    if (node.nodeType !== Node.ELEMENT_NODE || !rendered(node) || clippedAway(node)) return "";
    return Array.from(node.childNodes, seenText).join("");
  };
  return Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6"))
    .filter(rendered)
    .map((heading) => seenText(heading).replace(/\\s+/g, " ").trim());
}"""


@dataclass(frozen=True)
class Finishing:
    title: str  # the document title, e.g. "Muscle spasm – Riverside Community Hospital"
    lang: str  # BCP 47
    epoch: int | None  # SOURCE_DATE_EPOCH seconds; None: the PDF carries no dates at all
    site_dir: Path  # the built site the page was printed from
    site_url: str  # the site's public address, e.g. "https://care.example.org/"
    headings: tuple[str, ...]  # from HEADINGS_SCRIPT


def finish(pdf: Path, finishing: Finishing) -> list[str]:
    """Rewrite a Chromium-printed PDF in place (atomically); the problems() it still has."""
    with pikepdf.open(pdf) as document:
        pdf_tagging.repair(document)
        _retitle_outline(document, finishing.headings, pdf)
        _publish_links(document, finishing.site_dir, finishing.site_url)
        _describe_links(document)
        _set_document_info(document, finishing)
        remaining = _problems(document)
        # Claimed for veraPDF to judge (PDF/UA-1 requires the claim); judge() withdraws it if veraPDF fails the file.
        _write_metadata(document, finishing, conforms=not remaining)
        _save(document, pdf)
    return remaining


def judge(pdfs: list[Path]) -> dict[Path, list[str]]:
    """veraPDF's PDF/UA-1 verdict on finished PDFs: what it failed, per file (nothing: passed).

    A file veraPDF fails, or cannot judge (the reason is its one problem), claims no PDF/UA."""
    if not pdfs:
        return {}
    try:
        # A file veraPDF could not read is not judged: asked again next time.
        verdicts = {
            path: [f"{NOT_JUDGED} ({verdict.error}): it claims no PDF/UA"] if verdict.error else verdict.problems()
            for path, verdict in verapdf.validate(pdfs).items()
        }
    except verapdf.VeraPdfMissing as missing:
        verdicts = {path: [f"{NOT_JUDGED} ({missing}): it claims no PDF/UA"] for path in pdfs}
    for path, failed in verdicts.items():
        if failed:
            withdraw_claim(path)
    return verdicts


def withdraw_claim(pdf: Path) -> None:
    """Remove the PDF/UA-1 claim from a PDF's XMP, leaving everything else as it was."""
    with pikepdf.open(pdf) as document:
        with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
            if "pdfuaid:part" in metadata:
                del metadata["pdfuaid:part"]
        _save(document, pdf)


def claims_pdf_ua(pdf: Path) -> bool:
    with pikepdf.open(pdf) as document:
        return document.open_metadata().get("pdfuaid:part") == "1"


def _save(document: pikepdf.Pdf, pdf: Path) -> None:
    """Write a PDF over `pdf` atomically, with an ID derived from its content."""
    with replaced_atomically(pdf) as temporary:  # a handout is published: readable by the web server
        document.save(temporary, deterministic_id=True)


def problems(pdf: Path) -> list[str]:
    """What keeps a PDF from the PDF/UA basics above, one line each (page problems name the page)."""
    with pikepdf.open(pdf) as document:
        return _problems(document)


def type3_fonts(pdf: Path) -> int:
    """How many Type 3 fonts (glyphs drawn as PDF procedures, no real font) the PDF holds."""
    with pikepdf.open(pdf) as document:
        return sum(1 for font in _fonts(document).values() if font.get("/Subtype") == "/Type3")


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------


def _problems(document: pikepdf.Pdf) -> list[str]:
    root = document.Root
    found = []
    if not (bool(root.get("/MarkInfo", pikepdf.Dictionary()).get("/Marked", False)) and "/StructTreeRoot" in root):
        found.append("not tagged: no /MarkInfo /Marked true with a /StructTreeRoot")
    if not str(root.get("/Lang", "")).strip():
        found.append("no document language (/Lang in the catalog)")
    if not str(document.docinfo.get("/Title", "")).strip():
        found.append("no /Title in the document information")
    if root.get("/ViewerPreferences", pikepdf.Dictionary()).get("/DisplayDocTitle") is not True:
        found.append("viewers show the file name, not the title (/DisplayDocTitle is not true)")
    if "/First" not in root.get("/Outlines", pikepdf.Dictionary()):
        found.append("no outline (bookmarks)")
    for number, page in enumerate(document.pages, start=1):
        unmarked = _read_page(page).unmarked
        if unmarked:
            counts = ", ".join(f"{count} {operator}" for operator, count in sorted(unmarked.items()))
            found.append(f"page {number}: drawn outside marked content: {counts}")
        for annotation in page.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            uri = _uri(annotation)
            target = f" ({uri})" if uri else ""
            if not str(annotation.get("/Contents", "")).strip():
                found.append(f"page {number}: a link{target} has no description (/Contents)")
            if uri.startswith("file:"):
                found.append(f"page {number}: a link points to a local file: {uri}")
    for (number, name), font in _fonts(document).items():
        if not _embedded(font):
            found.append(f"page {number}: font {font.get('/BaseFont', name)} is not embedded")
    return found


def _fonts(document: pikepdf.Pdf) -> dict[tuple[int, str], pikepdf.Object]:
    """Every font the pages use, once each, keyed by the first page and resource name using it."""
    fonts: dict[tuple[int, str], pikepdf.Object] = {}
    seen: set[tuple[int, int] | int] = set()
    for number, page in enumerate(document.pages, start=1):
        for name, font in page.get("/Resources", pikepdf.Dictionary()).get("/Font", pikepdf.Dictionary()).items():
            key = font.objgen if font.is_indirect else id(font)
            if key not in seen:
                seen.add(key)
                fonts[(number, name)] = font
    return fonts


def _embedded(font: pikepdf.Object) -> bool:
    # Type 3 fonts carry their glyphs as drawing procedures: nothing to embed.
    if font.get("/Subtype") == "/Type3":
        return True
    owner = font.DescendantFonts[0] if "/DescendantFonts" in font else font
    descriptor = owner.get("/FontDescriptor", pikepdf.Dictionary())
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


# ---------------------------------------------------------------------------
# Reading a page's content stream: text per marked-content id, and what is drawn unmarked
# ---------------------------------------------------------------------------


@dataclass
class _Drawn:
    mcid: int | None
    x: float  # where the show string starts, in page space
    y: float
    units: list[str]  # the characters drawn, one unit per glyph (or per /ActualText span), as drawn


@dataclass
class _PageReading:
    drawn: list[_Drawn]
    unmarked: Counter


_TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
_OPERATORS = "q Q cm BT Tm Td TD T* TL Tf Tj TJ ' \" BDC BMC EMC Do"


def _read_page(page: pikepdf.Page) -> _PageReading:
    """Where each show string starts, what it says and under which MCID; what is drawn unmarked."""
    fonts = page.get("/Resources", pikepdf.Dictionary()).get("/Font", pikepdf.Dictionary())
    properties = page.get("/Resources", pikepdf.Dictionary()).get("/Properties", pikepdf.Dictionary())
    decoders: dict[str, tuple[int, Mapping[int, str]]] = {}
    reading = _PageReading([], Counter())
    marks: list[tuple[int | None, str | None]] = []  # open marked content: (MCID, /ActualText)
    actual_text_shown: set[int] = set()  # depths of /ActualText spans whose text was taken already
    reversed_at: set[int] = set()  # depths of open /ReversedChars sequences
    identity: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    ctm, saved, line = identity, [], identity  # line: the text line matrix, where the next string starts
    leading = 0.0
    decoder: tuple[int, Mapping[int, str]] = (1, {})
    for instruction in pikepdf.parse_content_stream(page, _OPERATORS):
        operands, operator = instruction.operands, str(instruction.operator)
        if operator == "q":
            saved.append(ctm)
        elif operator == "Q":
            ctm = saved.pop() if saved else ctm
        elif operator == "cm":
            ctm = _multiply(tuple(map(float, operands)), ctm)
        elif operator == "BT":
            line = identity
        elif operator == "Tm":
            line = tuple(map(float, operands))
        elif operator in ("Td", "TD"):
            if operator == "TD":
                leading = -float(operands[1])
            line = _multiply((1.0, 0.0, 0.0, 1.0, float(operands[0]), float(operands[1])), line)
        elif operator == "TL":
            leading = float(operands[0])
        elif operator in ("T*", "'", '"'):
            line = _multiply((1.0, 0.0, 0.0, 1.0, 0.0, -leading), line)
        elif operator == "Tf":
            name = str(operands[0])
            if name not in decoders:
                decoders[name] = pdf_tagging.decoder(fonts.get(name))
            decoder = decoders[name]
        elif operator in ("BDC", "BMC"):
            listed = operands[1] if operator == "BDC" else None
            if isinstance(listed, pikepdf.Name):
                listed = properties.get(listed)
            listed = listed if isinstance(listed, pikepdf.Dictionary) else pikepdf.Dictionary()
            mcid = int(listed["/MCID"]) if "/MCID" in listed else None
            actual = str(listed["/ActualText"]) if "/ActualText" in listed else None
            marks.append((mcid, actual))
            if operator == "BMC" and operands[0] == pikepdf.Name.ReversedChars:
                reversed_at.add(len(marks))
        elif operator == "EMC":
            actual_text_shown.discard(len(marks))
            reversed_at.discard(len(marks))
            if marks:
                marks.pop()
        if operator in _TEXT_SHOWING or operator == "Do":
            if not marks:
                reading.unmarked[operator] += 1
        if operator in _TEXT_SHOWING:
            units = pdf_tagging.show_operand_text(operands[-1], decoder)
            # Inside an /ActualText span the span's text stands for all its glyphs, given once
            # (inside /ReversedChars its characters run in drawing order, like the glyphs').
            spans = [depth for depth, (_, actual) in enumerate(marks, start=1) if actual is not None]
            if spans:
                actual = marks[spans[-1] - 1][1]
                assert actual is not None  # spans are the depths whose /ActualText is set
                if spans[-1] in actual_text_shown:
                    units = []
                elif reversed_at:
                    units = pdf_tagging.visual_units(actual)
                else:
                    units = [actual]
                actual_text_shown.add(spans[-1])
            mcid = next((mcid for mcid, _ in reversed(marks) if mcid is not None), None)
            x, y = _apply(ctm, line[4], line[5])
            reading.drawn.append(_Drawn(mcid, x, y, units))
    return reading


def _multiply(first: tuple, second: tuple) -> tuple:
    """The PDF matrix product first × second (apply first, then second)."""
    a, b, c, d, e, f = first
    p, q, r, s, t, u = second
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _apply(matrix: tuple, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


# ---------------------------------------------------------------------------
# Right-to-left text drawn in visual order, back in reading order (UAX #9, implicit levels)
# ---------------------------------------------------------------------------

_NEUTRAL = {"B", "S", "WS", "ON", "BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


def _reading_order(visual: list[str], right_to_left: bool) -> str:
    """One line's units as drawn left to right, in reading order.

    The Unicode bidi algorithm's reordering (rule L2) for one line without explicit embeddings
    is its own inverse, so resolving levels on the visual sequence and reordering gives back the
    logical text. Lines with no right-to-left letter are returned as drawn.
    """
    units: list[str] = []
    for unit in visual:
        # A mark drawn after its base belongs to it (HarfBuzz keeps a cluster's glyphs in order).
        if units and all(unicodedata.combining(character) for character in unit):
            units[-1] += unit
        else:
            units.append(unit)
    types = [unicodedata.bidirectional(unit[0]) or "ON" for unit in units]
    if not any(kind in ("R", "AL") for kind in types):
        return "".join(units)
    base = "R" if right_to_left else "L"
    count = len(types)
    # What precedes a character in reading order lies to its right in a right-to-left line.
    step = 1 if right_to_left else -1

    def preceding_strong(index: int) -> str:
        index += step
        while 0 <= index < count:
            if types[index] in ("L", "R", "AL"):
                return types[index]
            index += step
        return base

    types = ["ON" if kind == "NSM" else kind for kind in types]
    types = [
        "AN" if kind == "EN" and preceding_strong(index) == "AL" else kind for index, kind in enumerate(types)
    ]  # W2
    types = ["R" if kind == "AL" else kind for kind in types]  # W3
    for index in range(1, count - 1):  # W4: one separator between two numbers joins them
        if types[index] in ("ES", "CS") and types[index - 1] == types[index + 1] == "EN":
            types[index] = "EN"
        elif types[index] == "CS" and types[index - 1] == types[index + 1] == "AN":
            types[index] = "AN"
    for index in range(count):  # W5: terminators (%, °, $) next to a number belong to it
        if types[index] == "ET":
            end = index
            while end < count and types[end] == "ET":
                end += 1
            if (index > 0 and types[index - 1] == "EN") or (end < count and types[end] == "EN"):
                types[index:end] = ["EN"] * (end - index)
    types = ["ON" if kind in ("ES", "ET", "CS") else kind for kind in types]  # W6
    types = ["L" if kind == "EN" and preceding_strong(index) == "L" else kind for index, kind in enumerate(types)]  # W7
    direction = ["R" if kind in ("EN", "AN") else kind for kind in types]
    index = 0
    while index < count:  # N1, N2: neutrals take the direction around them, else the line's
        if types[index] not in _NEUTRAL:
            index += 1
            continue
        end = index
        while end < count and types[end] in _NEUTRAL:
            end += 1
        before = direction[index - 1] if index > 0 else base
        after = direction[end] if end < count else base
        types[index:end] = [before if before == after else base] * (end - index)
        index = end
    if right_to_left:
        levels = [2 if kind in ("L", "EN", "AN") else 1 for kind in types]
    else:
        levels = [1 if kind == "R" else 2 if kind in ("EN", "AN") else 0 for kind in types]
    for level in range(max(levels), 0, -1):  # L2: reverse every run at this level or higher
        index = 0
        while index < count:
            if levels[index] < level:
                index += 1
                continue
            end = index
            while end < count and levels[end] >= level:
                end += 1
            units[index:end] = units[index:end][::-1]
            levels[index:end] = levels[index:end][::-1]
            index = end
    return "".join(units)


# ---------------------------------------------------------------------------
# Links: public addresses and descriptions
# ---------------------------------------------------------------------------


def _uri(annotation: pikepdf.Object) -> str:
    action = annotation.get("/A", pikepdf.Dictionary())
    return str(action.get("/URI", "")) if action.get("/S") == "/URI" else ""


def _publish_links(document: pikepdf.Pdf, site_dir: Path, site_url: str) -> None:
    """file:// links into the printed site become the site's public addresses."""
    if not site_url:
        return  # no public address to give: problems() reports the local links
    roots = {str(site_dir).rstrip("/"), str(site_dir.resolve()).rstrip("/")}
    base = site_url if site_url.endswith("/") else f"{site_url}/"
    for page in document.pages:
        for annotation in page.get("/Annots", []):
            uri = _uri(annotation)
            if not uri.startswith("file:"):
                continue
            parts = urlsplit(uri)
            local = unquote(parts.path)
            root = next((root for root in roots if local == root or local.startswith(f"{root}/")), None)
            if root is None:
                continue  # a local file outside the site: problems() reports it
            relative = local[len(root) :].lstrip("/")
            if relative == "index.html" or relative.endswith("/index.html"):
                relative = relative[: -len("index.html")]
            public = base + quote(relative, safe="/")
            if parts.query:
                public += f"?{parts.query}"
            if parts.fragment:
                public += f"#{parts.fragment}"
            annotation.A.URI = pikepdf.String(public)


@dataclass
class _Link:
    annotations: list[pikepdf.Object]
    marked: list[tuple[pikepdf.Object, int]]  # (page, MCID) of the link's text, in structure order
    alternative: str  # the structure element's /Alt, if any
    lang: str


def _links(document: pikepdf.Pdf) -> list[_Link]:
    """Every /Link structure element: its annotations, the marked content of its text, its language."""
    tree = document.Root.get("/StructTreeRoot")
    if tree is None:
        return []
    found: list[_Link] = []
    seen: set[tuple[int, int]] = set()

    def visit(element, page, lang: str, link: _Link | None) -> None:
        if isinstance(element, int):
            if link is not None and page is not None:
                link.marked.append((page, int(element)))
            return
        if isinstance(element, pikepdf.Array):
            for kid in element:
                visit(kid, page, lang, link)
            return
        if not isinstance(element, pikepdf.Dictionary):
            return
        if element.is_indirect:
            if element.objgen in seen:
                return
            seen.add(element.objgen)
        page = element.get("/Pg", page)
        kind = element.get("/Type")
        if kind == "/OBJR":
            if link is not None and "/Obj" in element:
                link.annotations.append(element.Obj)
            return
        if kind == "/MCR":
            if link is not None and "/MCID" in element:
                link.marked.append((element.get("/Pg", page), int(element.MCID)))
            return
        lang = str(element.get("/Lang", lang))
        if element.get("/S") == "/Link" and link is None:
            link = _Link([], [], str(element.get("/Alt", "")), lang)
            found.append(link)
        if "/K" in element:
            visit(element.K, page, lang, link)

    visit(tree.get("/K"), None, str(document.Root.get("/Lang", "")), None)
    return found


def _describe_links(document: pikepdf.Pdf) -> None:
    """Every link annotation gets /Contents: its text, else its /Alt, else (tel:) the number."""
    pages = {page.obj.objgen: number for number, page in enumerate(document.pages)}
    readings: dict[int, dict[int | None, list[_Drawn]]] = {}

    def drawn(number: int, mcid: int) -> list[_Drawn]:
        if number not in readings:
            by_mcid: dict[int | None, list[_Drawn]] = {}
            for piece in _read_page(document.pages[number]).drawn:
                by_mcid.setdefault(piece.mcid, []).append(piece)
            readings[number] = by_mcid
        return readings[number].get(mcid, [])

    described = set()
    for link in _links(document):
        pieces = []
        for page, mcid in link.marked:
            number = pages.get(page.objgen) if isinstance(page, pikepdf.Dictionary) else None
            if number is not None:
                pieces += [(number, piece) for piece in drawn(number, mcid)]
        text = _text_of(pieces, is_right_to_left(link.lang)) or link.alternative.strip()
        for annotation in link.annotations:
            description = text or _telephone_number(_uri(annotation))
            if description:
                annotation.Contents = pikepdf.String(description)
                described.add(annotation.objgen)
    for pdf_page in document.pages:
        annotations = pdf_page.obj.get("/Annots", pikepdf.Array())
        if len(annotations):
            pdf_page.obj.Tabs = pikepdf.Name.S  # tab through annotations in structure order
        for annotation in annotations:
            if annotation.get("/Subtype") == "/Link" and annotation.objgen not in described:
                telephone = _telephone_number(_uri(annotation))
                if telephone:
                    annotation.Contents = pikepdf.String(telephone)


def _telephone_number(uri: str) -> str:
    return unquote(uri[len("tel:") :]) if uri.startswith("tel:") else ""


def _text_of(pieces: list[tuple[int, _Drawn]], right_to_left: bool) -> str:
    """The words a link's marked content draws: line by line, top to bottom, in reading order."""
    lines: list[list[tuple[int, _Drawn]]] = []
    for number, piece in sorted(pieces, key=lambda item: (item[0], -item[1].y)):
        # Pieces on one baseline (within 3 pt: marks sit a little higher) form one line.
        if lines and lines[-1][0][0] == number and abs(lines[-1][0][1].y - piece.y) <= 3:
            lines[-1].append((number, piece))
        else:
            lines.append([(number, piece)])
    text = ""
    for line in lines:
        units = [unit for _, piece in sorted(line, key=lambda item: item[1].x) for unit in piece.units]
        words = " ".join(_reading_order(units, right_to_left).split())
        if text and words and not (_is_wide(text[-1]) and _is_wide(words[0])):
            text += " "
        text += words
    return unicodedata.normalize("NFC", _compose_presentation_forms(text)).strip()


def _is_wide(character: str) -> bool:
    # Chinese and Japanese lines break without a space between them.
    return unicodedata.east_asian_width(character) in ("W", "F")


def _compose_presentation_forms(text: str) -> str:
    # Arabic presentation forms (a glyph's shape) read as the letters they are.
    return re.sub(r"[\uFB50-\uFDFF\uFE70-\uFEFF]", lambda match: unicodedata.normalize("NFKC", match.group()), text)


# ---------------------------------------------------------------------------
# Outline, title, language, dates, metadata
# ---------------------------------------------------------------------------


def _retitle_outline(document: pikepdf.Pdf, headings: tuple[str, ...], pdf: Path) -> None:
    """Each outline item, depth first, takes the page's heading text in document order."""
    items = []
    pending = [document.Root.get("/Outlines", pikepdf.Dictionary()).get("/First")]
    while pending:
        item = pending.pop()
        if item is None:
            continue
        items.append(item)
        pending.append(item.get("/Next"))
        pending.append(item.get("/First"))  # children before the next sibling
    if len(items) != len(headings):
        raise ValueError(
            f"{pdf}: the outline has {len(items)} entries but the page has {len(headings)} headings: "
            "was another page printed?"
        )
    for item, heading in zip(items, headings, strict=True):
        item.Title = pikepdf.String(heading)


def _when(finishing: Finishing) -> dt.datetime | None:
    return None if finishing.epoch is None else dt.datetime.fromtimestamp(finishing.epoch, dt.UTC)


def _set_document_info(document: pikepdf.Pdf, finishing: Finishing) -> None:
    """Catalog and document information: title shown by viewers, language, dates, creator."""
    root = document.Root
    root.Lang = pikepdf.String(finishing.lang)
    if "/ViewerPreferences" not in root:
        root.ViewerPreferences = pikepdf.Dictionary()
    root.ViewerPreferences.DisplayDocTitle = True
    info = document.docinfo
    info.Title = pikepdf.String(finishing.title)
    info.Creator = pikepdf.String(CREATOR)
    when = _when(finishing)
    for key in ("/CreationDate", "/ModDate"):
        if when is None:
            if key in info:
                del info[key]
        else:
            info[key] = pikepdf.String(encode_pdf_date(when))


def _write_metadata(document: pikepdf.Pdf, finishing: Finishing, conforms: bool) -> None:
    """XMP as the document information says, and the PDF/UA-1 claim when the checks pass."""
    when = _when(finishing)
    producer = str(document.docinfo.get("/Producer", ""))
    # Not pikepdf as editor: that would stamp the time of finishing into the metadata.
    with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
        metadata["dc:title"] = finishing.title
        metadata["dc:language"] = {finishing.lang}
        metadata["xmp:CreatorTool"] = CREATOR
        if producer:
            metadata["pdf:Producer"] = producer
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            if when is None:
                if key in metadata:
                    del metadata[key]
            else:
                metadata[key] = when.isoformat()
        if conforms:
            metadata["pdfuaid:part"] = "1"
        elif "pdfuaid:part" in metadata:
            del metadata["pdfuaid:part"]
