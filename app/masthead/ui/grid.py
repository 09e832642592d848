"""View ▸ Grid: the documents table as a spreadsheet over any fields. Cells are edited in place (typed into
one cell or, with several rows selected, into that column of every selected row; pasted as a block from a
spreadsheet; filled down). Unsaved cells show ● and are saved with Ctrl+S as one bulk operation
(``CellsEdit``: the usual preview of diffs, journal and Edit ▸ Undo). The controller owns the unsaved cells;
the model shows them, and core reads each cell's text back in the form of the file's value."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QMessageBox

from masthead.core.cell_block import block_text, parse_block
from masthead.core.cells import CellsEdit, archive_kinds, cell_problem, cell_text
from masthead.core.wording import plural
from masthead.ui.archive_controller import MOVE_WINDOW
from masthead.ui.grid_delegate import GridDelegate
from masthead.ui.models import PATH_ROLE, Column

if TYPE_CHECKING:
    from masthead.ui.main_window import MainWindow
    from masthead.ui.operation_dialog import OperationDialog

FIRST_FIELD_COLUMN = len(Column)
EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
)


class GridController(QObject):
    """``changed`` when the set of unsaved cells changes."""

    changed = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.editing = False
        self._pending: dict[tuple[str, str], str] = {}
        self._bases: dict[tuple[str, str], str] = {}  # each unsaved cell's text in the file when it was typed
        self._orphans: set[str] = set()  # paths of unsaved cells whose files were removed, maybe moved
        self.orphan_ms = int(MOVE_WINDOW * 1000)
        self._undo: list[dict[tuple[str, str], str | None]] = []  # each step: the cells before it
        self._redo: list[dict[tuple[str, str], str | None]] = []
        window.model.cells = self
        self.delegate = GridDelegate(self, window.table)
        window.table.installEventFilter(self)  # Ctrl+Z in the grid: its unsaved cells first

    # ------------------------------------------------------------------ the cells (the model asks)
    def pending(self, path: str, field: str) -> str | None:
        return self._pending.get((path, field))

    @property
    def count(self) -> int:
        return len(self._pending)

    def set_cell(self, path: str, field: str, text: str) -> bool:
        return self.set_cells([(path, field, text)])

    def set_cells(self, cells: list[tuple[str, str, str]]) -> bool:
        """Set many cells at once (a paste, a fill, a typed multi-row edit); a cell set back to the file's
        value is no longer unsaved."""
        index = self.window.archive.index
        if index is None:
            return False
        before = {(p, f): self._pending.get((p, f)) for p, f, _ in cells}
        touched: set[str] = set()
        for path, field, text in cells:
            record = index.records.get(path)
            if record is None or record.error:
                continue
            base = cell_text(record.meta.get(field))
            if text == base:
                self._pending.pop((path, field), None)
                self._bases.pop((path, field), None)
            else:
                self._pending[(path, field)] = text
                self._bases[(path, field)] = base  # (typed again after another program's change: over it)
            touched.add(path)
        if touched and before != {k: self._pending.get(k) for k in before}:
            self._undo.append(before)
            self._redo.clear()
        self._touch(touched)
        return bool(touched)

    def _touch(self, paths: set[str]) -> None:
        self.window.model.touch_many(paths)
        if paths:
            self.changed.emit()

    def undo(self, redoing: bool = False) -> bool:
        """Ctrl+Z in the grid (Ctrl+Shift+Z: redo): the unsaved cells as they were before the last change."""
        source, target = (self._redo, self._undo) if redoing else (self._undo, self._redo)
        if not source:
            return False
        step = source.pop()
        target.append({key: self._pending.get(key) for key in step})
        index = self.window.archive.index
        for key, text in step.items():
            record = index.records.get(key[0]) if index is not None else None
            if text is None or record is None:
                self._pending.pop(key, None)
                self._bases.pop(key, None)
            else:
                self._pending[key] = text
                self._bases.setdefault(key, cell_text(record.meta.get(key[1])))
        self._touch({path for path, _ in step})
        return True

    def moved(self, moves: dict[str, str]) -> None:
        """Files renamed or moved by another program: their unsaved cells go with them."""
        self._orphans.difference_update(moves)
        keys = [key for key in self._pending if key[0] in moves]
        for key in keys:
            new = (moves[key[0]], key[1])
            self._pending[new] = self._pending.pop(key)
            if key in self._bases:
                self._bases[new] = self._bases.pop(key)
        self._forget_steps(set(moves))
        if keys:
            self._touch(set(moves.values()))

    def gone(self, rels: list[str]) -> None:
        """Files removed by another program: their unsaved cells wait ``orphan_ms`` for the files to be seen
        elsewhere (``moved``), then go, and the status bar says what they were (to type them again)."""
        if any(path in self._orphans or path in rels for path, _ in self._pending):
            self._orphans.update(rels)
            QTimer.singleShot(self.orphan_ms, self._drop_orphans)

    def _drop_orphans(self) -> None:
        index = self.window.archive.index
        gone = {path for path in self._orphans if index is None or path not in index.records}
        self._orphans.clear()
        lost = [(key, text) for key, text in self._pending.items() if key[0] in gone]
        for key, _ in lost:
            del self._pending[key]
            self._bases.pop(key, None)
        self._forget_steps(gone)
        if lost:
            self.changed.emit()
            shown = "; ".join(f"{path} {field}: “{text}”" for (path, field), text in lost[:3])
            more = f" and {len(lost) - 3} more" if len(lost) > 3 else ""
            self.window.statusBar().showMessage(
                f"{plural(len(lost), 'unsaved grid cell')} dropped, their files are gone: {shown}{more}", 30000
            )

    def _forget_steps(self, paths: set[str]) -> None:
        """Grid undo steps no longer name these paths (their cells moved or went)."""
        for steps in (self._undo, self._redo):
            for step in steps:
                for key in [k for k in step if k[0] in paths]:
                    del step[key]
            steps[:] = [step for step in steps if step]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the grid, Undo and Redo go to its unsaved cells while it has steps (as a text field's own undo
        does); then to the window's one history."""
        if (
            watched is self.window.table
            and self.editing
            and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
            and isinstance(event, QKeyEvent)
        ):
            if event.matches(QKeySequence.StandardKey.Copy):  # (the view's own copies a shown text, ● and all)
                if event.type() == QEvent.Type.KeyPress:
                    self.copy()
                event.accept()
                return True
            undo, redo = event.matches(QKeySequence.StandardKey.Undo), event.matches(QKeySequence.StandardKey.Redo)
            if (undo and self._undo) or (redo and self._redo):
                if event.type() == QEvent.Type.KeyPress:
                    self.undo(redoing=redo)
                event.accept()
                return True
        return False

    def discard(self) -> None:
        paths = {path for path, _ in self._pending}
        self._pending.clear()
        self._bases.clear()
        self._undo.clear()
        self._redo.clear()
        self.window.model.touch_many(paths)
        self.changed.emit()

    # ------------------------------------------------------------------ the mode
    def set_editing(self, on: bool) -> None:
        """Grid on: cells are selected and edited like a spreadsheet's; off: rows, as the browser's."""
        self.editing = on
        table = self.window.table
        table.setSelectionBehavior(
            QAbstractItemView.SelectionBehavior.SelectItems if on else QAbstractItemView.SelectionBehavior.SelectRows
        )
        table.setEditTriggers(EDIT_TRIGGERS if on else QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(on)  # Tab moves between cells, as in a spreadsheet
        table.setItemDelegate(self.delegate) if on else None
        self.window.statusBar().showMessage(
            "Grid: type to edit a cell (into every selected row), Ctrl+V pastes a block, Ctrl+D fills down, "
            "Ctrl+S saves"
            if on
            else "Grid off",
            6000,
        )

    def set_fields(self, fields: list[str]) -> None:
        """The grid's field columns (after the table's own Title, Date, Status, Category and Tags)."""
        model, table = self.window.model, self.window.table
        model.set_fields(fields)
        for column in range(model.columnCount()):
            if model.column_field(column) in fields:
                table.setColumnHidden(column, False)
                if column >= FIRST_FIELD_COLUMN:
                    table.horizontalHeader().resizeSection(column, 140)

    # ------------------------------------------------------------------ block edits
    def _visible_columns(self) -> list[int]:
        header = self.window.table.horizontalHeader()
        columns = [c for c in range(self.window.model.columnCount()) if not header.isSectionHidden(c)]
        return sorted(columns, key=header.visualIndex)

    def _path_at(self, proxy_row: int) -> str | None:
        index = self.window.proxy.index(proxy_row, 0)
        path = index.data(PATH_ROLE) if index.isValid() else None
        return str(path) if path else None

    def selected_cells(self) -> list[tuple[int, int]]:
        """(row, column) of every selected cell, from the selection's ranges (``selectedIndexes`` builds an
        index object per cell: 10,000 selected rows cost the GUI thread a second)."""
        table = self.window.table
        selection = table.selectionModel().selection()
        cells: list[tuple[int, int]] = []
        for i in range(selection.count()):
            part = selection.at(i)
            rows = range(part.top(), part.bottom() + 1)
            for column in range(part.left(), part.right() + 1):
                if not table.isColumnHidden(column):  # (a block selected across a hidden column skips it)
                    cells.extend((row, column) for row in rows)
        return cells

    def cells_at(self, positions: list[tuple[int, int, str]]) -> list[tuple[str, str, str]]:
        """(path, field, text) for texts at (row, column) of the table; cells of no field are left out."""
        proxy, model = self.window.proxy, self.window.model
        rows = sorted({row for row, _, _ in positions if row < proxy.rowCount()})
        source = dict(zip(rows, proxy.source_rows(rows), strict=True))
        fields = {column: model.column_field(column) for _, column, _ in positions}
        out: list[tuple[str, str, str]] = []
        for row, column, text in positions:
            field, at = fields[column], source.get(row)
            if field is not None and at is not None:
                out.append((model.records[at].path, field, text))
        return out

    def clear_selection(self) -> None:
        """Del: the selected cells emptied."""
        if self.editing:
            self.set_cells(self.cells_at([(r, c, "") for r, c in self.selected_cells()]))

    def type_into_selection(self, row: int, column: int, text: str) -> None:
        """A typed cell, into that column of every selected row (the cell itself when it is alone)."""
        rows = {r for r, c in self.selected_cells() if c == column} | {row}
        cells = self.cells_at([(r, column, text) for r in sorted(rows)])
        self.set_cells(cells)
        if len(rows) > 1:
            self._report(len(cells), "typed")

    def move_down(self) -> None:
        """Enter in a cell: on to the same column of the next row."""
        table = self.window.table
        current = table.currentIndex()
        if current.isValid() and current.row() + 1 < self.window.proxy.rowCount():
            self.select_cell(current.row() + 1, current.column())

    def paste(self) -> None:
        """Ctrl+V: a block of cells (tab-separated, a row a line, as spreadsheets copy them) from the current cell
        down and to the right; one cell pasted over a selection fills every selected cell."""
        text = QGuiApplication.clipboard().text()
        if not self.editing or not text:
            return
        current = self.window.table.currentIndex()
        if not current.isValid():
            return
        rows = parse_block(text)  # (a spreadsheet's block, or one column of it, or one cell)
        columns = self._visible_columns()
        positions: list[tuple[int, int, str]] = []
        if len(rows) == 1 and len(rows[0]) == 1:
            selected = self.selected_cells() or [(current.row(), current.column())]
            positions = [(r, c, rows[0][0]) for r, c in selected]
        else:
            start = columns.index(current.column()) if current.column() in columns else 0
            for dr, values in enumerate(rows):
                for dc, value in enumerate(values):
                    if start + dc < len(columns):
                        positions.append((current.row() + dr, columns[start + dc], value))
        cells = self.cells_at(positions)
        self.set_cells(cells)
        self._report(len(cells), "pasted")

    def fill_down(self) -> None:
        """Ctrl+D: the top selected cell of each selected column into the other selected cells below it."""
        if not self.editing:
            return
        by_column: dict[int, list[int]] = {}
        for row, column in self.selected_cells():
            by_column.setdefault(column, []).append(row)
        positions: list[tuple[int, int, str]] = []
        refused: list[str] = []
        for column, rows in by_column.items():
            rows.sort()
            problem = self._problem(rows[0], column)
            if problem is not None:  # (its text would be read back as another value)
                refused.append(f"{self.window.model.column_name(column)}: {problem}")
                continue
            top = self.window.proxy.index(rows[0], column).data(Qt.ItemDataRole.EditRole)
            positions.extend((row, column, str(top or "")) for row in rows[1:])
        cells = self.cells_at(positions)
        self.set_cells(cells)
        if refused:
            self.window.statusBar().showMessage("Not filled down: " + "; ".join(refused), 10000)
        else:
            self._report(len(cells), "filled")

    def _problem(self, row: int, column: int) -> str | None:
        """Why the cell at (row, column) of the table cannot be copied as its text (None: it can)."""
        field = self.window.model.column_field(column)
        if field is None or self.pending_at(row, column) is not None:
            return None
        source = self.window.proxy.source_rows([row])
        return cell_problem(self.window.model.records[source[0]].meta.get(field)) if source else None

    def pending_at(self, row: int, column: int) -> str | None:
        """The unsaved text of the cell at (row, column) of the table, if any."""
        field, path = self.window.model.column_field(column), self._path_at(row)
        return self._pending.get((path, field)) if field is not None and path is not None else None

    def copy(self) -> None:
        """Ctrl+C: the selected cells' texts (the unsaved ones as typed), as a spreadsheet copies a block."""
        cells = self.selected_cells()
        if not cells:
            return
        rows = sorted({r for r, _ in cells})
        columns = [c for c in self._visible_columns() if any(column == c for _, column in cells)]
        chosen = set(cells)
        proxy = self.window.proxy
        block = [
            [str(proxy.index(r, c).data(Qt.ItemDataRole.EditRole) or "") if (r, c) in chosen else "" for c in columns]
            for r in rows
        ]
        QGuiApplication.clipboard().setText(block_text(block))
        self.window.statusBar().showMessage(f"{plural(len(cells), 'cell')} copied", 4000)

    def _report(self, count: int, verb: str) -> None:
        self.window.statusBar().showMessage(f"{plural(count, 'cell')} {verb} (unsaved: Ctrl+S saves the grid)", 5000)

    # ------------------------------------------------------------------ summaries
    def summary(self, column: int) -> tuple[int, Counter[str]]:
        """Of the shown rows: how many have this column empty, and each value's count (list items apart)."""
        field = self.window.model.column_field(column)
        empty, values = 0, Counter[str]()
        if field is None:
            return 0, values
        model = self.window.model
        records = model.records
        for row in self.window.proxy.source_rows(range(self.window.proxy.rowCount())):
            value = records[row].meta.get(field)
            items = value if isinstance(value, list) else [value]
            texts = [t for t in (cell_text(v) for v in items) if t]
            if not texts:
                empty += 1
            values.update(texts)
        return empty, values

    # ------------------------------------------------------------------ saving
    def edit(self) -> CellsEdit:
        cells: dict[str, dict[str, str]] = {}
        bases: dict[str, dict[str, str]] = {}
        for (path, field), text in self._pending.items():
            cells.setdefault(path, {})[field] = text
            if (path, field) in self._bases:
                bases.setdefault(path, {})[field] = self._bases[(path, field)]
        index = self.window.archive.index
        kinds = archive_kinds(index.records.values(), {f for _, f in self._pending}) if index is not None else {}
        return CellsEdit(
            cells, label=f"edit {plural(len(self._pending), 'cell')} in the grid", kinds=kinds, bases=bases
        )

    def save(self) -> OperationDialog | None:
        """Ctrl+S: the unsaved cells as one bulk operation, previewed at once; applied, they are no longer
        unsaved (the files show the values)."""
        if not self._pending:
            return None
        edit = self.edit()
        rels = sorted(edit.cells)
        dialog = self.window.bulk.open_operation(
            rels, lambda: edit, f"Save {plural(self.count, 'grid cell')}", None, "Save"
        )
        if dialog is None:
            return None
        saved = dict(self._pending)

        def applied(_journal: str) -> None:
            report = dialog.report
            done = set(report.changed) | set(report.unchanged) if report is not None else set()
            kept = 0
            for key, text in saved.items():
                if self._pending.get(key) == text and key[0] in done:
                    del self._pending[key]
                    self._bases.pop(key, None)
                elif self._pending.get(key) == text:
                    kept += 1
            if kept:  # skipped files (a bad cell, read-only, changed meanwhile): their cells stay unsaved
                self.window.statusBar().showMessage(
                    f"{plural(kept, 'cell')} not saved: their files were skipped (see the list); they stay ●", 10000
                )
            self._undo.clear()  # saved: Edit ▸ Undo now undoes the operation
            self._redo.clear()
            self.changed.emit()

        dialog.applied.connect(applied)
        dialog.preview()
        return dialog

    def ask_discard(self) -> bool:
        """Before the archive closes: True to go on (no unsaved cells, or the editor discards them)."""
        if not self._pending:
            return True
        answer = QMessageBox.question(
            self.window,
            "Unsaved grid cells",
            f"{plural(self.count, 'grid cell')} are not saved. Discard them? (Cancel, then Ctrl+S, saves them.)",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard  # discarded when the archive goes (``_on_opened``)

    def select_cell(self, row: int, column: int) -> None:
        index = self.window.proxy.index(row, column)
        self.window.table.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
