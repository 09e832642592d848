"""One bulk change at a time per archive, across processes: a bulk operation, an undo, a redo or a recovery
holds the archive's lock (an OS lock on a file beside its journals, freed when its process dies) and writes
there who holds it, so that another Masthead can say what it waits for."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from masthead.core.errors import MastheadError
from masthead.core.filelock import try_lock
from masthead.core.journal import journal_dir

PROBE_WAIT = 0.5  # seconds ``hold`` retries: another process's ``holder()`` check holds the lock an instant
_held: dict[str, Holder] = {}  # archives this process holds, by journal folder
_guard = threading.Lock()


class ArchiveBusy(MastheadError):
    """Another bulk change holds the archive."""


@dataclass
class Holder:
    """This process's hold on an archive (``note`` records the journal it writes)."""

    fd: int
    info: dict[str, Any] = field(default_factory=dict)
    folder_fd: int | None = None  # the archive folder's own lock (held against other users too)
    thread: int = 0  # the thread holding it, which may hold it again inside (a plan, then its apply)

    def note(self, journal_id: str) -> None:
        self.info["journal"] = journal_id
        _write_info(self.fd, self.info)


def lock_path(root: Path) -> Path:
    return journal_dir(root) / "lock"


@contextlib.contextmanager
def hold(root: Path, what: str) -> Iterator[Holder]:
    """Hold the archive for a bulk change described by ``what`` ("tagging 1,000 files"), or raise
    ``ArchiveBusy`` naming what holds it."""
    path = lock_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = str(path.parent)
    with _guard:
        inner = _held.get(key)
        if inner is not None and inner.thread != threading.get_ident():
            raise ArchiveBusy(f"this Masthead is already {inner.info.get('what', 'changing files')} here")
    if inner is not None:  # held by this very thread (the command around the operation): held on
        inner.info["what"] = what
        _write_info(inner.fd, inner.info)
        yield inner
        return
    with _guard:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        if not _take(fd, PROBE_WAIT):  # ``holder()`` elsewhere takes it for an instant: that is not a holder
            os.close(fd)
            raise ArchiveBusy(busy_message(_read_info(path)), path=root)
        folder_fd = _folder_lock(root)
        if folder_fd == -1:
            os.close(fd)
            raise ArchiveBusy(busy_message({"what": "changing files", "other": True}), path=root)
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "what": what,
            "since": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        holder = _held[key] = Holder(fd, info, folder_fd, threading.get_ident())
        _write_info(fd, info)
    try:
        yield holder
    finally:
        with _guard:
            _held.pop(key, None)
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            os.close(fd)  # frees the lock
            if folder_fd is not None:
                os.close(folder_fd)


def holder(root: Path) -> dict[str, Any] | None:
    """Who holds the archive now (another process, or this one), or None when nobody does."""
    path = lock_path(root)
    key = str(path.parent)
    with _guard:
        if key in _held:
            return dict(_held[key].info)
        try:
            fd = os.open(path, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            fd = -1
        try:
            if fd >= 0 and not try_lock(fd):
                return _read_info(path) or {"what": "changing files"}
        finally:
            if fd >= 0:
                os.close(fd)
        folder_fd = _folder_lock(root, wait=0)
        if folder_fd == -1:
            return {"what": "changing files", "other": True}  # another user's Masthead, or another data folder
        if folder_fd is not None:
            os.close(folder_fd)
        return None


def _folder_lock(root: Path, wait: float = PROBE_WAIT) -> int | None:
    """The archive folder's lock, taken: its descriptor; -1 if another process holds it; None where folders
    cannot be locked (then the per-user lock is all there is)."""
    try:
        fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    if not _take(fd, wait):
        os.close(fd)
        return -1
    return fd


def _take(fd: int, wait: float) -> bool:
    """Take the lock of ``fd``, trying again for up to ``wait`` seconds; False if another process keeps it."""
    deadline = time.monotonic() + wait
    while not try_lock(fd):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True


def busy_message(info: dict[str, Any] | None) -> str:
    info = info or {}
    if info.get("other"):
        return (
            "another Masthead (another user's, or one using another data folder) is changing files in this "
            "archive; try again when it ends"
        )
    who = f"process {info['pid']}" if "pid" in info else "another process"
    if info.get("host") and info.get("host") != socket.gethostname():
        who += f" on {info['host']}"
    since = f" since {info['since'][11:16]}" if isinstance(info.get("since"), str) else ""
    what = info.get("what", "changing files")
    return f"another Masthead ({who}) is {what} in this archive{since}; try again when it ends"


def _write_info(fd: int, info: dict[str, Any]) -> None:
    data = json.dumps(info).encode()
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, data)


def _read_info(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
