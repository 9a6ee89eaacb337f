"""The content model: a page is slug × language × front matter × sections.

Every reader of articles (the MkDocs plugin, validator, print, kiosk) goes through here,
so they cannot disagree about what an article, its red-flag card or its tiers are.
Parsing never raises on bad content: it records what it saw, and the validator judges.
"""

from __future__ import annotations

import hashlib
import re
import sys
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from mkdocs.utils.meta import YAML_RE

from careleaf.model import codes, reading, shared_blocks
from careleaf.model.project import Project
from careleaf.model.reading import outside_fences

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

HOME_SLUG = "index"
RED_FLAGS_ID = "red-flags"
# Tiers in order of urgency; their names are language-independent admonition types.
TIER_KINDS = ("emergency", "urgent", "contact")
REQUIRED_ONE_OF = ("emergency", "urgent")
TRANSLATION_STATUSES = ("machine-draft", "reviewed")
# `translations: pending` on an English article: its translations may be missing or behind its text
# for now (readers get the English page, or the translation with a notice), never its red flags.
TRANSLATIONS_KEY, PENDING = "translations", "pending"

_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t]*(?:\{(?P<attrs>[^}]*)\})?[ \t]*#*[ \t]*$")
_ADMONITION = re.compile(r'^(?P<marker>!!!|\?\?\?\+?)[ \t]*(?P<kind>[\w-]+)(?:[ \t]+"(?P<title>[^"]*)")?[ \t]*$')
# A sign with nothing after its bullet is still a sign (an empty one, which the validator refuses).
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])(?:[ \t]+(?P<text>.*))?$")
# Files under docs/ are named as URLs are: lowercase ASCII words joined by hyphens.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FILE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+$")


@dataclass(frozen=True)
class Tier:
    """One red-flag card: an admonition of a fixed type holding a list of signs."""

    kind: str
    line: int
    items: tuple[str, ...]
    body: str
    title: str | None = None
    collapsible: bool = False
    # Lines inside the card that are not part of a list of signs.
    stray_lines: tuple[int, ...] = ()
    # The file line of each sign.
    item_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class Section:
    """A level-2 section: heading, optional {#id}, and the markdown that follows it."""

    heading: str
    anchor: str | None
    line: int
    body: str
    body_line: int

    @property
    def is_red_flags(self) -> bool:
        return self.anchor == RED_FLAGS_ID


@dataclass(frozen=True)
class RedFlags:
    """The red-flag section of one page, as parsed from its markdown."""

    heading: str
    line: int
    tiers: tuple[Tier, ...]
    stray_lines: tuple[int, ...]

    def tier(self, kind: str) -> Tier | None:
        return next((tier for tier in self.tiers if tier.kind == kind), None)

    def counts(self) -> dict[str, int]:
        return {tier.kind: len(tier.items) for tier in self.tiers}


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str | None
    line: int


@dataclass
class Page:
    """One Markdown file: a home page or an article, in one language."""

    slug: str
    lang: str
    path: Path
    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    # Problems met while reading the file itself: (code, line, message).
    read_errors: list[tuple[str, int, str]] = field(default_factory=list)
    # The line of each front-matter key, by its path: ("translation", "date") -> 14; list items by
    # their position: ("codes", "icd10cm", 0) -> 12.
    front_matter_lines: dict[tuple[Any, ...], int] = field(default_factory=dict)
    # With shared blocks included: the body as its file has it, where each line of `body` was written,
    # and the include lines (careleaf/model/shared_blocks.py). None and () for a page that includes nothing.
    source_body: str | None = None
    origins: tuple[tuple[Path | None, int], ...] | None = None
    includes: tuple[shared_blocks.Include, ...] = ()
    include_errors: tuple[shared_blocks.IncludeError, ...] = ()

    @property
    def is_home(self) -> bool:
        return self.slug == HOME_SLUG

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or self.slug)

    @property
    def summary(self) -> str:
        return str(self.meta.get("summary") or "")

    @property
    def category(self) -> str | None:
        value = self.meta.get("category")
        return str(value) if value is not None else None

    @property
    def related(self) -> list[str]:
        value = self.meta.get("related") or []
        return [str(slug) for slug in value] if isinstance(value, list) else []

    @property
    def translation(self) -> dict[str, Any]:
        value = self.meta.get("translation")
        return value if isinstance(value, dict) else {}

    @property
    def translations_pending(self) -> bool:
        """This English article declares its translations may be missing or behind its text for now."""
        return self.meta.get(TRANSLATIONS_KEY) == PENDING

    @property
    def translation_status(self) -> str | None:
        status = self.translation.get("status")
        return str(status) if status is not None else None

    def clinical_codes(self) -> codes.CodeList:
        """The diagnosis codes this page claims (`codes:`; an English article's, which its translations
        inherit) and what is wrong with how they are written (careleaf/model/codes.py)."""
        return codes.read_codes(self.meta.get(codes.FRONT_MATTER_KEY), self.slug, self.line_of)

    @property
    def own_body(self) -> str:
        """The body as the file has it: include lines, not the blocks they include."""
        return self.body if self.source_body is None else self.source_body

    def locate(self, line: int) -> tuple[Path, int]:
        """The file and line where a line of `body` was written (a shared block's, for an included line)."""
        index = line - self.body_line
        if self.origins is None or not 0 <= index < len(self.origins):
            return self.path, line
        path, origin = self.origins[index]
        return (path or self.path), origin

    def line_of(self, *path: Any) -> int:
        """The file line of a front-matter key, else of its nearest parent, else line 1."""
        while path:
            if path in self.front_matter_lines:
                return self.front_matter_lines[path]
            path = path[:-1]
        return 1

    def headings(self) -> list[Heading]:
        return list(self._headings)

    @cached_property
    def _headings(self) -> tuple[Heading, ...]:
        return tuple(_headings(self.body, self.body_line))

    def sections(self) -> list[Section]:
        return list(self._sections)

    @cached_property
    def _sections(self) -> tuple[Section, ...]:
        # Pages are read once and not changed afterwards: parse their sections once.
        return tuple(split_sections(self.body, self.body_line, self._headings))

    def red_flag_sections(self) -> list[Section]:
        return [section for section in self.sections() if section.is_red_flags]

    def red_flags(self) -> RedFlags | None:
        """The first red-flag section (the validator reports any second one)."""
        return self._red_flags

    @cached_property
    def _red_flags(self) -> RedFlags | None:
        # Every translation is compared with its English source: parse each page's tiers once.
        sections = self.red_flag_sections()
        return parse_red_flags(sections[0]) if sections else None

    def source_revision(self) -> dict[str, str]:
        """Hashes of this page's own red-flag section and of the rest of its own text.

        A translation records the English page's revision it was made from, so a later
        change to the English source can be seen (red flags separately: they matter most).
        Include lines count, the blocks they include do not: a block is translated once, and
        tracks its own English revision (safety.staleness).
        """
        return dict(self._source_revision)

    @cached_property
    def _source_revision(self) -> dict[str, str]:
        if self.source_body is None:
            return self.content_revision()
        return self._revision(self.source_body)

    def content_revision(self) -> dict[str, str]:
        """The same two hashes over the text as readers get it, shared blocks included: what a
        clinician approves, so an edit to any block it includes makes the approval stale."""
        return dict(self._content_revision)

    @cached_property
    def _content_revision(self) -> dict[str, str]:
        return self._revision(self.body)

    def _revision(self, body: str) -> dict[str, str]:
        sections = [section for section in split_sections(body) if section.is_red_flags]
        red_flags = "\n".join(section.body for section in sections)
        rest = body
        for section in sections:
            rest = rest.replace(section.body, "", 1)
        front = {key: self.meta.get(key) for key in ("title", "summary")}
        return {"red_flags": _digest(red_flags), "text": _digest(f"{front}\n{rest}")}

    def included_in_red_flags(self) -> set[str]:
        """The shared blocks included inside the red-flag section (their staleness is the card's)."""
        sections = [section for section in split_sections(self.own_body, self.body_line) if section.is_red_flags]
        spans = [range(section.body_line, section.body_line + section.body.count("\n") + 1) for section in sections]
        return {include.name for include in self.includes if any(include.line in span for span in spans)}


# ---------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------


def read_page(path: Path, lang: str) -> Page:
    """Read one Markdown file into a Page, recording (not raising) what is wrong with it."""
    try:
        text = reading.read_text(path)
    except reading.ReadError as error:
        page = Page(slug=path.stem, lang=lang, path=path)
        page.read_errors.append((error.code, error.line, error.message))
        return page
    return parse_page(text, path, lang)


def parse_page(text: str, path: Path, lang: str) -> Page:
    """A page from its text (a file's, or an earlier revision's from git), read as read_page reads it."""
    page = Page(slug=path.stem, lang=lang, path=path)
    if not text.strip():
        page.read_errors.append(("file-empty", 1, "the file is empty"))
        return page
    match = YAML_RE.match(text)
    if not match:
        page.read_errors.append(("front-matter-missing", 1, "no YAML front matter (a block between '---' lines)"))
        page.body = text
        return page
    # The same block MkDocs reads, parsed here with errors kept: MkDocs would drop them silently.
    try:
        document = reading.load_yaml(match.group(1), first_line=2)
    except reading.YamlError as error:
        page.read_errors.append(("front-matter-yaml", error.line, f"front matter is not valid YAML: {error.problem}"))
        document = reading.Document({}, {})
    data = {} if document.data is None else document.data
    if not isinstance(data, dict):
        page.read_errors.append(("front-matter-yaml", 2, "front matter must be a mapping of keys to values"))
        data = {}
    page.meta = data
    page.front_matter_lines = {**document.item_lines, **document.key_lines}
    body_start = match.end()
    stripped = text[body_start:].lstrip("\n")
    page.body = stripped
    page.body_line = text[: len(text) - len(stripped)].count("\n") + 1
    return page


def _digest(text: str) -> str:
    # Tabs expanded as Python-Markdown expands them: re-indenting a card with tabs changes nothing.
    normalized = "\n".join(line.rstrip() for line in text.expandtabs(4).strip().splitlines())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:12]


# ---------------------------------------------------------------------------
# Sections and red flags
# ---------------------------------------------------------------------------


def attribute_anchor(attrs: str | None) -> str | None:
    """The id an attribute list gives ({#red-flags} -> red-flags), or None."""
    if not attrs:
        return None
    match = re.search(r"#([\w-]+)", attrs)
    return match.group(1) if match else None


def _headings(markdown: str, first_line: int) -> Iterator[Heading]:
    for index, line, in_code in outside_fences(markdown):
        if in_code:
            continue
        match = _HEADING.match(line)
        if match:
            yield Heading(
                level=len(match.group("hashes")),
                text=match.group("text").strip(),
                anchor=attribute_anchor(match.group("attrs")),
                line=first_line + index,
            )


def split_sections(markdown: str, first_line: int = 1, headings: Iterable[Heading] | None = None) -> Iterator[Section]:
    """Level-2 sections: each runs from its heading to the next level-2 heading."""
    lines = markdown.split("\n")
    starts = [
        (heading.line - first_line, heading)
        for heading in (_headings(markdown, first_line) if headings is None else headings)
        if heading.level == 2
    ]
    for position, (index, heading) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        yield Section(
            heading=heading.text,
            anchor=heading.anchor,
            line=heading.line,
            body="\n".join(lines[index + 1 : end]),
            body_line=heading.line + 1,
        )


def parse_red_flags(section: Section) -> RedFlags:
    """Read the tier cards of a red-flag section, keeping what does not belong for the validator."""
    tiers: list[Tier] = []
    stray: list[int] = []
    # Tabs to 4-column stops, as Python-Markdown expands them (tab_length 4) before any indentation counts.
    lines = section.body.expandtabs(4).split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        match = _ADMONITION.match(line)
        if not match:
            if line.strip():
                stray.append(section.body_line + index)
            index += 1
            continue
        start = index
        index += 1
        block: list[str] = []
        while index < len(lines) and (not lines[index].strip() or lines[index].startswith(("    ", "\t"))):
            block.append(lines[index])
            index += 1
        tiers.append(_tier(match, block, section.body_line + start))
    return RedFlags(heading=section.heading, line=section.line, tiers=tuple(tiers), stray_lines=tuple(stray))


def _tier(match: re.Match, block: list[str], line: int) -> Tier:
    body = textwrap.dedent("\n".join(block)).strip("\n")
    items: list[str] = []
    item_lines: list[int] = []
    stray: list[int] = []
    for offset, text in enumerate(textwrap.dedent("\n".join(block)).split("\n"), start=1):
        item = _LIST_ITEM.match(text)
        if item:
            items.append((item.group("text") or "").strip())
            item_lines.append(line + offset)
        elif text.startswith((" ", "\t")) and text.strip() and items:
            items[-1] = f"{items[-1]} {text.strip()}"
        elif text.strip():
            stray.append(line + offset)
    return Tier(
        kind=match.group("kind").lower(),
        line=line,
        items=tuple(items),
        body=body,
        title=match.group("title"),
        collapsible=match.group("marker").startswith("???"),
        stray_lines=tuple(stray),
        item_lines=tuple(item_lines),
    )


def tier_markers(markdown: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """Every red-flag tier admonition in a text, wherever it stands: (line, kind)."""
    for index, line, in_code in outside_fences(markdown):
        match = None if in_code else _ADMONITION.match(line)
        if match and match.group("kind").lower() in TIER_KINDS:
            yield first_line + index, match.group("kind").lower()


def red_flag_body_span(markdown: str) -> tuple[int, int] | None:
    """Character span of the first red-flag section's body, for the build to replace it."""
    offsets = [0]
    for line in markdown.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    sections = [section for section in split_sections(markdown) if section.is_red_flags]
    if not sections:
        return None
    section = sections[0]
    start = offsets[section.body_line - 1]
    end = min(start + len(section.body), len(markdown))
    return start, end


def _page_store(project: Project):
    from careleaf.model import markup
    from careleaf.util.cache import PageStore, source_fingerprint

    # Parsed parts (headings, sections, red flags) depend on this code; the Markdown settings go in too.
    return PageStore(
        project.root,
        source_fingerprint(
            sys.modules[__name__], reading, markup, extra=f"{sys.version}\0{markup.fingerprint(project)}"
        ),
    )


def _stored_page(store, path: Path, lang: str) -> Page:
    try:
        key = store.key(path, lang, path.read_bytes())
    except OSError:
        return read_page(path, lang)
    page = store.get(key) or read_page(path, lang)
    store.keep(key, page)
    return page


def well_named(relative: Path, languages: Iterable[str]) -> bool:
    """Lowercase ASCII words joined by hyphens, for every folder (but a language's own) and the file."""
    *folders, name = relative.parts
    folders = folders[1:] if folders and folders[0] in languages else folders
    return bool(_FILE_NAME.match(name)) and all(SLUG.match(folder) for folder in folders)


# ---------------------------------------------------------------------------
# The library: every page in every language
# ---------------------------------------------------------------------------


@dataclass
class Library:
    project: Project
    pages: dict[tuple[str, str], Page]
    # Markdown files outside any configured language folder.
    strays: list[Path] = field(default_factory=list)
    # Files whose names would not make clean web addresses ("Muscle Spasm copy.md"): never read as pages.
    misnamed: list[Path] = field(default_factory=list)
    store: Any = field(default=None, repr=False, compare=False)
    # Shared blocks by (name, language): docs/<lang>/shared/<name>.md, read as pages (careleaf/model/shared_blocks.py).
    blocks: dict[tuple[str, str], Page] = field(default_factory=dict)

    @classmethod
    def load(cls, project: Project, remember: bool = False) -> Library:
        """Every file under docs/. With `remember`, pages whose file an earlier run read (byte for byte)
        come back parsed from `.cache/careleaf/`, and `remember()` keeps this run's for the next."""
        store = _page_store(project) if remember else None
        pages: dict[tuple[str, str], Page] = {}
        blocks: dict[tuple[str, str], Page] = {}
        strays: list[Path] = []
        misnamed: list[Path] = []
        for path in sorted(project.docs_dir.rglob("*")):
            relative = path.relative_to(project.docs_dir)
            # MkDocs publishes no dot-file (.DS_Store, .git): neither does Careleaf judge them.
            if any(part.startswith(".") for part in relative.parts) or path.is_dir():
                continue
            if not well_named(relative, project.languages):
                misnamed.append(path)
            elif path.suffix != ".md":
                continue
            elif relative.parts[0] in project.languages and len(relative.parts) in (2, 3):
                name = shared_blocks.block_name(Path(*relative.parts[1:])) if len(relative.parts) == 3 else None
                if len(relative.parts) == 3 and name is None:
                    strays.append(path)
                    continue
                page = _stored_page(store, path, relative.parts[0]) if store else read_page(path, relative.parts[0])
                if name is None:
                    pages[(page.slug, page.lang)] = page
                else:
                    # A block is read as a page whose slug is its include path without .md: shared/<name>.
                    page.slug = f"{shared_blocks.FOLDER}/{name}"
                    blocks[(name, page.lang)] = page
            else:
                strays.append(path)
        library = cls(project=project, pages=pages, strays=strays, misnamed=misnamed, store=store, blocks=blocks)
        library.pages = {key: library.resolved(page) for key, page in pages.items()}
        return library

    def resolved(self, page: Page) -> Page:
        """The page with its shared blocks included (the same page when it includes none)."""
        if "8<" not in page.body:
            return page
        result = self.resolve(page.body, page.lang, page.body_line)
        return replace(
            page,
            body=result.text,
            source_body=page.body,
            origins=result.origins,
            includes=result.includes,
            include_errors=result.errors,
            read_errors=list(page.read_errors),
        )

    def resolve(self, text: str, lang: str, first_line: int = 1) -> shared_blocks.Resolved:
        """A text of `lang` with its includes replaced by that language's blocks (the build's Markdown too)."""

        def lookup(name: str) -> tuple[Path, str, int] | None:
            block = self.blocks.get((name, lang))
            return None if block is None or block.read_errors else (block.path, block.body, block.body_line)

        return shared_blocks.resolve(text, first_line, lookup, lambda: self.block_names(lang))

    def block_names(self, lang: str) -> list[str]:
        return sorted(name for (name, block_lang) in self.blocks if block_lang == lang)

    def including(self, name: str, lang: str | None = None) -> list[Page]:
        """The pages that include a shared block (in one language, or in all)."""
        return [
            page
            for (slug, page_lang), page in sorted(self.pages.items())
            if (lang is None or page_lang == lang) and any(include.name == name for include in page.includes)
        ]

    def remember(self) -> None:
        """Keep the pages (with what was parsed of them) for the next run that loads with `remember`."""
        if self.store is not None:
            self.store.save()

    @property
    def slugs(self) -> list[str]:
        """Article slugs, as the default language defines them (the source of truth)."""
        return sorted(
            slug for (slug, lang) in self.pages if lang == self.project.default_language and slug != HOME_SLUG
        )

    def get(self, slug: str, lang: str) -> Page | None:
        """An article or home page; `shared/<name>` names a shared block."""
        if slug.startswith(f"{shared_blocks.FOLDER}/"):
            return self.blocks.get((slug.partition("/")[2], lang))
        return self.pages.get((slug, lang))

    @property
    def block_slugs(self) -> list[str]:
        """The English shared blocks, as `shared/<name>` (the source of truth, like `slugs`)."""
        return sorted(
            block.slug for (name, lang), block in self.blocks.items() if lang == self.project.default_language
        )

    def source(self, slug: str) -> Page | None:
        return self.get(slug, self.project.default_language)

    def declared_unfinished(self, slug: str, lang: str) -> str | None:
        """Why `slug`'s `lang` page may be missing or behind its English for now, in words (its
        language is in progress, or the English declares its translations pending), or None."""
        if lang in self.project.languages_in_progress:
            return f"'{lang}' is in progress"
        source = self.source(slug)
        if source is not None and source.translations_pending:
            return f"{self.project.relative(source.path)} declares its translations pending"
        return None

    def best(self, slug: str, lang: str) -> Page | None:
        """The page a reader of `lang` gets: the translation, or the English fallback."""
        return self.get(slug, lang) or self.source(slug)

    def articles(self, lang: str | None = None) -> list[Page]:
        return [
            page
            for (slug, page_lang), page in sorted(self.pages.items())
            if slug != HOME_SLUG and (lang is None or page_lang == lang)
        ]

    def by_category(self, lang: str) -> dict[str, list[Page]]:
        """Articles a reader of `lang` sees, grouped by category key, sorted by title."""
        groups: dict[str, list[Page]] = {}
        for slug in self.slugs:
            page = self.best(slug, lang)
            if page is not None and page.category:
                groups.setdefault(page.category, []).append(page)
        return {key: sorted(pages, key=lambda page: page.title.casefold()) for key, pages in sorted(groups.items())}
