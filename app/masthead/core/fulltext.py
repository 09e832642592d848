"""The full-text index of an archive's transcripts: SQLite FTS5 with the trigram tokenizer (Chinese and English
both match any substring), in its own file beside the index cache. It is brought up to date file by file (a file
is read again only when its size or mtime changed; gone files are dropped); a damaged or foreign one is deleted
and rebuilt, never trusted. The stored text is the transcript case-folded (``str.casefold``: ß as ss, K as k),
so the trigrams of a case-folded query are in every transcript that holds it, and each candidate is checked
against the stored text by SQLite: an answer is exact, with Python's case-insensitive rule.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from masthead.core import cache
from masthead.core.cache import cache_dir, is_busy
from masthead.core.pacing import pause

FORMAT = "2"  # 2: the stored text is case-folded
BATCH = 25  # files per transaction (~0.1 s): progress survives a cancel, searches and close() wait little
Progress = Callable[[int, int], None]


def text_index_path(root: Path) -> Path:
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return cache_dir() / f"fulltext-{root.resolve().name[:40]}-{digest}.sqlite"


@dataclass(frozen=True)
class Hit:
    """A file whose transcript holds the text, with the words around the first match."""

    path: str
    before: str
    match: str
    after: str


class TextIndex:
    """The transcripts of one archive, searchable by any substring."""

    def __init__(self, root: Path, path: Path | None = None, memory: bool = False) -> None:
        """``memory``: kept in memory only (an index without a cache)."""
        self.root = root.resolve()
        self.memory = memory
        self.path = path or text_index_path(root)
        self.rebuilt = False
        self._closed = False
        self._lock = threading.RLock()
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        if not self.memory:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        db = self._connect()
        if db is None and not self.memory:
            self.rebuilt = True
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            db = self._connect()
        if db is None:
            raise sqlite3.DatabaseError(f"cannot create the full-text index {self.path}")
        return db

    def _connect(self) -> sqlite3.Connection | None:
        try:
            db = sqlite3.connect(
                ":memory:" if self.memory else self.path,
                isolation_level=None,
                check_same_thread=False,
                timeout=cache.BUSY_WAIT,
            )
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS info (k TEXT PRIMARY KEY, v TEXT)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS files"
                " (path TEXT PRIMARY KEY, id INTEGER UNIQUE, size INTEGER, mtime_ns INTEGER)"
            )
            db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS bodies USING fts5(body, tokenize='trigram', detail=none)")
            info = dict(db.execute("SELECT k, v FROM info").fetchall())
            if not info:
                db.executemany("INSERT INTO info VALUES (?, ?)", [("format", FORMAT), ("root", str(self.root))])
            elif info.get("format") != FORMAT or info.get("root") != str(self.root):
                db.close()
                return None
            db.execute("SELECT count(*) FROM files").fetchone()
            return db
        except sqlite3.DatabaseError as exc:
            if is_busy(exc):
                raise  # another process holds it: not damage, nothing deleted
            return None

    def _reset(self) -> None:
        """Start again from nothing (the file was found damaged while in use)."""
        with self._lock:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            for suffix in ("", "-wal", "-shm") if not self.memory else ():
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.rebuilt = True
            self._db = self._open()

    # ------------------------------------------------------------------ keeping it current

    def stale(self, files: Iterable[tuple[str, int, int]]) -> tuple[list[tuple[str, int, int]], list[str]]:
        """Of the archive's ``(path, size, mtime_ns)``: those to (re)index, and the indexed paths that are gone."""
        with self._lock:
            known = {p: (s, m) for p, s, m in self._db.execute("SELECT path, size, mtime_ns FROM files")}
        todo, present = [], set()
        for rel, size, mtime in files:
            present.add(rel)
            if known.get(rel) != (size, mtime):
                todo.append((rel, size, mtime))
        return todo, [p for p in known if p not in present]

    def update(
        self,
        files: Iterable[tuple[str, int, int]],
        read_body: Callable[[str], str],
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> int:
        """Index the files that changed since they were indexed (``read_body(path)`` gives a transcript) and
        drop the gone ones; returns how many were (re)indexed. A damaged file is rebuilt from nothing."""
        try:
            return self._update(list(files), read_body, progress, cancel)
        except sqlite3.ProgrammingError:  # closed while it ran (the archive was closed): stop
            return 0
        except sqlite3.DatabaseError as exc:
            if self._closed or is_busy(exc):
                return 0  # closed meanwhile, or another process holds it: the next update catches up
            self._reset()
            return self._update(list(files), read_body, progress, cancel)

    def _update(
        self,
        files: list[tuple[str, int, int]],
        read_body: Callable[[str], str],
        progress: Progress | None,
        cancel: threading.Event | None,
    ) -> int:
        todo, gone = self.stale(files)
        with self._writing():
            for rel in gone:
                self._forget(rel)
        done = 0
        for start in range(0, len(todo), BATCH):
            if self._closed or (cancel is not None and cancel.is_set()):
                break
            batch = [(rel, size, mtime, read_body(rel)) for rel, size, mtime in todo[start : start + BATCH]]
            with self._writing():
                for rel, size, mtime, body in batch:
                    self._forget(rel)
                    cursor = self._db.execute("INSERT INTO bodies(body) VALUES (?)", (fold(body),))
                    self._db.execute("INSERT INTO files VALUES (?, ?, ?, ?)", (rel, cursor.lastrowid, size, mtime))
            done += len(batch)
            if progress is not None:
                progress(done, len(todo))
            pause()
        return done

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction (the write lock taken at once; rolled back if anything fails)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                raise

    def _forget(self, rel: str) -> None:
        row = self._db.execute("SELECT id FROM files WHERE path = ?", (rel,)).fetchone()
        if row is not None:
            self._db.execute("DELETE FROM bodies WHERE rowid = ?", (row[0],))
            self._db.execute("DELETE FROM files WHERE path = ?", (rel,))

    # ------------------------------------------------------------------ searching

    def search(self, text: str, limit: int | None = None, read_body: Callable[[str], str] | None = None) -> list[Hit]:
        """Files whose transcript contains ``text`` (case-insensitively), in path order, each with the words
        around its first match, from ``read_body(path)`` (the transcript as it is) or else from the stored,
        case-folded text (only the first ``limit`` hits' texts are read)."""
        wanted, hits = fold(text), []
        for path, rowid in self._matching(text):
            hit = _hit(path, read_body(path), wanted) if read_body is not None else None
            if hit is None:  # the file changed since it was indexed, or no reader: the stored text
                hit = _hit(path, self._body(rowid), wanted)
            if hit is not None:
                hits.append(hit)
                if limit is not None and len(hits) >= limit:
                    break
        return hits

    def paths(self, text: str) -> set[str]:
        """The paths of the files whose transcript contains ``text`` (case-insensitively)."""
        return {path for path, _ in self._matching(text)}

    def _body(self, rowid: int) -> str:
        with self._lock:
            row = self._db.execute("SELECT body FROM bodies WHERE rowid = ?", (rowid,)).fetchone()
        return str(row[0]) if row is not None else ""

    def _matching(self, text: str) -> list[tuple[str, int]]:
        """``(path, row)`` of the files whose transcript holds ``text``, in path order. The index finds the
        candidates (those with every trigram of the folded text) and SQLite checks each one's stored text;
        one or two characters have no trigram, so SQLite scans every text."""
        wanted = fold(text)
        if not wanted:
            return []
        select = "SELECT f.path, f.id FROM bodies b JOIN files f ON f.id = b.rowid"
        if len(wanted) >= 3:
            grams = sorted({wanted[i : i + 3] for i in range(len(wanted) - 2)})
            # one ASCII trigram: the index alone is exact (FTS5 folds nothing onto ASCII that casefold left)
            exact = len(wanted) == 3 and wanted.isascii()
            check = "" if exact else " AND instr(b.body, ?) > 0"
            sql = f"{select} WHERE bodies MATCH ?{check} ORDER BY f.path"
            args = [" AND ".join(_quoted(g) for g in grams), wanted]
        else:
            sql = f"{select} WHERE instr(b.body, ?) > 0 ORDER BY f.path"
            args = [wanted]
        try:
            with self._lock:
                rows: list[tuple[str, int]] = self._db.execute(sql, args[: sql.count("?")]).fetchall()
        except sqlite3.DatabaseError:
            return []
        return rows

    def close(self) -> None:
        self._closed = True
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._db.close()


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fold(text: str) -> str:
    """Text as the index stores and matches it: case-folded, NUL (where FTS5 stops reading) as U+FFFD."""
    return text.casefold().replace("\0", "\ufffd")


def snippet(path: str, body: str, text: str) -> Hit | None:
    """The words around the first place ``body`` holds ``text`` (case-insensitively), or None."""
    return _hit(path, body, fold(text))


def _hit(path: str, body: str, wanted: str, width: int = 40) -> Hit | None:
    folded = fold(body)
    at = folded.find(wanted)
    if at < 0:
        return None
    start, end = _span(body, folded, at, at + len(wanted))
    before, after = _collapse(body[max(0, start - width) : start]), _collapse(body[end : end + width])
    return Hit(
        path,
        ("…" if start > width else "") + before,
        body[start:end],
        after + ("…" if end + width < len(body) else ""),
    )


def _span(body: str, folded: str, start: int, end: int) -> tuple[int, int]:
    """The span of ``body`` whose folding is ``folded[start:end]`` (folding lengthens ß to ss, never shortens:
    the same length means every position is the same)."""
    if len(folded) == len(body):
        return start, end
    at, out_start = 0, None
    for i, c in enumerate(body):
        if out_start is None and at + len(c.casefold()) > start:
            out_start = i
        at += len(c.casefold())
        if at >= end:
            return out_start if out_start is not None else i, i + 1
    return out_start or 0, len(body)


def _collapse(text: str) -> str:
    """Runs of white space (line breaks too) as one space, kept at the ends."""
    inner = " ".join(text.split())
    if not inner:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + inner + (" " if text[-1].isspace() else "")
