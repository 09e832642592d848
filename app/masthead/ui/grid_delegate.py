"""The grid's cell editors, by the field's kind: true/false for a boolean, the allowed values for a choice,
the form's date editor for a date, else a line of text (a list as its items joined with commas). A committed
cell goes to the grid controller, which puts it into every selected row of its column; Enter moves down."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from masthead.core.cells import cell_problem, cell_text
from masthead.core.schema import Kind, kind_of
from masthead.core.values import looks_like_iso_date
from masthead.ui.form.editors import DateEditor
from masthead.ui.models import RECORD_ROLE
from masthead.ui.widgets import named, named_combo

if TYPE_CHECKING:
    from masthead.ui.grid import GridController

Index = QModelIndex | QPersistentModelIndex


class GridDelegate(QStyledItemDelegate):
    def __init__(self, grid: GridController, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid = grid

    def _field(self, index: Index) -> str | None:
        source = self.grid.window.proxy.mapToSource(self.grid.window.proxy.index(index.row(), index.column()))
        return self.grid.window.model.column_field(source.column())

    def createEditor(  # type: ignore[override]  # (None: no editor, which Qt allows and the stubs do not say)
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget | None:
        field = self._field(index) or ""
        schema = self.grid.window.archive.schema
        rule = schema.rule(field)
        record = index.data(RECORD_ROLE)
        value = record.meta.get(field) if record is not None else None
        pending = self.grid.pending_at(index.row(), index.column())
        problem = cell_problem(value) if pending is None else None
        if problem is None and "\n" in str(index.data(Qt.ItemDataRole.EditRole) or ""):
            problem = "a text of several lines (a line editor would hide its line breaks)"
        if problem is not None:  # not edited here: typing, Del or a paste replace the whole cell instead
            self.grid.window.statusBar().showMessage(f"{field} is edited in the form: {problem}", 8000)
            return None
        kind = kind_of(field, value, rule.kind if rule is not None else None)
        if kind == Kind.BOOL or isinstance(value, bool):
            box = named_combo(QComboBox(parent), "gridCellChoice", f"{field} (true or false)")
            box.addItems(["", "true", "false"])  # "": as it is (no value); nothing is chosen for the editor
            return box
        if kind == Kind.CHOICE and rule is not None and rule.values:
            box = named_combo(QComboBox(parent), "gridCellChoice", field, editable=rule.new_values)
            box.addItems(["", *rule.values])
            return box
        if kind == Kind.DATE and (value is None or not isinstance(value, str) or looks_like_iso_date(value[:10])):
            dates = DateEditor(field, value)  # the form's date editor: a calendar, "—" for none
            dates.setParent(parent)
            dates.setObjectName("gridCellDate")
            return dates
        line = named(QLineEdit(parent), "gridCellEditor", field)
        if kind in (Kind.TAGS, Kind.ENTITIES) or isinstance(value, list):
            line.setPlaceholderText("values separated by commas")
        elif kind == Kind.DATE:
            line.setPlaceholderText("2025-01-31")
        return line

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        editor.setProperty("openedWith", text)  # leaving the editor unchanged is not an edit
        if isinstance(editor, DateEditor):
            editor.set_value(text or None)
            editor.setProperty("openedWith", cell_text(editor.value()))
        elif isinstance(editor, QComboBox):
            if editor.findText(text) < 0:
                editor.addItem(text)  # a value the choice does not list: shown as it is, not replaced
            editor.setCurrentIndex(editor.findText(text))
        elif isinstance(editor, QLineEdit):
            editor.setText(text)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, DateEditor):
            editor.interpretText()  # digits typed and not yet taken (keyboard tracking is off)
            text = cell_text(editor.value())
        elif isinstance(editor, QComboBox):
            text = editor.currentText()
        else:
            text = editor.text() if isinstance(editor, QLineEdit) else ""
        if text == editor.property("openedWith"):
            return  # opened and left (Tab, a click elsewhere): nothing typed, nothing set, in no row
        self.grid.type_into_selection(index.row(), index.column(), text)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and isinstance(editor, QWidget)
        ):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
            self.grid.move_down()
            return True
        return super().eventFilter(editor, event)
