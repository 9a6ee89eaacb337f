"""What a `careleaf` subcommand is: its name, its line in the index, its options, what it runs."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from careleaf.model.project import Project


@dataclass(frozen=True)
class Command:
    name: str
    summary: str  # one line in `careleaf --help`
    description: str  # `careleaf NAME --help`
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[Project, argparse.Namespace], int]  # the loaded project, the parsed options → exit code


def config_option(parser: argparse.ArgumentParser, default=argparse.SUPPRESS) -> None:
    """-f/--config-file, on `careleaf` and on every (sub)command: after a command it only overrides
    what was given before it (SUPPRESS: no default of its own)."""
    parser.add_argument(
        "-f",
        "--config-file",
        type=Path,
        default=default,
        metavar="FILE",
        help="the project's mkdocs.yml (default: ./mkdocs.yml)",
    )


def date(text: str) -> dt.date:
    """An option's YYYY-MM-DD value, refused in one line when it is not a date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from error
