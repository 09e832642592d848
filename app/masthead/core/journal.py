"""Journals of bulk operations: where they live, how they are written and read, their history and states.

A journal (JSON, in the user data folder, one subfolder per archive) names every file of an operation with
the hashes of its old and new bytes; the old bytes themselves are kept beside it in a ``.old`` file, read
only to undo. Both are written (fsync'd, atomically) before any file of the operation, and the journal is
rewritten as its state changes: ``applying`` (interrupted if still so), ``done``, ``undone``.
"""

from __future__ import annotations

import base64
import datetime as dt
import errno
import hashlib
import json
import os
import threading
import uuid
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import platformdirs

from masthead.core import storage
from masthead.core.document import Snapshot
from masthead.core.errors import DiskFullError, MastheadError, SaveError
from masthead.core.pacing import pause

KEEP = 20  # operations that can be undone, per archive


def journal_dir(root: Path) -> Path:
    """``$MASTHEAD_DATA_DIR`` or the user data folder, one subfolder per archive."""
    base = os.environ.get("MASTHEAD_DATA_DIR") or platformdirs.user_data_dir("masthead", appauthor=False)
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return Path(base) / "journals" / f"{root.resolve().name[:40]}-{digest}"


def old_bytes_path(journal_path: Path) -> Path:
    """Where a journal keeps the old bytes of its files (beside it; read only to undo)."""
    return journal_path.with_suffix(".old")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write(path: Path, data: dict[str, Any]) -> None:
    """Write a journal atomically and fsync'd."""
    _write_parts(path, [json.dumps(data, ensure_ascii=False).encode("utf-8")])


def common_ends(old: bytes, new: bytes) -> tuple[int, int]:
    """Lengths of the longest common prefix and suffix of two byte strings (not overlapping in either); found
    by bisection, each step one ``startswith``/``endswith`` of a memoryview (a memcmp, no copy: slicing both
    strings copied ~1 MB per 37 KB file, ~50 us of a bulk write's GIL time)."""
    most = min(len(old), len(new))
    view = memoryview(new)
    lo, hi = 0, most
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if old.startswith(view[:mid]):
            lo = mid
        else:
            hi = mid - 1
    prefix, lo, hi = lo, 0, most - lo
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if old.endswith(view[len(new) - mid :]):
            lo = mid
        else:
            hi = mid - 1
    return prefix, lo


CONTEXT = 32  # bytes kept on each side of an operation's change, to find it again in a file changed since


def old_delta(old: bytes, new: bytes, keys: Sequence[str] = ()) -> str:
    """How to make ``old`` from ``new``, and the change in its context (to undo it in a file someone changed
    since): ``c<prefix>:<suffix>:<before>:<after>:<old middle>:<context>:<keys>:<check>``, where ``context``
    is the new middle with up to CONTEXT bytes before and after it (their lengths), ``keys`` the keys the
    edit changed (JSON), those three base64, and ``check`` a hash of all before it. An edit changes the
    front matter only, so this is a few hundred bytes where the whole file was tens of KB.
    (Earlier builds wrote ``d<prefix>:<suffix>:<old middle>``: read, and undone only as whole files.)"""
    prefix, suffix = common_ends(old, new)
    before, after = min(CONTEXT, prefix), min(CONTEXT, suffix)
    context = new[prefix - before : len(new) - suffix + after]
    b64 = base64.b64encode
    middle = b64(old[prefix : len(old) - suffix]).decode("ascii")
    names = b64(json.dumps(list(keys), ensure_ascii=False).encode("utf-8")).decode("ascii")
    text = f"c{prefix}:{suffix}:{before}:{after}:{middle}:{b64(context).decode('ascii')}:{names}"
    return f"{text}:{_check(text)}"


def _check(text: str) -> str:
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:16]


def _eols(data: bytes) -> set[bytes]:
    """The kinds of line ending in ``data``."""
    crlf = data.count(b"\r\n")
    counts = ((b"\r\n", crlf), (b"\n", data.count(b"\n") - crlf), (b"\r", data.count(b"\r") - crlf))
    return {eol for eol, count in counts if count}


def write_old(path: Path, deltas: Sequence[tuple[str, str]]) -> None:
    """Write what undo needs to restore each file (``(rel, old_delta)``) as a JSON object of rel -> delta, one
    file at a time (a single ``json.dumps`` of megabytes holds the GIL throughout: a window's GUI thread
    waited). Earlier builds stored base64 of the zlib'd old bytes; ``old_bytes`` reads both."""

    def parts() -> Iterator[bytes]:
        yield b"{"
        for i, (rel, delta) in enumerate(deltas):
            yield (", " if i else "").encode() + json.dumps(rel, ensure_ascii=False).encode("utf-8")
            yield b': "' + delta.encode("ascii") + b'"'
        yield b"}"

    _write_parts(path, parts())


def read_old(path: Path) -> dict[str, str]:
    """A ``.old`` file: rel -> base64 of the zlib'd bytes. Parsed a value at a time with pauses
    (``core.pacing``: one ``json.loads`` of megabytes held the GIL throughout). ValueError if it is not a
    JSON object."""
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    out: dict[str, str] = {}
    at = _after_space(text, 0)
    if text[at : at + 1] != "{":
        raise ValueError(f"{path}: not a JSON object")
    at = _after_space(text, at + 1)
    if text[at : at + 1] == "}":
        return _ended(path, text, at, out)
    while True:
        if len(out) % 50 == 0:
            pause()
        key, at = decoder.raw_decode(text, at)
        at = _after_space(text, at)
        if text[at : at + 1] != ":" or not isinstance(key, str):
            raise ValueError(f"{path}: expected a name and ':' at character {at}")
        value, at = decoder.raw_decode(text, _after_space(text, at + 1))
        out[key] = value
        at = _after_space(text, at)
        if text[at : at + 1] == "}":
            return _ended(path, text, at, out)
        if text[at : at + 1] != ",":
            raise ValueError(f"{path}: expected ',' or the end at character {at}")
        at = _after_space(text, at + 1)


def _ended(path: Path, text: str, at: int, out: dict[str, str]) -> dict[str, str]:
    """``out``, if only JSON whitespace follows the closing brace at ``at``."""
    if _after_space(text, at + 1) != len(text):
        raise ValueError(f"{path}: more after the end at character {at + 1}")
    return out


def _after_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _write_parts(path: Path, parts: Iterable[bytes]) -> None:
    """Write a journal file atomically: a temporary file, fsync'd, renamed over it, the folder fsync'd. On a
    failure (a full disk) nothing is left behind and ``SaveError`` says so."""
    tmp = path.with_suffix(".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            for part in parts:
                fh.write(part)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
        reason = "the disk is full" if full else (exc.strerror or str(exc))
        error = DiskFullError if full else SaveError
        raise error(f"could not write the operation's journal: {reason}", path) from None
    storage.fsync_folder(path.parent)


class Entry(NamedTuple):
    """A file of an operation, as its journal keeps it: the hashes of its old and new bytes, and ``old_delta``
    (made where the file was planned: the plan itself keeps only the files' heads)."""

    rel: str
    old_sha: str
    new_sha: str
    delta: str


def begin(
    root: Path, description: str, edit: list[Any] | None, list_indent: int, files: Sequence[Entry]
) -> tuple[Path, dict[str, Any]]:
    """Journal an operation on ``files`` before any of them is written: its path and data (state
    ``applying``)."""
    now = dt.datetime.now(dt.UTC)
    path = journal_dir(root) / f"{now.strftime('%Y%m%dT%H%M%S%f')}-{uuid.uuid4().hex[:8]}.json"
    journal = {
        "id": path.stem,
        "description": description,
        "root": str(root),
        "created": now.isoformat(),
        "state": "applying",
        "edit": edit,
        "list_indent": list_indent,
        "files": [{"rel": f.rel, "old_sha": f.old_sha, "new_sha": f.new_sha} for f in files],
    }
    # both fsync'd: the old bytes (large, written once), then the journal proper (small, rewritten as its
    # state changes). A crash from here on can be rolled back.
    try:
        write_old(old_bytes_path(path), [(f.rel, f.delta) for f in files])
        write(path, journal)
    except MastheadError:
        old_bytes_path(path).unlink(missing_ok=True)  # no half-made journal: nothing was written yet
        raise
    return path, journal


class OldCopies:
    """A journal's copies of its files' old bytes (its .old file, loaded once, on first use; journals of
    earlier development builds kept whole old bytes in the entries). Called with an entry and the file's
    new bytes (what is on disk when it is undone), it gives the old bytes; raises MastheadError, naming the
    file, when what the journal holds does not give bytes with the entry's ``old_sha``: nothing is ever
    restored from a damaged journal."""

    def __init__(self, journal_path: Path) -> None:
        self.path = journal_path
        self._store: dict[str, str] = {}
        self._lock = threading.Lock()  # (undo runs files in threads: the .old file is read once)

    def _text(self, entry: dict[str, Any]) -> str:
        with self._lock:
            if not self._store:
                self._store.update(read_old(old_bytes_path(self.path)))
        return self._store[entry["rel"]]

    def __call__(self, entry: dict[str, Any], new: bytes) -> bytes:
        try:
            if "old_z" in entry:
                restored = zlib.decompress(base64.b64decode(entry["old_z"]))
            elif "old" in entry:
                restored = base64.b64decode(entry["old"])
            else:
                restored = _from_stored(self._text(entry), new)
        except OSError as exc:
            raise MastheadError(
                f"the journal's copy of the old files cannot be read ({exc.strerror or exc})", self.path
            ) from None
        except (KeyError, ValueError, TypeError, AttributeError, IndexError, zlib.error) as exc:
            raise MastheadError(f"the journal's copy of {entry.get('rel')} is damaged ({exc})", self.path) from None
        if sha(restored) != entry["old_sha"]:
            raise MastheadError(f"the journal's copy of {entry.get('rel')} is damaged (wrong hash)", self.path)
        return restored

    def change(self, entry: dict[str, Any]) -> Change | None:
        """The operation's change to this file, in its context, as the journal keeps it; None for journals of
        earlier builds, or a copy that is damaged (its check does not hold)."""
        if "old_z" in entry or "old" in entry:
            return None
        try:
            text = self._text(entry)
            if not isinstance(text, str) or not text.startswith("c"):
                return None
            body, check = text.rsplit(":", 1)
            if _check(body) != check:
                return None
            _prefix, _suffix, before, after, middle, context, names = body[1:].split(":")
            b64 = base64.b64decode
            old_middle, new_context = b64(middle, validate=True), b64(context, validate=True)
            keys = json.loads(b64(names, validate=True).decode("utf-8"))
            head, tail = int(before), len(new_context) - int(after)
        except (OSError, KeyError, ValueError, TypeError, AttributeError):
            return None
        if not 0 <= head <= tail <= len(new_context) or not isinstance(keys, list):
            return None
        old_context = new_context[:head] + old_middle + new_context[tail:]
        return Change(old_context, new_context, frozenset(str(k) for k in keys))


class Change(NamedTuple):
    """An operation's change to one file: its bytes before and after, each with the same context around."""

    old: bytes
    new: bytes
    keys: frozenset[str]  # the keys the edit changed

    def swap(self, current: bytes, undoing: bool) -> bytes | None:
        """``current`` (a file changed since the operation) with the change taken back (or, not ``undoing``,
        made again) where it is found whole, with its context, exactly once; else None. Nor where the bytes
        put would bring a kind of line ending the file no longer has (it was converted since). The caller
        checks that the result is what the operation's edit makes of it (or gives it)."""
        find, put = (self.new, self.old) if undoing else (self.old, self.new)
        at = current.find(find) if find else -1
        if at < 0 or current.find(find, at + 1) >= 0 or not _eols(put) <= _eols(current):
            return None
        return current[:at] + put + current[at + len(find) :]


def old_bytes(journal_path: Path) -> OldCopies:
    """The old bytes of a journal's files (see ``OldCopies``)."""
    return OldCopies(journal_path)


def _from_stored(text: str, new: bytes) -> bytes:
    if text[:1] not in ("c", "d"):  # (base64 of zlib'd bytes begins with "e")
        return zlib.decompress(base64.b64decode(text, validate=True))
    prefix, suffix, *rest = text[1:].split(":")
    middle = rest[2] if text[0] == "c" else rest[0]
    start, end = int(prefix), len(new) - int(suffix)
    if not 0 <= start <= end <= len(new):
        raise ValueError("the delta does not fit the file")
    return new[:start] + base64.b64decode(middle, validate=True) + new[end:]


def prune(folder: Path) -> None:
    """Keep the ``KEEP`` newest finished journals of a folder (interrupted and damaged ones are never
    dropped: the first can be recovered, the second hold old bytes someone may need)."""
    finished = [j for j in history_in(folder) if j.get("state") not in ("applying", "damaged")]
    for old in finished[KEEP:]:
        Path(old["_path"]).unlink(missing_ok=True)
        old_bytes_path(Path(old["_path"])).unlink(missing_ok=True)


def history_in(folder: Path) -> list[dict[str, Any]]:
    """The journals of a folder, newest first, each with its ``_path`` (damaged ones are left out)."""
    entries = []
    for path in sorted(folder.glob("*.json"), reverse=True):
        try:
            data = journal_info(path)
        except MastheadError as exc:  # listed as damaged: never trusted, never silently gone
            data = {"id": path.stem, "state": "damaged", "description": exc.message, "files": [], "created": ""}
        data["_path"] = str(path)
        entries.append(data)
    return entries


def journal_info(journal_path: Path) -> dict[str, Any]:
    """One journal's description, state, root and files (never the old bytes); MastheadError if it is damaged."""
    try:
        data = json.loads(journal_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not readable JSON: cut short or overwritten"
        raise MastheadError(f"damaged journal ({reason}): nothing will be restored from it", journal_path) from None
    fields_ok = (
        isinstance(data, dict)
        and isinstance(data.get("files"), list)
        and isinstance(data.get("root"), str)
        and (data.get("edit") is None or isinstance(data.get("edit"), list))
    )
    if not fields_ok or not all(isinstance(f, dict) and {"rel", "old_sha", "new_sha"} <= set(f) for f in data["files"]):
        raise MastheadError(
            "damaged journal (its list of files is incomplete): nothing will be restored from it", journal_path
        )
    return dict(data)


def history(root: Path) -> list[dict[str, Any]]:
    """Journals of the archive, newest first (the number of files instead of the list)."""
    return [
        {k: v for k, v in j.items() if k != "files"} | {"files": len(j.get("files", []))}
        for j in history_in(journal_dir(root))
    ]


def unfinished(root: Path) -> list[Path]:
    """Journals of operations that were interrupted (a crash or a kill): to complete or roll back."""
    return [Path(j["_path"]) for j in history_in(journal_dir(root)) if j.get("state") == "applying"]


def state_on_disk(root: Path, entry: dict[str, Any]) -> tuple[str, Snapshot | None, bytes]:
    """Which version of a journaled file is on disk: ``new``, ``old``, ``other`` (someone else changed it)
    or ``missing``; with its snapshot and bytes."""
    try:
        current, snap = storage.read_bytes(root / entry["rel"])
    except MastheadError:
        return "missing", None, b""
    digest = snap.sha256  # (the read's own hash: not hashed twice)
    if digest == entry["new_sha"]:
        return "new", snap, current
    if digest == entry["old_sha"]:
        return "old", snap, current
    return "other", snap, current


def finish(journal_path: Path, journal: dict[str, Any], state: str, action: str, counts: tuple[int, int, int]) -> None:
    """Record the new state, and what an undo or redo did (``counts``: changed, unchanged, left; the
    history shows a run that changed nothing as such, not as "done")."""
    changed, unchanged, left = counts
    journal["state"] = state
    journal["last"] = {"action": action, "changed": changed, "unchanged": unchanged, "left": left}
    write(journal_path, journal)
