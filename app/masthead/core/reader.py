"""Front-matter reading for the index, fast and the way the editor reads it.

The editor (ruamel.yaml round-trip, YAML 1.2) is the reference; YAML blocks go through the fast C-loader
reader (``fastyaml``), which reads values by the same rules. Files are split by the same byte splitter as the
editor. When the fast path declines, the editor's parser decides, so a broken file gets the very message the
editor shows.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

from masthead.core import records
from masthead.core.document import Document
from masthead.core.errors import MastheadError, ParseError
from masthead.core.fastyaml import read_block
from masthead.core.records import Record, gc_paused
from masthead.core.split import split

Row = tuple[str, int, int, bytes]  # a cache row: relative path, size, mtime_ns, encoded record
HEAD = 16384  # bytes read first: the front matter nearly always fits; the body is not needed


def read_meta(raw: bytes) -> tuple[str, dict[str, Any]]:
    """(kind, front matter) of a file's bytes; raises MastheadError exactly where the editor would."""
    return fast_meta(raw) or _read_as_editor(raw)


def fast_meta(raw: bytes) -> tuple[str, dict[str, Any]] | None:
    """(kind, front matter) by the fast path alone, or None when it declines (then the editor decides).

    Raises ParseError when the file cannot even be split (the editor says the same)."""
    parts = split(raw)
    if parts.kind == "none":
        return "none", {}
    try:
        text = parts.block.decode("utf-8")
        if parts.kind == "toml":
            return "toml", tomllib.loads(text)
        data = json.loads(text) if parts.kind == "json" else read_block(text)
    except Exception:
        return None
    if isinstance(data, dict) and all(isinstance(k, str) for k in data):
        return parts.kind, data
    return None


def _read_as_editor(raw: bytes) -> tuple[str, dict[str, Any]]:
    doc = Document(raw)
    if doc.error is not None:
        raise doc.error
    return doc.kind, doc.data


def read_record(root: str, relpath: str, size: int = -1, mtime_ns: int = -1) -> Record:
    """Read one file of the archive into a record; problems become the record's error, never raise."""
    full = os.path.join(root, relpath)
    try:
        with open(full, "rb") as fh:
            if size < 0:
                st = os.fstat(fh.fileno())
                size, mtime_ns = st.st_size, st.st_mtime_ns
            raw = fh.read(HEAD)
            if len(raw) == HEAD and not _head_is_enough(raw):
                raw += fh.read()
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
        kind, meta = read_meta(raw)
    except MastheadError as exc:
        return Record(relpath, size, mtime_ns, {}, split_kind(raw), exc.message, exc.line)
    return Record(relpath, size, mtime_ns, meta, kind)


def split_kind(raw: bytes) -> str:
    try:
        return split(raw).kind
    except ParseError:
        return "yaml"


def _head_is_enough(head: bytes) -> bool:
    """Whether the first bytes read hold the whole front matter (its closing line ends before the end)."""
    try:
        parts = split(head)
    except ParseError:
        return False
    return parts.kind == "none" or len(parts.body) > 0


def read_records(root: str, items: list[tuple[str, int, int]]) -> list[Record]:
    """Worker entry point: read a chunk of (relative path, size, mtime_ns)."""
    with gc_paused():
        return [read_record(root, rel, size, mtime) for rel, size, mtime in items]


def read_rows(root: str, items: list[tuple[str, int, int]]) -> list[Row]:
    """Like ``read_records``, but each record already in its cache form (what workers send back)."""
    return [(r.path, r.size, r.mtime_ns, records.encode(r)) for r in read_records(root, items)]


def read_path(path: Path) -> Record:
    """A record for one file given by its full path (relative path = its name)."""
    return read_record(str(path.parent), path.name)
