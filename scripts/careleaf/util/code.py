"""Where Careleaf's own code is: for child processes that must import it, and tools installed beside it."""

from pathlib import Path

# scripts/: the folder holding the careleaf package (a child process puts it on PYTHONPATH).
CARELEAF_CODE = Path(__file__).resolve().parents[2]
# The checkout the code runs from: node_modules/ and mkdocs.yml sit here.
CHECKOUT = CARELEAF_CODE.parent

# A handout share (careleaf handouts --shard) reaches a build only when that command sets it.
SHARD_ENVIRONMENT = "CARELEAF_HANDOUT_SHARD"


def site_build(config_file: Path, site_dir: Path, **environment: str) -> tuple[list[str], dict[str, str]]:
    """A build that is not for publishing (a preview) as a child process: what strict_build runs, not strict."""
    command, inherited = strict_build(config_file, site_dir, **environment)
    return [part for part in command if part != "--strict"], inherited


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


def without_handouts(config_text: str) -> str:
    """mkdocs.yml with the careleaf plugin's handouts switched off (handouts.build: false): the pages alone."""
    if "      handouts:\n        build: false\n" in config_text:
        return config_text
    if "      handouts:\n" not in config_text:
        raise ValueError("mkdocs.yml has no handouts: section under the careleaf plugin")
    return config_text.replace("      handouts:\n", "      handouts:\n        build: false\n", 1)
