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
