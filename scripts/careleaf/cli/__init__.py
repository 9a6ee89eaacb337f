"""`careleaf`: one command for every workflow, its configuration found once.

    careleaf [-f mkdocs.yml] COMMAND [options]      careleaf --help lists the commands

Every command reads the same mkdocs.yml (`-f/--config-file`, default ./mkdocs.yml, as `mkdocs -f`),
loaded once here through `careleaf.model.project.load` before the command runs; what an error means to the
shell is decided once, in `careleaf.cli.errors`. The command modules import their heavy parts only
when they run, so `careleaf --help` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from careleaf.cli import authoring, checks, outputs, qa, translation
from careleaf.cli.base import Command, config_option
from careleaf.cli.errors import FINDINGS, USAGE, UsageError, exit_code, say

# The index `careleaf --help` prints, in the order a team meets the workflows.
COMMANDS: tuple[Command, ...] = (
    checks.VALIDATE,
    checks.STATUS,
    authoring.NEW,
    authoring.APPROVE,
    authoring.EDITOR,
    translation.MARK_CURRENT,
    translation.SOURCE_REVISION,
    translation.XLIFF,
    outputs.HANDOUTS,
    outputs.PACKET,
    outputs.KIOSK,
    qa.AUDIT,
    qa.BENCH,
)

DEFAULT_CONFIG = Path("mkdocs.yml")


# ---------------------------------------------------------------------------------------------------
# The parser
# ---------------------------------------------------------------------------------------------------


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one `careleaf:` line and exit 2 (UsageError), never a usage dump."""

    def error(self, message: str) -> NoReturn:
        where = self.prog.removeprefix("careleaf").strip()
        raise UsageError(f"{where + ': ' if where else ''}{message} (see '{self.prog} --help')")


def build_parser() -> Parser:
    """`careleaf` and one subcommand per workflow; -f is accepted before or after the command."""
    parser = Parser(
        prog="careleaf",
        description="Careleaf: write, check, translate, approve and publish a patient-education library.",
        epilog="'careleaf COMMAND --help' explains a command. Build or preview the site with 'mkdocs build' / 'mkdocs serve'.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    config_option(parser, DEFAULT_CONFIG)
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    for command in COMMANDS:
        sub = commands.add_parser(
            command.name,
            help=command.summary,
            description=command.description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        config_option(sub)
        command.arguments(sub)
        sub.set_defaults(run=command.run)
    return parser


# ---------------------------------------------------------------------------------------------------
# Running a command
# ---------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Parse, load the configuration once, run the command; map what went wrong to an exit code."""
    # Material warns about MkDocs 2 when it is imported; a careleaf user has nothing to act on.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            raise UsageError("no command given ('careleaf --help' lists them)")
        from careleaf.model import project as project_settings

        project = project_settings.load(args.config_file)
        for note in project.notes:  # settings still under extra: (they fail validate --strict)
            say(f"warning: {args.config_file}: {note}")
        return args.run(project, args)
    except SystemExit as exit_:  # --help and --version: argparse has printed what was asked
        return exit_.code if isinstance(exit_.code, int) else USAGE
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    except BrokenPipeError:  # `careleaf status | head`: the reader has what it wanted
        _silence_stdout()
        return FINDINGS
    except Exception as error:
        code = exit_code(error)
        if code is None:
            raise
        say(str(error))
        return code


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit raises no second BrokenPipeError."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
