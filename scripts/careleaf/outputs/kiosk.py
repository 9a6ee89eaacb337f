"""The waiting-room kiosk copy: the whole site, every language, in one reproducible zip.

Built from one commit, the zip is byte-identical every time: file times come from the
commit (SOURCE_DATE_EPOCH), entries are sorted, and it is written to a temporary file
that is renamed only when complete.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from careleaf.checks import gate
from careleaf.model.content import Library
from careleaf.model.project import Project
from careleaf.util.code import strict_build
from careleaf.util.files import replaced_atomically
from careleaf.util.git import git

ZIP_EPOCH_FLOOR = 315532800  # 1980-01-01: the earliest time a zip entry can carry


@dataclass(frozen=True)
class Bundle:
    zip_path: Path
    sha256: str
    version: str
    files: int


def commit_epoch(root: Path) -> int:
    """SOURCE_DATE_EPOCH if set, else the time of the checked-out commit."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    committed = (git(root, "log", "-1", "--format=%ct") or "").strip()
    if not committed:
        raise RuntimeError("no commit to date the build from: set SOURCE_DATE_EPOCH or build from a git checkout")
    return int(committed)


def build_epoch(root: Path) -> int | None:
    """The commit's time for reproducible outputs, or None outside a git checkout (no date then)."""
    try:
        return commit_epoch(root)
    except RuntimeError:
        return None


# What a kiosk copy or a site is made from, besides Careleaf's code.
CONTENT_PATHS = ("docs", "locales", "overrides", "mkdocs.yml")
# Beside a built site's pages: the digest of the content it was built from (a packet checks it).
BUILD_RECORD = "careleaf-build.json"


def version(root: Path) -> str:
    """The package version and the commit, e.g. 0.1.0+3f2a9c1d7e4b; built from uncommitted content (or
    outside git), the content's digest too (0.1.0+3f2a9c1d7e4b.dirty.5be0c1a2f3), so two copies made from
    different content never share a name."""
    base = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    commit = (git(root, "rev-parse", "--short=12", "HEAD") or "").strip()
    if not commit:
        return f"{base}+content.{content_digest(root)[:10]}"
    if (git(root, "status", "--porcelain", "--", *CONTENT_PATHS) or "").strip():
        return f"{base}+{commit}.dirty.{content_digest(root)[:10]}"
    return f"{base}+{commit}"


def content_digest(root: Path) -> str:
    """SHA-256 over the names and bytes of every content file (hidden files aside)."""
    digest = hashlib.sha256()
    for name in CONTENT_PATHS:
        top = root / name
        files = [top] if top.is_file() else sorted(path for path in top.rglob("*") if path.is_file())
        for path in files:
            relative = path.relative_to(root).as_posix()
            if any(part.startswith(".") for part in relative.split("/")):
                continue
            digest.update(relative.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_site(
    project: Project,
    site_dir: Path,
    epoch: int,
    idle_seconds: int | None,
    print_enabled: bool | None,
    config_file: Path | None = None,
) -> None:
    """`mkdocs build --strict` with kiosk mode and Material's offline plugin turned on, from `config_file`
    (the project's mkdocs.yml unless named: `careleaf -f`)."""
    env = {"CARELEAF_KIOSK": "true", "SOURCE_DATE_EPOCH": str(epoch)}
    if idle_seconds is not None:
        env["CARELEAF_KIOSK_IDLE_SECONDS"] = str(idle_seconds)
    if print_enabled is not None:
        env["CARELEAF_KIOSK_PRINT"] = "true" if print_enabled else "false"
    # The build's careleaf plugin runs the same Careleaf code as the gate that let the library through.
    command, env = strict_build(config_file or project.root / "mkdocs.yml", site_dir, **env)
    result = subprocess.run(command, cwd=project.root, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(
            f"the kiosk build failed (mkdocs build --strict):\n{build_problems(result.stderr + result.stdout)}"
        )


def build_problems(output: str) -> str:
    """What a failed build said about why: its warnings, errors and verdict, not its progress."""
    lines = [line for line in output.splitlines() if line.strip() and not line.startswith(("INFO", "DEBUG"))]
    return "\n".join(lines)


def manifest(library: Library, bundle_version: str, epoch: int, print_enabled: bool, idle_seconds: int) -> dict:
    """What an operator needs to see at a glance: version, date, languages, articles, reviews."""
    project = library.project
    return {
        "name": "Careleaf kiosk copy",
        "hospital": project.hospital["name"],
        "version": bundle_version,
        "built": dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat(),
        "languages": {lang: project.language_names[lang] for lang in project.languages},
        "idle_seconds": idle_seconds,
        "print": print_enabled,
        "articles": [
            {
                "slug": slug,
                "title": source.title,
                "reviewed": str(source.meta.get("reviewed")),
                "review_due": str(source.meta.get("review_due")),
                "languages": [lang for lang in project.languages if library.get(slug, lang) is not None],
            }
            # Library.slugs are the default language's articles: each has its source.
            for slug in library.slugs
            if (source := library.source(slug)) is not None
        ],
    }


def write_zip(site_dir: Path, folder: str, extra_files: dict[str, bytes], target: Path, epoch: int) -> int:
    """A deterministic zip of site_dir under `folder/`, written atomically; returns the file count."""
    stamp = dt.datetime.fromtimestamp(max(epoch, ZIP_EPOCH_FLOOR), dt.UTC).timetuple()[:6]
    entries = {
        f"{folder}/{path.relative_to(site_dir).as_posix()}": path.read_bytes()
        for path in site_dir.rglob("*")
        if path.is_file()
    }
    entries.update({f"{folder}/{name}": data for name, data in extra_files.items()})
    with replaced_atomically(target) as temporary:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for name in sorted(entries):
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, entries[name], compresslevel=9)
    return len(entries)


def build_bundle(
    project: Project,
    dist_dir: Path,
    idle_seconds: int | None = None,
    print_enabled: bool | None = None,
    progress=print,
    config_file: Path | None = None,
) -> Bundle:
    # Only what the strict web build accepts goes on a kiosk (gate.Refused otherwise, before any build).
    library = gate.require_publishable(project).library
    epoch = commit_epoch(project.root)
    bundle_version = version(project.root)
    folder = f"careleaf-kiosk-{bundle_version}"
    with tempfile.TemporaryDirectory(prefix="careleaf-kiosk-") as work:
        site_dir = Path(work) / "site"
        progress(f"building the site in kiosk mode ({len(project.languages)} languages)")
        build_site(project, site_dir, epoch, idle_seconds, print_enabled, config_file)
        kiosk_idle_seconds = idle_seconds if idle_seconds is not None else project.kiosk["idle_seconds"]
        kiosk_print = print_enabled if print_enabled is not None else project.kiosk["print"]
        info = manifest(library, bundle_version, epoch, kiosk_print, kiosk_idle_seconds)
        data = (json.dumps(info, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        target = dist_dir / f"{folder}.zip"
        progress(f"writing {target}")
        files = write_zip(site_dir, folder, {"manifest.json": data}, target, epoch)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    (dist_dir / f"{target.name}.sha256").write_text(f"{digest}  {target.name}\n", encoding="utf-8")
    return Bundle(zip_path=target, sha256=digest, version=bundle_version, files=files)
