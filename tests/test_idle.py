"""Background Python work pauses while the GUI thread is busy (``ui.idle``), in steps ``core.pacing`` gives."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from pytestqt.qtbot import QtBot

from masthead.core import pacing
from masthead.ui import idle


@given(st.lists(st.tuples(st.integers(0, 5), st.integers())), st.booleans())
def test_sorted_paced_is_sorted(items: list[tuple[int, int]], reverse: bool) -> None:
    old = pacing.PIECE
    pacing.PIECE = 3  # many pieces for small lists
    try:
        assert pacing.sorted_paced(items, key=lambda t: t[0], reverse=reverse) == sorted(
            items, key=lambda t: t[0], reverse=reverse
        )  # stable: equal keys keep their order
        assert pacing.sorted_paced(items, reverse=reverse) == sorted(items, reverse=reverse)
    finally:
        pacing.PIECE = old


def test_paced_pauses_every_so_many_items() -> None:
    calls: list[int] = []
    seen: list[int] = []
    before = pacing._pause
    pacing.install(lambda: calls.append(len(seen)))
    try:
        for item in pacing.paced(range(10), every=4):
            seen.append(item)
    finally:
        pacing.install(before)
    assert seen == list(range(10)) and calls == [0, 4, 8]


@pytest.fixture
def gate(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(idle, "PATIENCE", 5.0)  # long enough that only the GUI thread going idle lets a pause end
    assert idle.install()
    yield
    idle.uninstall()


def test_a_worker_waits_while_the_gui_thread_is_busy_and_goes_on_when_it_is_idle(qtbot: QtBot, gate: None) -> None:
    steps: list[float] = []
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            pacing.pause()
            steps.append(time.monotonic())
            time.sleep(0.001)

    worker = threading.Thread(target=work)
    worker.start()
    busy: list[float] = []

    def handle() -> None:  # an event the GUI thread takes 0.4 s to handle (sleeping: the GIL is free)
        busy.append(time.monotonic())
        time.sleep(0.4)
        busy.append(time.monotonic())

    try:
        qtbot.wait(100)  # idle: the worker runs
        QTimer.singleShot(0, handle)
        qtbot.waitUntil(lambda: len(busy) == 2, timeout=5000)
        qtbot.wait(100)
    finally:
        stop.set()
        worker.join(10)
    start, end = busy
    assert any(t < start for t in steps) and any(t > end for t in steps)
    assert not [t for t in steps if start + 0.05 < t < end - 0.05]  # nothing while the GUI thread was busy


def test_a_gui_thread_waiting_for_a_worker_lets_it_run(qtbot: QtBot, gate: None) -> None:
    go, done = threading.Event(), threading.Event()

    def work() -> None:
        go.wait(10)
        for _ in range(20):
            pacing.pause()  # 20 pauses of up to 5 s each if the GUI thread counted as busy
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    QCoreApplication.sendEvent(QObject(), QEvent(QEvent.Type.User))  # the GUI thread handles an event: busy
    assert not idle.gui_idle()
    go.set()
    with idle.blocking():
        worker.join(30)
    assert done.is_set()


def test_without_a_gate_a_pause_never_waits() -> None:
    assert idle.gui_idle()
    started = time.monotonic()
    thread = threading.Thread(target=lambda: [pacing.pause() for _ in range(1000)])
    thread.start()
    thread.join(10)
    assert not thread.is_alive() and time.monotonic() - started < 5


def test_after_the_event_loop_background_work_no_longer_waits(qtbot: QtBot, gate: None) -> None:
    from masthead.ui.app import shut_down

    QCoreApplication.sendEvent(QObject(), QEvent(QEvent.Type.User))  # quitting was an event: busy
    assert not idle.gui_idle()
    shut_down()
    worker = threading.Thread(target=lambda: [pacing.pause() for _ in range(20)])  # 100 s if each waited
    worker.start()
    worker.join(30)
    assert not worker.is_alive()
