"""The temporary files of saves: short names (``.mh-<pid>-<random>.tmp``, whatever the file's name, so a
file whose name is near the system's limit can still be saved) that say which process made them, so that
those of a process that died mid-save are removed: on the next save in that folder, or when the archive is
opened."""

from __future__ import annotations

import os
import re
import secrets
import sys
import time
from collections.abc import Iterable
from pathlib import Path

PREFIX, SUFFIX = ".mh-", ".tmp"
_OURS = re.compile(r"\.mh-(\d+)-[0-9a-f]{8}\.tmp")
_OLD_STYLE = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.masthead-tmp")  # names before this scheme (no pid)
OLD_AGE = 3600.0  # an old-style temporary file untouched this long is garbage (a save takes seconds)
MIN_AGE = 60.0  # and one of a dead process only once this old (a folder shared with another machine or
# container, where that pid means another process, still never loses a save in flight)
_cleaned: set[str] = set()


def create(folder: Path) -> tuple[int, Path]:
    """A new, empty temporary file in ``folder`` (only this user may read it): its descriptor and path."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        path = folder / f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}{SUFFIX}"
        try:
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def is_temp(name: str) -> bool:
    return (name.startswith(PREFIX) and name.endswith(SUFFIX)) or name.endswith(".masthead-tmp")


def stale(folder: Path, names: Iterable[str]) -> list[Path]:
    """Of these names in ``folder``, the temporary files of saves that will never finish."""
    out = []
    for name in names:
        ours = _OURS.fullmatch(name)
        if ours is not None:
            pid = int(ours.group(1))
            if pid != os.getpid() and not _alive(pid) and _older_than(folder / name, MIN_AGE):
                out.append(folder / name)
        elif _OLD_STYLE.fullmatch(name) and _older_than(folder / name, OLD_AGE):
            out.append(folder / name)
    return out


def remove(paths: Iterable[Path]) -> int:
    done = 0
    for path in paths:
        try:
            path.unlink()
            done += 1
        except OSError:
            continue
    return done


def clean_once(folder: Path) -> None:
    """Remove the stale temporary files of ``folder``, the first time this process saves there."""
    key = str(folder)
    if key in _cleaned:
        return
    _cleaned.add(key)
    try:
        names = [e.name for e in os.scandir(folder) if is_temp(e.name)]
    except OSError:
        return
    remove(stale(folder, names))


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - os.lstat(path).st_mtime > seconds
    except OSError:
        return False


def _alive(pid: int) -> bool:
    if sys.platform == "win32":
        return True  # os.kill(pid, 0) would send Ctrl+C there: never remove what cannot be checked
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # another user's process (or no way to tell): leave its file alone
    return True
