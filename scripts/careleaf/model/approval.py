"""Clinical sign-off: who approved an English article's clinical content, bound to what they read.

An approval records the article's content revision as readers get it, shared blocks included, so
any later edit to its text, its red flags or a block it includes makes the approval stale.
Only `careleaf approve` writes one, on purpose.
"""

from __future__ import annotations

import datetime as dt

from careleaf.model.content import Library, Page
from careleaf.model.translations import MarkError, write_front_matter_block

KEY = "clinical_review"
APPROVED, PENDING, STALE = "approved", "pending", "stale"


def status(page: Page) -> str:
    """approved (for the text as it is now), stale (for an earlier text) or pending (never approved)."""
    block = page.meta.get(KEY)
    if not isinstance(block, dict):
        return PENDING
    return APPROVED if block.get("revision") == page.content_revision() else STALE


def readers_are_warned(library: Library, page: Page) -> bool:
    """True when a page's clinical content (its English source) is not approved as it reads now."""
    source = None if page.is_home else library.source(page.slug)
    return source is not None and status(source) != APPROVED


def malformed(block) -> str | None:
    """What is wrong with a clinical_review block, if anything."""
    if not isinstance(block, dict):
        return "must be a mapping with approved_by, date and revision (written by careleaf approve)"
    if not isinstance(block.get("approved_by"), str) or not block["approved_by"].strip():
        return "needs approved_by: the clinician's name and credential"
    if not isinstance(block.get("date"), dt.date):
        return "needs the date of the approval (YYYY-MM-DD)"
    revision = block.get("revision")
    if not (isinstance(revision, dict) and all(isinstance(revision.get(part), str) for part in ("red_flags", "text"))):
        return "needs the revision approved ('red_flags' and 'text' hashes, as careleaf approve writes them)"
    return None


def approve(library: Library, slug: str, by: str, date: dt.date | None = None) -> dict:
    """Record that `by` approved the English article `slug` as it reads now."""
    page = library.source(slug)
    if page is None or page.is_home:
        raise MarkError(f"no English article {library.project.default_language}/{slug}.md")
    if page.read_errors:
        raise MarkError(f"{library.project.relative(page.path)} cannot be read: {page.read_errors[0][2]}")
    if not by.strip():
        raise MarkError("--by names the clinician who approved it, with their credential")
    block = {"approved_by": by.strip(), "date": date or dt.date.today(), "revision": page.content_revision()}
    write_front_matter_block(page, KEY, block)
    return block
