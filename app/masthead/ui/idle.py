"""Background Python work runs while the GUI thread is idle.

Python code on a worker thread and the GUI thread share one GIL: while a worker computes, every call Qt makes
into Python on the GUI thread (a model's ``data``, a paint override, a slot) first waits for the worker to
hand the GIL over (up to the switch interval, 0.5 ms here). A repaint that calls Python a thousand times
then takes half a second instead of a few milliseconds. So long Python work on a worker thread calls
``yield_to_gui()`` every millisecond or so: it returns at once while the GUI thread sleeps in its event loop,
and waits (without the GIL) while the GUI thread is awake, so the GUI's bursts of work run at full speed and
the worker takes the time between them. The GUI thread is idle from its dispatcher's ``aboutToBlock`` (it is
about to sleep) until it handles the next event (an application-wide event filter: the dispatcher's
``awake`` comes too late, or never, under glib). Without an installed gate (the CLI, a test without a window)
nothing ever waits.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from PySide6.QtCore import QAbstractEventDispatcher, QCoreApplication, QEvent, QObject, QThread

from masthead.core import pacing

PATIENCE = 0.1
"""The longest a worker waits for the GUI thread to go idle (then it runs beside it: a GUI thread that never
sleeps must not stop background work for good)."""

_idle = threading.Event()
_idle.set()
_installed: list[QObject] = []


class _Busy(QObject):
    """Sees every event of the GUI thread's objects first: the GUI thread is busy."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if _idle.is_set():  # once per turn of the event loop (a clear takes a lock)
            _idle.clear()
        return False


def install() -> bool:
    """Follow the GUI thread's event loop (call on the GUI thread, once the application exists). Idempotent."""
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return False
    dispatcher = QAbstractEventDispatcher.instance()
    if dispatcher is None:
        return False
    pacing.install(yield_to_gui)  # core's long loops pause here too
    if _installed:
        return True
    busy = _Busy(app)
    app.installEventFilter(busy)
    dispatcher.aboutToBlock.connect(_idle.set)
    _installed.append(busy)
    return True


def uninstall() -> None:
    """Stop following the GUI thread (tests): ``yield_to_gui`` never waits again."""
    app = QCoreApplication.instance()
    for busy in _installed:
        if app is not None:
            app.removeEventFilter(busy)
    dispatcher = QAbstractEventDispatcher.instance()
    if _installed and dispatcher is not None:
        dispatcher.aboutToBlock.disconnect(_idle.set)
    _installed.clear()
    pacing.install(None)
    _idle.set()


def gui_idle() -> bool:
    """Whether the GUI thread is asleep in its event loop (True when no gate is installed)."""
    return _idle.is_set()


def yield_to_gui(patience: float | None = None) -> None:
    """On a worker thread, between small steps of Python work: wait (without the GIL) until the GUI thread
    is idle, at most ``patience`` seconds (``PATIENCE``)."""
    if threading.current_thread() is threading.main_thread():
        return  # never wait for oneself
    _idle.wait(PATIENCE if patience is None else patience)


@contextlib.contextmanager
def blocking() -> Iterator[None]:
    """Around a wait of the GUI thread for a worker (a thread's ``wait()``): the GUI thread is idle meanwhile,
    else the worker would wait for it at every pause."""
    _idle.set()
    try:
        yield
    finally:
        _idle.clear()
