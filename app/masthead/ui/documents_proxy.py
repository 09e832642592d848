"""The documents table's filter: folder, quick filter, query or transcript search; the file being edited
stays shown. Sorting is the source model's (one Python sort, off the GUI thread for big archives)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal

from masthead.core.fieldinfo import FileState, file_state
from masthead.core.query import Query
from masthead.core.records import Record
from masthead.core.workflow import Schema
from masthead.ui.models import AnyIndex, DocumentsModel

QUICK_FILTERS: dict[str, FileState] = {
    "drafts": FileState.DRAFT,
    "published": FileState.PUBLISHED,
    "errors": FileState.ERROR,
}


class DocumentsProxy(QSortFilterProxyModel):
    """Filters the table by folder, quick filter and query; sorts by each column's sort key."""

    git_refilter = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(True)
        self._verdicts: dict[tuple[str, int, int], bool] = {}
        self.query: Query | None = None
        self.folder = ""
        self.quick: str | None = None
        self.allowed: set[str] | None = None  # result of a transcript search done in the background
        self.pinned: str | None = None  # the file being edited stays shown until another is picked
        self._everything = True  # no filter is set: every row is accepted

    def pin(self, path: str | None) -> None:
        """Keep ``path`` shown whatever the filters say (the previous pinned file is filtered again)."""
        old, self.pinned = self.pinned, path
        model = self.sourceModel()
        if old and old != path and isinstance(model, DocumentsModel):
            model.touch(old)  # a dynamic filter looks at a changed row again

    def set_filters(
        self, query: Query | None = None, folder: str = "", quick: str | None = None, allowed: set[str] | None = None
    ) -> None:
        if query is not None and query.schema is None:  # the table's schema decides draft:true
            query = replace(query, schema=self._schema())
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self.query, self.folder, self.quick, self.allowed = query, folder, quick, allowed
            self._verdicts.clear()
            self._everything = query is None and not folder and not quick and allowed is None
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.query, self.folder, self.quick, self.allowed = query, folder, quick, allowed
            self._verdicts.clear()
            self._everything = query is None and not folder and not quick and allowed is None
            self.invalidateFilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the source model's (one Python sort); this proxy only filters."""
        model = self.sourceModel()
        if isinstance(model, DocumentsModel) and column >= 0:
            model.sort(column, order)

    def source_rows(self, rows: Iterable[int]) -> list[int]:
        """The source model's rows of these rows of the proxy (without a call per row when nothing is
        filtered: the proxy never sorts, so its rows are then the source's)."""
        if self._everything and self.sortColumn() < 0:
            return list(rows)
        return [self.mapToSource(self.index(row, 0)).row() for row in rows]

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if self._everything:  # no filter (Qt asks for every row after a reset: 10,000 calls into Python)
            return True
        model = self.sourceModel()
        assert isinstance(model, DocumentsModel)
        record = model.record(source_row)
        if record.path == self.pinned:
            return True
        key = (record.path, record.mtime_ns, record.size)  # a changed file is a new key
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = self._accepts(record)
        return verdict

    def _schema(self) -> Schema | None:
        model = self.sourceModel()
        return model.schema if isinstance(model, DocumentsModel) else None

    def _accepts(self, record: Record) -> bool:
        if self.folder and not record.path.startswith(self.folder + "/"):
            return False
        if self.quick and file_state(record, self._schema()) != QUICK_FILTERS[self.quick]:
            return False
        if self.allowed is not None:
            return record.path in self.allowed
        if self.query is None:
            return True
        model = self.sourceModel()
        git_state = model.git_state if isinstance(model, DocumentsModel) else None
        return self.query.matches(record, git_state=git_state)

    def git_changed(self, paths: list[str]) -> None:
        """Files' git states changed: a ``git:`` query looks at those rows again."""
        if self.query is None or not self.query.needs_git:
            return
        self._verdicts.clear()
        model = self.sourceModel()
        if self.allowed is not None or not isinstance(model, DocumentsModel):
            self.git_refilter.emit()  # a transcript search's result: the browser runs it again
            return
        for path in paths:
            model.touch(path)
