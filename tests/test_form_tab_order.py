"""Tab goes through the form's fields in the order they are shown, whatever file was open before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFormLayout, QWidget
from pytestqt.qtbot import QtBot
from tests.conftest import open_window

from masthead.ui.main_window import MainWindow

A = (
    "---\ntitle: 第一篇\ndate: 2025-01-02\ntags:\n- ai\nsource: https://example.org/a\nsummary: 一\n"
    "people: [周明]\ndraft: true\n---\n\n**[周明]**: 你好。\n"
)
B = (
    "---\nsummary: Two\npeople:\n  - Lin Xiao\ndraft: false\nsource: https://example.org/b\nspeaker: Lin\n"
    "tags: [ml]\ndate: 2025-02-03\ntitle: Second\n---\n\n**[Lin]**: Hello.\n"
)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "a.md").write_text(A, encoding="utf-8")
    (root / "b.md").write_text(B, encoding="utf-8")
    win: MainWindow = open_window(qtbot, tmp_path, root)
    yield win
    win.form.show_document(None, None, None)


def open_file(qtbot: QtBot, window: MainWindow, name: str) -> None:
    assert window.select_path(name)
    qtbot.waitUntil(lambda: window.form.rel == name, timeout=3000)


def row_of(window: MainWindow, widget: QWidget | None) -> str | None:
    form = window.form
    for index, key in enumerate(form._keys):
        item = form.rows.itemAt(index, QFormLayout.ItemRole.FieldRole)
        row = item.widget() if item is not None else None
        if widget is not None and row is not None and (row is widget or row.isAncestorOf(widget)):
            return key
    return None


def tab_through(qtbot: QtBot, window: MainWindow, back: bool = False) -> list[str]:
    """The fields Tab (Shift+Tab: ``back``) visits from the first (last) one's editor, in order, until it
    leaves the fields; then the focus must be somewhere else in the window."""
    form = window.form
    form.editors[form._keys[-1 if back else 0]].setFocus()
    seen: list[str] = []
    for _ in range(60):
        focused = QApplication.focusWidget()
        key = row_of(window, focused)
        if key is None:
            assert focused is not None and focused.window() is window
            break
        if not seen or seen[-1] != key:
            seen.append(key)
        qtbot.keyClick(focused, Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab)
    return seen


def test_tab_follows_the_fields_as_shown_after_another_file(qtbot: QtBot, window: MainWindow) -> None:
    open_file(qtbot, window, "a.md")
    assert tab_through(qtbot, window) == ["title", "date", "tags", "source", "summary", "people", "draft"]
    open_file(qtbot, window, "b.md")
    expected = ["summary", "people", "draft", "source", "speaker", "tags", "date", "title"]
    assert window.form._keys == expected
    assert tab_through(qtbot, window) == expected
    assert tab_through(qtbot, window, back=True) == expected[::-1]
    open_file(qtbot, window, "a.md")
    assert tab_through(qtbot, window) == ["title", "date", "tags", "source", "summary", "people", "draft"]


def test_tab_scrolls_the_form_to_the_field_it_goes_to(qtbot: QtBot, window: MainWindow) -> None:
    """In a short window, Tab from the first field to the last: each field reached is in view (the form
    stayed at the top, so typing went on out of sight: a new-user trial)."""
    window.resize(900, 420)
    open_file(qtbot, window, "a.md")
    form = window.form
    area = form.scroll_area
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0, timeout=3000)  # (the form is taller)
    form.editors[form._keys[0]].setFocus()
    for _ in range(40):
        focused = QApplication.focusWidget()
        if focused is None or row_of(window, focused) is None:
            break
        top = focused.mapTo(area.viewport(), focused.rect().topLeft()).y()  # its first line, where one types:
        assert top >= 0 and top + min(focused.height(), 24) <= area.viewport().height(), row_of(window, focused)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert area.verticalScrollBar().value() > 0
