"""The archive index: every Markdown file's record, read in parallel, cached, and refreshed in place.

``ArchiveIndex.build()`` streams records in batches (cached ones first, then freshly read ones as the
worker processes deliver them), reports progress and can be cancelled between batches.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from masthead.core import snapshot, tempfiles
from masthead.core.cache import IndexCache
from masthead.core.errors import ParseError
from masthead.core.fulltext import TextIndex
from masthead.core.pacing import paced
from masthead.core.records import Record, gc_paused
from masthead.core.safe_io import read_regular
from masthead.core.scan import is_markdown, stat_files, stat_job
from masthead.core.split import split
from masthead.core.workers import Process, run_parallel, start_workers, stop_workers

CHUNK = 200  # files a worker reads per request
PARALLEL_MIN = 3  # chunks to read from which worker processes read them
AWAY_MIN = 20  # fewer changed files than this are re-read in this process even when asked to read away
BATCH = 500  # cached records per batch: small enough for a window to insert without stalling
Progress = Callable[[int, int], None]


@dataclass
class Changes:
    """What a refresh changed in the index (relative paths)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass
class BuildStats:
    total: int = 0
    from_cache: int = 0
    parsed: int = 0
    cancelled: bool = False


STALE_MIN = 200  # see _stale_limit


def _stale_limit(total: int) -> int:
    """Records the cache may serve from rows rather than from its snapshot before they are folded into it
    (and files read by a build beyond which they go into the snapshot directly)."""
    return max(STALE_MIN, total // 20)


class ArchiveIndex:
    """Records of every Markdown file under ``root``, keyed by '/'-separated relative path."""

    def __init__(self, root: Path | str, use_cache: bool = True, workers: int | None = None) -> None:
        self.root = Path(root).resolve()
        self.records: dict[str, Record] = {}
        self._use_cache = use_cache
        self._cache: IndexCache | None = None
        self._text: TextIndex | None = None
        self._closed = False
        self.workers = workers if workers is not None else max(1, min(os.cpu_count() or 1, 4))
        self.stats = BuildStats()

    @property
    def cache(self) -> IndexCache | None:
        """The archive's cache, opened on first use (on the thread that builds the index)."""
        if self._cache is None and self._use_cache:
            self._cache = IndexCache(self.root)
        return self._cache

    # ------------------------------------------------------------ building

    def relpath(self, path: Path | str) -> str:
        return Path(os.path.abspath(path)).relative_to(self.root).as_posix()

    def scan(self, many: tuple[int, Callable[[], None]] | None = None) -> list[tuple[str, int, int]]:
        """(relative path, size, mtime_ns) of every Markdown file, in folder order; the temporary files of
        saves that died on the way are removed (``many``: as ``scan.stat_files``)."""
        temps: list[str] = []
        files = stat_files(self.root, temps, many)
        for temp in temps:
            tempfiles.remove(tempfiles.stale(Path(temp).parent, [Path(temp).name]))
        return files

    def build(self, cancel: threading.Event | None = None, progress: Progress | None = None) -> Iterator[list[Record]]:
        """Read the whole archive, yielding batches of records as they become available."""
        early: list[Process] = []
        # Records are acyclic: one collection after the build, not one per piece read (nor, during the scan,
        # collections that go over every record the cache has just loaded).
        with gc_paused():
            try:
                cache = self.cache
                first = self.workers > 1 and (cache is None or cache.empty)  # a first build: the workers start
                many = (PARALLEL_MIN * CHUNK, lambda: early.extend(start_workers(self.workers)))  # while it lists
                files = self.scan(many if first else None)
                yield from self._build(files, cancel, progress, early)
            finally:
                stop_workers(early)  # (those not taken by the read, e.g. when cancelled first)

    def _build(
        self,
        files: list[tuple[str, int, int]],
        cancel: threading.Event | None,
        progress: Progress | None,
        early: list[Process],
    ) -> Iterator[list[Record]]:
        stats = self.stats = BuildStats(total=len(files))
        self.records = {}
        cached: list[Record] = []
        todo: list[tuple[str, int, int]] = files
        cache = self.cache
        if cache is not None:
            cached, todo = cache.take(paced(files))
            present = {rel for rel, _, _ in files}
            cache.remove(cache.known_paths() - present)
        # Many files to read: their pieces join the snapshot as they are, rather than row by row.
        many = cache is not None and len(todo) > _stale_limit(len(files))
        done = 0
        try:
            for start in range(0, len(cached), BATCH):
                batch = cached[start : start + BATCH]
                self._accept(batch, store=False)
                done += len(batch)
                stats.from_cache += len(batch)
                if progress:
                    progress(done, stats.total)
                yield batch
            for piece in self._read(todo, cancel, early):
                batch = self._accept_piece(piece, whole=many)
                done += len(batch)
                stats.parsed += len(batch)
                if progress:
                    progress(done, stats.total)
                yield batch
        finally:
            stats.cancelled = bool(cancel and cancel.is_set())
            if cache is not None:
                cache.settle(self.records, _stale_limit(len(files)))

    def open(self, cancel: threading.Event | None = None, progress: Progress | None = None) -> ArchiveIndex:
        """Build the whole index (convenience for callers that do not stream)."""
        for _ in self.build(cancel, progress):
            pass
        return self

    def _accept(self, batch: list[Record], store: bool) -> None:
        for record in batch:
            self.records[record.path] = record
        if store and self.cache is not None:
            self.cache.put(batch)

    def _accept_piece(self, piece: bytes, whole: bool = False) -> list[Record]:
        """Take records read elsewhere as a snapshot piece (unpacked once; ``whole``: stored as it is, else
        as one cache row per record)."""
        with gc_paused():
            entries = snapshot.unpack(piece)
            stamps = [(e[0], e[1], e[2]) for e in entries]
            batch = [snapshot.record_of(e) for e in paced(entries, 100)]
        self._accept(batch, store=not whole)
        if whole and self.cache is not None:
            self.cache.add_piece(piece, stamps)
        return batch

    def _read(
        self, todo: list[tuple[str, int, int]], cancel: threading.Event | None, early: list[Process]
    ) -> Iterator[bytes]:
        if not todo:
            return  # (and a warm open loads nothing of the YAML reader)
        from masthead.core.reader import read_piece

        root = str(self.root)
        chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
        if self.workers <= 1 or len(chunks) < PARALLEL_MIN:
            for chunk in chunks:
                if cancel and cancel.is_set():
                    return
                yield read_piece(root, chunk)
            return
        started, early[:] = list(early), []  # run_parallel ends them
        yield from run_parallel("read", read_piece, root, chunks, self.workers, cancel, started=started)

    # ------------------------------------------------------------ keeping current

    def refresh(self, paths: Iterable[Path | str], away: bool = False) -> Changes:
        """Re-read the given files (changed, added or deleted on disk) and only those. With ``away`` many
        files are read in worker processes rather than here (for a window: its threads must not parse)."""
        changes = Changes()
        todo: list[tuple[str, int, int]] = []
        for path in paced(paths):
            full = Path(path) if Path(path).is_absolute() else self.root / path
            try:
                rel = self.relpath(full)
            except ValueError:
                continue  # outside the archive
            if any(part.startswith(".") for part in rel.split("/")) or not is_markdown(full.name):
                continue
            if full.is_file():
                st = full.stat()
                old = self.records.get(rel)
                if old is not None and (old.size, old.mtime_ns) == (st.st_size, st.st_mtime_ns):
                    continue
                (changes.updated if old is not None else changes.added).append(rel)
                todo.append((rel, st.st_size, st.st_mtime_ns))
            elif rel in self.records:
                del self.records[rel]
                changes.removed.append(rel)
        from masthead.core.reader import read_piece, read_record

        if away and self.workers > 1 and len(todo) > AWAY_MIN:
            size = max(AWAY_MIN, -(-len(todo) // (2 * self.workers)))
            chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
            for piece in run_parallel("read", read_piece, str(self.root), chunks, self.workers, local_first=False):
                self._accept_piece(piece)
        else:
            fresh = [read_record(str(self.root), rel, size, mtime) for rel, size, mtime in todo]
            self._accept(fresh, store=True)
        if self.cache is not None:
            self.cache.remove(changes.removed)
        return changes

    def rescan(self, away: bool = False) -> Changes:
        """Compare the folder with the index (stat only) and re-read what differs (``away``: the walk and
        the reading in worker processes)."""
        if away and self.workers > 1:
            replies = run_parallel("scan", stat_job, str(self.root), [None], 1, local_first=False)
            listed: list[tuple[str, int, int]] = [(r[0], r[1], r[2]) for reply in replies for r in reply]
        else:
            listed = self.scan()
        present = {rel: (size, mtime) for rel, size, mtime in listed}
        stale = [
            rel
            for rel, stamp in paced(present.items(), 1000)
            if rel not in self.records or (self.records[rel].size, self.records[rel].mtime_ns) != stamp
        ]
        gone = [rel for rel in self.records if rel not in present]
        return self.refresh(stale + gone, away)

    def body(self, rel: str) -> str:
        """The transcript text of one file (read on demand, for ``body:`` queries and the preview)."""
        try:
            raw, _ = read_regular(self.root / rel)
        except OSError:
            return ""
        try:
            return split(raw).body.decode("utf-8", errors="replace")
        except ParseError:
            return raw.decode("utf-8", errors="replace")

    def text_index(self) -> TextIndex:
        """The archive's full-text index (opened on first use; ``update_text`` brings it up to date)."""
        if self._text is None:
            self._text = TextIndex(self.root, memory=not self._use_cache or self._closed)
            if self._closed:  # asked for by a search still running when the archive closed: finds nothing
                self._text.close()
        return self._text

    def update_text(self, progress: Progress | None = None, cancel: threading.Event | None = None) -> int:
        """Index the transcripts that changed since they were last indexed; returns how many."""
        files = [(r.path, r.size, r.mtime_ns) for r in self.records.values()]
        return self.text_index().update(files, self.body, progress, cancel)

    def close_cache(self) -> None:
        """Close the records' cache (its writes are done); the full-text index stays usable."""
        if self._cache is not None:
            self._cache.close()

    def close(self) -> None:
        self._closed = True
        if self._text is not None:
            self._text.close()  # kept: a search still running finds nothing rather than opening it again
        if self._cache is not None:
            self._cache.close()
