"""XLIFF 1.2 for translation vendors: export what a language needs, import what the vendor returns.

One `<file>` per English source file (each article, the interface strings, the glossary), one
`<trans-unit>` per block a translator sees (careleaf/model/blocks.py), inline Markdown as `<bpt>`/`<ept>`
/`<ph>` codes (careleaf/model/inline.py). A unit's state says where its translation stands:
`final` (reviewed translation, current), `translated` (current, not reviewed; `leveraged-mt` when
it is a machine draft), `needs-translation` (the English changed since: the old target is kept,
and `<alt-trans>` shows the English it translated), no target (new English).

Only standard XLIFF 1.2 (it validates against the OASIS strict schema): a tool that drops what it
does not know, rewrites the file, or re-indents it loses nothing the import needs. The revisions a
file was exported from travel as its export phase (`<phase>` in the header, `phase-name` on every
unit); what was exported, its units and their states, is recomputed from the repository on import.

Importing is all or nothing: every refusal is found before a file is written, and what would be
written is validated in a copy of the project first.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from careleaf.model import blocks, glossary, inline, locales, reading
from careleaf.model.content import HOME_SLUG, RED_FLAGS_ID, TIER_KINDS, Library, Page, parse_page
from careleaf.model.project import Project
from careleaf.util.git import git

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
_X = f"{{{XLIFF_NS}}}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TOOL_ID = "careleaf"
# The export phase's name holds the English and translation revisions: phase-name is a standard
# attribute of <trans-unit>, kept by tools that drop the header (and with it the <phase>).
_EXPORT_PHASE = re.compile(r"careleaf-export-(?P<source>[0-9a-f]{12}|none)-(?P<translation>[0-9a-f]{12}|none)")

ARTICLE, LOCALES, GLOSSARY = "article", "locales", "glossary"
CURRENT_STATES = {
    "translated",
    "needs-review-translation",
    "needs-review-adaptation",
    "needs-review-l10n",
    "signed-off",
    "final",
}
SIGNED_OFF_STATES = {"signed-off", "final"}
# Inline codes as XLIFF 1.2 writes them: a pair's opening and closing, and a placeholder.
_TAGS = {inline.OPEN: "bpt", inline.CLOSE: "ept", inline.ALONE: "ph"}
_ROLES = {tag: role for role, tag in _TAGS.items()}
# XLIFF 1.2's inline tags written out as words: what a tool leaves when it escapes the tags it read.
_TAG_AS_TEXT = re.compile(r"</?(?:bpt|ept|ph|it|g|x|bx|ex|mrk|sub)(?:\s[^<>]*)?/?>")
# A line break and its indentation before a tag, at a segment's start or end: a tool's pretty-printing
# (a Careleaf segment is one line; a line break among a translation's words is still refused).
_LAYOUT_BEFORE_TAG = re.compile(r"\r?\n[ \t]*\Z")
_LAYOUT_AT_START = re.compile(r"\A\r?\n[ \t]*")
# The one markup a translator may add: marking words in another language (WCAG 3.1.2), nothing else.
_LANGUAGE_SPAN = re.compile(r'<span lang="[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*">')

# What a translator reads beside a unit (English: the vendor's working language with us).
RED_FLAG_NOTE = (
    'Red-flag sign, {tier} tier ("{heading}"). It tells a patient when to get medical help: '
    "keep its meaning exactly, add nothing and leave nothing out. One sign per unit: do not "
    "split or join signs."
)
KIND_NOTES = {
    blocks.TITLE: "Article title.",
    blocks.SUMMARY: "One-sentence summary, shown in lists of articles and search results.",
    blocks.HEADING: "Heading.",
    "term": "Glossary word, exactly as the articles in your language write it.",
    "definition": "Glossary definition, in plain words: shown when a reader taps the word.",
    "string": "Interface string. Keep every {placeholder} code.",
}
FILE_NOTE = (
    "Patient education for {hospital}. Write plain language: short sentences, 'you', actions "
    "first. Keep the tags (inline codes) around the words they mark."
)


class XliffError(Exception):
    """A refusal: one line naming the file and line, nothing written."""


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


@dataclass
class Unit:
    key: str
    kind: str
    source: str
    line: int
    target: str | None = None
    # final, translated, needs-translation, or None for a unit with no translation yet.
    state: str | None = None
    machine: bool = False
    tier: str | None = None
    # The English the kept target translated, when the English changed since.
    previous_source: str | None = None
    placeholders: bool = False

    @property
    def current(self) -> bool:
        return self.state in CURRENT_STATES

    @property
    def needed(self) -> bool:
        return not self.current

    @property
    def red_flag_sign(self) -> bool:
        return self.kind == blocks.SIGN


@dataclass
class Part:
    """One English source file and its translation: an XLIFF <file>."""

    kind: str
    original: str
    target_file: str
    source_revision: str
    translation_revision: str
    units: list[Unit]
    slug: str | None = None
    # Where the translation does not follow the English structure: (line, message).
    warnings: list[tuple[int, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------
# What a language needs: the parts and their units
# ---------------------------------------------------------------------------


def parts(library: Library, lang: str, slugs: Iterable[str] | None = None) -> list[Part]:
    """Every article (or those named) and, unless articles are named, the strings and the glossary."""
    project = library.project
    if lang not in project.translations:
        raise XliffError(f"'{lang}' is not a translation language ({', '.join(project.translations)})")
    names = list(slugs or [])
    # Shared blocks are translated once, each in a <file> of its own (original docs/en/shared/<name>.md).
    known = [HOME_SLUG, *library.slugs, *library.block_slugs]
    unknown = [slug for slug in names if slug not in known]
    if unknown:
        raise XliffError(f"no English article {', '.join(repr(slug) for slug in unknown)} (known: {', '.join(known)})")
    found = [article_part(library, lang, slug) for slug in (names or known)]
    if not names:
        found += [locales_part(project, lang), glossary_part(project, lang)]
    return found


def article_part(library: Library, lang: str, slug: str) -> Part:
    project = library.project
    source, page = library.source(slug), library.get(slug, lang)
    if source is None:
        # Articles and blocks are listed from their English page; the home page is listed whether or not it is there.
        missing = project.relative(project.docs_dir / project.default_language / f"{slug}.md")
        raise XliffError(f"no English page {missing}: there is nothing to translate it from")
    units = [
        Unit(key=block.key, kind=block.kind, source=block.text, line=block.line, tier=block.tier)
        for block in _blocks(source)
    ]
    part = Part(
        kind=ARTICLE,
        original=project.relative(source.path),
        target_file=project.relative(project.docs_dir / lang / f"{slug}.md"),
        source_revision=_file_revision(source.path),
        translation_revision=_file_revision(page.path if page else None),
        units=units,
        slug=slug,
    )
    if page is None or page.read_errors:
        return part
    recorded = page.translation.get("source_revision")
    machine = page.translation_status != "reviewed"
    if recorded == source.source_revision():
        _keep(part, _paired(source, page, part), machine)
        return part
    old = english_at(library, slug, recorded)
    if old is not None and blocks.layout(old).shape == blocks.layout(page).shape:
        _carry(part, _paired(old, page, part), machine)
        return part
    # No earlier English to compare with: the source-revision hashes say which half changed.
    pairs = _paired(source, page, part)
    changed = {
        name
        for name in ("red_flags", "text")
        if not isinstance(recorded, dict) or recorded.get(name) != source.source_revision()[name]
    }
    for unit in part.units:
        if unit.key in pairs:
            half = "red_flags" if _in_red_flag_card(unit) else "text"
            unit.target = pairs[unit.key][1]
            unit.state, unit.machine = (
                ("needs-translation", False) if half in changed else (_current_state(machine), machine)
            )
    return part


def _blocks(page: Page) -> list[blocks.Block]:
    return [*blocks.front_blocks(page), *blocks.layout(page).blocks]


def _in_red_flag_card(unit: Unit) -> bool:
    # The red_flags revision hashes the card, not the section's heading.
    return unit.key.startswith(f"{RED_FLAGS_ID}/") and unit.kind != blocks.HEADING


def _paired(source: Page, page: Page, part: Part) -> dict[str, tuple[str, str]]:
    """key -> (English text, translation text) for the blocks a translation has in the English's places."""
    found = {block.key: block.text for block in blocks.front_blocks(source)}
    pairs = {block.key: (found[block.key], block.text) for block in blocks.front_blocks(page) if block.key in found}
    english, translated = blocks.layout(source), blocks.layout(page)
    if english.shape != translated.shape:
        line = _first_difference(english, translated, page)
        part.warnings.append(
            (
                line,
                "does not follow the English structure from this line: its body is exported "
                "without translations (the vendor translates it afresh)",
            )
        )
        return pairs
    pairs.update((a.key, (a.text, b.text)) for a, b in blocks.pairs(english, translated))
    return pairs


def _first_difference(english: blocks.Layout, translated: blocks.Layout, page: Page) -> int:
    """The line of the translation's last block still in the English's places."""
    matching = [part for part in translated.parts[: english.first_difference(translated)] if isinstance(part, int)]
    return translated.blocks[matching[-1]].line if matching else page.body_line


def _current_state(machine: bool) -> str:
    return "translated" if machine else "final"


def _keep(part: Part, pairs: dict[str, tuple[str, str]], machine: bool) -> None:
    for unit in part.units:
        if unit.key in pairs:
            unit.target, unit.state, unit.machine = pairs[unit.key][1], _current_state(machine), machine


def _carry(part: Part, pairs: dict[str, tuple[str, str]], machine: bool) -> None:
    """Targets of an earlier English: kept as current where the English is the same, for reference where it changed."""
    by_english = {english: target for english, target in pairs.values()}
    sources_now = {unit.source for unit in part.units}
    for unit in part.units:
        earlier = pairs.get(unit.key)
        if earlier is not None and earlier[0] == unit.source or unit.source in by_english:
            # The same English, here or moved: its translation still holds, as a memory would match it.
            unit.target = earlier[1] if earlier is not None and earlier[0] == unit.source else by_english[unit.source]
            unit.state, unit.machine = _current_state(machine), machine
        elif earlier is not None and earlier[0] not in sources_now:
            # The English in this place was rewritten: the old translation is kept for reference.
            unit.target, unit.state, unit.previous_source = earlier[1], "needs-translation", earlier[0]
        # Otherwise this is new English (what stood here moved on): no translation to offer.


def english_at(library: Library, slug: str, revision: Any) -> Page | None:
    """The English page as it was when its source_revision was `revision`, from git history."""
    source = library.source(slug)
    if source is None or not isinstance(revision, dict):
        return None
    root = library.project.root
    relative = source.path.resolve().relative_to(root.resolve()).as_posix()
    commits = git(root, "log", "--format=%H", "--", relative)
    for commit in (commits or "").split():
        text = git(root, "show", f"{commit}:{relative}")
        if text is None:
            continue
        page = parse_page(reading.universal_newlines(text), source.path, source.lang)
        if page.source_revision() == revision:
            return page
    return None


def locales_part(project: Project, lang: str) -> Part:
    english = locales.load_catalogue(project.locales_dir / f"{project.default_language}.yml", project.default_language)
    translated = locales.load_catalogue(project.locales_dir / f"{lang}.yml", lang)
    units = []
    for key, text in english.strings.items():
        if key.startswith(f"{locales.EDITOR_SECTION}."):
            continue  # the browser editor's words are for staff, not patients: English unless a team adds its own
        target = translated.strings.get(key)
        units.append(
            Unit(
                key=key,
                kind="string",
                source=text,
                line=english.key_lines.get(key, 1),
                target=target,
                state="translated" if target is not None else None,
                placeholders=True,
            )
        )
    return Part(
        kind=LOCALES,
        original=project.relative(english.path),
        target_file=project.relative(translated.path),
        source_revision=_file_revision(english.path),
        translation_revision=_file_revision(translated.path),
        units=units,
    )


def glossary_part(project: Project, lang: str) -> Part:
    english, translated = glossary.load(project, project.default_language), glossary.load(project, lang)
    units = []
    for key, entry in english.terms.items():
        for name in ("term", "definition"):
            target = translated.terms.get(key, {}).get(name)
            units.append(
                Unit(
                    key=f"{key}/{name}",
                    kind=name,
                    source=entry[name],
                    line=english.key_lines.get(key, 1),
                    target=target,
                    state="translated" if target is not None else None,
                )
            )
    return Part(
        kind=GLOSSARY,
        original=project.relative(english.path),
        target_file=project.relative(translated.path),
        source_revision=_file_revision(english.path),
        translation_revision=_file_revision(translated.path),
        units=units,
    )


def _file_revision(path: Path | None) -> str:
    """The file as it is now, so an import can tell that it changed since the export."""
    if path is None or not path.is_file():
        return "none"
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def export_phase(part: Part) -> str:
    """The name of the phase a part is exported in: the two revisions an import checks."""
    return f"careleaf-export-{part.source_revision}-{part.translation_revision}"


# ---------------------------------------------------------------------------
# Writing XLIFF
# ---------------------------------------------------------------------------


def export(
    library: Library, lang: str, slugs: Iterable[str] | None = None, changed_only: bool = False
) -> tuple[bytes, list[Part]]:
    """The XLIFF document for `lang`, and the parts it holds (with only their needed units if `changed_only`)."""
    project = library.project
    chosen = []
    for part in parts(library, lang, slugs):
        if changed_only:
            part = dataclasses.replace(part, units=[unit for unit in part.units if unit.needed])
            if not part.units:
                continue
        chosen.append(part)
    root = etree.Element(f"{_X}xliff", nsmap={None: XLIFF_NS}, version="1.2")
    headings = _tier_headings(project)
    for part in chosen:
        element = etree.SubElement(
            root,
            f"{_X}file",
            {
                "original": part.original,
                "source-language": project.default_language,
                "target-language": lang,
                "datatype": "x-markdown" if part.kind == ARTICLE else "x-yaml",
                "tool-id": TOOL_ID,
            },
        )
        header = etree.SubElement(element, f"{_X}header")
        phases = etree.SubElement(header, f"{_X}phase-group")
        etree.SubElement(
            phases, f"{_X}phase", {"phase-name": export_phase(part), "process-name": "export", "tool-id": TOOL_ID}
        )
        etree.SubElement(header, f"{_X}tool", {"tool-id": TOOL_ID, "tool-name": "Careleaf"})
        etree.SubElement(header, f"{_X}note").text = FILE_NOTE.format(hospital=project.hospital.get("name", ""))
        body = etree.SubElement(element, f"{_X}body")
        for unit in part.units:
            _write_unit(body, unit, part, headings)
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return document, chosen


def _tier_headings(project: Project) -> dict[str, str]:
    catalogue = locales.load_catalogue(
        project.locales_dir / f"{project.default_language}.yml", project.default_language
    )
    values = locales.placeholder_values(project.hospital)
    return {
        tier: catalogue.text(f"red_flags.{tier}.heading", **values)
        for tier in TIER_KINDS
        if f"red_flags.{tier}.heading" in catalogue.strings
    }


def _write_unit(body: etree._Element, unit: Unit, part: Part, headings: dict[str, str]) -> None:
    element = etree.SubElement(
        body,
        f"{_X}trans-unit",
        {
            "id": unit.key,
            "resname": unit.key,
            "restype": f"x-careleaf-{unit.kind}",
            "phase-name": export_phase(part),
            _XML_SPACE: "preserve",
        },
    )
    source_pieces = inline.split(unit.source, unit.placeholders)
    _fill(etree.SubElement(element, f"{_X}source"), source_pieces)
    if unit.target is not None:
        target = etree.SubElement(element, f"{_X}target", state=unit.state or "needs-translation")
        if unit.state in SIGNED_OFF_STATES:
            # XLIFF 1.2's mark of a translation past its final review (translate-toolkit and Weblate read it).
            element.set("approved", "yes")
        if unit.machine:
            target.set("state-qualifier", "leveraged-mt")
        _fill(target, _numbered_like(inline.split(unit.target, unit.placeholders), source_pieces))
    if unit.previous_source is not None:
        earlier = etree.SubElement(element, f"{_X}alt-trans", origin="careleaf-previous-translation")
        assert unit.target is not None  # _carry sets previous_source with the target that translated it
        earlier_source = inline.split(unit.previous_source, unit.placeholders)
        _fill(etree.SubElement(earlier, f"{_X}source"), earlier_source)
        _fill(
            etree.SubElement(earlier, f"{_X}target"),
            _numbered_like(inline.split(unit.target, unit.placeholders), earlier_source),
        )
    note = _note(unit, headings)
    if note:
        etree.SubElement(
            element, f"{_X}note", {"from": "careleaf", "priority": "1" if unit.red_flag_sign else "5"}
        ).text = note
    context = etree.SubElement(element, f"{_X}context-group", purpose="location")
    etree.SubElement(context, f"{_X}context", {"context-type": "sourcefile"}).text = part.original
    etree.SubElement(context, f"{_X}context", {"context-type": "linenumber"}).text = str(unit.line)


def _note(unit: Unit, headings: dict[str, str]) -> str | None:
    if unit.red_flag_sign:
        assert unit.tier is not None  # blocks.layout makes an item a sign only inside a tier
        return RED_FLAG_NOTE.format(tier=unit.tier, heading=headings.get(unit.tier, ""))
    return KIND_NOTES.get(unit.kind)


def _fill(element: etree._Element, pieces: list[inline.Piece]) -> None:
    """Words as text, codes as <bpt>/<ept>/<ph> holding the Markdown they stand for."""
    last = None
    element.text = ""
    for piece in pieces:
        if isinstance(piece, str):
            if last is None:
                element.text += piece
            else:
                last.tail = (last.tail or "") + piece
            continue
        last = etree.SubElement(element, f"{_X}{_TAGS[piece.role]}", id=str(piece.pair))
        if piece.role != inline.CLOSE:
            last.set("ctype", piece.ctype)
        last.text = piece.native


def _numbered_like(pieces: list[inline.Piece], source: list[inline.Piece]) -> list[inline.Piece]:
    """A target's codes numbered as the source's codes they match (same Markdown, in order); codes only
    the target has (a language span) numbered after the source's."""
    free = [code for code in inline.codes(source) if code.role != inline.CLOSE]
    extra = max((code.pair for code in inline.codes(source)), default=0)
    numbers: dict[int, int] = {}
    numbered: list[inline.Piece] = []
    for piece in pieces:
        if isinstance(piece, str):
            numbered.append(piece)
            continue
        if piece.role == inline.CLOSE:
            numbered.append(dataclasses.replace(piece, pair=numbers[piece.pair]))
            continue
        match = next((code for code in free if code.native == piece.native and code.ctype == piece.ctype), None)
        if match is not None:
            free.remove(match)
            number = match.pair
        else:
            extra += 1
            number = extra
        numbers[piece.pair] = number
        numbered.append(dataclasses.replace(piece, pair=number))
    return numbered


# ---------------------------------------------------------------------------
# Reading XLIFF back
# ---------------------------------------------------------------------------


@dataclass
class Returned:
    """One unit as the vendor sent it back."""

    key: str
    line: int
    source: str
    # The source's codes as returned: (role, number, Markdown), to compare with the codes exported.
    source_codes: list[tuple[str, int, str]]
    target: str | None
    state: str | None
    # The target's codes in order: (role, Markdown); filled in by checked_codes.
    target_codes: list[tuple[str, str]] = field(default_factory=list)
    element: etree._Element | None = None

    @property
    def translated(self) -> bool:
        return (
            self.target is not None
            and bool(self.target.strip())
            and (self.state is None or self.state in CURRENT_STATES)
        )

    @property
    def signed_off(self) -> bool:
        return self.translated and self.state in SIGNED_OFF_STATES


@dataclass
class ReturnedFile:
    original: str
    line: int
    # The English and translation revisions of its export phase; None when a tool dropped the phase.
    source_revision: str | None
    translation_revision: str | None
    units: dict[str, Returned]


def read(path: Path, library: Library) -> tuple[str, list[ReturnedFile]]:
    """The vendor's file: its language and each <file> with its units, a tool's pretty-printing inside
    segments undone. Raises XliffError naming the file and line."""
    name = str(path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except OSError as error:
        raise XliffError(f"{name}:1: cannot be read: {error}") from error
    except etree.XMLSyntaxError as error:
        raise XliffError(f"{name}:{error.lineno or 1}: not well-formed XML: {error.msg}") from error
    tag = etree.QName(root)
    if tag.localname == "xliff" and tag.namespace != XLIFF_NS:
        raise XliffError(
            f"{name}:{root.sourceline}: the XLIFF namespace was lost: <xliff> is in "
            f"{tag.namespace or 'no namespace'}, not {XLIFF_NS} (the tool that wrote this file dropped it); "
            "import the file with its namespace"
        )
    if root.tag != f"{_X}xliff" or root.get("version") != "1.2":
        raise XliffError(f'{name}:{root.sourceline}: not an XLIFF 1.2 document (<xliff version="1.2"> in {XLIFF_NS})')
    files = root.findall(f"{_X}file")
    if not files:
        raise XliffError(f"{name}:{root.sourceline}: holds no <file>")
    languages = {element.get("target-language") for element in files}
    if len(languages) != 1 or None in languages:
        raise XliffError(
            f"{name}:{files[0].sourceline}: every <file> needs the same target-language, not {sorted(map(str, languages))}"
        )
    lang = _project_language(languages.pop(), library.project)
    if lang is None:
        raise XliffError(
            f"{name}:{files[0].sourceline}: target-language {files[0].get('target-language')!r} "
            f"is not one of this library's translations ({', '.join(library.project.translations)})"
        )
    returned = []
    originals: set[str] = set()
    for element in files:
        if element.get("original") in originals:
            raise XliffError(
                f"{name}:{element.sourceline}: a second <file original={element.get('original')!r}>: "
                "each source file comes once"
            )
        originals.add(element.get("original"))
        source_language = _project_language(element.get("source-language") or "", library.project)
        if source_language != library.project.default_language:
            raise XliffError(
                f"{name}:{element.sourceline}: source-language must be {library.project.default_language!r}, "
                f"not {element.get('source-language')!r}"
            )
        units: dict[str, Returned] = {}
        for unit in element.iter(f"{_X}trans-unit"):
            key = unit.get("id") or ""
            if key in units:
                raise XliffError(f"{name}:{unit.sourceline}: unit {key!r} appears twice")
            targets = unit.findall(f"{_X}target")
            if len(targets) > 1:
                raise XliffError(f"{name}:{targets[1].sourceline}: unit {key!r} has {len(targets)} targets: keep one")
            target = targets[0] if targets else None
            source = unit.find(f"{_X}source")
            for segment in (source, target):
                _undo_layout(segment)
            units[key] = Returned(
                key=key,
                line=unit.sourceline,
                source=_markdown(source),
                source_codes=_element_codes(source),
                target=_markdown(target) if target is not None else None,
                state=target.get("state") if target is not None else None,
                element=unit,
            )
        source_revision, translation_revision = _export_revisions(name, element)
        returned.append(
            ReturnedFile(
                original=element.get("original") or "",
                line=element.sourceline,
                source_revision=source_revision,
                translation_revision=translation_revision,
                units=units,
            )
        )
    return lang, returned


def _export_revisions(name: str, file: etree._Element) -> tuple[str | None, str | None]:
    """The revisions a <file> was exported from, by the export phase its header or its units name."""
    named = [phase.get("phase-name") or "" for phase in file.iterfind(f"{_X}header/{_X}phase-group/{_X}phase")]
    named += [unit.get("phase-name") or "" for unit in file.iter(f"{_X}trans-unit")]
    phases = sorted({phase for phase in named if _EXPORT_PHASE.fullmatch(phase)})
    if len(phases) > 1:
        raise XliffError(
            f"{name}:{file.sourceline}: <file original={file.get('original')!r}> mixes units of "
            f"{len(phases)} exports ({', '.join(phases)}): import each exported file on its own"
        )
    if not phases:
        return None, None
    match = _EXPORT_PHASE.fullmatch(phases[0])
    assert match is not None  # phases holds only the names that fully match _EXPORT_PHASE
    return match.group("source"), match.group("translation")


def _undo_layout(segment: etree._Element | None) -> None:
    """Drop the line breaks and indentation a pretty-printing tool puts around the tags of a segment."""
    if segment is None:
        return
    segment.text = _LAYOUT_BEFORE_TAG.sub("", _LAYOUT_AT_START.sub("", segment.text or ""))
    for child in segment:
        child.tail = _LAYOUT_BEFORE_TAG.sub("", child.tail or "")


def _project_language(code: str, project: Project) -> str | None:
    """es, es-US and es_MX are Spanish; zh-Hans and zh-CN are this library's zh."""
    primary = re.split(r"[-_]", code.strip())[0].lower()
    return primary if primary in project.languages else None


def checked_codes(name: str, returned: Returned, unit: Unit, original: str) -> None:
    """A returned unit's codes against the exported unit's: refused when a tool turned them into text
    (one line saying so), or when the source's were changed; then the target's codes are checked
    and the target read as Markdown."""
    at = f"{name}:{returned.line}"
    element = returned.element
    assert element is not None  # read() gives every returned unit its <trans-unit>
    source, target = element.find(f"{_X}source"), element.find(f"{_X}target")
    for segment, which in ((source, "English source"), (target, "translation")):
        literal = _tag_as_text(segment)
        if literal:
            raise XliffError(
                f"{at}: unit {returned.key!r} of {original}: its inline codes came back as literal text "
                f"({literal!r} in its {which}): the tool that wrote this file turned its tags into words; "
                "import the file with its tags"
            )
    exported = _exported_codes(unit)
    natives = ", ".join(repr(native) for _, _, native in exported)
    if exported and not _tags(source) and returned.source == unit.source:
        raise XliffError(
            f"{at}: unit {returned.key!r} of {original}: its inline codes came back as plain text "
            f"({natives} are words in its English source, not <bpt>/<ept>/<ph> tags): the tool that wrote "
            "this file flattened them; import the file with its tags"
        )
    if returned.source != unit.source:
        raise XliffError(
            f"{at}: unit {returned.key!r}: its English source was changed ({_short(returned.source)}, "
            f"exported as {_short(unit.source)}): translate the English as exported"
        )
    if returned.source_codes != exported or len(_tags(source)) != len(exported):
        returned_tags = " ".join(
            f"<{etree.QName(tag).localname} {tag.get('id')}>{tag.text or ''}" for tag in _tags(source)
        )
        raise XliffError(
            f"{at}: unit {returned.key!r}: the tags of its English source were changed "
            f"({returned_tags or 'no tags'}, exported as {_described(exported)}): keep the tags as exported"
        )
    if target is None:
        return
    typed = [(code.role, code.native) for code in inline.codes(inline.split(returned.target or "", unit.placeholders))]
    if exported and not _tags(target) and typed == [(role, native) for role, _, native in exported]:
        raise XliffError(
            f"{at}: unit {returned.key!r} of {original}: the inline codes of its translation came back as "
            f"plain text ({natives} are words, not <bpt>/<ept>/<ph> tags): the tool that wrote this file "
            "flattened them; import the file with its tags"
        )
    returned.target, returned.target_codes = _codes_checked(name, element, target)


def _tag_as_text(segment: etree._Element | None) -> str | None:
    """The first inline tag written out as words in a segment's text (outside its codes), if any."""
    if segment is None:
        return None
    for words in [segment.text or "", *(child.tail or "" for child in segment)]:
        match = _TAG_AS_TEXT.search(words)
        if match:
            return match.group(0)
    return None


def _tags(segment: etree._Element | None) -> list[etree._Element]:
    """A segment's inline elements, whichever they are (comments and processing instructions aside)."""
    return [] if segment is None else [child for child in segment if isinstance(child.tag, str)]


def _exported_codes(unit: Unit) -> list[tuple[str, int, str]]:
    return [(code.role, code.pair, code.native) for code in inline.codes(inline.split(unit.source, unit.placeholders))]


def _described(codes: list[tuple[str, int, str]]) -> str:
    return " ".join(f"<{_TAGS[role]} {number}>{native}" for role, number, native in codes) or "no tags"


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _codes_checked(name: str, unit: etree._Element, target: etree._Element) -> tuple[str, list[tuple[str, str]]]:
    """The target as Markdown: every code the source has, once, paired and nested as codes nest,
    holding the Markdown the source's holds; no other code but a language span."""
    source_codes = _element_codes(unit.find(f"{_X}source"))
    expected = {(role, number): native for role, number, native in source_codes}
    seen: dict[tuple[str, int], str] = {}
    open_pairs: list[int] = []
    text: list[str] = [target.text or ""]
    in_order: list[tuple[str, str]] = []
    key = unit.get("id")
    for child in target:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        role = _ROLES.get(tag)
        if role is None:
            raise XliffError(
                f"{name}:{child.sourceline}: unit {key!r}: <{tag}> is not a code Careleaf writes "
                "(bpt, ept, ph): keep the codes as they were exported"
            )
        number = _number(child.get("id"))
        native = child.text or ""
        if (role, number) in seen:
            raise XliffError(f"{name}:{child.sourceline}: unit {key!r}: code {number} appears twice")
        if (role, number) in expected:
            if native and native != expected[(role, number)]:
                raise XliffError(
                    f"{name}:{child.sourceline}: unit {key!r}: code {number} was changed "
                    f"({native!r}, exported as {expected[(role, number)]!r})"
                )
            native = expected[(role, number)]
        elif not (
            role == inline.OPEN
            and _LANGUAGE_SPAN.fullmatch(native)
            or role == inline.CLOSE
            and native == "</span>"
            and number in open_pairs
        ):
            raise XliffError(
                f"{name}:{child.sourceline}: unit {key!r}: code {number} ({native!r}) is not in the English"
            )
        if role == inline.OPEN:
            open_pairs.append(number)
        elif role == inline.CLOSE:
            if not open_pairs or open_pairs[-1] != number:
                raise XliffError(
                    f"{name}:{child.sourceline}: unit {key!r}: code {number} closes before it opens "
                    "or across another code: keep each pair of codes around the words they mark"
                )
            open_pairs.pop()
        seen[(role, number)] = native
        in_order.append((role, native))
        text += [native, child.tail or ""]
    missing = [number for (role, number) in expected if (role, number) not in seen]
    if missing or open_pairs:
        number = (missing or open_pairs)[0]
        raise XliffError(
            f"{name}:{target.sourceline}: unit {key!r}: code {number} "
            f"({expected.get((inline.OPEN, number)) or expected.get((inline.ALONE, number)) or '?'!r}) "
            "is missing from the translation"
        )
    return "".join(text), in_order


def _markdown(element: etree._Element | None) -> str:
    """A <source> as the Markdown it was written from: its words and the Markdown its codes hold."""
    if element is None:
        return ""
    return (element.text or "") + "".join((child.text or "") + (child.tail or "") for child in element)


def _element_codes(element: etree._Element | None) -> list[tuple[str, int, str]]:
    if element is None:
        return []
    return [
        (_ROLES[etree.QName(child).localname], _number(child.get("id")), child.text or "")
        for child in element
        if isinstance(child.tag, str) and etree.QName(child).localname in _ROLES
    ]


def _number(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return -1
