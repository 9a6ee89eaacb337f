"""Where Careleaf's own code is: for child processes that must import it, and tools installed beside it."""

from pathlib import Path

# scripts/: the folder holding the careleaf package (a child process puts it on PYTHONPATH).
CARELEAF_CODE = Path(__file__).resolve().parents[2]
# The checkout the code runs from: node_modules/ and mkdocs.yml sit here.
CHECKOUT = CARELEAF_CODE.parent

# A handout share (careleaf handouts --shard) reaches a build only when that command sets it.
SHARD_ENVIRONMENT = "CARELEAF_HANDOUT_SHARD"


def strict_build(config_file: Path, site_dir: Path, **environment: str) -> tuple[list[str], dict[str, str]]:
    """The publishing build as a child process: its command and environment, running this Careleaf code."""
    import os
    import sys

    inherited = {name: value for name, value in os.environ.items() if name != SHARD_ENVIRONMENT}
    python_path = os.pathsep.join(filter(None, (str(CARELEAF_CODE), os.environ.get("PYTHONPATH"))))
    # No --quiet: it hides warnings from the counter --strict fails on (mkdocs#4126).
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--clean",
        "-f",
        str(config_file),
        "-d",
        str(site_dir),
    ]
    return command, {**inherited, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": python_path, **environment}
