"""The taxonomy's values table: one row per (list field, value), sorted and filtered by the model itself.

The visible rows are a Python list of entry numbers (``order``, ascending by the sort key; a descending sort
reads it backwards; rows are found by bisection). Sorting and filtering emit ``layoutChanged`` only; a small
vocabulary delta touches just the changed entries (``dataChanged`` / ``rowsInserted`` / ``rowsRemoved``), a
large one is one ``layoutChanged`` with the moved entries merged into the sorted list. Members of a
near-duplicate group sort next to each other whatever the column. The rows of a whole archive are built off
the GUI thread (masthead.ui.taxonomy_rows)."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from masthead.core.vocabulary import Entry, Vocabulary, normalize
from masthead.ui.models import CellsAtOnce
from masthead.ui.tasks import run_in_background
from masthead.ui.taxonomy_rows import COUNT, FIELD, VALUE, Key, Rows, near_tops, sort_entries, sort_key

SORT_HERE_BELOW = 5000  # fewer entries: sort on the GUI thread (a few ms); else off it
BATCH_ABOVE = 100  # more changed entries: applied in one layout change (a linear merge), not row by row


class ValuesModel(CellsAtOnce, QAbstractTableModel):
    """The values table (see the module docstring)."""

    HEADERS = ("Value", "Field", "Files", "Near-duplicates")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.vocab = Vocabulary()
        self.rows = Rows([], [], [], [], [], COUNT)
        self.pos: dict[Entry, int] = {}
        self.order: list[int] = []  # visible entry numbers, ascending by the sort key
        self.visible: set[int] = set()
        self.ascending = False
        self.text, self.field, self.near_only = "", "", False
        self.tint = QBrush()
        self._sorting = 0  # the latest sort asked for
        self._touched: set[Entry] | None = None  # entries changed while a sort runs off the GUI thread
        self.wanted = (COUNT, False)  # the sort asked for last: (column, ascending)
        self.batch_above = BATCH_ABOVE

    # ------------------------------------------------------------------ reading
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def entry(self, row: int) -> Entry:
        """(field, value) of a visible row."""
        entry = self.rows.entries[self.order[self._at(row)]]
        assert entry is not None
        return entry

    @property
    def sorting(self) -> bool:
        """Whether a sort is running off the GUI thread."""
        return self._touched is not None

    def row_of(self, entry: Entry) -> int | None:
        """The visible row of ``entry``, or None."""
        i = self.pos.get(entry)
        return self._at(self._place(self.order, i)) if i is not None and i in self.visible else None

    def count(self, entry: Entry) -> int:
        counts = self.vocab.lists.get(entry[0])
        return counts.get(entry[1], 0) if counts else 0

    def total(self) -> int:
        return len(self.pos)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.order):
            return None
        fname, value = self.entry(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == VALUE:
                return value
            if column == FIELD:
                return fname
            if column == COUNT:
                return f"{self.count((fname, value)):,}"
            others = self.vocab.near_of(fname, value)
            return ("⚠ " + ", ".join(others)) if others else ""
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole):
            others = self.vocab.near_of(fname, value)
            if others:
                return self.tint if role == Qt.ItemDataRole.BackgroundRole else f"Near-duplicate of {', '.join(others)}"
        return None

    # ------------------------------------------------------------------ sort key and filter
    def _at(self, row: int) -> int:
        """A view row's (or insertion point's) place in ``order``, and back (the mapping is its own inverse)."""
        return row if self.ascending else len(self.order) - 1 - row

    def _place(self, order: list[int], i: int) -> int:
        """Where entry number ``i`` is (or goes) in ``order`` (sorted by ``sort_keys``): a bisection, never a scan."""
        keys = self.rows.sort_keys
        return bisect.bisect_left(order, keys[i], key=keys.__getitem__)

    def _merged(self, order: list[int], extra: list[int]) -> list[int]:
        """``order`` (sorted) with ``extra`` placed in it: a few are sorted and bisected into place (k log n
        comparisons), many merged (Timsort finds the two sorted runs: n + k log k)."""
        get = self.rows.sort_keys.__getitem__
        if len(extra) * 16 >= len(order):
            order.extend(extra)
            order.sort(key=get)
            return order
        out, start = [], 0
        for i in sorted(extra, key=get):
            at = bisect.bisect_left(order, get(i), lo=start, key=get)
            out += order[start:at]
            out.append(i)
            start = at
        out += order[start:]
        return out

    def _key(self, i: int) -> Key:
        entry = self.rows.entries[i]
        assert entry is not None
        fname, value = entry
        key, count = self.rows.keys[i], self.count(entry)
        near = self.vocab.near_keys(fname)
        top = None
        if key in near:
            counts = self.vocab.lists[fname]
            top = max(counts[v] for v in (value, *self.vocab.near_of(fname, value)))
        return sort_key(self.rows.column, fname, value, key, self.rows.folds[i], count, top, int(top is not None))

    def _accepts(self, i: int) -> bool:
        entry = self.rows.entries[i]
        if entry is None or (self.field and entry[0] != self.field):
            return False
        if self.near_only and self.rows.keys[i] not in self.vocab.near_keys(entry[0]):
            return False
        return not self.text or self.text in self.rows.keys[i]

    def _refilter(self) -> None:
        entries, keys, order = self.rows.entries, self.rows.keys, self.rows.sorted_all
        if self.text:
            text = self.text
            order = [i for i in order if text in keys[i]]
        if self.field:
            fname = self.field
            order = [i for i in order if entries[i][0] == fname]  # type: ignore[index]
        if self.near_only:
            near = {f: self.vocab.near_keys(f) for f in self.vocab.lists}
            order = [i for i in order if keys[i] in near[entries[i][0]]]  # type: ignore[index]
        self.order = order if order is not self.rows.sorted_all else order.copy()
        self.visible = set(self.order)

    def _relayout(self, change: Any) -> None:
        """Run ``change`` (which reorders or refilters) inside layoutChanged, keeping selected rows selected."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        kept = [(self.entry(p.row()), p.column()) if p.row() < len(self.order) else None for p in persistent]
        change()
        where = {i: n for n, i in enumerate(self.order)} if len(kept) > 64 else None  # a big selection
        new = []
        for item in kept:
            i = self.pos.get(item[0]) if item else None
            if item is None or i is None or i not in self.visible:
                new.append(QModelIndex())
            else:
                new.append(self.index(self._at(where[i] if where else self._place(self.order, i)), item[1]))
        self.changePersistentIndexList(persistent, new)
        self.layoutChanged.emit()

    def set_filter(self, text: str, field: str, near_only: bool) -> None:
        text = normalize(text)
        if (text, field, near_only) != (self.text, self.field, self.near_only):
            self.text, self.field, self.near_only = text, field, near_only
            self._relayout(self._refilter)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``: a new direction at once; a new column off the GUI thread for many values."""
        self.wanted = (column, order == Qt.SortOrder.AscendingOrder)
        self._sort(*self.wanted)

    def _sort(self, column: int, ascending: bool) -> None:
        self._sorting += 1  # a sort still running off the GUI thread is void
        self._touched = None
        if column == self.rows.column:
            if ascending != self.ascending:
                self._relayout(lambda: setattr(self, "ascending", ascending))
            return
        generation, job = self._sorting, self._sort_job(column)
        if len(self.pos) < SORT_HERE_BELOW:
            self._sorted(generation, column, ascending, job())
            return
        self._touched = set()

        def done(result: tuple[list[Key], list[int]] | None, error: BaseException | None) -> None:
            if result is not None:
                self._sorted(generation, column, ascending, result)

        run_in_background(job, done, self)

    def _sort_job(self, column: int) -> Callable[[], tuple[list[Key], list[int]]]:
        """Every entry's key for ``column`` and the entries in that order, from copies made now."""
        rows = self.rows
        entries, keys, folds = list(rows.entries), list(rows.keys), list(rows.folds)
        counts = {f: dict(c) for f, c in self.vocab.lists.items()} if column == COUNT else {}
        tops = near_tops(self.vocab)
        return lambda: sort_entries(entries, keys, folds, counts, tops, column)

    def _sorted(self, generation: int, column: int, ascending: bool, result: tuple[list[Key], list[int]]) -> None:
        if generation != self._sorting:
            return
        touched, self._touched = self._touched, None
        sort_keys, order = result

        def install() -> None:
            rows = self.rows
            rows.column, self.ascending = column, ascending
            rows.sort_keys = sort_keys + [()] * (len(rows.entries) - len(sort_keys))
            stale = {self.pos[e] for e in touched or () if e in self.pos}  # changed while sorting
            stale.update(i for i in range(len(sort_keys), len(rows.entries)) if rows.entries[i] is not None)
            for i in stale:
                rows.sort_keys[i] = self._key(i)
            entries = rows.entries
            rows.sorted_all = self._merged([i for i in order if i not in stale and entries[i]], list(stale))
            self._refilter()

        self._relayout(install)

    # ------------------------------------------------------------------ content
    def install(self, vocab: Vocabulary, rows: Rows, tint: QBrush) -> None:
        """Show freshly built rows; if they were sorted by another column than the one asked for meanwhile,
        they are sorted again (off the GUI thread for many values)."""
        self.beginResetModel()
        self._sorting += 1  # a sort of the old rows is void
        self._touched = None
        self.vocab, self.rows, self.tint, self.pos = vocab, rows, tint, rows.pos
        if rows.column == self.wanted[0]:
            self.ascending = self.wanted[1]
        self._refilter()
        self.endResetModel()
        if rows.column != self.wanted[0]:
            self._sort(*self.wanted)

    def apply(self, entries: Iterable[Entry]) -> None:
        """Bring the changed entries up to date with the vocabulary (which already holds the change): row by
        row for a few, in one layout change (a linear merge) for more than ``batch_above``."""
        entries, rows = set(entries), self.rows
        if self._touched is not None:  # a sort is running off the GUI thread: it must place these again
            self._touched |= entries
        if len(entries) > self.batch_above:
            self._relayout(lambda: self._apply_all(entries))
            if self.order:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.order) - 1, len(self.HEADERS) - 1))
            return

        def take_out(i: int) -> None:
            del rows.sorted_all[self._place(rows.sorted_all, i)]
            self._hide(i)

        again, same = self._rekey(entries, take_out)
        for i in same:
            if i in self.visible and self._accepts(i):
                row = self._at(self._place(self.order, i))
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
            elif i in self.visible:
                self._hide(i)
            elif self._accepts(i):
                self._show(i)
        for i in again:
            rows.sorted_all.insert(self._place(rows.sorted_all, i), i)
            if self._accepts(i):
                self._show(i)

    def _apply_all(self, entries: set[Entry]) -> None:
        """``apply`` for many entries, inside a layout change: the moved entries out of the sorted list and
        merged back in, then the filter again. Linear in the rows, whatever the number of entries."""
        out: set[int] = set()
        again, _same = self._rekey(entries, out.add)
        rows = self.rows
        rows.sorted_all = self._merged([i for i in rows.sorted_all if i not in out] if out else rows.sorted_all, again)
        self._refilter()

    def _rekey(self, entries: Iterable[Entry], take_out: Callable[[int], None]) -> tuple[list[int], list[int]]:
        """New sort keys: an entry whose place changes is first taken out (``take_out(i)``, its old key still
        finds it). The entry numbers to place (again), and those that kept their place."""
        rows, again, same = self.rows, [], []
        for entry in entries:
            i = self.pos.get(entry)
            alive = self.count(entry) > 0
            if i is None:
                if alive:
                    again.append(self._new(entry))
                continue
            key = self._key(i) if alive else ()
            if key == rows.sort_keys[i]:
                same.append(i)
                continue
            take_out(i)
            rows.sort_keys[i] = key
            if alive:
                again.append(i)
            else:
                rows.entries[i] = None
                del self.pos[entry]
        return again, same

    def _new(self, entry: Entry) -> int:
        self.rows.entries.append(entry)
        self.rows.keys.append(self.vocab.key(*entry))
        self.rows.folds.append(entry[1].casefold())
        self.rows.sort_keys.append(())
        i = self.pos[entry] = len(self.rows.entries) - 1
        self.rows.sort_keys[i] = self._key(i)
        return i

    def _hide(self, i: int) -> None:
        if i not in self.visible:
            return
        at = self._place(self.order, i)
        row = self._at(at)
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.order[at]
        self.visible.discard(i)
        self.endRemoveRows()

    def _show(self, i: int) -> None:
        at = self._place(self.order, i)
        row = at if self.ascending else len(self.order) - at
        self.beginInsertRows(QModelIndex(), row, row)
        self.order.insert(at, i)
        self.visible.add(i)
        self.endInsertRows()
