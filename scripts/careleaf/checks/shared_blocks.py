"""Checks of shared block files: their front matter, English source, translation revision, and use."""

from __future__ import annotations

import datetime as dt

from careleaf.checks import safety
from careleaf.checks.front_matter import check_pending, check_translation_block
from careleaf.checks.problems import Gate, Problem, reporter
from careleaf.model import shared_blocks
from careleaf.model.content import TRANSLATIONS_KEY, Library
from careleaf.model.project import Project
from careleaf.model.reading import shown

BLOCK_FIELDS = {"title": str}


def check_shared_blocks(project: Project, library: Library, today: dt.date) -> list[Problem]:
    """Each block's file and front matter, its English source, its translation's revision; an unused block.
    What a block says is judged where it is read: inside every page that includes it."""
    problems = []
    for (name, lang), block in sorted(library.blocks.items()):
        problem = reporter(project, block)
        problems += [problem(code, line, message) for code, line, message in block.read_errors]
        if block.read_errors:
            continue
        if not block.body.strip():
            problems.append(problem("shared-block-empty", block.body_line, "the shared block has no text"))
        nested, _ = shared_blocks.includes(block.body, block.body_line)
        problems += [
            problem("shared-block-nested", include.line, "a shared block cannot include another shared block")
            for include in nested
        ]
        title = block.meta.get("title")
        if not isinstance(title, str) or not title.strip():
            problems.append(
                problem(
                    "front-matter-missing-field",
                    block.line_of("title"),
                    "a shared block needs 'title': what it holds, for editors and translators",
                )
            )
        if TRANSLATIONS_KEY in block.meta:
            problems += check_pending(project, library, block, problem)
        for key in block.meta:
            if key not in BLOCK_FIELDS and key not in ("translation", TRANSLATIONS_KEY):
                problems.append(
                    problem(
                        "front-matter-unknown-field",
                        block.line_of(key),
                        f"unknown front-matter key {shown(key)} in a shared block",
                        Gate.ADVISORY,
                    )
                )
        source = library.source(block.slug)
        if lang == project.default_language:
            if "translation" in block.meta:
                problems.append(
                    problem(
                        "translation-on-source",
                        block.line_of("translation"),
                        f"'{lang}' is the source language: it has no 'translation' block",
                    )
                )
            if not library.including(name):
                problems.append(
                    problem(
                        "shared-block-unused", 1, f"no article includes {shared_blocks.target_of(name)}", Gate.ADVISORY
                    )
                )
            continue
        if source is None:
            problems.append(
                problem(
                    "translation-orphan",
                    1,
                    f"no English shared block "
                    f"{project.relative(project.docs_dir / project.default_language / shared_blocks.target_of(name))}",
                )
            )
            continue
        problems += check_translation_block(block, problem)
        # A block includes nothing, so its safety problems are located in its own file, as its reporter would.
        problems += safety.placeholder_problems(project, block) + safety.translation_problems(library, block)
    return problems
