"""Project settings: which languages, where the content and locales live, the hospital.

Read from mkdocs.yml, so the validator and the build agree on one configuration.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import yaml_load

HOSPITAL_KEYS = ("name", "logo", "emergency_number", "nurse_line")
PAGE_SIZES = ("Letter", "A4")


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
    site_url: str = ""
    # PDF handout paper: "Letter" (default) or "A4", from extra.handouts.page_size.
    page_size: str = "Letter"
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

    @property
    def translations(self) -> tuple[str, ...]:
        return tuple(lang for lang in self.languages if lang != self.default_language)

    def relative(self, path: Path) -> str:
        """A path as editors see it: relative to the project root when possible."""
        try:
            return path.resolve().relative_to(self._resolved_root).as_posix()
        except ValueError:
            return path.as_posix()

    @cached_property
    def _resolved_root(self) -> Path:
        return self.root.resolve()


def from_config_dict(raw: dict[str, Any], root: Path, docs_dir: Path | None = None) -> Project:
    """Build the Project from mkdocs.yml's data (a plain dict or MkDocs' own config)."""
    i18n = _i18n_options(raw)
    languages = i18n.get("languages") or []
    if not languages:
        raise ProjectError("mkdocs.yml: the i18n plugin lists no languages")
    codes = tuple(str(lang["locale"]) for lang in languages)
    defaults = [str(lang["locale"]) for lang in languages if lang.get("default")]
    if len(defaults) != 1:
        raise ProjectError("mkdocs.yml: exactly one i18n language must be 'default: true'")
    hospital = dict((raw.get("extra") or {}).get("hospital") or {})
    missing = [key for key in HOSPITAL_KEYS if not hospital.get(key)]
    if missing:
        raise ProjectError(f"mkdocs.yml: extra.hospital is missing {', '.join(missing)}")
    docs = docs_dir or (root / str(raw.get("docs_dir") or "docs"))
    page_size = str(((raw.get("extra") or {}).get("handouts") or {}).get("page_size") or "Letter")
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
        site_url=str(raw.get("site_url") or ""),
        page_size=page_size,
        kiosk=_kiosk_options((raw.get("extra") or {}).get("kiosk") or {}),
        readability=(raw.get("extra") or {}).get("readability"),
        build_jobs=_build_jobs(((raw.get("extra") or {}).get("build") or {}).get("jobs", 0)),
        markdown_extensions=tuple(raw.get("markdown_extensions") or ()),
        languages_in_progress=_languages_in_progress((raw.get("extra") or {}).get("languages_in_progress"),
                                                     codes, defaults[0]),
    )


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
    except (TypeError, ValueError) as error:
        raise ProjectError("mkdocs.yml: extra.build.jobs must be a whole number (0 = one per CPU core)") from error
    if jobs < 0:
        raise ProjectError("mkdocs.yml: extra.build.jobs must be 0 or more")
    if jobs == 0:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return jobs


def _kiosk_options(raw: dict[str, Any]) -> dict[str, Any]:
    try:
        idle = int(raw.get("idle_seconds", 120))
    except (TypeError, ValueError) as error:
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
        raise ProjectError(f"{config_file}: {error}") from error
    return from_config_dict(raw, config_file.parent.resolve(), docs_dir)


def _i18n_options(raw: dict[str, Any]) -> dict[str, Any]:
    for plugin in raw.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            return plugin["i18n"] or {}
    if isinstance(raw.get("plugins"), dict) and "i18n" in raw["plugins"]:
        return raw["plugins"]["i18n"] or {}
    raise ProjectError("mkdocs.yml: the i18n plugin (mkdocs-static-i18n) is not configured")
