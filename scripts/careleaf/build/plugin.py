"""The careleaf MkDocs plugin: validate the library, render red-flag cards, give templates their data,
print the handouts and publish the site whole.

mkdocs-static-i18n runs a whole build per language (each event here runs once per language, the
global ones too: static-i18n builds the other languages from inside the default one's post-build),
so the validation is kept while the content and settings it was made from are unchanged.

Listed last under `plugins:` (after i18n, as a hook ran after every plugin); the priorities below
keep each event after static-i18n's where it must see what static-i18n did.

State lives on the instance, by lifetime (MkDocs keeps one instance across `mkdocs serve` rebuilds,
and across builds in one process, because the plugin has on_startup):
- the session (`on_startup`): the command, --dirty, compiled templates;
- the checked library (`_Checked`): kept while the files and settings it was made from are unchanged;
- one build (`_Build`), every language of it: the project, staging, parallel workers, the 404 page;
- one language's build (`_Language`): its Jinja environments, files, navigation, switcher data.

What templates read, and the only keys written into `config.extra`:
- `config.extra.careleaf_header`: the header's data (partials/logo.html, components/header-site);
- `config.extra.polyfills`: Material's list of polyfill scripts, with the iframe-worker shim on a kiosk;
- `config.extra.alternate`: static-i18n's language switcher, adjusted on generated and 404 pages.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import tempfile
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import BytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils import get_relative_url

from careleaf.build import csp
from careleaf.build.navigation import categorized
from careleaf.build.page_weight import minified_css, trim_indentation
from careleaf.build.parallel import ParallelLanguages
from careleaf.build.publish import StagedSite
from careleaf.build.search import split_index
from careleaf.build.views import (
    PACKET_PAGE,
    absolute_url,
    header_view,
    image_size,
    infobutton_view,
    language_attrs,
    language_notice_view,
    not_found_view,
    packet_view,
    page_view,
    tier_cards,
)
from careleaf.checks.problems import Gate
from careleaf.checks.readability import readability_problems
from careleaf.checks.unsafe_markup import markup_problems
from careleaf.checks.validation import validate
from careleaf.model import config as careleaf_config
from careleaf.model import glossary
from careleaf.model import project as project_settings
from careleaf.model.codes import CodeIndex
from careleaf.model.config import CareleafConfig
from careleaf.model.content import HOME_SLUG, parse_red_flags, red_flag_body_span, split_sections
from careleaf.model.languages import site_folder, text_direction
from careleaf.model.locales import load_all, placeholder_values
from careleaf.outputs import handouts, infobutton
from careleaf.outputs.kiosk import BUILD_RECORD, build_epoch, content_digest
from careleaf.outputs.print import qr_file_name, write_qr_svg
from careleaf.util import upstream
from careleaf.util.browser import BrowserMissing
from careleaf.util.files import write_atomically
from careleaf.util.processes import BackgroundCall, ProcessError

log = logging.getLogger("mkdocs.plugins.careleaf")
# Material segments Chinese with jieba, which otherwise narrates its dictionary loading.
logging.getLogger("jieba").setLevel(logging.WARNING)

RED_FLAG_CARD = "components/red-flag-card/red-flag-card.html"
KIOSK_CSS = "stylesheets/kiosk.css"
KIOSK_JS = "assets/javascripts/kiosk.js"
IFRAME_WORKER_PACKAGE = Path("node_modules/iframe-worker/shim/index.js")
IFRAME_WORKER_SHIM = "assets/javascripts/iframe-worker/shim.js"
# Commands whose build replaces the site folder: they build beside it and publish when complete.
PUBLISHING_COMMANDS = ("build", "gh-deploy")
# Copied as Material's translation of its interface for a language it has not translated (in overrides/).
INTERFACE_TEMPLATE = "partials/languages/careleaf.html"
PACKET_URL = f"{Path(PACKET_PAGE).stem}/"


# ---------------------------------------------------------------------------
# State, by lifetime
# ---------------------------------------------------------------------------


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept for the session: each language build makes a new Jinja environment,
    and would otherwise compile every template again (Jinja still checks each source's checksum)."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


@dataclass
class _Checked:
    """The validated library and what is read from it, for the inputs in `key`."""

    key: tuple
    library: Any
    codes: CodeIndex
    catalogues: dict
    glossaries: dict


@dataclass
class _Build:
    """One build of the site, every language of it (static-i18n nests the others in the default's)."""

    project: project_settings.Project
    # Where the site is built before it is published (`mkdocs build` and `gh-deploy`), and where it goes.
    staged: StagedSite | None = None
    published_site_dir: str | None = None
    parallel: ParallelLanguages | None = None
    readability: BackgroundCall | None = None
    # The default language's 404 page: every language build overwrites the root one.
    default_404: str | None = None


@dataclass
class _Language:
    """One language's build."""

    logo_size: dict | None = None
    worker_shim: str | None = None
    env: Any = None  # the environment pages are rendered with (on_nav)
    build_env: Any = None  # MkDocs' environment for the theme's own templates (on_env)
    files: Files | None = None
    nav: Any = None
    home_alternates: list | None = None
    alternate_off_404: Any = None
    article_urls: dict | None = None


class CareleafPlugin(BasePlugin[CareleafConfig]):
    """Careleaf's MkDocs events; its settings are CareleafConfig (careleaf/model/config.py)."""

    def __init__(self) -> None:
        self._command: str | None = None
        self._dirty = False
        self._templates = _MemoryBytecodeCache()
        # Empty Material translations for the languages Material has none for (_supply_material_interfaces).
        self._interface_folder: Path | None = None
        self._options: dict[str, Any] = {}
        self._checked: _Checked | None = None
        self._build: _Build | None = None
        self._lang = _Language()

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None):
        # The options as written: sections still under extra: are validated with them (on_config).
        self._options = dict(options)
        return super().load_config(options, config_file_path)

    # ---------------------------------------------------------------------------
    # Events
    # ---------------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Languages are built in parallel for `mkdocs build` only; `serve` rebuilds stay in one process.
        self._command, self._dirty = command, dirty

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        """`mkdocs serve` rebuilds when a locale catalogue or glossary changes too (MkDocs watches docs/,
        mkdocs.yml and the theme's folders, overrides/ included, on its own)."""
        server.watch(str(self._project.locales_dir))
        return server

    @event_priority(100)
    def _supply_material_interfaces(self, config: MkDocsConfig) -> None:
        """Before Material's search plugin reads the interface: a language Material has not translated
        gets an empty translation (partials/languages/<lang>.html) in a theme folder of Careleaf's, so
        pages take its strings from the locale catalogue (partials/language.html) instead of crashing."""
        untranslated = [
            lang
            for lang, _name, _default in upstream.i18n_languages_as_written(config)
            if upstream.material_interface(lang, ()) is None
        ]
        if not untranslated:
            return
        source = next(
            (
                Path(folder) / INTERFACE_TEMPLATE
                for folder in config.theme.dirs
                if (Path(folder) / INTERFACE_TEMPLATE).is_file()
            ),
            None,
        )
        if source is None:
            raise PluginError(f"{INTERFACE_TEMPLATE} is missing from the theme's overrides: it came with Careleaf")
        if self._interface_folder is None:
            self._interface_folder = Path(tempfile.mkdtemp(prefix="careleaf-interface-"))
        for lang in untranslated:
            target = self._interface_folder / upstream.MATERIAL_LANGUAGE_TEMPLATE.format(lang=lang)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        upstream.add_theme_folder(config, self._interface_folder)

    def _check_and_configure(self, config: MkDocsConfig) -> MkDocsConfig:
        """Refuse to build a library that breaks the red-flag contract or the schema."""
        if config.strict and not upstream.strict_counts_warnings():
            raise PluginError(
                "--strict does not work with --quiet: MkDocs then counts no warning, so nothing "
                "would fail the build; run it without --quiet"
            )
        self._lang = _Language()
        if not upstream.building_a_language(config) or self._build is None:
            self._start_build(config)
        build = self._build
        assert build is not None
        project = build.project
        key = (_fingerprint(project, Path(config.config_file_path)), _settings_key(project))
        if self._checked is None or self._checked.key != key:
            # `mkdocs build` spreads the content check over its processes, and checks readability (which
            # never blocks a build, only --strict) alongside the language builds.
            in_parallel = self._command == "build" and project.build_jobs > 1
            report = validate(project, markup_checks=not in_parallel, readability_checks=not in_parallel)
            problems = report.problems
            if in_parallel:
                problems = problems + markup_problems(project, report.library, processes=project.build_jobs)
            _refuse_blocking(
                sorted(problems, key=lambda problem: (problem.path, problem.line, problem.code)), config.strict
            )
            self._checked = _Checked(
                key=key,
                library=report.library,
                codes=CodeIndex.from_library(report.library),
                catalogues=load_all(project),
                glossaries={lang: glossary.load(project, lang) for lang in project.languages},
            )
            build.readability = BackgroundCall(readability_problems, project, report.library) if in_parallel else None
        # The hospital's logo lives in one place: the careleaf plugin's hospital settings.
        config.theme["logo"] = project.hospital["logo"]
        config.theme["favicon"] = project.hospital["logo"]
        logo_files = [Path(folder) / project.hospital["logo"] for folder in (config.docs_dir, *config.theme.dirs)]
        self._lang.logo_size = next((image_size(path) for path in logo_files if path.is_file()), None)
        if _offline(config):
            # The iframe-worker shim comes from npm (package-lock.json), never from a CDN.
            polyfills = [url for url in config.extra.get("polyfills", []) if "iframe-worker" not in url]
            config.extra["polyfills"] = [*polyfills, IFRAME_WORKER_SHIM]
            # Its inline bootstrap runs under each page's policy: the pages allow it by hash.
            self._lang.worker_shim = _iframe_worker_package(project).read_text(encoding="utf-8")
        if project.kiosk["enabled"]:
            for option, asset in (("extra_css", KIOSK_CSS), ("extra_javascript", KIOSK_JS)):
                if asset not in [str(item) for item in config[option]]:
                    config[option].append(asset)
        return config

    on_config = CombinedEvent(_supply_material_interfaces, _check_and_configure)

    @event_priority(-200)
    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Name the site in the language being built (static-i18n has set it by now); as the
        default language starts, start the other languages' builds in worker processes."""
        project, catalogue = self._project, self._validated.catalogues[_reader_language(config)]
        config.site_name = catalogue.text("site_name", **placeholder_values(project.hospital))
        config.extra["careleaf_header"] = header_view(
            project, catalogue, _reader_language(config), self._lang.logo_size
        )
        i18n = upstream.i18n_plugin(config)
        if "alternate" in config.extra:
            # static-i18n sets the switcher per page as an attribute and resets only the item, so a
            # 404 page would link to the previous build's last article: start each build from the item.
            _set_language_switcher(config, deepcopy(config.extra["alternate"]))
            self._lang.home_alternates = deepcopy(config.extra["alternate"])
        others = [lang for lang in i18n.build_languages if lang != i18n.default_language]
        jobs = project.build_jobs
        build = self._current_build
        if self._command == "build" and jobs > 1 and others and not i18n.building and build.parallel is None:
            try:
                build.parallel = ParallelLanguages(config, others, jobs)
            except OSError as error:  # no room for staging folders beside the site: build in turn
                log.info(f"Building languages one after another: {error}")
                return
            # static-i18n then skips its own sequential loop in the default build's post-build.
            i18n.building = True

    def on_env(self, env, config: MkDocsConfig, files: Files):
        env.bytecode_cache = self._templates
        env.globals["content_security_policy_placeholder"] = csp.PLACEHOLDER
        # Material's search worker carries a hash in its name that changes with every release.
        env.globals["material_search_worker"] = upstream.search_worker(config.theme.dirs)
        # Material's interface in the reader's language (partials/language.html): the catalogue's theme
        # strings, then Material's translation if it has one for the language, then its English.
        reader = _reader_language(config)
        untranslated = upstream.material_interface(reader, ()) is None
        env.globals["careleaf_interface"] = {
            **({"language": reader, "direction": text_direction(reader)} if untranslated else {}),
            **self._validated.catalogues[reader].theme,
        }
        self._lang.build_env = env
        return env

    @event_priority(-110)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Ship Careleaf's own stylesheets minified (after static-i18n has chosen this language's files);
        add the "Print several handouts" and infobutton pages in this language (not on a kiosk, which fetches
        nothing and which no record system links to)."""
        overrides = Path(config.theme.custom_dir).resolve() if config.theme.custom_dir else None
        for file in files:
            if (
                overrides is not None
                and file.src_uri.endswith(".css")
                and file.abs_src_path
                and overrides in Path(file.abs_src_path).resolve().parents
            ):
                file.content_string = minified_css(file.content_string)
        project = self._project
        if not project.kiosk["enabled"]:
            reader = _reader_language(config)
            catalogue = self._validated.catalogues[reader]
            path = site_folder(reader, project.default_language) + PACKET_PAGE
            title = json.dumps(catalogue.text("packet.title"), ensure_ascii=False)
            files.append(
                File.generated(config, path, content=f"---\ntitle: {title}\ntemplate: print-handouts.html\n---\n")
            )
            path = site_folder(reader, project.default_language) + infobutton.INFOBUTTON_PAGE
            title = json.dumps(catalogue.text("infobutton.title"), ensure_ascii=False)
            # A record system's door, not a page to browse to or find by searching.
            files.append(
                File.generated(
                    config,
                    path,
                    inclusion=InclusionLevel.NOT_IN_NAV,
                    content=f"---\ntitle: {title}\ntemplate: infobutton.html\nsearch:\n  exclude: true\n---\n",
                )
            )
        return files

    @event_priority(-110)
    def on_nav(self, nav, config: MkDocsConfig, files: Files):
        """Group the navigation by category, in the reader's language (after static-i18n's own on_nav)."""
        # Pages are read right after this event: keep what they need for this language's build.
        env = config.theme.get_env()
        env.bytecode_cache = self._templates
        self._lang.env, self._lang.files = env, files
        catalogue = self._validated.catalogues[_reader_language(config)]
        nav = categorized(nav, self._source_page, lambda key: catalogue.strings.get(f"categories.{key}", key))
        self._lang.nav = nav
        return nav

    def on_page_markdown(self, markdown: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """Replace the red-flag tiers with care cards rendered by the red-flag-card template."""
        source = self._source_page(page)
        if source is None:
            return markdown
        if source.includes or source.include_errors:
            # Shared blocks in the page's own language, as the content model resolved them.
            resolved = self._validated.library.resolve(markdown, source.lang)
            if resolved.errors:
                raise PluginError(f"{page.file.src_uri}: {resolved.errors[0].message}")
            markdown = resolved.text
        if source.is_home:
            return markdown
        if source.summary:
            page.meta.setdefault("description", source.summary)
        span = red_flag_body_span(markdown)
        if span is None:
            raise PluginError(f"{page.file.src_uri}: no red-flag section reached the build")
        section = next(section for section in split_sections(markdown) if section.is_red_flags)
        reader = _reader_language(config)
        cards = tier_cards(parse_red_flags(section), self._validated.catalogues[reader], self._project)
        html = self._lang.env.get_template(RED_FLAG_CARD).render(
            cards=cards, reader=language_attrs(reader), content_lang=source.lang
        )
        start, end = span
        markdown = f"{markdown[:start]}\n{html}\n{markdown[end:]}"
        return f"{markdown}\n\n{self._validated.glossaries[source.lang].markdown(markdown)}\n"

    # MkDocs types the context as a closed TypedDict, but templates read the keys plugins add (careleaf).
    def on_page_context(  # type: ignore[override]
        self,
        context: dict[str, Any],
        page: MkDocsPage,
        config: MkDocsConfig,
        nav,
    ) -> dict[str, Any]:
        if Path(page.file.src_uri).name == PACKET_PAGE:
            return self._packet_context(context, page, config)
        if Path(page.file.src_uri).name == infobutton.INFOBUTTON_PAGE:
            return self._infobutton_context(context, page, config)
        source = self._source_page(page)
        if source is None:
            return context
        reader = _reader_language(config)
        checked = self._validated
        source_file = upstream.alternates(page.file).get(self._project.default_language)
        context["careleaf"] = page_view(
            checked.library,
            checked.catalogues,
            source,
            reader,
            url_for=self._url_for,
            source_url=source_file.url if source_file is not None else None,
            page_url=page.url,
            base_url=context["base_url"],
            page_dest_uri=page.file.dest_uri,
            # The glossary the content was marked with: the English one on an English fallback page.
            words_to_know=None if source.is_home else checked.glossaries[source.lang].marked_entries(page.content),
            language_notice=self._language_notice(reader, source.lang),
        )
        return context

    def on_post_page(self, output: str, page: MkDocsPage, config: MkDocsConfig) -> str:
        """Write the page's QR code (its public address) beside it, for print; send the page without
        indentation, under its Content-Security-Policy."""
        source = self._source_page(page)
        if source is not None and not source.is_home:
            address = absolute_url(self._project.site_url, page.url)
            write_qr_svg(address, Path(page.file.abs_dest_path).parent / qr_file_name(page.file.dest_uri))
        return self._with_policy(trim_indentation(output), config, page.file.src_uri)

    # MkDocs types the context as a closed TypedDict, but templates read the keys plugins add (not_found).
    def on_template_context(  # type: ignore[override]
        self,
        context: dict[str, Any],
        template_name: str,
        config: MkDocsConfig,
    ) -> dict[str, Any]:
        """The 404 page speaks the reader's language and leads back to that language's home. MkDocs gives a
        404 page addresses from the site's root (a server answers it at any depth); a kiosk opens it from
        disk, where the root is the disk's: there every address is relative to where the page ends up."""
        if template_name != "404.html":
            return context
        reader = _reader_language(config)
        relative_base = None
        if _offline(config):
            relative_base = context["base_url"] = get_relative_url(".", self._not_found_page(reader))
            # The language switcher's links start at the site's root too (static-i18n): relative until the
            # page is written. Templates read the attribute, which on_pre_build set (see there).
            self._lang.alternate_off_404 = off = [getattr(config.extra, "alternate", None)]
            root = urlsplit(config.site_url or "/").path
            _set_language_switcher(
                config, [{**alternate, "link": alternate["link"].removeprefix(root)} for alternate in off[0] or []]
            )
        context["not_found"] = not_found_view(self._project, self._validated.catalogues, reader, relative_base)
        return context

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        if template_name != "404.html":
            return output_content
        if self._lang.alternate_off_404 is not None:
            _set_language_switcher(config, self._lang.alternate_off_404[0])
            self._lang.alternate_off_404 = None
        output_content = self._with_policy(trim_indentation(output_content), config, template_name)
        # Keep the default language's 404 page: every language build overwrites the root one.
        if _reader_language(config) == self._project.default_language:
            self._current_build.default_404 = output_content
        return output_content

    @event_priority(-110)
    def on_post_build(self, config: MkDocsConfig) -> None:
        """Finish the site once every language is built (static-i18n builds the others inside
        the default language's post-build): 404 pages per language, search per language, kiosk shim;
        then publish it."""
        build, project = self._current_build, self._project
        site_dir = Path(config.site_dir)
        if build.parallel is not None:
            self._finish_parallel_languages(config)
        elif upstream.building_a_language(config):
            # Each language build writes the root 404.html: keep it as <lang>/404.html.
            (site_dir / self._not_found_page(_reader_language(config))).parent.mkdir(parents=True, exist_ok=True)
            (site_dir / "404.html").replace(site_dir / self._not_found_page(_reader_language(config)))
            return
        readability, build.readability = build.readability, None
        if readability is not None:
            for problem in sorted(readability.result(), key=lambda problem: (problem.path, problem.line)):
                log.warning(problem.human())
        if build.default_404 is not None:
            (site_dir / "404.html").write_text(build.default_404, encoding="utf-8")
        if len(upstream.i18n_plugin(config).build_languages) > 1:  # one language (the editing loop) has one index
            split_index(site_dir, project.languages, project.default_language, _offline(config))
        if not project.kiosk["enabled"]:
            self._write_infobutton_index(site_dir)
        # What the site was built from: a discharge packet printed from it later checks it is still so.
        write_atomically(site_dir / BUILD_RECORD, json.dumps({"content": content_digest(project.root)}).encode("utf-8"))
        if _offline(config):
            target = site_dir / IFRAME_WORKER_SHIM
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(_iframe_worker_package(project), target)
        if upstream.strict_build_will_abort():
            log.info("Handouts: none printed (this --strict build stops for the warnings above)")
        elif project.handouts_built and (not project.kiosk["enabled"] or project.kiosk["print"]):
            self._print_handouts(site_dir, config.use_directory_urls)
        if project.handout_shard is not None:
            # A share of the handouts is half a site: it goes to the print cache only, never to readers.
            self._stop_build()
            if upstream.strict_build_will_abort():
                return
            log.info(f"Printed share {'/'.join(map(str, project.handout_shard))} of the handouts; published nothing")
            return
        self._publish_site(config)

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build leaves the published site as it was, no worker process and no staging folder."""
        self._stop_build()

    def on_shutdown(self) -> None:
        # An interrupted build (Ctrl-C) reaches no build-error event: clean up here too.
        self._stop_build()
        if self._interface_folder is not None:
            shutil.rmtree(self._interface_folder, ignore_errors=True)
            self._interface_folder = None

    # ---------------------------------------------------------------------------
    # One build: settings, staging, publishing
    # ---------------------------------------------------------------------------

    @property
    def _project(self) -> project_settings.Project:
        assert self._build is not None, "the careleaf plugin's on_config has not run"
        return self._build.project

    @property
    def _current_build(self) -> _Build:
        assert self._build is not None, "the careleaf plugin's on_config has not run"
        return self._build

    @property
    def _validated(self) -> _Checked:
        assert self._checked is not None, "the careleaf plugin's on_config has not run"
        return self._checked

    @property
    def _files(self) -> Files:
        assert self._lang.files is not None, "the careleaf plugin's on_nav has not run for this language"
        return self._lang.files

    def _start_build(self, config: MkDocsConfig) -> None:
        """A new build (not a language static-i18n builds inside one): its settings, and its staging
        folder when the build publishes."""
        if self._build is not None:
            self._stop_build()  # what a build that never reached its end left behind
        project = self._project_of(config)
        if self._command == "serve" or config.plugins["i18n"].config.build_only_locale:
            # Editing previews (serve, one language) print no PDFs (a save would wait for Chromium, and a
            # bilingual handout needs the English pages) and so link to none.
            project = dataclasses.replace(project, handouts_built=False)
        if project.handout_shard is not None:
            _check_share_build(config, project, self._command)
        self._build = _Build(project=project)
        if self._command in PUBLISHING_COMMANDS:
            self._stage_site(config)

    def _project_of(self, config: MkDocsConfig) -> project_settings.Project:
        """The project from the configuration MkDocs loaded: this plugin's settings (with any section
        still under extra:, which warns) and the languages as mkdocs.yml lists them."""
        settings = self.config
        if any(key in config.extra for key in careleaf_config.MOVED_FROM_EXTRA):
            merged, notes = careleaf_config.moved_from_extra(self._options, config.extra)
            for note in notes:
                log.warning(note)
            try:
                settings = careleaf_config.validated(
                    merged, config.config_file_path, from_extra=careleaf_config.moved_keys(self._options, config.extra)
                )
            except careleaf_config.SettingsError as error:
                raise PluginError(str(error)) from None
        custom_dir = config.theme.custom_dir
        try:
            return project_settings.from_settings(
                settings,
                root=Path(config.config_file_path).parent.resolve(),
                docs_dir=Path(config.docs_dir),
                languages=upstream.i18n_languages_as_written(config),
                site_url=config.site_url or "",
                custom_dir=Path(custom_dir) if custom_dir else None,
                markdown_extensions=project_settings.markdown_extensions_as_built(
                    config.markdown_extensions, config.mdx_configs
                ),
            )
        except project_settings.ProjectError as error:
            raise PluginError(str(error)) from error

    def _stage_site(self, config: MkDocsConfig) -> None:
        """Send the whole build (every language, every finishing step) into a folder beside the site."""
        try:
            # --dirty rebuilds only the pages changed since the published site, so it starts from a copy of it.
            staged = StagedSite(config.site_dir, keep_contents=self._dirty)
        except OSError as error:
            raise PluginError(f"cannot build beside {config.site_dir} to publish it whole: {error}") from error
        self._current_build.staged, self._current_build.published_site_dir = staged, config.site_dir
        config.site_dir = str(staged.path)

    def _publish_site(self, config: MkDocsConfig) -> None:
        """The last step of a successful build: the staged site replaces the published one at once."""
        build = self._current_build
        if build.staged is None or upstream.strict_build_will_abort():  # on_build_error discards it
            return
        staged, build.staged = build.staged, None
        staged.publish()
        assert build.published_site_dir is not None  # _stage_site sets it with staged
        config.site_dir = build.published_site_dir  # `mkdocs gh-deploy` pushes it next
        log.info(f"Published the site to {config.site_dir}")

    def _stop_build(self) -> None:
        build = self._build
        if build is None:
            return
        for name in ("parallel", "readability"):
            running = getattr(build, name)
            setattr(build, name, None)
            if running is not None:
                running.stop()
        staged, build.staged = build.staged, None
        if staged is not None:
            staged.discard()

    def _print_handouts(self, site_dir: Path, directory_urls: bool) -> None:
        """Every page's PDF handouts, in the site before it is published: the site links to no PDF it lacks."""
        project = self._project
        try:
            run = handouts.build(
                self._validated.library,
                site_dir,
                epoch=build_epoch(project.root),
                progress=log.info,
                directory_urls=directory_urls,
                processes=project.build_jobs,
                shard=project.handout_shard,
            )
        except (BrowserMissing, FileNotFoundError, ProcessError) as error:
            raise PluginError(f"PDF handouts: {error} (or set the careleaf plugin's handouts.build: false)") from error
        for line in handouts.summary(run, project.languages):
            if line:
                log.info(f"Handouts: {line}")
        if run.outside_requests:
            raise PluginError(f"PDF handouts: a page tried to reach the network: {run.outside_requests[:3]}")
        for result in run.results:
            for problem in result.problems:
                log.warning(f"{result.job.target.relative_to(site_dir)}: {problem}")

    def _finish_parallel_languages(self, config: MkDocsConfig) -> None:
        """Bring the worker-built languages into the site as static-i18n's sequential loop would have."""
        parallel = self._current_build.parallel
        assert parallel is not None  # on_post_build calls this only while languages build in parallel
        i18n = upstream.i18n_plugin(config)
        try:
            results = parallel.collect()
            parallel.merge_into(Path(config.site_dir), results)
        except Exception as error:
            raise PluginError(str(error)) from error
        finally:
            self._current_build.parallel = None
            parallel.stop()
        log.info(f"Built {', '.join(parallel.languages)} in {parallel.workers} worker processes")
        for result in results:
            i18n.search_entries.extend(result.search_entries)
            i18n.i18n_files_per_language[result.lang] = result.sitemap_files
        i18n.reconfigure_search_index(config)
        # The sitemap lists every language's pages: render it again now that all are known.
        upstream.render_theme_template("sitemap.xml", self._lang.build_env, self._lang.files, config, self._lang.nav)
        i18n.building = False

    # ---------------------------------------------------------------------------
    # Pages Careleaf generates: packets, infobutton, 404
    # ---------------------------------------------------------------------------

    def _language_notice(self, reader: str, content_lang: str):
        """The notice naming a language the patient's record asked for and the library lacks (none on a kiosk,
        which no record system opens)."""
        project = self._project
        if project.kiosk["enabled"]:
            return None
        default = project.default_language
        return language_notice_view(
            self._validated.catalogues[reader],
            reader,
            content_lang,
            infobutton.language_names_file(reader, default),
            infobutton.patient_languages(self._article_urls(), reader, default),
            project.hospital,
        )

    def _packet_context(self, context: dict[str, Any], page: MkDocsPage, config: MkDocsConfig) -> dict[str, Any]:
        """The packet page's data, and a language switcher that leads to the packet page in each language."""
        default = self._project.default_language

        def english_url(slug: str) -> str | None:
            # None in a build of one language (CARELEAF_LANGUAGE): there is no English page to add.
            english = upstream.alternates(self._files.get_file_from_path(f"{slug}.md")).get(default)
            return english.url if english is not None else None

        context["careleaf"] = packet_view(
            self._validated.library,
            self._validated.catalogues,
            _reader_language(config),
            self._url_for,
            english_url,
            page_url=page.url,
            base_url=context["base_url"],
        )
        self._switch_to_same_page(config, lambda lang: site_folder(lang, default) + PACKET_URL)
        return context

    def _infobutton_context(self, context: dict[str, Any], page: MkDocsPage, config: MkDocsConfig) -> dict[str, Any]:
        """The infobutton page's library and lookup data, and a switcher to the infobutton page in each language."""
        reader, default = _reader_language(config), self._project.default_language
        lookup = infobutton.lookup_data(self._validated.codes, self._article_urls(), reader, default)
        context["careleaf"] = infobutton_view(
            self._validated.library,
            self._validated.catalogues,
            reader,
            self._url_for,
            lookup,
            page_url=page.url,
            base_url=context["base_url"],
            language_notice=self._language_notice(reader, reader),
        )
        self._switch_to_same_page(config, lambda lang: infobutton.page_url(lang, default))
        return context

    def _switch_to_same_page(self, config: MkDocsConfig, url_in) -> None:
        """A generated page's language switcher leads to the same page in each language (`url_in(lang)`)."""
        if self._lang.home_alternates:
            # Page URLs like every other page's alternates (the url filter makes them relative).
            _set_language_switcher(
                config,
                [
                    {**home, "link": url_in(home["lang"])}
                    for home in self._lang.home_alternates
                    if home["lang"] in self._project.languages
                ],
            )

    def _article_urls(self) -> dict[str, dict[str, str]]:
        """Each article's URL in every language built, as static-i18n placed it (a translation, or the English
        text under that language's look); worked out once per language build (every article page asks)."""
        if self._lang.article_urls is None:
            files = self._files
            urls = {}
            for slug in self._validated.library.slugs:
                alternates = upstream.alternates(files.get_file_from_path(f"{slug}.md"))
                urls[slug] = {lang: alternates[lang].url for lang in self._project.languages if lang in alternates}
            self._lang.article_urls = urls
        return self._lang.article_urls

    def _write_infobutton_index(self, site_dir: Path) -> None:
        """infobutton/index.json: every code an article claims, with that article in every language; and beside each
        language's entry page, the names a notice on that language's pages may show (once a site)."""
        project = self._project
        title = self._validated.catalogues[project.default_language].text(
            "site_name", **placeholder_values(project.hospital)
        )
        index = infobutton.knowledge_index(
            self._validated.library, self._validated.codes, self._article_urls(), project.site_url, title
        )
        target = site_dir / infobutton.INDEX_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        # What a notice on each language's pages may call the language a record asked for (fetched only then).
        for path, names in infobutton.names_files(self._article_urls(), project.default_language, project.root).items():
            (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (site_dir / path).write_text(
                json.dumps(names, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
            )

    # ---------------------------------------------------------------------------
    # Helpers
    # ---------------------------------------------------------------------------

    def _with_policy(self, html: str, config: MkDocsConfig, name: str) -> str:
        """The page under its Content-Security-Policy (hashes of its final inline scripts: trim first)."""
        offline = _offline(config)
        try:
            return csp.with_policy(
                html,
                csp.KIOSK_POLICY if offline else csp.WEB_POLICY,
                preview=self._command == "serve",
                worker_shim=self._lang.worker_shim if offline else None,
            )
        except csp.PolicyError as error:
            raise PluginError(f"{name}: {error}") from error

    def _not_found_page(self, lang: str) -> str:
        """Where a language's 404 page is published: the default language's at the root, the others' in <lang>/."""
        return site_folder(lang, self._project.default_language) + "404.html"

    def _source_page(self, page: MkDocsPage):
        """The content-model page behind an MkDocs page (for a fallback: the English one)."""
        parts = Path(page.file.src_uri).parts
        if len(parts) != 2 or not parts[1].endswith(".md"):
            return None
        return self._validated.library.get(Path(parts[1]).stem, parts[0])

    def _url_for(self, slug: str) -> str:
        """The URL of an article in the language being built, as static-i18n resolved it."""
        file = self._files.get_file_from_path(f"{slug}.md" if slug != HOME_SLUG else "index.md")
        if file is None:
            raise PluginError(f"related article '{slug}' is not part of this build")
        return file.url


# ---------------------------------------------------------------------------
# Functions of the configuration alone
# ---------------------------------------------------------------------------


# Set by `careleaf handouts --shard` to the folder its share build writes to: a share set any other way
# (a variable left in a CI job's environment, say) must not turn a publishing build into a half one.
SHARE_SITE_ENVIRONMENT = "CARELEAF_SHARE_SITE_DIR"


def _check_share_build(config: MkDocsConfig, project: project_settings.Project, command: str | None) -> None:
    """A build that prints one share of the handouts is the one `careleaf handouts --shard` started."""
    share = "/".join(map(str, project.handout_shard or ()))
    if command != "build" or os.environ.get(SHARE_SITE_ENVIRONMENT) != str(Path(config.site_dir).resolve()):
        raise PluginError(
            f"handouts.shard is set ({share}, from CARELEAF_HANDOUT_SHARD?): only `careleaf handouts --shard "
            f"{share}` prints a share, and it publishes nothing; unset it to build the site"
        )
    if not project.handouts_built or project.kiosk["enabled"]:
        raise PluginError(f"handouts.shard {share}: this build prints no handouts (handouts.build: false, or a kiosk)")


def _refuse_blocking(problems, strict: bool) -> None:
    """Warn about what may still build; stop the build, naming file and line, on what may not. A
    --strict build, which any of them would fail at its end, stops here: before a page or PDF is made."""
    blocking = [
        problem for problem in problems if problem.stops_build or (strict and problem.gate is not Gate.DECLARED)
    ]
    for problem in problems:
        if problem.gate is Gate.DECLARED:
            log.info(problem.human())  # a declared open item: MkDocs' --strict counts every warning
        elif problem not in blocking:
            log.warning(problem.human())
    if blocking:
        lines = "\n".join(problem.human() for problem in blocking)
        errors = sum(problem.severity == "error" for problem in blocking)
        warnings = len(blocking) - errors
        counted = f"{errors} error(s)" + (f", {warnings} warning(s), which --strict refuses" if warnings else "")
        raise PluginError(f"Careleaf validation failed ({counted}):\n{lines}")


def _iframe_worker_package(project) -> Path:
    shim = project.root / IFRAME_WORKER_PACKAGE
    if not shim.is_file():
        raise PluginError(f"{shim} is missing: run 'npm ci' (scripts/setup.sh does)")
    return shim


def _offline(config: MkDocsConfig) -> bool:
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin and plugin.config.enabled)


def _set_language_switcher(config: MkDocsConfig, alternates: Any) -> None:
    """Set the switcher where templates read it first: an attribute of config.extra, which MkDocs does not declare."""
    setattr(config.extra, "alternate", alternates)  # noqa: B010 (an undeclared attribute: mypy refuses the plain form)


def _reader_language(config: MkDocsConfig) -> str:
    """The language being built: static-i18n sets Material's theme language per build."""
    return str(config.theme["language"])


def _fingerprint(project, config_file: Path) -> tuple:
    """Changes when any content, locale or configuration file changes (for mkdocs serve)."""
    paths = sorted(project.docs_dir.rglob("*")) + sorted(project.locales_dir.rglob("*.yml"))
    paths.append(config_file)
    return tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in paths if path.exists())


def _settings_key(project) -> str:
    """The settings the check depends on beyond the files (the environment sets some: CARELEAF_KIOSK…)."""
    return repr(
        [
            (item.name, getattr(project, item.name))
            for item in dataclasses.fields(project)
            if item.name != "markdown_extensions"
        ]
    )
