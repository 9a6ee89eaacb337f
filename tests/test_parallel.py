"""Languages built in parallel processes give the sequential build's output, byte for byte."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from careleaf.build.parallel import LanguageBuildError, ParallelLanguages
from careleaf.qa import bench
from conftest import FALLBACK_SLUG, MKDOCS, ROOT, TEST_EPOCH, copy_project, without_handouts

PARALLEL_LOG = "worker processes"


def build(project: Path, site: Path, jobs: int, strict: bool = True, **env: str) -> str:
    command = [*MKDOCS, "build", "--clean", "--site-dir", str(site), "--config-file", str(project / "mkdocs.yml")]
    command += ["--strict"] if strict else []
    environment = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": TEST_EPOCH,
        "CARELEAF_JOBS": str(jobs),
        **env,
    }
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, env=environment, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


def tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def assert_same_output(parallel: Path, sequential: Path) -> None:
    got, expected = tree(parallel), tree(sequential)
    assert sorted(got) == sorted(expected)
    differing = [name for name in expected if got[name] != expected[name]]
    assert differing == []


def real_project(work: Path) -> Path:
    project = copy_project(work / "project")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    return project


@pytest.mark.parametrize("flavour", ["web", "kiosk", "fallback"])
def test_parallel_build_equals_sequential_build(tmp_path, flavour):
    project = real_project(tmp_path)
    env = {"CARELEAF_KIOSK": "true"} if flavour == "kiosk" else {}
    if flavour == "fallback":
        (project / "docs" / "es" / f"{FALLBACK_SLUG}.md").unlink()
        # The pages alone: every Spanish page changes, and the web flavour already compares printed handouts.
        without_handouts(project)
    # A missing translation still builds (with the English fallback) but may not publish: not --strict.
    strict = flavour != "fallback"
    sequential_log = build(project, tmp_path / "sequential", jobs=1, strict=strict, **env)
    parallel_log = build(project, tmp_path / "parallel", jobs=2, strict=strict, **env)
    assert PARALLEL_LOG not in sequential_log
    assert "Built es, zh, vi, ar in 2 worker processes" in parallel_log
    assert_same_output(tmp_path / "parallel", tmp_path / "sequential")
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".careleaf-languages-")]


def test_parallel_build_equals_sequential_build_on_a_generated_library(tmp_path):
    # More languages than workers; the pages alone (the real library's builds above compare handouts too).
    library = without_handouts(bench.generate(tmp_path / "library", articles=8, languages=6))
    # Synthetic text leaves the real glossaries unused: warnings, so not --strict.
    build(library, tmp_path / "sequential", jobs=1, strict=False)
    parallel_log = build(library, tmp_path / "parallel", jobs=3, strict=False)
    assert "in 3 worker processes" in parallel_log
    assert_same_output(tmp_path / "parallel", tmp_path / "sequential")
    assert (tmp_path / "parallel" / "fr" / "condition-0003" / "index.html").is_file()


def fake_config(tmp_path: Path) -> SimpleNamespace:
    """Enough of a config to fork workers; MkDocs' build() fails on it at once."""
    (tmp_path / "site").mkdir()
    return SimpleNamespace(site_dir=str(tmp_path / "site"), plugins={"i18n": SimpleNamespace(search_entries=[])})


def test_a_language_failing_in_a_worker_fails_the_build_by_name(tmp_path):
    parallel = ParallelLanguages(fake_config(tmp_path), ["es", "zh"], jobs=2)
    with pytest.raises(LanguageBuildError, match=r"building language '(es|zh)' failed: \w+Error"):
        parallel.collect()
    assert not parallel.work.exists()
    assert all(not worker.is_alive() for worker in parallel._workers)


def test_a_worker_that_dies_fails_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(ParallelLanguages, "_build", lambda self, config, lang: os._exit(3))
    parallel = ParallelLanguages(fake_config(tmp_path), ["es", "zh", "vi"], jobs=2)
    with pytest.raises(LanguageBuildError, match=r"exit codes \[3, 3\].*'es', 'zh', 'vi'"):
        parallel.collect()
    assert not parallel.work.exists()


HARD_SPANISH = (
    "La inmovilización musculoesquelética prolongada necesariamente requiere evaluaciones neurovasculares "
    "exhaustivas, particularmente considerando constricciones circunferenciales y parestesias progresivas."
)


def test_readability_checked_alongside_a_parallel_build_still_warns_and_fails_strict(tmp_path):
    project = without_handouts(real_project(tmp_path))  # the pages alone: a test of warnings, not print
    # A translation, so no other article goes stale: readability is the build's only warning.
    article = project / "docs" / "es" / "muscle-spasm.md"
    text = article.read_text(encoding="utf-8")
    first_heading = text.index("\n## ")
    article.write_text(
        text[:first_heading] + "\n\n" + " ".join([HARD_SPANISH] * 12) + "\n" + text[first_heading:], encoding="utf-8"
    )
    log = build(project, tmp_path / "site", jobs=2, strict=False)
    assert "in 2 worker processes" in log
    assert "docs/es/muscle-spasm.md:1: warning: harder to read than the target: fernandez_huerta" in log
    # Handouts on: the strict build learns of the warning as the languages end, and prints none.
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("        build: false\n", "", 1), encoding="utf-8")
    command = [
        *MKDOCS,
        "build",
        "--strict",
        "--site-dir",
        str(tmp_path / "strict"),
        "--config-file",
        str(project / "mkdocs.yml"),
    ]
    result = subprocess.run(
        command,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "CARELEAF_JOBS": "2"},
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "harder to read than the target" in output and "Aborted with 1 warnings in strict mode" in output
    assert "Handouts: none printed" in output and " PDFs in " not in output


def test_a_warning_in_a_worker_language_fails_a_strict_build_naming_it(tmp_path):
    project = real_project(tmp_path)
    article = project / "docs" / "es" / "muscle-spasm.md"
    text = article.read_text(encoding="utf-8")
    first_heading = text.index("\n## ")
    article.write_text(
        text[:first_heading] + "\n\nLea [esta página](no-existe.md).\n" + text[first_heading:], encoding="utf-8"
    )
    command = [
        *MKDOCS,
        "build",
        "--strict",
        "--site-dir",
        str(tmp_path / "site"),
        "--config-file",
        str(project / "mkdocs.yml"),
    ]
    result = subprocess.run(
        command,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "CARELEAF_JOBS": "2"},
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "no-existe.md" in output
    assert "building language 'es' failed: Abort: Aborted with 1 warnings in strict mode" in output
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".careleaf-languages-")]
