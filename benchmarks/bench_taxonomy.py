"""The taxonomy panel on a real-sized vocabulary: the longest GUI-thread gap (10 ms heartbeat) while it is
opened, sorted, filtered, updated after a 1,000-file bulk tag, and after large deltas while visible (a bulk
edit of 2,000 files; a delta of 10,000+ entries and its undo).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_taxonomy.py /work/wt/data/realistic
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

from masthead.core.index import ArchiveIndex
from masthead.core.records import Record
from masthead.core.vocabulary import build_vocabulary
from masthead.ui.taxonomy import TaxonomyPanel
from masthead.ui.taxonomy_rows import COUNT, VALUE


class Host:
    def open_operation(self, *args: Any) -> Any:
        return None

    def show_query(self, text: str) -> None:
        pass


class Heartbeat:
    """A 10 ms timer on the GUI thread; the longest gap between two beats."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.beat)
        self.last = time.perf_counter()
        self.worst = 0.0

    def beat(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def measure(self, action: Callable[[], None], until: Callable[[], bool], settle_ms: int = 300) -> float:
        self.worst, self.last = 0.0, time.perf_counter()
        self.timer.start()
        QTimer.singleShot(0, action)
        loop = QEventLoop()
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline:
            QTimer.singleShot(20, loop.quit)
            loop.exec()
            if until():
                break
        QTimer.singleShot(settle_ms, loop.quit)
        loop.exec()
        self.timer.stop()
        return self.worst * 1000


def main(root: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    index = ArchiveIndex(root).open()
    records = list(index.records.values())
    vocab = build_vocabulary(records)
    panel = TaxonomyPanel(Host())
    panel.resize(1000, 600)
    beat = Heartbeat()
    panel.set_data(vocab, records)
    print(f"{panel.status.text()}")
    print(f"open the taxonomy: longest gap {beat.measure(panel.show, lambda: panel.ready):.0f} ms")
    print(f"  rows: {panel.model.rowCount():,}")
    header = panel.table.horizontalHeader()
    for column, name, order in (
        (VALUE, "value", Qt.SortOrder.AscendingOrder),
        (COUNT, "count", Qt.SortOrder.DescendingOrder),
    ):
        first = panel.model.index(0, 0).data()

        def sort(column: int = column, order: Qt.SortOrder = order) -> None:
            header.setSortIndicator(column, order)

        took = beat.measure(sort, lambda first=first: panel.model.index(0, 0).data() != first)
        print(f"sort by {name}: {took:.0f} ms (first row now {panel.model.index(0, 0).data()!r})")
    took = beat.measure(lambda: header.setSortIndicator(COUNT, Qt.SortOrder.AscendingOrder), lambda: True)
    print(f"reverse the sort: {took:.0f} ms")
    header.setSortIndicator(COUNT, Qt.SortOrder.DescendingOrder)
    print(f"type a filter letter: {beat.measure(lambda: panel.filter.setText('a'), lambda: True):.0f} ms")
    print(f"near-duplicates only: {beat.measure(lambda: panel.near_only.setChecked(True), lambda: True):.0f} ms")
    panel.near_only.setChecked(False)
    panel.filter.clear()
    old = records[:1000]
    new = [Record(r.path, r.size, r.mtime_ns, {**r.meta, "tags": [*r.meta.get("tags", []), "bench-tag"]}) for r in old]

    def bulk_tag() -> None:
        delta = vocab.update(old, new)
        panel.apply_delta(vocab, delta, records)

    print(f"after a 1,000-file bulk tag (update + apply_delta): {beat.measure(bulk_tag, lambda: True):.0f} ms")
    one_old = [records[1]]
    one_new = [Record(r.path, r.size, r.mtime_ns, {**r.meta, "tags": []}) for r in one_old]

    def save_one() -> None:
        panel.apply_delta(vocab, vocab.update(one_old, one_new), records)

    print(f"after a one-file save that drops its tags: {beat.measure(save_one, lambda: True):.0f} ms")
    large_deltas(panel, vocab, records, beat)
    panel.hide()
    print(f"set_data while hidden: {beat.measure(lambda: panel.set_data(vocab, records), lambda: True):.0f} ms")
    index.close()
    del app


def strip_first(record: Record, tag: str | None = None) -> Record:
    """The record with the first item of each list field dropped (and ``tag`` added to its tags)."""
    meta = {k: v[1:] if isinstance(v, list) and v else v for k, v in record.meta.items()}
    if tag is not None:
        meta["tags"] = [*meta.get("tags", []), tag]
    return Record(record.path, record.size, record.mtime_ns, meta)


def large_deltas(panel: TaxonomyPanel, vocab: Any, records: list[Record], beat: Heartbeat) -> None:
    """Deltas of thousands of entries applied to the visible panel. ``vocab.update`` (core; = ``diff`` +
    ``apply_diff``) is timed apart: the heartbeat measures ``apply_delta`` and what follows it."""
    model = panel.model
    assert panel.select_value(*model.entry(5)) and panel.isVisible()
    current = list(records)
    for files, tag, name in (
        (2000, "bulk-2000", "a bulk edit of 2,000 files"),
        (3500, "bulk-3500", "a bulk edit of 3,500 files"),
        (len(records), None, "every file (a rebuild off the GUI thread)"),
    ):
        old = current[:files]
        new = [strip_first(r, tag) for r in old]
        for label, before, after in ((name, old, new), ("  and its undo", new, old)):
            start = time.perf_counter()
            diff = vocab.diff(before, after)  # the window may run this part off the GUI thread
            diff_ms = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            delta = vocab.apply_diff(diff)
            update_ms = (time.perf_counter() - start) * 1000
            took: list[float] = []

            def run(delta: Any = delta, took: list[float] = took) -> None:
                start = time.perf_counter()
                panel.apply_delta(vocab, delta, current)
                took.append((time.perf_counter() - start) * 1000)

            gap = beat.measure(run, lambda: panel.ready)
            print(
                f"{label}: {len(delta.lists):,} entries; longest GUI gap {gap:.0f} ms (apply_delta call "
                f"{took[0]:.0f} ms); vocab.update before it: diff {diff_ms:.0f} ms + apply_diff {update_ms:.0f} ms; "
                f"{model.rowCount():,} rows, "
                f"selection kept: {bool(panel.selected())}"
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
