"""GUI responsiveness while an archive indexes: the longest the GUI thread goes without running a timer.

    python benchmarks/bench_gui.py [--files 10000] [--archive DIR]

A 10 ms QTimer ticks on the GUI thread while the main window opens the archive, cold (empty cache) and
then warm; the largest gap between ticks is how long the GUI thread was blocked at worst.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from benchmarks.make_archive import make_archive


def measure(app: QApplication, archive: Path, settings: QSettings, label: str) -> None:
    from masthead.ui.main_window import MainWindow

    window = MainWindow(settings)
    window.resize(1280, 800)
    window.show()
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    done: list[float] = []
    window.archive_loaded.connect(lambda: done.append(time.perf_counter()))
    timer.start()
    start = time.perf_counter()
    window.open_archive(archive)
    while not done:
        app.processEvents()
        time.sleep(0.001)
    settle = time.perf_counter() + 2  # what follows the load (the first sort, the vocabulary) counts too
    while time.perf_counter() < settle:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    during = [t for t in ticks if t <= done[0]]
    after = [t for t in ticks if t > done[0]]
    moments = [start, *during, done[0]]  # a stall right at the start or the end counts too
    gaps = [b - a for a, b in itertools.pairwise(moments)]
    later = [b - a for a, b in itertools.pairwise([done[0], *after, settle])]
    print(
        f"{label}: {window.model.rowCount():,} rows in {done[0] - start:.2f} s; GUI thread longest gap "
        f"{1000 * max(gaps):.0f} ms, median {1000 * statistics.median(gaps):.0f} ms, {len(during)} ticks; "
        f"in the 2 s after: longest gap {1000 * max(later):.0f} ms"
    )
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--archive", type=Path)
    parser.add_argument("--mode", choices=["cold", "warm"], help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:  # one measurement, in a fresh process as when the app starts
        os.environ["MASTHEAD_CACHE_DIR"] = str(args.work / "cache")
        app = QApplication.instance() or QApplication([])
        settings = QSettings(str(args.work / "settings.ini"), QSettings.Format.IniFormat)
        measure(app, args.archive, settings, "cold (no cache)" if args.mode == "cold" else "warm (cache)   ")
        return
    work = Path(tempfile.mkdtemp(prefix="masthead-gui-"))
    archive = args.archive or work / "archive"
    if args.archive is None:
        make_archive(archive, args.files)
    for mode in ("cold", "warm"):
        subprocess.run(
            [sys.executable, __file__, "--mode", mode, "--archive", str(archive), "--work", str(work)], check=True
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
