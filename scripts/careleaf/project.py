"""Project settings: which languages, where the content and locales live, the hospital.

Read from mkdocs.yml, so the validator and the build agree on one configuration.
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

from careleaf import phones

# region: where the hospital's numbers are dialled (ISO 3166-1 alpha-2, as libphonenumber names it).
HOSPITAL_KEYS = ("name", "logo", "region", *phones.PHONE_KEYS)
PAGE_SIZES = ("Letter", "A4")
# textstat formulas that score a text alone (scripts/careleaf/readability.py calls them by name).
READABILITY_FORMULAS = ("flesch_kincaid_grade", "flesch_reading_ease", "fernandez_huerta", "szigriszt_pazos",
                        "gutierrez_polini", "crawford", "gunning_fog", "smog_index", "coleman_liau_index",
                        "automated_readability_index")


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
    # What each number in extra.hospital dials (phones.PHONE_KEYS): an RFC 3966 tel: URI, the one value
    # every link to it uses.
    tel_uris: dict[str, str] = field(default_factory=dict)
    # The hospital's name as the header shows it on a phone, per language (extra.hospital.short_name).
    hospital_short_names: dict[str, str] = field(default_factory=dict)
    site_url: str = ""
    # PDF handout paper: "Letter" (default) or "A4", from extra.handouts.page_size.
    page_size: str = "Letter"
    # The site build prints every handout (extra.handouts.build); off: no PDFs and no links to any.
    handouts_built: bool = True
    # Kiosk mode: enabled, idle_seconds, print (extra.kiosk).
    kiosk: dict = field(default_factory=lambda: {"enabled": False, "idle_seconds": 120, "print": False})
    # Readability thresholds per language (extra.readability); None means Careleaf's defaults.
    readability: dict | None = None
    # Processes building languages at once (extra.build.jobs; 0 = one per CPU core, 1 = sequential).
    build_jobs: int = 1
    # mkdocs.yml's markdown_extensions, as written (names, or one-key mappings of name to options).
    markdown_extensions: tuple = ()
    # Languages still being translated (extra.languages_in_progress): a missing article there is a
    # warning and readers get the English page; in any other language it is an error.
    languages_in_progress: tuple[str, ...] = ()
    # extra.clinical_review.required: a strict build refuses an English article no clinician approved
    # as it reads now (the way a hospital publishes).
    clinical_review_required: bool = False

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
    """Build the Project from mkdocs.yml's data, refusing (ProjectError) what cannot be used."""
    if not isinstance(raw, Mapping):
        raise ProjectError("mkdocs.yml: the configuration must be a mapping of settings")
    i18n = _i18n_options(raw)
    languages = i18n.get("languages") or []
    if not isinstance(languages, list) or not all(isinstance(lang, Mapping) for lang in languages):
        raise ProjectError("mkdocs.yml: the i18n plugin's languages must be a list, each with its locale")
    if not languages:
        raise ProjectError("mkdocs.yml: the i18n plugin lists no languages")
    if not all(_is_text(lang.get("locale")) and _is_text(lang.get("name", lang.get("locale"))) for lang in languages):
        raise ProjectError("mkdocs.yml: every i18n language needs a 'locale' (such as 'en') and a name in text")
    codes = tuple(str(lang["locale"]) for lang in languages)
    defaults = [str(lang["locale"]) for lang in languages if lang.get("default")]
    if len(defaults) != 1:
        raise ProjectError("mkdocs.yml: exactly one i18n language must be 'default: true'")
    extra = _section(raw, "extra", "extra")
    hospital = _section(extra, "hospital", "extra.hospital")
    # Present but 0 or false is not missing: the value is judged below (an unquoted 000 reads as 0).
    missing = [key for key in HOSPITAL_KEYS if hospital.get(key) in (None, "")]
    if missing:
        raise ProjectError(f"mkdocs.yml: extra.hospital is missing {', '.join(missing)}")
    short_names = hospital.get("short_name") or {}
    if not isinstance(short_names, Mapping) or not all(_is_text(name) for name in short_names.values()):
        raise ProjectError("mkdocs.yml: extra.hospital.short_name must map each language to a name in text, "
                           "such as 'en: Riverside'")
    hospital = {key: value for key, value in hospital.items() if key != "short_name"}
    if not all(_is_text(value) for value in hospital.values()):
        raise ProjectError("mkdocs.yml: every extra.hospital setting must be text")
    hospital["region"] = _region(hospital["region"])
    tel_uris = {key: _tel_uri(key, hospital[key], hospital["region"]) for key in phones.PHONE_KEYS}
    if not all(_is_text(raw.get(key) or "") for key in ("docs_dir", "site_url")):
        raise ProjectError("mkdocs.yml: docs_dir and site_url must be text")
    docs = docs_dir or (root / str(raw.get("docs_dir") or "docs"))
    _check_logo(raw, root, Path(docs), str(hospital["logo"]))
    handout_settings = _section(extra, "handouts", "extra.handouts")
    page_size = handout_settings.get("page_size") or "Letter"
    if page_size not in PAGE_SIZES:
        raise ProjectError(f"mkdocs.yml: extra.handouts.page_size must be one of {', '.join(PAGE_SIZES)}")
    return Project(
        root=root,
        docs_dir=Path(docs),
        locales_dir=root / "locales",
        languages=codes,
        default_language=defaults[0],
        language_names={str(lang["locale"]): str(lang.get("name", lang["locale"])) for lang in languages},
        hospital={key: str(value) for key, value in hospital.items()},
        tel_uris=tel_uris,
        # A language without a short name shows the full name.
        hospital_short_names={lang: str(short_names.get(lang) or hospital["name"]) for lang in codes},
        site_url=str(raw.get("site_url") or ""),
        page_size=page_size,
        handouts_built=_flag(handout_settings.get("build", True), "extra.handouts.build"),
        kiosk=_kiosk_options(_section(extra, "kiosk", "extra.kiosk")),
        readability=_readability_options(extra.get("readability")),
        build_jobs=_build_jobs(_section(extra, "build", "extra.build").get("jobs", 0)),
        markdown_extensions=_markdown_extensions(raw.get("markdown_extensions")),
        languages_in_progress=_languages_in_progress(extra.get("languages_in_progress"), codes, defaults[0]),
        clinical_review_required=_flag(_section(extra, "clinical_review", "extra.clinical_review").get("required", False),
                                       "extra.clinical_review.required"),
    )


def _check_logo(raw: Mapping[str, Any], root: Path, docs: Path, logo: str) -> None:
    """The logo is a file where MkDocs serves it from: the docs folder or the theme's custom_dir."""
    theme = raw.get("theme") if isinstance(raw.get("theme"), Mapping) else {}
    folders = [docs] + ([root / str(theme["custom_dir"])] if _is_text(theme.get("custom_dir")) else [])
    if not any((folder / logo).is_file() for folder in folders):
        where = " or ".join(f"{folder.name}/" for folder in folders)
        raise ProjectError(f"mkdocs.yml: extra.hospital.logo: {logo} is not a file in {where}")


def _region(raw: Any) -> str:
    code = str(raw).strip().upper()
    if not phones.is_region(code):
        raise ProjectError(f'mkdocs.yml: extra.hospital.region: "{raw}" is not a region whose phone numbers Careleaf '
                           "can read: give its two-letter code (ISO 3166-1), such as US, GB or AU")
    return code


def _tel_uri(key: str, raw: Any, region: str) -> str:
    """What extra.hospital.<key> dials, refused in one line naming the key when a phone cannot dial it."""
    try:
        return phones.tel_uri(str(raw), region)
    except phones.NotDiallable:
        # YAML reads an unquoted 000 as the number 0: the digits the hospital meant are gone.
        hint = " (write it in quotes)" if not isinstance(raw, str) else ""
        raise ProjectError(f'mkdocs.yml: extra.hospital.{key}: "{raw}" is not a number that can be dialled in '
                           f"{region}{hint}") from None


def _flag(raw: Any, name: str) -> bool:
    if not isinstance(raw, bool):
        raise ProjectError(f"mkdocs.yml: {name} must be true or false")
    return raw


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


def _readability_options(raw: Any) -> dict | None:
    """extra.readability: per language a textstat formula, a target, and error_above or error_below."""
    if raw is None:
        return None
    shape = "mkdocs.yml: extra.readability maps a language to {formula: <textstat formula>, target: <number>}"
    if not isinstance(raw, Mapping):
        raise ProjectError(shape)
    for lang, rule in raw.items():
        if not isinstance(rule, Mapping) or rule.get("formula") not in READABILITY_FORMULAS:
            raise ProjectError(f"{shape}; the formula is one of {', '.join(READABILITY_FORMULAS)}")
        if not all(_is_number(rule[key]) for key in ("target", "error_above", "error_below") if key in rule) or "target" not in rule:
            raise ProjectError(f"{shape}; target, error_above and error_below are numbers")
    return dict(raw)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _markdown_extensions(raw: Any) -> tuple:
    """markdown_extensions as written: names, or one-key mappings of a name to its options."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(entry, str) or (isinstance(entry, Mapping) and len(entry) == 1)
                                            for entry in raw):
        raise ProjectError("mkdocs.yml: markdown_extensions must be a list of extension names (or name: options)")
    return tuple(raw)


def _languages_in_progress(raw: Any, codes: tuple[str, ...], default: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(lang, str) for lang in raw):
        raise ProjectError("mkdocs.yml: extra.languages_in_progress must be a list of language codes, e.g. [vi]")
    unknown = [lang for lang in raw if lang not in codes or lang == default]
    if unknown:
        raise ProjectError(f"mkdocs.yml: extra.languages_in_progress names {', '.join(unknown)}, which is not a "
                           f"translation language ({', '.join(code for code in codes if code != default)})")
    return tuple(raw)


def _build_jobs(raw: Any) -> int:
    try:
        jobs = int(raw)
    except (TypeError, ValueError, OverflowError) as error:
        raise ProjectError("mkdocs.yml: extra.build.jobs must be a whole number (0 = one per CPU core)") from error
    if jobs < 0:
        raise ProjectError("mkdocs.yml: extra.build.jobs must be 0 or more")
    if jobs == 0:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return jobs


def _kiosk_options(raw: Mapping[str, Any]) -> dict[str, Any]:
    try:
        idle = int(raw.get("idle_seconds", 120))
    except (TypeError, ValueError, OverflowError) as error:
        raise ProjectError("mkdocs.yml: extra.kiosk.idle_seconds must be a whole number of seconds") from error
    if idle < 1:
        raise ProjectError("mkdocs.yml: extra.kiosk.idle_seconds must be at least 1")
    return {"enabled": bool(raw.get("enabled", False)), "idle_seconds": idle, "print": bool(raw.get("print", False))}


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
