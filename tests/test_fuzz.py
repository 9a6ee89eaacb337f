"""Property-based fuzzing: the real articles, locales and glossaries, broken at random, never make the
validator raise, and every problem it prints is one well-formed line that blames a broken file.

CARELEAF_FUZZ_EXAMPLES=5000 runs a longer search than CI does (the examples are derived from the
test's name, so a given count always tries the same mutations).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from careleaf.cli import main as careleaf  # the command under test
from conftest import ROOT, copy_project

TODAY = "2026-11-20"
EXAMPLES = int(os.environ.get("CARELEAF_FUZZ_EXAMPLES", "500"))
FILES = sorted(
    path.relative_to(ROOT).as_posix()
    for pattern in ("docs/*/*.md", "locales/*.yml", "locales/glossary/*.yml")
    for path in ROOT.glob(pattern)
)
PROBLEM_LINE = re.compile(
    r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): (?P<severity>error|warning): (?P<message>.+) \[(?P<code>[a-z0-9-]+)\]$"
)
SUMMARY_LINE = re.compile(
    r"^\d+ error\(s\), \d+ warning\(s\) in \d+ file\(s\); \d+ page\(s\) checked in \d+ language\(s\)$"
)
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ---------------------------------------------------------------------------
# Mutations: (name, arguments), applied to a file's bytes
# ---------------------------------------------------------------------------

BILLION_LAUGHS = 'lol0: &a0 ["lol", "lol"]\n' + "".join(
    f"lol{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]\n" for level in range(1, 10)
)
NASTY_SNIPPETS = [
    "2027-13-45",
    "2026-02-30",
    "2026-01-10 25:00:00",
    "0000-01-01",
    "!!int abc",
    "!!timestamp soon",
    "!!binary é",
    "!!python/name:os.system",
    "*nowhere",
    "&anchor [1]",
    "~",
    "",
    "[",
    "{",
    "'",
    '"',
    "|",
    ">",
    "@",
    "`",
    "%",
    "- - -",
    "? [a]\n: b",
    "{{broken}",
    "{0}",
    "{name!x}",
    "{a.b}",
    "1" * 5000,
    "\t- tabbed",
    "\x00",
    "\u2028",
    "\x85",
    "\ufeff",
    "!!! emergency",
    "!!! urgent\n\n    - a new sign",
    "## Heading {#red-flags}",
    "```",
    "*[word]: x",
    "<<: {a: 1}",
    "---",
    "...",
    BILLION_LAUGHS,
]


def _flow_yaml(value) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6)
    return text.removesuffix("\n").removesuffix("\n...").rstrip("\n")


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12), st.dates())
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.one_of(st.text(max_size=6), st.integers(), st.none()), children, max_size=3)
    ),
    max_leaves=8,
).map(_flow_yaml)
yaml_value_texts = st.one_of(
    yaml_values,
    st.sampled_from(NASTY_SNIPPETS),
    st.integers(1, 12_000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(1, 3_000).map(lambda depth: "\n" + "".join(" " * 2 * level + "- x:\n" for level in range(depth))),
)
positions = st.integers(0, 10**6)
# Grouped so that about half the steps keep the file readable and reach the checks of its content.
mutations = st.one_of(
    st.one_of(
        st.tuples(st.just("delete_line"), positions),
        st.tuples(st.just("duplicate_line"), positions),
        st.tuples(st.just("swap_lines"), positions, positions),
    ),
    st.tuples(st.just("replace_value"), positions, yaml_values),
    st.tuples(st.just("replace_value"), positions, yaml_value_texts),
    st.tuples(st.just("insert_text"), positions, st.one_of(st.text(max_size=40), st.sampled_from(NASTY_SNIPPETS))),
    st.one_of(
        st.tuples(st.just("add_bom")),
        st.tuples(st.just("newlines"), st.sampled_from(["\r\n", "\r"])),
        st.tuples(st.just("tabs"), st.sampled_from(["every line", "every other line"])),
    ),
    st.one_of(
        st.tuples(st.just("insert_bytes"), positions, st.binary(min_size=1, max_size=8)),
        st.tuples(
            st.just("invalid_utf8"), positions, st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe9t\xe9"])
        ),
        st.tuples(st.just("truncate"), positions),
        st.tuples(st.just("empty")),
    ),
)
# A YAML "key: value" or "- item" line: in a .md file, only inside its front matter.
_VALUE = re.compile(rb"^(?P<key>[ \t]*(?:- )?[\w-]+[ \t]*:|[ \t]*- )(?P<value>.*)$")


def mutate(data: bytes, mutation: tuple) -> bytes:
    name, *args = mutation
    lines = data.split(b"\n")
    if name == "delete_line":
        del lines[args[0] % len(lines)]
    elif name == "duplicate_line":
        index = args[0] % len(lines)
        lines.insert(index, lines[index])
    elif name == "swap_lines":
        first, second = args[0] % len(lines), args[1] % len(lines)
        lines[first], lines[second] = lines[second], lines[first]
    elif name in ("insert_text", "insert_bytes", "invalid_utf8"):
        position = args[0] % (len(data) + 1)
        insert = args[1].encode("utf-8") if isinstance(args[1], str) else args[1]
        return data[:position] + insert + data[position:]
    elif name == "replace_value":
        closing = lines.index(b"---", 1) if lines[0] == b"---" and b"---" in lines[1:] else len(lines)
        candidates = [index for index, line in enumerate(lines[:closing]) if _VALUE.match(line)]
        if candidates:
            index = candidates[args[0] % len(candidates)]
            lines[index] = _VALUE.match(lines[index]).group("key") + b" " + args[1].encode("utf-8")
    elif name == "add_bom":
        return b"\xef\xbb\xbf" + data
    elif name == "newlines":
        return data.replace(b"\n", args[0].encode())
    elif name == "tabs":
        step = 1 if args[0] == "every line" else 2
        for index in range(0, len(lines), step):
            lines[index] = re.sub(rb"^(?: {4}| {2})+", lambda run: b"\t" * max(1, len(run.group()) // 4), lines[index])
    elif name == "truncate":
        return data[: args[0] % (len(data) + 1)]
    elif name == "empty":
        return b""
    return b"\n".join(lines)


# ---------------------------------------------------------------------------
# The property
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("fuzz") / "project")
    code, out, err = run_validator(project)
    assert (code, err) == (0, ""), out  # every error below comes from a mutation
    return project


def run_validator(project: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = careleaf(["-f", str(project / "mkdocs.yml"), "validate", "--today", TODAY])
    return code, out.getvalue(), err.getvalue()


def line_count(path: Path) -> int:
    """Lines as editors count them: after a byte-order mark, on LF, CRLF or CR."""
    if not path.is_file():
        return 1
    text = path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    return len(re.split(r"\r\n|\r|\n", text))


@FUZZ_SETTINGS
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(FILES), st.lists(mutations, min_size=1, max_size=3)), min_size=1, max_size=3
    )
)
def test_broken_files_give_one_clear_line_each_never_a_traceback(project, changes):
    originals = {name: (project / name).read_bytes() for name, _ in changes}
    try:
        for name, steps in changes:
            data = (project / name).read_bytes()
            for step in steps:
                data = mutate(data, step)
            (project / name).write_bytes(data)
        code, out, err = run_validator(project)
        mutated = {name: line_count(project / name) for name in originals}
    finally:
        for name, data in originals.items():
            (project / name).write_bytes(data)
    assert code in (0, 1), err
    assert err == ""
    lines = [line for line in out.split("\n") if line]
    assert SUMMARY_LINE.match(lines[-1]), lines[-1]
    problems = [PROBLEM_LINE.match(line) for line in lines[:-1]]
    assert all(problems), [line for line, match in zip(lines, problems, strict=False) if not match]
    for problem in problems:
        event(problem["code"])  # --hypothesis-show-statistics: which checks the mutations reached
        lines_in_file = mutated.get(problem["path"]) or line_count(project / problem["path"])
        assert 1 <= int(problem["line"]) <= lines_in_file, problem.group()
        if problem["severity"] == "error":
            # Blamed on a broken file, or naming the broken file it comes from (a stale translation).
            assert problem["path"] in mutated or any(name in problem["message"] for name in mutated), problem.group()
    assert (code == 1) == any(problem["severity"] == "error" for problem in problems)
