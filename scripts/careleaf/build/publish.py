"""Publish a built site in one step: build beside the live site, then swap the two folders.

`mkdocs build` writes into a staging folder beside the site folder (same filesystem). Only when
the whole build has succeeded are the two exchanged in one atomic rename (Linux renameat2,
RENAME_EXCHANGE); the previous site, now under the staging name, is then removed. A build killed
at any moment leaves the previous site or the new one, whole. Where the exchange is unavailable
(another OS, a filesystem without it), the previous site is renamed aside and the new one renamed
in: a build killed between those two renames leaves no site, and the next build puts the previous
one back before anything else.

Every folder made here is named `<prefix>[<site>-]<pid>-<token>` and locked (flock) while its
build runs; the next build removes those whose owner is gone, never a running build's.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import secrets
import shutil
import stat
from pathlib import Path

STAGING = ".careleaf-staging-"
PREVIOUS = ".careleaf-previous-"
LANGUAGES = ".careleaf-languages-"
OWNED_PREFIXES = (STAGING, PREVIOUS, LANGUAGES)

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# What renameat2 answers where the kernel, the C library or the filesystem cannot exchange.
_EXCHANGE_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}


class OwnedFolder:
    """A new folder named after the process that made it, and locked for as long as it holds it."""

    def __init__(self, parent: Path, prefix: str):
        self.owner = os.getpid()
        self.path = parent / f"{prefix}{self.owner}-{secrets.token_hex(4)}"
        os.mkdir(self.path)  # mode 0o777 less the umask, as MkDocs would make the site folder
        self._lock = _lock(self.path)

    def remove(self) -> None:
        """Remove the folder, whatever it holds now, and give up the lock (only in its owner)."""
        if os.getpid() != self.owner:  # a forked worker's copy: the owner cleans up
            return
        shutil.rmtree(self.path, ignore_errors=True)
        self.release()

    def release(self) -> None:
        if os.getpid() == self.owner:
            _unlock(self._lock)
            self._lock = None


class StagedSite:
    """A build of `site_dir` written into a staging folder beside it; `publish()` puts it in place."""

    def __init__(self, site_dir: str | os.PathLike, keep_contents: bool = False):
        # A symlinked site folder stays a symlink: the folder it points to is the one replaced.
        self.live = Path(os.path.realpath(site_dir))
        self.live.parent.mkdir(parents=True, exist_ok=True)
        restore_previous_site(self.live)
        remove_leftovers(self.live.parent)
        self.staging = OwnedFolder(self.live.parent, STAGING)
        if self.live.is_dir():
            os.chmod(self.staging.path, stat.S_IMODE(self.live.stat().st_mode))
            if keep_contents:
                shutil.copytree(self.live, self.staging.path, symlinks=True, dirs_exist_ok=True)

    @property
    def path(self) -> Path:
        return self.staging.path

    def publish(self) -> None:
        """Put the staged site in place of the live one in one step, then remove the previous site."""
        if not os.path.lexists(self.live):
            os.rename(self.path, self.live)  # the first build: nothing to replace
            self.staging.release()
        elif _exchange(self.path, self.live):
            self.staging.remove()  # the staging name now holds the previous site
        else:
            self._publish_in_two_renames()

    def discard(self) -> None:
        """The build failed: the live site stays as it was, the staging folder goes."""
        self.staging.remove()

    def _publish_in_two_renames(self) -> None:
        previous = self.live.parent / f"{PREVIOUS}{self.live.name}-{os.getpid()}-{secrets.token_hex(4)}"
        lock = _lock(self.live)  # a concurrent build must not mistake it for a killed build's leftover
        try:
            os.rename(self.live, previous)
            os.rename(self.path, self.live)
            self.staging.release()
            shutil.rmtree(previous, ignore_errors=True)
        finally:
            _unlock(lock)


def restore_previous_site(live: Path) -> None:
    """A build killed between the two renames left no site and the previous one aside: put it back."""
    if os.path.lexists(live):
        return
    aside = [path for path in _owned(live.parent) if _site_name(path.name) == live.name and not owner_alive(path)]
    if aside:
        os.rename(max(aside, key=lambda path: path.stat().st_ctime_ns), live)


def remove_leftovers(parent: Path) -> list[Path]:
    """Remove the folders killed builds left in `parent` (their owner is gone); returns them."""
    removed = []
    for path in _owned(parent):
        name = _site_name(path.name)
        if name is not None and not (parent / name).exists():
            continue  # the only copy of a site a killed build moved aside: its next build restores it
        if not owner_alive(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def owner_alive(folder: Path) -> bool:
    """True while the build that made `folder` may still use it: its process runs or it is locked."""
    pid = owner_pid(folder.name)
    if pid is None:
        return True  # not named by this module: not ours to remove
    return _running(pid) or _locked(folder)


def owner_pid(name: str) -> int | None:
    if not name.startswith(OWNED_PREFIXES):
        return None
    parts = name.rsplit("-", 2)
    if len(parts) != 3 or not parts[1].isdigit() or int(parts[1]) <= 0:
        return None
    return int(parts[1])


def _site_name(name: str) -> str | None:
    """The site a PREVIOUS folder holds the previous contents of (None for other folders)."""
    if not name.startswith(PREVIOUS) or owner_pid(name) is None:
        return None
    return name[len(PREVIOUS) :].rsplit("-", 2)[0]


def _owned(parent: Path) -> list[Path]:
    return sorted(path for path in parent.iterdir() if path.name.startswith(OWNED_PREFIXES) and path.is_dir())


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    try:  # a killed process its parent has not reaped yet (a zombie) runs no more
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def _lock(folder: Path) -> int | None:
    """An open descriptor holding an exclusive lock on `folder` (held until every forked copy is
    closed); None where the filesystem has no locks. Raises BlockingIOError if another holds it."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise
    except OSError:  # no locks here: the owner's process id alone says whether it runs
        os.close(descriptor)
        return None
    return descriptor


def _unlock(descriptor: int | None) -> None:
    if descriptor is not None:
        os.close(descriptor)


def _locked(folder: Path) -> bool:
    try:
        _unlock(_lock(folder))
    except BlockingIOError:
        return True
    except OSError:  # gone meanwhile
        return False
    return False


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step; False where this system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not glibc 2.28+ (or not Linux)
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _EXCHANGE_UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))
