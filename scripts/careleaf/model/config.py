"""CareleafConfig: the careleaf plugin's settings in mkdocs.yml, typed with MkDocs' config options.

    plugins:
      - i18n: ...
      - careleaf:
          hospital: {name: ..., logo: ..., region: US, emergency_number: "911", nurse_line: ...}
          languages_in_progress: [vi]
          clinical_review: {required: true}
          ...

MkDocs validates this section when it loads the plugin, fills the defaults and names a bad key;
the validator (careleaf validate) runs the same classes on the same section without loading the
rest of the configuration (`settings_from`). Every section refuses a key it does not know: a
misspelt `requred: true` would otherwise quietly leave the approval requirement off.

Until the next release the sections may still sit under `extra:`, where Careleaf read them before
it was a plugin: they are used with a warning naming where each moved (`MOVED_FROM_EXTRA`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

# textstat formulas that score a text alone (scripts/careleaf/checks/readability.py calls them by name).
READABILITY_FORMULAS = (
    "flesch_kincaid_grade",
    "flesch_reading_ease",
    "fernandez_huerta",
    "szigriszt_pazos",
    "gutierrez_polini",
    "crawford",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
)
PAGE_SIZES = ("Letter", "A4")


class SettingsError(Exception):
    """A careleaf setting that cannot be used, named by its path (hospital.region, kiosk.idle_seconds…)."""


# ---------------------------------------------------------------------------
# Options MkDocs has no exact equivalent for
# ---------------------------------------------------------------------------


class Text(c.BaseConfigOption[Any]):
    """Text, or a number written without quotes (emergency_number: 911), kept as written: an unquoted
    000 reads as 0, and the phone check says to quote it only if it knows it was not text."""

    def run_validation(self, value: object) -> Any:
        if value is None:
            raise ValidationError("Required configuration not provided.")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ValidationError(f"must be text, not {type(value).__name__}")
        if value == "":
            raise ValidationError("must not be empty")
        return value


class Flag(c.BaseConfigOption[bool]):
    """true or false, and nothing YAML merely reads as true (`required: yes please` is a string)."""

    def __init__(self, default: bool) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> bool:
        if value is None:
            return self.default
        if not isinstance(value, bool):
            raise ValidationError("must be true or false")
        return value


class WholeNumber(c.BaseConfigOption[int]):
    """A whole number of at least `minimum`; digits from the environment (!ENV) count ("120")."""

    def __init__(self, default: int, minimum: int, meaning: str) -> None:
        super().__init__()
        self.default, self.minimum, self.meaning = default, minimum, meaning

    def run_validation(self, value: object) -> int:
        if value is None:
            return self.default
        if isinstance(value, bool):
            raise ValidationError(f"must be a whole number ({self.meaning})")
        try:
            number = int(value)  # type: ignore[call-overload]
        except (TypeError, ValueError, OverflowError):
            raise ValidationError(f"must be a whole number ({self.meaning})") from None
        if isinstance(value, float) and number != value:
            raise ValidationError(f"must be a whole number ({self.meaning})")
        if number < self.minimum:
            raise ValidationError(f"must be {self.minimum} or more ({self.meaning})")
        return number


class Number(c.BaseConfigOption[float]):
    """A number (a readability score); true and false are not numbers here."""

    def run_validation(self, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError("must be a number")
        return value


class OptionalSection(c.SubConfig):
    """A section that may be absent (None), unlike SubConfig, which fills an absent one with defaults."""

    def __init__(self, config_class: type[base.Config]) -> None:
        super().__init__(config_class)
        self.config_class = config_class
        self.default = None

    def run_validation(self, value: object):
        return None if value is None else super().run_validation(value)


class PerLanguage(c.DictOfItems):
    """A setting per language (`en: ...`), whose error names the language it is about."""

    def run_validation(self, value: object):
        if isinstance(value, dict):
            for key, item in value.items():
                try:
                    self.option_type.run_validation(item)
                except ValidationError as error:
                    raise ValidationError(f"Sub-option '{key}': {error}") from None
        return super().run_validation(value)


class StrictConfig(base.Config):
    """A section that refuses keys it does not know, naming the key and the nearest known one."""

    def validate(self):
        failed, warnings = super().validate()
        known = [key for key, _ in self._schema]
        unknown = sorted(str(key) for key in set(self.keys()) - self._schema_keys)
        warnings = [(key, message) for key, message in warnings if key not in unknown]
        misspelt = []
        for key in unknown:
            near = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else f" (known settings: {', '.join(known)})"
            misspelt.append((key, ValidationError(f"not a Careleaf setting{hint}")))
        # The typo first: `emergency_numer` is the cause of "emergency_number: required".
        return misspelt + failed, warnings


# ---------------------------------------------------------------------------
# The sections
# ---------------------------------------------------------------------------


class HospitalConfig(StrictConfig):
    name = Text()
    """The hospital's name, as pages and handouts show it."""
    short_name = PerLanguage(Text(), default={})
    """What a phone's header shows, whole, per language (a language left out shows `name`)."""
    logo = Text()
    """The logo, a file in docs/ or the theme's custom_dir (also the favicon)."""
    region = Text()
    """Where the numbers are dialled: two letters, ISO 3166-1 (US, GB, AU…)."""
    emergency_number = Text()
    """The region's emergency number as written here (911, 999, 112, 000)."""
    nurse_line = Text()
    """A full number a phone in `region` can dial (vanity letters and "ext. 2" included)."""


class ClinicalReviewConfig(StrictConfig):
    required = Flag(default=False)
    """true: the publishing build (--strict) refuses an English article no clinician approved as it reads now."""


def parse_share(text: str) -> tuple[int, int]:
    """'K/N' as (K, N): the Kth of N shares of the handouts (1 <= K <= N)."""
    match = re.fullmatch(r"\s*([0-9]+)\s*/\s*([0-9]+)\s*", text)
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise ValueError(f"'{text}' is not a share K/N with 1 <= K <= N (2/4: the second of four)")
    return int(match[1]), int(match[2])


class Share(c.BaseConfigOption[Any]):
    """A share K/N of the print jobs, or nothing (empty, as an unset !ENV variable gives)."""

    def run_validation(self, value: object) -> tuple[int, int] | None:
        if value is None or value == "":
            return None
        try:
            return parse_share(str(value))
        except ValueError as error:
            raise ValidationError(str(error)) from None


class HandoutsConfig(StrictConfig):
    page_size = c.Choice(PAGE_SIZES, default="Letter")
    """PDF handout paper."""
    build = Flag(default=True)
    """The site build prints every handout; false: no PDFs and no links to any."""
    shard = Share()
    """Only this share K/N of the handouts, printed into the print cache; the build publishes nothing
    (`careleaf handouts --shard K/N` sets it through CARELEAF_HANDOUT_SHARD)."""


class ReadabilityRule(StrictConfig):
    formula = c.Choice(READABILITY_FORMULAS)
    """The textstat formula that scores the language."""
    target = Number()
    """The score an article aims for."""
    error_above = c.Optional(Number())
    """A score above this is an error (formulas where lower is easier)."""
    error_below = c.Optional(Number())
    """A score below this is an error (formulas where higher is easier)."""


class KioskConfig(StrictConfig):
    enabled = Flag(default=False)
    """The waiting-room copy (careleaf kiosk turns it on through CARELEAF_KIOSK)."""
    idle_seconds = WholeNumber(default=120, minimum=1, meaning="seconds")
    """Back to the start page after this much idle time."""
    print = Flag(default=False)
    """The kiosk offers printing and PDF handouts."""


class BuildConfig(StrictConfig):
    jobs = WholeNumber(default=0, minimum=0, meaning="0 = one per CPU core")
    """Processes `mkdocs build` works in at once, building languages and printing handouts (0: one per
    CPU core; 1: one after another)."""


class CareleafConfig(StrictConfig):
    hospital = OptionalSection(HospitalConfig)
    """The hospital this copy of Careleaf is branded for (required; optional here only while
    `extra.hospital` is still read)."""
    languages_in_progress = c.ListOfItems(c.Type(str), default=[])
    """Translations still being made: only there is a missing article a warning."""
    clinical_review = c.SubConfig(ClinicalReviewConfig)
    handouts = c.SubConfig(HandoutsConfig)
    readability = c.Optional(PerLanguage(c.SubConfig(ReadabilityRule)))
    """Reading level per language; absent: Careleaf's defaults (readability.DEFAULT_THRESHOLDS)."""
    kiosk = c.SubConfig(KioskConfig)
    build = c.SubConfig(BuildConfig)


# ---------------------------------------------------------------------------
# Reading the section (the plugin and the validator)
# ---------------------------------------------------------------------------

PLUGIN_NAME = "careleaf"
_SUB_OPTION = re.compile(r"Sub-option '([^']*)': (.*)", re.DOTALL)
# Each section Careleaf read from `extra:` before it was a plugin: it now sits, unchanged, under the
# careleaf plugin's options with the same name.
MOVED_FROM_EXTRA = ("hospital", "languages_in_progress", "clinical_review", "handouts", "readability", "kiosk", "build")


def moved_from_extra(options: Mapping[str, Any], extra: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The plugin's options with the sections still under `extra:` moved in (the plugin's own win),
    and a warning for each saying where it moved."""
    merged = dict(options)
    notes = []
    for key in MOVED_FROM_EXTRA:
        if key not in extra:
            continue
        if key in options:
            notes.append(
                f"extra.{key} is ignored: the careleaf plugin's '{key}' setting replaces it; remove it from extra"
            )
        else:
            merged[key] = extra[key]
            notes.append(
                f"extra.{key} has moved to the careleaf plugin's settings: under plugins, "
                f"'- careleaf:' then '{key}:' (extra.{key} is read until the next release)"
            )
    return merged, notes


def validated(
    options: Mapping[str, Any], config_file_path: str | None = None, from_extra: Iterable[str] = ()
) -> CareleafConfig:
    """The options checked by the schema; SettingsError names the first bad key by its path (under extra.
    for the sections in `from_extra`, which were read there)."""
    if not isinstance(options, Mapping):
        raise SettingsError(f"the careleaf plugin's settings must be a mapping, not {type(options).__name__}")
    config = CareleafConfig(config_file_path=config_file_path)
    config.load_dict(dict(options))
    failed, _warnings = config.validate()
    if failed:
        key, error = failed[0]
        path, message = [str(key)], str(error)
        # A section's error names the key inside it as MkDocs words it ("Sub-option 'requred': …"): a path here.
        while (inner := _SUB_OPTION.match(message)) is not None:
            path.append(inner.group(1))
            message = inner.group(2)
        where = "extra" if path[0] in from_extra else "plugins.careleaf"
        raise SettingsError(f"{where}.{'.'.join(path)}: {message}")
    return config


def options_in(raw: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The careleaf plugin's options in mkdocs.yml as read (None: the plugin is not listed)."""
    plugins = raw.get("plugins")
    entries = plugins if isinstance(plugins, list) else [plugins] if isinstance(plugins, Mapping) else []
    for entry in entries:
        if entry == PLUGIN_NAME:
            return {}
        if isinstance(entry, Mapping) and PLUGIN_NAME in entry:
            return entry[PLUGIN_NAME] if entry[PLUGIN_NAME] is not None else {}
    return None


def settings_from(raw: Mapping[str, Any], config_file_path: str | None = None) -> tuple[CareleafConfig, list[str]]:
    """The careleaf settings in mkdocs.yml as read, without loading the rest of the configuration:
    the validator's way to the same schema MkDocs applies in the build."""
    options = options_in(raw)
    if options is None:
        options = {}
    if not isinstance(options, Mapping):
        raise SettingsError(f"the careleaf plugin's settings must be a mapping, not {type(options).__name__}")
    extra = raw.get("extra")
    extra = extra if isinstance(extra, Mapping) else {}
    merged, notes = moved_from_extra(options, extra)
    return validated(merged, config_file_path, from_extra=moved_keys(options, extra)), notes


def moved_keys(options: Mapping[str, Any], extra: Mapping[str, Any]) -> set[str]:
    """The sections read from extra: (the plugin's options do not set them)."""
    return {key for key in MOVED_FROM_EXTRA if key in extra and key not in options}
