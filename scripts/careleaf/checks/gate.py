"""The one publishing gate: nothing is made for readers from a library `mkdocs build --strict` refuses.

The strict web build fails on every error and every warning of the validator (clinical approval
included, when the careleaf plugin's clinical_review.required). The kiosk copy, discharge packets and handouts printed
from the command line pass the same validator, with the same rule, before they make anything.
"""

from __future__ import annotations

import datetime as dt

from careleaf.checks.problems import Report
from careleaf.checks.validation import validate
from careleaf.model.project import Project


class Refused(Exception):
    """The publishing build would refuse this library: the message is one line saying why."""


def require_publishable(project: Project, today: dt.date | None = None, processes: int = 1) -> Report:
    """The validator's report when `mkdocs build --strict` would accept the content, else Refused.

    `processes` above 1 forks (validate's rule): only a single-threaded command-line caller passes it."""
    report = validate(project, today=today, processes=processes)
    failing = report.errors + report.warnings
    if failing:
        first = min(failing, key=lambda problem: (problem.path, problem.line, problem.code))
        raise Refused(
            f"refused: mkdocs build --strict, the publishing build, does not accept this library "
            f"({len(report.errors)} error(s), {len(report.warnings)} warning(s)); the first: {first.human()}; "
            f"every one: careleaf validate --strict"
        )
    return report
