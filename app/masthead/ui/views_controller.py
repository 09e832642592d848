"""The archive's saved views (``core.views``): read when an archive opens, saved and deleted through core,
and counted (how many files each view shows) off the GUI thread whenever the archive's records change."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from masthead.core.csv_table import write_table
from masthead.core.errors import MastheadError
from masthead.core.query import QueryError, parse_query
from masthead.core.records import Record
from masthead.core.views import View, delete_view, load_views, save_view
from masthead.core.workflow import Schema
from masthead.ui.tasks import run_in_background


class ViewsController(QObject):
    """``changed`` when the views or their counts change; ``failed(message)`` when masthead.yaml is wrong."""

    changed = Signal()
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root: Path | None = None
        self.views: tuple[View, ...] = ()
        self.counts: dict[str, int | None] = {}  # None: not counted (a transcript query, or a bad one)
        self._records: dict[str, Record] = {}
        self.schema: Schema | None = None  # the archive's, as the table's search reads queries
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)  # a burst of saves or a bulk operation: counted once
        self._timer.timeout.connect(self._count)

    def load(self, root: Path | None) -> None:
        self.root = root
        try:
            self.views = load_views(root) if root is not None else ()
        except MastheadError as exc:
            self.views = ()
            self.failed.emit(str(exc))
        self.counts = {}
        self.changed.emit()

    def view(self, name: str) -> View | None:
        return next((v for v in self.views if v.name == name), None)

    def save(self, view: View) -> bool:
        return self._write(lambda root: save_view(root, view))

    def delete(self, name: str) -> bool:
        return self._write(lambda root: delete_view(root, name))

    def _write(self, work: object) -> bool:
        if self.root is None:
            return False
        try:
            work(self.root)  # type: ignore[operator]
        except MastheadError as exc:
            self.failed.emit(str(exc))
            return False
        self.load(self.root)
        self._count()
        return True

    def records_changed(self, records: dict[str, Record]) -> None:
        self._records = records
        if self.views:
            self._timer.start()

    def _count(self) -> None:
        self._generation += 1
        generation, views, records = self._generation, self.views, list(self._records.values())
        schema = self.schema

        def work() -> dict[str, int | None]:
            counts: dict[str, int | None] = {}
            for view in views:
                try:
                    query = parse_query(view.query, schema) if view.query.strip() else None
                except QueryError:
                    counts[view.name] = None
                    continue
                if query is None:
                    counts[view.name] = len(records)
                elif query.needs_body or query.needs_git:
                    counts[view.name] = None
                else:
                    counts[view.name] = sum(1 for r in records if query.matches(r))
            return counts

        def done(counts: dict[str, int | None] | None, error: BaseException | None) -> None:
            if generation == self._generation and counts is not None:
                self.counts = counts
                self.changed.emit()

        run_in_background(work, done, self)

    def export(self, path: Path, records: list[Record], fields: list[str]) -> int:
        """Write the records' fields as a CSV table (run off the GUI thread); returns the number of rows."""
        return write_table(path, records, fields)
