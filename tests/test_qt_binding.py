"""The Qt binding keeps Python's reference counts right (PySide6 6.12.0 did not: every Python slot call
and every invalid QVariant handed to Python lost a reference to None, and the interpreter aborted with
"Fatal Python error: none_dealloc" after a few thousand; pyproject.toml excludes that version).

None is immortal from Python 3.12 (its count never moves), so the None checks run where its count can be
measured (3.11) and skip elsewhere, saying why; the same paths are also checked with ordinary objects,
whose counts move on every Python.
"""

from __future__ import annotations

import gc
import sys
from typing import Any

import pytest
from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from pytestqt.qtbot import QtBot

CALLS = 500


class _Emitter(QObject):
    text = Signal(str)
    thing = Signal(object)


class _Sentinel:
    """An ordinary (mortal) object whose reference count can be watched."""


def _none_is_measurable() -> bool:
    before = sys.getrefcount(None)
    held = [None] * 1000
    measurable = sys.getrefcount(None) - before >= 1000
    del held
    return measurable


needs_mortal_none = pytest.mark.skipif(
    not _none_is_measurable(), reason="None is immortal on this Python: a lost reference to it cannot be counted"
)


def _fire_slots(qtbot: QtBot, slot: Any) -> None:
    """Call ``slot`` CALLS times from a timer and CALLS times from a signal, as the event loop does."""
    calls: list[int] = []

    def counted() -> Any:
        calls.append(1)
        return slot()

    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(counted)
    timer.start()
    qtbot.waitUntil(lambda: len(calls) >= CALLS, timeout=10000)
    timer.stop()
    emitter = _Emitter()
    emitter.text.connect(lambda _t: slot())
    for _ in range(CALLS):
        emitter.text.emit("x")


def test_the_none_check_can_fail_where_it_runs() -> None:
    """On 3.11 the count of None moves with every reference, so losing one per call would show."""
    if not _none_is_measurable():
        pytest.skip("None is immortal on this Python")
    before = sys.getrefcount(None)
    held = [None] * CALLS
    assert sys.getrefcount(None) - before >= CALLS
    del held


@needs_mortal_none
def test_python_slots_keep_references_to_none(qtbot: QtBot) -> None:
    before = sys.getrefcount(None)
    _fire_slots(qtbot, lambda: None)
    assert sys.getrefcount(None) - before > -100  # a few may move elsewhere; 6.12.0 lost one per call


@needs_mortal_none
def test_invalid_variants_keep_references_to_none() -> None:
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        assert QModelIndex().data() is None
    assert sys.getrefcount(None) - before > -100


def test_python_slots_keep_references_to_what_they_return_and_receive(qtbot: QtBot) -> None:
    sentinel = _Sentinel()
    gc.collect()
    before = sys.getrefcount(sentinel)
    _fire_slots(qtbot, lambda: sentinel)
    emitter = _Emitter()
    received: list[bool] = []
    emitter.thing.connect(lambda obj: received.append(obj is sentinel))
    for _ in range(CALLS):
        emitter.thing.emit(sentinel)
    assert received == [True] * CALLS
    gc.collect()
    assert sys.getrefcount(sentinel) == before


class _OneRow(QAbstractListModel):
    def __init__(self, value: object) -> None:
        super().__init__()
        self.value = value

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 1

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self.value if role == Qt.ItemDataRole.UserRole else None


def test_variants_keep_references_to_python_objects() -> None:
    """A Python object travels through QVariant (model data read back by Python) without losing a reference."""
    sentinel = _Sentinel()
    model = _OneRow(sentinel)
    index = model.index(0, 0)
    gc.collect()
    before = sys.getrefcount(sentinel)
    for _ in range(CALLS):
        assert index.data(Qt.ItemDataRole.UserRole) is sentinel
        assert index.data(Qt.ItemDataRole.DisplayRole) is None  # the invalid-QVariant path
    gc.collect()
    assert sys.getrefcount(sentinel) == before
