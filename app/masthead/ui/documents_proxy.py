"""The documents table's filter: folder, quick filter, query or transcript search; the file being edited
stays shown. Sorting is the source model's (one Python sort, off the GUI thread for big archives).

Qt asks ``filterAcceptsRow`` about every row whenever the filter or the rows change (10,000 calls into
Python). Each call is only a list lookup: the verdicts of all rows are computed in one pass (``Filters``,
off the GUI thread for a large archive: ``BrowserPane``), kept per record, and the list of them
follows the source model's signals, which reach this proxy before Qt's own handlers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, replace
from operator import is_, itemgetter
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelRoleData, QModelRoleDataSpan, QSortFilterProxyModel, Qt, Signal

from masthead.core.fieldinfo import FileState, file_state
from masthead.core.pacing import paced
from masthead.core.query import Query
from masthead.core.records import Record
from masthead.core.workflow import Schema
from masthead.ui.models import AnyIndex, Column, DocumentsModel, role_data

QUICK_FILTERS: dict[str, FileState] = {
    "drafts": FileState.DRAFT,
    "published": FileState.PUBLISHED,
    "errors": FileState.ERROR,
}
BACKGROUND_FILTER = 2000  # rows from which a filter's verdicts are computed off the GUI thread
Verdicts = dict[int, tuple[Record, bool]]  # by id of the record (kept, so that the id is never another's)


@dataclass(frozen=True)
class Filters:
    """What the table shows: files in ``folder``, in the ``quick`` filter's state, matching ``query``; when
    ``allowed`` is given (a transcript search's answer, found in the background), the files it names."""

    query: Query | None = None
    folder: str = ""
    quick: str | None = None
    allowed: Set[str] | None = None

    @property
    def everything(self) -> bool:
        return self.query is None and not self.folder and not self.quick and self.allowed is None

    def accepts(self, record: Record, schema: Schema | None, git_state: Callable[[str], str] | None) -> bool:
        if self.folder and not record.path.startswith(self.folder + "/"):
            return False
        if self.quick and file_state(record, schema) != QUICK_FILTERS[self.quick]:
            return False
        if self.allowed is not None:
            return record.path in self.allowed
        return self.query is None or self.query.matches(record, git_state=git_state)

    def verdicts(
        self, records: Iterable[Record], schema: Schema | None, git_state: Callable[[str], str] | None
    ) -> Verdicts:
        """Every record's verdict (pure: for a worker thread). By record, not by path and stamp: a record
        replaced by another is judged again even if its file kept its size and mtime. Paced: while the GUI
        thread is busy the worker waits (refiltering the table calls Python 10,000 times, each needing the GIL:
        with this loop running beside it, a body:e search's refilter took 160 ms)."""
        return {id(r): (r, self.accepts(r, schema, git_state)) for r in paced(records)}


class DocumentsProxy(QSortFilterProxyModel):
    """Filters the table by folder, quick filter and query; sorts by each column's sort key."""

    git_refilter = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(True)
        self.filters = Filters()
        self._verdicts: Verdicts = {}
        self._rows: list[bool] | None = None  # every source row's verdict (None: to be computed again)
        self.pinned: str | None = None  # the file being edited stays shown until another is picked

    @property
    def query(self) -> Query | None:
        return self.filters.query

    # -- the source model's changes, seen before Qt's handlers ask about rows
    def setSourceModel(self, model: QAbstractItemModel) -> None:
        old = self.sourceModel()
        if isinstance(old, DocumentsModel):
            for signal in (old.modelReset, old.layoutChanged, old.rowsRemoved):
                signal.disconnect(self._forget_rows)
            old.rowsInserted.disconnect(self._rows_inserted)
            old.dataChanged.disconnect(self._rows_changed)
        self._rows = None
        if isinstance(model, DocumentsModel):
            for signal in (model.modelReset, model.layoutChanged, model.rowsRemoved):
                signal.connect(self._forget_rows)
            model.rowsInserted.connect(self._rows_inserted)
            model.dataChanged.connect(self._rows_changed)
        super().setSourceModel(model)

    def _forget_rows(self, *_: Any) -> None:
        self._rows = None

    def _rows_inserted(self, _parent: AnyIndex, first: int, last: int) -> None:
        rows = self._rows
        if rows is not None and first == len(rows):  # appended (an archive loading): only the new rows
            records = self._model().records
            rows.extend(self._verdict(records[row]) for row in range(first, last + 1))
        else:
            self._rows = None

    def _rows_changed(self, top: AnyIndex, bottom: AnyIndex, *_: Any) -> None:
        rows = self._rows
        if rows is None or top.column() == bottom.column() == Column.MATCH:  # a snippet: no verdict changes
            return
        records = self._model().records
        if bottom.row() >= len(rows) or len(rows) != len(records):
            self._rows = None
            return
        for row in range(top.row(), bottom.row() + 1):
            rows[row] = self._verdict(records[row])

    def multiData(self, index: AnyIndex, roles: QModelRoleDataSpan | QModelRoleData) -> None:
        """A cell's roles from the source model in one call (Qt's proxy asks the source one role at a time)."""
        source = self.mapToSource(index)
        model = self.sourceModel()
        if source.isValid() and model is not None:
            model.multiData(source, roles)
        else:
            for wanted in role_data(roles):
                wanted.clearData()

    # -- filtering
    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        rows = self._rows
        if rows is None or source_row >= len(rows):
            rows = self._rows = self._all_rows()
        return rows[source_row]

    def _model(self) -> DocumentsModel:
        model = self.sourceModel()
        assert isinstance(model, DocumentsModel)
        return model

    def _all_rows(self) -> list[bool]:
        records = self._model().records
        if self.filters.everything:
            return [True] * len(records)
        known = list(self._verdicts.values())
        if len(known) == len(records) and all(map(is_, map(itemgetter(0), known), records)):
            # verdicts judged in the background on these very records, in their order (a search): read in C
            rows = list(map(bool, map(itemgetter(1), known)))  # (10,000 calls of _verdict took 20-40 ms)
            pinned = self._model().row_of(self.pinned) if self.pinned else None
            if pinned is not None:
                rows[pinned] = True
            return rows
        return [self._verdict(record) for record in records]

    def _verdict(self, record: Record) -> bool:
        return self.filters.everything or record.path == self.pinned or self._judged(record)

    def _judged(self, record: Record) -> bool:
        """The filters' verdict on ``record`` (known, or judged now and kept)."""
        known = self._verdicts.get(id(record))
        if known is not None and known[0] is record:
            return known[1]
        model = self._model()
        verdict = self.filters.accepts(record, model.schema, model.git_state)
        if len(self._verdicts) > 2 * len(model.records) + 100:  # replaced records are let go
            current = ((id(r), self._verdicts.get(id(r))) for r in model.records)
            self._verdicts = {key: known for key, known in current if known is not None}
        self._verdicts[id(record)] = (record, verdict)
        return verdict

    def prepared(self, query: Query | None) -> Query | None:
        """``query`` with the table's schema (it decides what ``draft:true`` means) unless it has one."""
        if query is not None and query.schema is None:
            model = self.sourceModel()
            return replace(query, schema=model.schema if isinstance(model, DocumentsModel) else None)
        return query

    def set_filters(
        self,
        query: Query | None = None,
        folder: str = "",
        quick: str | None = None,
        allowed: Set[str] | None = None,
        verdicts: Verdicts | None = None,
    ) -> None:
        """Filter by these; ``verdicts`` are the records' verdicts already known (computed in the background
        with ``Filters.verdicts``): only other records are judged here."""
        filters = Filters(self.prepared(query), folder, quick, allowed)
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self._set(filters, verdicts)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._set(filters, verdicts)
            self.invalidateFilter()

    def _set(self, filters: Filters, verdicts: Verdicts | None) -> None:
        self.filters = filters
        self._verdicts = dict(verdicts) if verdicts is not None else {}
        self._rows = None

    def pin(self, path: str | None) -> None:
        """Keep ``path`` shown whatever the filters say (the previous pinned file is filtered again)."""
        old, self.pinned = self.pinned, path
        model = self.sourceModel()
        if not isinstance(model, DocumentsModel):
            return
        row = model.row_of(path) if path else None
        if row is not None and not self.mapFromSource(model.index(row, 0)).isValid():
            model.touch(path or "")  # not shown: it is now
        if old and old != path:
            model.touch(old)  # a dynamic filter looks at a changed row again

    def pinned_outside(self) -> str | None:
        """The pinned file if it is shown only because it is pinned (the filters reject it)."""
        model = self.sourceModel()
        if self.pinned is None or self.filters.everything or not isinstance(model, DocumentsModel):
            return None
        row = model.row_of(self.pinned)
        if row is None:
            return None
        return None if self._judged(model.record(row)) else self.pinned

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the source model's (one Python sort); this proxy only filters."""
        model = self.sourceModel()
        if isinstance(model, DocumentsModel) and column >= 0:
            model.sort(column, order)

    def source_rows(self, rows: Iterable[int]) -> list[int]:
        """The source model's rows of these rows of the proxy (without a call per row when nothing is
        filtered: the proxy never sorts, so its rows are then the source's)."""
        if self.filters.everything and self.sortColumn() < 0:
            return list(rows)
        return [self.mapToSource(self.index(row, 0)).row() for row in rows]

    def git_changed(self, paths: list[str]) -> None:
        """Files' git states changed: a ``git:`` query looks at those rows again."""
        query = self.filters.query
        if query is None or not query.needs_git:
            return
        model = self.sourceModel()
        if self.filters.allowed is not None or not isinstance(model, DocumentsModel):
            self._verdicts.clear()
            self.git_refilter.emit()  # a transcript search's result: the browser runs it again
            return
        for path in paths:  # only their verdicts are judged again
            row = model.row_of(path)
            if row is not None:
                self._verdicts.pop(id(model.record(row)), None)
                model.touch(path)
