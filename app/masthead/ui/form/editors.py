"""Form editors, one class per field kind, behind one small interface:

``value()`` the value shown, ``set_value(v)`` show a value (emits nothing), ``value_edited(value, typing)``
emitted on a user edit (``typing``: part of a run of keystrokes, merged into one undo step), and
``focus_target()`` the widget that takes the keyboard focus.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol

from PySide6.QtCore import QDate, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)

from masthead.core.schema import LIST_KINDS, Kind
from masthead.core.values import Value, as_bool
from masthead.ui.chips import ChipsEditor
from masthead.ui.theme import error_colour
from masthead.ui.undo_history import WINDOW_UNDO
from masthead.ui.widgets import named


class FieldEditor(Protocol):
    value_edited: Any  # Signal(object, bool)

    def value(self) -> Value: ...
    def set_value(self, value: Value) -> None: ...
    def focus_target(self) -> QWidget: ...


def _text(value: Value) -> str:
    return "" if value is None else str(value)


def _holds(shown: Value, value: Value) -> bool:
    """The editor's value already is ``value`` (4 and 4.0 alike; True is not 1)."""
    if isinstance(shown, bool) or isinstance(value, bool):
        return type(shown) is type(value) and shown == value
    return bool(shown == value)


class TextEditor(QLineEdit):
    value_edited = Signal(object, bool)

    def __init__(self, key: str, value: Value) -> None:
        super().__init__()
        named(self, f"field_{key}", key)
        self.setProperty(WINDOW_UNDO, True)
        self.setMinimumWidth(60)
        self.set_value(value)
        self.textEdited.connect(self._on_edit)

    def _on_edit(self, text: str) -> None:
        self.value_edited.emit(text, True)

    def value(self) -> Value:
        return self.text()

    def set_value(self, value: Value) -> None:
        """Show ``value``. An editor already holding it is left alone (its text may be a spelling of it the
        user is typing, "4." for 4.0); a focused one keeps its cursor."""
        if _holds(self.value(), value) or self.text() == _text(value):
            return
        cursor = self.cursorPosition() if self.hasFocus() else 0  # unfocused: show a long value's start
        self.setText(_text(value))
        self.setCursorPosition(min(cursor, len(self.text())))

    def focus_target(self) -> QWidget:
        return self


class NumberEditor(TextEditor):
    """A number: what is not one is marked and not written."""

    def _on_edit(self, text: str) -> None:
        number = self.value()
        if number is None:
            self.setStyleSheet(f"QLineEdit {{ border: 1px solid {error_colour()}; }}")
            return
        self.setStyleSheet("")
        self.value_edited.emit(number, True)

    def value(self) -> Value:
        for kind in (int, float):
            try:
                return kind(self.text())
            except ValueError:
                pass
        return None


class UrlEditor(QWidget):
    """A link, with a button that opens it in the browser (http, https only)."""

    value_edited = Signal(object, bool)

    def __init__(self, key: str, value: Value) -> None:
        super().__init__()
        self.setObjectName(f"urlBox_{key}")
        self.line = TextEditor(key, value)
        self.line.value_edited.connect(self.value_edited)
        opener = named(QToolButton(), f"open_{key}", f"Open {key} in the browser")
        opener.setText("↗")
        opener.clicked.connect(self._open)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(opener)

    def _open(self) -> None:
        url = QUrl(self.line.text().strip())
        if url.scheme().lower() in ("http", "https"):
            QDesktopServices.openUrl(url)

    def value(self) -> Value:
        return self.line.value()

    def set_value(self, value: Value) -> None:
        self.line.set_value(value)

    def focus_target(self) -> QWidget:
        return self.line


class LongTextEditor(QPlainTextEdit):
    value_edited = Signal(object, bool)

    def __init__(self, key: str, value: Value) -> None:
        super().__init__()
        named(self, f"field_{key}", key)
        self.setProperty(WINDOW_UNDO, True)
        self.setTabChangesFocus(True)
        self.setFixedHeight(96)
        self.set_value(value)
        self.textChanged.connect(self._on_edit)
        self._quiet = False

    def _on_edit(self) -> None:
        if not getattr(self, "_quiet", False):
            self.value_edited.emit(self.toPlainText(), True)

    def value(self) -> Value:
        return self.toPlainText()

    def set_value(self, value: Value) -> None:
        if self.toPlainText() == _text(value):
            return
        cursor = self.textCursor().position() if self.hasFocus() else 0
        self._quiet = True
        try:
            self.setPlainText(_text(value))
            moved = self.textCursor()
            moved.setPosition(min(cursor, len(self.toPlainText())))
            self.setTextCursor(moved)
        finally:
            self._quiet = False

    def focus_target(self) -> QWidget:
        return self


class NestedView(QPlainTextEdit):
    """A nested value (mapping, list of mappings), shown read-only as the YAML it is written as."""

    value_edited = Signal(object, bool)

    def __init__(self, key: str, text: str) -> None:
        super().__init__()
        named(self, f"field_{key}", f"{key} (read-only)")
        self.setReadOnly(True)
        self.setFixedHeight(80)
        self.setPlainText(text)

    def value(self) -> Value:
        return None

    def set_value(self, value: Value) -> None:
        if isinstance(value, str):
            self.setPlainText(value)

    def focus_target(self) -> QWidget:
        return self


class DateEditor(QDateEdit):
    value_edited = Signal(object, bool)

    def __init__(self, key: str, value: Value) -> None:
        super().__init__()
        named(self, f"field_{key}", key)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(QDate(1, 1, 1))
        self.setSpecialValueText("—")
        self.setKeyboardTracking(False)  # typed digits make one edit (on Enter / leaving), not one per digit
        self._shown: Value = None  # the value shown (a datetime keeps its time when the day changes)
        self._quiet = True
        self.set_value(value)
        self._quiet = False
        self.dateChanged.connect(self._on_edit)

    def _on_edit(self, _date: QDate) -> None:
        if not self._quiet:
            self._shown = self.value()
            self.value_edited.emit(self._shown, False)

    def value(self) -> Value:
        date = self.date()
        if date == self.minimumDate():
            return None
        day: dt.date = date.toPython()  # type: ignore[assignment]
        shown = self._shown
        if isinstance(shown, dt.datetime):
            return shown.replace(year=day.year, month=day.month, day=day.day)
        if isinstance(shown, str) and len(shown) > 10:
            return day.isoformat() + shown[10:]  # "2024-05-01T10:00" keeps its time, as text
        return day

    def set_value(self, value: Value) -> None:
        if value is not None and value == self.value():
            return
        self._shown = value
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value[:10])
            except ValueError:
                value = None
        date = QDate(value.year, value.month, value.day) if isinstance(value, dt.date) else self.minimumDate()
        self._quiet = True
        try:
            self.setDate(date)
        finally:
            self._quiet = False

    def focus_target(self) -> QWidget:
        return self


class BoolEditor(QCheckBox):
    """A boolean; a YAML 1.1 word (``yes``, ``off``...) is shown as the boolean it means, with the word beside."""

    value_edited = Signal(object, bool)

    def __init__(self, key: str, value: Value) -> None:
        super().__init__()
        named(self, f"field_{key}", key)
        self.set_value(value)
        self.clicked.connect(self._on_edit)

    def _on_edit(self, on: bool) -> None:
        self.value_edited.emit(bool(on), False)

    def value(self) -> Value:
        return self.isChecked()

    def set_value(self, value: Value) -> None:
        self.setChecked(as_bool(value) is True)
        word = isinstance(value, str) and as_bool(value) is not None
        self.setText(f"written as “{value}”" if word else "")
        self.setToolTip(f"“{value}” is read as {'true' if as_bool(value) else 'false'}" if word else "")

    def focus_target(self) -> QWidget:
        return self


class ChoiceEditor(QComboBox):
    """One of a list of values (editable when the schema allows new ones), most used first."""

    value_edited = Signal(object, bool)

    def __init__(self, key: str, value: Value, choices: Mapping[str, int], allow_new: bool) -> None:
        super().__init__()
        named(self, f"field_{key}", key)
        self.setEditable(allow_new)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)
        self._choices = choices
        self._filled: int | None = None  # the choices' generation the items show
        self._quiet = True
        self._fill(_text(value))
        self._quiet = False
        self.set_value(value)
        inner = self.lineEdit()
        if inner is not None:
            named(inner, f"fieldText_{key}", key)
            inner.setProperty(WINDOW_UNDO, True)
        self.currentTextChanged.connect(self._on_edit)

    def _fill(self, text: str) -> None:
        """Show the most used choices (500), again when the counts changed since (rows are reused across
        files; the vocabulary changes after saves). What the file says is always shown, allowed or not."""
        generation = getattr(self._choices, "generation", 0)
        if generation == self._filled:
            return
        self._filled = generation
        items = [v for v, _ in sorted(self._choices.items(), key=lambda item: -item[1])][:500]
        if text and text not in items:
            items.insert(0, text)
        quiet, self._quiet = self._quiet, True
        try:
            self.clear()
            self.addItems(items)
            if self.isEditable():
                self.setEditText(text)
                line = self.lineEdit()
                if line is not None and not self.hasFocus():
                    line.setCursorPosition(0)  # the value's start shows in a narrow field
            else:
                self.setCurrentText(text)
        finally:
            self._quiet = quiet

    def showPopup(self) -> None:
        self._fill(self.currentText())
        super().showPopup()

    def _on_edit(self, text: str) -> None:
        if not self._quiet:
            self.value_edited.emit(text, True)

    def value(self) -> Value:
        return self.currentText()

    def set_value(self, value: Value) -> None:
        """Show ``value``; the choices are brought up to date unless the user is typing in it (refilling
        resets the text: a keystroke in the middle of a value after the vocabulary changed sent the cursor to
        the end, and the word came out garbled: a new-user trial). A focused one keeps its cursor."""
        if self.currentText() == _text(value):
            return  # (the echo of the user's own edit: nothing to refill or move)
        typing = self.isEditable() and self.hasFocus()
        if not typing:
            self._fill(self.currentText())
        line = self.lineEdit()
        cursor = line.cursorPosition() if typing and line is not None else None
        self._quiet = True
        try:
            if value and self.findText(_text(value)) < 0:
                self.insertItem(0, _text(value))  # what the file says is always shown, allowed or not
            if self.isEditable():
                self.setEditText(_text(value))
                if line is not None:  # typing: where it was; else the value's start (a narrow field showed
                    line.setCursorPosition(min(cursor, len(line.text())) if cursor is not None else 0)  # its end)
            else:
                self.setCurrentText(_text(value))
        finally:
            self._quiet = False

    def focus_target(self) -> QWidget:
        return self


class ListEditor(ChipsEditor):
    """A list of strings, as chips."""

    value_edited = Signal(object, bool)

    def __init__(self, key: str, value: Value, choices: Mapping[str, int], allow_new: bool) -> None:
        super().__init__(key, choices, allow_new=allow_new)
        self.set_values([str(v) for v in value] if isinstance(value, list) else [])
        self.edited.connect(self._on_edit)

    def _on_edit(self, values: list[str]) -> None:
        self.value_edited.emit(list(values), False)

    def value(self) -> Value:
        return list(self.values)

    def set_value(self, value: Value) -> None:
        self.set_values([str(v) for v in value] if isinstance(value, list) else [])

    def focus_target(self) -> QWidget:
        return self.input


def make_editor(
    key: str, kind: Kind, value: Value, choices: Mapping[str, int], allow_new: bool, nested_text: str
) -> QWidget:
    """The editor for a field of ``kind`` showing ``value``."""
    if kind == Kind.BOOL:
        return BoolEditor(key, value)
    if kind == Kind.DATE:
        return DateEditor(key, value)
    if kind in LIST_KINDS:
        return ListEditor(key, value, choices, allow_new)
    if kind == Kind.CHOICE:
        return ChoiceEditor(key, value, choices, allow_new)
    if kind == Kind.LONGTEXT:
        return LongTextEditor(key, value)
    if kind == Kind.COMPLEX:
        return NestedView(key, nested_text)
    if kind == Kind.NUMBER:
        return NumberEditor(key, value)
    if kind == Kind.URL:
        return UrlEditor(key, value)
    return TextEditor(key, value)
