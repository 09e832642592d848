"""Advisory locks between Masthead processes: one per file around a save's check-and-replace, one per archive
for bulk operations (``archive_lock``). A lock is the operating system's (``flock``): a process that dies
frees it. Where there is no ``fcntl`` (Windows) these locks do nothing."""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

WAIT = 10.0  # seconds a save waits for another process's save of the same file


class Busy(OSError):
    """Another process holds the lock."""


def try_lock(fd: int) -> bool:
    """Take an exclusive lock on an open file without waiting; False if another process holds it."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        # held by another process; any other error: no locks on this file system (NFS without lockd, some
        # SMB mounts), so go on without one, as before locks were used
        return exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES)


@contextlib.contextmanager
def file_lock(path: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the lock of one file (its inode) while a save checks and replaces it. Waits up to ``wait``
    seconds (``WAIT``) for another Masthead's save of it, then raises ``Busy``."""
    if fcntl is None:  # no locks here; and an open file could not be replaced on Windows
        yield
        return
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        yield  # nothing to lock (not there, or unreadable): the save's own checks report it
        return
    try:
        deadline = time.monotonic() + (WAIT if wait is None else wait)
        while not try_lock(fd):
            if time.monotonic() > deadline:
                raise Busy(errno.EBUSY, "another program is saving this file")
            time.sleep(0.005)
        yield
    finally:
        os.close(fd)  # closing frees the lock
