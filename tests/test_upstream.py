"""What Careleaf borrows beyond MkDocs', Material's and static-i18n's public API is still there.

Each test names what an upgrade changed, so the failure says where to look (careleaf/util/upstream.py).
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import material
import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from careleaf.util import upstream
from conftest import ROOT

MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"


def test_static_i18n_still_keeps_the_state_the_parallel_builds_use():
    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = upstream.i18n_plugin(config)
    assert isinstance(plugin.search_entries, list)
    assert isinstance(plugin.i18n_files_per_language, dict)
    assert callable(plugin.reconfigure_search_index)
    assert plugin.building is False


def test_a_plugin_without_that_state_is_named_loudly():
    class Changed:
        building = False

    class Config:
        plugins = {"i18n": Changed()}

    with pytest.raises(upstream.UpstreamChangedError, match="no longer has current_language, build_languages"):
        upstream.i18n_plugin(Config())


def test_static_i18n_still_gives_each_file_its_alternates():
    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = config.plugins["i18n"]
    config = plugin.on_config(config)
    files = plugin.on_files(get_files(config), config=config)
    english = files.get_file_from_path("broken-finger-closed.md")
    found = upstream.alternates(english)
    assert sorted(found) == sorted(lang for lang, _name, _default in upstream.i18n_languages_as_written(config))
    assert found["es"].url == "es/broken-finger-closed/"
    assert upstream.alternates(object()) == {}


@pytest.mark.parametrize("only", [None, "es"])
def test_mkdocs_still_keeps_the_i18n_languages_as_written(monkeypatch, only):
    # With build_only_locale (CARELEAF_LANGUAGE) static-i18n makes that language its default;
    # Careleaf's default stays the one mkdocs.yml names.
    if only:
        monkeypatch.setenv("CARELEAF_LANGUAGE", only)
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert upstream.i18n_languages_as_written(config) == [
        ("en", "English", True),
        ("es", "Español", False),
        ("zh", "中文", False),
        ("vi", "Tiếng Việt", False),
        ("ar", "العربية", False),
    ]


def test_a_config_without_the_options_it_was_loaded_from_is_named_loudly():
    class Plugin:
        class config:  # noqa: N801 (a stand-in for static-i18n's Config object)
            languages = []

    class Config:
        plugins = {"i18n": Plugin()}

    with pytest.raises(upstream.UpstreamChangedError, match="_Config__user_configs"):
        upstream.i18n_languages_as_written(Config())


def test_mkdocs_still_renders_one_theme_template_with_the_same_arguments():
    parameters = list(inspect.signature(upstream.theme_template_renderer()).parameters)
    assert parameters == ["template_name", "env", "files", "config", "nav"]


def test_mkdocs_still_counts_warnings_for_strict_builds():
    handler = upstream.CountHandler()
    assert handler.get_counts() == []


def test_material_ships_exactly_one_search_worker():
    name = upstream.search_worker([MATERIAL_TEMPLATES])
    assert re.fullmatch(r"assets/javascripts/workers/search\.[0-9a-f]{8}\.min\.js", name)
    assert (MATERIAL_TEMPLATES / name).is_file()


def test_a_theme_without_one_search_worker_is_named_loudly(tmp_path):
    with pytest.raises(upstream.UpstreamChangedError, match="search worker"):
        upstream.search_worker([tmp_path])


def test_every_page_points_search_at_a_worker_the_site_has(built_site):
    for path in [built_site / "index.html", built_site / "es" / "muscle-spasm" / "index.html", built_site / "404.html"]:
        config = json.loads(
            BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("#__config").string
        )
        # The 404 page's addresses start at the site's root: it is served at any depth.
        worker = (
            built_site / config["search"].lstrip("/")
            if config["search"].startswith("/")
            else path.parent / config["search"]
        )
        assert worker.resolve().is_file(), (path, config["search"])


def test_our_copy_of_materials_config_block_has_the_same_keys():
    # main.html copies Material's configuration block (to point search at one language's index):
    # a key Material adds in an upgrade must be added to the copy too.
    def keys(template: Path) -> set[str]:
        text = template.read_text(encoding="utf-8")
        block = text[text.index("{% block config %}") :]
        block = block[: block.index("{% endblock %}")]
        return set(re.findall(r'"([\w.]+)":', block))

    assert keys(ROOT / "overrides" / "main.html") == keys(MATERIAL_TEMPLATES / "base.html")


def test_material_still_ships_the_templates_our_copies_were_made_from():
    assert upstream.changed_material_templates(MATERIAL_TEMPLATES) == []


def test_a_material_template_that_changed_is_named(tmp_path):
    for name in upstream.FORKED_TEMPLATES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes((MATERIAL_TEMPLATES / name).read_bytes())
    (tmp_path / "partials" / "logo.html").write_text("{% if config.theme.logo %}{% endif %}\n", encoding="utf-8")
    assert upstream.changed_material_templates(tmp_path) == ["partials/logo.html"]


@pytest.mark.parametrize("name", upstream.FORKED_TEMPLATES)
def test_our_copies_of_material_templates_differ_only_where_marked(name):
    assert upstream.unmarked_fork_changes(ROOT / "overrides" / name, MATERIAL_TEMPLATES / name) == []
    # Re-check the copies against a new Material before changing the version named in them.
    assert f"Material {material.__version__}'s" in (ROOT / "overrides" / name).read_text(encoding="utf-8")


def test_a_change_material_makes_to_a_copied_template_is_named(tmp_path):
    theirs = (MATERIAL_TEMPLATES / "partials" / "search.html").read_text(encoding="utf-8")
    ours = (ROOT / "overrides" / "partials" / "search.html").read_text(encoding="utf-8")
    upgraded = tmp_path / "search.html"
    upgraded.write_text(theirs.replace('name="search"', 'name="search" class="new"'), encoding="utf-8")
    (tmp_path / "ours.html").write_text(ours, encoding="utf-8")
    [change] = upstream.unmarked_fork_changes(tmp_path / "ours.html", upgraded)
    assert 'class="new"' in change


def test_material_still_translates_its_interface_one_template_per_language():
    from careleaf.model.locales import THEME_KEYS

    spanish = upstream.material_interface("es", THEME_KEYS)
    assert spanish is not None and spanish["search.placeholder"] == "Búsqueda"
    assert [key for key in THEME_KEYS if not spanish[key]] == []  # every string Careleaf's pages show
    assert upstream.material_interface("ht", THEME_KEYS) is None  # Haitian Creole: none (Careleaf supplies it)
