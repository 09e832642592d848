"""Longest GUI-thread gap (10 ms heartbeat QTimer) of the main window on an archive, per phase:
loading cold and warm, selecting files, a save.

    python benchmarks/window_heartbeat.py ARCHIVE [--settle 3]
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit


def run(
    app: QApplication, action: Callable[[], object], until: Callable[[], bool], settle: float
) -> tuple[float, float]:
    """(seconds until ``until``, longest gap in ms including ``settle`` seconds after)."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    start = time.perf_counter()
    action()
    while not until():
        app.processEvents()
        time.sleep(0.001)
    done = time.perf_counter()
    end = done + settle
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    moments = [start, *ticks, end]
    return done - start, max(b - a for a, b in itertools.pairwise(moments)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("archive", type=Path)
    parser.add_argument("--settle", type=float, default=3.0)
    args = parser.parse_args()
    cache = tempfile.mkdtemp(prefix="masthead-cache-")
    os.environ["MASTHEAD_CACHE_DIR"] = cache
    os.environ["MASTHEAD_DATA_DIR"] = tempfile.mkdtemp(prefix="masthead-data-")
    app = QApplication(sys.argv[:1])
    from masthead.ui.main_window import MainWindow

    settings = QSettings(str(Path(cache) / "settings.ini"), QSettings.Format.IniFormat)
    for label in ("loading cold", "loading warm"):
        window = MainWindow(settings)
        window.resize(1280, 800)
        window.show()
        loaded: list[bool] = []
        window.archive_loaded.connect(lambda loaded=loaded: loaded.append(True))
        took, gap = run(app, lambda w=window: w.open_archive(args.archive), lambda flag=loaded: bool(flag), args.settle)
        print(f"{label}: {window.model.rowCount():,} files in {took:.2f} s; longest gap {gap:.0f} ms", flush=True)
        if label == "loading warm":
            break
        window.close()
        window.deleteLater()
        app.processEvents()
    gaps = []
    for row in range(int(os.environ.get("SELECT", "10"))):
        path = str(window.proxy.index(row, 0).data(0x0103))
        took, gap = run(app, lambda p=path: window.select_path(p), lambda p=path: window.form.rel == p, 0.2)
        gaps.append((took, gap))
        print(f"  select {path}: shown in {took * 1000:.0f} ms, longest gap {gap:.0f} ms", flush=True)
    if gaps:
        print(
            f"selecting {len(gaps)} files: longest gap {max(g for _, g in gaps):.0f} ms, slowest shown in "
            f"{max(t for t, _ in gaps) * 1000:.0f} ms",
            flush=True,
        )
    first = str(window.proxy.index(0, 0).data(0x0103))
    window.select_path(first)
    while window.form.rel != first:
        app.processEvents()
    title = window.form.editors.get("title")
    line = title if isinstance(title, QLineEdit) else title.findChild(QLineEdit) if title else None
    assert line is not None
    QTest.keyClick(line, Qt.Key.Key_End)
    QTest.keyClicks(line, " (edited)")  # typed, as a user would
    assert window.form.dirty
    saved: list[bool] = []
    window.form.saved.connect(lambda *_: saved.append(True))
    took, gap = run(app, window.save_current, lambda: bool(saved), args.settle)
    print(f"save (+{args.settle:.0f} s): saved in {took * 1000:.0f} ms; longest gap {gap:.0f} ms", flush=True)
    if os.environ.get("BULK", "1") == "1":
        bulk(app, window, args.settle)
    window.form.show_document(None, None, None)
    window.close()


def bulk(app: QApplication, window: object, settle: float) -> None:
    """Tag 1,000 files through the dialog, then Edit > Undo; each measured with ``settle`` s after."""
    from masthead.ui.bulk_dialog import BulkTagDialog
    from masthead.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    selection = window.table.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    first = 1 if os.environ.get("BULK_SKIP_CURRENT") else 0  # 1: the file on screen is not among them
    selection.select(QItemSelection(window.proxy.index(first, 0), window.proxy.index(first + 999, 0)), flags)
    dialog = window.bulk_tag()
    assert isinstance(dialog, BulkTagDialog)
    dialog.confirm = False
    dialog.add_picker.add_value("heartbeat-tag")
    took, gap = run(app, dialog.preview, lambda: dialog.plan is not None and dialog.apply_button.isEnabled(), 0)
    print(f"bulk preview of {len(dialog.rels):,} files: {took:.2f} s; longest gap {gap:.0f} ms", flush=True)
    took, gap = run(app, dialog.apply_button.click, lambda: dialog.report is not None and not window.writing(), settle)
    print(f"bulk apply (+{settle:.0f} s): {took:.2f} s; longest gap {gap:.0f} ms", flush=True)
    dialog.close()
    window.history.ask = False
    took, gap = run(app, window.undo_action.trigger, lambda: not window.writing(), settle)
    print(f"bulk undo (+{settle:.0f} s): {took:.2f} s; longest gap {gap:.0f} ms", flush=True)


if __name__ == "__main__":
    main()
