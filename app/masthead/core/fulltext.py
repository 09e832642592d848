"""The full-text index of an archive's transcripts: SQLite FTS5 with the trigram tokenizer (Chinese and English
both match any substring), in its own file beside the index cache. It is brought up to date file by file (a file
whose size or mtime changed is read again, and indexed again only if its transcript changed; gone files are
dropped); a damaged or foreign one is deleted and rebuilt, never trusted.

The index keeps no copy of the texts (a contentless table: a third smaller). SQLite before 3.43 cannot remove a
text from such a table, so a file indexed again gets a new row and its ``files`` row points there: the old row
is dead, never found (every search goes through ``files``), and once dead rows outnumber live ones the index
starts again from nothing.

The stored text is the transcript case-folded (``str.casefold``: ß as ss, K as k) and the tokenizer keeps case
(it folds nothing more), so the index holds exactly the folded text's trigrams with their positions
(``detail=full``): a phrase query of the folded search text is an exact substring test, answered by the index
alone. Every stored text ends in two U+FFFF (a character no folded text holds), so every character of a
transcript starts a trigram: one or two characters are answered from the trigrams they begin.
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

FORMAT = "4"  # 2: the stored text is case-folded; 3: positions, case kept, the end mark, digests; 4: no copy
DEAD_SLACK = 1000  # dead rows tolerated beyond as many as there are live ones
END = "\uffff\uffff"  # after every stored text: its last characters start trigrams too
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
                " (path TEXT PRIMARY KEY, id INTEGER UNIQUE, size INTEGER, mtime_ns INTEGER, digest BLOB)"
            )
            db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS bodies"
                " USING fts5(body, tokenize='trigram case_sensitive 1', detail=full, content='')"
            )
            db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS terms USING fts5vocab(bodies, 'row')")
            info = dict(db.execute("SELECT k, v FROM info").fetchall())
            if not info:
                db.executemany(
                    "INSERT INTO info VALUES (?, ?)",
                    [("format", FORMAT), ("root", str(self.root)), ("next", "1"), ("dead", "0")],
                )
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
            dead, live = self._count("dead"), self._db.execute("SELECT count(*) FROM files").fetchone()[0]
            if dead > live + DEAD_SLACK:  # mostly dead rows: start again (every file is read again)
                self._db.execute("INSERT INTO bodies(bodies) VALUES ('delete-all')")
                self._db.execute("DELETE FROM files")
                self._db.execute("UPDATE info SET v = '0' WHERE k = 'dead'")
        if dead > live + DEAD_SLACK:
            todo, _ = self.stale(files)
        done = 0
        for start in range(0, len(todo), BATCH):
            if self._closed or (cancel is not None and cancel.is_set()):
                break
            batch = []
            for rel, size, mtime in todo[start : start + BATCH]:
                text = fold(read_body(rel)) + END
                digest = hashlib.blake2b(text.encode(errors="replace"), digest_size=16).digest()
                batch.append((rel, size, mtime, text, digest))
            with self._writing():
                for rel, size, mtime, text, digest in batch:
                    self._store(rel, size, mtime, text, digest)
            done += len(batch)
            if progress is not None:
                progress(done, len(todo))
            pause()
        return done

    def _store(self, rel: str, size: int, mtime: int, text: str, digest: bytes) -> None:
        """Index one file's folded text, or only note its new size and mtime when its text is as indexed (a
        bulk edit of the front matter changes every file's mtime, not their transcripts)."""
        row = self._db.execute("SELECT digest FROM files WHERE path = ?", (rel,)).fetchone()
        if row is not None and row[0] == digest:
            self._db.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?", (size, mtime, rel))
            return
        self._forget(rel)
        row_id = self._count("next")  # never a dead row's: its trigrams are still in the index
        self._db.execute("UPDATE info SET v = ? WHERE k = 'next'", (str(row_id + 1),))
        self._db.execute("INSERT INTO bodies(rowid, body) VALUES (?, ?)", (row_id, text))
        self._db.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?)", (rel, row_id, size, mtime, digest))

    def _count(self, name: str) -> int:
        row = self._db.execute("SELECT v FROM info WHERE k = ?", (name,)).fetchone()
        return int(row[0]) if row is not None else 0

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
        """The file's row is dead from now on (see the module's notes)."""
        if self._db.execute("DELETE FROM files WHERE path = ?", (rel,)).rowcount:
            self._db.execute("UPDATE info SET v = CAST(v AS INTEGER) + 1 WHERE k = 'dead'")

    # ------------------------------------------------------------------ searching

    def search(self, text: str, read_body: Callable[[str], str], limit: int | None = None) -> list[Hit]:
        """Files whose transcript contains ``text`` (case-insensitively), in path order, each with the words
        around its first match in ``read_body(path)`` (the transcript as it is now: a file changed since it was
        indexed that no longer holds the text is left out); only the first ``limit`` hits' texts are read."""
        wanted, hits = fold(text), []
        for path, _ in self._matching(text):
            hit = _hit(path, read_body(path), wanted)
            if hit is not None:
                hits.append(hit)
                if limit is not None and len(hits) >= limit:
                    break
        return hits

    def paths(self, text: str) -> set[str]:
        """The paths of the files whose transcript contains ``text`` (case-insensitively)."""
        return {path for path, _ in self._matching(text)}

    def _matching(self, text: str) -> list[tuple[str, int]]:
        """``(path, row)`` of the files whose transcript holds ``text``, in path order: the files holding the
        folded text as a phrase of trigrams, or for one or two characters the files holding a trigram that
        begins with them (each stored text ends in ``END``, so its last characters begin one too)."""
        wanted = fold(text)
        if not wanted:
            return []
        try:
            with self._lock:
                if len(wanted) >= 3:
                    match = _quoted(wanted)
                else:
                    grams = self._db.execute(
                        "SELECT term FROM terms WHERE term > ? AND term < ?", (wanted, wanted + "\U0010ffff")
                    ).fetchall()
                    if not grams:
                        return []
                    match = " OR ".join(_quoted(g) for (g,) in grams)
                rows: list[tuple[str, int]] = self._db.execute(
                    "SELECT f.path, f.id FROM bodies b JOIN files f ON f.id = b.rowid"
                    " WHERE bodies MATCH ? ORDER BY f.path",
                    (match,),
                ).fetchall()
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
    """Text as the index stores and matches it: case-folded; NUL (where FTS5 stops reading) and U+FFFF (the
    stored texts' end mark) as U+FFFD (so to the index these three are one character)."""
    return text.casefold().replace("\0", "\ufffd").replace("\uffff", "\ufffd")


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
