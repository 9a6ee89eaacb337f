"""Checks that an English article records the clinician who approved its text as it reads now."""

from __future__ import annotations

from careleaf.checks.problems import Gate, Problem
from careleaf.model import approval
from careleaf.model.content import Page
from careleaf.model.project import Project


def check_clinical_review(project: Project, page: Page, problem) -> list[Problem]:
    """English articles record who approved their clinical content, for the text as it reads now."""
    line = page.line_of(approval.KEY)
    required = project.clinical_review_required
    if page.lang != project.default_language:
        if approval.KEY in page.meta:
            return [
                problem("clinical-review", line, "clinical approval belongs on the English page (careleaf approve)")
            ]
        return []
    if approval.KEY in page.meta and (wrong := approval.malformed(page.meta[approval.KEY])):
        return [problem("clinical-review", line, f"'{approval.KEY}' {wrong}")]
    state = approval.status(page)
    command = f'careleaf approve {page.slug} --by "Name, credential"'
    if state == approval.STALE:
        block = page.meta[approval.KEY]
        return [
            problem(
                "clinical-review-stale",
                line,
                f"approved by {block['approved_by']} on {block['date']} for an "
                f"earlier text: a clinician reviews the changes, then {command}",
                Gate.FAILS_STRICT if required else Gate.ADVISORY,
            )
        ]
    if state == approval.PENDING and required:
        return [
            problem(
                "clinical-review-pending",
                1,
                f"no clinician has approved this article (the careleaf plugin's clinical_review.required): {command}",
                Gate.FAILS_STRICT,
            )
        ]
    return []
