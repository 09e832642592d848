"""GUI responsiveness on a realistic archive: the longest the GUI thread goes without running a 10 ms timer,
phase by phase, as a user would work.

    python benchmarks/bench_gui.py [--archive DIR] [--files 20] [--bulk 1000] [--profile DIR] [--phases ...]

Phases: loading cold (empty cache) and warm (each in a fresh process, as when the app starts; including the
2 s after the load), selecting files one after another (and the time from the selection until the form and
the preview show the file), opening the taxonomy dock, a bulk tag of 1,000 files (preview, apply) and its
undo, typing in the title, and a save (Ctrl+S until saved, then the 2 s after). A 10 ms QTimer ticks on the
GUI thread throughout; a phase's figure is the largest gap between two ticks (or the phase's edges).

Default archive: the realistic profile (``make_archive.py --realistic``, 10,000 files) made once in a cache
folder (``$MASTHEAD_BENCH_CACHE``, default ``/tmp/masthead-bench``). The archive is copied first, so nothing
of yours is changed. ``--profile DIR`` writes a cProfile of the GUI thread per phase (``DIR/PHASE.prof``).

The code that drives the window is in the small functions at the top: adapt them when the window changes.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

TIMEOUT = 180.0  # seconds any one wait may take before the phase is reported as timed out
SETTLE = float(os.environ.get("BENCH_SETTLE", "2"))  # seconds measured after a load, a save, a bulk apply, an undo


# ---------------------------------------------------------------------------- driving the window
# Everything that knows the window's API is here.


def new_window(settings: QSettings) -> Any:
    from masthead.ui.main_window import MainWindow

    window = MainWindow(settings)
    window.prefs.confirm_bulk = False
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    return window


def start_loading(window: Any, root: Path) -> Callable[[], bool]:
    """Open the archive; return a test for 'loaded'."""
    done: list[bool] = []
    window.archive_loaded.connect(lambda: done.append(True))
    window.open_archive(root)
    return lambda: bool(done)


def vocabulary_ready(window: Any) -> bool:
    return bool(window.vocabulary)


def row_count(window: Any) -> int:
    return int(window.model.rowCount())


def shown_paths(window: Any) -> list[str]:
    """The paths of the rows the browser shows, in order."""
    from masthead.ui.models import PATH_ROLE

    return [str(window.proxy.index(row, 0).data(PATH_ROLE)) for row in range(window.proxy.rowCount())]


def select_file(window: Any, rel: str) -> None:
    """Select one file in the table as a click would."""
    assert window.select_path(rel), rel


def file_shown(window: Any, rel: str, html_before: str) -> bool:
    """Whether the form and the preview show ``rel`` (its editors are built and its body is rendered)."""
    preview = window.preview
    return (
        window.form.rel == rel
        and title_editor(window) is not None
        and preview._pending is None
        and not preview._timer.isActive()
        and preview.html != html_before
    )


def preview_html(window: Any) -> str:
    return str(window.preview.html)


def title_editor(window: Any) -> QWidget | None:
    return window.form.findChild(QWidget, "field_title")


def unsaved(window: Any) -> bool:
    return bool(window.isWindowModified())


def press_save(window: Any) -> str:
    """Ctrl+S, through the window system so that the shortcut fires (else Save from the menu)."""
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    if not window.form.saving and unsaved(window):
        window.save_action.trigger()
        return "File > Save"
    return "Ctrl+S"


def show_taxonomy(window: Any) -> None:
    window.taxonomy_dock.show()
    window.taxonomy_dock.raise_()


def select_rows(window: Any, count: int) -> int:
    """Select the first ``count`` rows of the browser (as a shift-click would)."""
    last = min(count, window.proxy.rowCount()) - 1
    rows = QItemSelection(window.proxy.index(0, 0), window.proxy.index(last, 0))
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    window.table.selectionModel().select(rows, flags)
    return last + 1


def open_bulk_tag(window: Any, tag: str) -> Any:
    dialog = window.bulk_tag()
    assert dialog is not None
    dialog.add_picker.edited.emit([tag])
    return dialog


def bulk_preview(dialog: Any) -> tuple[Callable[[], object], Callable[[], bool]]:
    return dialog.preview, lambda: dialog.plan is not None and not dialog.busy


def bulk_apply(dialog: Any) -> tuple[Callable[[], object], Callable[[], bool]]:
    return dialog.apply_button.click, lambda: dialog.report is not None and not dialog.busy


def bulk_written(dialog: Any) -> int:
    return len(dialog.report.changed) if dialog.report is not None else 0


def undo_bulk(window: Any) -> tuple[Callable[[], object], Callable[[], bool]]:
    """Undo the last bulk operation (Edit ▸ Undo, when the form has nothing to undo)."""
    started: list[bool] = []

    def start() -> None:
        window.undo_action.trigger()
        started.append(True)

    return start, lambda: bool(started) and not window.writing()


def close_window(window: Any) -> None:
    window.form.show_document(None, None, None)  # nothing unsaved: closing must not ask
    window.close()


# ---------------------------------------------------------------------------- measuring


class Heartbeat:
    """A 10 ms timer on the GUI thread; the longest gap between ticks in a stretch of time."""

    def __init__(self, app: QApplication, profile_dir: Path | None) -> None:
        self.app = app
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))
        self.timer.start()
        self.profile_dir = profile_dir
        self.results: list[dict[str, Any]] = []

    def spin(self, until: Callable[[], bool] | None = None, seconds: float = 0.0) -> bool:
        """Run the event loop until ``until()`` (or for ``seconds``); False on a timeout."""
        end = time.perf_counter() + (seconds if until is None else TIMEOUT)
        while until is None or not until():
            if time.perf_counter() > end:
                return until is None
            self.app.processEvents()
            time.sleep(0.001)
        return True

    def gap(self, began: float, ended: float) -> float:
        moments = [began, *(t for t in self.ticks if began < t < ended), ended]
        return max(b - a for a, b in itertools.pairwise(moments))

    @contextlib.contextmanager
    def profiled(self, name: str) -> Iterator[None]:
        """cProfile the GUI thread meanwhile, if asked (``--profile DIR``: ``DIR/NAME.prof``)."""
        if self.profile_dir is None:
            yield
            return
        profile = cProfile.Profile()
        profile.enable()
        try:
            yield
        finally:
            profile.disable()
            profile.dump_stats(str(self.profile_dir / f"{name.replace(' ', '_')}.prof"))

    def phase(self, name: str, start: Callable[[], object], until: Callable[[], bool], settle: float = 0.0) -> float:
        """Start the work, wait until it is done (then ``settle`` seconds more); record and print the gap."""
        with self.profiled(name):
            began = time.perf_counter()
            start()
            ok = self.spin(until)
            done = time.perf_counter()
            if settle:
                self.spin(seconds=settle)
            ended = time.perf_counter()
        gap = self.gap(began, ended)
        self.record(name, gap, done - began, ok)
        return gap

    def record(self, name: str, gap: float, took: float, ok: bool = True, note: str = "") -> None:
        result = {"phase": name, "gap_ms": round(1000 * gap), "took_s": round(took, 2), "ok": ok, "note": note}
        self.results.append(result)
        flag = "" if ok else " TIMED OUT"
        print(f"{name:24} longest GUI gap {1000 * gap:7.0f} ms  ({took:.2f} s){flag}  {note}", flush=True)


# ---------------------------------------------------------------------------- the phases


def run_loading(beat: Heartbeat, window: Any, root: Path, label: str) -> None:
    loaded: list[Callable[[], bool]] = []
    beat.phase(
        label,
        lambda: loaded.append(start_loading(window, root)),
        lambda: (loaded[0]() and vocabulary_ready(window)) or (loaded[0]() and row_count(window) == 0),
        settle=SETTLE,
    )
    beat.results[-1]["note"] = f"{row_count(window):,} rows"
    print(f"{'':24} {row_count(window):,} rows", flush=True)


def run_selecting(beat: Heartbeat, window: Any, files: int) -> None:
    paths = shown_paths(window)
    picks = [paths[(k * len(paths)) // files] for k in range(files)]
    name = f"selecting {files} files"
    waits: list[float] = []
    ok = True
    with beat.profiled(name):
        began = time.perf_counter()
        for rel in picks:
            before = preview_html(window)
            start = time.perf_counter()
            select_file(window, rel)
            ok = beat.spin(lambda rel=rel, before=before: file_shown(window, rel, before)) and ok  # type: ignore[misc]
            waits.append(time.perf_counter() - start)
            beat.spin(seconds=0.15)  # a user looks at it before picking the next
        ended = time.perf_counter()
    note = f"shown after median {1000 * statistics.median(waits):.0f} ms, max {1000 * max(waits):.0f} ms"
    beat.record(name, beat.gap(began, ended), ended - began, ok, note)


def run_typing(beat: Heartbeat, window: Any, text: str = " (edited)") -> None:
    editor = title_editor(window)
    assert editor is not None
    editor.setFocus()
    QTest.mouseClick(editor, Qt.MouseButton.LeftButton)
    QTest.keyClick(editor, Qt.Key.Key_End)

    def typing() -> None:
        for char in text:  # a fast typist: a key every 80 ms, the event loop running in between
            QTest.keyClicks(editor, char)
            beat.spin(seconds=0.08)

    beat.phase("typing in the title", typing, lambda: True, settle=1.0)


def run_save(beat: Heartbeat, window: Any) -> None:
    how: list[str] = []
    beat.phase("save (+2 s)", lambda: how.append(press_save(window)), lambda: not unsaved(window), settle=SETTLE)
    beat.results[-1]["note"] = f"by {how[0]}"


def run_taxonomy(beat: Heartbeat, window: Any) -> None:
    beat.phase("opening the taxonomy", lambda: show_taxonomy(window), lambda: True, settle=SETTLE)


def run_bulk(beat: Heartbeat, window: Any, count: int) -> None:
    selected = select_rows(window, count)
    beat.spin(seconds=0.5)
    dialog = open_bulk_tag(window, "bench-gui-tag")
    start, done = bulk_preview(dialog)
    beat.phase(f"bulk preview {selected:,}", start, done)
    start, done = bulk_apply(dialog)
    beat.phase("bulk apply (+2 s)", start, done, settle=SETTLE)
    beat.results[-1]["note"] = f"{bulk_written(dialog):,} written"
    dialog.close()
    start, done = undo_bulk(window)
    beat.phase("bulk undo (+2 s)", start, done, settle=SETTLE)


PHASES = ["select", "taxonomy", "bulk", "typing", "save"]


def session(args: argparse.Namespace, mode: str) -> list[dict[str, Any]]:
    """One fresh process: a load (cold or warm); for 'session' the other phases after a warm load."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    profile_dir = args.profile
    if profile_dir:
        profile_dir.mkdir(parents=True, exist_ok=True)
    beat = Heartbeat(app, profile_dir)
    window = new_window(QSettings(str(args.work / f"settings-{mode}.ini"), QSettings.Format.IniFormat))
    beat.spin(seconds=0.3)
    run_loading(beat, window, args.archive, {"cold": "loading cold", "warm": "loading warm"}.get(mode, "loading"))
    if mode == "session":
        beat.spin(seconds=1.0)
        phases = args.phases or PHASES
        if "select" in phases:
            run_selecting(beat, window, args.files)
        if "taxonomy" in phases:
            run_taxonomy(beat, window)
        if "bulk" in phases:
            run_bulk(beat, window, args.bulk)
        if "typing" in phases or "save" in phases:
            if title_editor(window) is None:
                select_file(window, shown_paths(window)[0])
                beat.spin(lambda: title_editor(window) is not None)
            run_typing(beat, window)
            if "save" in phases:
                run_save(beat, window)
    close_window(window)
    return beat.results


def realistic_archive() -> Path:
    """The realistic 10,000-file archive, made once in the cache folder."""
    cache = Path(os.environ.get("MASTHEAD_BENCH_CACHE", Path(tempfile.gettempdir()) / "masthead-bench"))
    root = cache / "realistic-10000-seed12"
    if not (root / ".complete").exists():
        from benchmarks.realistic import make_realistic_archive

        shutil.rmtree(root, ignore_errors=True)
        print(f"making the realistic archive under {root}…", flush=True)
        make_realistic_archive(root, 10_000, 12)
        (root / ".complete").write_text("")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", type=Path, help="an archive to copy (default: the realistic one, cached)")
    parser.add_argument("--files", type=int, default=20, help="files to select one after another")
    parser.add_argument("--bulk", type=int, default=1000, help="files to tag in bulk")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the GUI thread per phase here")
    parser.add_argument("--phases", nargs="*", choices=["cold", "warm", *PHASES], help="only these phases")
    parser.add_argument("--mode", choices=["cold", "warm", "session"], help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:  # one process, as when the app starts
        os.environ["MASTHEAD_CACHE_DIR"] = str(args.work / "cache")
        os.environ["MASTHEAD_DATA_DIR"] = str(args.work / "data")
        results = session(args, args.mode)
        with (args.work / "results.jsonl").open("a") as out:
            out.writelines(json.dumps(r) + "\n" for r in results)
        return
    source = args.archive or realistic_archive()
    work = Path(tempfile.mkdtemp(prefix="masthead-gui-", dir=os.environ.get("BENCH_DIR")))
    archive = work / "archive"
    shutil.copytree(source, archive, ignore=shutil.ignore_patterns(".complete"))
    print(f"archive: {source} (copied to {archive})", flush=True)
    phases = args.phases or ["cold", "warm", *PHASES]
    extra = [*(["--profile", str(args.profile)] if args.profile else []), "--files", str(args.files)]
    extra += ["--bulk", str(args.bulk)]
    modes = [m for m in ("cold", "warm") if m in phases] + (["session"] if set(phases) & set(PHASES) else [])
    for mode in modes:
        more = ["--phases", *[p for p in phases if p in PHASES]] if mode == "session" else []
        command = [sys.executable, __file__, "--mode", mode, "--archive", str(archive), "--work", str(work)]
        subprocess.run([*command, *extra, *more], check=False)
    results = [json.loads(line) for line in (work / "results.jsonl").read_text().splitlines()]
    results = [r for r in results if not (r["phase"] == "loading" and "warm" in phases)]  # the session's own load
    print("\n| phase | longest GUI-thread gap | took | note |\n|---|---:|---:|---|")
    for r in results:
        flag = "" if r["ok"] else " (timed out)"
        print(f"| {r['phase']} | {r['gap_ms']:,} ms | {r['took_s']:.2f} s{flag} | {r['note']} |")
    worst = max(r["gap_ms"] for r in results)
    print(f"\nworst: {worst:,} ms (target: never over 100 ms)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
