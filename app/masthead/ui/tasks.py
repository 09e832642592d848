"""Work off the GUI thread: a generic runner delivering ``(result, error)`` on the GUI thread, and the
archive loader that streams index batches as they are read."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot

from masthead.core.index import ArchiveIndex


class _Relay(QObject):
    done = Signal(object, object)  # result, error


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn, self.relay = fn, relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:
            self.relay.done.emit(None, exc)
        else:
            self.relay.done.emit(result, None)


_live: set[_Relay] = set()


def run_in_background(
    fn: Callable[[], Any], on_done: Callable[[Any, BaseException | None], None], owner: QObject
) -> None:
    """Run ``fn`` on the thread pool; call ``on_done(result, error)`` on ``owner``'s (GUI) thread."""
    relay = _Relay()
    relay.moveToThread(owner.thread())
    _live.add(relay)

    def finish(result: Any, error: Any) -> None:
        _live.discard(relay)
        on_done(result, error)

    relay.done.connect(finish)
    QThreadPool.globalInstance().start(_Job(fn, relay))


class IndexLoader(QObject):
    """Builds an archive index on its own thread, emitting batches of records as they come."""

    batch = Signal(list)
    progress = Signal(int, int)
    finished = Signal(object, object)  # stats, error

    def __init__(self, index: ArchiveIndex) -> None:
        super().__init__()
        self.index = index
        self.cancel = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("index-loader")
        self.moveToThread(self._thread)
        self._thread.started.connect(self._run)

    def start(self) -> None:
        self._thread.start()

    def stop(self, wait: bool = True) -> None:
        """Ask the loader to stop after the batch in hand; optionally wait until it has."""
        self.cancel.set()
        if wait:
            self._thread.quit()
            self._thread.wait()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    @Slot()
    def _run(self) -> None:
        try:
            for batch in self.index.build(self.cancel, progress=self.progress.emit):
                self.batch.emit(batch)
        except Exception as exc:
            self.finished.emit(self.index.stats, exc)
        else:
            self.finished.emit(self.index.stats, None)
        finally:
            self._thread.quit()
