"""Clinical codes: which article answers a diagnosis code (ICD-10-CM, SNOMED CT).

An English article lists the diagnosis codes it answers in its front matter; its translations
inherit them (a translation never repeats them). The shape editors write:

    codes:
      icd10cm:
        - M62.83                   # a code or a category: every code under it
        - code: S62.6              # a category, for fractures...
          seventh: [A, D, G]       # ...only these 7th characters (the kind of encounter)
      snomedct:
        - "45352006"               # concept ids, quoted (YAML would read 0-led digits as octal)

A code that two articles both answer (S62.6 at a follow-up visit: ICD-10-CM does not say there whether
the fracture was open or closed) is claimed by each, as the same claim, naming the other:

        - code: S62.6              # in broken-finger-closed.md
          seventh: [D, G]
          shared_with: [open-finger-fracture]

(and the same in open-finger-fracture.md with `shared_with: [broken-finger-closed]`); a SNOMED CT claim
is then written `- {code: "24424003", shared_with: [...]}`.

The matching rule, which `CodeIndex.match` applies:

- A requested code is normalised: surrounding spaces stripped, dots removed, upper case
  (`s62.610a` and `S62610A` are `S62.610A`). Entries are normalised the same way.
- An ICD-10-CM entry matches a requested code when the entry is a prefix of it and, if the entry
  lists 7th characters, the requested code's 7th character is one of them. A requested code with
  no 7th character (shorter than 7 characters without the dot, such as the category `S62.6`)
  matches whatever 7th characters an entry lists. A request broader than an entry (`S62` for an
  entry `S62.6`) does not match it.
- A SNOMED CT entry matches the same concept id only: the digits of an id say nothing of where the
  concept sits in the hierarchy (answering a more specific concept needs a terminology server).
- The most specific match wins: the longest matching prefix, and for the same prefix an entry
  listing 7th characters beats one that does not. Articles tied at the best specificity are all
  returned (several matches), in slug order; no match is an empty list.

Two articles claiming the same code with the same specificity and overlapping 7th characters always
tie: a request for it gets both. That is deliberate only when both make the same claim (the same code,
the same 7th characters) and each names the other in `shared_with`; any other overlap is an accident
the validator refuses (`ambiguities`), as it refuses a `shared_with` the other article does not return
(`unreturned_shares`). Code systems are named by OID or name:
2.16.840.1.113883.6.90, icd10cm, ICD-10-CM (and FHIR's http://hl7.org/fhir/sid/icd-10-cm);
2.16.840.1.113883.6.96, snomedct, SNOMED CT (and http://snomed.info/sct).

Pure data in, data out, nothing from MkDocs: the build plugin can call `CodeIndex.from_front_matter`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from stdnum import verhoeff

from careleaf.model.reading import shown

FRONT_MATTER_KEY = "codes"
ICD10CM = "2.16.840.1.113883.6.90"
SNOMEDCT = "2.16.840.1.113883.6.96"
# The key each system has under `codes:` in front matter, and its name in messages.
KEYS = {ICD10CM: "icd10cm", SNOMEDCT: "snomedct"}
NAMES = {ICD10CM: "ICD-10-CM", SNOMEDCT: "SNOMED CT"}
_ALIASES = {
    ICD10CM: ICD10CM,
    f"urn:oid:{ICD10CM}": ICD10CM,
    "icd10cm": ICD10CM,
    "http://hl7.org/fhir/sid/icd-10-cm": ICD10CM,
    SNOMEDCT: SNOMEDCT,
    f"urn:oid:{SNOMEDCT}": SNOMEDCT,
    "snomedct": SNOMEDCT,
    "http://snomed.info/sct": SNOMEDCT,
}

# A letter, a digit, a letter or digit (the category), then an optional dot and up to 4 more.
_ICD10CM = re.compile(r"^[A-Z][0-9][A-Z0-9](?:\.?[A-Z0-9]{1,4})?$")
# Letters in fracture and injury categories; digits in obstetric ones (O32: the fetus).
_SEVENTH = re.compile(r"^[A-Z0-9]$")
SEVENTH_POSITION = 7
ENTRY_KEYS = ("code", "seventh", "shared_with")
SNOMEDCT_ENTRY_KEYS = ("code", "shared_with")
SNOMEDCT_DIGITS = (6, 18)
# The two digits before the check digit: 0x short format, 1x with a namespace; x: 0 concept,
# 1 description, 2 relationship.
PARTITIONS = {
    "00": "concept",
    "01": "description",
    "02": "relationship",
    "10": "concept",
    "11": "description",
    "12": "relationship",
}

# (problem code, line, message), as the content model records problems for the validator.
Finding = tuple[str, int, str]


class UnknownCodeSystem(ValueError):
    """A code system named by neither a known OID nor a known name."""


def system_oid(name: str) -> str:
    """The OID of a code system named by OID, URI or name ('ICD-10-CM', 'snomedct', 'SNOMED CT')."""
    text = str(name).strip()
    found = _ALIASES.get(text) or _ALIASES.get(re.sub(r"[\s_-]+", "", text).lower())
    if found is None:
        raise UnknownCodeSystem(f"unknown code system {text!r} (use {', '.join(sorted(NAMES.values()))} or their OIDs)")
    return found


def normalise_icd10cm(code: str) -> str:
    """'s62.610a ' -> 'S62610A': spaces around it stripped, dots removed, upper case."""
    return str(code).strip().replace(".", "").upper()


def normalise_snomedct(code: Any) -> str:
    return str(code).strip()


def normalise(system: str, code: Any) -> str:
    return normalise_icd10cm(code) if system == ICD10CM else normalise_snomedct(code)


def with_dot(code: str) -> str:
    """An ICD-10-CM code as printed: the dot after the 3-character category ('S62610A' -> 'S62.610A')."""
    return f"{code[:3]}.{code[3:]}" if len(code) > 3 else code


@dataclass(frozen=True)
class Entry:
    """One code an article claims: a full code or a category, with the 7th characters it covers."""

    system: str
    code: str
    slug: str
    seventh: frozenset[str] | None = None
    line: int = 1
    # The other articles this claim is deliberately shared with (each makes the same claim, naming this one).
    shared_with: frozenset[str] = frozenset()

    @property
    def specificity(self) -> tuple[int, int]:
        return len(self.code), self.seventh is not None

    @property
    def rank(self) -> int:
        """`specificity` as one number, ordered the same way (for the infobutton page's script)."""
        length, listed = self.specificity
        return 2 * length + listed

    @property
    def display_code(self) -> str:
        return with_dot(self.code) if self.system == ICD10CM else self.code

    @property
    def label(self) -> str:
        return self.display_code + (f" [{', '.join(sorted(self.seventh))}]" if self.seventh is not None else "")

    def matches(self, requested: str) -> bool:
        """Whether this entry answers a requested code (normalised already)."""
        if self.system != ICD10CM:
            return requested == self.code
        if not requested.startswith(self.code):
            return False
        return (
            self.seventh is None or len(requested) < SEVENTH_POSITION or requested[SEVENTH_POSITION - 1] in self.seventh
        )

    @property
    def claim(self) -> tuple[str, str, frozenset[str] | None]:
        """What is claimed, whoever claims it: the system, the code and its 7th characters."""
        return self.system, self.code, self.seventh

    def shares(self, other: Entry) -> bool:
        """Whether this and another article's entry are one claim both declare shared (a deliberate tie)."""
        return (
            self.slug != other.slug
            and self.claim == other.claim
            and other.slug in self.shared_with
            and self.slug in other.shared_with
        )

    def overlaps(self, other: Entry) -> frozenset[str] | None:
        """The 7th characters two entries both claim at the same specificity (an empty set: no 7th-character
        list on either, so the whole code); None when a request could never tie them."""
        if (self.system, self.code, self.seventh is None) != (other.system, other.code, other.seventh is None):
            return None
        if self.seventh is None or other.seventh is None:
            return frozenset()
        shared = self.seventh & other.seventh
        return shared or None

    def as_dict(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "code": self.display_code,
            "article": self.slug,
            "seventh": sorted(self.seventh) if self.seventh is not None else None,
            "shared_with": sorted(self.shared_with),
        }


@dataclass(frozen=True)
class CodeList:
    """What one page's `codes:` says: the entries it claims, and what is wrong with how it is written."""

    entries: tuple[Entry, ...] = ()
    problems: tuple[Finding, ...] = ()


def read_codes(value: Any, slug: str, line_of: Callable[..., int] = lambda *path: 1) -> CodeList:
    """Read a `codes:` block. `line_of(*path)` gives the file line of ("codes", "icd10cm", 0, "seventh")
    and so on; entries that are not well formed are left out and reported instead."""
    if value is None:
        return CodeList()
    if not isinstance(value, dict):
        return CodeList(
            problems=(
                (
                    "codes-format",
                    line_of(FRONT_MATTER_KEY),
                    f"'codes' maps code systems (icd10cm, snomedct) to lists of codes, not {shown(value)}",
                ),
            )
        )
    entries: list[Entry] = []
    problems: list[Finding] = []
    for key, items in value.items():
        system = _known_system(key)
        if system is None or key != KEYS[system]:
            # One spelling in front matter, so editors find every claim of a system by one word.
            message = (
                f"write the code system {shown(key)} as '{KEYS[system]}' in 'codes'"
                if system
                else f"unknown code system {shown(key)} in 'codes': use icd10cm or snomedct"
            )
            problems.append(("codes-format", line_of(FRONT_MATTER_KEY, key), message))
            continue
        if not isinstance(items, list):
            problems.append(
                (
                    "codes-format",
                    line_of(FRONT_MATTER_KEY, key),
                    f"'codes.{key}' must be a list of codes, not {shown(items)}",
                )
            )
            continue
        for index, item in enumerate(items):
            read = _read_icd10cm if system == ICD10CM else _read_snomedct
            entry, found = read(
                item, slug, lambda *rest, _key=key, _i=index: line_of(FRONT_MATTER_KEY, _key, _i, *rest)
            )
            problems += found
            if entry is not None:
                entries.append(entry)
    problems += _listed_twice(entries)
    return CodeList(tuple(entries), tuple(problems))


def _known_system(key: Any) -> str | None:
    try:
        return system_oid(key) if isinstance(key, str) else None
    except UnknownCodeSystem:
        return None


def _read_icd10cm(item: Any, slug: str, line_of: Callable[..., int]) -> tuple[Entry | None, list[Finding]]:
    line = line_of()
    seventh = None
    shared: frozenset[str] = frozenset()
    if isinstance(item, dict):
        unknown = [key for key in item if key not in ENTRY_KEYS]
        if unknown:
            return None, [
                (
                    "codes-format",
                    line_of(unknown[0]),
                    f"an ICD-10-CM entry takes 'code', 'seventh' and 'shared_with', not {shown(unknown[0])}",
                )
            ]
        if "code" not in item:
            return None, [("codes-format", line, "an ICD-10-CM entry with 'seventh' or 'shared_with' needs its 'code'")]
        shared, found = _read_shared(item, slug, line_of)
        if found:
            return None, found
        code, seventh = item["code"], item.get("seventh")
        if "seventh" in item and seventh is None:
            return None, [
                (
                    "codes-icd10cm-seventh",
                    line_of("seventh"),
                    "'seventh' lists 7th characters such as [A, D] (leave it out to cover them all)",
                )
            ]
    else:
        code = item
    if not isinstance(code, str) or not _ICD10CM.match(code.strip().upper()):
        return None, [
            (
                "codes-icd10cm",
                line_of("code") if isinstance(item, dict) else line,
                f"{shown(code)} is not an ICD-10-CM code: a letter, a digit, a letter or digit, then an "
                "optional dot and up to 4 letters or digits (S62.6, M62.831, S62.610A)",
            )
        ]
    normal = normalise_icd10cm(code)
    if seventh is None:
        return Entry(ICD10CM, normal, slug, None, line, shared), []
    seventh_line = line_of("seventh")
    if len(normal) >= SEVENTH_POSITION:
        return None, [
            (
                "codes-icd10cm-seventh",
                seventh_line,
                f"{with_dot(normal)} already has its 7th character: 'seventh' goes with a shorter code "
                f"such as {with_dot(normal[: SEVENTH_POSITION - 1])}",
            )
        ]
    if not isinstance(seventh, list) or not seventh:
        return None, [
            (
                "codes-icd10cm-seventh",
                seventh_line,
                f"'seventh' lists 7th characters such as [A, D], not {shown(seventh)} (leave it out to cover them all)",
            )
        ]
    wrong = [
        character
        for character in seventh
        if not isinstance(character, str) or not _SEVENTH.match(character.strip().upper())
    ]
    if wrong:
        return None, [
            ("codes-icd10cm-seventh", seventh_line, f"a 7th character is one letter (or digit), not {shown(wrong[0])}")
        ]
    return Entry(ICD10CM, normal, slug, frozenset(character.strip().upper() for character in seventh), line, shared), []


def _read_snomedct(item: Any, slug: str, line_of: Callable[..., int]) -> tuple[Entry | None, list[Finding]]:
    line = line_of()
    shared: frozenset[str] = frozenset()
    if isinstance(item, dict):
        unknown = [key for key in item if key not in SNOMEDCT_ENTRY_KEYS]
        if unknown:
            return None, [
                (
                    "codes-format",
                    line_of(unknown[0]),
                    f"a SNOMED CT entry takes 'code' and 'shared_with', not {shown(unknown[0])}",
                )
            ]
        if "code" not in item:
            return None, [("codes-format", line, "a SNOMED CT entry with 'shared_with' needs its 'code'")]
        shared, found = _read_shared(item, slug, line_of)
        if found:
            return None, found
        item, line = item["code"], line_of("code")
    # An unquoted id is read by YAML as an integer: the same digits (an id has no leading zero).
    if isinstance(item, bool) or not isinstance(item, (str, int)):
        return None, [
            ("codes-snomedct", line, f"'codes.snomedct' lists concept ids such as \"45352006\", not {shown(item)}")
        ]
    problem = snomedct_problem(normalise_snomedct(item))
    if problem:
        return None, [(problem[0], line, problem[1])]
    return Entry(SNOMEDCT, normalise_snomedct(item), slug, None, line, shared), []


def _read_shared(item: dict, slug: str, line_of: Callable[..., int]) -> tuple[frozenset[str], list[Finding]]:
    """An entry's `shared_with`: the slugs of the other articles that make the same claim on purpose."""
    if "shared_with" not in item:
        return frozenset(), []
    value, line = item["shared_with"], line_of("shared_with")
    if not isinstance(value, list) or not value or not all(isinstance(other, str) and other.strip() for other in value):
        return frozenset(), [
            (
                "codes-shared",
                line,
                "'shared_with' lists the slugs of the other articles that answer "
                f"this code too, such as [open-finger-fracture], not {shown(value)}",
            )
        ]
    slugs = frozenset(other.strip() for other in value)
    if slug in slugs:
        return frozenset(), [("codes-shared", line, f"'shared_with' names the other articles, not this one ({slug})")]
    return slugs, []


def snomedct_problem(sctid: str, concept: bool = True) -> tuple[str, str] | None:
    """(problem code, message) when `sctid` is not a SNOMED CT identifier (with `concept`: of a concept)."""
    low, high = SNOMEDCT_DIGITS
    if not sctid.isascii() or not sctid.isdigit() or not low <= len(sctid) <= high or sctid.startswith("0"):
        return ("codes-snomedct", f"{shown(sctid)} is not a SNOMED CT id: {low} to {high} digits, the first not 0")
    if not verhoeff.is_valid(sctid):
        expected = verhoeff.calc_check_digit(sctid[:-1])
        return (
            "codes-snomedct-check-digit",
            f"SNOMED CT id {sctid} fails its check digit (Verhoeff): for the digits before it the last digit "
            f"would be {expected}; is a digit mistyped?",
        )
    partition = sctid[-3:-1]
    kind = PARTITIONS.get(partition)
    if kind is None:
        return (
            "codes-snomedct-partition",
            f"SNOMED CT id {sctid} has partition {partition} (the two digits before the check digit), which no "
            f"identifier has ({', '.join(PARTITIONS)})",
        )
    if concept and kind != "concept":
        return (
            "codes-snomedct-partition",
            f"SNOMED CT id {sctid} is a {kind} id (partition {partition}): a diagnosis is a concept, whose id "
            "has partition 00 or 10",
        )
    return None


def _listed_twice(entries: list[Entry]) -> list[Finding]:
    problems = []
    for position, entry in enumerate(entries):
        earlier = next((other for other in entries[:position] if other.overlaps(entry) is not None), None)
        if earlier is not None:
            problems.append(
                (
                    "codes-duplicate",
                    entry.line,
                    f"{NAMES[entry.system]} {entry.label} repeats line {earlier.line} of this article",
                )
            )
    return problems


def ambiguities(entries: Iterable[Entry]) -> list[tuple[Entry, list[Entry]]]:
    """Each claim that ties, by accident, with claims of other articles before it: (claim, the earlier ones).
    A tie both articles declare (`Entry.shares`) is deliberate: a request for it lists both."""
    seen: dict[tuple[str, str, bool], list[Entry]] = {}
    found = []
    for entry in entries:
        bucket = seen.setdefault((entry.system, entry.code, entry.seventh is None), [])
        rivals = [
            other
            for other in bucket
            if other.slug != entry.slug and other.overlaps(entry) is not None and not other.shares(entry)
        ]
        if rivals:
            found.append((entry, rivals))
        bucket.append(entry)
    return found


def unreturned_shares(entries: Iterable[Entry], slugs: Iterable[str]) -> list[tuple[Entry, str, bool]]:
    """Each (claim, article named in its `shared_with`, whether that article exists) where that article does not
    make the same claim: a share declared on one side only, or left behind when the other article changed. (An
    article making the same claim without naming this one back ties with it by accident: `ambiguities`.)"""
    entries = list(entries)
    known = set(slugs)
    claims = {(entry.slug, entry.claim) for entry in entries}
    return [
        (entry, other, other in known)
        for entry in entries
        for other in sorted(entry.shared_with)
        if (other, entry.claim) not in claims
    ]


@dataclass(frozen=True)
class Match:
    slug: str
    entry: Entry

    @property
    def specificity(self) -> tuple[int, int]:
        return self.entry.specificity


class CodeIndex:
    """Every article's codes, to answer 'which article for this code?' (`match`)."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries: tuple[Entry, ...] = tuple(entries)
        self._by_system: dict[str, list[Entry]] = {}
        for entry in self.entries:
            self._by_system.setdefault(entry.system, []).append(entry)

    @classmethod
    def from_front_matter(cls, codes_by_slug: Mapping[str, Any]) -> CodeIndex:
        """From each article's `codes:` value by slug (entries that are not well formed are left out)."""
        return cls(entry for slug, value in sorted(codes_by_slug.items()) for entry in read_codes(value, slug).entries)

    @classmethod
    def from_library(cls, library) -> CodeIndex:
        """From a careleaf.model.content.Library: each article's English page (translations inherit its codes)."""
        return cls(entry for slug in library.slugs for entry in library.source(slug).clinical_codes().entries)

    def ranked(self, system: str, code: Any) -> list[Match]:
        """Every article with an entry matching the code, best first (an article once, by its best entry)."""
        oid = system_oid(system)
        requested = normalise(oid, code)
        best: dict[str, Entry] = {}
        for entry in self._by_system.get(oid, ()):
            if entry.matches(requested) and (
                entry.slug not in best or entry.specificity > best[entry.slug].specificity
            ):
                best[entry.slug] = entry
        return sorted(
            (Match(slug, entry) for slug, entry in best.items()),
            key=lambda m: (tuple(-n for n in m.specificity), m.slug),
        )

    def match(self, system: str, code: Any) -> list[str]:
        """The slugs of the articles answering a code: the most specific match, several when tied, [] for none.
        Raises UnknownCodeSystem for a system named by neither OID nor name."""
        ranked = self.ranked(system, code)
        return [m.slug for m in ranked if m.specificity == ranked[0].specificity]

    def lookup_table(self) -> dict[str, Any]:
        """What a browser needs to apply `match` itself (overrides/assets/javascripts/infobutton.js): the
        names of each system, which systems match by prefix, and every entry, normalised, with its rank."""
        return {
            "aliases": dict(_ALIASES),
            "prefix_systems": [ICD10CM],
            "seventh_position": SEVENTH_POSITION,
            "codes": [
                {
                    "system": entry.system,
                    "code": entry.code,
                    "slug": entry.slug,
                    "rank": entry.rank,
                    "seventh": sorted(entry.seventh) if entry.seventh is not None else None,
                }
                for entry in self.entries
            ],
        }
