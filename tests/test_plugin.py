"""Careleaf is a MkDocs plugin: installed under its name, configured with typed settings that refuse a
misspelt key (in the build and in the validator), reading the settings still under extra: with a
warning, and building twice in one process without the first build leaking into the second."""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin

from conftest import CARELEAF_SETTINGS, ROOT, edit

TODAY = "2026-11-19"


def validator(tree: Path, capsys, *options: str) -> tuple[int, str, str]:
    from careleaf.cli import main as careleaf

    code = careleaf(["-f", str(tree / "mkdocs.yml"), "validate", "--today", TODAY, *options])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def buildable(tree: Path) -> Path:
    """The small library with what a real build needs: Careleaf's templates, search, no PDFs, one process."""
    config = tree / "mkdocs.yml"
    edit(config, "  name: material\n", f"  name: material\n  custom_dir: {ROOT / 'overrides'}\n")
    edit(config, "plugins:\n", "plugins:\n  - search\n")
    edit(config, "docs_dir: docs\n", "docs_dir: docs\nsite_url: https://care.test-hospital.example/\n")
    edit(config, CARELEAF_SETTINGS, CARELEAF_SETTINGS + "      handouts: {build: false}\n      build: {jobs: 1}\n")
    return config


def build_in_process(config: Path, site: Path):
    """`mkdocs build` without a new process: MkDocs loads the configuration and its plugins again."""
    loaded = load_config(config_file=str(config), site_dir=str(site))
    build(loaded)
    return loaded


# ---------------------------------------------------------------------------
# The plugin is installed
# ---------------------------------------------------------------------------


def test_mkdocs_finds_the_plugin_by_its_name():
    [entry] = [entry for entry in entry_points(group="mkdocs.plugins") if entry.name == "careleaf"]
    plugin = entry.load()
    assert issubclass(plugin, BasePlugin)
    assert plugin.__module__ == "careleaf.build.plugin"


def test_the_real_site_lists_the_plugin_after_i18n_and_no_hooks():
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    names = list(config.plugins)
    assert names.index("careleaf") > names.index("i18n")
    assert not config.hooks
    assert not (ROOT / "overrides" / "hooks").exists()
    # Nothing of Careleaf's is left under extra: but what Material itself reads.
    assert set(config.extra) == {"generator"}


# ---------------------------------------------------------------------------
# A misspelt or unknown key stops the build and the validator, named
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "setting,named",
    [
        (
            "      clinical_review: {requred: true}\n",
            "'clinical_review': Sub-option 'requred': not a Careleaf setting (did you mean 'required'?)",
        ),
        ("      hopsital: {name: Test}\n", "'hopsital': not a Careleaf setting (did you mean 'hospital'?)"),
        (
            "      kiosk: {idle_secs: 30}\n",
            "'kiosk': Sub-option 'idle_secs': not a Careleaf setting (did you mean 'idle_seconds'?)",
        ),
    ],
)
def test_a_misspelt_key_stops_the_build_naming_it(small_tree, caplog, setting, named):
    config = buildable(small_tree)
    edit(config, CARELEAF_SETTINGS, CARELEAF_SETTINGS + setting)
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        load_config(config_file=str(config))
    assert f"Plugin 'careleaf' option {named}" in caplog.text


@pytest.mark.parametrize(
    "setting,named",
    [
        (
            "      clinical_review: {requred: true}\n",
            "plugins.careleaf.clinical_review.requred: not a Careleaf setting (did you mean 'required'?)",
        ),
        (
            "      hopsital: {name: Test}\n",
            "plugins.careleaf.hopsital: not a Careleaf setting (did you mean 'hospital'?)",
        ),
        (
            "      readability:\n        en: {formula: flesch_kincaid_grade, target: 7, error_abve: 9}\n",
            "plugins.careleaf.readability.en.error_abve: not a Careleaf setting (did you mean 'error_above'?)",
        ),
    ],
)
def test_a_misspelt_key_stops_the_validator_naming_it(small_tree, capsys, setting, named):
    edit(small_tree / "mkdocs.yml", CARELEAF_SETTINGS, CARELEAF_SETTINGS + setting)
    code, out, err = validator(small_tree, capsys)
    assert (code, out, err) == (2, "", f"careleaf: mkdocs.yml: {named}\n")


def test_a_misspelt_hospital_number_is_named_not_reported_missing(small_tree, capsys):
    edit(small_tree / "mkdocs.yml", "emergency_number:", "emergency_numer:")
    code, _, err = validator(small_tree, capsys)
    assert code == 2
    assert "plugins.careleaf.hospital.emergency_numer: not a Careleaf setting (did you mean 'emergency_number'?)" in err


# ---------------------------------------------------------------------------
# Settings still under extra: work for one release, with a warning
# ---------------------------------------------------------------------------


def move_to_extra(config: Path, text: str) -> None:
    """`text`, a careleaf setting written at the plugin's indentation, moved under extra: instead."""
    edit(config, CARELEAF_SETTINGS, CARELEAF_SETTINGS + text)
    content = config.read_text(encoding="utf-8").replace(text, "")
    moved = "".join(line[4:] + "\n" for line in text.splitlines())
    config.write_text(f"{content}extra:\n{moved}", encoding="utf-8")


def test_a_setting_still_under_extra_warns_where_it_moved_and_still_applies(small_tree, capsys):
    move_to_extra(small_tree / "mkdocs.yml", "      languages_in_progress: [es]\n")
    (small_tree / "docs/es/wrist.md").unlink()
    code, out, err = validator(small_tree, capsys)
    assert code == 0, out + err
    assert (
        f"careleaf: warning: {small_tree / 'mkdocs.yml'}: extra.languages_in_progress has moved to the careleaf plugin's settings: "
        "under plugins, '- careleaf:' then 'languages_in_progress:' (extra.languages_in_progress is read until the "
        "next release)"
    ) in err
    # In progress, so the missing translation is a warning, not an error.
    assert "no 'es' translation yet ('es' is in progress)" in out
    code, _, _ = validator(small_tree, capsys, "--strict")
    assert code == 1


def test_a_misspelt_key_under_extra_is_named_there(small_tree, capsys):
    move_to_extra(small_tree / "mkdocs.yml", "      clinical_review: {requred: true}\n")
    code, _, err = validator(small_tree, capsys)
    assert code == 2
    assert "extra.clinical_review.requred: not a Careleaf setting (did you mean 'required'?)" in err


def without_hospital(config: Path) -> str:
    """Take the hospital section out of the plugin's settings; what was taken out."""
    text = config.read_text(encoding="utf-8")
    start = text.index("      hospital:\n")
    lines = text[start:].splitlines(keepends=True)
    inside = 1 + next(
        (index for index, line in enumerate(lines[1:]) if not line.startswith("        ")), len(lines) - 1
    )
    end = start + sum(len(line) for line in lines[:inside])
    config.write_text(text[:start] + text[end:], encoding="utf-8")
    return text[start:end]


def test_the_build_reads_the_hospital_from_extra_with_a_warning(small_tree, tmp_path, caplog):
    config = buildable(small_tree)
    hospital = without_hospital(config)
    with config.open("a", encoding="utf-8") as handle:
        handle.write("extra:\n" + "".join(line[4:] + "\n" for line in hospital.splitlines()))
    with caplog.at_level(logging.WARNING):
        build_in_process(config, tmp_path / "site")
    assert "extra.hospital has moved to the careleaf plugin's settings" in caplog.text
    assert "Test Hospital care library" in (tmp_path / "site" / "finger" / "index.html").read_text(encoding="utf-8")


def test_the_build_without_any_hospital_says_what_is_missing(small_tree, tmp_path, caplog):
    config = buildable(small_tree)
    without_hospital(config)
    loaded = load_config(config_file=str(config), site_dir=str(tmp_path / "site"))
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(loaded)
    assert "the careleaf plugin's settings are missing hospital (name, logo, region" in caplog.text


# ---------------------------------------------------------------------------
# Builds in one process
# ---------------------------------------------------------------------------


def test_two_builds_in_one_process_do_not_share_settings_or_pages(small_tree, tmp_path, monkeypatch):
    config = buildable(small_tree)
    # The same files both times: only the environment changes the settings.
    edit(config, "        name: Test Hospital\n", "        name: !ENV [HOSPITAL_NAME, Test Hospital]\n")
    edit(config, CARELEAF_SETTINGS, CARELEAF_SETTINGS + "      kiosk: {enabled: !ENV [CARELEAF_KIOSK, false]}\n")
    first = build_in_process(config, tmp_path / "first")
    monkeypatch.setenv("HOSPITAL_NAME", "Hillside Clinic")
    monkeypatch.setenv("CARELEAF_KIOSK", "true")
    second = build_in_process(config, tmp_path / "second")

    first_page = (tmp_path / "first" / "finger" / "index.html").read_text(encoding="utf-8")
    second_page = (tmp_path / "second" / "finger" / "index.html").read_text(encoding="utf-8")
    assert "Test Hospital care library" in first_page and "Hillside" not in first_page
    assert "Hillside Clinic care library" in second_page and "Test Hospital" not in second_page
    # The kiosk (second build) has no packet page and carries its stylesheet; the web copy the reverse.
    assert (tmp_path / "first" / "print-handouts" / "index.html").is_file()
    assert not (tmp_path / "second" / "print-handouts").exists()
    assert "kiosk.css" in second_page and "kiosk.css" not in first_page
    # Every language of each build is there, with its own 404 page.
    for site in (tmp_path / "first", tmp_path / "second"):
        assert (site / "es" / "finger" / "index.html").is_file() and (site / "es" / "404.html").is_file()
    assert first.site_dir == str(tmp_path / "first") and second.site_dir == str(tmp_path / "second")


def test_the_plugin_keeps_no_state_in_its_module():
    import careleaf.build.plugin as plugin_module

    mutable = {
        name: type(value).__name__
        for name, value in vars(plugin_module).items()
        if not name.startswith("__") and isinstance(value, (dict, list, set))
    }
    assert mutable == {}
