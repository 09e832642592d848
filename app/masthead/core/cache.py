"""The index cache: one SQLite file per archive in the user cache folder, keyed by path, size and mtime.

A record is reused only if the file's size and mtime are exactly those cached. A cache that cannot be
read, is from another format version, or belongs to another folder is deleted and rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import operator
import os
import sqlite3
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

import platformdirs

from masthead.core import records, snapshot
from masthead.core.pacing import paced, pause
from masthead.core.records import Record

_first = operator.itemgetter(0)  # an entry's path

DEAD_SLACK = 1000  # dead snapshot entries tolerated beyond as many as there are live ones
FORMAT = f"5-py{sys.version_info[0]}.{sys.version_info[1]}"  # marshal is per Python version (5: error lines)


def cache_dir() -> Path:
    """``$MASTHEAD_CACHE_DIR`` if set, else the platform's user cache folder for Masthead."""
    override = os.environ.get("MASTHEAD_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("masthead", appauthor=False))


BUSY_WAIT = 10.0  # seconds a connection waits for another process's write to end


def is_busy(exc: sqlite3.Error) -> bool:
    """Whether an error says another connection holds the database (not that the file is damaged)."""
    return isinstance(exc, sqlite3.OperationalError) and any(w in str(exc) for w in ("locked", "busy"))


def cache_path(root: Path) -> Path:
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return cache_dir() / f"index-{root.resolve().name[:40]}-{digest}.sqlite"


class IndexCache:
    """Records of one archive, as last read: a snapshot of them all (``snapshot``) and, in ``files``, the
    rows read since it was taken (a row always wins over the snapshot; ``gone`` lists paths removed since)."""

    def __init__(self, root: Path, path: Path | None = None) -> None:
        self.root = root.resolve()
        self.path = path or cache_path(root)
        self._rows: dict[str, tuple[int, int, bytes]] = {}
        self._snap: set[str] = set()  # the paths the snapshot holds (minus gone ones)
        self._entries: dict[str, snapshot.Entry] = {}  # snapshot entries not yet taken by ``get``
        self._entry_count = 0  # entries in the stored snapshot, dead ones included
        self._gone: set[str] = set()  # the paths in the ``gone`` table
        self.rebuilt = False
        self._lock = threading.RLock()  # one connection, used from the loader, refresh jobs and close()
        self._db = self._open()

    def _open(self) -> sqlite3.Connection | None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = self._connect()
            if db is None:
                self._discard()
                db = self._connect()
            return db
        except (OSError, sqlite3.Error):
            return None  # no cache at all: everything is read from the files

    def _connect(self) -> sqlite3.Connection | None:
        try:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_WAIT)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS info (k TEXT PRIMARY KEY, v TEXT)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, record BLOB)"
            )
            db.execute("CREATE TABLE IF NOT EXISTS snapshot (piece INTEGER PRIMARY KEY, data BLOB)")
            db.execute("CREATE TABLE IF NOT EXISTS gone (path TEXT PRIMARY KEY)")
            info = dict(db.execute("SELECT k, v FROM info").fetchall())
            if not info:
                db.executemany("INSERT INTO info VALUES (?, ?)", [("format", FORMAT), ("root", str(self.root))])
            elif info.get("format") != FORMAT or info.get("root") != str(self.root):
                db.close()
                return None
            with records.gc_paused():
                self._load_snapshot(db)
                rows = db.execute("SELECT path, size, mtime_ns, record FROM files")
                self._rows = {p: (s, m, r) for p, s, m, r in paced(rows, 500)}
            return db
        except sqlite3.DatabaseError as exc:
            if is_busy(exc):
                raise  # held by another process for long: no cache this time, and nothing deleted
            return None

    def _load_snapshot(self, db: sqlite3.Connection) -> None:
        entries: dict[str, snapshot.Entry] = {}
        count = 0
        for (data,) in db.execute("SELECT data FROM snapshot ORDER BY piece"):
            pause()
            try:
                piece = snapshot.unpack(data)
            except ValueError:
                entries, count = {}, 0  # a damaged piece: the snapshot is not trusted at all
                break
            count += len(piece)
            entries.update(zip(map(_first, piece), piece, strict=True))  # (in C: no Python call per entry)
        self._gone = {path for (path,) in db.execute("SELECT path FROM gone")}
        for path in self._gone:
            entries.pop(path, None)
        self._entries = entries
        self._snap = set(entries)
        self._entry_count = count

    def _discard(self) -> None:
        self.rebuilt = True
        self._rows, self._snap, self._entries, self._gone = {}, set(), {}, set()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(str(self.path) + suffix)

    @property
    def empty(self) -> bool:
        """Whether it holds no record (a first build)."""
        return not self._rows and not self._entries

    def take(self, files: Iterable[tuple[str, int, int]]) -> tuple[list[Record], list[tuple[str, int, int]]]:
        """Of ``(path, size, mtime_ns)``: the cached records of the files that still have that size and mtime,
        and the files there is none for (``get`` for a whole archive, in one loop)."""
        hits: list[Record] = []
        misses: list[tuple[str, int, int]] = []
        rows, entries, record_of = self._rows, self._entries, snapshot.record_of
        for item in files:
            path, size, mtime_ns = item
            if path not in rows:
                entry = entries.pop(path, None)
                if entry is not None and entry[1] == size and entry[2] == mtime_ns:
                    if entry[7]:  # dates to make dates again
                        hits.append(record_of(entry))
                    else:
                        hits.append(Record(path, size, mtime_ns, entry[6], entry[3], entry[4], entry[5]))
                    continue
            else:
                hit = self.get(path, size, mtime_ns)
                if hit is not None:
                    hits.append(hit)
                    continue
            misses.append(item)
        return hits, misses

    def get(self, path: str, size: int, mtime_ns: int) -> Record | None:
        """The cached record if the file still has this size and mtime; a bad row is ignored."""
        row = self._rows.get(path)
        if row is None:
            entry = self._entries.pop(path, None)
            if entry is None or entry[1] != size or entry[2] != mtime_ns:
                return None
            return snapshot.record_of(entry)
        if row[0] != size or row[1] != mtime_ns:
            return None
        try:
            return records.decode(path, size, mtime_ns, row[2])
        except (ValueError, TypeError, KeyError, EOFError):
            return None

    def put(self, items: Iterable[Record]) -> None:
        self.put_rows([(r.path, r.size, r.mtime_ns, records.encode(r)) for r in items])

    def put_rows(self, rows: list[tuple[str, int, int, bytes]]) -> None:
        """Store records already in their cache form."""
        with self._lock:
            for path, size, mtime, text in rows:
                self._rows[path] = (size, mtime, text)
            if self._db is not None and rows:
                try:
                    with self._db:
                        self._db.execute("BEGIN")
                        self._db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", rows)
                except sqlite3.Error:
                    self._db = None

    def remove(self, paths: Iterable[str]) -> None:
        with self._lock:
            gone = []
            for p in paths:
                in_rows = self._rows.pop(p, None) is not None
                in_snap = p in self._snap
                self._snap.discard(p)
                self._entries.pop(p, None)
                if in_rows or in_snap:
                    gone.append((p,))
                    self._gone.add(p)
            if self._db is not None and gone:
                with contextlib.suppress(sqlite3.Error), self._db:
                    self._db.execute("BEGIN")
                    self._db.executemany("DELETE FROM files WHERE path = ?", gone)
                    self._db.executemany("INSERT OR IGNORE INTO gone VALUES (?)", gone)

    def add_piece(self, piece: bytes, stamps: list[tuple[str, int, int]]) -> None:
        """Add a snapshot piece (``snapshot.pack``) holding records with these (path, size, mtime_ns): it
        replaces their rows and earlier entries."""
        with self._lock:
            rows = [(path,) for path, _, _ in stamps if self._rows.pop(path, None) is not None]
            gone = [(path,) for path, _, _ in stamps if path in self._gone]
            self._gone.difference_update(path for (path,) in gone)
            self._snap.update(path for path, _, _ in stamps)
            self._entry_count += len(stamps)
            if self._db is None:
                return
            try:
                with self._db:
                    self._db.execute("BEGIN")
                    self._db.execute("INSERT INTO snapshot (data) VALUES (?)", (piece,))
                    self._db.executemany("DELETE FROM files WHERE path = ?", rows)  # (none in a first build)
                    self._db.executemany("DELETE FROM gone WHERE path = ?", gone)
            except sqlite3.Error:
                self._db = None

    def settle(self, current: dict[str, Record], limit: int) -> None:
        """After a build (``current``: every record): fold rows into the snapshot when more than ``limit``
        records came from rows, and rewrite the snapshot when most of its entries are dead."""
        self._entries = {}  # entries not taken by now are of files gone or changed
        with self._lock:
            live = len(self._snap)
            if self._entry_count > 2 * live + DEAD_SLACK:
                self._write(list(current.values()))
            elif len(self._rows) > limit:
                folded = [current[p] for p in self._rows if p in current]
                for start in range(0, len(folded), snapshot.PIECE):
                    part = folded[start : start + snapshot.PIECE]
                    self.add_piece(snapshot.pack_one(part), [(r.path, r.size, r.mtime_ns) for r in part])

    def _write(self, items: list[Record]) -> None:
        """Replace the whole snapshot with ``items`` (every record) and forget the rows and removals."""
        pieces = list(snapshot.pack(items))
        if self._db is not None:
            try:
                with self._db:
                    self._db.execute("BEGIN")
                    self._db.execute("DELETE FROM snapshot")
                    self._db.executemany("INSERT INTO snapshot VALUES (?, ?)", enumerate(pieces))
                    self._db.execute("DELETE FROM files")
                    self._db.execute("DELETE FROM gone")
            except sqlite3.Error:
                self._db = None
                return
        self._rows, self._entries, self._gone = {}, {}, set()
        self._snap = {r.path for r in items}
        self._entry_count = len(items)

    def known_paths(self) -> set[str]:
        with self._lock:
            return set(self._rows) | set(self._snap)

    def close(self) -> None:
        """Close the database; later writes only update the in-memory rows."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
