"""Rules every role follows, written once: atomic writes, asking git, text direction, where a language lives."""

import subprocess
from pathlib import Path

import pytest

from careleaf.model.languages import is_right_to_left, site_folder, text_direction
from careleaf.util.files import replaced_atomically, write_atomically
from careleaf.util.git import git

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "careleaf"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "handout.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), replaced_atomically(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("killed halfway")
    assert target.read_bytes() == b"old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["handout.pdf"]


def test_a_finished_write_replaces_the_file_readable_by_the_web_server(tmp_path):
    target = tmp_path / "new" / "index.json"
    write_atomically(target, b"{}")
    assert target.read_bytes() == b"{}"
    assert target.stat().st_mode & 0o777 == 0o644
    assert [path.name for path in target.parent.iterdir()] == ["index.json"]


def test_git_answers_in_a_checkout_and_is_silent_outside_one(tmp_path):
    assert git(tmp_path, "rev-parse", "HEAD") is None
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert git(tmp_path, "rev-parse", "--is-inside-work-tree").strip() == "true"


@pytest.mark.parametrize(
    ("lang", "direction"),
    [
        ("ar", "rtl"),
        ("ar-EG", "rtl"),
        ("he", "rtl"),
        ("ur", "rtl"),
        ("ckb", "rtl"),
        ("ar-US", "rtl"),
        ("he-x-private", "rtl"),
        ("ku-Arab", "rtl"),
        ("ku", "ltr"),
        ("en", "ltr"),
        ("zh", "ltr"),
        ("ht", "ltr"),
        ("x-private", "ltr"),
        ("", "ltr"),
    ],
)
def test_text_direction_comes_from_cldr_and_never_raises(lang, direction):
    assert text_direction(lang) == direction
    assert is_right_to_left(lang) is (direction == "rtl")


def test_the_default_language_lives_at_the_root_and_the_others_in_their_folder():
    assert site_folder("en", "en") == ""
    assert site_folder("es", "en") == "es/"


@pytest.mark.parametrize(
    ("rule", "home"),
    # A git command line starts ["git", ... (decap-server's "git" mode is a setting, not a call).
    [("tempfile.mkstemp", "util/files.py"), ('["git"', "util/git.py"), ("character_order", "model/languages.py")],
)
def test_each_rule_is_written_in_one_module(rule, home):
    writers = sorted(
        str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py") if rule in path.read_text(encoding="utf-8")
    )
    assert writers == [home]
