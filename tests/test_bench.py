"""The benchmark's synthetic library is a real Careleaf library: the validator accepts it."""

from __future__ import annotations

import pytest

from careleaf.checks.validation import validate
from careleaf.model import project as project_settings
from careleaf.qa import bench


def test_generated_library_passes_the_validator(tmp_path):
    library = bench.generate(tmp_path / "library", articles=12, languages=4)
    report = validate(project_settings.load(library / "mkdocs.yml"))
    assert report.errors == []
    assert len(report.library.slugs) == 12
    assert report.library.project.languages == ("en", "es", "zh", "vi")
    for page in report.library.articles():
        assert set(page.red_flags().counts()) == {"emergency", "urgent", "contact"}
        assert len(page.related) == 3


def test_vanilla_configuration_builds_the_same_markdown_without_careleaf(tmp_path):
    library = bench.generate(tmp_path / "library", articles=3, languages=2)
    config = bench.write_vanilla_config(library).read_text(encoding="utf-8")
    assert "hooks" not in config and "custom_dir" not in config
    assert "- locale: en" in config and "- locale: es" in config


def test_editing_loop_rebuilds_an_edited_article_in_mkdocs_serve(tmp_path):
    library = bench.generate(tmp_path / "library", articles=4, languages=2)
    seconds = bench.editing_loop(library, "es", edits=2, timeout=120)
    assert len(seconds) == 2 and all(0 < value < 120 for value in seconds)
    edited = sorted((library / "docs" / "es").glob("condition-*.md"))[0].read_text(encoding="utf-8")
    assert "Edited 2. Edited 1. " in edited


@pytest.mark.build
def test_bench_times_a_cold_handout_build_and_an_edit_that_reprints_only_that_article(tmp_path):
    library = bench.generate(tmp_path / "library", articles=2, languages=2)
    builds = bench.handout_builds(library, tmp_path, progress=lambda line: None)
    printing = bench.handout_figures(builds, html_s=1.0, vanilla_s=1.0)
    # Each article: clear and large print in both languages, and the bilingual Spanish one.
    assert printing["pdfs"] == printing["printed_cold"] == 2 * (2 + 3)
    assert printing["printed_after_edit"] == 2 + 3
    assert printing["pdfs_per_s"] > 0 and printing["peak_mib"] > 0
    assert printing["pdf_ua"] == printing["pdfs"] and printing["accessibility_problems"] == 0
