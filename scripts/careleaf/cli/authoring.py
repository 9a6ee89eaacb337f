"""Writing and signing off articles: `careleaf new` and `careleaf approve`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from careleaf.cli.base import Command, date
from careleaf.cli.errors import OK

if TYPE_CHECKING:
    from careleaf.model.project import Project


# ---------------------------------------------------------------------------------------------------
# new
# ---------------------------------------------------------------------------------------------------


def _new_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("slug", help="the article's file name without .md (e.g. sprained-ankle)")
    parser.add_argument("--category", help="a key of categories: in locales/en.yml (a new English article)")
    parser.add_argument("--lang", help="start this language's translation of an existing English article")


def _new(project: Project, args: argparse.Namespace) -> int:
    """A new English article (translations pending), or one language's translation of it."""
    from careleaf.authoring.scaffold import create

    print(f"created {create(project, args.slug, args.category, args.lang)}")
    print("Replace every '[TO WRITE: ...]', then run careleaf validate.")
    if not args.lang and project.translations:
        print(
            f"Until each translation arrives, readers of {', '.join(project.translations)} get the English page "
            f"with a notice ('translations: pending'). A translator starts one with: careleaf new {args.slug} "
            f"--lang LANG (or for a vendor: careleaf xliff export LANG {args.slug} -o FILE.xlf)."
        )
    return OK


NEW = Command(
    name="new",
    summary="start an English article, or one translation of it",
    description=(
        "Start a new English article with the full structure (red-flag card included) and placeholders,\n"
        "its translations declared pending: until each arrives, readers of that language get the English\n"
        "page with a notice, and the strict build still publishes. With --lang, start that language's\n"
        "page for an existing English article, in the same structure and with its translation block.\n"
        "Every '[TO WRITE: ...]' placeholder fails the validator until it is replaced.\n\n"
        "Exit codes: 0 created, 2 usage or configuration error (bad slug, category or language, page exists)."
    ),
    arguments=_new_arguments,
    run=_new,
)


# ---------------------------------------------------------------------------------------------------
# approve
# ---------------------------------------------------------------------------------------------------


def _approve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("slug", help="the English article")
    parser.add_argument("--by", required=True, help="the clinician who approved it, with their credential")
    parser.add_argument("--date", type=date, help="approval date (default: today)")


def _approve(project: Project, args: argparse.Namespace) -> int:
    """Record a clinician's approval of the English article as it reads now."""
    from careleaf.model.approval import approve
    from careleaf.model.content import Library

    block = approve(Library.load(project), args.slug, args.by, args.date)
    revision = block["revision"]
    print(
        f"{project.default_language}/{args.slug}.md: approved by {block['approved_by']} on {block['date']} "
        f"(red flags {revision['red_flags']}, text {revision['text']})"
    )
    return OK


APPROVE = Command(
    name="approve",
    summary="record a clinician's approval of an English article",
    description=(
        "Record a clinician's approval of an English article as it reads now. Run it only when a qualified\n"
        "clinician has read and approved this version: any later edit to the article's text or red flags\n"
        "makes the approval stale until it is approved again.\n\n"
        "Exit codes: 0 recorded, 2 usage or configuration error (no such article, no name)."
    ),
    arguments=_approve_arguments,
    run=_approve,
)


# ---------------------------------------------------------------------------------------------------
# editor
# ---------------------------------------------------------------------------------------------------


def _editor_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8090, help="the editor's port on this machine (default 8090)")


def _editor(project: Project, args: argparse.Namespace) -> int:
    """The browser editor over this checkout's repository, until Ctrl+C."""
    import threading

    from careleaf.authoring.editor import running

    with running(project, args.port) as editor:
        print(f"The editor is at {editor.address} (on this machine only). Ctrl+C stops it.", flush=True)
        threading.Event().wait()
    return OK


EDITOR = Command(
    name="editor",
    summary="write and translate articles in the browser",
    description=(
        "Start the browser editor (Decap CMS) on this machine, over this checkout's git repository, and\n"
        "print its address. Articles are forms: the red-flag card is three lists of signs, each written\n"
        "or a shared sign chosen by name; each language side by side with the English. Saving writes\n"
        "the same Markdown as a hand-written file, and is refused, in the validator's words, when the\n"
        "validator would refuse the page. Drafts, reviews and publishing are the editorial workflow's:\n"
        "each article's draft is a git branch until it is published into the current branch.\n"
        "Start it in a checkout with no uncommitted changes: it commits, and switches branches for drafts.\n\n"
        "Exit codes: 0 stopped, 2 usage or environment error (no git checkout, uncommitted changes,\n"
        "Decap CMS not installed)."
    ),
    arguments=_editor_arguments,
    run=_editor,
)
