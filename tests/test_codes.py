"""Clinical codes: which article answers an ICD-10-CM or SNOMED CT code, and the validator's checks of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from careleaf.model import codes
from careleaf.model import project as project_settings
from careleaf.model.codes import ICD10CM, SNOMEDCT, CodeIndex, UnknownCodeSystem, normalise_icd10cm
from careleaf.model.content import Library
from conftest import ROOT, edit, line_of
from test_robustness import run as errors  # exit code, error lines, output of the validator CLI


@pytest.fixture(scope="module")
def index() -> CodeIndex:
    """The shipped library's codes, as a build hook would index them."""
    return CodeIndex.from_library(Library.load(project_settings.load(ROOT / "mkdocs.yml")))


# ---------------------------------------------------------------------------
# The matching rule, on the shipped articles
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["S62.610A", "S62610A", "s62.610a", " S62.610A ", "S62.666A"])
def test_a_closed_finger_fracture_reaches_the_closed_fracture_article(index, code):
    assert index.match("icd10cm", code) == ["broken-finger-closed"]


@pytest.mark.parametrize("code", ["S62.610B", "S62610B", "s62.610b", "s62610b", "S62.629B"])
def test_an_open_finger_fracture_reaches_the_open_fracture_article(index, code):
    assert index.match("ICD-10-CM", code) == ["open-finger-fracture"]


@pytest.mark.parametrize("fracture", ["S62.610", "S62.639", "S62.657", "S62.666"])
@pytest.mark.parametrize("seventh", ["D", "G"])
def test_a_healing_finger_fracture_at_follow_up_reaches_both_finger_fracture_articles(index, fracture, seventh):
    # S62's subsequent encounters (D routine, G delayed healing) do not say open or closed: the request gets
    # both the closed and the open fracture article, each of which answers the first visit of its own kind.
    first_visits = index.match(ICD10CM, f"{fracture}A") + index.match(ICD10CM, f"{fracture}B")
    assert index.match(ICD10CM, f"{fracture}{seventh}") == sorted(first_visits)
    assert len(set(first_visits)) == 2


@pytest.mark.parametrize("fracture", ["S62.610", "S62.666"])
@pytest.mark.parametrize("seventh", ["K", "P", "S"])
def test_nonunion_malunion_and_sequela_of_a_finger_fracture_have_no_article(index, fracture, seventh):
    # A bone that has not healed, healed out of line, or left late effects needs another plan than the
    # handout for a new or healing fracture (README, "Clinical codes"): the entry page says it has none.
    assert index.match("icd10cm", f"{fracture}{seventh}") == []
    assert index.match("icd10cm", f"{fracture}A") != []  # the same fracture, first seen, has its article


@pytest.mark.parametrize("fracture", ["S62.001", "S62.002", "S62.009", "S62.035", "S62.012"])
@pytest.mark.parametrize("seventh", ["", "A", "B", "D", "G", "K", "P", "S"])
def test_a_scaphoid_fracture_reaches_no_article(index, fracture, seventh):
    # A scaphoid fracture the record states (S62.0-) is confirmed; the wrist article is for one suspected while
    # the first X-ray is normal, whose advice (treated as if broken, X-ray again in 10 to 14 days) a confirmed
    # or displaced fracture does not follow. No code opens it: the entry page offers the library.
    assert index.match("icd10cm", f"{fracture}{seventh}") == []
    assert index.match("icd10cm", fracture[:5]) == []  # nor the category S62.0


def test_the_suspected_scaphoid_fracture_article_says_it_claims_no_code():
    # An empty `codes:` is a decision written down (README, "Clinical codes"), not a block forgotten.
    page = Library.load(project_settings.load(ROOT / "mkdocs.yml")).source("possible-wrist-fracture")
    assert page.meta["codes"] == {} and page.clinical_codes().entries == ()


@pytest.mark.parametrize("code", ["S63.259A", "S63.200A", "S63.289D", "S63.2"])
def test_a_finger_dislocation_reaches_the_dislocation_article(index, code):
    assert index.match("icd10cm", code) == ["finger-dislocation"]


@pytest.mark.parametrize("code", ["S63.290S", "S63.259S"])
def test_a_late_effect_of_a_dislocation_reaches_no_article(index, code):
    # A sequela (contracture, deformity, instability) is not the fresh injury the article treats.
    assert index.match("icd10cm", code) == []


@pytest.mark.parametrize("code", ["M62.831", "M62.830", "M62.838", "R25.2"])
def test_a_muscle_spasm_reaches_the_muscle_spasm_article(index, code):
    assert index.match("icd10cm", code) == ["muscle-spasm"]


@pytest.mark.parametrize(
    "system,sctid,slug",
    [
        ("snomedct", "45352006", "muscle-spasm"),
        ("SNOMED CT", "24424003", "broken-finger-closed"),
        (SNOMEDCT, "21698002", "open-finger-fracture"),
        ("snomed-ct", " 1342431003 ", "finger-dislocation"),
    ],
)
def test_a_snomed_ct_concept_reaches_its_article(index, system, sctid, slug):
    assert index.match(system, sctid) == [slug]


@pytest.mark.parametrize(
    "system,code",
    [
        ("icd10cm", "Z99.89"),  # dependence on enabling machines
        ("icd10cm", "S62.1"),  # another carpal bone: a category above none of the entries
        ("icd10cm", "S62"),  # a request broader than every entry
        ("icd10cm", "S62.511A"),  # the thumb: the finger articles leave it out
        ("snomedct", "65966004"),  # fracture of forearm
        (
            "http://snomed.info/sct",
            "31975004",
        ),  # fracture of scaphoid: confirmed, not the suspected one the article is for
        ("snomedct", "4535200"),  # a prefix of an id is another id, not a category
    ],
)
def test_an_unknown_code_matches_nothing(index, system, code):
    assert index.match(system, code) == []


def test_a_category_request_matches_every_article_it_covers(index):
    assert index.match("icd10cm", "S62.6") == ["broken-finger-closed", "open-finger-fracture"]
    assert index.match("icd10cm", "S62.61") == ["broken-finger-closed", "open-finger-fracture"]


def test_every_shipped_article_lists_codes_in_both_systems_or_says_it_has_none(index):
    library = Library.load(project_settings.load(ROOT / "mkdocs.yml"))
    claiming = {entry.slug for entry in index.entries}
    for system in (ICD10CM, SNOMEDCT):
        assert {entry.slug for entry in index.entries if entry.system == system} == claiming, system
    for slug in set(library.slugs) - claiming:
        assert library.source(slug).meta.get("codes") == {}, slug  # none on purpose, written as `codes: {}`
    assert claiming


def test_every_shared_claim_is_returned_by_the_articles_it_names(index):
    shared = [entry for entry in index.entries if entry.shared_with]
    assert shared
    for entry in shared:
        for other in entry.shared_with:
            assert [e for e in index.entries if e.slug == other and e.shares(entry)], (entry, other)
        # A request for it (with one of its 7th characters, for ICD-10-CM) gets every article sharing it.
        requested = entry.code if entry.seventh is None else entry.code.ljust(6, "X") + min(entry.seventh)
        assert index.match(entry.system, requested) == sorted(entry.shared_with | {entry.slug})
    assert (
        codes.ambiguities(index.entries) == []
        and codes.unreturned_shares(index.entries, {e.slug for e in index.entries}) == []
    )


# ---------------------------------------------------------------------------
# The matching rule, on data made here
# ---------------------------------------------------------------------------


def test_the_longest_matching_prefix_wins():
    index = CodeIndex.from_front_matter({"hand": {"icd10cm": ["S62"]}, "finger": {"icd10cm": ["S62.6"]}})
    assert index.match("icd10cm", "S62.610A") == ["finger"]
    assert index.match("icd10cm", "S62.001A") == ["hand"]
    assert [m.slug for m in index.ranked("icd10cm", "S62.610A")] == ["finger", "hand"]


def test_a_seventh_character_list_beats_the_same_prefix_without_one():
    index = CodeIndex.from_front_matter(
        {"any": {"icd10cm": ["S62.6"]}, "open": {"icd10cm": [{"code": "S62.6", "seventh": ["B"]}]}}
    )
    assert index.match("icd10cm", "S62.610B") == ["open"]
    assert index.match("icd10cm", "S62.610A") == ["any"]


def test_an_article_is_returned_once_by_its_best_entry():
    index = CodeIndex.from_front_matter(
        {"finger": {"icd10cm": ["S62", "S62.6", "S62.61"]}, "hand": {"icd10cm": ["S62"]}}
    )
    ranked = index.ranked("icd10cm", "S62.610A")
    assert [(m.slug, m.entry.label) for m in ranked] == [("finger", "S62.61"), ("hand", "S62")]


SHARED = {
    "closed": {
        "icd10cm": [
            {"code": "S62.6", "seventh": ["A"]},
            {"code": "S62.6", "seventh": ["D", "G"], "shared_with": ["open"]},
        ]
    },
    "open": {
        "icd10cm": [
            {"code": "s62.6", "seventh": ["B"]},
            {"code": "S626", "seventh": ["g", "D"], "shared_with": ["closed"]},
        ]
    },
}


def test_a_claim_two_articles_share_answers_with_both_and_the_rest_with_one():
    index = CodeIndex.from_front_matter(SHARED)
    assert index.match("icd10cm", "S62.610D") == index.match("icd10cm", "S62.610G") == ["closed", "open"]
    assert index.match("icd10cm", "S62.610A") == ["closed"] and index.match("icd10cm", "S62.610B") == ["open"]
    assert index.match("icd10cm", "S62.610K") == []
    assert codes.ambiguities(index.entries) == [] and codes.unreturned_shares(index.entries, SHARED) == []


@pytest.mark.parametrize("change", ["one side names no one", "different 7th characters", "a third article"])
def test_a_tie_not_declared_on_both_sides_of_the_same_claim_is_an_accident(change):
    claims = {slug: {"icd10cm": [dict(item) for item in value["icd10cm"]]} for slug, value in SHARED.items()}
    if change == "one side names no one":
        del claims["open"]["icd10cm"][1]["shared_with"]
    elif change == "different 7th characters":
        claims["open"]["icd10cm"][1]["seventh"] = ["D"]  # overlaps in D, but is not the same claim
    else:
        claims["healing"] = {"icd10cm": [{"code": "S62.6", "seventh": ["D", "G"], "shared_with": ["closed"]}]}
    index = CodeIndex.from_front_matter(claims)
    found = codes.ambiguities(index.entries)
    assert found and all(rival.slug != entry.slug for entry, rivals in found for rival in rivals)
    assert len(index.match("icd10cm", "S62.610D")) > 1  # what the accident would do: more than one article


def test_a_share_the_other_article_does_not_return_is_reported():
    claims = {"closed": SHARED["closed"], "open": {"icd10cm": [{"code": "S62.6", "seventh": ["B"]}]}}
    index = CodeIndex.from_front_matter(claims)
    [(entry, other, exists)] = codes.unreturned_shares(index.entries, [*claims, "gone"])
    assert (entry.slug, entry.label, other, exists) == ("closed", "S62.6 [D, G]", "open", True)
    assert codes.unreturned_shares(index.entries, ["closed"]) == [(entry, "open", False)]
    assert index.match("icd10cm", "S62.610D") == ["closed"]


def test_the_lookup_table_ranks_entries_as_specificity_orders_them():
    # The infobutton page's script compares one number per entry where codes.py compares (length, listed).
    index = CodeIndex.from_front_matter(
        {
            "a": {"icd10cm": ["S62", "S62.6", {"code": "S62.6", "seventh": ["A"]}, "S62.61"]},
            "b": {"icd10cm": [{"code": "S62", "seventh": ["B"]}], "snomedct": ["24424003"]},
        }
    )
    table = index.lookup_table()
    ranks = {
        (row["code"], tuple(row["seventh"] or ())): row["rank"] for row in table["codes"] if row["system"] == ICD10CM
    }
    by_specificity = sorted(index.entries, key=lambda entry: entry.specificity)
    assert [
        ranks[(entry.code, tuple(sorted(entry.seventh or ())))] for entry in by_specificity if entry.system == ICD10CM
    ] == sorted(ranks.values())
    assert len(set(ranks.values())) == len(ranks)  # no two different specificities share a rank
    assert {"system": SNOMEDCT, "code": "24424003", "slug": "b", "rank": 16, "seventh": None} in table["codes"]
    assert table["prefix_systems"] == [ICD10CM] and table["seventh_position"] == 7
    assert all(table["aliases"][name] == codes.system_oid(name) for name in table["aliases"])


@pytest.mark.parametrize(
    "name",
    [
        "2.16.840.1.113883.6.90",
        "icd10cm",
        "ICD-10-CM",
        "icd-10-cm",
        "urn:oid:2.16.840.1.113883.6.90",
        "http://hl7.org/fhir/sid/icd-10-cm",
    ],
)
def test_icd10cm_is_named_by_oid_or_name(name):
    assert codes.system_oid(name) == ICD10CM


@pytest.mark.parametrize(
    "name", ["2.16.840.1.113883.6.96", "snomedct", "SNOMED CT", "SNOMED-CT", "http://snomed.info/sct"]
)
def test_snomedct_is_named_by_oid_or_name(name):
    assert codes.system_oid(name) == SNOMEDCT


def test_an_unknown_code_system_is_refused_by_name():
    with pytest.raises(UnknownCodeSystem, match="'LOINC'"):
        CodeIndex([]).match("LOINC", "8867-4")
    with pytest.raises(UnknownCodeSystem):
        codes.system_oid("2.16.840.1.113883.6.3")  # ICD-10 (WHO), not ICD-10-CM


def test_normalise_icd10cm():
    assert normalise_icd10cm(" s62.610a\t") == "S62610A"
    assert normalise_icd10cm("M62.83") == normalise_icd10cm("m6283") == "M6283"


# ---------------------------------------------------------------------------
# The validator, on small trees
# ---------------------------------------------------------------------------


def add_codes(tree: Path, path: str, block: str) -> Path:
    """Put a `codes:` block (YAML lines under it, indented two spaces) into a page's front matter."""
    page = tree / path
    edit(page, "review_due: 2027-06-30\n", f"review_due: 2027-06-30\ncodes:\n{block}")
    return page


def assert_one_error(tree: Path, capsys, path: str, line_text: str, message: str, code: str) -> None:
    exit_code, found, out = errors(tree, capsys)
    assert exit_code == 1
    assert found == [f"{path}:{line_of(tree / path, line_text)}: error: {message} [{code}]"], out


def test_well_formed_codes_pass(small_tree, capsys):
    add_codes(
        small_tree,
        "docs/en/finger.md",
        '  icd10cm:\n    - code: S62.6\n      seventh: [A, D]\n    - S63.2\n  snomedct:\n    - "24424003"\n    - 1342431003\n',
    )
    add_codes(small_tree, "docs/en/wrist.md", "  icd10cm:\n    - code: S62.6\n      seventh: [B]\n    - s62.0\n")
    exit_code, found, out = errors(small_tree, capsys)
    assert exit_code == 0 and "0 error(s), 0 warning(s)" in out, out


@pytest.mark.parametrize("written", ["S6.26", "62.6", "S62.", "S62.61234", "S62-6", "S62 6", "[S62.6]"])
def test_a_malformed_icd10cm_code_is_an_error_at_its_line(small_tree, capsys, written):
    add_codes(small_tree, "docs/en/finger.md", f"  icd10cm:\n    - S63.2\n    - '{written}'\n")
    assert_one_error(
        small_tree,
        capsys,
        "docs/en/finger.md",
        f"- '{written}'",
        f"'{written}' is not an ICD-10-CM code: a letter, a digit, a letter or digit, then an optional dot "
        "and up to 4 letters or digits (S62.6, M62.831, S62.610A)",
        "codes-icd10cm",
    )


@pytest.mark.parametrize(
    "seventh,message",
    [
        ("[AB]", "a 7th character is one letter (or digit), not 'AB'"),
        ("['']", "a 7th character is one letter (or digit), not ''"),
        ("A", "'seventh' lists 7th characters such as [A, D], not 'A' (leave it out to cover them all)"),
        ("[]", "'seventh' lists 7th characters such as [A, D], not [] (leave it out to cover them all)"),
    ],
)
def test_a_malformed_seventh_character_list_is_an_error_at_its_line(small_tree, capsys, seventh, message):
    add_codes(small_tree, "docs/en/finger.md", f"  icd10cm:\n    - code: S62.6\n      seventh: {seventh}\n")
    assert_one_error(small_tree, capsys, "docs/en/finger.md", "seventh:", message, "codes-icd10cm-seventh")


def test_a_seventh_character_list_on_a_full_code_is_an_error(small_tree, capsys):
    add_codes(small_tree, "docs/en/finger.md", "  icd10cm:\n    - code: S62.610A\n      seventh: [A]\n")
    assert_one_error(
        small_tree,
        capsys,
        "docs/en/finger.md",
        "seventh:",
        "S62.610A already has its 7th character: 'seventh' goes with a shorter code such as S62.610",
        "codes-icd10cm-seventh",
    )


def test_a_snomed_ct_id_with_a_wrong_check_digit_is_an_error(small_tree, capsys):
    add_codes(small_tree, "docs/en/wrist.md", '  snomedct:\n    - "31975004"\n    - "45352007"\n')
    assert_one_error(
        small_tree,
        capsys,
        "docs/en/wrist.md",
        '"45352007"',
        "SNOMED CT id 45352007 fails its check digit (Verhoeff): for the digits before it the last digit "
        "would be 6; is a digit mistyped?",
        "codes-snomedct-check-digit",
    )


def test_a_snomed_ct_description_id_is_not_a_diagnosis(small_tree, capsys):
    # A real description id (partition 01, check digit valid): a term for a concept, not the concept.
    add_codes(small_tree, "docs/en/wrist.md", '  snomedct:\n    - "4695177012"\n')
    assert_one_error(
        small_tree,
        capsys,
        "docs/en/wrist.md",
        '"4695177012"',
        "SNOMED CT id 4695177012 is a description id (partition 01): a diagnosis is a concept, whose id "
        "has partition 00 or 10",
        "codes-snomedct-partition",
    )


def test_a_snomed_ct_id_with_no_such_partition_is_an_error(small_tree, capsys):
    from stdnum import verhoeff

    sctid = "4535237" + verhoeff.calc_check_digit("4535237")  # partition 37: no kind of identifier
    add_codes(small_tree, "docs/en/wrist.md", f'  snomedct:\n    - "{sctid}"\n')
    assert_one_error(
        small_tree,
        capsys,
        "docs/en/wrist.md",
        f'"{sctid}"',
        f"SNOMED CT id {sctid} has partition 37 (the two digits before the check digit), which no "
        "identifier has (00, 01, 02, 10, 11, 12)",
        "codes-snomedct-partition",
    )


@pytest.mark.parametrize("written", ["'12345'", "'0453520060'", "'4535200A'", "'1234567890123456789'", "4.5e7"])
def test_a_malformed_snomed_ct_id_is_an_error(small_tree, capsys, written):
    add_codes(small_tree, "docs/en/wrist.md", f"  snomedct:\n    - {written}\n")
    exit_code, found, out = errors(small_tree, capsys)
    assert exit_code == 1 and len(found) == 1, out
    assert found[0].startswith(f"docs/en/wrist.md:{line_of(small_tree / 'docs/en/wrist.md', f'- {written}')}: error: ")
    assert found[0].endswith("[codes-snomedct]")


HOW_TO_FIX = (
    "give each its own code or 7th characters, or, if both articles answer it, make it the same claim in "
    "each and name the other article in its 'shared_with'"
)


def test_two_articles_claiming_the_same_code_and_7th_characters_is_ambiguous(small_tree, capsys):
    finger = add_codes(small_tree, "docs/en/finger.md", "  icd10cm:\n    - code: S62.6\n      seventh: [A, D]\n")
    add_codes(small_tree, "docs/en/wrist.md", "  icd10cm:\n    - S62.0\n    - code: s62.6\n      seventh: [B, D]\n")
    assert_one_error(
        small_tree,
        capsys,
        "docs/en/wrist.md",
        "- code: s62.6",
        f"ambiguous: ICD-10-CM S62.6 with 7th character(s) D is also claimed by docs/en/finger.md:"
        f"{line_of(finger, '- code: S62.6')} at the same specificity, so a request for it would match more "
        f"than one article: {HOW_TO_FIX}",
        "codes-ambiguous",
    )


def test_two_articles_claiming_the_same_snomed_ct_concept_is_ambiguous(small_tree, capsys):
    finger = add_codes(small_tree, "docs/en/finger.md", '  snomedct:\n    - "24424003"\n')
    add_codes(small_tree, "docs/en/wrist.md", "  snomedct:\n    - 24424003\n")
    assert_one_error(
        small_tree,
        capsys,
        "docs/en/wrist.md",
        "- 24424003",
        f"ambiguous: SNOMED CT 24424003 is also claimed by docs/en/finger.md:{line_of(finger, '24424003')} "
        f"at the same specificity, so a request for it would match more than one article: {HOW_TO_FIX}",
        "codes-ambiguous",
    )


def test_a_claim_both_articles_declare_shared_passes(small_tree, capsys):
    add_codes(
        small_tree,
        "docs/en/finger.md",
        "  icd10cm:\n    - code: S62.6\n      seventh: [A]\n    - code: S62.6\n"
        "      seventh: [D, G]\n      shared_with: [wrist]\n  snomedct:\n    - code: '24424003'\n      shared_with: [wrist]\n",
    )
    add_codes(
        small_tree,
        "docs/en/wrist.md",
        "  icd10cm:\n    - code: S62.6\n      seventh: [B]\n    - code: s626\n"
        "      seventh: [G, D]\n      shared_with: [finger]\n  snomedct:\n    - {code: 24424003, shared_with: [finger]}\n",
    )
    exit_code, found, out = errors(small_tree, capsys)
    assert exit_code == 0 and "0 error(s), 0 warning(s)" in out, out


@pytest.mark.parametrize(
    "wrist_block,overlap",
    [
        # The other article makes the same claim but does not name this one back.
        ("  icd10cm:\n    - code: S62.6\n      seventh: [D, G]\n", "with 7th character(s) D, G"),
        # Both name each other, but the claims are not the same: they overlap in D only.
        (
            "  icd10cm:\n    - code: S62.6\n      seventh: [B, D]\n      shared_with: [finger]\n",
            "with 7th character(s) D",
        ),
    ],
)
def test_a_share_not_declared_as_the_same_claim_on_both_sides_is_ambiguous(small_tree, capsys, wrist_block, overlap):
    finger = add_codes(
        small_tree,
        "docs/en/finger.md",
        "  icd10cm:\n    - code: S62.6\n      seventh: [D, G]\n      shared_with: [wrist]\n",
    )
    wrist = add_codes(small_tree, "docs/en/wrist.md", wrist_block)
    exit_code, found, out = errors(small_tree, capsys)
    assert exit_code == 1, out
    ambiguous = [line for line in found if line.endswith("[codes-ambiguous]")]
    assert ambiguous == [
        f"docs/en/wrist.md:{line_of(wrist, '- code: S62.6')}: error: ambiguous: ICD-10-CM S62.6 {overlap} "
        f"is also claimed by docs/en/finger.md:{line_of(finger, '- code: S62.6')} at the same specificity, "
        f"so a request for it would match more than one article: {HOW_TO_FIX} [codes-ambiguous]"
    ], out


@pytest.mark.parametrize(
    "named,message",
    [
        (
            "wrist",
            "'shared_with' names wrist, whose docs/en/wrist.md does not claim ICD-10-CM S62.6 [D, G]: claim it there "
            "too, naming finger in its 'shared_with', or take wrist out of this one",
        ),
        ("elbow", "'shared_with' names elbow, which is not an article (no en/elbow.md)"),
    ],
)
def test_a_share_the_named_article_does_not_return_is_an_error(small_tree, capsys, named, message):
    add_codes(
        small_tree,
        "docs/en/finger.md",
        f"  icd10cm:\n    - code: S62.6\n      seventh: [D, G]\n      shared_with: [{named}]\n",
    )
    add_codes(small_tree, "docs/en/wrist.md", "  icd10cm:\n    - code: S62.6\n      seventh: [B]\n")
    assert_one_error(small_tree, capsys, "docs/en/finger.md", "- code: S62.6", message, "codes-shared")


@pytest.mark.parametrize(
    "written,message",
    [
        (
            "wrist",
            "'shared_with' lists the slugs of the other articles that answer this code too, such as "
            "[open-finger-fracture], not 'wrist'",
        ),
        (
            "[]",
            "'shared_with' lists the slugs of the other articles that answer this code too, such as "
            "[open-finger-fracture], not []",
        ),
        ("[finger]", "'shared_with' names the other articles, not this one (finger)"),
    ],
)
def test_a_malformed_shared_with_is_an_error_at_its_line(small_tree, capsys, written, message):
    add_codes(
        small_tree,
        "docs/en/finger.md",
        f"  icd10cm:\n    - code: S62.6\n      seventh: [D]\n      shared_with: {written}\n",
    )
    assert_one_error(small_tree, capsys, "docs/en/finger.md", "shared_with:", message, "codes-shared")


def test_the_same_code_at_different_specificities_is_not_ambiguous(small_tree, capsys):
    add_codes(small_tree, "docs/en/finger.md", "  icd10cm:\n    - code: S62.6\n      seventh: [A]\n")
    add_codes(small_tree, "docs/en/wrist.md", "  icd10cm:\n    - S62.6\n    - S62\n")
    exit_code, found, out = errors(small_tree, capsys)
    assert exit_code == 0 and found == [], out


def test_codes_in_a_translation_are_an_error_at_their_line(small_tree, capsys):
    add_codes(small_tree, "docs/en/finger.md", "  icd10cm:\n    - S62.6\n")
    add_codes(small_tree, "docs/es/finger.md", "  icd10cm:\n    - S62.6\n")
    assert_one_error(
        small_tree,
        capsys,
        "docs/es/finger.md",
        "codes:",
        "clinical codes belong on the English page (en/finger.md): translations inherit them, so remove 'codes' here",
        "codes-in-translation",
    )


@pytest.mark.parametrize(
    "block,line_text,message",
    [
        ("  ICD-10-CM: [S62.6]\n", "ICD-10-CM:", "write the code system 'ICD-10-CM' as 'icd10cm' in 'codes'"),
        ("  loinc: ['8867-4']\n", "loinc:", "unknown code system 'loinc' in 'codes': use icd10cm or snomedct"),
        ("  icd10cm: S62.6\n", "icd10cm:", "'codes.icd10cm' must be a list of codes, not 'S62.6'"),
        (
            "  icd10cm:\n    - code: S62.6\n      seventh: [A]\n      note: closed\n",
            "note:",
            "an ICD-10-CM entry takes 'code', 'seventh' and 'shared_with', not 'note'",
        ),
        (
            "  snomedct:\n    - code: '24424003'\n      seventh: [A]\n",
            "seventh:",
            "a SNOMED CT entry takes 'code' and 'shared_with', not 'seventh'",
        ),
    ],
)
def test_a_codes_block_of_the_wrong_shape_is_an_error_at_its_line(small_tree, capsys, block, line_text, message):
    add_codes(small_tree, "docs/en/finger.md", block)
    assert_one_error(small_tree, capsys, "docs/en/finger.md", line_text, message, "codes-format")


def test_a_code_listed_twice_in_one_article_is_a_warning(small_tree, capsys):
    page = add_codes(small_tree, "docs/en/finger.md", "  icd10cm:\n    - S62.6\n    - s626\n")
    exit_code, found, out = errors(small_tree, capsys)
    assert exit_code == 0 and found == [], out
    assert (
        f"docs/en/finger.md:{line_of(page, '- s626')}: warning: ICD-10-CM S62.6 repeats line "
        f"{line_of(page, '- S62.6')} of this article [codes-duplicate]"
    ) in out
