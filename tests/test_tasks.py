"""Defect 17: background results and later calls never reach a deleted receiver.

The flaky ``test_cancel_stops_a_long_run_and_what_was_written_is_undoable`` ("Internal C++ object
(MainWindow) already deleted"): at teardown qtbot closes the window while Edit ▸ Undo is still writing, so
the window defers closing; qtbot then deletes it later. The undo's result arrived in between, the window
scheduled ``self.close`` with a context-less ``QTimer.singleShot``, the deferred delete ran, and the timer
then called into the deleted window. Reproduced here step by step, without timing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt, QThreadPool
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import Shiboken
from tests.conftest import copy_fixtures
from tests.test_bulk_ui import NAMES, type_value

from masthead.ui.tasks import call_soon, run_in_background


def _delete_now(obj: QWidget) -> None:
    """What qtbot's teardown and the next event-loop pass do: deleteLater, then the deferred delete runs."""
    obj.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not Shiboken.isValid(obj)


@pytest.fixture
def pool() -> Iterator[QThreadPool]:
    pool = QThreadPool()
    yield pool
    pool.waitForDone()


def test_a_result_for_a_deleted_owner_is_dropped(qtbot: QtBot, pool: QThreadPool) -> None:
    gate, delivered = threading.Event(), []
    owner = QWidget()
    run_in_background(lambda: gate.wait(10), lambda result, error: delivered.append(result), owner, pool)
    _delete_now(owner)
    gate.set()
    pool.waitForDone()
    with qtbot.captureExceptions() as exceptions:
        QCoreApplication.processEvents()
    assert delivered == [] and exceptions == []


def test_a_call_scheduled_by_a_result_is_dropped_when_the_owner_goes_first(qtbot: QtBot, pool: QThreadPool) -> None:
    gate, calls = threading.Event(), []

    class Window(QWidget):
        def finish(self) -> None:
            calls.append(self.isVisible())  # touches the C++ object: raises if it were gone

    owner = Window()
    run_in_background(lambda: gate.wait(10), lambda result, error: call_soon(owner, owner.finish), owner, pool)
    gate.set()
    pool.waitForDone()
    with qtbot.captureExceptions() as exceptions:
        QCoreApplication.processEvents()  # the result arrives while the owner lives: finish is scheduled
        _delete_now(owner)  # then the owner is deleted before the timer fires
        for _ in range(3):
            QCoreApplication.processEvents()
    assert calls == [] and exceptions == []


def test_closing_the_window_while_an_undo_writes_then_deleting_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from masthead.core import storage
    from masthead.ui.main_window import MainWindow
    from masthead.ui.writer import writer

    root = copy_fixtures(tmp_path / "archive", NAMES)
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))  # not qtbot's
    window.prefs.confirm_bulk = False
    window.history.ask = False  # Edit > Undo of a bulk operation asks first: tested elsewhere
    window.show()
    with qtbot.waitSignal(window.archive_loaded, timeout=20000):
        window.open_archive(root)
    qtbot.waitUntil(lambda: bool(window.vocabulary.get("tags")), timeout=5000)
    window.table.selectAll()
    dialog = window.bulk_tag()
    assert dialog is not None
    type_value(qtbot, dialog.add_picker, "teardown")
    dialog.preview()
    qtbot.waitUntil(dialog.apply_button.isEnabled, timeout=20000)
    with qtbot.waitSignal(dialog.applied, timeout=20000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    dialog.close()
    gate = threading.Event()
    real = storage.write_atomic

    def held(path: Path, data: bytes, expected: object, folders: Any = None, tail: int = 0) -> object:
        gate.wait(10)  # the undo is still writing when the window is closed
        return real(path, data, expected, folders, tail)  # type: ignore[arg-type]

    monkeypatch.setattr(storage, "write_atomic", held)
    window.undo_action.trigger()
    window.close()  # deferred: the undo is writing
    window.deleteLater()
    gate.set()
    writer().drain()
    with qtbot.captureExceptions() as exceptions:
        QCoreApplication.processEvents()  # the undo's result reaches the (closed, not yet deleted) window
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        for _ in range(3):
            QCoreApplication.processEvents()
    assert exceptions == []
