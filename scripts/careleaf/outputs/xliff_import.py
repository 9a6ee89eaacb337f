"""Importing a vendor's XLIFF: every check first, then every file at once, or nothing.

An article is written with the English page's structure (careleaf/model/blocks.py renders the English
skeleton with the translated blocks) and the English front matter's keys; the interface strings
and the glossary are edited in place, value by value. A translation becomes current (its
`source_revision` updated) only when every unit is translated, and `reviewed` only when every
unit is signed off and a reviewer is named. What would be written is validated in a copy of the
project before any file changes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.meta import YAML_RE

from careleaf.model import approval, blocks, codes, inline, reading
from careleaf.model.content import TRANSLATIONS_KEY, Library, Page
from careleaf.outputs.xliff import (
    ARTICLE,
    LOCALES,
    SIGNED_OFF_STATES,
    Part,
    Returned,
    ReturnedFile,
    Unit,
    XliffError,
    checked_codes,
    export_phase,
    parts,
    read,
)
from careleaf.util.files import PUBLISHED_MODE, write_atomically

# English front matter no translation carries: translations inherit the codes and the clinical sign-off.
ENGLISH_ONLY_KEYS = (codes.FRONT_MATTER_KEY, approval.KEY, TRANSLATIONS_KEY)
_TOP_LEVEL_KEY = re.compile(r"^(?P<key>[^\s#:-][^:]*?)[ \t]*:(?:[ \t]|$)")
# Text at the start of a block that Markdown reads as structure: a list, heading, quote, box, fence, rule, table.
_BLOCK_MARKER = re.compile(
    r"^(?:[-*+>][ \t]|[-*+>]$|\d+[.)](?:[ \t]|$)|#{1,6}(?:[ \t]|$)|!!!|\?\?\?|`{3}|~{3}|[-=_*]{3,}[ \t]*$|\||:[ \t])"
)
_SCALAR_LINE = re.compile(r"^(?P<prefix>[ \t]*[^\s#:][^:]*?:[ \t]+)(?P<value>\S.*?)[ \t]*$")


@dataclass
class Change:
    """A file the import writes, with what is said about it."""

    path: Path
    relative: str
    before: str | None
    after: str
    summary: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def plan(library: Library, xliff_path: Path, reviewer: str | None = None, date: dt.date | None = None) -> list[Change]:
    """What importing `xliff_path` would write. Raises XliffError (nothing written) at the first refusal."""
    lang, returned_files = read(xliff_path, library)
    known = {part.original: part for part in parts(library, lang)}
    changes = []
    for returned in returned_files:
        part = known.get(returned.original)
        where = f"{xliff_path}:{returned.line}"
        if part is None:
            raise XliffError(
                f"{where}: <file original={returned.original!r}> is not an English source file of this library"
            )
        _check_revisions(where, returned, part)
        _check_units(xliff_path, where, returned, part)
        try:
            if part.kind == ARTICLE:
                changes.append(_article(library, lang, xliff_path, returned, part, reviewer, date or dt.date.today()))
            else:
                changes.append(_catalogue(library, xliff_path, returned, part))
        except reading.ReadError as error:
            raise XliffError(f"{part.target_file}:{error.line}: {error.message}: fix it, then import again") from error
        except reading.YamlError as error:
            raise XliffError(
                f"{part.target_file}:{error.line}: not valid YAML ({error.problem}): fix it, then import again"
            ) from error
    return changes


def _check_revisions(where: str, returned: ReturnedFile, part: Part) -> None:
    if returned.source_revision is None or returned.translation_revision is None:
        raise XliffError(
            f"{where}: <file original={returned.original!r}> lost its export phase (phase-name "
            f"{export_phase(part)!r} or an earlier one, on its units and in its header): without the revisions "
            f"it names, importing could undo a change made to {part.target_file} since; import the file with "
            "its phase-name, or export again"
        )
    if returned.source_revision != part.source_revision:
        raise XliffError(
            f"{where}: {part.original} changed since this file was exported (revision "
            f"{returned.source_revision}, now {part.source_revision}): export again and send the new file"
        )
    if returned.translation_revision != part.translation_revision:
        raise XliffError(
            f"{where}: {part.target_file} changed since this file was exported (revision "
            f"{returned.translation_revision}, now {part.translation_revision}): importing would undo that "
            "change; export again, or put the file back as it was"
        )


def _check_units(xliff_path: Path, where: str, returned: ReturnedFile, part: Part) -> None:
    """The units exported are the units returned: none lost, none added, none with other English."""
    known = {unit.key: unit for unit in part.units}
    for key, returned_unit in returned.units.items():
        if key not in known:
            added = (
                "would add a red-flag sign"
                if key.startswith(f"{blocks.RED_FLAGS_ID}/")
                else "has a unit that was not exported:"
            )
            raise XliffError(f"{xliff_path}:{returned_unit.line}: {part.target_file} {added} {key!r}")
    needed = {unit.key for unit in part.units if unit.needed}
    # What was exported is recomputed: a --changed-only export holds only needed units, a whole one every unit.
    expected = [unit for unit in part.units if unit.key in needed] if set(returned.units) <= needed else part.units
    for unit in expected:
        if unit.key not in returned.units:
            lost = "would lose the red-flag sign" if unit.red_flag_sign else "is missing unit"
            raise XliffError(
                f"{where}: {part.target_file} {lost} {unit.key!r} ({_short(unit.source)}): "
                "every exported unit must come back"
            )
    for key, returned_unit in returned.units.items():
        unit = known[key]
        at = f"{xliff_path}:{returned_unit.line}"
        checked_codes(str(xliff_path), returned_unit, unit, part.original)
        target = (returned_unit.target or "").strip()
        if "\n" in target or "\r" in target:
            split = "would split a red-flag sign in two" if unit.red_flag_sign else "would break the page's structure"
            raise XliffError(f"{at}: unit {key!r}: a line break in the translation {split}: keep each unit on one line")
        if marker := _BLOCK_MARKER.match(target):
            raise XliffError(
                f"{at}: unit {key!r}: the translation starts with {marker.group(0).strip()!r}, "
                "which Markdown would read as a list, heading, quote or box and change the page: write it as words"
            )
        typed = [(code.role, code.native) for code in inline.codes(inline.split(target, unit.placeholders))]
        if target and typed != returned_unit.target_codes:
            raise XliffError(
                f"{at}: unit {key!r}: the translation holds Markdown typed as text "
                f"({', '.join(sorted({native for _, native in typed})) or 'a code'} does not match its tags): "
                "only the tags may hold formatting"
            )


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


# ---------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------


def _article(
    library: Library,
    lang: str,
    xliff_path: Path,
    returned: ReturnedFile,
    part: Part,
    reviewer: str | None,
    date: dt.date,
) -> Change:
    project = library.project
    assert part.slug is not None  # article_part names every article part's slug
    source, page = library.source(part.slug), library.get(part.slug, lang)
    assert source is not None  # article_part made the part from this English page
    texts: dict[str, str] = {}
    translated_all = signed_all = True
    for unit in part.units:
        back = returned.units.get(unit.key)
        text: str | None
        if back is not None and back.target is not None and back.target.strip():
            text = back.target.strip()
            translated, signed = _returned_state(back, text, unit)
        else:
            text, translated, signed = unit.target, unit.current, unit.state == "final"
        if text is None:
            line = back.line if back is not None else returned.line
            raise XliffError(
                f"{xliff_path}:{line}: unit {unit.key!r} has no translation, and {part.target_file} has "
                f"none to keep: the page cannot be written without it ({_short(unit.source)})"
            )
        texts[unit.key] = text
        translated_all &= translated
        signed_all &= signed
    english = blocks.layout(source)
    body = english.render(texts)
    written = blocks.layout(Page(slug=part.slug, lang=lang, path=source.path, body=body))
    if written.shape != english.shape:
        key = _first_changed_block(english, written)
        raise XliffError(
            f"{xliff_path}:{returned.units[key].line if key in returned.units else returned.line}: unit {key!r}: "
            "the translation would be read as Markdown structure (a list marker, a heading, an admonition) "
            "and change the page: write it as words"
        )
    before = reading.read_text(page.path) if page is not None else None
    old = dict(page.translation) if page is not None else {}
    translation = dict(old)
    notes = []
    if translated_all:
        translation["source_revision"] = source.source_revision()
    previous_texts = {unit.key: unit.target for unit in part.units}
    text_changed = texts != previous_texts
    # Counted against the translation as it is on disk, whatever English it was made from.
    on_disk = (
        Counter(block.text for block in [*blocks.front_blocks(page), *blocks.layout(page).blocks])
        if page
        else Counter()
    )
    if reviewer and signed_all:
        translation.update(status="reviewed", reviewer=reviewer, date=date)
    elif text_changed or "status" not in old or translation != old and old.get("status") == "reviewed":
        # Changed words nobody named has signed off: not reviewed, and the page says so.
        translation["status"] = "machine-draft"
        translation.pop("reviewer", None)
        translation.pop("date", None)
    if signed_all and not reviewer and translation.get("status") != "reviewed":
        notes.append("every unit is signed off: give --reviewer to record the review")
    source_text = reading.read_text(source.path)
    after = _front_matter(source_text, before, texts, translation) + _gap(source_text) + body
    changed_units = sum((Counter(texts.values()) - on_disk).values())
    state = "current" if translated_all else "still out of date"
    summary = (
        f"{changed_units} unit{'s' if changed_units != 1 else ''} changed" if after != before else "unchanged"
    ) + (
        f", {state}, "
        f"{translation.get('status')}{', reviewed by ' + str(translation['reviewer']) if translation.get('status') == 'reviewed' else ''}"
        + "".join(f"; {note}" for note in notes)
    )
    return Change(
        path=project.docs_dir / lang / f"{part.slug}.md",
        relative=part.target_file,
        before=before,
        after=after,
        summary=summary,
    )


def _returned_state(back: Returned, text: str, unit: Unit) -> tuple[bool, bool]:
    """(translated, signed off) for a returned target. A tool that drops states (target without one)
    leaves an unchanged target as it was exported: an old translation kept for reference stays needed."""
    if back.state is None and text == unit.target:
        return unit.current, unit.state in SIGNED_OFF_STATES
    return back.translated, back.signed_off


def _first_changed_block(english: blocks.Layout, written: blocks.Layout) -> str:
    """The key of the English block at or after the first place the written page differs."""
    after = [part for part in english.parts[english.first_difference(written) :] if isinstance(part, int)]
    return english.blocks[after[0] if after else -1].key


def _gap(source_text: str) -> str:
    """The blank lines between the front matter and the body, as the English page has them."""
    match = YAML_RE.match(source_text)
    rest = source_text[match.end() :] if match else source_text
    return rest[: len(rest) - len(rest.lstrip("\n"))]


def _front_matter(source_text: str, before: str | None, texts: dict[str, str], translation: dict) -> str:
    """The English front matter's keys in its order, with the translated title and summary, then the
    translation block. A key whose value did not change keeps its lines as the translation wrote them."""
    english = _key_blocks(source_text)
    own = dict(_key_blocks(before)) if before else {}
    lines: list[str] = []
    for key, block in english:
        if key in ENGLISH_ONLY_KEYS:
            continue
        if key in (blocks.TITLE, blocks.SUMMARY):
            lines += _kept_or_dumped(own.get(key), key, texts.get(key, _value(block, key)))
        else:
            lines += block
    english_keys = {key for key, _ in english}
    for key, block in own.items():
        if key not in english_keys and key != "translation":
            lines += block
    lines += _kept_or_dumped(own.get("translation"), "translation", translation)
    return "---\n" + "".join(lines) + "---\n"


def _key_blocks(text: str) -> list[tuple[str, list[str]]]:
    """Each top-level front-matter key with its lines (the indented lines and comments that follow it)."""
    match = YAML_RE.match(text)
    if not match:
        return []
    found: list[tuple[str, list[str]]] = []
    for line in match.group(1).splitlines(keepends=True):
        key = _TOP_LEVEL_KEY.match(line)
        if key:
            found.append((key.group("key").strip("'\""), [line]))
        elif found:
            found[-1][1].append(line)
    return found


def _value(block: list[str], key: str) -> Any:
    data = yaml.safe_load("".join(block))
    return data.get(key) if isinstance(data, dict) else None


def _kept_or_dumped(block: list[str] | None, key: str, value: Any) -> list[str]:
    if block is not None and _value(block, key) == value:
        return block
    return [yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=1 << 16)]


# ---------------------------------------------------------------------------
# Interface strings and the glossary: values replaced where they stand
# ---------------------------------------------------------------------------


def _catalogue(library: Library, xliff_path: Path, returned: ReturnedFile, part: Part) -> Change:
    project = library.project
    path = project.root / part.target_file
    before = reading.read_text(path)
    document = reading.load_yaml(before)
    lines = before.split("\n")
    changed = 0
    for unit in part.units:
        back = returned.units.get(unit.key)
        if back is None or back.target is None or not back.target.strip() or back.target.strip() == unit.target:
            continue
        key_path = tuple(unit.key.split(".")) if part.kind == LOCALES else tuple(unit.key.split("/"))
        line = document.key_lines.get(key_path)
        if line is None or unit.target is None:
            raise XliffError(
                f"{xliff_path}:{back.line}: {part.target_file} has no {unit.key!r} to put the translation "
                "in: add the key (with any value) and import again"
            )
        lines[line - 1] = _replaced_value(
            lines[line - 1], unit.target, back.target.strip(), f"{part.target_file}:{line}"
        )
        changed += 1
    after = "\n".join(lines)
    kind = "strings" if part.kind == LOCALES else "glossary entries"
    return Change(
        path=path,
        relative=part.target_file,
        before=before,
        after=after,
        summary=f"{changed} {kind} changed" if changed else "unchanged",
    )


def _replaced_value(line: str, old: str, new: str, where: str) -> str:
    """A `key: value` line with its value replaced, written in the quoting style the line used."""
    match = _SCALAR_LINE.match(line)
    if not match or yaml.safe_load(line.strip()) != {match.group("prefix").strip().rstrip(":").strip("'\""): old}:
        raise XliffError(f"{where}: the value spans several lines: change it by hand, then import again")
    quote = match.group("value")[0]
    style = quote if quote in "\"'" else None
    value = yaml.safe_dump(new, allow_unicode=True, default_style=style, width=1 << 16).rstrip("\n")
    value = value.removesuffix("\n...").rstrip("\n")
    return match.group("prefix") + value


# ---------------------------------------------------------------------------
# Checking and writing
# ---------------------------------------------------------------------------


def validation_errors(library: Library, changes: list[Change]) -> list[str]:
    """The validator's errors in the files the import would write, judged in a copy of the project."""
    from careleaf.checks.validation import validate

    project = library.project
    with tempfile.TemporaryDirectory(prefix="careleaf-import-") as folder:
        root = Path(folder)
        copy = dataclasses.replace(
            project,
            root=root,
            docs_dir=root / project.relative(project.docs_dir),
            locales_dir=root / project.relative(project.locales_dir),
        )
        shutil.copytree(project.docs_dir, copy.docs_dir)
        shutil.copytree(project.locales_dir, copy.locales_dir)
        for change in changes:
            target = root / change.relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(change.after, encoding="utf-8")
        report = validate(copy, library=Library.load(copy), readability_checks=False)
    written = {change.relative for change in changes if change.changed}
    return [problem.human() for problem in report.errors if problem.path in written]


def write(changes: list[Change]) -> None:
    """Each changed file replaced whole (written beside it, then renamed over it)."""
    for change in changes:
        if not change.changed:
            continue
        mode = change.path.stat().st_mode & 0o777 if change.path.exists() else PUBLISHED_MODE
        write_atomically(change.path, change.after.encode("utf-8"), mode)
