"""`careleaf`: one command for every workflow, one configuration (-f), one way to fail."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from careleaf.cli import COMMANDS
from careleaf.cli import main as careleaf
from careleaf.model.content import read_page
from conftest import ROOT, edit, run_careleaf

NAMES = [command.name for command in COMMANDS]
TODAY = "2026-11-20"

# The least each command needs to get as far as reading the configuration.
MINIMAL = {
    "validate": [],
    "status": [],
    "new": ["elbow", "--category", "bones-and-joints"],
    "approve": ["finger", "--by", "A, MD"],
    "editor": [],
    "mark-current": ["es", "finger"],
    "source-revision": ["finger"],
    "xliff": ["export", "es", "-o", "es.xlf"],
    "handouts": [],
    "packet": ["--lang", "es", "finger", "-o", "packet.pdf"],
    "kiosk": [],
    "audit": [],
    "bench": [],
}
# The old scripts and the command each became.
SHIMS = {
    "validate.py": "validate",
    "new_article.py": "new",
    "approve.py": "approve",
    "mark_current.py": "mark-current",
    "source_revision.py": "source-revision",
    "xliff.py": "xliff",
    "build_handouts.py": "handouts",
    "build_packet.py": "packet",
    "build_kiosk.py": "kiosk",
    "audit.py": "audit",
    "bench.py": "bench",
}


def python(arguments: list[str], cwd: Path, environment: dict[str, str]) -> subprocess.CompletedProcess:
    """This interpreter with this checkout's code, in an environment of the test's choosing."""
    environment = {**environment, "PYTHONPATH": str(ROOT / "scripts")}
    return subprocess.run(
        [sys.executable, *arguments], cwd=cwd, env=environment, capture_output=True, text=True, timeout=300
    )


# ---------------------------------------------------------------------------------------------------
# The index and the help of each command
# ---------------------------------------------------------------------------------------------------


def test_careleaf_help_lists_every_workflow_on_one_line_each():
    result = run_careleaf(["--help"], COLUMNS="80")
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    for command in COMMANDS:
        assert any(
            re.fullmatch(rf"    {re.escape(command.name)} +{re.escape(command.summary)}", line) for line in lines
        ), command.name
    assert set(MINIMAL) == set(NAMES)


def test_every_old_script_names_a_command_the_index_lists():
    scripts = {path.name for path in (ROOT / "scripts").glob("*.py")}
    assert scripts == set(SHIMS)
    for script, command in SHIMS.items():
        text = (ROOT / "scripts" / script).read_text(encoding="utf-8")
        assert f'legacy.run("{script}", ["{command}"], argv)' in text and command in NAMES


def test_the_console_script_is_declared_for_setup_to_install():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"] == {"careleaf": "careleaf.cli:main"}


def test_the_readme_lists_every_command_and_runs_no_old_script():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert re.search(rf"^{re.escape(command.name)} +{re.escape(command.summary)}$", readme, re.M), command.name
    assert re.findall(r"scripts/\w+\.py", readme) == []


def test_setup_runs_the_command_not_the_old_scripts():
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert ".venv/bin/careleaf validate\n" in setup and ".venv/bin/careleaf kiosk --dist dist\n" in setup
    assert re.findall(r"scripts/\w+\.py", setup) == []


@pytest.mark.parametrize("name", NAMES)
def test_each_command_explains_itself(name, capsys):
    assert careleaf([name, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: careleaf {name} [-h] [-f FILE]")
    assert "-f FILE, --config-file FILE" in out


@pytest.mark.parametrize("action", ["export", "import"])
def test_each_xliff_action_explains_itself(action, capsys):
    assert careleaf(["xliff", action, "--help"]) == 0
    assert capsys.readouterr().out.startswith(f"usage: careleaf xliff {action} [-h] [-f FILE]")


# ---------------------------------------------------------------------------------------------------
# One configuration: -f, before or after the command, default ./mkdocs.yml
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("name", NAMES)
def test_every_command_reads_the_configuration_named_by_f(name, where, tmp_path, capsys):
    missing = str(tmp_path / "elsewhere.yml")
    arguments = ["-f", missing, name, *MINIMAL[name]] if where == "before" else [name, *MINIMAL[name], "-f", missing]
    assert careleaf(arguments) == 2
    assert capsys.readouterr() == ("", f"careleaf: {missing}: no such configuration file\n")


def test_without_f_the_configuration_is_mkdocs_yml_in_the_current_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert careleaf(["validate"]) == 2
    assert capsys.readouterr().err == "careleaf: mkdocs.yml: no such configuration file\n"


def test_commands_run_on_a_library_whose_configuration_has_another_name_and_folder(
    small_tree, tmp_path, monkeypatch, capsys
):
    config = small_tree / "library.yml"
    (small_tree / "mkdocs.yml").rename(config)
    monkeypatch.chdir(tmp_path)  # nowhere near the library
    assert careleaf(["-f", str(config), "validate", "--today", TODAY]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().out
    assert careleaf(["status", "-f", str(config), "--lang", "es"]) == 0
    rows = [line.split()[:5] for line in capsys.readouterr().out.splitlines()[1:4]]
    assert rows == [["finger", "es", "machine-draft", "E2", "U1"], ["wrist", "es", "machine-draft", "E2", "U1"], []]
    assert careleaf(["-f", str(config), "source-revision", "finger"]) == 0
    revision = read_page(small_tree / "docs" / "en" / "finger.md", "en").source_revision()
    assert (
        capsys.readouterr().out
        == f"source_revision:\n  red_flags: {revision['red_flags']}\n  text: {revision['text']}\n"
    )
    assert careleaf(["-f", str(config), "new", "elbow", "--category", "bones-and-joints"]) == 0
    assert (small_tree / "docs" / "en" / "elbow.md").is_file()
    (small_tree / "docs" / "es" / "wrist.md").unlink()
    assert careleaf(["-f", str(config), "new", "wrist", "--lang", "es"]) == 0
    assert (small_tree / "docs" / "es" / "wrist.md").is_file()
    assert careleaf(["-f", str(config), "xliff", "export", "es", "finger", "-o", str(tmp_path / "es.xlf")]) == 0
    assert (tmp_path / "es.xlf").is_file()


# ---------------------------------------------------------------------------------------------------
# One way to fail: exit codes, one `careleaf:` line, no traceback
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments, message",
    [
        (
            ["approve", "finger"],
            "careleaf: approve: the following arguments are required: --by (see 'careleaf approve --help')",
        ),
        (
            ["approve", "finger", "--by", "A, MD", "--date", "2026-13-01"],
            "careleaf: approve: argument --date: not a date (YYYY-MM-DD): '2026-13-01' (see 'careleaf approve --help')",
        ),
        (["publish"], "careleaf: argument COMMAND: invalid choice: 'publish' (choose from "),
        ([], "careleaf: no command given ('careleaf --help' lists them)"),
        (
            ["xliff", "import", "es.xlf", "--date", "2026-11-20"],
            "careleaf: xliff import: --date is the review date: give --reviewer too",
        ),
        (["source-revision", "elbow"], "careleaf: source-revision: no article 'elbow' in en"),
        (["status", "--lang", "fr"], "careleaf: status: no language 'fr' in mkdocs.yml (languages: en, es)"),
    ],
)
def test_a_usage_error_exits_2_with_one_careleaf_line(small_tree, arguments, message):
    result = run_careleaf(arguments, cwd=small_tree)
    assert result.returncode == 2
    assert result.stdout == "" and result.stderr.count("\n") == 1 and result.stderr.startswith(message), result.stderr


def test_a_configuration_that_is_not_yaml_is_one_line_and_exit_2(small_tree):
    edit(small_tree / "mkdocs.yml", "site_name: Test library", "site_name: [Test library")
    result = run_careleaf(["validate"], cwd=small_tree)
    assert result.returncode == 2
    assert (
        re.fullmatch(r"careleaf: mkdocs\.yml:\d+: not valid YAML: .*\n", result.stderr)
        and "Traceback" not in result.stderr
    )


def test_findings_exit_1(small_tree, capsys):
    edit(small_tree / "docs/es/finger.md", "    - el dolor empeora\n", "")
    assert careleaf(["-f", str(small_tree / "mkdocs.yml"), "validate", "--today", TODAY]) == 1
    assert "docs/es/finger.md:" in capsys.readouterr().out


def test_users_need_no_mkdocs_2_warning_variable(small_tree):
    environment = {key: value for key, value in os.environ.items() if key != "NO_MKDOCS_2_WARNING"}
    result = python(["-m", "careleaf", "validate", "--today", TODAY], small_tree, environment)
    assert result.returncode == 0 and result.stderr == "", result.stderr


# ---------------------------------------------------------------------------------------------------
# The old scripts, for one release
# ---------------------------------------------------------------------------------------------------


def test_an_old_script_still_works_and_says_what_replaced_it(small_tree):
    result = run_careleaf(["source-revision", "finger"], cwd=small_tree)
    shim = python(
        [str(ROOT / "scripts" / "source_revision.py"), "finger", "--config", str(small_tree / "mkdocs.yml")],
        ROOT,
        dict(os.environ),
    )
    assert shim.returncode == 0 and shim.stdout == result.stdout
    assert shim.stderr == (
        "careleaf: scripts/source_revision.py is replaced by 'careleaf source-revision' and goes in the next release\n"
    )


def test_the_old_validator_still_finds_the_configuration_beside_its_docs_folder(small_tree):
    (small_tree / "docs" / "es" / "wrist.md").unlink()
    shim = python(
        [str(ROOT / "scripts" / "validate.py"), str(small_tree / "docs"), "--today", TODAY], ROOT, dict(os.environ)
    )
    assert shim.returncode == 1
    assert "docs/es/wrist.md" in shim.stdout
    assert shim.stderr.startswith("careleaf: scripts/validate.py is replaced by 'careleaf validate'")


def test_a_reader_that_stops_reading_gets_no_traceback(small_tree):
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    process = subprocess.Popen(
        [sys.executable, "-m", "careleaf", "status"],
        cwd=small_tree,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdout.close()  # as `careleaf status | head -0` does, before anything is written
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 1
    assert stderr == ""
