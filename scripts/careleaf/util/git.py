"""Asking git about the checkout: every call the same way, and no answer (not a traceback) outside git."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git(root: Path, *arguments: str) -> str | None:
    """git's output for `arguments` in `root`, or None when git is missing, fails or `root` is no checkout."""
    try:
        result = subprocess.run(["git", "-C", str(root), *arguments], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None


def export(root: Path, revision: str, folder: str, target: Path) -> None:
    """`folder` of the repository as it is at `revision`, written under `target` (target/folder/...)."""
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", "--format=tar", revision, folder], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
