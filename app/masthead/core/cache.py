"""The index cache: one SQLite file per archive in the user cache folder, keyed by path, size and mtime.

A record is reused only if the file's size and mtime are exactly those cached. A cache that cannot be
read, is from another format version, or belongs to another folder is deleted and rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

import platformdirs

from masthead.core import records
from masthead.core.pacing import paced
from masthead.core.records import Record

FORMAT = f"4-py{sys.version_info[0]}.{sys.version_info[1]}"  # marshal is per Python version


def cache_dir() -> Path:
    """``$MASTHEAD_CACHE_DIR`` if set, else the platform's user cache folder for Masthead."""
    override = os.environ.get("MASTHEAD_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("masthead", appauthor=False))


def cache_path(root: Path) -> Path:
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return cache_dir() / f"index-{root.resolve().name[:40]}-{digest}.sqlite"


class IndexCache:
    """Records of one archive, as last read."""

    def __init__(self, root: Path, path: Path | None = None) -> None:
        self.root = root.resolve()
        self.path = path or cache_path(root)
        self._rows: dict[str, tuple[int, int, bytes]] = {}
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
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS info (k TEXT PRIMARY KEY, v TEXT)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, record BLOB)"
            )
            info = dict(db.execute("SELECT k, v FROM info").fetchall())
            if not info:
                db.executemany("INSERT INTO info VALUES (?, ?)", [("format", FORMAT), ("root", str(self.root))])
            elif info.get("format") != FORMAT or info.get("root") != str(self.root):
                db.close()
                return None
            with records.gc_paused():
                rows = db.execute("SELECT path, size, mtime_ns, record FROM files")
                self._rows = {p: (s, m, r) for p, s, m, r in paced(rows, 500)}
            return db
        except sqlite3.DatabaseError:
            return None

    def _discard(self) -> None:
        self.rebuilt = True
        self._rows = {}
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(str(self.path) + suffix)

    def get(self, path: str, size: int, mtime_ns: int) -> Record | None:
        """The cached record if the file still has this size and mtime; a bad row is ignored."""
        row = self._rows.get(path)
        if row is None or row[0] != size or row[1] != mtime_ns:
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
            gone = [(p,) for p in paths if self._rows.pop(p, None) is not None]
            if self._db is not None and gone:
                with contextlib.suppress(sqlite3.Error), self._db:
                    self._db.execute("BEGIN")
                    self._db.executemany("DELETE FROM files WHERE path = ?", gone)

    def known_paths(self) -> set[str]:
        with self._lock:
            return set(self._rows)

    def close(self) -> None:
        """Close the database; later writes only update the in-memory rows."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
