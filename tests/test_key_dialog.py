"""Edit ▸ Copy, Move, Rename, Split or Join Fields… driven through its widgets: rename a key in every shown
file (only the key's text changes), split a text into a list, then Edit ▸ Undo twice to the exact bytes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot
from tests.conftest import open_window

from masthead.ui.key_dialog import KeyDialog
from masthead.ui.main_window import MainWindow

ONE = "---\ntitle: 第一次访谈\nkeywords: AI；机器学习；AI\nspeaker: Li  # host\n---\n\nBody\n"
TWO = "---\r\nkeywords: robots, ai\r\n'speaker': \"Ada\"\r\ntags: [x]\r\n---\r\nBody\r\n"


def _dialog(qtbot: QtBot, win: MainWindow) -> KeyDialog:
    win.acts["editFields"].trigger()
    (dialog,) = [d for d in win.findChildren(KeyDialog) if d.isVisible()]
    dialog.confirm = False  # (asking before writing is tested with the bulk dialogs)
    return dialog


def _apply(qtbot: QtBot, dialog: KeyDialog, expected: list[str]) -> None:
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    assert dialog.plan is not None
    assert sorted(c.rel for c in dialog.plan.changes) == expected, dialog.plan.skipped
    with qtbot.waitSignal(dialog.applied, timeout=10000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    dialog.close()


def test_rename_key_and_split_then_undo(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "one.md").write_bytes(ONE.encode())
    (root / "two.md").write_bytes(TWO.encode())
    win: MainWindow = open_window(qtbot, tmp_path, root)
    win.history.ask = False
    win.activateWindow()

    dialog = _dialog(qtbot, win)
    dialog.field.setFocus()
    qtbot.keyClicks(dialog.field, "speaker")
    action = dialog.findChild(QComboBox, "keyAction")
    action.setCurrentIndex(action.findData("rename"))
    qtbot.keyClicks(dialog.findChild(QComboBox, "keyTarget"), "host")
    assert not dialog.findChild(QLineEdit, "keySeparator").isEnabled()
    _apply(qtbot, dialog, ["one.md", "two.md"])
    assert (root / "one.md").read_bytes() == ONE.replace("speaker:", "host:").encode()
    assert (root / "two.md").read_bytes() == TWO.replace("'speaker':", "host:").encode()

    dialog = _dialog(qtbot, win)
    qtbot.keyClicks(dialog.field, "keywords")
    action = dialog.findChild(QComboBox, "keyAction")
    action.setCurrentIndex(action.findData("split"))
    separator = dialog.findChild(QLineEdit, "keySeparator")
    assert separator.isEnabled()
    separator.setText("；")
    _apply(qtbot, dialog, ["one.md", "two.md"])
    assert "keywords:\n  - AI\n  - 机器学习\nhost: Li  # host\n" in (root / "one.md").read_text()
    two = (root / "two.md").read_bytes()  # no "；" in it: a list of one item
    expected = TWO.replace("'speaker':", "host:").replace("keywords: robots, ai", "keywords:\r\n  - robots, ai")
    assert two == expected.encode(), two

    for _ in range(2):
        qtbot.waitUntil(win.undo_action.isEnabled, timeout=5000)
        win.undo_action.trigger()
    qtbot.waitUntil(lambda: (root / "one.md").read_bytes() == ONE.encode(), timeout=10000)
    qtbot.waitUntil(lambda: (root / "two.md").read_bytes() == TWO.encode(), timeout=10000)
