"""The index cache's snapshot: every record of an archive in a few large marshal pieces.

A piece is one ``marshal.dumps`` of many records in which equal short strings (keys, tags, people, status
values...) are one object, so marshal writes each once and refers back to it: loading builds each such
string once (faster than one load per record, and the records then share them: a third of the memory).
Each piece carries a CRC32, so a damaged one fails cleanly (``ValueError``) and is not trusted.
"""

from __future__ import annotations

import datetime as dt
import marshal
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

from masthead.core.pacing import pause
from masthead.core.records import Record
from masthead.core.values import Value

PIECE = 2000  # records per piece: one marshal call each (a few ms), so a host thread never holds the GIL long
SHARED = 80  # strings up to this length are shared; longer ones (summaries) are nearly always unique
Entry = tuple[str, int, int, str, "str | None", "int | None", dict[str, Any], dict[str, str]]


def pack(items: Iterable[Record], size: int = PIECE) -> Iterator[bytes]:
    """The pieces of a snapshot of ``items``, ``size`` records each (0: all in one)."""
    pool: dict[str, str] = {}
    piece: list[Entry] = []
    for record in items:
        meta, dates = _shared_meta(record.meta, pool)
        piece.append(
            (record.path, record.size, record.mtime_ns, record.kind, record.error, record.error_line, meta, dates)
        )
        if len(piece) == size:
            yield _dump(piece)
            piece = []
            pause()
    if piece:
        yield _dump(piece)


def _shared_meta(meta: dict[str, Value], pool: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """``records.encode_meta`` and the sharing of short strings through ``pool``, in one walk of the values (the
    workers' share of a cold index)."""
    out: dict[str, Any] = {}
    dates: dict[str, str] = {}
    for key, value in meta.items():
        key = pool.setdefault(key, key)
        if type(value) is str:
            out[key] = pool.setdefault(value, value) if len(value) <= SHARED else value
        elif isinstance(value, dt.date):
            dates[key] = "t" if isinstance(value, dt.datetime) else "d"
            out[key] = value.isoformat()
        else:
            out[key] = _shared(value, pool)
    return out, dates


def _shared(value: Value, pool: dict[str, str]) -> Value:
    if isinstance(value, str):
        return pool.setdefault(value, value) if len(value) <= SHARED else value
    if isinstance(value, list):
        return [_shared(v, pool) for v in value]
    if isinstance(value, dict):
        return {k: _shared(v, pool) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()  # nested dates are rare; they come back as text (as records.encode_meta)
    return value


def pack_one(items: Iterable[Record]) -> bytes:
    """A snapshot piece of ``items``, however many."""
    pieces = list(pack(items, size=0))
    return pieces[0] if pieces else _dump([])


def _dump(piece: list[Entry]) -> bytes:
    body = marshal.dumps(piece)
    return zlib.crc32(body).to_bytes(4, "little") + body


def unpack(blob: bytes) -> list[Entry]:
    """The entries of one piece; ValueError if it is damaged."""
    body = bytes(blob[4:])
    if len(blob) < 5 or zlib.crc32(body) != int.from_bytes(blob[:4], "little"):
        raise ValueError("damaged snapshot piece")
    try:
        entries = marshal.loads(body)
    except (EOFError, TypeError) as exc:
        raise ValueError("damaged snapshot piece") from exc
    if not isinstance(entries, list):
        raise ValueError("damaged snapshot piece")
    return entries


def record_of(entry: Entry) -> Record:
    """The record an entry holds (its dates made dates again)."""
    path, size, mtime_ns, kind, error, error_line, meta, dates = entry
    for key, how in dates.items():
        meta[key] = dt.datetime.fromisoformat(meta[key]) if how == "t" else dt.date.fromisoformat(meta[key])
    return Record(path, size, mtime_ns, meta, kind, error, error_line)
