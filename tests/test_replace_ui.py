"""Edit ▸ Find and Replace in Fields… driven through its widgets: a regex with a group across two fields of
every shown file, previewed, applied (only those lines change), then Edit ▸ Undo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit
from pytestqt.qtbot import QtBot
from tests.conftest import open_window

from masthead.ui.main_window import MainWindow

ONE = "---\ntitle: Talk about open-ai\ntags:\n  - open-ai\n  - 人工智能\ndate: 2025-01-02\n---\n\nBody open-ai\n"
TWO = "---\r\ntags: [ml, 'open-ai']  # mine\r\ntitle: '人工智能 and Open-AI'\r\n---\r\nBody\r\n"


def test_regex_replace_across_fields_then_undo(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "one.md").write_bytes(ONE.encode())
    (root / "two.md").write_bytes(TWO.encode())
    win: MainWindow = open_window(qtbot, tmp_path, root)
    win.history.ask = False
    win.activateWindow()
    win.acts["findReplaceFields"].trigger()
    dialog = win.findChild(QComboBox, "replaceField").window()
    assert dialog.objectName() == "replaceDialog"
    dialog.confirm = False  # (asking before writing is tested with the bulk dialogs)
    field = dialog.findChild(QComboBox, "replaceField")
    field.setCurrentText("title, tags")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "replaceFind"), r"open-(ai)")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "replaceWith"), r"Open\1")
    regex = dialog.findChild(QCheckBox, "replaceRegex")
    regex.setFocus()
    qtbot.keyClick(regex, Qt.Key.Key_Space)
    assert regex.isChecked()
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    assert sorted(c.rel for c in dialog.plan.changes) == ["one.md", "two.md"], (
        dialog.plan.skipped,
        dialog.plan.edit,
        dialog.rels,
    )
    with qtbot.waitSignal(dialog.applied, timeout=10000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert (root / "one.md").read_bytes() == ONE.replace("Talk about open-ai", "Talk about Openai").replace(
        "  - open-ai", "  - Openai"
    ).encode()  # the body keeps its "open-ai"
    two = (root / "two.md").read_bytes()
    assert two == TWO.replace("'open-ai'", "Openai").replace("Open-AI", "OpenAI").encode(), two
    dialog.close()
    qtbot.waitUntil(win.undo_action.isEnabled, timeout=5000)
    win.undo_action.trigger()
    qtbot.waitUntil(lambda: (root / "one.md").read_bytes() == ONE.encode(), timeout=10000)
    assert (root / "two.md").read_bytes() == TWO.encode()
