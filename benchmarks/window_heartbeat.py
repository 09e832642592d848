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

from PySide6.QtCore import QSettings, Qt, QTimer
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
    print(
        f"selecting 10 files: longest gap {max(g for _, g in gaps):.0f} ms, slowest shown in "
        f"{max(t for t, _ in gaps) * 1000:.0f} ms",
        flush=True,
    )
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
    window.form.show_document(None, None, None)
    window.close()


if __name__ == "__main__":
    main()
