"""The one shape of a problem the checks report, the report they make, and where a page's line is reported."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from careleaf.model import markup
from careleaf.model.content import Library, Page
from careleaf.model.project import Project


ERROR = "error"
WARNING = "warning"
# How a problem in a shared block names the page that includes it (the first, when several do).
INCLUDED_AT = " (included at "


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    language: str | None
    article: str | None
    code: str
    message: str
    severity: str = ERROR
    # False where the build may still render the page (with a notice) but --strict must fail.
    blocks_build: bool = True

    @property
    def stops_build(self) -> bool:
        """An error that stops the build itself: the page must not be rendered at all."""
        return self.severity == ERROR and self.blocks_build

    def human(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["blocks_build"]
        return data


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


def reporter(project: Project, page: Page):
    """Makes the problems of one page: problem(code, line, message[, severity, blocks_build])."""
    path = project.relative(page.path)

    def problem(code: str, line: int, message: str, severity: str = ERROR, blocks_build: bool = True) -> Problem:
        # A line of an included shared block is reported where it was written, in the block's file, and
        # where it is included: the cause may be either (a card's marker deleted around an include).
        where, number = page.locate(line)
        if where == page.path:
            return Problem(path, number, page.lang, page.slug, code, message, severity, blocks_build)
        include = next((include.line for include in page.includes if include.name == where.stem), 1)
        return Problem(project.relative(where), number, page.lang, page.slug, code,
                       f"{message}{INCLUDED_AT}{path}:{include})", severity, blocks_build)

    return problem
