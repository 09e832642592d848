"""Watch an archive for changes made by other programs, and report them in small debounced groups.

Folders are watched for files appearing, disappearing and being renamed (an atomic replace is a rename);
files are watched for changes in place. A watch lost to an atomic replace is added again.

The files are spread over several ``QFileSystemWatcher`` shards of at most ~``SHARD`` paths: a watcher
forgets a replaced file with a linear search of its whole list, so 1,000 files replaced by a bulk operation
in a 10,000-file archive cost 10 million comparisons on the GUI thread with one watcher (~120 ms), a
twentieth of that with shards.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

SLICE = 200  # watches added per event-loop turn (~10 ms)
SHARD = 500  # files per watcher


class ArchiveWatcher(QObject):
    """Emits ``files_changed(paths)`` and ``folders_changed()`` at most every ``delay_ms``."""

    files_changed = Signal(list)
    folders_changed = Signal()

    def __init__(self, parent: Any = None, delay_ms: int = 250) -> None:
        super().__init__(parent)
        self._watcher = self._new_watcher()  # the folders
        self._shards: list[QFileSystemWatcher] = []  # the files, by a hash of their path
        self._files: set[str] = set()
        self._folders_dirty = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._flush)
        self.unwatched = 0  # paths the system would not watch (limits): those rely on folder events
        self._queue: list[str] = []
        self._generation = 0

    def watch(self, root: Path, files: list[str]) -> None:
        """Watch ``root``'s folders, then the given files (relative paths), a slice per event-loop turn so
        that thousands of watches never block the window."""
        self.clear()
        base = str(root)
        folders = {base}
        for rel in files:
            parent = os.path.dirname(rel)
            while parent and parent not in folders:
                folders.add(parent)
                parent = os.path.dirname(parent)
        self.unwatched = 0
        self._shards = [self._new_watcher() for _ in range(max(1, -(-len(files) // SHARD)))]
        self._watcher.addPaths([base] + [os.path.join(base, f) for f in sorted(folders - {base})])
        self._queue = [os.path.join(base, rel) for rel in files]
        self._generation += 1
        self._feed(self._generation)

    def _shard(self, path: str) -> QFileSystemWatcher:
        return self._shards[zlib.crc32(path.encode("utf-8", "surrogateescape")) % len(self._shards)]

    def watched_files(self, among: list[str] | None = None) -> set[str]:
        """The files watched now (only the shards that would hold ``among``, if given)."""
        shards = list(self._shards)
        if among is not None and shards:
            shards = list({id(shard): shard for shard in map(self._shard, among)}.values())
        return {path for shard in shards for path in shard.files()}

    def _feed(self, generation: int) -> None:
        if generation != self._generation or not self._queue:
            return
        batch, self._queue = self._queue[:SLICE], self._queue[SLICE:]
        if not self._shards:
            self._shards = [self._new_watcher()]
        by_shard: dict[int, list[str]] = {}
        for path in batch:
            by_shard.setdefault(id(self._shard(path)), []).append(path)
        for shard in self._shards:
            paths = by_shard.get(id(shard))
            if paths:
                self.unwatched += len(shard.addPaths(paths))
        if self._queue:
            QTimer.singleShot(0, self, lambda: self._feed(generation))  # dropped if the watcher is deleted

    @property
    def pending(self) -> int:
        """Paths still waiting to be watched."""
        return len(self._queue)

    def add(self, paths: list[str]) -> None:
        """Watch more files, a slice per event-loop turn (a bulk operation re-adds a thousand at once)."""
        if not paths:
            return  # (no stat here: a path that is gone is simply not added)
        idle = not self._queue
        self._queue.extend(paths)
        if idle:
            self._feed(self._generation)

    def _new_watcher(self) -> QFileSystemWatcher:
        watcher = QFileSystemWatcher(self)
        watcher.fileChanged.connect(self._on_file)
        watcher.directoryChanged.connect(self._on_folder)
        return watcher

    def clear(self) -> None:
        """Stop watching everything. The watcher is replaced rather than emptied: removing 10,000 paths one by
        one takes ~170 ms, dropping the watcher ~3 ms (the system discards all its watches at once)."""
        self._generation += 1
        self._queue = []
        old, self._watcher = [self._watcher, *self._shards], self._new_watcher()
        self._shards = []
        for watcher in old:
            watcher.blockSignals(True)
            watcher.deleteLater()

    def _on_file(self, path: str) -> None:
        self._files.add(path)
        self._timer.start()

    def _on_folder(self, path: str) -> None:
        self._folders_dirty = True
        self._timer.start()

    def _flush(self) -> None:
        files, self._files = sorted(self._files), set()
        if files:  # a file replaced atomically lost its watch: watch the new one (one look at the list for all)
            watched = self.watched_files(files)
            self.add([f for f in files if f not in watched])
            self.files_changed.emit(files)
        if self._folders_dirty:
            self._folders_dirty = False
            self.folders_changed.emit()
