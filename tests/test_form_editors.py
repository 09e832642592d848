"""Typing in the form's editors writes what was typed (the controller's echo never rewrites a focused editor)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot
from tests.support.form import open_form

from masthead.core.document import Document
from masthead.ui.form import FormPane

TEXT = (
    "---\ntitle: Hello\nrating: 3\nnotes: |\n  first line\n  second line\n"
    "recorded: 2024-05-01 10:30:00\ndate: 2024-05-01\n---\nBody\n"
)


@pytest.fixture
def form(qtbot: QtBot, tmp_path: Path) -> Iterator[FormPane]:
    (tmp_path / "f.md").write_text(TEXT)
    pane = open_form(qtbot, tmp_path, "f.md")
    yield pane
    pane.show_document(None, None, None)


def saved(qtbot: QtBot, form: FormPane) -> dict[str, object]:
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save()
    assert form.doc is not None and form.doc.path is not None
    return Document(form.doc.path.read_bytes()).data


def test_typing_a_decimal_in_a_number_field_writes_it(qtbot: QtBot, form: FormPane) -> None:
    editor = form.editors["rating"]
    assert isinstance(editor, QLineEdit)
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, "4.5")
    assert editor.text() == "4.5" and form.doc is not None and form.doc.data["rating"] == 4.5
    assert saved(qtbot, form)["rating"] == 4.5


def test_typing_in_the_middle_of_a_text_keeps_the_cursor(qtbot: QtBot, form: FormPane) -> None:
    editor = form.editors["title"]
    assert isinstance(editor, QLineEdit)
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    qtbot.keyClick(editor, Qt.Key.Key_Right)
    qtbot.keyClicks(editor, "ey h")
    assert editor.text() == "Hey hello" and editor.cursorPosition() == 5


def test_typing_in_a_long_text_keeps_the_cursor(qtbot: QtBot, form: FormPane) -> None:
    editor = form.editors["notes"]
    assert isinstance(editor, QPlainTextEdit)
    editor.setFocus()
    cursor = editor.textCursor()
    cursor.setPosition(5)
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, "!!")
    assert editor.toPlainText().startswith("first!! line") and editor.textCursor().position() == 7


def test_a_datetime_keeps_its_time_when_the_day_changes(qtbot: QtBot, form: FormPane) -> None:
    editor = form.editors["recorded"]
    assert isinstance(editor, QDateEdit) and not editor.keyboardTracking()
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_End)  # the day section
    qtbot.keyClick(editor, Qt.Key.Key_Up)
    assert editor.date() == QDate(2024, 5, 2)
    assert saved(qtbot, form)["recorded"] == dt.datetime(2024, 5, 2, 10, 30)


def test_typing_a_date_is_one_undo_step(qtbot: QtBot, form: FormPane) -> None:
    editor = form.editors["date"]
    assert isinstance(editor, QDateEdit)
    editor.setFocus()
    editor.setSelectedSection(QDateEdit.Section.YearSection)  # as a double-click on the year does
    qtbot.keyClicks(editor, "2023")
    assert form.doc is not None and form.doc.data["date"] == dt.date(2024, 5, 1)  # not 2, 20, 202 (3 steps)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert form.doc is not None and form.doc.data["date"] == dt.date(2023, 5, 1)
    assert form.undo_stack.count() == 1


def test_typing_in_the_middle_of_a_choice_after_the_vocabulary_changed_keeps_the_word(qtbot: QtBot) -> None:
    """An editable choice (area, category, status): the archive's counts change (a save elsewhere), then the
    user types in the middle of the value: each keystroke lands at the cursor (the choices were refilled on
    the first one, which reset the text and sent the cursor to the end: a new-user trial)."""
    from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

    from masthead.ui.completion import FieldValues
    from masthead.ui.form.editors import ChoiceEditor

    choices = FieldValues({"tech-engineering": 5, "tech-policy": 3})
    host = QWidget()
    combo = ChoiceEditor("area", "tech-engineering", choices, allow_new=True)
    combo.value_edited.connect(lambda value, _typing: combo.set_value(value))  # as the form shows an edit
    QVBoxLayout(host).addWidget(combo)
    qtbot.addWidget(host)
    host.show()
    host.activateWindow()
    combo.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() in (combo, combo.lineEdit()), timeout=2000)
    line = combo.lineEdit()
    assert line is not None
    line.setCursorPosition(len("tech-engin"))
    choices.replace({"tech-engineering": 6, "tech-policy": 3, "media": 1})  # the counts changed meanwhile
    for char in "XY":
        qtbot.keyClick(QApplication.focusWidget(), char)
    assert line.text() == "tech-enginXYeering" and line.cursorPosition() == len("tech-enginXY")
    combo.showPopup()  # the list, when opened, has the new choices
    assert combo.findText("media") >= 0
    combo.hidePopup()


def test_a_choice_not_being_typed_in_shows_its_value_from_the_start(qtbot: QtBot) -> None:
    """In a narrow form a long choice showed its end ("ata-engineering"), as a text field does not."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from masthead.ui.completion import FieldValues
    from masthead.ui.form.editors import ChoiceEditor

    choices = FieldValues({"data-engineering": 5, "media": 1})
    host = QWidget()
    combo = ChoiceEditor("category", "data-engineering", choices, allow_new=True)
    QVBoxLayout(host).addWidget(combo)
    qtbot.addWidget(host)
    host.resize(120, 40)
    host.show()
    line = combo.lineEdit()
    assert line is not None and line.cursorPosition() == 0
    combo.set_value("media-and-communications")
    assert line.text() == "media-and-communications" and line.cursorPosition() == 0
