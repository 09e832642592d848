"""The documents table's model over the archive index (its filter proxy: ``documents_proxy``).

It adapts core records for views and holds no truth of its own: the index does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from masthead.core.cells import cell_text
from masthead.core.fieldinfo import FileState, file_state
from masthead.core.fulltext import Hit
from masthead.core.pacing import paced, sorted_paced
from masthead.core.records import Record
from masthead.core.workflow import Schema, validate
from masthead.ui import git_badges
from masthead.ui.tasks import run_in_background


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted rows as (first, last) runs of consecutive rows: one dataChanged per run."""
    out: list[tuple[int, int]] = []
    for row in rows:
        if out and out[-1][1] == row - 1:
            out[-1] = (out[-1][0], row)
        else:
            out.append((row, row))
    return out


BACKGROUND_SORT = 2000  # rows from which the order is computed off the GUI thread
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2
PATH_ROLE = Qt.ItemDataRole.UserRole + 3
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 4  # the Match column's Hit (None: none, or not yet known)
AnyIndex = QModelIndex | QPersistentModelIndex
EDIT_ROLE, DISPLAY, TOOLTIP = Qt.ItemDataRole.EditRole, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole


class Column(IntEnum):
    TITLE = 0
    DATE = 1
    STATE = 2
    STATUS = 3
    CATEGORY = 4
    TAGS = 5
    PATH = 6
    MATCH = 7  # shown only while a search looks in transcripts: the words around the match
    GIT = 8  # shown only when the archive is in a git work tree


COLUMNS = len(Column)  # (len(Column) is a Python call, and Qt asks columnCount thousands of times a repaint)

HEADERS = {
    Column.TITLE: "Title",
    Column.DATE: "Date",
    Column.STATE: "Draft",
    Column.STATUS: "Status",
    Column.CATEGORY: "Category",
    Column.TAGS: "Tags",
    Column.PATH: "Path",
    Column.MATCH: "Match",
    Column.GIT: "Git",
}


FIELD_OF = {  # the table's own columns that show one field: editable in the grid
    Column.TITLE: "title",
    Column.DATE: "date",
    Column.STATUS: "status",
    Column.CATEGORY: "category",
    Column.TAGS: "tags",
}
COLUMN_NAMES = {Column.STATE: "state", Column.PATH: "path", Column.MATCH: "match", Column.GIT: "git"} | FIELD_OF


class Cells(Protocol):
    """The grid's unsaved cells (``ui.grid.GridController``), as the model asks for them."""

    editing: bool

    def pending(self, path: str, field: str) -> str | None: ...

    def set_cell(self, path: str, field: str, text: str) -> bool: ...


STATE_LABELS = {FileState.ERROR: "Error", FileState.DRAFT: "Draft", FileState.PUBLISHED: "Published"}


def state_of(record: Record, schema: Schema | None = None) -> str:
    """The badge of a file: Error, Has problems (it would not validate), Draft or Published (by the schema's
    draft field: ``fieldinfo.file_state`` decides)."""
    state = file_state(record, schema)
    if state != FileState.ERROR and schema is not None and validate(record.meta, schema):
        return "Has problems"
    return STATE_LABELS[state]


def role_data(roles: QModelRoleDataSpan | QModelRoleData) -> list[QModelRoleData]:
    """The roles asked in a ``multiData`` call (a span is a sequence at run time; PySide's stubs do not say so)."""
    if isinstance(roles, QModelRoleData):
        return [roles]
    span: Any = roles
    return list(span)


class CellsAtOnce:
    """For a Qt model: every role a view asks of a cell, in one call. A view asks seven per cell, and each call
    from Qt into Python takes the GIL; beside a busy worker thread a repaint of the documents table (616 calls)
    took 126-192 ms instead of 6-8. ``data`` answers each role, as before."""

    def multiData(self, index: AnyIndex, roles: QModelRoleDataSpan | QModelRoleData) -> None:
        model: Any = self
        for wanted in role_data(roles):
            wanted.setData(model.data(index, wanted.role()))


class DocumentsModel(CellsAtOnce, QAbstractTableModel):
    """One row per file of the archive, sorted by the chosen column (here, not in the proxy)."""

    sorted = Signal()
    reordering = Signal(bool)  # True before, False after a large reorder done as a reset

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: list[Record] = []
        self._rows: dict[str, int] = {}
        self._dirty: set[str] = set()
        self._error_icon: QIcon | None = None
        self._order: tuple[Column, Qt.SortOrder] | None = None
        self.schema: Schema | None = None  # for the Has problems badge
        self._keys: dict[tuple[str, int, int], str] = {}  # sort keys of the current column, per record version
        self.deferred = False  # while an archive loads: append rows, sort once at the end
        self.removing: str | None = None  # the path whose row is being removed (deleted or moved on disk)
        self._sort_generation = 0
        self.sorting = False  # a background sort is under way (``sorted`` follows)
        self._version = 0  # counts changes to the set of rows
        self._snippets: dict[str, Hit | None] = {}  # for the Match column, by path
        self.snippet_wanted: Callable[[str], None] | None = None  # asked for a row whose snippet is not known
        # path -> git state of every changed file, and the files git tracks: one value, so that a worker
        # thread reading states (a background filter) never sees one of a new status and one of the old
        self._git_status: tuple[dict[str, str], frozenset[str]] = ({}, frozenset())
        self.git_version = 0  # counts the git status changes that moved a file's state
        self.fields: list[str] = []  # the grid's field columns, after the table's own
        self.cells: Cells | None = None  # the grid's unsaved cells
        self.outside: str | None = None  # the open file, listed though the filters reject it (in italics)

    # -- reading
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else COLUMNS + len(self.fields)

    # -- the grid: field columns and their cells
    def column_field(self, column: int) -> str | None:
        """The field a column shows (None for Draft, Path, Match and Git)."""
        if column >= COLUMNS:
            return self.fields[column - COLUMNS] if column - COLUMNS < len(self.fields) else None
        return FIELD_OF.get(Column(column))

    def column_name(self, column: int) -> str:
        """The column's name in a saved view: its field, or state/path/match/git."""
        return self.column_field(column) or COLUMN_NAMES[Column(column)]

    def column_of(self, name: str) -> int | None:
        for column in range(self.columnCount()):
            if self.column_name(column) == name:
                return column
        return None

    def set_fields(self, fields: list[str]) -> None:
        """Show these fields as columns after the table's own (those already shown there are left out)."""
        wanted = [f for f in dict.fromkeys(fields) if f not in FIELD_OF.values()]
        if wanted == self.fields:
            return
        self._keys.clear()  # a column number may now stand for another field
        if self.fields:
            self.beginRemoveColumns(QModelIndex(), COLUMNS, COLUMNS + len(self.fields) - 1)
            self.fields = []
            self.endRemoveColumns()
        if wanted:
            self.beginInsertColumns(QModelIndex(), COLUMNS, COLUMNS + len(wanted) - 1)
            self.fields = wanted
            self.endInsertColumns()

    def cell(self, row: int, column: int) -> str:
        """A cell's text as the grid edits it: the unsaved text, else the file's value."""
        field, record = self.column_field(column), self._records[row]
        if field is None:
            return ""
        pending = self.cells.pending(record.path, field) if self.cells is not None else None
        return pending if pending is not None else cell_text(record.meta.get(field))

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if (
            self.cells is not None
            and self.cells.editing
            and index.isValid()
            and self.column_field(index.column()) is not None
            and not self._records[index.row()].error
        ):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        field = self.column_field(index.column()) if index.isValid() else None
        if role != Qt.ItemDataRole.EditRole or field is None or self.cells is None:
            return False
        return self.cells.set_cell(self._records[index.row()].path, field, str(value))

    def _grid_data(self, record: Record, column: int, role: int) -> Any:
        field = self.column_field(column)
        assert field is not None
        pending = self.cells.pending(record.path, field) if self.cells is not None else None
        if role == Qt.ItemDataRole.EditRole:
            return pending if pending is not None else cell_text(record.meta.get(field))
        if role == Qt.ItemDataRole.DisplayRole:
            text = pending if pending is not None else cell_text(record.meta.get(field))
            return ("● " if pending is not None else "") + text.replace("\n", " ")
        if role == Qt.ItemDataRole.ToolTipRole and pending is not None:
            return f"Not saved yet (Ctrl+S saves the grid): was “{cell_text(record.meta.get(field))}”"
        return None

    def record(self, row: int) -> Record:
        return self._records[row]

    def row_of(self, path: str) -> int | None:
        return self._rows.get(path)

    @property
    def records(self) -> list[Record]:
        return self._records

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)] if section < COLUMNS else self.column_field(section)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._records[index.row()]
        if index.column() >= COLUMNS:
            return self._grid_data(record, index.column(), role)
        column = Column(index.column())
        if (
            self.cells is not None
            and column in FIELD_OF
            and (
                role == EDIT_ROLE
                or (role in (DISPLAY, TOOLTIP) and self.cells.pending(record.path, FIELD_OF[column]) is not None)
            )
        ):
            return self._grid_data(record, column, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == SNIPPET_ROLE:
            return self._snippets.get(record.path)
        if role == RECORD_ROLE:
            return record
        if role == PATH_ROLE:
            return record.path
        if record.path == self.outside and role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
            return f"{record.path} is open, so it stays listed: it does not match the search or filters"
        if role == Qt.ItemDataRole.ToolTipRole:
            if record.error:
                line = f" (line {record.error_line})" if record.error_line else ""
                return f"{record.path}{line}: {record.error}"
            if column == Column.MATCH and self._snippets.get(record.path) is not None:
                return self._snippet_text(record.path)
            if column == Column.GIT:
                return git_badges.TIPS.get(self.git_state(record.path))
            return record.path if column == Column.PATH else None
        if role == Qt.ItemDataRole.DecorationRole and column == Column.TITLE and record.error:
            return self._icon()
        if role == Qt.ItemDataRole.DecorationRole and column == Column.GIT:
            return git_badges.icon(self.git_state(record.path))
        return None

    def _icon(self) -> QIcon:
        if self._error_icon is None:
            style = QApplication.style()
            self._error_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return self._error_icon

    def _display(self, record: Record, column: Column) -> str:
        if column == Column.TITLE:
            title = record.title.replace("\n", " ") or record.path.rpartition("/")[2]
            return ("● " if record.path in self._dirty else "") + title
        if column == Column.DATE:
            return record.date.isoformat() if record.date else record.text("date")
        if column == Column.STATE:
            return state_of(record, self.schema)
        if column == Column.STATUS:
            return record.text("status")
        if column == Column.CATEGORY:
            return record.text("category")
        if column == Column.TAGS:
            return record.text("tags")
        if column == Column.MATCH:
            return self._snippet_text(record.path)
        if column == Column.GIT:
            return git_badges.LABELS.get(self.git_state(record.path), "")
        return record.path

    # -- git states (``GitController``): only the rows whose state changed are signalled
    def git_state(self, path: str) -> str:
        changed, tracked = self._git_status
        state = changed.get(path)
        if state is not None:
            return state
        return "clean" if path in tracked else ""

    def set_git_states(self, changed: dict[str, str], tracked: frozenset[str]) -> list[str]:
        """Take a new git status; returns the paths whose state changed (their rows are signalled)."""
        paths = self._rows.keys()
        old_changed, old_tracked = self._git_status
        before = {p: self.git_state(p) for p in set(old_changed) | set(changed)}
        if tracked != old_tracked:  # a commit, a pull: which files git tracks changed
            before.update({p: self.git_state(p) for p in paths if (p in tracked) != (p in old_tracked)})
        self._git_status = (dict(changed), tracked)
        moved = [p for p, old in before.items() if self.git_state(p) != old]
        if moved:
            self.git_version += 1
        rows = sorted(r for r in (self._rows.get(p) for p in moved) if r is not None)
        for start, end in _runs(rows):
            roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole]
            self.dataChanged.emit(self.index(start, Column.GIT), self.index(end, Column.GIT), roles)
        if moved and self._order is not None and self._order[0] == Column.GIT:
            self._keys.clear()
            self._resort()
        return moved

    def _snippet_text(self, path: str) -> str:
        if path not in self._snippets:
            if self.snippet_wanted is not None:
                self.snippet_wanted(path)
            return "…"
        hit = self._snippets[path]
        return f"{hit.before}{hit.match}{hit.after}" if hit is not None else ""

    def set_snippets(self, found: dict[str, Hit | None]) -> None:
        """Show these snippets in the Match column (the others are asked for when shown)."""
        self._snippets.update(found)
        rows = sorted(r for r in (self._rows.get(p) for p in found) if r is not None)
        for row in rows:  # rows on screen only (tens): one signal each is cheap
            index = self.index(row, Column.MATCH)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, SNIPPET_ROLE])

    def clear_snippets(self) -> None:
        """Forget every snippet (the search text changed)."""
        if self._snippets:
            self._snippets = {}
            if self._records:
                top, bottom = self.index(0, Column.MATCH), self.index(len(self._records) - 1, Column.MATCH)
                self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole, SNIPPET_ROLE])

    def _sort_key(self, record: Record, column: Column) -> str:
        if column >= COLUMNS:
            return cell_text(record.meta.get(self.column_field(column) or "")).casefold()
        if column == Column.MATCH:
            return ""  # not an order: the table keeps its order
        if column == Column.GIT:
            return f"{git_badges.RANK.get(self.git_state(record.path), 9)}"
        if column == Column.DATE:
            value = record.meta.get("date")
            if isinstance(value, str) and len(value) >= 10 and value[4] == "-":
                return value[:10]  # an ISO date written as text: no need to parse it
            return record.date.isoformat() if record.date else ""
        return self._display(record, column).casefold()

    # -- sorting: done here with one Python sort (a sorting proxy would call data() per comparison)
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._order is None or self._order[0] != column:
            self._keys.clear()
        self._order = (Column(column) if column < COLUMNS else column, order)  # type: ignore[assignment]
        self._resort()

    def set_deferred(self, deferred: bool) -> None:
        """While deferred, new rows are appended unsorted; ending it sorts once."""
        self.deferred = deferred
        if not deferred:
            self._resort()

    def _key(self, record: Record, column: Column) -> str:
        version = (record.path, record.mtime_ns, record.size)
        key = self._keys.get(version)
        if key is None:
            key = self._keys[version] = self._sort_key(record, column)
        return key

    def _resort(self) -> None:
        """Order the rows by the current sort column: inline for small lists; for large ones the order is
        computed on a worker thread and applied here, so the GUI thread never computes thousands of keys."""
        if self._order is None or not self._records or self.deferred:
            return
        column, order = self._order
        descending = order == Qt.SortOrder.DescendingOrder
        if len(self._records) < BACKGROUND_SORT:
            self._apply_order(sorted(self._records, key=lambda r: self._key(r, column), reverse=descending))
            return
        self._sort_generation += 1
        self.sorting = True
        generation, snapshot, version = self._sort_generation, list(self._records), self._version
        known = dict(self._keys)  # a copy for the worker: only the keys of changed files are computed there

        def work() -> tuple[list[Record], dict[tuple[str, int, int], str]]:
            fresh: dict[tuple[str, int, int], str] = {}
            decorated: list[tuple[str, int]] = []
            sign = -1 if descending else 1  # equal keys keep their order either way, as a stable sort does
            for i, record in paced(enumerate(snapshot)):  # pauses while the GUI thread is busy
                stamp = (record.path, record.mtime_ns, record.size)
                key = known.get(stamp)
                if key is None:
                    key = fresh[stamp] = self._sort_key(record, column)
                decorated.append((key, sign * i))
            # tuples compare in C (no Python call per comparison), in pieces: no long call holding the GIL
            decorated = sorted_paced(decorated, reverse=descending)
            return [snapshot[sign * i] for _, i in paced(decorated, 2000)], fresh

        def done(
            result: tuple[list[Record], dict[tuple[str, int, int], str]] | None, error: BaseException | None
        ) -> None:
            if generation != self._sort_generation:
                return  # a newer sort was asked for
            self.sorting = False
            if result is None:
                self.sorted.emit()
                return
            ordered, fresh = result
            self._keys.update(fresh)
            if version != self._version:
                self._resort()  # rows came or went meanwhile: sort again
                return
            self._apply_order(ordered)

        run_in_background(work, done, self)

    def _apply_order(self, ordered: list[Record]) -> None:
        if len(ordered) == len(self._records) and all(
            a.path == b.path for a, b in zip(ordered, self._records, strict=True)
        ):
            # the order stands (e.g. a tag was added to 1,000 files): no layout change, which with many
            # selected rows costs the views hundreds of milliseconds of persistent-index remapping
            self.sorted.emit()
            return
        if len(ordered) >= BACKGROUND_SORT:
            # a reset, not a layout change: the filtering proxy rebuilds its mapping once instead of remapping
            # every row (200 ms on 10,000 rows); the browser keeps the selection across it (``reordering``)
            self.reordering.emit(True)
            self.beginResetModel()
            self._records = ordered
            self._rows = {r.path: i for i, r in enumerate(self._records)}
            self.endResetModel()
            self.reordering.emit(False)
            self.sorted.emit()
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        kept = [(self._records[i.row()].path, i.column()) for i in persistent]
        self._records = ordered
        self._rows = {r.path: i for i, r in enumerate(self._records)}
        self.changePersistentIndexList(persistent, [self.index(self._rows[p], c) for p, c in kept])
        self.layoutChanged.emit()
        self.sorted.emit()

    # -- changing
    def reset(self, records: Iterable[Record] = ()) -> None:
        self.beginResetModel()
        self._version += 1
        self._records = list(records)
        self._dirty.clear()  # a reset shows files as they are on disk
        self._snippets = {}
        self._rows = {r.path: i for i, r in enumerate(self._records)}
        self.endResetModel()
        self._resort()

    def add(self, batch: list[Record]) -> None:
        fresh = [r for r in batch if r.path not in self._rows]
        self.update([r for r in batch if r.path in self._rows])
        if not fresh:
            return
        start = len(self._records)
        self._version += 1
        self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
        for offset, record in enumerate(fresh):
            self._rows[record.path] = start + offset
        self._records.extend(fresh)
        self.endInsertRows()
        self._resort()

    def update(self, records: Iterable[Record]) -> None:
        """Replace changed records; many rows at once are one dataChanged over their span (the proxy and the
        views then look once, instead of once per row)."""
        rows: list[int] = []
        for record in records:
            row = self._rows.get(record.path)
            if row is None:
                self.add([record])
                continue
            self._records[row] = record
            self._snippets.pop(record.path, None)  # the transcript may have changed: read it again when shown
            rows.append(row)
        if not rows:
            return
        last = self.columnCount() - 1
        if len(rows) > 50:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), last))
        else:
            for row in rows:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        self._resort()

    def remove(self, paths: Iterable[str]) -> None:
        for path in paths:
            row = self._rows.get(path)
            if row is None:
                continue
            self.removing = path  # (views move their current row off it, in beginRemoveRows)
            self.beginRemoveRows(QModelIndex(), row, row)
            self._version += 1
            del self._records[row]
            self.endRemoveRows()
            self._rows = {r.path: i for i, r in enumerate(self._records)}
            self.removing = None

    def set_outside(self, path: str | None) -> None:
        """Show ``path`` as listed only because it is open (None: no such row)."""
        if path != self.outside:
            old, self.outside = self.outside, path
            for changed in (old, path):
                if changed is not None:
                    self.touch(changed)

    def touch(self, path: str) -> None:
        """Tell the views that a row may look different (or be filtered differently)."""
        row = self._rows.get(path)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def touch_many(self, paths: Iterable[str]) -> None:
        """``touch`` for many rows: one signal over their span (the proxy and the views look once)."""
        rows = [r for r in (self._rows.get(p) for p in paths) if r is not None]
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), self.columnCount() - 1))

    def set_dirty(self, path: str, dirty: bool) -> None:
        """Mark a row as having unsaved edits (shown with a dot before the title)."""
        (self._dirty.add if dirty else self._dirty.discard)(path)
        row = self._rows.get(path)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, 0))
