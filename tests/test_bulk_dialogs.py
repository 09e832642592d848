"""The bulk dialogs as a user meets them: progress and Cancel while checking (defect 15), one question before
writing, plurals and "selected" vs "shown", a sensible field for Set a Field, the history's words for a redo
that changed nothing (defect 20), and the bulk pickers' Enter (defect 2)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from tests.conftest import copy_fixtures
from tests.conftest import open_window as shared_open_window

from masthead.core import bulk
from masthead.core.operations import add
from masthead.core.wording import plural
from masthead.ui.bulk_dialog import BulkTagDialog, SetFieldDialog
from masthead.ui.history_dialog import HistoryDialog
from masthead.ui.main_window import MainWindow

NAMES = ["english-null.md", "indent2-cjk.md", "pyyaml-sorted-cjk.md", "crlf.md", "chunks-en.md"]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return copy_fixtures(tmp_path / "archive", NAMES)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, archive: Path) -> Iterator[MainWindow]:
    win: MainWindow = shared_open_window(qtbot, tmp_path, archive)
    yield win
    win.form.show_document(None, None, None)


def snapshot(root: Path) -> dict[str, bytes]:
    return {n: (root / n).read_bytes() for n in NAMES}


def test_plural() -> None:
    assert plural(1, "file") == "1 file" and plural(0, "file") == "0 files" and plural(1234, "file") == "1,234 files"
    assert plural(2, "entry", "entries") == "2 entries"


def test_checking_shows_files_planned_of_total_and_cancel_stops_it(
    qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(archive)
    gate, reached = threading.Event(), threading.Event()
    real, third = bulk.plan_file, window.bulk_targets()[2]

    def slow_third_file(root: Path, rel: str, *args: Any) -> Any:
        if rel == third:  # the check waits here until the test lets it go
            reached.set()
            gate.wait(20)
        return real(root, rel, *args)

    monkeypatch.setattr(bulk, "plan_file", slow_third_file)
    dialog = window.bulk_publish()  # every file shown; no editor: the check starts at once
    assert dialog is not None
    try:
        qtbot.waitUntil(lambda: "2 of 5 files checked" in dialog.summary.text(), timeout=10000)
        assert dialog.cancel_button.isVisible() and dialog.progress.value() == 2
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    finally:
        gate.set()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert dialog.summary.text() == "Cancelled." and dialog.plan is None and not dialog.apply_button.isEnabled()
    assert snapshot(archive) == before


def test_apply_asks_once(qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window.prefs.confirm_bulk = True
    dialog = window.bulk_publish()
    assert dialog is not None
    qtbot.waitUntil(dialog.apply_button.isEnabled, timeout=10000)
    assert dialog.plan is not None
    files = plural(len(dialog.plan.changes), "file")
    asked: list[str] = []

    def question(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        if len(asked) == 1:  # a second press of Apply (or Enter) reaches the dialog while it asks
            qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
            dialog.apply()
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    applied: list[str] = []
    dialog.applied.connect(applied.append)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None and not dialog.busy, timeout=10000)
    assert len(asked) == 1 and asked[0].startswith(f"Publish {files}?") and len(applied) == 1


def test_words_for_selected_and_shown_files_and_plurals(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    root = archive
    shown = SetFieldDialog(root, NAMES, ["category"], {}, list, window, from_selection=False)
    assert shown.windowTitle() == "Set a field in 5 files"
    assert shown.summary.text().startswith("The 5 files shown: choose a field")
    one = BulkTagDialog(root, ["crlf.md"], ["tags"], {}, list, window, from_selection=False)
    assert one.windowTitle() == "Tag 1 file" and one.summary.text().startswith("The file shown: choose values")
    picked = BulkTagDialog(root, NAMES[:3], ["tags"], {}, list, window, from_selection=True)
    assert picked.summary.text().startswith("The 3 selected files: choose values")
    window.set_field_action.trigger()  # the window does not say where its targets came from: no claim
    dialog = window.findChild(SetFieldDialog, "setFieldDialog")
    assert dialog is not None and "file(s)" not in dialog.summary.text() + dialog.windowTitle()
    dialog.value.lineEdit().clear()
    qtbot.keyClicks(dialog.value.lineEdit(), "weekly")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    assert "file(s)" not in dialog.summary.text() + dialog.apply_button.text()
    for widget in (shown, one, picked, dialog):
        widget.close()


def test_set_a_field_starts_on_a_single_value_field_never_the_title(qtbot: QtBot, window: MainWindow) -> None:
    window.set_field_action.trigger()
    dialog = window.findChild(SetFieldDialog, "setFieldDialog")
    assert dialog is not None
    assert dialog.field.currentText() == "category"  # the archive has it (status, series, area too)
    only_status = SetFieldDialog(Path("."), NAMES, ["title", "summary", "status"], {"status": {"a": 1}}, list, window)
    assert only_status.field.currentText() == "status"
    none_known = SetFieldDialog(Path("."), NAMES, ["title", "summary"], {}, list, window)
    assert none_known.field.currentText() == "summary"
    dialog.close()


def test_the_history_says_when_a_redo_changed_nothing(qtbot: QtBot, tmp_path: Path, archive: Path) -> None:
    bulk.apply(bulk.plan(archive, NAMES, add("tags", ["from-the-cli"])))
    window = shared_open_window(qtbot, tmp_path, archive)
    window.history.ask = False  # (asking first: test_bulk_ui)
    window.history_action.trigger()
    dialog = window.findChild(HistoryDialog)
    assert isinstance(dialog, HistoryDialog)
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.item(0, 3).text() == "undone", timeout=10000)
    for name in NAMES:  # every file rewritten by someone else since: the redo must leave them alone
        (archive / name).write_bytes(b"---\ntitle: Rewritten elsewhere\n---\nNew body.\n")
    qtbot.mouseClick(dialog.redo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.item(0, 3).text() != "undone", timeout=10000)
    assert dialog.table.item(0, 3).text() == "redo changed nothing (5 files left alone)"
    dialog.close()
    window.form.show_document(None, None, None)


# Defect 2 in the bulk dialog's pickers: Enter adds the value, never the text of the "Create" entry.
def test_enter_in_a_bulk_picker_adds_the_value_not_the_create_text(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.bulk_tag()
    assert dialog is not None
    dialog.activateWindow()  # the user works in the dialog: its picker has the keyboard focus
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    entry = dialog.add_picker.input
    entry.setFocus()
    qtbot.waitUntil(entry.hasFocus, timeout=5000)
    qtbot.keyClicks(entry, "xyz-new")
    press(qtbot, Qt.Key.Key_Down, entry)
    press(qtbot, Qt.Key.Key_Return, entry)
    assert dialog.add_picker.values == ["xyz-new"]
    assert entry.text() == ""
    qtbot.keyClicks(entry, "streaming")  # a value the archive knows
    press(qtbot, Qt.Key.Key_Down, entry)
    press(qtbot, Qt.Key.Key_Return, entry)
    assert dialog.add_picker.values == ["xyz-new", "streaming"] and entry.text() == ""
    assert not dialog.apply_button.isEnabled() and not dialog.busy  # Enter chose a value; nothing was applied
    dialog.close()


def press(qtbot: QtBot, key: Qt.Key, fallback: QWidget) -> None:
    """A key goes where the user's key goes: the open completion popup, else the focused widget."""
    target = QApplication.activePopupWidget() or QApplication.focusWidget() or fallback
    qtbot.keyClick(target, key)
