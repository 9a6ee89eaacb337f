"""The markers conftest.py sets from what a test reaches: `scripts/test.sh --fast` leaves the slow kinds out."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

SLOW_KINDS = {"build", "browser", "audit", "network"}  # what `scripts/test.sh --fast` leaves out


@pytest.fixture(scope="module")
def markers(tmp_path_factory) -> dict[str, set[str]]:
    """Every test the suite collects, with the markers it carries."""
    report = tmp_path_factory.mktemp("markers") / "markers.tsv"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-p", "marker_report"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT / "tests"), "CARELEAF_MARKER_REPORT": str(report)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line.split("\t") for line in report.read_text(encoding="utf-8").splitlines()]
    return {test: set(names) for test, *names in lines}


def selected(markers: dict[str, set[str]], kinds: set[str]) -> set[str]:
    return {test for test, names in markers.items() if names & kinds}


def test_the_kinds_left_out_here_are_the_ones_scripts_test_sh_leaves_out():
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    [expression] = re.findall(r'-m "([^"]*)"', script)
    assert expression == " and ".join(f"not {kind}" for kind in re.findall(r"not (\w+)", expression))
    assert set(re.findall(r"not (\w+)", expression)) == SLOW_KINDS


def test_fast_selection_leaves_out_builds_browsers_audits_and_the_package_index(markers):
    everything = set(markers)
    fast = everything - selected(markers, SLOW_KINDS)
    slow = {
        # a session fixture that builds the site
        "tests/test_build.py::test_every_article_is_built_in_every_language",
        # a build through a helper called by the test
        "tests/test_handouts.py::test_the_build_prints_again_only_the_pages_that_changed",
        # the browser, through a fixture of a fixture
        "tests/test_keyboard.py::test_keyboard_reaches_switcher_search_red_flags_and_related_articles[es]",
        # an audit tool
        "tests/test_audits.py::test_lighthouse_scores_100_for_accessibility_best_practices_and_seo[article-en]",
        # pip against the package index
        "tests/test_platform.py::test_the_lock_installs_on_each_supported_python[3.11.2]",
    }
    quick = {
        "tests/test_handouts.py::test_the_print_cache_keeps_a_finished_variant_for_each_date_it_finished",
        "tests/test_codes.py::test_a_closed_finger_fracture_reaches_the_closed_fracture_article[S62.610A]",
    }
    assert slow | quick <= everything, (slow | quick) - everything  # names that exist
    assert not slow & fast, slow & fast
    assert quick <= fast, quick - fast
    assert len(fast) > 400  # the fast loop still checks most of the model, validator and outputs
    assert len(everything) > 1500


def test_browser_tests_are_marked_browser(markers):
    browser = selected(markers, {"browser"})
    assert "tests/test_keyboard.py::test_keyboard_reaches_switcher_search_red_flags_and_related_articles[es]" in browser
    assert not any(name.startswith("tests/test_codes.py::") for name in browser)


def test_a_careleaf_subcommand_a_test_runs_is_seen_through_assertion_rewriting():
    from conftest import MARKED_BY_NAME, _careleaf_commands

    def runs_the_kiosk(careleaf, tmp_path):
        assert careleaf(["-f", str(tmp_path / "mkdocs.yml"), "kiosk", "--dist", str(tmp_path)]) == 0

    def mentions_the_kiosk(careleaf):
        assert careleaf(["validate"]) == 0, "the kiosk is built elsewhere"

    assert "careleaf kiosk" in _careleaf_commands(runs_the_kiosk) & MARKED_BY_NAME["build"]
    assert not _careleaf_commands(mentions_the_kiosk) & MARKED_BY_NAME["build"]
