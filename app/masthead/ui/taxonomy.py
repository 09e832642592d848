"""The taxonomy view: every value of every list field with its file count; near-duplicates highlighted;
rename, merge, delete and "show files". Each change opens a preview of its diffs before anything is
written, and lands on the window's undo history."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QBrush, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
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

from masthead.core.operations import Edit
from masthead.core.records import Record
from masthead.core.vocabulary import Delta, Entry, Vocabulary
from masthead.core.wording import plural
from masthead.ui.tasks import call_soon, run_in_background
from masthead.ui.taxonomy_actions import delete_dialog, merge_dialog, rename_dialog
from masthead.ui.taxonomy_model import ValuesModel
from masthead.ui.taxonomy_rows import COUNT, FIELD, SIMILAR, VALUE, Rows, Snapshot, build_rows, snapshot
from masthead.ui.theme import highlight_tint
from masthead.ui.widgets import named, named_combo

ALL_FIELDS = "All list fields"
REBUILD_ABOVE = 20_000  # more changed entries than this: list the values afresh (off the GUI thread) instead
CHUNK = 1000  # entries of a delta applied per turn of the event loop (one layout change: ~30 ms)
BUILD_HERE_BELOW = 3000  # fewer values than this: build the rows on the GUI thread (a few ms), else off it


class Host(Protocol):
    """What the view needs from the window."""

    def open_operation(
        self, rels: list[str], make_edit: Callable[[], Edit | None], title: str, editor: QWidget | None = None
    ) -> Any: ...

    def show_query(self, text: str) -> None: ...


def _query_value(value: str) -> str:
    return value if value and all(c.isalnum() or c in "-_." for c in value) else f'"{value}"'


class TaxonomyPanel(QWidget):
    """Values of the archive's list fields, and the operations on them."""

    def __init__(self, host: Host, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("taxonomy")
        self.setAccessibleName("Taxonomy: values of the list fields")
        self.host = host
        self.records: Sequence[Record] = []
        self.vocabulary = Vocabulary()
        self.model = ValuesModel(self)
        self.proxy = self.model  # the model sorts and filters itself (the name kept for callers)
        self.stale = False  # the vocabulary changed while hidden (or a build is due): rebuild when shown
        self.pending: set[Entry] = set()  # entries changed while hidden or while the rows were being built
        self._building = False  # rows are being built off the GUI thread
        self._generation = 0  # which build is the latest
        self._to_select: list[tuple[str, str, bool]] = []  # asked for while the rows were being built
        self._feeding = False  # the rest of a large delta is applied on the next turn of the event loop
        self.filter = named(QLineEdit(), "taxonomyFilter", "Filter values")
        self.filter.setPlaceholderText("Filter values…")
        self.filter.setClearButtonEnabled(True)
        self.field = named_combo(QComboBox(), "taxonomyField", "Field")
        self.field.addItem(ALL_FIELDS)
        self.near_only = named(QCheckBox("Near-duplicates only"), "taxonomyNearOnly", "Show only near-duplicates")
        for signal in (self.filter.textChanged, self.field.currentTextChanged, self.near_only.toggled):
            signal.connect(self._apply_filter)
        self.table = named(QTableView(), "taxonomyTable", "Values with their file counts")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons (it went cell to cell: trial)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COUNT, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # never ResizeToContents: it reads
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Stretch)  # every row on every change
        em = self.fontMetrics().horizontalAdvance("M")
        for column, width in ((FIELD, 12), (COUNT, 6), (SIMILAR, 22)):
            header.resizeSection(column, width * em)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setObjectName("taxonomyHeader")
        self.table.horizontalHeader().setAccessibleName("Taxonomy columns")
        self.table.doubleClicked.connect(self.show_files)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.selectionModel().currentChanged.connect(self._select_current)
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
        self.filter.installEventFilter(self)  # Down goes to the values (as from the archive's search field)
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

    def _select_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """A row made current with nothing selected (Tab onto the table) is selected: F2, Delete and the
        buttons act on it (found by a new-user trial: F2 did nothing on the one value a filter left)."""
        selection = self.table.selectionModel()
        if current.isValid() and not selection.hasSelection():
            selection.select(current, selection.SelectionFlag.Select | selection.SelectionFlag.Rows)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down and self.table.model() is not None and self.table.model().rowCount():
                self.table.setFocus(Qt.FocusReason.TabFocusReason)
                self.table.setCurrentIndex(self.table.model().index(0, 0))  # (selected: F2 renames it)
                return True
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
    def set_data(self, vocabulary: Vocabulary, records: Sequence[Record]) -> None:
        """Show a whole new vocabulary (after loading an archive); the rows are built off the GUI thread,
        and only once the panel is shown."""
        self.vocabulary, self.records = vocabulary, records
        self.stale, self.pending, self._building = True, set(), False
        self._generation += 1  # a build of the previous vocabulary is void
        self._refresh_fields()
        if self.isVisible():
            self._start_build()
        else:
            self._update_status()

    def apply_delta(self, vocabulary: Vocabulary, changed: Delta | Iterable[Entry], records: Sequence[Record]) -> None:
        """Update just the rows of ``changed`` (``Vocabulary.update``'s delta, already applied to
        ``vocabulary``); ``records`` are the archive's records now. Nothing but bookkeeping while hidden; a
        large delta is applied ``CHUNK`` entries per turn of the event loop."""
        entries = changed.lists if isinstance(changed, Delta) else set(changed)
        self.records = records
        if vocabulary is not self.vocabulary:
            self.set_data(vocabulary, records)
            return
        self._refresh_fields()
        self.pending |= entries
        if len(self.pending) > REBUILD_ABOVE:  # so many changes: list the values afresh, off the GUI thread
            self.stale = True
            if self.isVisible():
                self._start_build()
        elif self.isVisible() and not self._feeding:
            self.catch_up()
        self._update_status()

    def clear(self) -> None:
        """Forget the archive (a new one is being opened)."""
        self.vocabulary, self.records = Vocabulary(), []
        self.stale, self.pending, self._building, self._to_select = False, set(), False, []
        self._generation += 1
        self.model.install(self.vocabulary, build_rows(snapshot(self.vocabulary), self.model.wanted[0]), QBrush())
        self._refresh_fields()
        self._after_change()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.catch_up()

    @property
    def ready(self) -> bool:
        """Whether the rows show the vocabulary (not stale, not being built, no change left to apply)."""
        return not self.stale and not self._building and not self.pending

    def catch_up(self) -> None:
        """Bring the rows up to date: a stale vocabulary is listed again (off the GUI thread unless small);
        pending changes are applied, up to ``CHUNK`` now and the rest on the next turns of the event loop."""
        self._feeding = False
        if self._building:
            return
        if self.stale:
            self._start_build()
            return
        if not self.pending:
            return
        chunk = self.pending if len(self.pending) <= CHUNK else set(itertools.islice(self.pending, CHUNK))
        self.pending = self.pending - chunk if chunk is not self.pending else set()
        self.model.apply(chunk)
        if self.pending and self.isVisible():
            self._feeding = True
            call_soon(self, self.catch_up, 2)  # a real timer: painting and input get their turn first
        self._after_change()

    def _start_build(self, snap: Snapshot | None = None) -> None:
        """List every value: here for a small vocabulary, else off the GUI thread (``ready`` says when done);
        ``snap``: the same snapshot again (sorted by another column), the pending changes stay valid."""
        column = self.model.wanted[0]
        self._generation += 1
        if snap is None:
            snap, self.pending = snapshot(self.vocabulary), set()
        size = sum(len(c) for c in snap.counts.values())
        if size < BUILD_HERE_BELOW:
            self._building = False
            self._install(build_rows(snap, column))
            return
        self._building, generation = True, self._generation
        self.status.setText(f"Listing {plural(size, 'value')}…")

        def done(rows: Rows | None, error: BaseException | None) -> None:
            if generation != self._generation or rows is None:
                return
            if rows.column != self.model.wanted[0]:  # a header was clicked meanwhile: sort those instead
                self._start_build(snap)
                return
            self._building = False
            self._install(rows)

        run_in_background(lambda: build_rows(snap, column), done, self)

    def _install(self, rows: Rows) -> None:
        self.stale = False
        chosen = [(f, v, n > 0) for n, (f, v, _) in enumerate(self.selected())]
        self.model.install(self.vocabulary, rows, QBrush(highlight_tint(self.palette())))
        for field_name, value, extend in chosen:  # the same values stay selected
            self._select(field_name, value, extend)
        self.catch_up()  # what changed while the rows were built
        self._after_change()

    def _refresh_fields(self) -> None:
        names = sorted(self.vocabulary.lists)
        if [self.field.itemText(i) for i in range(1, self.field.count())] == names:
            return
        current = self.field.currentText()
        self.field.blockSignals(True)
        self.field.clear()
        self.field.addItems([ALL_FIELDS, *names])
        self.field.setCurrentText(current if current in self.vocabulary.lists else ALL_FIELDS)
        self.field.blockSignals(False)
        if current != self.field.currentText():
            self._apply_filter()

    def _after_change(self) -> None:
        if self._to_select and self.ready:  # asked for while the rows were being built
            chosen, self._to_select = self._to_select, []
            for field_name, value, extend in chosen:
                self._select(field_name, value, extend)
        self._update_status()
        self._update_buttons()

    def _update_status(self) -> None:
        vocab = self.vocabulary
        total = sum(len(c) for c in vocab.lists.values())
        groups = sum(len(vocab.near_keys(f)) for f in vocab.lists)
        shown = self.model.rowCount()
        filtered = bool(self.model.text or self.model.field or self.model.near_only)
        values = f"{shown:,} of {plural(total, 'value')}" if filtered and not self.stale else plural(total, "value")
        fields = plural(len(vocab.lists), "field")
        self.status.setText(f"{values} in {fields}; {plural(groups, 'near-duplicate group')}")

    def _apply_filter(self, *_: Any) -> None:
        field_name = self.field.currentText()
        self.model.set_filter(
            self.filter.text(), "" if field_name == ALL_FIELDS else field_name, self.near_only.isChecked()
        )
        self._after_change()

    def selected(self) -> list[tuple[str, str, int]]:
        """(field, value, count) of the selected rows, most used first."""
        rows = []
        for index in self.table.selectionModel().selectedRows(VALUE):
            entry = self.model.entry(index.row())
            rows.append((entry[0], entry[1], self.model.count(entry)))
        return sorted(rows, key=lambda r: (-r[2], r[1]))

    def select_value(self, field_name: str, value: str, extend: bool = False) -> bool:
        """Select the row of ``value`` in ``field_name`` (for keyboard users and tests); False if not shown.
        While the rows are being built it is selected once they land (True if the vocabulary holds it)."""
        self.catch_up()
        if self.ready:
            return self._select(field_name, value, extend)
        self._to_select.append((field_name, value, extend))
        return value in self.vocabulary.lists.get(field_name, ())

    def _select(self, field_name: str, value: str, extend: bool) -> bool:
        row = self.model.row_of((field_name, value))
        if row is None:
            return False
        index = self.model.index(row, VALUE)
        flags = self.table.selectionModel().SelectionFlag
        mode = flags.Select if extend else flags.ClearAndSelect
        self.table.selectionModel().select(index, mode | flags.Rows)
        if not extend:
            self.table.setCurrentIndex(index)
        return True

    def select_near_duplicates(self) -> int:
        """Extend the selection to the near-duplicates of the selected values (ready to merge); how many rows."""
        wanted = {(f, o) for f, v, _ in self.selected() for o in self.vocabulary.near_of(f, v)}
        for field_name, value in sorted(wanted):
            self.select_value(field_name, value, extend=True)
        return len(self.selected())

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setObjectName("taxonomyMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        rows = self.selected()
        near = any(self.vocabulary.near_of(f, v) for f, v, _ in rows)
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
        return rename_dialog(self)

    def merge_selected(self) -> Any:
        return merge_dialog(self)

    def delete_selected(self) -> Any:
        return delete_dialog(self)
