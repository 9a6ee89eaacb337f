"""The one shape of a problem the checks report, the report they make, and where a page's line is reported."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from careleaf.model import markup
from careleaf.model.content import Library, Page
from careleaf.model.project import Project

ERROR = "error"
WARNING = "warning"
NOTE = "note"
# How a problem in a shared block names the page that includes it (the first, when several do).
INCLUDED_AT = " (included at "


class Gate(Enum):
    """What a problem does to publishing: the one decision a check makes besides what it says."""

    # The page must not be rendered at all: `mkdocs build` stops.
    STOPS_BUILD = "stops-build"
    # The build renders the page (with a notice), but `mkdocs build --strict` and `careleaf validate` fail.
    FAILS_STRICT = "fails-strict"
    # A warning: only `--strict` fails.
    ADVISORY = "advisory"
    # An open item the team declared (a language in progress, an article's translations pending):
    # readers see a notice, and no build fails, not even --strict.
    DECLARED = "declared"

    @property
    def severity(self) -> str:
        """'error', 'warning' or 'note', as every output spells it."""
        return {Gate.ADVISORY: WARNING, Gate.DECLARED: NOTE}.get(self, ERROR)


@dataclass(frozen=True)
class Problem:
    """One problem, where it was written (path:line), whose it is (language, article) and its gate."""

    path: str
    line: int
    language: str | None
    article: str | None
    code: str
    message: str
    gate: Gate = Gate.STOPS_BUILD

    @property
    def severity(self) -> str:
        return self.gate.severity

    @property
    def stops_build(self) -> bool:
        """An error that stops the build itself: the page must not be rendered at all."""
        return self.gate is Gate.STOPS_BUILD

    def human(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, Any]:
        # The keys (and their order) of `careleaf validate --format json`: the gate shows as its severity.
        return {
            "path": self.path,
            "line": self.line,
            "language": self.language,
            "article": self.article,
            "code": self.code,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass
class Report:
    problems: list[Problem]
    library: Library

    @property
    def blocking(self) -> list[Problem]:
        """Errors that stop the build itself: a page must not be rendered at all."""
        return [problem for problem in self.problems if problem.stops_build]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == WARNING]

    @property
    def notes(self) -> list[Problem]:
        """Declared open items: listed, never refused."""
        return [problem for problem in self.problems if problem.severity == NOTE]

    def red_flag_summary(self) -> list[dict[str, Any]]:
        """For every article and language: the tiers found and how many signs a reader sees in each."""
        render = markup.renderer(self.library.project)
        rows = []
        for page in self.library.articles():
            red_flags = page.red_flags()
            rows.append(
                {
                    "article": page.slug,
                    "language": page.lang,
                    "path": self.library.project.relative(page.path),
                    "tiers": markup.visible_counts(red_flags, render) if red_flags else {},
                }
            )
        return rows


class Reporter(Protocol):
    """Makes a problem of one page from a line of the page as read (shared blocks included)."""

    def __call__(self, code: str, line: int, message: str, gate: Gate = Gate.STOPS_BUILD) -> Problem: ...


def reporter(project: Project, page: Page) -> Reporter:
    """Makes the problems of one page: problem(code, line, message[, gate])."""
    path = project.relative(page.path)

    def problem(code: str, line: int, message: str, gate: Gate = Gate.STOPS_BUILD) -> Problem:
        # A line of an included shared block is reported where it was written, in the block's file, and
        # where it is included: the cause may be either (a card's marker deleted around an include).
        where, number = page.locate(line)
        if where == page.path:
            return Problem(path, number, page.lang, page.slug, code, message, gate)
        include = next((include.line for include in page.includes if include.name == where.stem), 1)
        return Problem(
            project.relative(where),
            number,
            page.lang,
            page.slug,
            code,
            f"{message}{INCLUDED_AT}{path}:{include})",
            gate,
        )

    return problem


def located(project: Project, page: Page, line: int, code: str, message: str, gate: Gate = Gate.STOPS_BUILD) -> Problem:
    """A problem at a line of the page as read, reported in the file that line was written in (a shared
    block's, for an included line) and with no note of where it is included."""
    where, number = page.locate(line)
    return Problem(project.relative(where), number, page.lang, page.slug, code, message, gate)
