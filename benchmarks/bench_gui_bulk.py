"""GUI responsiveness during a bulk operation in the window: the longest the GUI thread goes without
running a 10 ms timer while 1,000 files are tagged (preview, then apply with journal and fsync'd writes),
and while the operation is undone.

    python benchmarks/bench_gui_bulk.py [--archive DIR] [--files 1000]

Works on a copy of the archive (default: a new 10,000-file one), so nothing of yours is changed.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QItemSelectionModel, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from benchmarks.make_archive import make_archive


def longest_gap(app: QApplication, start: Callable[[], object], finished: Callable[[], bool]) -> tuple[float, float]:
    """(seconds until ``finished``, longest GUI-thread gap in seconds) while the work started by ``start`` runs."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    began = time.perf_counter()
    start()
    while not finished():
        app.processEvents()
        time.sleep(0.001)
    ended = time.perf_counter()
    timer.stop()
    gaps = [b - a for a, b in itertools.pairwise([began, *ticks, ended])]
    return ended - began, max(gaps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", type=Path, help="an archive to copy (default: make 10,000 files)")
    parser.add_argument("--files", type=int, default=1000, help="files to tag")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="masthead-gui-bulk-", dir=os.environ.get("BENCH_DIR")))
    os.environ["MASTHEAD_CACHE_DIR"] = str(work / "cache")
    os.environ["MASTHEAD_DATA_DIR"] = str(work / "data")
    root = work / "archive"
    if args.archive:
        shutil.copytree(args.archive, root)
    else:
        make_archive(root, 10_000)
    app = QApplication(sys.argv[:1])
    from masthead.ui.main_window import MainWindow

    window = MainWindow(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat))
    window.prefs.confirm_bulk = False
    window.resize(1280, 800)
    window.show()
    loaded: list[bool] = []
    window.archive_loaded.connect(lambda: loaded.append(True))
    window.open_archive(root)
    settle = time.perf_counter() + 3  # past the first sort and the vocabulary: measure the operation alone
    while not loaded or time.perf_counter() < settle:
        app.processEvents()
        time.sleep(0.005)
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(min(args.files, window.proxy.rowCount())):
        window.table.selectionModel().select(window.proxy.index(row, 0), flags)
    dialog = window.bulk_tag()
    assert dialog is not None
    dialog.add_picker.edited.emit(["bench-gui-tag"])
    took, gap = longest_gap(app, dialog.preview, lambda: dialog.plan is not None and not dialog.busy)
    print(f"preview of {len(dialog.rels):,} files: {took:.2f} s; GUI thread longest gap {1000 * gap:.0f} ms")
    took, gap = longest_gap(app, dialog.apply_button.click, lambda: dialog.report is not None and not dialog.busy)
    assert dialog.report is not None
    print(f"apply ({len(dialog.report.changed):,} written): {took:.2f} s; GUI thread longest gap {1000 * gap:.0f} ms")
    dialog.close()
    if hasattr(window, "history"):
        window.history.ask = False  # Edit > Undo of a bulk operation asks first ("This rewrites N files")
    took, gap = longest_gap(app, window.undo_action.trigger, lambda: not window.writing())
    print(f"undo: {took:.2f} s; GUI thread longest gap {1000 * gap:.0f} ms")
    window.form.show_document(None, None, None)
    window.close()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
