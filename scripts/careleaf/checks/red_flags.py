"""Checks of a page's red-flag section: one section, its heading, and complete, ordered tier cards of visible signs."""

from __future__ import annotations

import re

from careleaf.checks.problems import Gate, Problem
from careleaf.model import markup
from careleaf.model.content import RED_FLAGS_ID, REQUIRED_ONE_OF, TIER_KINDS, Page, split_sections, tier_markers

# A list marker at the start of a sign's text: a list nested in the sign.
_NESTED_MARKER = re.compile(r"^(?:[-*+]|\d+[.)])(?:[ \t]|$)")


def check_red_flags(page: Page, problem, render: markup.Renderer) -> list[Problem]:
    problems = []
    for heading in page.headings():
        if heading.anchor == RED_FLAGS_ID and heading.level != 2:
            problems.append(
                problem(
                    "red-flags-heading-level",
                    heading.line,
                    f"the red-flag heading must be level 2 ('## ... {{#{RED_FLAGS_ID}}}'), not level {heading.level}",
                )
            )
    sections = page.red_flag_sections()
    if not sections:
        holder = next((s for s in page.sections() if any(True for _ in tier_markers(s.body))), None)
        if holder is not None:
            problems.append(
                problem(
                    "red-flags-no-id",
                    holder.line,
                    f"heading '{holder.heading}' holds red-flag tiers but lacks {{#{RED_FLAGS_ID}}}",
                )
            )
        else:
            problems.append(
                problem(
                    "red-flags-missing",
                    1,
                    f"no red-flag section: add '## <heading> {{#{RED_FLAGS_ID}}}' with its tiers",
                )
            )
        return problems
    for extra in sections[1:]:
        problems.append(
            problem(
                "red-flags-duplicate",
                extra.line,
                f"a second red-flag section (the first is at line {sections[0].line}): keep one card",
            )
        )
    section = sections[0]
    if page.source_body is not None and not any(
        own.is_red_flags for own in split_sections(page.own_body, page.body_line)
    ):
        # The card's revision is taken from the article's own red-flag section: it must be there.
        problems.append(
            problem(
                "red-flags-heading-included",
                section.line,
                f"the red-flag heading comes from a shared block: write '## ... {{#{RED_FLAGS_ID}}}' in the "
                "article itself (shared blocks may hold signs inside the card, not the card)",
            )
        )
    if not section.heading:
        problems.append(problem("red-flags-heading-empty", section.line, "the red-flag heading has no text"))
    red_flags = page.red_flags()  # the first red-flag section, parsed once per page
    assert red_flags is not None  # sections is not empty here, so the page parsed its first
    for line in red_flags.stray_lines[:1]:
        problems.append(
            problem(
                "red-flags-stray-content",
                line,
                "the red-flag section may hold only tier cards (!!! emergency / urgent / contact)",
            )
        )
    seen: dict[str, int] = {}
    for tier in red_flags.tiers:
        if tier.kind not in TIER_KINDS:
            problems.append(
                problem("tier-unknown", tier.line, f"unknown tier '{tier.kind}' (use {', '.join(TIER_KINDS)})")
            )
            continue
        if tier.kind in seen:
            problems.append(
                problem(
                    "tier-duplicate",
                    tier.line,
                    f"a second '{tier.kind}' card (the first is at line {seen[tier.kind]}): merge them",
                )
            )
        seen.setdefault(tier.kind, tier.line)
        if tier.collapsible:
            problems.append(
                problem(
                    "tier-collapsible",
                    tier.line,
                    f"the '{tier.kind}' card must never be collapsible: use '!!! {tier.kind}', not '???'",
                )
            )
        if tier.title is not None:
            problems.append(
                problem(
                    "tier-title",
                    tier.line,
                    f"the '{tier.kind}' card takes no title: its heading comes from locales/{page.lang}.yml",
                )
            )
        if not tier.items:
            problems.append(problem("tier-empty", tier.line, f"the '{tier.kind}' card lists no signs"))
        for text, line in zip(tier.items, tier.item_lines, strict=True):
            if not markup.is_visible(text, render):
                problems.append(
                    problem(
                        "tier-sign-empty",
                        line,
                        f"a sign in the '{tier.kind}' card shows a reader "
                        "nothing (empty, a comment or only markup): write the sign or remove the line",
                    )
                )
            elif _NESTED_MARKER.match(text):
                # "- - sign" is a list inside a sign: one sign to the validator, a nested bullet to the reader.
                problems.append(
                    problem(
                        "tier-sign-nested",
                        line,
                        f"a sign in the '{tier.kind}' card starts with another "
                        f"list marker ({text[:2].strip()!r}): write one '- ' before each sign",
                    )
                )
        for line in tier.stray_lines[:1]:
            problems.append(
                problem("tier-not-a-list", line, f"the '{tier.kind}' card must be a list of signs ('- ...')")
            )
    known = [tier.kind for tier in red_flags.tiers if tier.kind in TIER_KINDS]
    if not any(kind in known for kind in REQUIRED_ONE_OF):
        problems.append(
            problem("tier-required", section.line, "the red-flag section needs an 'emergency' or an 'urgent' card")
        )
    if known != sorted(known, key=TIER_KINDS.index):
        problems.append(
            problem(
                "tier-order",
                section.line,
                f"cards should run from most to least urgent ({', '.join(TIER_KINDS)})",
                Gate.ADVISORY,
            )
        )
    inside = range(section.line, section.line + section.body.count("\n") + 2)
    # Every admonition marker of the page is a card of this section: nothing to look for elsewhere.
    markers = page.body.count("!!!") + page.body.count("???")
    if markers == section.body.count("!!!") + section.body.count("???"):
        return problems
    for line, kind in tier_markers(page.body, page.body_line):
        if line not in inside:
            problems.append(
                problem(
                    "tier-outside-red-flags",
                    line,
                    f"a '{kind}' card outside the red-flag section: move it under the {{#{RED_FLAGS_ID}}} heading",
                )
            )
    return problems
