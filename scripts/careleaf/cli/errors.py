"""What a `careleaf` command's failure means to the shell: exit codes and messages, in one place.

0 done (or clean), 1 findings or a refusal (the content is wrong, nothing was made), 2 usage, configuration
or environment error (the command could not run as asked). Every message starts with `careleaf:`; bad input
is one line, never a traceback. An exception this table does not know is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys

OK, FINDINGS, USAGE = 0, 1, 2

# (module, exception, exit code), looked up only in modules already imported: a command that never
# loaded careleaf.qa.audits cannot have raised its error, and `careleaf --help` stays fast.
# The first match wins; subclasses come before the classes they extend.
EXIT_CODES: tuple[tuple[str, str, int], ...] = (
    ("careleaf.checks.gate", "Refused", FINDINGS),  # the publishing build's checks refuse the library
    ("careleaf.outputs.xliff", "XliffError", FINDINGS),  # a returned XLIFF file refused, nothing written
    ("careleaf.cli.errors", "UsageError", USAGE),
    ("careleaf.model.project", "ProjectError", USAGE),  # mkdocs.yml cannot be used
    ("careleaf.model.translations", "MarkError", USAGE),  # approve / mark-current: no such page, no name
    ("careleaf.authoring.scaffold", "ScaffoldError", USAGE),  # new: bad slug or category, article exists
    ("careleaf.authoring.editor", "EditorError", USAGE),  # editor: no git checkout, uncommitted changes
    ("careleaf.outputs.packets", "PacketError", USAGE),  # packet: unknown article or language, no site
    ("careleaf.util.browser", "BrowserMissing", USAGE),
    ("careleaf.qa.audits", "AuditToolMissing", USAGE),
    ("subprocess", "TimeoutExpired", USAGE),  # an audit tool that never answered
    ("builtins", "FileNotFoundError", USAGE),  # handouts: no built site
    ("builtins", "RuntimeError", USAGE),  # a build or tool run failed (its output follows)
    ("careleaf.util.processes", "ProcessError", USAGE),  # a worker process failed (handouts printed in several)
)


class UsageError(Exception):
    """The command line asks for something the command cannot do (exit 2)."""


def exit_code(error: BaseException) -> int | None:
    """The exit code the table gives this error, or None for an error nobody expected (a bug)."""
    for module_name, class_name, code in EXIT_CODES:
        module = sys.modules.get(module_name)
        kind = getattr(module, class_name, None) if module is not None else None
        if isinstance(kind, type) and isinstance(error, kind):
            return code
    return None


def say(message: str) -> None:
    """A message for the person at the terminal (stderr): its first line names careleaf, the rest indented."""
    first, *rest = str(message).splitlines() or [""]
    print("\n".join([f"careleaf: {first}", *(f"  {line}" for line in rest)]), file=sys.stderr, flush=True)
