"""Bad input of every kind gives one clear line (path:line: severity: message [code]), never a traceback;
Windows line endings, a byte-order mark and tabs still publish the complete red-flag card."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from careleaf.cli import main as careleaf  # the command under test
from careleaf.model.content import read_page
from conftest import copy_project, line_of, mkdocs_build

TODAY = "2026-11-20"
DEEP = "[" * 10_000 + "]" * 10_000
BILLION_LAUGHS = 'lol0: &a0 ["lol", "lol"]\n' + "".join(
    f"lol{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]\n" for level in range(1, 10)
)


def run(tree: Path, capsys) -> tuple[int, list[str], str]:
    """Exit code, the problem lines that are errors, and the whole output."""
    code = careleaf(["-f", str(tree / "mkdocs.yml"), "validate", "--today", TODAY])
    out = capsys.readouterr().out
    assert "Traceback" not in out
    return code, [line for line in out.splitlines() if ": error: " in line], out


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_one_error(tree: Path, capsys, path: str, line_text: str | None, message: str, code: str) -> None:
    """Exactly one error in the whole library: `message` at the line holding `line_text` (None: line 1)."""
    exit_code, errors, out = run(tree, capsys)
    line = line_of(tree / path, line_text) if line_text is not None else 1
    assert exit_code == 1
    assert errors == [f"{path}:{line}: error: {message} [{code}]"], out


# ---------------------------------------------------------------------------
# Front matter: impossible dates and wrong types
# ---------------------------------------------------------------------------

FRONT_MATTER_CASES = [
    (
        "docs/en/finger.md",
        "review_due: 2027-06-30",
        "review_due: 2027-13-45",
        "review_due:",
        "'review_due' must be a date (YYYY-MM-DD), not '2027-13-45' (no such date)",
        "front-matter-type",
    ),
    (
        "docs/en/finger.md",
        "reviewed: 2026-01-10",
        "reviewed: 2026-02-30",
        "reviewed:",
        "'reviewed' must be a date (YYYY-MM-DD), not '2026-02-30' (no such date)",
        "front-matter-type",
    ),
    (
        "docs/en/finger.md",
        "review_due: 2027-06-30",
        "review_due: 20270630",
        "review_due:",
        "'review_due' must be a date (YYYY-MM-DD), not 20270630",
        "front-matter-type",
    ),
    (
        "docs/en/finger.md",
        "review_due: 2027-06-30",
        "review_due: 2027-06-30 09:00:00",
        "review_due:",
        "'review_due' must be a date (YYYY-MM-DD), not '2027-06-30 09:00:00'",
        "front-matter-type",
    ),
    (
        "docs/en/finger.md",
        "title: Finger",
        "title: [Finger, Hand]",
        "title:",
        "'title' must be text, not ['Finger', 'Hand']",
        "front-matter-type",
    ),
    (
        "docs/en/finger.md",
        "title: Finger",
        "title: {name: Finger}",
        "title:",
        "'title' must be text, not {'name': 'Finger'}",
        "front-matter-type",
    ),
    (
        "docs/en/finger.md",
        "related: [wrist]",
        "related: wrist",
        "related:",
        "'related' must be a list, not 'wrist'",
        "front-matter-type",
    ),
    (
        "docs/en/finger.md",
        "related: [wrist]",
        "related: [{slug: wrist}]",
        "related:",
        "'related' lists article slugs, not {'slug': 'wrist'}",
        "front-matter-type",
    ),
    (
        "docs/en/finger.md",
        "title: Finger",
        "title: Finger\n1: one",
        "1: one",
        "a front-matter key is a name such as 'title', not 1",
        "front-matter-type",
    ),
    (
        "docs/en/finger.md",
        "title: Finger",
        "title: Finger\n~: nothing",
        "~: nothing",
        "a front-matter key is a name such as 'title', not None",
        "front-matter-type",
    ),
    (
        "docs/es/finger.md",
        "translation:\n  status: machine-draft\n",
        "translation: machine-draft\nold_translation:\n  status: machine-draft\n",
        "translation:",
        "a translation needs a 'translation' block with status and source_revision",
        "translation-status",
    ),
    (
        "docs/es/finger.md",
        "  source_revision:\n",
        "  source_revision: [abc, def]\n  old_revision:\n",
        "source_revision:",
        "translation.source_revision needs the English source's 'red_flags' and 'text' hashes",
        "translation-source-revision",
    ),
    (
        "docs/es/finger.md",
        "  status: machine-draft",
        "  status: reviewed\n  reviewer: Ana Ruiz, RN\n  date: yesterday",
        "date:",
        "translation.date must be a date (YYYY-MM-DD), not 'yesterday'",
        "translation-status",
    ),
    (
        "docs/es/finger.md",
        "  status: machine-draft",
        "  status: reviewed\n  reviewer: Ana Ruiz, RN\n  date: 2026-02-30",
        "date:",
        "'translation.date' must be a date (YYYY-MM-DD), not '2026-02-30' (no such date)",
        "front-matter-type",
    ),
    # MkDocs drops a whole front matter it cannot read: an impossible date anywhere would publish the slug as title.
    (
        "docs/es/finger.md",
        "  status: machine-draft",
        "  status: machine-draft\n  date: 2026-02-30",
        "date:",
        "'translation.date' must be a date (YYYY-MM-DD), not '2026-02-30' (no such date)",
        "front-matter-type",
    ),
    (
        "docs/es/finger.md",
        "  status: machine-draft",
        "  status: [reviewed]",
        "status:",
        "translation.status must be one of machine-draft, reviewed, not ['reviewed']",
        "translation-status",
    ),
]


@pytest.mark.parametrize(
    "path,old,new,line_text,message,code",
    FRONT_MATTER_CASES,
    ids=[case[2].split("\n")[0] for case in FRONT_MATTER_CASES],
)
def test_bad_front_matter_value_gives_one_line_at_its_key(small_tree, capsys, path, old, new, line_text, message, code):
    replace(small_tree / path, old, new)
    assert_one_error(small_tree, capsys, path, line_text, message, code)


@pytest.mark.parametrize(
    "value,line_text,problem",
    [
        (DEEP, "title:", "nested more than 20 levels deep"),
        (
            "[" * 100_000 + "]" * 100_000,
            "title:",
            "nested more than 20 levels deep",
        ),  # libyaml's C composer would crash
        # Each "- x:" line nests a list and a mapping: the 21st level (after the page's own mapping) is the 10th line.
        (
            "\n" + "".join(" " * 2 * level + "- x:\n" for level in range(1, 3_000)),
            " " * 20 + "- x:",
            "nested more than 20 levels deep",
        ),
        ("*a9\n" + BILLION_LAUGHS, "title:", "YAML aliases (*name) are not allowed here"),
        ("!!int abc", "title:", "cannot read 'abc' as int"),
    ],
)
def test_unreadable_front_matter_is_one_line_at_its_place(small_tree, capsys, value, line_text, problem):
    path = small_tree / "docs/en/wrist.md"
    replace(path, "title: Wrist", f"title: {value}")
    assert_one_error(
        small_tree,
        capsys,
        "docs/en/wrist.md",
        line_text,
        f"front matter is not valid YAML: {problem}",
        "front-matter-yaml",
    )


def test_tab_indented_front_matter_says_yaml_takes_spaces(small_tree, capsys):
    path = small_tree / "docs/es/wrist.md"
    replace(path, "  status: machine-draft", "\tstatus: machine-draft")
    assert_one_error(
        small_tree,
        capsys,
        "docs/es/wrist.md",
        "\tstatus:",
        "front matter is not valid YAML: found character that cannot start any token "
        "(YAML is indented with spaces, not tabs)",
        "front-matter-yaml",
    )


# ---------------------------------------------------------------------------
# Locales and glossaries
# ---------------------------------------------------------------------------

SITE_NAME = 'site_name: "Biblioteca de cuidados de {hospital}"'
LOCALE_CASES = [
    (
        SITE_NAME,
        "site_name: [Biblioteca, cuidados]",
        "site_name:",
        "'site_name' must be text, not ['Biblioteca', 'cuidados'] (put it in quotes)",
        "locale-type",
    ),
    (SITE_NAME, "site_name: 42", "site_name:", "'site_name' must be text, not 42 (put it in quotes)", "locale-type"),
    (SITE_NAME, "site_name:", "site_name:", "'site_name' is empty", "locale-empty"),
    (
        SITE_NAME,
        'site_name: "Biblioteca de {hospital"',
        "site_name:",
        "'site_name' has a broken placeholder: expected '}' before end of string "
        "(a placeholder is a {name}; write {{ and }} for a brace)",
        "locale-placeholder",
    ),
    (SITE_NAME, f"{SITE_NAME}\n1: uno", "1: uno", "a key is a name such as 'site_name', not 1", "locale-type"),
    (SITE_NAME, f"site_name: {DEEP}", "site_name:", "not valid YAML: nested more than 20 levels deep", "locale-yaml"),
    (
        SITE_NAME,
        f"{BILLION_LAUGHS}site_name: *a9",
        "lol1:",
        "not valid YAML: YAML aliases (*name) are not allowed here",
        "locale-yaml",
    ),
    # A control character after an anchor mark: PyYAML's reader refused it as the loader was made.
    (
        SITE_NAME,
        f"&\x1f{SITE_NAME}",
        "site_name:",
        "not valid YAML: unacceptable character #x001f: special characters are not allowed",
        "locale-yaml",
    ),
]


@pytest.mark.parametrize("old,new,line_text,message,code", LOCALE_CASES, ids=[case[1][:30] for case in LOCALE_CASES])
def test_bad_locale_value_gives_one_line(small_tree, capsys, old, new, line_text, message, code):
    replace(small_tree / "locales/es.yml", old, new)
    assert_one_error(small_tree, capsys, "locales/es.yml", line_text, message, code)


def test_locale_that_is_a_list_gives_one_line(small_tree, capsys):
    (small_tree / "locales/es.yml").write_text("- site_name\n- red_flags\n", encoding="utf-8")
    assert_one_error(
        small_tree, capsys, "locales/es.yml", None, "a catalogue must be a mapping of keys to strings", "locale-yaml"
    )


def test_english_catalogue_losing_a_key_every_translation_has_is_an_error_there(small_tree, capsys):
    path = small_tree / "locales/en.yml"
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("english_original:")
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_one_error(
        small_tree,
        capsys,
        "locales/en.yml",
        None,
        "missing key 'translation.english_original', which every translation has",
        "locale-missing-key",
    )


GLOSSARY_CASES = [
    ("  forms: []", "  forms: 3", "forms:", "'finger': 'forms' must be a list of words, not 3", "glossary-type"),
    (
        "  forms: []",
        "  forms: dedos",
        "forms:",
        "'finger': 'forms' must be a list of words, not 'dedos'",
        "glossary-type",
    ),
    (
        "  definition: ",
        "  definition: [una, parte]\n  old_definition: ",
        "definition:",
        "'finger': 'definition' must be one line of text, not ['una', 'parte']",
        "glossary-type",
    ),
    ("  term: dedo\n", "", "finger:", "'finger' needs a term and a definition in 'es'", "glossary-missing-term"),
    (
        "finger:\n",
        "hand: mano\nfinger:\n",
        "hand:",
        "'hand' maps to its term, forms and definition, not 'mano'",
        "glossary-type",
    ),
]


@pytest.mark.parametrize(
    "old,new,line_text,message,code", GLOSSARY_CASES, ids=[case[1][:30] or "no term" for case in GLOSSARY_CASES]
)
def test_bad_glossary_entry_gives_one_line(small_tree, capsys, old, new, line_text, message, code):
    replace(small_tree / "locales/glossary/es.yml", old, new)
    assert_one_error(small_tree, capsys, "locales/glossary/es.yml", line_text, message, code)


# ---------------------------------------------------------------------------
# Encodings, line endings, tabs
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["docs/en/wrist.md", "locales/es.yml", "locales/glossary/es.yml"])
def test_binary_file_gives_one_line_at_the_first_bad_byte(small_tree, capsys, path):
    data = bytes(range(256))
    (small_tree / path).write_bytes(data)
    line = 1 + len(re.findall(rb"\r\n|\r|\n", data[:128]))
    exit_code, errors, out = run(small_tree, capsys)
    assert exit_code == 1
    assert len(errors) == 1 and errors[0].startswith(f"{path}:{line}: error: "), out
    assert "the file is not valid UTF-8 (byte 128)" in errors[0]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_bom_and_windows_or_old_mac_line_endings_are_read_as_mkdocs_reads_them(small_tree, capsys, newline):
    for name in ("docs/en/finger.md", "docs/es/finger.md", "locales/es.yml", "locales/glossary/es.yml"):
        path = small_tree / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_text(encoding="utf-8").replace("\n", newline).encode("utf-8"))
    exit_code, errors, out = run(small_tree, capsys)
    assert exit_code == 0 and "0 error(s), 0 warning(s)" in out, out
    page = read_page(small_tree / "docs/es/finger.md", "es")
    assert page.title == "Finger" and page.line_of("translation", "status") == 9


def test_tab_indented_red_flags_are_the_same_signs_as_spaces(small_tree, capsys):
    path = small_tree / "docs/en/finger.md"
    before = read_page(path, "en").red_flags()
    text = path.read_text(encoding="utf-8")
    lines = [re.sub(r"^    ", ("\t", "  \t", "    ")[number % 3], line) for number, line in enumerate(text.split("\n"))]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert "\t- " in path.read_text(encoding="utf-8")
    after = read_page(path, "en").red_flags()
    assert [tier.items for tier in after.tiers] == [tier.items for tier in before.tiers]
    # The signs did not change, so the translations made from the spaced card are still current.
    exit_code, errors, out = run(small_tree, capsys)
    assert exit_code == 0 and "0 error(s), 0 warning(s)" in out, out


# ---------------------------------------------------------------------------
# mkdocs.yml: one line on stderr, exit 2
# ---------------------------------------------------------------------------

CONFIG_CASES = [
    (
        "site_name: Test library",
        "site_name: [Test library",
        "mkdocs.yml:2: not valid YAML: expected ',' or ']', but got ':'",
    ),
    (
        "site_name: Test library",
        "site_name: Test library\nlaunched: 2027-13-45",
        "cannot be read: ValueError: month must be in 1..12",
    ),
    (
        "        - locale: es\n",
        "        - code: es\n",
        "every i18n language needs a 'locale' (such as 'en') and a name in text",
    ),
    (
        "      languages:\n",
        "      languages: en, es\n      old_languages:\n",
        "the i18n plugin's languages must be a list, each with its locale",
    ),
    (
        "      hospital:\n        name: Test Hospital\n        logo: assets/logo.svg\n        region: US\n"
        '        emergency_number: "911"\n        nurse_line: "1-800-555-0100"\n',
        "      hospital: Test Hospital\n",
        "plugins.careleaf.hospital: The configuration is invalid. Expected a key-value mapping",
    ),
    # A key it does not know comes first: it may be the cause of the rest.
    (
        "      hospital:\n",
        "      hospital: Test Hospital\n      old_hospital:\n",
        "plugins.careleaf.old_hospital: not a Careleaf setting (did you mean 'hospital'?)",
    ),
    (
        "        name: Test Hospital",
        "        name: [Test, Hospital]",
        "plugins.careleaf.hospital.name: must be text, not list",
    ),
    (
        "        name: Test Hospital\n",
        "        name: Test Hospital\n        short_name: Test\n",
        "plugins.careleaf.hospital.short_name: Expected a dict of items",
    ),
    (
        "  - careleaf:\n",
        "  - careleaf:\n      readability:\n        en: {formula: nonsense, target: 7}\n",
        "plugins.careleaf.readability.en.formula: Expected one of: ('flesch_kincaid_grade'",
    ),
    (
        "  - careleaf:\n",
        "  - careleaf:\n      kiosk: {idle_seconds: .inf}\n",
        "plugins.careleaf.kiosk.idle_seconds: must be a whole number (seconds)",
    ),
    (
        "  - careleaf:\n",
        "  - careleaf:\n      clinical_review: {requred: true}\n",
        "plugins.careleaf.clinical_review.requred: not a Careleaf setting (did you mean 'required'?)",
    ),
]


@pytest.mark.parametrize("old,new,message", CONFIG_CASES, ids=[case[2][:40] for case in CONFIG_CASES])
def test_broken_configuration_gives_one_line_and_exit_2(small_tree, capsys, old, new, message):
    replace(small_tree / "mkdocs.yml", old, new)
    assert careleaf(["-f", str(small_tree / "mkdocs.yml"), "validate", "--today", TODAY]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith("careleaf: ") and "mkdocs.yml" in line and message in line, line


# ---------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------


@pytest.mark.build
def test_article_with_bom_crlf_and_tab_indented_tiers_publishes_its_title_and_every_sign(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "docs/en/muscle-spasm.md"
    expected = read_page(path, "en")
    text = path.read_text(encoding="utf-8")
    # Tabs, spaces then a tab, and four spaces, in turn: one card mixes all three. Only in the body:
    # YAML allows no tab, and the front matter's nested lists (codes:) are indented four spaces too.
    body = expected.body_line - 1
    lines = [
        re.sub(r"^    (?=- )", ("\t", "  \t", "    ")[number % 3], line) if number >= body else line
        for number, line in enumerate(text.split("\n"))
    ]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8"))
    assert b"\r\n\t- " in path.read_bytes() and b"\r\n  \t- " in path.read_bytes()
    result = mkdocs_build(project, tmp_path / "site", handouts=False)
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((tmp_path / "site/muscle-spasm/index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.h1.get_text(strip=True) == expected.title
    assert soup.title.get_text().startswith(f"{expected.title} - ")
    cards = {
        card["class"][1].removeprefix("care-card--"): [" ".join(li.get_text().split()) for li in card.select("li")]
        for card in soup.select(".care-card")
    }
    assert cards == {tier.kind: list(tier.items) for tier in expected.red_flags().tiers}
    assert not soup.select(".red-flags pre")


@pytest.mark.build
def test_impossible_date_stops_the_build_with_the_validator_line_not_a_traceback(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "docs/es/muscle-spasm.md"
    replace(path, "review_due: 2027-11-21", "review_due: 2027-13-45")
    result = mkdocs_build(project, tmp_path / "site", handouts=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        f"docs/es/muscle-spasm.md:{line_of(path, 'review_due:')}: error: 'review_due' must be a date (YYYY-MM-DD), "
        "not '2027-13-45' (no such date) [front-matter-type]"
    ) in result.stderr
