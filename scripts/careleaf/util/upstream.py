"""What Careleaf borrows from MkDocs, Material and mkdocs-static-i18n beyond their public API.

Each such name is reached through this module only, so an upgrade that renames or removes one breaks
here, in one place, and tests/test_upstream.py says which name and which package.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

# MkDocs counts warnings for --strict with this handler on its logger.
from mkdocs.utils import CountHandler

# mkdocs-static-i18n's plugin state that the parallel language builds read and set:
I18N_STATE = (
    "building",  # True while a language is built from inside the default one
    "current_language",  # the language being built
    "build_languages",  # every language to build, in order
    "default_language",
    "search_entries",  # search entries gathered over the language builds
    "i18n_files_per_language",  # per language, the files the sitemap lists
    "reconfigure_search_index",  # method: writes the search index from search_entries
)
# Material's search worker, written with a content hash in its name (…/search.a7633da7.min.js).
SEARCH_WORKER_GLOB = "assets/javascripts/workers/search.*.min.js"


class UpstreamChangedError(PluginError):
    """An upgrade of MkDocs, Material or mkdocs-static-i18n changed something Careleaf relies on."""


def i18n_plugin(config) -> Any:
    """static-i18n's plugin object, checked to still have the state Careleaf uses."""
    plugin = config.plugins["i18n"]
    missing = [name for name in I18N_STATE if not hasattr(plugin, name)]
    if missing:
        raise UpstreamChangedError(
            f"mkdocs-static-i18n's plugin no longer has {', '.join(missing)}: "
            "update careleaf/util/upstream.py and the parallel language builds"
        )
    return plugin


def i18n_languages_as_written(config) -> list[tuple[str, str, bool]]:
    """static-i18n's languages as mkdocs.yml lists them: (locale, name, default) each. Its validated
    configuration will not do: with build_only_locale (CARELEAF_LANGUAGE) static-i18n makes that language
    the default, while Careleaf's default is still the source language. MkDocs keeps the options as the
    plugin received them on its Config (a private name; its public `user_configs` is deprecated)."""
    plugin = config.plugins["i18n"]
    written = getattr(plugin.config, "_Config__user_configs", None)
    if not isinstance(written, list) or not all(isinstance(options, dict) for options in written):
        raise UpstreamChangedError(
            "MkDocs' Config no longer keeps the options it was loaded from as "
            "_Config__user_configs: update careleaf/util/upstream.py"
        )
    validated = {lang.locale: lang for lang in plugin.config.languages}
    listed: list[Any] = next(
        (options["languages"] for options in reversed(written) if isinstance(options.get("languages"), list)), []
    )
    languages = [
        (lang["locale"], validated[lang["locale"]].name, lang.get("default") is True)
        for lang in listed
        if isinstance(lang, dict) and lang.get("locale") in validated
    ]
    return languages or [(lang.locale, lang.name, bool(lang.default)) for lang in plugin.config.languages]


def alternates(file) -> dict[str, Any]:
    """The same page in each language, by locale: static-i18n sets `File.alternates` in its on_files
    (a file it did not place, such as a generated page, has none)."""
    found = getattr(file, "alternates", None)
    return found if isinstance(found, dict) else {}


def building_a_language(config) -> bool:
    """True in a language static-i18n builds from inside the default one (or a worker builds)."""
    plugin = config.plugins.get("i18n")
    return bool(plugin and getattr(plugin, "building", False))


def theme_template_renderer():
    """MkDocs' renderer of one theme template: it has no public equivalent (imported when needed:
    MkDocs' build module is heavy, and the validator never needs it)."""
    from mkdocs.commands.build import _build_theme_template

    return _build_theme_template


def render_theme_template(name: str, env, files, config, nav) -> None:
    """Render one of the theme's static templates again (sitemap.xml, once every language is known)."""
    theme_template_renderer()(name, env, files, config, nav)


def strict_build_will_abort() -> bool:
    """MkDocs aborts a --strict build after the post-build events if its counter saw a warning."""
    return any(isinstance(handler, CountHandler) and handler.get_counts() for handler in _strict_logger_handlers())


def _strict_logger_handlers() -> list[logging.Handler]:
    """The handlers that see MkDocs' warnings: its logger's and, as ProperDocs keeps its counter on the
    `properdocs` logger above `mkdocs`, those of the loggers it passes records up to."""
    handlers: list[logging.Handler] = []
    logger: logging.Logger | None = logging.getLogger("mkdocs")
    while logger is not None:
        handlers.extend(logger.handlers)
        logger = logger.parent if logger.propagate else None
    return handlers


def strict_counts_warnings() -> bool:
    """False under --quiet: MkDocs' logger then drops warnings before its --strict counter sees them
    (mkdocs#4126), and a strict build passes whatever it warns about."""
    return logging.getLogger("mkdocs").isEnabledFor(logging.WARNING)


def search_worker(theme_dirs: Iterable[str | Path]) -> str:
    """Material's search worker as the installed theme names it (the name carries a hash that
    changes with every Material release)."""
    found = sorted(
        {
            path.relative_to(folder).as_posix()
            for folder in map(Path, theme_dirs)
            for path in folder.glob(SEARCH_WORKER_GLOB)
        }
    )
    if len(found) != 1:
        raise UpstreamChangedError(
            f"Material's search worker ({SEARCH_WORKER_GLOB}) was found {len(found)} times in the theme: {found}"
        )
    return found[0]


def textstat_with_pronunciations(pronunciations):
    """textstat with its English syllable counter reading `pronunciations` in place of loading the
    whole CMU dictionary (textstat reads it through this private function only)."""
    import textstat
    from textstat.backend.counts import _count_syllables
    from textstat.backend.utils._get_lang_root import get_lang_root
    from textstat.backend.utils._get_pyphen import get_pyphen

    if not hasattr(_count_syllables, "get_cmudict"):
        raise UpstreamChangedError(
            "textstat no longer counts syllables through textstat.backend.counts._count_syllables.get_cmudict"
        )
    _count_syllables.get_cmudict = lambda lang: pronunciations if get_lang_root(lang) == "en" else None
    # textstat loads a hyphenation dictionary for every text, though for English it is needed only
    # for words the table lacks: load it then.
    if not hasattr(_count_syllables, "get_pyphen"):
        raise UpstreamChangedError(
            "textstat no longer hyphenates through textstat.backend.counts._count_syllables.get_pyphen"
        )
    hyphenators = {}

    class _LazyHyphenator:
        def __init__(self, lang):
            self._lang = lang

        def positions(self, word):
            if self._lang not in hyphenators:
                hyphenators[self._lang] = get_pyphen(self._lang)
            return hyphenators[self._lang].positions(word)

    _count_syllables.get_pyphen = _LazyHyphenator
    return textstat


# Material templates Careleaf keeps a copy of in overrides/, each edit with a "Careleaf:" comment,
# and the SHA-256 of the Material 9.8.1 file each was copied from: a new Material that changes one
# fails tests/test_upstream.py until the copy is redone from it and the hash updated.
FORKED_TEMPLATES = {
    "base.html": "8536d352b0093623df9e0032894f321cbe264b15a9b48cdd962583772455dadb",
    "partials/alternate.html": "572b1d4dae611aa5fd65107edec95e44331b6141abf86834ea4dc6c1ddd7241b",
    "partials/header.html": "8cf3fb15bcf969ff596649616fd99366b3c31c08d57a86d05308efc16d8fa75f",
    "partials/language.html": "3a44516f305006ac794f51a45ad7b532cf270916d8e92e8c42784e58b2eff0a3",
    "partials/logo.html": "e0925ef6c190174a5162ed1ecc55295016dd8a7beec3018db3e04aac283a2dd9",
    "partials/search.html": "bfd556535abcddb99396ab2a7e3acc2ebcd3f36756007d3969396caa4126be30",
}
FORK_MARK = "Careleaf:"


def changed_material_templates(theme_dir: Path) -> list[str]:
    """The copied templates whose original in the installed Material is not the one they were made from."""
    import hashlib

    return [
        name
        for name, digest in FORKED_TEMPLATES.items()
        if hashlib.sha256((theme_dir / name).read_bytes()).hexdigest() != digest
    ]


def unmarked_fork_changes(ours: Path, materials: Path) -> list[str]:
    """Where our copy of a Material template differs from the installed Material's without a
    "Careleaf:" comment in the changed lines (or just above them): what an upgrade changed."""
    import difflib

    mine, theirs = ours.read_text(encoding="utf-8").splitlines(), materials.read_text(encoding="utf-8").splitlines()
    unmarked = []
    for tag, start, end, our_start, our_end in difflib.SequenceMatcher(
        None, theirs, mine, autojunk=False
    ).get_opcodes():
        if tag != "equal" and not any(FORK_MARK in line for line in mine[max(our_start - 1, 0) : our_end]):
            unmarked.append(
                f"{ours.name} line {our_start + 1}: Material has {theirs[start:end]!r}, ours {mine[our_start:our_end]!r}"
            )
    return unmarked


# Material's translation of its own interface for a language: a template with one macro, t(key).
MATERIAL_LANGUAGE_TEMPLATE = "partials/languages/{lang}.html"


def material_interface(lang: str, keys: Iterable[str]) -> dict[str, str] | None:
    """Material's text for each of `keys` in `lang` ('' where its translation has none), or None when
    Material has no translation of its interface for the language at all."""
    found = _material_interface(lang, tuple(keys))
    return dict(found) if found is not None else None


@functools.cache  # the installed Material's templates: compiled once per process
def _material_interface(lang: str, keys: tuple[str, ...]) -> dict[str, str] | None:
    import jinja2
    import material

    templates = Path(material.__file__).parent / "templates"
    name = MATERIAL_LANGUAGE_TEMPLATE.format(lang=lang)
    if not (templates / name).is_file():
        return None
    try:
        module = jinja2.Environment(loader=jinja2.FileSystemLoader(templates)).get_template(name).module
        return {key: str(module.t(key)).strip() for key in keys}  # type: ignore[attr-defined]
    except (jinja2.TemplateError, AttributeError) as error:
        raise UpstreamChangedError(
            f"Material's {name} no longer gives its strings through a macro t(key): {error}"
        ) from error


def add_theme_folder(config, folder: Path) -> None:
    """A folder of templates the theme reads last (after custom_dir and Material's own): every Jinja
    environment MkDocs makes from the theme finds them, Material's plugins' included."""
    if str(folder) not in config.theme.dirs:
        config.theme.dirs.append(str(folder))
