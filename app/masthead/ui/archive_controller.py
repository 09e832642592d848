"""The open archive: opening and closing it, streaming its records into the table while it loads,
following changes on disk (watcher, refreshes) and keeping the vocabulary up to date, all without
blocking the GUI thread. Widgets never read files: they ask this controller."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal

from masthead.core.fieldinfo import choice_fields
from masthead.core.fulltext import DamagedIndex
from masthead.core.index import ArchiveIndex, BuildStats, Changes
from masthead.core.pacing import paced
from masthead.core.records import Record
from masthead.core.vocabulary import Delta, Diff, Vocabulary
from masthead.core.workers import UPDATED, other_code_seen
from masthead.core.workflow import Schema, builtin_schema, load_schema
from masthead.ui.folder_model import FolderModel
from masthead.ui.models import DocumentsModel
from masthead.ui.tasks import IndexLoader, run_in_background
from masthead.ui.watcher import ArchiveWatcher

DRAIN = 300  # records inserted into the table per event-loop turn while an archive loads
VOCAB_SLICE = 40  # records counted into the vocabulary at a time
VOCAB_TURN = 0.008  # seconds of counting per event-loop turn
MOVE_WINDOW = 5.0  # seconds a removed file may take to be seen again elsewhere (as moved: ``files_moved``)
Picker = dict[str, dict[str, int]]


def picker_counts(vocab: Vocabulary) -> Picker:
    """The pickers' view of a vocabulary: field -> value -> number of files. The Counters themselves (no copy
    of 41,000 values): they are updated in place, so every editor holding them sees the new counts."""
    return {**vocab.choices, **vocab.lists}


def _replaced(changes: Changes, before: dict[str, Record], now: dict[str, Record]) -> tuple[list[Record], list[Record]]:
    """The records ``changes`` took out (as they were) and put in (as they are): what the vocabulary follows."""
    old = [before[p] for p in (*changes.removed, *changes.updated) if p in before]
    new = [now[p] for p in (*changes.added, *changes.updated) if p in now]
    return old, new


class ArchiveController(QObject):
    """Owns the archive index, the documents model, the folder tree model and the watcher."""

    opened = Signal()  # a new archive started loading (the views are empty)
    schema_loaded = Signal()  # ``schema`` is the archive's own (read off the GUI thread)
    loaded = Signal()  # every record is in the table
    changed = Signal()  # records changed after loading (a save, a bulk operation, another program)
    vocabulary_changed = Signal()  # ``vocab``/``vocabulary`` changed (in place, or replaced)
    files_updated = Signal(list)  # rels that changed on disk (same-thread signal)
    files_removed = Signal(list)  # rels deleted or moved on disk
    files_moved = Signal(dict)  # old rel -> new rel: files removed lately found again elsewhere
    progress = Signal(int, int)
    message = Signal(str, int)  # status bar text, milliseconds
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.index: ArchiveIndex | None = None
        self.loader: IndexLoader | None = None
        self.schema: Schema = builtin_schema()
        self.vocab = Vocabulary()
        self.vocabulary: Picker = {}
        self.last_stats: BuildStats | None = None
        self.delta: Delta | None = None  # while vocabulary_changed is emitted for an update: what changed
        self._gone: dict[tuple[int, int], tuple[str, float]] = {}  # files removed lately: (size, mtime) -> rel
        self.model = DocumentsModel(self)
        self.folders = FolderModel(self)
        self.watcher = ArchiveWatcher(self)
        self.watcher.files_changed.connect(self._on_files_changed)
        self.watcher.folders_changed.connect(self._on_folders_changed)
        self._loader_done = False
        self._drain_timer = QTimer(self)
        self._drain_timer.setInterval(15)
        self._drain_timer.timeout.connect(self._drain)
        self._refreshing = False
        self._refresh_pending: set[str] | Literal["all"] | None = None
        self._told_updated = False  # the status bar said that Masthead was updated while it ran
        self._vocab_generation = 0
        self._text_pool = QThreadPool(self)  # the full-text index's own thread: it may take a minute
        self._text_pool.setMaxThreadCount(1)
        self._text_cancel = threading.Event()
        self._text_state: Literal["none", "building", "ready"] = "none"

    @property
    def root(self) -> Path | None:
        return self.index.root if self.index is not None else None

    @property
    def loading(self) -> bool:
        return self.loader is not None

    # ------------------------------------------------------------------ open / close
    def open(self, root: Path) -> None:
        """Index ``root`` in the background; records reach the model in small slices."""
        self.close()
        self.index = ArchiveIndex(root)
        self.schema = builtin_schema()  # until the archive's own is read (on the loader's thread)
        self.model.schema = self.schema
        self.model.reset([])
        self.model.set_deferred(True)
        self.folders.rebuild(root.name, [])
        self.vocab, self.vocabulary = Vocabulary(), {}
        gc.disable()  # see _complete
        self.loader = IndexLoader(self.index, lambda: load_schema(root))
        self.loader.progress.connect(self.progress)
        self.loader.finished.connect(self._on_loader_finished)
        self._loader_done = False
        self._drain_timer.start()
        self.opened.emit()
        self.vocabulary_changed.emit()
        self.loader.start()

    def close(self) -> None:
        if self.loader is not None:
            self.loader.stop(wait=True)
            self.loader = None
        gc.enable()
        gc.unfreeze()
        self._drain_timer.stop()
        self._loader_done = False
        self._vocab_generation += 1
        self._text_cancel.set()
        self._text_state = "none"
        if self.index is not None:
            self.index.close()
        self.index = None
        self.watcher.clear()
        self.model.reset([])

    def cancel(self) -> None:
        if self.loader is not None:
            self.loader.cancel.set()

    def _drain(self) -> None:
        loader = self.loader
        if loader is None:
            self._drain_timer.stop()
            return
        if not loader.ready.is_set():
            return  # no row before the schema that decides its badge
        if loader.prepared is not None:
            schema, loader.prepared = loader.prepared, None
            if isinstance(schema, Schema):
                self.schema = self.model.schema = schema
                self.schema_loaded.emit()
        batch = loader.take(DRAIN)
        if batch:
            self.model.add(batch)
            self.folders.add(r.path for r in batch)
        elif self._loader_done:
            self._drain_timer.stop()
            self._complete(loader.stats or BuildStats(), loader.error)

    def _on_loader_finished(self) -> None:
        self._loader_done = True

    def _complete(self, stats: BuildStats, error: BaseException | None) -> None:
        # The cyclic garbage collector stays off while records arrive and until the first vocabulary is built
        # (one full collection with a large archive alive takes hundreds of ms on whichever thread allocates,
        # and holds the GIL meanwhile); then the loaded objects are frozen (see _settle_gc).
        self.last_stats = stats
        self.model.set_deferred(False)
        if self.loader is not None:
            self.loader.stop(wait=True)
            self.loader = None
        if self.index is None:
            return
        if error is not None:
            self.failed.emit(f"{self.index.root}: {error}")
        records = self.model.records
        errors = sum(1 for r in records if r.error)
        state = "Indexing cancelled" if stats.cancelled else "Indexed"
        self.message.emit(
            f"{state}: {len(records):,} files ({stats.from_cache:,} from cache), {errors:,} with errors", 8000
        )
        QTimer.singleShot(0, self, self._finish)  # the rest in a later turn of the event loop

    def _finish(self) -> None:
        if self.index is None:
            return
        self.watcher.watch(self.index.root, [r.path for r in self.model.records])
        if self.model.sorting:  # one background job at a time: two CPU-bound threads starve the GUI of the GIL
            self.model.sorted.connect(self._vocabulary_after_sort, Qt.ConnectionType.SingleShotConnection)
        else:
            self.rebuild_vocabulary()
        self.loaded.emit()

    def _vocabulary_after_sort(self) -> None:
        if self.index is not None and not self.loading:
            self.rebuild_vocabulary()

    @staticmethod
    def _settle_gc() -> None:
        """After loading: later collections skip the archive's objects (reference counting still frees them)."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    # ------------------------------------------------------------------ the current file
    def same_on_disk(self, rel: str, raw: bytes) -> bool:
        """Whether the file still holds exactly ``raw`` (e.g. what was just saved): no reload needed."""
        if self.index is None:
            return False
        try:
            return (self.index.root / rel).read_bytes() == raw
        except OSError:
            return False

    # ------------------------------------------------------------------ vocabulary
    def rebuild_vocabulary(self) -> None:
        """Count every value (after loading; afterwards updates are incremental), a slice of records per
        event-loop turn on the GUI thread: a CPU-bound Python thread beside it would starve the GUI thread of
        the GIL for hundreds of milliseconds, while slices of ~10 ms never block it."""
        records = list(self.model.records)
        self._vocab_generation += 1
        generation = self._vocab_generation
        vocab = Vocabulary(choice_fields=frozenset(choice_fields(self.schema)))

        def step(start: int) -> None:
            if generation != self._vocab_generation:
                return  # another archive, or another rebuild
            until = time.perf_counter() + VOCAB_TURN  # as many slices as fit in one turn
            while start < len(records) and time.perf_counter() < until:
                vocab.update([], records[start : start + VOCAB_SLICE])
                start += VOCAB_SLICE
            if start < len(records):
                QTimer.singleShot(0, self, lambda: step(start))
                return
            self._settle_gc()
            self.vocab, self.vocabulary, self.delta = vocab, picker_counts(vocab), None
            self.vocabulary_changed.emit()
            if self._text_state == "none":
                self._build_text_index()

        step(0)

    # ------------------------------------------------------------------ full-text search
    def _files(self) -> Callable[[], list[tuple[str, int, int]]]:
        """The table's files as they are now, listed when called (off the GUI thread: 10,000 took 15-40 ms)."""
        records = list(self.model.records)  # (a copy: the model changes its list; a record is never changed)
        return lambda: [(r.path, r.size, r.mtime_ns) for r in paced(records)]

    def _build_text_index(self) -> None:
        """Bring the full-text index up to date on its own thread, once the archive and its vocabulary are
        loaded (the first time it reads every transcript; later only changed ones)."""
        index = self.index
        if index is None:
            return
        files, cancel = self._files(), threading.Event()
        self._text_cancel, self._text_state = cancel, "building"

        def done(_result: object, error: BaseException | None) -> None:
            if index is self.index and not cancel.is_set():
                self._text_state = "ready" if error is None else "none"

        run_in_background(
            lambda: index.text_index().update(files(), index.body, cancel=cancel), done, self, self._text_pool
        )

    @property
    def text_ready(self) -> bool:
        """Whether the full-text index is built (transcript searches are answered from it)."""
        return self._text_state == "ready"

    def text_search(self) -> Callable[[list[str]], dict[str, set[str]] | None] | None:
        """For a ``body:``/``text:`` search: a function, to run off the GUI thread, giving for each text the
        paths whose transcript holds it (the index is first brought up to date with the files as the table has
        them: only changed ones are read), or None when a part of it was found damaged (that search reads the
        files; the next one rebuilds the part); None while the index is first being built."""
        index = self.index
        if index is None or self._text_state != "ready":
            return None
        files = self._files()

        def hits(texts: list[str]) -> dict[str, set[str]] | None:
            text_index = index.text_index()
            text_index.update(files(), index.body)  # (and rebuilds a part found damaged before)
            try:
                return {text: text_index.paths(text) for text in texts}
            except DamagedIndex:
                return None  # this search reads the files

        return hits

    # ------------------------------------------------------------------ changes on disk
    def refresh(self, paths: list[str] | None) -> None:
        """Bring the index up to date off the GUI thread: the given files (full paths, or paths in the
        archive), or a stat-only rescan (None)."""
        index = self.index
        if index is None or self.loading:
            return
        if self._refreshing:  # one at a time; remember what else is asked, a rescan covering everything
            if paths is None or self._refresh_pending == "all":
                self._refresh_pending = "all"
            else:
                self._refresh_pending = (self._refresh_pending or set()) | set(paths)
            return
        self._refreshing = True
        before = dict(index.records)  # a shallow copy: the records themselves are never changed in place
        vocab = self.vocab

        def work() -> tuple[Changes, Diff]:
            changes = index.rescan(away=True) if paths is None else index.refresh(paths, away=True)
            old, new = _replaced(changes, before, index.records)
            return changes, vocab.diff(old, new)  # off the GUI thread: it only reads records

        def done(result: tuple[Changes, Diff] | None, error: BaseException | None) -> None:
            self._refreshing = False
            if result is not None and index is self.index:
                changes, diff = result
                self._apply(changes, before, diff if vocab is self.vocab else None)
            if error is not None and index is self.index:  # (it was dropped: the table stayed as it was)
                self.message.emit(f"Changed files could not be read again ({error}): press F5 to reload", 0)
            elif other_code_seen() and not self._told_updated:  # (read here instead, but say it once)
                self._told_updated = True
                self.message.emit(UPDATED, 0)
            pending, self._refresh_pending = self._refresh_pending, None
            if pending is not None:
                self.refresh(None if pending == "all" else sorted(pending))

        run_in_background(work, done, self)

    def refresh_rels(self, rels: Iterable[str]) -> None:
        """Refresh files given by their archive paths (joined with the root off the GUI thread, by the index:
        10,000 ``Path`` joins here took ~40 ms of it after a bulk change of every file)."""
        if self.index is not None:
            self.refresh(list(rels))

    def _on_files_changed(self, paths: list[str]) -> None:
        self.refresh(paths)

    def _on_folders_changed(self) -> None:
        self.refresh(None)

    def _moved(self, changes: Changes, before: dict[str, Record], now: dict[str, Record]) -> dict[str, str]:
        """Files removed lately (this refresh or one of the last ``MOVE_WINDOW`` seconds) that were added under
        another path (renamed or moved: the same size and mtime, one file each): old path -> new path."""
        gone, moment = self._gone, time.monotonic()
        for stamp in [s for s, (_, when) in gone.items() if moment - when > MOVE_WINDOW]:
            del gone[stamp]
        for rel in changes.removed:
            if rel in before:
                stamp = (before[rel].size, before[rel].mtime_ns)
                gone[stamp] = ("" if stamp in gone else rel, moment)  # ("": two files had it, neither is known)
        added: dict[tuple[int, int], list[str]] = {}
        for rel in changes.added:
            if rel in now:
                added.setdefault((now[rel].size, now[rel].mtime_ns), []).append(rel)
        moved: dict[str, str] = {}
        for stamp, rels in added.items():
            old = gone.pop(stamp, ("", 0.0))[0]
            if old and len(rels) == 1:
                moved[old] = rels[0]
        return moved

    def _apply(self, changes: Changes, before: dict[str, Record], diff: Diff | None) -> None:
        """Only the rows, folder counts and vocabulary entries that changed (``diff``: the vocabulary's part,
        computed off the GUI thread; None when the vocabulary was replaced meanwhile)."""
        assert self.index is not None
        records = self.index.records
        self.model.remove(changes.removed)
        self.folders.remove(changes.removed)
        self.model.add([records[p] for p in changes.added if p in records])
        self.folders.add(p for p in changes.added if p in records)
        self.model.update(records[p] for p in changes.updated if p in records)
        self.watcher.add([str(self.index.root / p) for p in changes.added])
        delta = (
            self.vocab.apply_diff(diff) if diff is not None else self.vocab.update(*_replaced(changes, before, records))
        )
        if delta:
            self.delta = delta
            self.vocabulary.update(picker_counts(self.vocab))  # fields that appeared (a few dict entries)
            self.vocabulary_changed.emit()
            self.delta = None
        if changes.updated:
            self.files_updated.emit(list(changes.updated))
        moved = self._moved(changes, before, records)
        if moved:
            self.files_moved.emit(moved)
        if changes.removed:
            self.files_removed.emit(list(changes.removed))
        self.changed.emit()
