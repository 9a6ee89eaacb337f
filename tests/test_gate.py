"""One publishing gate: no output is made from a library the strict web build refuses, by any tool."""

from __future__ import annotations

import os
import subprocess

import pytest

from careleaf.cli import main as careleaf  # the command under test
from careleaf.model import project as project_settings
from careleaf.model.content import Library
from conftest import MKDOCS, ROOT, copy_project, edit, without_handouts

PROPERDOCS = ROOT / ".venv-properdocs" / "bin" / "properdocs"
SLUGS = Library.load(project_settings.load(ROOT / "mkdocs.yml")).slugs


def approval_required(tmp_path):
    """A copy of the project that requires clinical approval, which no article has."""
    project = copy_project(tmp_path / "project")
    edit(
        project / "mkdocs.yml", "clinical_review:\n        required: false", "clinical_review:\n        required: true"
    )
    # Refused or not, nothing here needs the PDFs: leave Chromium out of it.
    without_handouts(project)
    return project


def refusal() -> str:
    first = sorted(SLUGS)[0]
    return (
        f"careleaf: refused: mkdocs build --strict, the publishing build, does not accept this library "
        f"({len(SLUGS)} error(s), 0 warning(s)); the first: docs/en/{first}.md:1: error: no clinician has approved "
        f'this article (the careleaf plugin\'s clinical_review.required): careleaf approve {first} --by "Name, credential" '
        f"[clinical-review-pending]; every one: careleaf validate --strict\n"
    )


def test_no_packet_is_printed_from_a_library_the_publishing_build_refuses(tmp_path, capsys):
    project = approval_required(tmp_path)
    target = tmp_path / "packet.pdf"
    code = careleaf(
        [
            "-f",
            str(project / "mkdocs.yml"),
            "packet",
            "--site",
            str(tmp_path / "site"),
            "--lang",
            "es",
            "muscle-spasm",
            "-o",
            str(target),
        ]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert (captured.out, captured.err) == ("", refusal())
    assert not target.exists()


def test_no_handout_is_printed_from_a_library_the_publishing_build_refuses(tmp_path, capsys):
    project = approval_required(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    code = careleaf(["-f", str(project / "mkdocs.yml"), "handouts", "--site", str(site)])
    captured = capsys.readouterr()
    assert code == 1
    assert (captured.out, captured.err) == ("", refusal())
    assert list(site.iterdir()) == []


def test_a_strict_build_refuses_to_run_quiet(tmp_path):
    # --quiet hides warnings from the counter --strict fails on (mkdocs#4126): a strict build would pass anything.
    project = copy_project(tmp_path / "project")
    edit(project / "docs/es/muscle-spasm.md", "\n## ", "\nVea [la otra página](no-such-page.md).\n\n## ")
    site = tmp_path / "site"
    result = subprocess.run(
        [*MKDOCS, "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env=_environment(),
    )
    assert result.returncode == 1
    assert (
        "ERROR   -  --strict does not work with --quiet: MkDocs then counts no warning, so nothing would fail "
        "the build; run it without --quiet"
    ) in result.stderr.splitlines()
    assert "Traceback" not in result.stderr and not site.exists()


@pytest.mark.parametrize("tool", ["mkdocs", "properdocs"])
def test_a_refused_strict_build_leaves_the_published_site_as_it_was(tmp_path, tool):
    # ProperDocs counts warnings on its own logger, above MkDocs': the hook must see that counter too.
    project = approval_required(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the site as published before", encoding="utf-8")
    command = [*MKDOCS] if tool == "mkdocs" else [str(PROPERDOCS)]
    result = subprocess.run(
        [*command, "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env=_environment(),
    )
    assert result.returncode == 1
    output = result.stderr + result.stdout
    # Refused as the build starts, every unapproved article named, before a page or a PDF is made.
    assert f"Careleaf validation failed ({len(SLUGS)} error(s)):" in output
    assert all(f"docs/en/{slug}.md" in output for slug in SLUGS)
    assert " printing " not in output and "Documentation built" not in output
    assert [path.name for path in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "the site as published before"
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".careleaf-")] == []


def _environment() -> dict[str, str]:
    # The builds run this checkout's Careleaf, whatever the environment's editable install points at.
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "scripts"), "CARELEAF_JOBS": "2"}
