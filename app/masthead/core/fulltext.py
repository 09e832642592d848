"""The full-text index of an archive's transcripts: SQLite FTS5 with the trigram tokenizer (Chinese and English
both match any substring), in files of its own beside the index cache. It is brought up to date file by file (a
file whose size or mtime changed is read again, and indexed again only if its transcript changed; gone files are
dropped); a damaged or foreign part is deleted and rebuilt, never trusted: a search that finds a part damaged
raises ``DamagedIndex`` (its caller reads the files instead) and the next update rebuilds that part.

The index keeps no copy of the texts (a contentless table: a third smaller). SQLite before 3.43 cannot remove a
text from such a table, so a file indexed again gets a new row and its ``files`` row points there: the old row
is dead, never found (every search goes through ``files``), and once a part's dead rows outnumber its live ones
by ``DEAD_SLACK`` the part starts again from nothing.

The index is in ``SHARDS`` parts, each its own SQLite file holding the files whose path hashes to it: SQLite
works without the GIL, so the parts are built and searched on as many threads as there are processors (on two,
a search of a phrase of common words takes half the time and so does the first build).

The stored text is the transcript folded (``fold``: NFKC, then ``str.casefold``) and the tokenizer keeps case
(it folds nothing more), so the index holds exactly the folded text's trigrams with their positions
(``detail=full``): a phrase query of the folded search text is an exact substring test, answered by the index
alone. Every stored text ends in two U+FFFF (a character no folded text holds), so every character of a
transcript starts a trigram: two characters are answered from the trigrams they begin. One character is
answered from each file's distinct characters (a trigram query would join thousands of trigrams' rows).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
import sys
import threading
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from masthead.core import cache
from masthead.core.cache import cache_dir, is_busy
from masthead.core.folding import nfkc, one_for_one
from masthead.core.pacing import paced, pause

T = TypeVar("T")
R = TypeVar("R")

FORMAT = "7"  # 3: positions, case kept, the end mark; 4: no copy; 5: parts, characters; 6: NFKC; 7: raw digests
SHARDS = 4  # parts of the index (searched and built on up to as many threads)
NICE = 10  # the niceness of the threads that build it (Linux): a window's GUI thread goes first
DEAD_SLACK = 1000  # dead rows tolerated beyond as many as there are live ones
END = "\uffff\uffff"  # after every stored text: its last characters start trigrams too
PIECE = 32_768  # characters folded in one call (a megabyte's NFKC held the GIL for ~35 ms)
PACE_MATCHES = 200  # places found between two pauses of ``spans`` (besides one every 200 lines)
BATCH = 25  # files per transaction (~0.1 s): progress survives a cancel, searches and close() wait little
Progress = Callable[[int, int], None]


class DamagedIndex(sqlite3.DatabaseError):
    """A part of the full-text index could not be read: its answer is not known (the next update rebuilds it)."""


def processors() -> int:
    """The processors this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def text_index_path(root: Path, shard: int | None = None) -> Path:
    """The file of one part of the archive's index (None: the one file of an index before format 5)."""
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    part = "" if shard is None else f"-{shard + 1}of{SHARDS}"
    return cache_dir() / f"fulltext-{root.resolve().name[:40]}-{digest}{part}.sqlite"


def shard_of(rel: str) -> int:
    """The part of the index that holds a file (a stable hash of its path)."""
    return zlib.crc32(rel.encode("utf-8", "surrogatepass")) % SHARDS


@dataclass(frozen=True)
class Hit:
    """A file whose transcript holds the text, with the words around the first match."""

    path: str
    before: str
    match: str
    after: str


class TextIndex:
    """The transcripts of one archive, searchable by any substring."""

    def __init__(self, root: Path, memory: bool = False) -> None:
        """``memory``: kept in memory only (an index without a cache)."""
        self.root = root.resolve()
        self.memory = memory
        if not memory:  # an index of an earlier format, in one file: its place is taken by the parts
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    Path(f"{text_index_path(root)}{suffix}").unlink(missing_ok=True)
        self._shards: list[_Shard] = []
        try:
            for i in range(SHARDS):
                self._shards.append(_Shard(self.root, text_index_path(root, i), memory))
        except BaseException:  # (another process holds a part for long): none left open
            self.close()
            raise
        self._shard_of: dict[str, int] = {}  # the parts of the paths seen (a hash each time costs more)

    @property
    def rebuilt(self) -> bool:
        """Whether a part was found damaged or foreign and started again from nothing."""
        return any(shard.rebuilt for shard in self._shards)

    def path_of(self, rel: str) -> Path:
        """The file of the part of the index that holds ``rel``."""
        return self._shards[shard_of(rel)].path

    def _parts(self, files: Iterable[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
        parts: list[list[tuple[str, int, int]]] = [[] for _ in self._shards]
        known = self._shard_of
        for file in paced(files):  # (10,000 files: a worker's loop beside a busy GUI thread, see pacing)
            shard = known.get(file[0])
            if shard is None:
                shard = known[file[0]] = shard_of(file[0])
            parts[shard].append(file)
        return parts

    def stale(self, files: Iterable[tuple[str, int, int]]) -> tuple[list[tuple[str, int, int]], list[str]]:
        """Of the archive's ``(path, size, mtime_ns)``: those to (re)index, and the indexed paths that are gone."""
        todo, gone = [], []
        for shard, part in zip(self._shards, self._parts(files), strict=True):
            shard_todo, shard_gone = shard.stale(part)
            todo += shard_todo
            gone += shard_gone
        return todo, gone

    def update(
        self,
        files: Iterable[tuple[str, int, int]],
        read_body: Callable[[str], str],
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> int:
        """Index the files that changed since they were indexed (``read_body(path)`` gives a transcript) and
        drop the gone ones; returns how many were (re)indexed. A damaged part is rebuilt from nothing. The
        parts are brought up to date on up to one thread per processor, of a lower priority (``read_body``
        and ``progress`` are called on them)."""
        parts = self._parts(files)
        try:
            stale = [shard.stale(part) for shard, part in zip(self._shards, parts, strict=True)]
        except sqlite3.DatabaseError:  # closed, held or damaged: each part finds out (and starts again)
            counted = list(map(len, parts))
        else:
            counted = [len(todo) for todo, _ in stale]
            if not any(counted) and not any(gone for _, gone in stale) and not any(s.damaged for s in self._shards):
                return 0
        done, total, lock = 0, sum(counted), threading.Lock()

        def step(count: int, more: int = 0) -> None:
            """``count`` more files indexed; ``more`` to index than counted (a part that starts again)."""
            nonlocal done, total
            with lock:
                done, total = done + count, total + more
                if progress is not None:
                    progress(min(done, total), total)

        def run(i: int) -> int:
            return self._shards[i].update(parts[i], read_body, step, cancel, counted[i])

        return sum(_on_threads(run, range(SHARDS), background=True))

    def search(self, text: str, read_body: Callable[[str], str], limit: int | None = None) -> list[Hit]:
        """Files whose transcript contains ``text`` (case-insensitively), in path order, each with the words
        around its first match in ``read_body(path)`` (the transcript as it is now: a file changed since it was
        indexed that no longer holds the text is left out); only the first ``limit`` hits' texts are read."""
        wanted, hits = fold(text), []
        for path in self._matching(wanted):
            hit = _hit(path, read_body(path), wanted)
            if hit is not None:
                hits.append(hit)
                if limit is not None and len(hits) >= limit:
                    break
        return hits

    def paths(self, text: str) -> set[str]:
        """The paths of the files whose transcript contains ``text`` (case-insensitively)."""
        return set(self._matching(fold(text)))

    def _matching(self, wanted: str) -> list[str]:
        """The paths of the files whose folded transcript holds ``wanted``, in path order (every part searched
        at once)."""
        if not wanted:
            return []
        found = _on_threads(lambda shard: shard.matching(wanted), self._shards)
        damaged = [shard.path.name for shard, part in zip(self._shards, found, strict=True) if part is None]
        if damaged:
            raise DamagedIndex(f"the full-text index cannot be read ({', '.join(damaged)}): it is rebuilt")
        paths = [path for part in found if part is not None for path in part]
        paths.sort()
        return paths

    def close(self) -> None:
        for shard in self._shards:
            shard.close()


def _on_threads(fn: Callable[[T], R], items: Sequence[T], background: bool = False) -> list[R]:
    """``[fn(item) for item in items]``, on up to one thread per processor (SQLite's work runs without the GIL);
    ``background``: on threads of a lower priority. The first exception raised is raised here."""
    threads = min(len(items), processors())
    if threads <= 1 and not background:
        return [fn(item) for item in items]
    results: list[R | None] = [None] * len(items)
    errors: list[BaseException] = []

    def work(start: int) -> None:
        if background and sys.platform == "linux":
            with contextlib.suppress(OSError):  # this thread only (a Linux thread has a priority of its own)
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
        for i in range(start, len(items), threads):
            try:
                results[i] = fn(items[i])
            except BaseException as exc:  # raised again on the calling thread
                errors.append(exc)
                return

    workers = [threading.Thread(target=work, args=(t,), name="masthead-fulltext", daemon=True) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]
    return results  # type: ignore[return-value]  # every item has its result when nothing was raised


class _Shard:
    """One part of the index: a SQLite file with the texts of the files whose path hashes to it."""

    def __init__(self, root: Path, path: Path, memory: bool) -> None:
        self.root = root
        self.memory = memory
        self.path = path
        self.rebuilt = False
        self.damaged = False  # a search could not read it: the next update starts it again
        self._closed = False
        self._lock = threading.RLock()
        self._depth = 0  # how deep the thread holding the lock is in ``_using``
        self._known: dict[str, tuple[int, int]] | None = None  # the files table's stamps, as last read or written
        self._version = -1  # the database's data_version when they were read
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
                " (path TEXT PRIMARY KEY, id INTEGER UNIQUE, size INTEGER, mtime_ns INTEGER, digest BLOB, chars TEXT)"
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
        """Start again from nothing (the file was found damaged while in use); not once closed."""
        with self._lock:
            if self._closed:
                return
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            for suffix in ("", "-wal", "-shm") if not self.memory else ():
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.rebuilt, self.damaged = True, False
            self._known = None
            self._db = self._open()

    # ------------------------------------------------------------------ keeping it current

    def stale(self, files: Iterable[tuple[str, int, int]]) -> tuple[list[tuple[str, int, int]], list[str]]:
        """Of this part's ``(path, size, mtime_ns)``: those to (re)index, and the indexed paths that are gone
        (compared under the lock: another thread's update changes the stamps)."""
        with self._using():
            known = self._stamps()
            todo, present = [], set()
            for rel, size, mtime in files:
                present.add(rel)
                if known.get(rel) != (size, mtime):
                    todo.append((rel, size, mtime))
            return todo, [p for p in known if p not in present]

    def _stamps(self) -> dict[str, tuple[int, int]]:
        """Every indexed path's size and mtime: read again only when another connection (another process)
        has written since they were read (this one's writes keep them current)."""
        with self._using():
            (version,) = self._db.execute("PRAGMA data_version").fetchone()
            if self._known is None or version != self._version:
                rows = self._db.execute("SELECT path, size, mtime_ns FROM files")
                self._known, self._version = {p: (s, m) for p, s, m in rows}, version
            return self._known

    def update(
        self,
        files: list[tuple[str, int, int]],
        read_body: Callable[[str], str],
        step: Callable[[int, int], None],
        cancel: threading.Event | None,
        counted: int = 0,
    ) -> int:
        """Index this part's files that changed since they were indexed and drop its gone ones (``step(n, m)``
        after every ``n`` files indexed, ``m`` more to index than the ``counted`` the caller expects); returns
        how many were (re)indexed. A damaged part is rebuilt. Closed meanwhile, or held by another process:
        stops (the next update catches up)."""
        try:
            if self.damaged:
                self._reset()
            return self._update(files, read_body, step, cancel, counted)
        except sqlite3.DatabaseError as exc:
            if self._closed or is_busy(exc):
                return 0
            if isinstance(exc, sqlite3.ProgrammingError):
                raise  # a misuse, not damage
        self._reset()
        try:
            return self._update(files, read_body, step, cancel, 0)
        except sqlite3.DatabaseError as exc:
            if self._closed or is_busy(exc):
                return 0
            raise

    def _update(
        self,
        files: list[tuple[str, int, int]],
        read_body: Callable[[str], str],
        step: Callable[[int, int], None],
        cancel: threading.Event | None,
        counted: int,
    ) -> int:
        todo, gone = self.stale(files)
        step(0, len(todo) - counted)
        if not todo and not gone:
            return 0
        with self._writing():
            for rel in gone:
                self._forget(rel)
            dead, live = self._count("dead"), self._db.execute("SELECT count(*) FROM files").fetchone()[0]
            if dead > live + DEAD_SLACK:  # mostly dead rows: start again (every file is read again)
                self._db.execute("INSERT INTO bodies(bodies) VALUES ('delete-all')")
                self._db.execute("DELETE FROM files")
                self._stamps().clear()
                self._db.execute("UPDATE info SET v = '0' WHERE k = 'dead'")
        if dead > live + DEAD_SLACK:
            again, _ = self.stale(files)
            step(0, len(again) - len(todo))
            todo = again
        done = 0
        for start in range(0, len(todo), BATCH):
            if self._closed or (cancel is not None and cancel.is_set()):
                break
            bodies = [(rel, size, mtime, read_body(rel)) for rel, size, mtime in todo[start : start + BATCH]]
            digests = [_digest(body) for *_, body in bodies]
            indexed = self._digests([rel for rel, *_ in bodies])
            batch = [  # only a transcript not indexed as it is now is folded (a bulk edit of front matter: none)
                (rel, size, mtime, None if indexed.get(rel) == digest else fold(body) + END, digest, body)
                for (rel, size, mtime, body), digest in zip(bodies, digests, strict=True)
            ]
            with self._writing():
                self._store(batch)
            done += len(batch)
            step(len(batch), 0)
            pause()
        return done

    def _digests(self, rels: list[str]) -> dict[str, bytes]:
        """The digests of the transcripts of these paths as indexed (those indexed)."""
        known = self._stamps()
        indexed = [rel for rel in rels if rel in known]
        if not indexed:
            return {}
        with self._using():
            marks = ",".join("?" * len(indexed))
            return dict(self._db.execute(f"SELECT path, digest FROM files WHERE path IN ({marks})", indexed))

    def _store(self, batch: list[tuple[str, int, int, str | None, bytes, str]]) -> None:
        """Index files' folded texts ``(path, size, mtime_ns, text, digest, transcript)``, or only note a file's
        new size and mtime when its transcript is as indexed (a bulk edit of the front matter changes every
        file's mtime, not their transcripts; ``text`` is None when it was found so before this transaction).
        A few statements for the whole batch: a thread gives up the GIL during each, and takes it back after,
        waiting for other threads' Python (a statement per file made building on two threads hardly faster)."""
        known = self._stamps()
        digests = self._digests([rel for rel, *_ in batch])  # (again: another process may have written since)
        same = [(size, mtime, rel) for rel, size, mtime, _, digest, _ in batch if digests.get(rel) == digest]
        new = [
            (rel, size, mtime, fold(body) + END if text is None else text, digest)
            for rel, size, mtime, text, digest, body in batch
            if digests.get(rel) != digest
        ]
        if same:
            self._db.executemany("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?", same)
        for rel in (rel for rel, *_ in new if rel in digests):
            self._forget(rel)
        first = self._count("next")  # never a dead row's id: its trigrams are still in the index
        self._db.execute("UPDATE info SET v = ? WHERE k = 'next'", (str(first + len(new)),))
        ids = range(first, first + len(new))
        self._db.executemany(
            "INSERT INTO bodies(rowid, body) VALUES (?, ?)", zip(ids, (t for *_, t, _ in new), strict=True)
        )
        self._db.executemany(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)",
            [
                (rel, i, size, mtime, digest, _chars(text))
                for i, (rel, size, mtime, text, digest) in zip(ids, new, strict=True)
            ],
        )
        for rel, size, mtime, *_ in batch:
            known[rel] = (size, mtime)

    def _count(self, name: str) -> int:
        row = self._db.execute("SELECT v FROM info WHERE k = ?", (name,)).fetchone()
        return int(row[0]) if row is not None else 0

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction (the write lock taken at once; rolled back if anything fails)."""
        with self._using():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                self._known = None  # (what was written is not there)
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                raise

    def _forget(self, rel: str) -> None:
        """The file's row is dead from now on (see the module's notes)."""
        if self._db.execute("DELETE FROM files WHERE path = ?", (rel,)).rowcount:
            self._db.execute("UPDATE info SET v = CAST(v AS INTEGER) + 1 WHERE k = 'dead'")
        self._stamps().pop(rel, None)

    # ------------------------------------------------------------------ searching

    def matching(self, wanted: str) -> list[str] | None:
        """The paths of this part's files whose transcript holds the folded text ``wanted``, in path order: the
        files holding it as a phrase of trigrams; for two characters, those holding a trigram that begins with
        them (each stored text ends in ``END``, so its last characters begin one too); for one, those holding
        the character. Each answer is one row (a row at a time, threads searching parts would take turns with
        the GIL for every row). None: it cannot be read (damaged: the next update starts it again; or held)."""
        try:
            with self._using():
                if len(wanted) == 1:
                    found = "SELECT path FROM files WHERE instr(chars, ?)"
                    args = wanted
                else:
                    found = "SELECT f.path FROM bodies b JOIN files f ON f.id = b.rowid WHERE bodies MATCH ?"
                    args = _quoted(wanted)
                    if len(wanted) == 2:
                        (args,) = self._db.execute(
                            "SELECT group_concat('\"' || replace(term, '\"', '\"\"') || '\"', ' OR ')"
                            " FROM terms WHERE term > ? AND term < ?",
                            (wanted, wanted + "\U0010ffff"),
                        ).fetchone()
                        if args is None:
                            return []
                (paths,) = self._db.execute(f"SELECT group_concat(path, char(0)) FROM ({found})", (args,)).fetchone()
        except sqlite3.DatabaseError as exc:
            if self._closed:
                return []  # (the archive was closed: nothing is found)
            if not is_busy(exc):
                self.damaged = True
            return None
        return [] if paths is None else paths.split("\0")

    @contextlib.contextmanager
    def _using(self) -> Iterator[None]:
        """The connection, for this thread alone; closed on the way out if ``close`` was asked meanwhile (also
        when it was asked after this thread last looked: then the lock is free, or taken by a thread that will
        see it)."""
        try:
            with self._lock:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
        finally:
            if self._closed:
                self._close_if_free()

    def close(self) -> None:
        """Close the connection, or if a thread is using it (a build's transaction, a search), have that thread
        close it when it is done: closing never waits (a window closes an archive on its GUI thread)."""
        self._closed = True
        self._close_if_free()

    def _close_if_free(self) -> None:
        if self._lock.acquire(blocking=False):
            try:
                if not self._depth:
                    with contextlib.suppress(sqlite3.Error):
                        self._db.close()
            finally:
                self._lock.release()


def _digest(transcript: str) -> bytes:
    """A transcript's digest, of the text as written (folding is a function of it: the same text folds the
    same), so that an unchanged transcript is known without folding it."""
    return hashlib.blake2b(transcript.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _chars(text: str) -> str:
    """A stored text's distinct characters (its end mark left out), for one-character searches (in pieces:
    a set of a megabyte's characters held the GIL for 13 ms)."""
    chars: set[str] = set()
    for start in range(0, len(text) - len(END), PIECE):
        chars.update(text[start : min(start + PIECE, len(text) - len(END))])
    return "".join(chars)


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fold(text: str) -> str:
    """Text as the index stores and matches it: NFKC (full-width ``ＡＩ`` and ``，`` as ``AI`` and ``,``; ``ﬁ`` as
    ``fi``), then case-folded (ß as ss, K as k); NUL (where FTS5 stops reading) and U+FFFF (the stored texts'
    end mark) as U+FFFD (so to the index these three are one character). Never joins characters across a line
    break (NFKC composes marks with the character before them, never with a line break)."""
    if len(text) > PIECE:  # a long text in pieces, each one short C call: other threads get the GIL between
        return "".join(_fold_piece(piece) for piece in _pieces(text))
    return _fold_piece(text)


def _fold_piece(text: str) -> str:
    return nfkc(text).casefold().replace("\0", "\ufffd").replace("\uffff", "\ufffd")


def _pieces(text: str) -> Iterator[str]:
    """``text`` in pieces of about ``PIECE`` characters, each ending after a line break or a space (``fold``
    of the pieces is ``fold`` of the text: NFKC never joins a character to a line break or a space before it,
    nor reorders marks across one); a piece goes on to the next one there is (a text without: whole)."""
    start = 0
    while start < len(text):
        low, high = start + PIECE // 2, start + PIECE
        cut = text.rfind("\n", low, high) + 1 or text.rfind(" ", low, high) + 1 if high < len(text) else len(text)
        if not cut:
            cut = min((at + 1 for at in (text.find("\n", high), text.find(" ", high)) if at >= 0), default=len(text))
        yield text[start:cut]
        start = cut


def holds(body: str, wanted: str) -> bool:
    """Whether the folding of ``body`` holds the folded text ``wanted``: ``wanted in fold(body)``, without NFKC
    where the transcript needs none (a search that reads every file: most English transcripts)."""
    if unicodedata.is_normalized("NFKC", body) and "\0" not in body and "\uffff" not in body:
        return wanted in body.casefold()  # (the folding is the case folding)
    return wanted in fold(body)


def snippet(path: str, body: str, text: str) -> Hit | None:
    """The words around the first place ``body`` holds ``text`` (as ``fold`` matches), or None."""
    return _hit(path, body, fold(text))


def _hit(path: str, body: str, wanted: str, width: int = 40) -> Hit | None:
    span = _find(body, wanted)
    if span is None:
        return None
    start, end = span
    # Read wider than shown (the markup taken out leaves less), from a line's start or to its end when that
    # is near, so that no markup is cut in two.
    reach = 3 * width
    first = max(0, start - reach)
    if first > 0 and (line := body.rfind("\n", max(0, first - 3 * reach), first)) >= 0:
        first = line + 1
    last = min(len(body), end + reach)
    if (line := body.find("\n", last, last + 3 * reach)) >= 0:
        last = line
    before, after = _collapse(_plain(body[first:start])), _collapse(_plain(body[end:last]))
    more_before = len(before) > width or first > 0
    more_after = len(after) > width or last < len(body)
    return Hit(
        path,
        "…" + before[-width:] if more_before else before,
        body[start:end],
        after[:width] + ("…" if more_after else ""),
    )


# Transcript markup, for the words around a match: shown as a reader sees them (the speaker turn
# ``**[周明]**:`` as ``周明:``, bold names plain, no ``###``, HTML tags or ``<!-- chunk -->`` comments).
_MARKUP = re.compile(
    r"<!--.*?-->"  # comments (whole ones; a cut one at the reach's edge is left, then cut off with it)
    r"|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"  # HTML tags (<details>, <summary>...), not "a < b"
    r"|(?m:^[ \t]*#{1,6}[ \t]+)"  # heading marks
    r"|\*\*|__",  # bold
    re.DOTALL,
)
_TURN = re.compile(r"\*\*\[([^\]\n]+)\]\*\*")  # **[Speaker]**
_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\s]*\)")  # [text](url)


def _plain(text: str) -> str:
    """``text`` without its Markdown and HTML markup."""
    return _MARKUP.sub("", _LINK.sub(r"\1", _TURN.sub(r"\1", text)))


def _find(body: str, wanted: str) -> tuple[int, int] | None:
    """The span of ``body`` where its folding first holds ``wanted``: line by line (a folded line is the line's
    part of the folded text, and a search text holds no line break), then within the line."""
    if "\n" in wanted:  # (not from a search field): the whole text, the span found as in a line
        folded = fold(body)
        at = folded.find(wanted)
        return None if at < 0 else _span(body, folded, at, at + len(wanted))
    offset = 0
    for line in paced(body.split("\n")):
        folded = fold(line)
        at = folded.find(wanted)
        if at >= 0:
            start, end = _span(line, folded, at, at + len(wanted))
            return offset + start, offset + end
        offset += len(line) + 1
    return None


def spans(body: str, text: str, limit: int = 1000) -> list[tuple[int, int]]:
    """The spans of ``body`` where its folding holds ``text`` (as ``fold`` matches: the search's own rule), in
    order, none overlapping (two that would, where the folding reorders marks, are one), at most ``limit``:
    line by line, as ``_find``. A text with a line break: none."""
    wanted = fold(text)
    out: list[tuple[int, int]] = []
    if not wanted or "\n" in wanted:
        return out
    offset = 0
    for line in paced(body.split("\n")):  # (the largest realistic transcript: 9,856 lines, 14 ms)
        folded = fold(line)
        at = folded.find(wanted)
        while at >= 0 and len(out) < limit:
            if len(out) % PACE_MATCHES == 0:  # (a line can hold hundreds: "e" in a 2 MB transcript, 20,000)
                pause()
            start, end = _span(line, folded, at, at + len(wanted))
            if out and offset + start < out[-1][1]:  # marks the folding reordered: one span for both
                out[-1] = (out[-1][0], max(out[-1][1], offset + end))
            else:
                out.append((offset + start, offset + end))
            at = folded.find(wanted, at + len(wanted))
        if len(out) >= limit:
            break
        offset += len(line) + 1
    return out


def _span(text: str, folded: str, start: int, end: int) -> tuple[int, int]:
    """The span of ``text`` whose folding is ``folded[start:end]`` (``folded`` is ``fold(text)``): the shortest
    prefixes folding to at least ``start`` + 1 and ``end`` characters (a longer prefix never folds shorter).
    A text folded character for character (NFKC one for one, case folding never shorter: as long as the
    text) is its own map (most lines: a search for "e" marks thousands of places in a transcript)."""
    if folded == text or (len(folded) == len(text) and one_for_one(text)):
        return start, end
    return _searched_span(text, folded, start, end)


def _searched_span(text: str, folded: str, start: int, end: int) -> tuple[int, int]:
    """``_span`` found by folding prefixes of ``text`` (any text)."""

    def shortest(length: int) -> int:  # the shortest prefix whose folding has at least ``length`` characters
        low, high = 0, len(text)
        while low < high:
            middle = (low + high) // 2
            if len(fold(text[:middle])) >= length:
                high = middle
            else:
                low = middle + 1
        return low

    first = max(0, shortest(start + 1) - 1)
    last = max(first + 1, shortest(end))
    wanted = folded[start:end]
    while last < len(text) and wanted not in fold(text[first:last]):
        last += 1  # a mark joining the last letter (a + U+0301 folds to one character, á)
    while first > 0 and wanted not in fold(text[first:last]):
        first -= 1  # marks the folding put in another order (U+0301 U+FF9E folds to U+3099 U+0301)
    return first, last


def _collapse(text: str) -> str:
    """Runs of white space (line breaks too) as one space, kept at the ends."""
    inner = " ".join(text.split())
    if not inner:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + inner + (" " if text[-1].isspace() else "")
