"""Front-matter reading for the index: the editor's own splitter and reader (``block``, ``yamlread``), so a
value reads the same in both and a broken file gets the very message the editor shows."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from masthead.core import snapshot
from masthead.core.block import parse_block
from masthead.core.errors import MastheadError, ParseError
from masthead.core.records import Record, gc_paused
from masthead.core.safe_io import open_regular_fd, read_fd
from masthead.core.split import Parts, split

HEAD = 16384  # bytes read first: the front matter nearly always fits; the body is not needed


def read_meta(raw: bytes, parts: Parts | None = None) -> tuple[str, dict[str, Any]]:
    """(kind, front matter) of a file's bytes (``parts``: their split, if made already); raises MastheadError
    exactly as the editor does (one reader)."""
    parts = split(raw) if parts is None else parts
    if parts.kind == "none":
        return "none", {}
    return parts.kind, parse_block(parts, lines=False).original


def read_record(root: str, relpath: str, size: int = -1, mtime_ns: int = -1) -> Record:
    """Read one file of the archive into a record; problems become the record's error, never raise."""
    full = os.path.join(root, relpath)
    try:
        fd, st = open_regular_fd(full)
        try:
            if size < 0:
                size, mtime_ns = st.st_size, st.st_mtime_ns
            raw = read_fd(fd, HEAD)
            parts = _head_parts(raw) if len(raw) == HEAD else None
            if len(raw) == HEAD and parts is None:
                raw += read_fd(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        return Record(
            relpath,
            max(size, 0),
            max(mtime_ns, 0),
            {},
            "none",
            f"cannot read the file: {exc.strerror or exc}",
        )
    try:
        kind, meta = read_meta(raw, parts)
    except MastheadError as exc:
        return Record(relpath, size, mtime_ns, {}, split_kind(raw), exc.message, exc.line)
    return Record(relpath, size, mtime_ns, meta, kind)


def split_kind(raw: bytes) -> str:
    try:
        return split(raw).kind
    except ParseError:
        return "yaml"


def _head_parts(head: bytes) -> Parts | None:
    """The split of a file's first bytes if they hold the whole front matter (its closing line ends before
    their end: the split of the whole file has the same block), else None."""
    try:
        parts = split(head)
    except ParseError:
        return None
    return parts if parts.kind == "none" or len(parts.body) > 0 else None


def read_records(root: str, items: list[tuple[str, int, int]]) -> list[Record]:
    """Worker entry point: read a chunk of (relative path, size, mtime_ns)."""
    with gc_paused():
        return [read_record(root, rel, size, mtime) for rel, size, mtime in items]


def read_piece(root: str, items: list[tuple[str, int, int]]) -> bytes:
    """Like ``read_records``, as one snapshot piece (what workers send back: the parent unpacks it once and
    stores it as it is)."""
    return snapshot.pack_one(read_records(root, items))


def read_path(path: Path) -> Record:
    """A record for one file given by its full path (relative path = its name)."""
    return read_record(str(path.parent), path.name)
