"""Publishing is atomic: a build that fails, or is killed at any moment, leaves a whole site.

The published site is always the previous build's, byte for byte, or the complete new one; the
next build removes whatever a killed build left beside it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from careleaf.build import publish
from conftest import MKDOCS, TEST_EPOCH, copy_project, keep_languages

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": TEST_EPOCH}
# Every page's header names the hospital: the new build differs from the previous one on every page
# (and prints no handout again: the header is not on paper).
SHORT_NAMES = "          en: Riverside\n          es: Riverside\n"
RENAMED = "          en: Riverside General\n          es: Riverside General\n"
PREVIOUS, NEW = "previous", "new"


def command(project: Path, site: Path, *options: str) -> list[str]:
    options = options or ("--strict",)
    return [*MKDOCS, "build", "--site-dir", str(site), "--config-file", str(project / "mkdocs.yml"), *options]


def build(project: Path, site: Path, jobs: int, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command(project, site, *options),
        cwd=project,
        capture_output=True,
        text=True,
        env={**ENV, "CARELEAF_JOBS": str(jobs)},
        timeout=600,
    )


def tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def leftovers(parent: Path) -> list[str]:
    return sorted(name for name in os.listdir(parent) if name.startswith(".careleaf-"))


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> SimpleNamespace:
    """A published site (the previous build), then the library changed and its complete new site.
    Three languages: with two jobs, two forked workers build the two translations side by side."""
    work = tmp_path_factory.mktemp("atomic")
    project = keep_languages(copy_project(work / "project"), ("en", "es", "ar"))
    published = work / "published" / "site"
    result = build(project, published, jobs=2)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Built es, ar in 2 worker processes" in result.stdout + result.stderr
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert SHORT_NAMES in text
    config.write_text(
        text.replace(SHORT_NAMES, RENAMED).replace("ar: ريفرسايد", "ar: ريفرسايد العام"), encoding="utf-8"
    )
    result = build(project, work / "new" / "site", jobs=2)
    assert result.returncode == 0, result.stderr[-3000:]
    assert " 0 printed " in result.stderr and " printing " not in result.stderr  # the header is not on paper
    previous, new = tree(published), tree(work / "new" / "site")
    assert previous.keys() == new.keys()
    assert all(previous[name] != new[name] for name in previous if name.endswith(".html"))
    return SimpleNamespace(project=project, published=published, previous=previous, new=new)


def publish_previous(library, site: Path) -> None:
    """Put the previous build's site at `site`, as a deploy would have left it."""
    if site.exists() and tree(site) == library.previous:
        return
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(library.published, site)


def outcome(library, site: Path) -> str:
    found = tree(site) if site.is_dir() else {}
    return PREVIOUS if found == library.previous else NEW if found == library.new else "a broken site"


# -- killed builds -------------------------------------------------------------


# A trigger is made as its build starts (folders already there are a killed build's), then polled
# with the build's log so far.


def on_log(text: str):
    return lambda: lambda log: any(text in line for line in log)


def on_new_folder(parent: Path, prefix: str):
    def trigger():
        before = set(os.listdir(parent))
        return lambda log: any(name.startswith(prefix) and name not in before for name in os.listdir(parent))

    return trigger


def on_new_file(parent: Path, pattern: str):
    def trigger():
        before = set(parent.glob(pattern))
        return lambda log: any(path not in before for path in parent.glob(pattern))

    return trigger


def never():
    return lambda log: False


def on_swap(site: Path):
    def trigger():
        inode = site.stat().st_ino
        return lambda log: not site.exists() or site.stat().st_ino != inode

    return trigger


def killed_build(project: Path, site: Path, jobs: int, make_trigger) -> int:
    """Start `mkdocs build --strict`; SIGKILL it and its workers when the trigger fires. Returns its
    exit code (negative: killed)."""
    trigger = make_trigger()
    process = subprocess.Popen(
        command(project, site),
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**ENV, "CARELEAF_JOBS": str(jobs)},
        start_new_session=True,
    )
    log: list[str] = []

    def read() -> None:
        for line in process.stderr:
            log.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    while process.poll() is None and not trigger(log):
        time.sleep(0.002)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the workers are forked into the build's process group
    except ProcessLookupError:  # it had finished
        pass
    process.wait(timeout=60)
    reader.join(timeout=60)
    return process.returncode


@pytest.mark.parametrize("jobs", [2, 1], ids=["parallel", "sequential"])
def test_a_build_killed_at_any_moment_leaves_the_previous_site_or_the_new_one(library, tmp_path, jobs):
    site = tmp_path / "site"
    publish_previous(library, site)
    # Killed just after the swap: the new site is in place, the previous one half removed.
    killed_build(library.project, site, jobs, on_swap(site))
    assert outcome(library, site) == NEW
    kills = [
        ("as validation starts", on_new_folder(tmp_path, publish.STAGING), {PREVIOUS}),
        ("as the default language starts", on_log("Building documentation to directory"), {PREVIOUS}),
        (
            "as the other languages start",
            on_log(publish.LANGUAGES) if jobs > 1 else on_log("Building 'es' documentation"),
            {PREVIOUS},
        ),
        # The last language is in: the site is being finished (404 pages, search, sitemap), then swapped.
        ("as the site is finished", on_new_file(tmp_path, f"{publish.STAGING}*/ar/404.html"), {PREVIOUS, NEW}),
    ]
    left_behind = set()
    for moment, trigger, expected in kills:
        publish_previous(library, site)
        killed_build(library.project, site, jobs, trigger)
        assert outcome(library, site) in expected, f"killed {moment}"
        left_behind.update(name.rsplit("-", 2)[0] + "-" for name in leftovers(tmp_path))
    # The kills landed inside builds: they left staging folders (parallel builds: workers' folders too).
    assert publish.STAGING in left_behind
    assert (publish.LANGUAGES in left_behind) == (jobs > 1)
    # The next build that runs to its end publishes the new site and removes every leftover.
    assert killed_build(library.project, site, jobs, never) == 0
    assert tree(site) == library.new
    assert leftovers(tmp_path) == []


# -- failed builds --------------------------------------------------------------


def remove_red_flags(project: Path) -> None:
    article = project / "docs" / "en" / "muscle-spasm.md"
    text = article.read_text(encoding="utf-8")
    start = text.index("{#red-flags}")
    start = text.rindex("\n## ", 0, start)
    end = text.find("\n## ", start + 1)
    article.write_text(text[:start] + (text[end:] if end != -1 else "\n"), encoding="utf-8")


def break_spanish_link(project: Path) -> None:
    article = project / "docs" / "es" / "muscle-spasm.md"
    text = article.read_text(encoding="utf-8")
    first_heading = text.index("\n## ")
    article.write_text(
        text[:first_heading] + "\n\nLea [esta página](no-existe.md).\n" + text[first_heading:], encoding="utf-8"
    )


def remove_spanish_translation(project: Path) -> None:
    # A missing translation (and the warnings that come with it): --strict refuses them as the build starts.
    (project / "docs" / "es" / "muscle-spasm.md").unlink()


@pytest.mark.parametrize(
    ("breakage", "jobs", "message"),
    [
        (remove_red_flags, 2, "Careleaf validation failed (3 error(s)"),
        (break_spanish_link, 2, "building language 'es' failed"),
        (
            remove_spanish_translation,
            1,
            "warning(s), which --strict refuses",
        ),
        (break_spanish_link, 1, "Aborted with 1 warnings in strict mode"),
    ],
    ids=["validation-error", "language-failing-in-a-worker", "validation-warning", "strict-warning"],
)
def test_a_failed_build_leaves_the_previous_site_and_no_staging_folder(library, tmp_path, breakage, jobs, message):
    project = tmp_path / "project"
    shutil.copytree(library.project, project)
    breakage(project)
    site = tmp_path / "published" / "site"
    publish_previous(library, site)
    result = build(project, site, jobs)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    assert " PDFs in " not in result.stderr  # no handout printed for a build that cannot publish
    assert tree(site) == library.previous
    assert leftovers(site.parent) == []


# -- other commands -------------------------------------------------------------


def test_a_dirty_build_publishes_the_whole_site_not_only_the_changed_pages(library, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(library.project, project)
    # A translation: editing it leaves no other page stale.
    changed = project / "docs" / "es" / "muscle-spasm.md"
    text = changed.read_text(encoding="utf-8")
    first_heading = text.index("\n## ")  # in the opening text, never inside the red-flag section
    changed.write_text(text[:first_heading] + "\n\nBeba agua.\n" + text[first_heading:], encoding="utf-8")
    site = tmp_path / "site"
    publish_previous(library, site)
    result = build(project, site, 1, "--dirty")  # a dirty build always warns: never --strict
    assert result.returncode == 0, result.stderr[-3000:]
    published = tree(site)
    assert published.keys() == library.previous.keys()
    assert b"Beba agua." in published["es/muscle-spasm/index.html"]
    # Pages whose source did not change were not rebuilt: they are the previous site's.
    assert published["broken-finger-closed/index.html"] == library.previous["broken-finger-closed/index.html"]
    assert leftovers(tmp_path) == []


def test_gh_deploy_pushes_the_complete_published_site(library, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(library.project, project)
    remote = tmp_path / "remote.git"
    git_env = {
        **ENV,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    for arguments in (
        ["init", "-q", "--bare", str(remote)],
        ["-C", str(project), "init", "-q"],
        ["-C", str(project), "add", "-A"],
        ["-C", str(project), "commit", "-qm", "content"],
        ["-C", str(project), "remote", "add", "origin", str(remote)],
    ):
        subprocess.run(["git", *arguments], check=True, env=git_env, capture_output=True)
    result = subprocess.run(
        [*MKDOCS, "gh-deploy"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**git_env, "CARELEAF_JOBS": "2"},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    pushed = subprocess.run(
        ["git", "-C", str(remote), "ls-tree", "-r", "--name-only", "gh-pages"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert sorted(pushed) == sorted([*library.new, ".nojekyll"])
    assert tree(project / "site") == library.new
    assert leftovers(project) == []


def test_two_builds_at_once_into_one_site_each_publish_a_whole_site(library, tmp_path):
    site = tmp_path / "site"
    publish_previous(library, site)
    environment = {**ENV, "CARELEAF_JOBS": "2"}
    first = subprocess.Popen(
        command(library.project, site),
        cwd=library.project,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    # The second starts while the first builds: the first's folders belong to a running build.
    first_is_building = on_new_folder(tmp_path, publish.LANGUAGES)()
    while first.poll() is None and not first_is_building([]):
        time.sleep(0.005)
    assert first.poll() is None
    second = build(library.project, site, 2)
    assert first.wait(timeout=600) == 0, first.stderr.read()[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    assert tree(site) == library.new
    assert leftovers(tmp_path) == []


# -- the publishing module --------------------------------------------------------


def write_site(folder: Path, text: str) -> None:
    (folder / "es").mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(f"{text} home", encoding="utf-8")
    (folder / "es" / "index.html").write_text(f"{text} inicio", encoding="utf-8")


def test_publishing_swaps_the_whole_site_and_keeps_its_folder_mode(tmp_path):
    site = tmp_path / "site"
    write_site(site, "previous")
    site.chmod(0o751)
    staged = publish.StagedSite(site)
    write_site(staged.path, "new")
    staged.publish()
    assert tree(site) == {"es/index.html": b"new inicio", "index.html": b"new home"}
    assert site.stat().st_mode & 0o777 == 0o751
    assert leftovers(tmp_path) == []


def test_publishing_without_an_atomic_exchange_uses_two_renames(tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "_exchange", lambda first, second: False)
    site = tmp_path / "site"
    write_site(site, "previous")
    staged = publish.StagedSite(site)
    write_site(staged.path, "new")
    staged.publish()
    assert tree(site) == {"es/index.html": b"new inicio", "index.html": b"new home"}
    assert leftovers(tmp_path) == []


KILLED_BETWEEN_RENAMES = """
import os, sys
from careleaf.build import publish
publish._exchange = lambda first, second: False  # as where renameat2 cannot exchange
staged = publish.StagedSite(sys.argv[1])
(staged.path / "index.html").write_text("new home", encoding="utf-8")
rename = os.rename
def killed_after_one_rename(*paths):
    os.rename = lambda *paths: os._exit(9)
    rename(*paths)
os.rename = killed_after_one_rename
staged.publish()
"""


def test_a_publish_killed_between_the_two_renames_is_undone_by_the_next_build(tmp_path):
    site = tmp_path / "site"
    write_site(site, "previous")
    killed = subprocess.run([sys.executable, "-c", KILLED_BETWEEN_RENAMES, str(site)], env=ENV, timeout=60)
    assert killed.returncode == 9
    assert not site.exists()
    assert [name.rsplit("-", 2)[0] for name in leftovers(tmp_path)] == [".careleaf-previous-site", ".careleaf-staging"]
    # What the next build does first: put the previous site back, remove the rest.
    publish.StagedSite(site).discard()
    assert tree(site) == {"es/index.html": b"previous inicio", "index.html": b"previous home"}
    assert leftovers(tmp_path) == []


HOLD_LOCK = """
import fcntl, os, sys, time
descriptor = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
fcntl.flock(descriptor, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(60)
"""


def test_only_folders_of_builds_that_are_gone_are_removed(tmp_path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = int(ended.stdout)
    running = subprocess.Popen(["sleep", "60"])
    zombie = subprocess.Popen(["sleep", "60"])
    zombie.kill()  # killed, not yet reaped by its parent: it runs no more
    time.sleep(0.2)
    this_build = publish.OwnedFolder(tmp_path, publish.STAGING)
    names = {
        "of a build gone": f"{publish.STAGING}{gone}-0a1b2c3d",
        "of a killed build not yet reaped": f"{publish.LANGUAGES}{zombie.pid}-0a1b2c3d",
        "of a running build": f"{publish.LANGUAGES}{running.pid}-0a1b2c3d",
        "locked by a running build elsewhere": f"{publish.STAGING}{gone}-4e5f6a7b",
        "the only copy of a site moved aside": f"{publish.PREVIOUS}kiosk-{gone}-0a1b2c3d",
        "a previous site replaced since": f"{publish.PREVIOUS}site-{gone}-0a1b2c3d",
        "not named by Careleaf": ".careleaf-languages-tb9gj6q1",
    }
    for name in names.values():
        (tmp_path / name).mkdir()
    (tmp_path / "site").mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path / names["locked by a running build elsewhere"])],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        removed = publish.remove_leftovers(tmp_path)
    finally:
        for process in (holder, running):
            process.kill()
            process.wait()
        zombie.wait()
    assert sorted(path.name for path in removed) == sorted(
        names[key] for key in ("of a build gone", "of a killed build not yet reaped", "a previous site replaced since")
    )
    kept = (
        "of a running build",
        "locked by a running build elsewhere",
        "the only copy of a site moved aside",
        "not named by Careleaf",
    )
    assert all((tmp_path / names[key]).is_dir() for key in kept)
    assert this_build.path.is_dir()
    this_build.remove()
    assert not this_build.path.exists()
