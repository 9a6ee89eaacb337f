"""Project settings: which languages, where the content and locales live, the hospital.

The careleaf plugin's settings (careleaf/model/config.py) and what Careleaf needs of the rest of mkdocs.yml,
as the code uses them. The build makes the Project from the configuration MkDocs loaded
(`from_settings`); the validator and the scripts from mkdocs.yml as read (`load`), with the same schema,
so both agree on one configuration.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import yaml_load

from careleaf.model import config as careleaf_config
from careleaf.model import phones

# region: where the hospital's numbers are dialled (ISO 3166-1 alpha-2, as libphonenumber names it).
HOSPITAL_KEYS = ("name", "logo", "region", *phones.PHONE_KEYS)
# The extensions MkDocs loads whatever markdown_extensions says.
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")


class ProjectError(Exception):
    """The project's configuration cannot be used (exit code 2 in the validator)."""


@dataclass(frozen=True)
class Project:
    root: Path
    docs_dir: Path
    locales_dir: Path
    languages: tuple[str, ...]
    default_language: str
    language_names: dict[str, str] = field(default_factory=dict)
    hospital: dict[str, str] = field(default_factory=dict)
    # What each number in hospital dials (phones.PHONE_KEYS): an RFC 3966 tel: URI, the one value
    # every link to it uses.
    tel_uris: dict[str, str] = field(default_factory=dict)
    # The hospital's name as the header shows it on a phone, per language (hospital.short_name).
    hospital_short_names: dict[str, str] = field(default_factory=dict)
    site_url: str = ""
    # PDF handout paper: "Letter" (default) or "A4", from handouts.page_size.
    page_size: str = "Letter"
    # The site build prints every handout (handouts.build); off: no PDFs and no links to any.
    handouts_built: bool = True
    # handouts.shard (K, N): the build prints only that share into the print cache and publishes nothing.
    handout_shard: tuple[int, int] | None = None
    # Kiosk mode: enabled, idle_seconds, print (kiosk).
    kiosk: dict = field(default_factory=lambda: {"enabled": False, "idle_seconds": 120, "print": False})
    # Readability thresholds per language (readability); None means Careleaf's defaults.
    readability: dict | None = None
    # Processes the build works in at once: languages, handouts (build.jobs; 0 = one per CPU core, 1 = sequential).
    build_jobs: int = 1
    # mkdocs.yml's markdown_extensions as MkDocs loads them (names, or one-key mappings of name to options).
    markdown_extensions: tuple = ()
    # Languages still being translated (languages_in_progress): a missing article there is a
    # warning and readers get the English page; in any other language it is an error.
    languages_in_progress: tuple[str, ...] = ()
    # clinical_review.required: a strict build refuses an English article no clinician approved
    # as it reads now (the way a hospital publishes).
    clinical_review_required: bool = False
    # What the configuration should change (a setting still under extra:): warnings, never refusals.
    notes: tuple[str, ...] = ()

    @property
    def translations(self) -> tuple[str, ...]:
        return tuple(lang for lang in self.languages if lang != self.default_language)

    def relative(self, path: Path) -> str:
        """A path as editors see it: relative to the project root when possible."""
        # Paths under an absolute docs folder need no resolving (a system call per path component).
        for candidate in (path, path.resolve()) if path.is_absolute() else (path.resolve(),):
            try:
                return candidate.relative_to(self._resolved_root).as_posix()
            except ValueError:
                continue
        return path.as_posix()

    @cached_property
    def _resolved_root(self) -> Path:
        return self.root.resolve()


def from_config_dict(raw: Any, root: Path, docs_dir: Path | None = None) -> Project:
    """Build the Project from mkdocs.yml's data as read (the validator's way: MkDocs loads nothing),
    refusing (ProjectError) what cannot be used."""
    if not isinstance(raw, Mapping):
        raise ProjectError("mkdocs.yml: the configuration must be a mapping of settings")
    languages = _languages(_i18n_options(raw).get("languages"))
    if not all(_is_text(raw.get(key) or "") for key in ("docs_dir", "site_url")):
        raise ProjectError("mkdocs.yml: docs_dir and site_url must be text")
    try:
        settings, notes = careleaf_config.settings_from(raw, str(root / "mkdocs.yml"))
    except careleaf_config.SettingsError as error:
        raise ProjectError(f"mkdocs.yml: {error}") from None
    if careleaf_config.options_in(raw) is None:
        notes.append(
            "the careleaf plugin is not listed under plugins (add '- careleaf' after i18n): "
            "mkdocs build would run without Careleaf"
        )
    theme_setting = raw.get("theme")
    theme = theme_setting if isinstance(theme_setting, Mapping) else {}
    return from_settings(
        settings,
        root=root,
        docs_dir=Path(docs_dir or (root / str(raw.get("docs_dir") or "docs"))),
        languages=languages,
        site_url=str(raw.get("site_url") or ""),
        custom_dir=root / str(theme["custom_dir"]) if _is_text(theme.get("custom_dir")) else None,
        markdown_extensions=_markdown_extensions(raw.get("markdown_extensions")),
        notes=notes,
    )


def from_settings(
    settings: careleaf_config.CareleafConfig,
    *,
    root: Path,
    docs_dir: Path,
    languages: list[tuple[str, str, bool]],
    site_url: str,
    custom_dir: Path | None,
    markdown_extensions: tuple,
    notes: list[str] | tuple[str, ...] = (),
) -> Project:
    """The Project from the careleaf plugin's validated settings and what Careleaf needs of the rest of
    the configuration (`languages`: locale, name, default, as written): the build's and the validator's
    one way to it."""
    codes = tuple(code for code, _, _ in languages)
    defaults = [code for code, _, default in languages if default]
    if len(defaults) != 1:
        raise ProjectError("mkdocs.yml: exactly one i18n language must be 'default: true'")
    if settings.hospital is None:
        raise ProjectError(
            f"mkdocs.yml: the careleaf plugin's settings are missing hospital ({', '.join(HOSPITAL_KEYS)})"
        )
    hospital = {key: settings.hospital[key] for key in HOSPITAL_KEYS}
    short_names = settings.hospital.short_name
    hospital["region"] = _region(hospital["region"])
    tel_uris = {key: _tel_uri(key, hospital[key], hospital["region"]) for key in phones.PHONE_KEYS}
    _check_logo([docs_dir] + ([custom_dir] if custom_dir is not None else []), str(hospital["logo"]))
    return Project(
        root=root,
        docs_dir=docs_dir,
        locales_dir=root / "locales",
        languages=codes,
        default_language=defaults[0],
        language_names={code: name for code, name, _ in languages},
        hospital={key: str(value) for key, value in hospital.items()},
        tel_uris=tel_uris,
        # A language without a short name shows the full name.
        hospital_short_names={lang: str(short_names.get(lang) or hospital["name"]) for lang in codes},
        site_url=site_url,
        page_size=settings.handouts.page_size,
        handouts_built=settings.handouts.build,
        handout_shard=settings.handouts.shard,
        kiosk={
            "enabled": settings.kiosk.enabled,
            "idle_seconds": settings.kiosk.idle_seconds,
            "print": settings.kiosk.print,
        },
        readability=_readability_options(settings.readability),
        build_jobs=_build_jobs(settings.build.jobs),
        markdown_extensions=markdown_extensions,
        languages_in_progress=_languages_in_progress(settings.languages_in_progress, codes, defaults[0]),
        clinical_review_required=settings.clinical_review.required,
        notes=tuple(notes),
    )


def _languages(raw: Any) -> list[tuple[str, str, bool]]:
    """The i18n plugin's languages as written: (locale, name, default) each."""
    languages = raw or []
    if not isinstance(languages, list) or not all(isinstance(lang, Mapping) for lang in languages):
        raise ProjectError("mkdocs.yml: the i18n plugin's languages must be a list, each with its locale")
    if not languages:
        raise ProjectError("mkdocs.yml: the i18n plugin lists no languages")
    if not all(_is_text(lang.get("locale")) and _is_text(lang.get("name", lang.get("locale"))) for lang in languages):
        raise ProjectError("mkdocs.yml: every i18n language needs a 'locale' (such as 'en') and a name in text")
    return [
        (str(lang["locale"]), str(lang.get("name", lang["locale"])), lang.get("default") is True) for lang in languages
    ]


def _check_logo(folders: list[Path], logo: str) -> None:
    """The logo is a file where MkDocs serves it from: the docs folder or the theme's custom_dir."""
    if not any((folder / logo).is_file() for folder in folders):
        where = " or ".join(f"{folder.name}/" for folder in folders)
        raise ProjectError(f"mkdocs.yml: plugins.careleaf.hospital.logo: {logo} is not a file in {where}")


def _region(raw: Any) -> str:
    code = str(raw).strip().upper()
    if not phones.is_region(code):
        raise ProjectError(
            f'mkdocs.yml: plugins.careleaf.hospital.region: "{raw}" is not a region whose phone numbers Careleaf '
            "can read: give its two-letter code (ISO 3166-1), such as US, GB or AU"
        )
    return code


def _tel_uri(key: str, raw: Any, region: str) -> str:
    """What hospital.<key> dials, refused in one line naming the key when a phone cannot dial it."""
    try:
        return phones.tel_uri(str(raw), region)
    except phones.NotDiallable:
        # YAML reads an unquoted 000 as the number 0: the digits the hospital meant are gone.
        hint = " (write it in quotes)" if not isinstance(raw, str) else ""
        raise ProjectError(
            f'mkdocs.yml: plugins.careleaf.hospital.{key}: "{raw}" is not a number that can be dialled in '
            f"{region}{hint}"
        ) from None


def _section(parent: Mapping[str, Any], key: str, name: str) -> Mapping[str, Any]:
    """A nested mapping of settings (absent: empty)."""
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ProjectError(f"mkdocs.yml: {name} must be a mapping of settings, not {type(value).__name__}")
    return value


def _is_text(value: Any) -> bool:
    # Numbers are written unquoted often enough (emergency_number: 911) to be read as text.
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _readability_options(rules: Any) -> dict | None:
    """readability: per language a textstat formula, a target, and error_above or error_below (only
    those given: a rule with error_below is one where higher is easier)."""
    if rules is None:
        return None
    return {lang: {key: value for key, value in rule.items() if value is not None} for lang, rule in rules.items()}


def _markdown_extensions(raw: Any) -> tuple:
    """markdown_extensions as written: names, or one-key mappings of a name to its options."""
    if raw is None:
        return markdown_extensions_as_built([], {})
    if not isinstance(raw, list) or not all(
        isinstance(entry, str) or (isinstance(entry, Mapping) and len(entry) == 1) for entry in raw
    ):
        raise ProjectError("mkdocs.yml: markdown_extensions must be a list of extension names (or name: options)")
    names = [entry if isinstance(entry, str) else next(iter(entry)) for entry in raw]
    options = {
        name: options
        for entry in raw
        if isinstance(entry, Mapping)
        for name, options in entry.items()
        if isinstance(options, Mapping)
    }
    return markdown_extensions_as_built(names, options)


def markdown_extensions_as_built(names: list[str], options: Mapping[str, Any]) -> tuple:
    """The extensions in the order MkDocs loads them (its three built-ins first, each once), a name or
    a one-key mapping of the name to its options: one description for the validator and the build, so
    their caches agree."""
    ordered = list(dict.fromkeys([*MKDOCS_BUILTIN_EXTENSIONS, *names]))
    return tuple({name: dict(options[name])} if options.get(name) else name for name in ordered)


def _languages_in_progress(raw: Any, codes: tuple[str, ...], default: str) -> tuple[str, ...]:
    unknown = [lang for lang in raw if lang not in codes or lang == default]
    if unknown:
        raise ProjectError(
            f"mkdocs.yml: plugins.careleaf.languages_in_progress names {', '.join(unknown)}, which is not a "
            f"translation language ({', '.join(code for code in codes if code != default)})"
        )
    return tuple(raw)


def _build_jobs(jobs: int) -> int:
    """build.jobs as processes: 0 is one per CPU core this process may use."""
    if jobs == 0:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return jobs


def load(config_file: Path, docs_dir: Path | None = None) -> Project:
    """Read mkdocs.yml with MkDocs' own YAML loader (it understands !ENV and friends)."""
    if not config_file.is_file():
        raise ProjectError(f"{config_file}: no such configuration file")
    try:
        with config_file.open("rb") as handle:
            raw = yaml_load(handle)
    except ConfigurationError as error:
        cause = error.__context__  # MkDocs wraps PyYAML's error, with its line, in a message of several lines
        mark = getattr(cause, "problem_mark", None)
        if isinstance(cause, yaml.MarkedYAMLError) and mark is not None:
            raise ProjectError(f"{config_file}:{mark.line + 1}: not valid YAML: {cause.problem}") from error
        raise ProjectError(f"{config_file}: {' '.join(str(error).split())}") from error
    except RecursionError as error:
        raise ProjectError(f"{config_file}: nested too deeply to read") from error
    except Exception as error:  # MkDocs' loader runs !!python tags and date constructors: anything can fail
        raise ProjectError(f"{config_file}: cannot be read: {type(error).__name__}: {error}") from error
    return from_config_dict(raw, config_file.parent.resolve(), docs_dir)


def _i18n_options(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    plugins = raw.get("plugins")
    entries = plugins if isinstance(plugins, list) else [plugins] if isinstance(plugins, Mapping) else []
    for plugin in entries:
        if isinstance(plugin, Mapping) and "i18n" in plugin:
            return _section(plugin, "i18n", "the i18n plugin's settings")
    raise ProjectError("mkdocs.yml: the i18n plugin (mkdocs-static-i18n) is not configured")
