"""Index records: what the archive index knows about one file, and how a record is cached as JSON."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import marshal
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from masthead.core.values import Value, to_json

LIST_FIELDS = ("tags", "project", "people", "companies_orgs", "products_models", "media_books")
CHOICE_FIELDS = ("category", "area", "status", "layout", "speaker")


@dataclass(slots=True)
class Record:
    """One file of the archive: its path relative to the archive root, stat, front matter and error."""

    path: str
    size: int
    mtime_ns: int
    meta: dict[str, Value] = field(default_factory=dict)
    kind: str = "yaml"
    error: str | None = None
    error_line: int | None = None

    def text(self, key: str) -> str:
        """A field as display text ('' when missing or empty)."""
        value = self.meta.get(key)
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)

    @property
    def title(self) -> str:
        return self.text("title")

    @property
    def date(self) -> dt.date | None:
        """The ``date`` field as a date, whether written as a YAML date or as a string."""
        return as_date(self.meta.get("date"))

    @property
    def lists(self) -> dict[str, list[str]]:
        """Every list-of-strings field (tags, entities, and any other)."""
        return {k: v for k, v in self.meta.items() if is_string_list(v)}

    @property
    def folder(self) -> str:
        return self.path.rpartition("/")[0]

    def to_json(self) -> dict[str, Any]:
        """The record as JSON (dates as ISO strings), as ``masthead index --json`` prints it."""
        out: dict[str, Any] = {"path": self.path, "size": self.size, "mtime_ns": self.mtime_ns}
        out["error"] = self.error
        if self.error_line is not None:
            out["error_line"] = self.error_line
        out["kind"] = self.kind
        out["meta"] = to_json(self.meta)
        return out


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many acyclic records are created (it would rescan every
    live object again and again); reference counting still frees everything. The objects made meanwhile
    then join the oldest generation (``freeze`` and ``unfreeze``: two list splices), where only the rare
    full collections look at them: enabled with them all young, the collector's next pass went over every
    one (a warm reopen of 10,000 records: 25-55 ms of its ~160). Not while objects are frozen (the window
    freezes a loaded archive's): ``unfreeze`` would let them all go back to the collector."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def is_string_list(value: Value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def as_date(value: Value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def encode(record: Record) -> bytes:
    """Compact cache form: a CRC32 then a marshal dump; top-level dates are listed to come back as dates.

    marshal is several times faster to load than JSON; the checksum makes a damaged row fail cleanly
    (``ValueError``) before marshal ever reads it.
    """
    meta, dates = encode_meta(record.meta)
    body = marshal.dumps((record.kind, record.error, record.error_line, meta, dates))
    return zlib.crc32(body).to_bytes(4, "little") + body


def encode_meta(meta: dict[str, Value]) -> tuple[dict[str, Any], dict[str, str]]:
    """(front matter as plain marshal-able data, {key: "t" or "d"} for the top-level datetimes and dates)."""
    plain: dict[str, Any] = {}
    dates: dict[str, str] = {}
    for key, value in meta.items():
        if isinstance(value, dt.datetime):
            dates[key] = "t"
            value = value.isoformat()
        elif isinstance(value, dt.date):
            dates[key] = "d"
            value = value.isoformat()
        plain[key] = _marshalable(value)
    return plain, dates


def _marshalable(value: Value) -> Value:
    if isinstance(value, list):
        return [_marshalable(v) for v in value]
    if isinstance(value, dict):
        return {k: _marshalable(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()  # nested dates are rare; they come back as text
    return value


def decode(path: str, size: int, mtime_ns: int, blob: bytes) -> Record:
    """The record ``encode`` wrote; ValueError if the blob is damaged."""
    body = bytes(blob[4:])
    if len(blob) < 5 or zlib.crc32(body) != int.from_bytes(blob[:4], "little"):
        raise ValueError("damaged cache row")
    kind, error, error_line, meta, dates = marshal.loads(body)
    for key, how in dates.items():
        meta[key] = dt.datetime.fromisoformat(meta[key]) if how == "t" else dt.date.fromisoformat(meta[key])
    return Record(path, size, mtime_ns, meta, kind, error, error_line)
