"""The application's serial writer: every write to the archive runs here, one at a time, off the GUI thread.

A job closes over an immutable snapshot of what to write (bytes, paths, the expected old hash), never a
live widget or document, so what is written is what was asked for even if the user goes on editing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThreadPool

from masthead.ui import idle
from masthead.ui.tasks import run_in_background

T = TypeVar("T")

POOL = QThreadPool()
POOL.setMaxThreadCount(1)  # one writer for the application: two saves never race


class Writer(QObject):
    """Runs jobs one at a time; ``on_done(result, error)`` is called on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("writer")
        self._pending = 0

    @property
    def pool(self) -> QThreadPool:
        return POOL

    @property
    def busy(self) -> bool:
        """Jobs submitted and not finished yet."""
        return self._pending > 0

    def submit(
        self,
        job: Callable[[], T],
        on_done: Callable[[T | None, BaseException | None], None],
        owner: QObject | None = None,
    ) -> None:
        """Run ``job`` after the jobs before it; ``on_done`` is dropped if ``owner`` was deleted meanwhile
        (a closed dialog): the write itself always completes."""
        self._pending += 1

        def done(result: Any, error: BaseException | None) -> None:
            self._pending -= 1
            if owner is None or shiboken6.isValid(owner):
                on_done(result, error)

        run_in_background(job, done, self, pool=POOL)

    def drain(self, timeout_ms: int = 30000) -> bool:
        """Block until every submitted job has ended (at quit). True if they all did in time."""
        with idle.blocking():  # the jobs must not wait for an idle GUI thread meanwhile
            return POOL.waitForDone(timeout_ms)


_writer: Writer | None = None


def writer() -> Writer:
    """The application's one writer."""
    global _writer
    if _writer is None:
        _writer = Writer()
    return _writer
