"""Opening archive files safely: only regular files are ever read (a FIFO named ``x.md`` would block a read
forever, a device would read without end), and the open itself never blocks."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


class NotRegularFile(OSError):
    """The path names something other than a regular file (its ``strerror`` says what)."""


def what_it_is(mode: int) -> str:
    """A file type in words, for messages."""
    for test, words in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return words
    return "not a regular file"


def not_regular(mode: int) -> NotRegularFile:
    return NotRegularFile(0, regular_only(mode))


def regular_only(mode: int) -> str:
    return f"this is {what_it_is(mode)}, not a regular file; Masthead reads and writes only files"


def open_regular(path: Path | str) -> tuple[BinaryIO, os.stat_result]:
    """A regular file opened for reading, and its stat; raises ``NotRegularFile`` for anything else (without
    ever blocking on it), or another OSError."""
    fd, st = open_regular_fd(path)
    try:
        return os.fdopen(fd, "rb"), st
    except BaseException:
        os.close(fd)
        raise


def open_regular_fd(path: Path | str) -> tuple[int, os.stat_result]:
    """``open_regular`` as a file descriptor (the caller closes it): no file object is made, for the index,
    which opens every file of an archive."""
    fd = os.open(path, _FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise not_regular(st.st_mode)
        return fd, st
    except BaseException:
        os.close(fd)
        raise


def read_fd(fd: int, limit: int = -1) -> bytes:
    """Up to ``limit`` bytes from ``fd`` (all to the end if negative), however the system splits the reads."""
    chunks: list[bytes] = []
    got = 0
    while limit < 0 or got < limit:
        chunk = os.read(fd, 1 << 20 if limit < 0 else limit - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_regular(path: Path | str) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and its stat (see ``open_regular``)."""
    fh, st = open_regular(path)
    with fh:
        return fh.read(), st
