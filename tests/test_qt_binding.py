"""The Qt binding keeps Python's reference counts right (PySide6 6.12.0 did not: every Python slot call
and every invalid QVariant handed to Python lost a reference to None, and the interpreter aborted with
"Fatal Python error: none_dealloc" after a few thousand; pyproject.toml excludes that version)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QModelIndex, QObject, QTimer, Signal
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    text = Signal(str)


def test_python_slots_keep_references_to_none(qtbot: QtBot) -> None:
    calls: list[int] = []

    def slot() -> None:
        calls.append(1)

    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(slot)
    before = sys.getrefcount(None)
    timer.start()
    qtbot.waitUntil(lambda: len(calls) >= 500, timeout=10000)
    timer.stop()
    emitter = _Emitter()
    emitter.text.connect(lambda _t: None)
    for _ in range(500):
        emitter.text.emit("x")
    assert sys.getrefcount(None) - before > -100  # a few may move elsewhere; 6.12.0 lost one per call


def test_invalid_variants_keep_references_to_none() -> None:
    before = sys.getrefcount(None)
    for _ in range(500):
        assert QModelIndex().data() is None
    assert sys.getrefcount(None) - before > -100
