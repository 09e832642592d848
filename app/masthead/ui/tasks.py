"""Work off the GUI thread: a generic runner delivering ``(result, error)`` on the GUI thread, and the
archive loader that streams index batches as they are read."""

from __future__ import annotations

import atexit
import contextlib
import queue
import threading
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, QTimer, Signal, Slot
from shiboken6 import Shiboken

from masthead.core.index import ArchiveIndex, BuildStats
from masthead.core.records import Record
from masthead.core.render import Heading, Rendered, render_markdown
from masthead.core.workers import Worker
from masthead.ui import idle


class _Relay(QObject):
    """Carries one job's outcome to the GUI thread. Only a bare signal crosses threads; the result waits
    in plain attributes (Python objects are never sent through queued signals: see IndexLoader)."""

    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.result: Any = None
        self.error: BaseException | None = None


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn, self.relay = fn, relay

    def run(self) -> None:
        try:
            self.relay.result = self.fn()
        except Exception as exc:  # handed to the GUI thread as the error
            self.relay.error = exc
        with contextlib.suppress(RuntimeError):  # the receiver is gone (its window closed meanwhile)
            self.relay.done.emit()


_live: set[_Relay] = set()


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any, BaseException | None], None],
    owner: QObject,
    pool: QThreadPool | None = None,
) -> None:
    """Run ``fn`` on a thread pool (the global one unless given); call ``on_done(result, error)`` on
    ``owner``'s (GUI) thread. A result that arrives after ``owner`` was deleted is dropped; ``on_done`` must
    schedule any later call on ``owner`` with ``call_soon`` (never a context-less timer)."""
    relay = _Relay()
    relay.moveToThread(owner.thread())
    _live.add(relay)

    def finish() -> None:
        _live.discard(relay)
        result, error = relay.result, relay.error
        relay.result = relay.error = None
        if Shiboken.isValid(owner):  # the window may have been closed while the job ran
            on_done(result, error)

    relay.done.connect(finish)
    (pool or QThreadPool.globalInstance()).start(_Job(fn, relay))


_foreground: QThreadPool | None = None


def foreground() -> QThreadPool:
    """A pool for what the user waits for (a file being opened, its preview): jobs that only read a file or
    wait on a pipe. Long background work (sorting, indexing, suggestions) stays on the global pool, where it
    pauses while the GUI thread is busy (``idle``) and must not hold up these."""
    global _foreground
    if _foreground is None:
        _foreground = QThreadPool()
        _foreground.setObjectName("foreground")
        _foreground.setMaxThreadCount(2)
    return _foreground


def call_soon(owner: QObject, fn: Callable[[], Any], msec: int = 0) -> None:
    """Call ``fn`` on ``owner``'s thread after ``msec`` ms, unless ``owner`` has been deleted by then.

    Use it instead of ``QTimer.singleShot(0, self.method)``: a timer without a context object still fires
    after its object was deleted (e.g. a window closed while a background job finished), and then raises
    "Internal C++ object already deleted"."""
    QTimer.singleShot(msec, owner, fn)


_render_worker: Worker | None = None


def render_elsewhere(body: str, entities: Iterable[str]) -> Rendered:
    """``render_markdown`` in the application's render process (call it on a worker thread: it waits on a
    pipe, so rendering a long transcript holds no GIL here, where every call the GUI thread makes into
    Python would wait for it); in this process if that one fails."""
    global _render_worker
    if _render_worker is None:
        _render_worker = Worker()
        atexit.register(_render_worker.close)
    try:
        html, outline = _render_worker.call("render", "", (body, list(entities)))
    except RuntimeError:
        return render_markdown(body, entities)
    return Rendered(html, [Heading(level, text, anchor) for level, text, anchor in outline])


class IndexLoader(QObject):
    """Builds an archive index on its own thread. Batches of records go to ``inbox`` (a thread-safe queue,
    drained by the window at its own pace); only plain signals cross threads: ``progress(done, total)``
    and ``finished()``, after which ``stats`` and ``error`` are set. (Python objects are deliberately not
    sent through queued signals: PySide's cross-thread marshalling of them corrupted references.)"""

    progress = Signal(int, int)
    finished = Signal()

    def __init__(self, index: ArchiveIndex, prepare: Callable[[], Any] | None = None) -> None:
        super().__init__()
        self.index = index
        self.prepare = prepare  # run first on the loader's thread (e.g. reading the schema): ``prepared``
        self.prepared: Any = None
        self.ready = threading.Event()  # set once ``prepare`` ran
        self.cancel = threading.Event()
        self.inbox: queue.SimpleQueue[list[Record]] = queue.SimpleQueue()
        self.stats: BuildStats | None = None
        self.error: BaseException | None = None
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
            with idle.blocking():  # the loader must not wait for an idle GUI thread meanwhile
                self._thread.wait()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def take(self, limit: int) -> list[Record]:
        """Up to ``limit`` records that have arrived (GUI thread)."""
        out: list[Record] = []
        while len(out) < limit:
            try:
                out.extend(self.inbox.get_nowait())
            except queue.Empty:
                break
        return out

    @Slot()
    def _run(self) -> None:
        try:
            if self.prepare is not None:
                self.prepared = self.prepare()
            self.ready.set()
            for batch in self.index.build(self.cancel, progress=self.progress.emit):
                self.inbox.put(batch)
        except Exception as exc:
            self.error = exc
        finally:
            self.ready.set()
            self.stats = self.index.stats
            self.finished.emit()
            self._thread.quit()
