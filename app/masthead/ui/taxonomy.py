"""The taxonomy view: every value of every list field with its file count; near-duplicates highlighted;
rename, merge, delete and "show files". Each change opens a preview of its diffs before anything is
written, and lands on the window's undo history."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from masthead.core.operations import Edit, ListEdit, merge, rename
from masthead.core.records import Record
from masthead.core.vocabulary import Vocabulary, normalize
from masthead.ui.theme import highlight_tint
from masthead.ui.widgets import named, named_combo

ALL_FIELDS = "All list fields"
VALUE, FIELD, COUNT, SIMILAR = range(4)
NEAR_ROLE = Qt.ItemDataRole.UserRole + 1  # "1" for near-duplicates, "" otherwise
KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # the value normalized (case, width and spacing ignored)


class Host(Protocol):
    """What the view needs from the window."""

    def open_operation(
        self, rels: list[str], make_edit: Callable[[], Edit | None], title: str, editor: QWidget | None = None
    ) -> Any: ...

    def show_query(self, text: str) -> None: ...


@dataclass(frozen=True)
class _Row:
    value: str
    field: str
    count: int
    others: tuple[str, ...]  # the value's near-duplicates in the same field
    key: str  # normalized value


class _ValuesModel(QAbstractTableModel):
    """The values table: plain rows, read by ``data`` (no per-item objects)."""

    HEADERS = ("Value", "Field", "Files", "Near-duplicates")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[_Row] = []
        self.rows_by_key: dict[tuple[str, str], tuple[str, ...]] = {}  # (field, value) -> near-duplicates
        self.tint = QBrush()

    def set_rows(self, rows: list[_Row], tint: QBrush) -> None:
        self.beginResetModel()
        self.rows, self.tint = rows, tint
        self.rows_by_key = {(r.field, r.value): r.others for r in rows}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            others = ("⚠ " + ", ".join(row.others)) if row.others else ""
            return (row.value, row.field, f"{row.count:,}", others)[column]
        if role == Qt.ItemDataRole.UserRole:  # sort keys
            return (row.value.casefold(), row.field, row.count, len(row.others))[column]
        if role == NEAR_ROLE:
            return "1" if row.others else ""
        if role == KEY_ROLE:
            return row.key
        if role == Qt.ItemDataRole.BackgroundRole and row.others:
            return self.tint
        if role == Qt.ItemDataRole.ToolTipRole and row.others:
            return f"Near-duplicate of {', '.join(row.others)}"
        return None


class _Filter(QSortFilterProxyModel):
    """Text (value, case and width ignored), field, and "near-duplicates only", as three built-in proxies
    stacked (no Python runs per row: faster, and PySide6 6.12 mishandles references in a Python
    ``filterAcceptsRow`` override: the interpreter aborted at exit after a few refreshes)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.by_field = QSortFilterProxyModel(self)
        self.by_field.setFilterKeyColumn(FIELD)
        self.by_near = QSortFilterProxyModel(self)
        self.by_near.setSourceModel(self.by_field)
        self.by_near.setFilterKeyColumn(VALUE)
        self.by_near.setFilterRole(NEAR_ROLE)
        self.setSourceModel(self.by_near)
        self.setFilterKeyColumn(VALUE)
        self.setFilterRole(KEY_ROLE)
        self.setSortRole(Qt.ItemDataRole.UserRole)

    def set_source(self, model: QAbstractTableModel) -> None:
        self.by_field.setSourceModel(model)

    def set(self, text: str, field: str, near_only: bool) -> None:
        self.by_field.setFilterFixedString("")
        self.by_field.setFilterRegularExpression(f"^{re.escape(field)}$" if field else "")
        self.by_near.setFilterFixedString("1" if near_only else "")
        self.setFilterFixedString(normalize(text))

    def source_row(self, index: QModelIndex) -> int:
        """The row of ``index`` (of this proxy) in the item model."""
        return self.by_field.mapToSource(self.by_near.mapToSource(self.mapToSource(index))).row()


def _query_value(value: str) -> str:
    return value if value and all(c.isalnum() or c in "-_." for c in value) else f'"{value}"'


class TaxonomyPanel(QWidget):
    """Values of the archive's list fields, and the operations on them."""

    def __init__(self, host: Host, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("taxonomy")
        self.setAccessibleName("Taxonomy: values of the list fields")
        self.host = host
        self.records: list[Record] = []
        self.vocabulary = Vocabulary()
        self.model = _ValuesModel(self)
        self.proxy = _Filter(self)
        self.proxy.set_source(self.model)
        self.filter = named(QLineEdit(), "taxonomyFilter", "Filter values")
        self.filter.setPlaceholderText("Filter values…")
        self.filter.setClearButtonEnabled(True)
        self.field = named_combo(QComboBox(), "taxonomyField", "Field")
        self.field.addItem(ALL_FIELDS)
        self.near_only = named(QCheckBox("Near-duplicates only"), "taxonomyNearOnly", "Show only near-duplicates")
        for signal in (self.filter.textChanged, self.field.currentTextChanged, self.near_only.toggled):
            signal.connect(self._apply_filter)
        self.table = named(QTableView(), "taxonomyTable", "Values with their file counts")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COUNT, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setObjectName("taxonomyHeader")
        self.table.horizontalHeader().setAccessibleName("Taxonomy columns")
        self.table.doubleClicked.connect(self.show_files)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.rename_button = named(QPushButton("Re&name…"), "taxonomyRename", "Rename the selected value")
        self.merge_button = named(QPushButton("&Merge…"), "taxonomyMerge", "Merge the selected values into one")
        self.delete_button = named(QPushButton("&Delete…"), "taxonomyDelete", "Delete the selected values everywhere")
        self.show_button = named(QPushButton("&Show Files"), "taxonomyShowFiles", "Show the files using the value")
        self.rename_button.clicked.connect(self.rename_selected)
        self.merge_button.clicked.connect(self.merge_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.show_button.clicked.connect(self.show_files)
        named(self.table.verticalHeader(), "taxonomyRows", "Value rows")
        for button in self.filter.findChildren(QToolButton):
            named(button, "taxonomyFilterClear", "Clear the filter")
        self.table.installEventFilter(self)  # F2 renames, Delete deletes (like a file manager)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.status = named(QLabel(""), "taxonomyStatus", "Taxonomy summary")
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.field)
        top.addWidget(self.near_only)
        buttons = QHBoxLayout()
        for push in (self.rename_button, self.merge_button, self.delete_button, self.show_button):
            buttons.addWidget(push)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._update_buttons()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_F2:
                self.rename_selected()
                return True
            if event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Delete:
                self.delete_selected()
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ content
    def set_data(self, vocabulary: Vocabulary, records: list[Record]) -> None:
        """Show the archive's list values (the window calls this whenever its vocabulary is rebuilt)."""
        self.vocabulary, self.records = vocabulary, records
        near: dict[tuple[str, str], list[str]] = {}
        for group in vocabulary.near_duplicates():
            if group.field in vocabulary.lists:
                names = [v for v, _ in group.values]
                for value in names:
                    near[(group.field, value)] = [n for n in names if n != value]
        rows = [
            _Row(value, field_name, count, tuple(near.get((field_name, value), ())), normalize(value))
            for field_name in sorted(vocabulary.lists)
            for value, count in vocabulary.lists[field_name].items()
        ]
        self.model.set_rows(rows, QBrush(highlight_tint(self.palette())))
        current = self.field.currentText()
        self.field.blockSignals(True)
        self.field.clear()
        self.field.addItems([ALL_FIELDS, *sorted(vocabulary.lists)])
        self.field.setCurrentText(current if current in vocabulary.lists else ALL_FIELDS)
        self.field.blockSignals(False)
        self._apply_filter()
        groups = len({tuple(sorted([v, *o])) for (_, v), o in near.items()})
        self.status.setText(
            f"{self.model.rowCount():,} values in {len(vocabulary.lists)} fields; {groups} near-duplicate group(s)"
        )

    def _apply_filter(self, *_: Any) -> None:
        field_name = self.field.currentText()
        self.proxy.set(self.filter.text(), "" if field_name == ALL_FIELDS else field_name, self.near_only.isChecked())
        self._update_buttons()

    def selected(self) -> list[tuple[str, str, int]]:
        """(field, value, count) of the selected rows, most used first."""
        rows = []
        for index in self.table.selectionModel().selectedRows(VALUE):
            source_row = self.proxy.source_row(index)
            row = self.model.rows[source_row]
            rows.append((row.field, row.value, row.count))
        return sorted(rows, key=lambda r: (-r[2], r[1]))

    def select_value(self, field_name: str, value: str, extend: bool = False) -> bool:
        """Select the row of ``value`` in ``field_name`` (for keyboard users and tests); False if not shown."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, VALUE)
            if index.data() == value and self.proxy.index(row, FIELD).data() == field_name:
                flags = self.table.selectionModel().SelectionFlag
                mode = flags.Select if extend else flags.ClearAndSelect
                self.table.selectionModel().select(index, mode | flags.Rows)
                self.table.setCurrentIndex(index) if not extend else None
                return True
        return False

    def select_near_duplicates(self) -> int:
        """Extend the selection to the near-duplicates of the selected values (ready to merge); how many rows."""
        wanted = {(f, o) for f, v, _ in self.selected() for o in self.model.rows_by_key.get((f, v), ())}
        for field_name, value in sorted(wanted):
            self.select_value(field_name, value, extend=True)
        return len(self.selected())

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setObjectName("taxonomyMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        rows = self.selected()
        near = any(self.model.rows_by_key.get((f, v)) for f, v, _ in rows)
        for text, slot, enabled in (
            ("Select Its Near-Duplicates", self.select_near_duplicates, near),
            ("Rename…", self.rename_selected, self.rename_button.isEnabled()),
            ("Merge…", self.merge_selected, self.merge_button.isEnabled()),
            ("Delete…", self.delete_selected, self.delete_button.isEnabled()),
            ("Show Files", self.show_files, self.show_button.isEnabled()),
        ):
            action = menu.addAction(text)
            action.setEnabled(enabled)
            action.triggered.connect(slot)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _update_buttons(self, *_: Any) -> None:
        rows = self.selected()
        one_field = len({f for f, _, _ in rows}) == 1
        self.rename_button.setEnabled(len(rows) == 1)
        self.show_button.setEnabled(len(rows) == 1)
        self.merge_button.setEnabled(len(rows) >= 2 and one_field)
        self.delete_button.setEnabled(bool(rows) and one_field)

    def files_with(self, field_name: str | None, values: list[str]) -> list[str]:
        """Files whose ``field_name`` list (any list field when None) holds one of ``values``."""
        wanted = set(values)
        names = [field_name] if field_name else list(self.vocabulary.lists)
        return sorted(
            r.path
            for r in self.records
            if any(isinstance(r.meta.get(n), list) and wanted & set(r.meta[n]) for n in names)
        )

    # ------------------------------------------------------------------ actions
    def show_files(self, *_: Any) -> None:
        rows = self.selected()
        if len(rows) == 1:
            field_name, value, _count = rows[0]
            self.host.show_query(f"{field_name}:{_query_value(value)}")

    def rename_selected(self) -> Any:
        rows = self.selected()
        if len(rows) != 1:
            return None
        field_name, value, _ = rows[0]
        box = QWidget()
        form = QFormLayout(box)
        new_name = named(QLineEdit(value), "taxonomyNewName", "New name")
        completer = QCompleter(sorted(self.vocabulary.lists.get(field_name, {})), new_name)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        new_name.setCompleter(completer)
        new_name.selectAll()
        form.addRow(f"Rename “{value}” in {field_name} to:", new_name)
        everywhere = named(
            QCheckBox(f"In every list field, not only {field_name}"), "taxonomyEverywhere", "Rename in every list field"
        )
        form.addRow(everywhere)
        note = QLabel("If the new name is already used, the two are merged in each file.")
        note.setWordWrap(True)
        form.addRow(note)
        holder: list[Any] = []

        def make() -> Edit | None:
            text = new_name.text().strip()
            if not text or text == value:
                return None
            dialog = holder[0]
            if everywhere.isChecked():
                dialog.rels = self.files_with(None, [value])
                return rename(value, text)
            dialog.rels = self.files_with(field_name, [value])
            return rename(value, text, field_name)

        dialog = self.host.open_operation(self.files_with(field_name, [value]), make, f"Rename “{value}”", box)
        holder.append(dialog)
        new_name.textEdited.connect(dialog.inputs_changed)
        new_name.returnPressed.connect(dialog.preview)
        everywhere.toggled.connect(dialog.preview)
        new_name.setFocus()
        return dialog

    def merge_selected(self) -> Any:
        rows = self.selected()
        if len(rows) < 2 or len({f for f, _, _ in rows}) != 1:
            return None
        field_name = rows[0][0]
        values = [v for _, v, _ in rows]
        box = QWidget()
        form = QFormLayout(box)
        survivor = named_combo(QComboBox(), "taxonomySurvivor", "The value to keep")
        for _, value, count in rows:
            survivor.addItem(f"{value}  ({count:,} files)", value)
        form.addRow(f"Merge {len(values)} values of {field_name} into:", survivor)

        def make() -> Edit | None:
            keep = str(survivor.currentData())
            return merge(keep, [v for v in values if v != keep], field_name)

        dialog = self.host.open_operation(self.files_with(field_name, values), make, f"Merge {len(values)} values", box)
        survivor.currentIndexChanged.connect(dialog.preview)
        dialog.preview()
        return dialog

    def delete_selected(self) -> Any:
        rows = self.selected()
        if not rows or len({f for f, _, _ in rows}) != 1:
            return None
        field_name = rows[0][0]
        values = tuple(v for _, v, _ in rows)
        edit = ListEdit("delete", (field_name,), values)
        return self.host.open_operation(
            self.files_with(field_name, list(values)), lambda: edit, f"Delete {len(values)} value(s)"
        )
