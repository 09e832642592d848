"""Watch an archive for changes made by other programs, and report them in small debounced groups.

Folders are watched for files appearing, disappearing and being renamed (an atomic replace is a rename);
files are watched for changes in place. A watch lost to an atomic replace is added again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

SLICE = 200  # watches added per event-loop turn (~10 ms)


class ArchiveWatcher(QObject):
    """Emits ``files_changed(paths)`` and ``folders_changed()`` at most every ``delay_ms``."""

    files_changed = Signal(list)
    folders_changed = Signal()

    def __init__(self, parent: Any = None, delay_ms: int = 250) -> None:
        super().__init__(parent)
        self._watcher = self._new_watcher()
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
        self._queue = [base] + [os.path.join(base, f) for f in sorted(folders - {base})]
        self._queue += [os.path.join(base, rel) for rel in files]
        self._generation += 1
        self._feed(self._generation)

    def _feed(self, generation: int) -> None:
        if generation != self._generation or not self._queue:
            return
        batch, self._queue = self._queue[:SLICE], self._queue[SLICE:]
        self.unwatched += len(self._watcher.addPaths(batch))
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
        old, self._watcher = self._watcher, self._new_watcher()
        old.blockSignals(True)
        old.deleteLater()

    def _on_file(self, path: str) -> None:
        self._files.add(path)
        self._timer.start()

    def _on_folder(self, path: str) -> None:
        self._folders_dirty = True
        self._timer.start()

    def _flush(self) -> None:
        files, self._files = sorted(self._files), set()
        if files:  # a file replaced atomically lost its watch: watch the new one (one look at the list for all)
            watched = set(self._watcher.files())
            self.add([f for f in files if f not in watched])
            self.files_changed.emit(files)
        if self._folders_dirty:
            self._folders_dirty = False
            self.folders_changed.emit()
