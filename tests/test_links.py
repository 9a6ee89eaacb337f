"""An independent link checker over the built site: LinkChecker (pinned in requirements.txt),
every page, every PDF handout link, every anchor. Nobody here wrote it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import ROOT

# Anchors are checked by LinkChecker's AnchorCheck plugin, which reports a missing one as a warning
# (and a directory link with an anchor, which it cannot check from disk, as a warning too).
CONFIG = """\
[checking]
threads=4
[filtering]
checkextern=0
[AnchorCheck]
[output]
warnings=1
status=0
"""


def link_check(site: Path, tmp_path: Path) -> tuple[int, int, str]:
    """(errors, warnings, report) for the site read from disk, as LinkChecker finds them."""
    # Run as root, LinkChecker reads as `nobody`: check a copy anyone may read.
    readable = Path(tempfile.mkdtemp(prefix="careleaf-links-"))
    try:
        readable.chmod(0o755)
        shutil.copytree(site, readable / "site")
        (tmp_path / "linkcheckerrc").write_text(CONFIG, encoding="utf-8")
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("linkchecker")),
                "-f",
                str(tmp_path / "linkcheckerrc"),
                str(readable / "site" / "index.html"),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "HOME": str(tmp_path)},
        )
    finally:
        shutil.rmtree(readable, ignore_errors=True)
    summary = re.search(
        r"(\d+) links? in \d+ URLs? checked\. (\d+|No) warnings? found.*?(\d+|No) errors? found", result.stdout
    )
    assert summary, result.stdout + result.stderr
    links, warnings, errors = (0 if value == "No" else int(value) for value in summary.groups())
    assert links > 500, result.stdout  # it did walk the site: pages, assets, handouts
    return errors, warnings, result.stdout


def test_a_site_built_by_mkdocs_build_alone_has_no_broken_link_or_anchor(built_site, tmp_path):
    errors, warnings, report = link_check(built_site, tmp_path)
    assert (errors, warnings) == (0, 0), report


def test_the_site_setup_builds_has_no_broken_link_or_anchor(tmp_path):
    site = ROOT / "site"
    assert (site / "index.html").is_file(), "run scripts/setup.sh first: it builds site/"
    errors, warnings, report = link_check(site, tmp_path)
    assert (errors, warnings) == (0, 0), report


def test_the_link_checker_reports_a_missing_handout_and_a_broken_anchor(built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    (site / "handouts" / "es" / "muscle-spasm.large-print.pdf").unlink()
    page = site / "muscle-spasm" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert 'href="#red-flags"' in html
    page.write_text(html.replace('href="#red-flags"', 'href="#red-flag"', 1), encoding="utf-8")
    errors, warnings, report = link_check(site, tmp_path)
    assert errors == 1 and "muscle-spasm.large-print.pdf" in report
    assert warnings == 1 and "red-flag'" in report
