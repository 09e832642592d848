"""GUI responsiveness on a realistic archive: the longest the GUI thread goes without running a 10 ms timer,
phase by phase, as a user would work.

    python benchmarks/bench_gui.py [--archive DIR] [--runs 3] [--files 20] [--bulk 1000] [--phases ...]
                                   [--switch-interval S] [--profile DIR] [--stalls MS]

Phases: loading cold (empty cache) and warm (each in a fresh process, as when the app starts; including the
2 s after the load), selecting files one after another (and the time from the selection until the form shows
the file, ``form.loaded``, and the preview shows its first screen, ``preview.began``, and all of its text,
``preview.rendered``), opening the taxonomy dock
(until its rows are listed), a bulk tag of 1,000 files (dialog Preview, Apply, until the table is refreshed)
and its Edit ▸ Undo, typing in the title, a save (Ctrl+S until ``form.saved``, then 2 s more), then the
full-text index's first build (in the background since the load) and transcript searches typed into the
search field (each until the table shows its result). A 10 ms
QTimer ticks on the GUI thread throughout; a phase's figure is the largest gap between two ticks (or the
phase's edges). The event loop runs as in the app (a QEventLoop that sleeps until something happens).

Default archive: the realistic profile (``make_archive.py --realistic``, 10,000 files) made once in a cache
folder (``$MASTHEAD_BENCH_CACHE``, default ``/tmp/masthead-bench``). The archive is copied first (once per
run), so nothing of yours is changed. With ``--runs N`` every figure is given as min / median / max.

Finding causes: ``--perf FILE`` records the GUI thread with Linux perf (C++ included) after the load
(``perf report -i FILE --no-children``); ``--profile DIR`` writes a cProfile of the GUI thread per phase
(``DIR/runK-PHASE.prof``);
``--stalls MS`` samples every thread's Python stack whenever the GUI thread has not ticked for MS ms and
prints, per phase and for its longest gap, where the GUI thread was and what the other threads ran meanwhile.
For time inside Qt or waiting for the GIL: ``py-spy record --subprocesses --threads --native --idle
--format raw -o out.txt -- python benchmarks/bench_gui.py --phases select`` (GUI-thread stacks of a phase
contain its ``run_...`` function; waiting for the GIL shows as ``pthread_cond_timedwait`` under Shiboken).
``--switch-interval S`` calls ``sys.setswitchinterval(S)`` before the application starts (how long a thread
holding the GIL may keep it while the GUI thread waits: the app sets 0.0005 s, ``core.pacing.SWITCH_INTERVAL``,
unless one is set; Python's default is 0.005 s). ``--json FILE`` appends
every result to FILE; ``--report FILE`` prints the table of such a file (e.g. of runs made one at a time,
interleaved with other settings).

The code that drives the window is in the small functions at the top: adapt them when the window changes.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import cProfile
import itertools
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QItemSelection, QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

TIMEOUT = 180.0  # seconds any one wait may take before the phase is reported as timed out
SETTLE = float(os.environ.get("BENCH_SETTLE", "2"))  # seconds measured after a load, a save, a bulk apply, an undo
PHASES = ["select", "taxonomy", "bulk", "grid", "typing", "save", "search"]
BIG_SEARCHES = ["body:e", "body:the"]  # then with the largest transcript open (up to 20,000 places marked)
SEARCHES = ['body:"hardest long"', "body:芯片", "body:芯", "body:e", "text:latency", 'body:"nothing-matches-this"']


# ---------------------------------------------------------------------------- driving the window
# Everything that knows the window's API is here.


def new_window(settings: QSettings) -> Any:
    from masthead.ui.main_window import MainWindow

    window = MainWindow(settings)
    window.prefs.confirm_bulk = False  # Apply does not ask
    window.history.ask = False  # Edit ▸ Undo of a bulk operation does not ask
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    return window


class Signals:
    """Flags set by the window's public signals (a phase waits for them)."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.loaded = self.vocabulary = False
        self.form_loaded: str | None = None  # the rel the form showed last (form.loaded)
        self.rendered = 0  # preview.rendered count
        self.began = 0  # preview.began count (its first screen of text is there)
        self.saved = 0
        self.records_changed = 0
        window.archive_loaded.connect(self._on_loaded)
        window.archive.vocabulary_changed.connect(self._on_vocabulary)
        window.form.loaded.connect(self._on_form_loaded)
        window.preview.rendered.connect(self._on_rendered)
        window.preview.began.connect(self._on_began)
        window.form.saved.connect(self._on_saved)
        window.records_changed.connect(self._on_records_changed)

    def _on_loaded(self) -> None:
        self.loaded = True

    def _on_vocabulary(self) -> None:
        self.vocabulary = bool(self.window.vocabulary)

    def _on_form_loaded(self) -> None:
        self.form_loaded = self.window.form.rel

    def _on_rendered(self) -> None:
        self.rendered += 1

    def _on_began(self) -> None:
        self.began += 1

    def _on_saved(self, _rel: str) -> None:
        self.saved += 1

    def _on_records_changed(self) -> None:
        self.records_changed += 1


def row_count(window: Any) -> int:
    return int(window.model.rowCount())


def shown_paths(window: Any) -> list[str]:
    """The paths of the rows the browser shows, in order."""
    return list(window.shown_paths())


def select_file(window: Any, rel: str) -> None:
    """Make one file the table's current row, as a click would."""
    assert window.select_path(rel), rel


def title_editor(window: Any) -> QLineEdit | None:
    editor = window.form.findChild(QWidget, "field_title")
    if isinstance(editor, QLineEdit):
        return editor
    return editor.findChild(QLineEdit) if editor is not None else None


def unsaved(window: Any) -> bool:
    return bool(window.form.dirty)


def press_save(window: Any, signals: Signals) -> str:
    """Ctrl+S, through the window system so that the shortcut fires (else File ▸ Save)."""
    before = signals.saved
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    if not window.form.saving and signals.saved == before and unsaved(window):
        window.save_action.trigger()
        return "File ▸ Save"
    return "Ctrl+S"


def show_taxonomy(window: Any) -> None:
    window.taxonomy_action.trigger()  # View ▸ Taxonomy


def taxonomy_ready(window: Any) -> bool:
    return bool(window.taxonomy_dock.isVisible() and window.taxonomy.ready)


def extend_selection(window: Any, count: int) -> int:
    """Select the first ``count`` rows of the browser (as a shift-click from the current first row would)."""
    last = min(count, window.proxy.rowCount()) - 1
    rows = QItemSelection(window.proxy.index(0, 0), window.proxy.index(last, 0))
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    window.table.selectionModel().select(rows, flags)
    return len(window.selected_paths())


def open_bulk_tag(window: Any, tag: str) -> Any:
    window.bulk_tag_action.trigger()  # Document ▸ Tag Selected or Shown Files…
    dialog = window.findChild(QWidget, "bulkTagDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.add_picker.add_value(tag)
    return dialog


def close_window(window: Any) -> None:
    from masthead.ui.app import drain_writes

    window.form.show_document(None, None, None)  # nothing unsaved: closing must not ask
    window.close()
    drain_writes()


# ---------------------------------------------------------------------------- measuring


class Stalls:
    """``--stalls MS``: a sampler thread; while the GUI thread has not ticked for MS ms, every thread's
    innermost frames are counted (per phase), so that a gap says where the GUI thread was and what ran
    beside it. (The sampler needs the GIL itself: it sees Python frames, not time inside C++.)"""

    def __init__(self, beat: Heartbeat, threshold_ms: float) -> None:
        self.beat, self.threshold = beat, threshold_ms / 1000
        self.gui = threading.get_ident()
        self.phase = "start"
        self.samples: list[tuple[float, str, str]] = []  # (time, phase, "[thread] where")
        self.counts: collections.Counter[str] = collections.Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-stall-sampler", daemon=True)
        self._thread.start()

    @staticmethod
    def _where(frame: Any, depth: int = 4) -> str:
        stack = traceback.extract_stack(frame)[-depth:]
        return " < ".join(f"{Path(f.filename).stem}.{f.name}:{f.lineno}" for f in reversed(stack))

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            last = self.beat.last
            if time.perf_counter() - last < self.threshold:
                continue
            names = {t.ident: t.name for t in threading.enumerate()}
            now, phase = time.perf_counter(), self.phase
            self.counts[phase] += 1
            for ident, frame in sys._current_frames().items():
                if ident == threading.get_ident():
                    continue
                who = "GUI" if ident == self.gui else names.get(ident, "pool thread")
                if who != "GUI" and _idle(frame):
                    continue
                where = self._where(frame)
                if who == "GUI" and where.startswith("bench_gui.spin"):
                    where = "inside Qt (C++ code, or waiting for the GIL)"
                self.samples.append((now, phase, f"[{who}] {where}"))

    def stop(self, results: list[dict[str, Any]]) -> None:
        """Give each result the samples of its phase, and those of its longest gap."""
        self._stop.set()
        self._thread.join()
        for result in results:
            began, ended = result["gap_at"]
            phase = collections.Counter(w for _, p, w in self.samples if p == result["phase"])
            longest = collections.Counter(w for t, p, w in self.samples if p == result["phase"] and began <= t <= ended)
            result["stalls"] = {
                "samples": self.counts[result["phase"]],
                "top": phase.most_common(10),
                "longest": longest.most_common(8),
            }


def _idle(frame: Any) -> bool:
    """A pool thread waiting for work (not holding or wanting the GIL for long)."""
    name = frame.f_code.co_name
    return name in {"wait", "_wait_for_tstate_lock", "get", "select", "poll", "_worker", "receive", "recv_bytes"}


class Heartbeat:
    """A 10 ms timer on the GUI thread; the longest gap between ticks in a stretch of time."""

    def __init__(self, app: QApplication, profile: Path | None, run: int) -> None:
        self.app = app
        self.ticks: list[float] = []
        self.last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self.profile, self.run = profile, run
        self.results: list[dict[str, Any]] = []
        self.stalls: Stalls | None = None

    def _tick(self) -> None:
        self.last = time.perf_counter()
        self.ticks.append(self.last)

    def spin(self, until: Callable[[], bool] | None = None, seconds: float = 0.0) -> bool:
        """Run the event loop (sleeping between events, as app.exec() does) until ``until()`` or for
        ``seconds``; False on a timeout."""
        if until is not None and until():
            return True
        loop = QEventLoop()
        ok = [until is None]
        poll = QTimer()
        poll.setInterval(5)

        def check() -> None:
            if until is not None and until():
                ok[0] = True
                loop.quit()

        poll.timeout.connect(check)
        QTimer.singleShot(int(1000 * (TIMEOUT if until is not None else seconds)), loop.quit)
        if until is not None:
            poll.start()
        loop.exec()
        poll.stop()
        return ok[0]

    def gap(self, began: float, ended: float) -> tuple[float, float, float]:
        """The longest gap between ticks from ``began`` to ``ended``: (seconds, its start, its end)."""
        moments = [began, *(t for t in self.ticks if began < t < ended), ended]
        a, b = max(itertools.pairwise(moments), key=lambda pair: pair[1] - pair[0])
        return b - a, a, b

    @contextlib.contextmanager
    def measured(self, name: str) -> Iterator[None]:
        """cProfile the GUI thread meanwhile, if asked (``--profile DIR``); name the phase for ``--stalls``."""
        if self.stalls is not None:
            self.stalls.phase = name
        profile = cProfile.Profile() if self.profile is not None else None
        if profile is not None:
            profile.enable()
        try:
            yield
        finally:
            if profile is not None and self.profile is not None:
                profile.disable()
                profile.dump_stats(str(self.profile / f"run{self.run}-{name.replace(' ', '_')}.prof"))
            if self.stalls is not None:
                self.stalls.phase = "between phases"

    def phase(
        self, name: str, start: Callable[[], object], until: Callable[[], bool], settle: float = 0.0, note: str = ""
    ) -> dict[str, Any]:
        """Start the work, wait until it is done (then ``settle`` seconds more); record and print the gap."""
        with self.measured(name):
            began = time.perf_counter()
            start()
            ok = self.spin(until)
            done = time.perf_counter()
            if settle:
                self.spin(seconds=settle)
            ended = time.perf_counter()
        return self.record(name, self.gap(began, ended), done - began, ok, note)

    def record(
        self, name: str, gap_at: tuple[float, float, float], took: float, ok: bool = True, note: str = ""
    ) -> dict[str, Any]:
        gap = gap_at[0]
        result = {"run": self.run, "phase": name, "gap_ms": round(1000 * gap), "took_s": round(took, 2), "ok": ok}
        result["note"], result["gap_at"] = note, list(gap_at[1:])
        self.results.append(result)
        flag = "" if ok else " TIMED OUT"
        print(f"{name:24} longest GUI gap {1000 * gap:7.0f} ms  ({took:.2f} s){flag}  {note}", flush=True)
        return result


# ---------------------------------------------------------------------------- the phases


def run_loading(beat: Heartbeat, window: Any, signals: Signals, root: Path, label: str) -> None:
    result = beat.phase(
        label,
        lambda: window.open_archive(root),
        lambda: signals.loaded and (signals.vocabulary or row_count(window) == 0),
        settle=SETTLE,
    )
    result["note"] = f"{row_count(window):,} rows"


def run_search(beat: Heartbeat, window: Any, signals: Signals) -> None:
    """Wait for the full-text index (built in the background after the load: the first time from nothing),
    then type transcript searches into the search field, each until the table shows its result."""
    started = time.perf_counter()
    result = beat.phase("full-text index ready", lambda: None, lambda: window.archive.text_ready)
    result["note"] = f"{time.perf_counter() - started:.1f} s after the previous phase"
    browser, ended = window.browser, [0]
    browser.status.connect(lambda message: ended.__setitem__(0, ended[0] + (message == "")))
    for text in SEARCHES:
        before = ended[0]

        def start(text: str = text) -> None:
            browser.search.setFocus()
            browser.search.setText(text)  # (QTest.keyClicks types ASCII only)
            browser.search_timer.stop()  # (not the typing pause: the time from the query to its answer)
            browser.apply_search()

        result = beat.phase(f"search {text}", start, lambda before=before: ended[0] > before)
        result["note"] = f"{window.proxy.rowCount():,} shown"
    browser.search.clear()
    beat.spin(seconds=0.5)
    root = window.archive.root
    largest = max(shown_paths(window), key=lambda rel: (root / rel).stat().st_size)
    shown = signals.rendered
    select_file(window, largest)  # its transcript's places are marked in the preview
    beat.spin(lambda: window.form.rel == largest and signals.rendered > shown)  # (all of it shown)
    beat.spin(seconds=0.5)
    size = f"{(root / largest).stat().st_size / 1e6:.1f} MB transcript"

    def start_big(text: str) -> None:
        browser.search.setText(text)
        browser.search_timer.stop()
        browser.apply_search()

    for text in BIG_SEARCHES:
        before = ended[0]
        result = beat.phase(  # (+1 s: the marks come after the table)
            f"search {text} (largest open, +1 s)",
            partial(start_big, text),
            lambda before=before: ended[0] > before,
            settle=1.0,
        )
        result["note"] = f"{size} open"
    browser.search.clear()
    beat.spin(seconds=0.5)
    other = next(rel for rel in shown_paths(window) if rel != largest)
    shown = signals.rendered
    select_file(window, other)
    beat.spin(lambda: window.form.rel == other and signals.rendered > shown)
    began = signals.began
    select_file(window, largest)
    beat.spin(lambda: signals.began > began)  # its first screen is shown; the rest is still being laid out
    before = ended[0]
    result = beat.phase(
        "search body:e (largest still being shown, +1 s)",
        partial(start_big, "body:e"),
        lambda: ended[0] > before,
        settle=1.0,
    )
    result["note"] = f"{size}, its first screen shown"
    browser.search.clear()


def run_selecting(beat: Heartbeat, window: Any, signals: Signals, files: int) -> None:
    """Select files spread over the archive one after another; each is waited for until the form shows it
    (``form.loaded`` for that file) and the preview shows its text (``preview.rendered`` since)."""
    paths = shown_paths(window)
    picks = [paths[(k * len(paths)) // files] for k in range(files)]
    name = f"selecting {files} files"
    shown, forms, previews, firsts = [], [], [], []
    ok = True
    with beat.measured(name):
        began = time.perf_counter()
        for rel in picks:
            signals.form_loaded, rendered, began_ = None, signals.rendered, signals.began
            seen: dict[str, float] = {}

            def there(
                rel: str = rel, rendered: int = rendered, began_: int = began_, seen: dict[str, float] = seen
            ) -> bool:
                now = time.perf_counter()
                if signals.form_loaded == rel and window.form.rel == rel:
                    seen.setdefault("form", now)
                if signals.began > began_ or signals.rendered > rendered:
                    seen.setdefault("first", now)
                if signals.rendered > rendered:
                    seen.setdefault("preview", now)
                return len(seen) == 3 and window.form.rel == rel

            start = time.perf_counter()
            select_file(window, rel)
            ok = beat.spin(there) and ok
            end = time.perf_counter()
            shown.append(max(seen.get("form", end), seen.get("first", end)) - start)
            forms.append(seen.get("form", end) - start)
            previews.append(seen.get("preview", end) - start)
            firsts.append(seen.get("first", end) - start)
            beat.spin(seconds=0.15)  # a user looks at it before picking the next
        ended = time.perf_counter()
    ms = [round(1000 * s) for s in shown]
    note = f"shown after median {statistics.median(ms):.0f} ms, max {max(ms)} ms"
    result = beat.record(name, beat.gap(began, ended), ended - began, ok, note)
    result["shown_ms"], result["form_ms"] = ms, [round(1000 * s) for s in forms]
    result["preview_ms"] = [round(1000 * s) for s in previews]
    result["first_ms"] = [round(1000 * s) for s in firsts]


def run_taxonomy(beat: Heartbeat, window: Any) -> None:
    beat.phase("opening the taxonomy", lambda: show_taxonomy(window), lambda: taxonomy_ready(window), settle=SETTLE)


def run_bulk(beat: Heartbeat, window: Any, signals: Signals, count: int) -> None:
    """Select the first row (it is shown), shift-select down to ``count`` rows, Bulk ▸ Tag, Preview, Apply
    (until written and the table refreshed), then Edit ▸ Undo (likewise)."""
    first = shown_paths(window)[0]
    before = signals.rendered
    select_file(window, first)
    beat.spin(lambda: signals.form_loaded == first and signals.rendered > before)
    selected = extend_selection(window, count)
    beat.spin(seconds=0.5)
    dialog = open_bulk_tag(window, "bench-gui-tag")
    beat.spin(seconds=0.3)
    beat.phase(
        f"bulk preview {selected:,}",
        dialog.preview_button.click,
        lambda: dialog.plan is not None and not dialog.busy,
    )
    changed = signals.records_changed
    result = beat.phase(
        "bulk apply (+2 s)",
        dialog.apply_button.click,
        lambda: dialog.report is not None and not window.writing() and signals.records_changed > changed,
        settle=SETTLE,
    )
    result["note"] = f"{len(dialog.report.changed) if dialog.report else 0:,} written"
    dialog.close()
    beat.spin(seconds=0.3)
    text = window.undo_action.text().replace("&", "")
    changed = signals.records_changed
    started: list[bool] = []

    def undo() -> None:
        window.undo_action.trigger()  # Edit ▸ Undo
        started.append(True)

    beat.phase(
        "bulk undo (+2 s)",
        undo,
        lambda: bool(started) and not window.writing() and signals.records_changed > changed,
        settle=SETTLE,
        note=f"“{text}”",
    )


def run_grid(beat: Heartbeat, window: Any, signals: Signals, count: int) -> None:
    """View ▸ Grid with four field columns; scroll the whole table; type into the speaker cells of ``count``
    selected rows; fill the series column down over them; Ctrl+S (preview, apply, until the table is
    refreshed); then Edit ▸ Undo."""
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    table, proxy, grid = window.table, window.proxy, window.grid
    beat.phase(
        "grid on, 4 columns",
        lambda: (window.acts["gridMode"].trigger(), grid.set_fields(["speaker", "people", "series", "summary"])),
        lambda: True,
        settle=0.3,
    )
    bar = table.verticalScrollBar()
    steps = iter(range(0, bar.maximum() + 1, max(1, bar.maximum() // 60)))
    done: list[bool] = []

    def scroll() -> None:
        step = next(steps, None)
        if step is None:
            done.append(True)
            return
        bar.setValue(step)
        QTimer.singleShot(15, scroll)

    beat.phase(f"grid scroll {proxy.rowCount():,} rows", scroll, lambda: bool(done), settle=0.2)
    bar.setValue(0)
    speaker, series = window.model.column_of("speaker"), window.model.column_of("series")
    rows = min(count, proxy.rowCount())

    def select(column: int) -> None:
        chosen = QItemSelection(proxy.index(0, column), proxy.index(rows - 1, column))
        table.selectionModel().select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        table.selectionModel().setCurrentIndex(proxy.index(0, column), QItemSelectionModel.SelectionFlag.NoUpdate)

    select(speaker)
    beat.spin(seconds=0.3)
    beat.phase(
        f"grid type into {rows:,} rows",
        lambda: grid.type_into_selection(0, speaker, "Bench Host"),
        lambda: True,
        settle=0.3,
    )
    select(series)
    beat.spin(seconds=0.3)
    beat.phase(f"grid fill down {rows:,}", grid.fill_down, lambda: True, settle=0.3)
    cells = grid.count
    dialogs: list[Any] = []
    changed = signals.records_changed
    beat.phase(
        f"grid save {cells:,} cells (+2 s)",
        lambda: dialogs.append(window.save_current() or grid_dialog(window)),
        lambda: bool(dialogs) and dialogs[-1] is not None and dialogs[-1].plan is not None and not dialogs[-1].busy,
    )
    dialog = dialogs[-1]
    dialog.confirm = False
    beat.phase(
        "grid apply (+2 s)",
        dialog.apply_button.click,
        lambda: dialog.report is not None and not window.writing() and signals.records_changed > changed,
        settle=SETTLE,
        note=f"{len(dialog.plan.changes):,} files",
    )
    dialog.close()
    beat.spin(seconds=0.3)
    changed = signals.records_changed
    beat.phase(
        "grid undo (+2 s)",
        window.undo_action.trigger,
        lambda: not window.writing() and signals.records_changed > changed,
        settle=SETTLE,
    )
    window.acts["gridMode"].trigger()


def grid_dialog(window: Any) -> Any:
    from masthead.ui.operation_dialog import OperationDialog

    shown = [d for d in window.findChildren(OperationDialog) if d.isVisible()]
    return shown[-1] if shown else None


def run_typing(beat: Heartbeat, window: Any, text: str = " (edited)") -> None:
    editor = title_editor(window)
    assert editor is not None
    window.activateWindow()  # a click in the window makes it active (offscreen, a closed dialog leaves none)
    beat.spin(seconds=0.1)
    QTest.mouseClick(editor, Qt.MouseButton.LeftButton)
    QTest.keyClick(editor, Qt.Key.Key_End)

    def typing() -> None:
        for char in text:  # a fast typist: a key every 80 ms, the event loop running in between
            QTest.keyClicks(editor, char)
            beat.spin(seconds=0.08)

    beat.phase("typing in the title", typing, lambda: True, settle=1.0)


def run_save(beat: Heartbeat, window: Any, signals: Signals) -> None:
    how: list[str] = []
    saved = signals.saved
    result = beat.phase(
        "save (+2 s)",
        lambda: how.append(press_save(window, signals)),
        lambda: signals.saved > saved and not unsaved(window),
        settle=SETTLE,
    )
    result["note"] = f"by {how[0]}"


def perf_gui_thread(out: Path) -> subprocess.Popen[bytes]:
    """``--perf FILE``: Linux perf samples the GUI thread (its C++ and the interpreter) from here on."""
    tid = threading.get_native_id()
    where = ["--call-graph", "dwarf,16384", "-t", str(tid)]
    command = ["perf", "record", "-F", "999", *where, "-o", str(out)]
    perf = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    time.sleep(0.5)  # until it is attached
    return perf


def session(args: argparse.Namespace, mode: str) -> list[dict[str, Any]]:
    """One fresh process: a load (cold or warm); for 'session' the other phases after a warm load."""
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval)
    from masthead.ui.app import application

    app = application()
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    beat = Heartbeat(app, args.profile, args.run)
    if args.stalls:
        beat.stalls = Stalls(beat, args.stalls)
    window = new_window(QSettings(str(args.work / f"settings-{mode}.ini"), QSettings.Format.IniFormat))
    signals = Signals(window)
    beat.spin(seconds=0.3)
    label = {"cold": "loading cold", "warm": "loading warm"}.get(mode, "loading")
    run_loading(beat, window, signals, args.archive, label)
    if mode == "session":
        beat.spin(seconds=1.0)
        phases = args.phases or PHASES
        perf = perf_gui_thread(args.perf) if args.perf else None
        if "select" in phases:
            run_selecting(beat, window, signals, args.files)
        if "taxonomy" in phases:
            run_taxonomy(beat, window)
        if "bulk" in phases:
            run_bulk(beat, window, signals, args.bulk)
        if "grid" in phases:
            run_grid(beat, window, signals, args.bulk)
        if "typing" in phases or "save" in phases:
            if title_editor(window) is None:
                select_file(window, shown_paths(window)[0])
                beat.spin(lambda: title_editor(window) is not None)
            run_typing(beat, window)
            if "save" in phases:
                run_save(beat, window, signals)
        if "search" in phases:
            run_search(beat, window, signals)
        if perf is not None:
            perf.send_signal(signal.SIGINT)
            perf.wait()
    if beat.stalls is not None:
        beat.stalls.stop(beat.results)
    close_window(window)
    return beat.results


# ---------------------------------------------------------------------------- running and reporting


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


def spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:,.0f}"
    return f"{min(values):,.0f} / {statistics.median(values):,.0f} / {max(values):,.0f}"


def report(results: list[dict[str, Any]], runs: int) -> int:
    """Print the table (min / median / max over the runs); return the worst gap."""
    by_phase: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        by_phase.setdefault(r["phase"], []).append(r)
    label = "longest GUI-thread gap, ms" + (" (min / median / max)" if runs > 1 else "")
    print(f"\n| phase | {label} | took, s (median) | note |\n|---|---:|---:|---|")
    for phase, rows in by_phase.items():
        flag = "" if all(r["ok"] for r in rows) else " (timed out)"
        took = statistics.median(r["took_s"] for r in rows)
        print(f"| {phase} | {spread([r['gap_ms'] for r in rows])} | {took:.2f}{flag} | {rows[-1]['note']} |")
    for r in results:
        if "shown_ms" in r:
            by_phase.setdefault("_shown", []).append(r)
    shown = [ms for r in by_phase.get("_shown", []) for ms in r["shown_ms"]]
    if shown:
        form = [ms for r in by_phase["_shown"] for ms in r["form_ms"]]
        preview = [ms for r in by_phase["_shown"] for ms in r["preview_ms"]]
        first = [ms for r in by_phase["_shown"] for ms in r.get("first_ms", r["preview_ms"])]
        print(
            f"\nopen-to-shown (form and the preview's first screen) over {len(shown)} selections: median "
            f"{statistics.median(shown):.0f} ms, max {max(shown)} ms (target: under 150 ms); form: median "
            f"{statistics.median(form):.0f}, max {max(form)}; preview's first screen: median "
            f"{statistics.median(first):.0f}, max {max(first)}; whole transcript: median "
            f"{statistics.median(preview):.0f}, max {max(preview)}"
        )
    for r in results:
        stalls = r.get("stalls")
        if stalls and stalls.get("samples"):
            print(f"\nrun {r['run']}, {r['phase']}: {stalls['samples']} samples while the GUI thread was late")
            for where, n in stalls["top"]:
                print(f"  {n:5}  {where}")
            print(f"  in its longest gap ({r['gap_ms']} ms):")
            for where, n in stalls["longest"]:
                print(f"  {n:5}  {where}")
    worst = max(r["gap_ms"] for r in results)
    print(f"\nworst: {worst:,} ms (target: never over 100 ms)")
    return int(worst)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", type=Path, help="an archive to copy (default: the realistic one, cached)")
    parser.add_argument("--runs", type=int, default=1, help="repeat everything (a fresh copy and cache each time)")
    parser.add_argument("--files", type=int, default=20, help="files to select one after another")
    parser.add_argument("--bulk", type=int, default=1000, help="files to tag in bulk")
    parser.add_argument("--phases", nargs="*", choices=["cold", "warm", *PHASES], help="only these phases")
    parser.add_argument("--switch-interval", type=float, help="sys.setswitchinterval(S) before the app starts")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the GUI thread per phase here")
    parser.add_argument("--stalls", type=float, help="sample every thread while the GUI thread is MS ms late")
    parser.add_argument("--perf", type=Path, help="record the GUI thread with Linux perf after the load")
    parser.add_argument("--json", type=Path, help="also append every result here (one JSON object a line)")
    parser.add_argument("--report", type=Path, help="only print the table of the results in this --json file")
    parser.add_argument("--mode", choices=["cold", "warm", "session"], help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--run", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:  # one process, as when the app starts
        os.environ["MASTHEAD_CACHE_DIR"] = str(args.work / "cache")
        os.environ["MASTHEAD_DATA_DIR"] = str(args.work / "data")
        results = session(args, args.mode)
        with (args.work / "results.jsonl").open("a") as out:
            out.writelines(json.dumps(r) + "\n" for r in results)
        return
    if args.report:  # e.g. runs made one at a time, interleaved with other settings
        found = [json.loads(line) for line in args.report.read_text().splitlines()]
        report(found, len({(r.get("started"), r["run"]) for r in found}))
        return
    source = args.archive or realistic_archive()
    phases = args.phases or ["cold", "warm", *PHASES]
    extra = ["--files", str(args.files), "--bulk", str(args.bulk)]
    extra += ["--profile", str(args.profile.resolve())] if args.profile else []
    extra += ["--stalls", str(args.stalls)] if args.stalls else []
    extra += ["--switch-interval", str(args.switch_interval)] if args.switch_interval else []
    extra += ["--perf", str(args.perf.resolve())] if args.perf else []
    modes = [m for m in ("cold", "warm") if m in phases] + (["session"] if set(phases) & set(PHASES) else [])
    results: list[dict[str, Any]] = []
    started = time.time()
    for run in range(1, args.runs + 1):
        work = Path(tempfile.mkdtemp(prefix="masthead-gui-", dir=os.environ.get("BENCH_DIR")))
        archive = work / "archive"
        shutil.copytree(source, archive, ignore=shutil.ignore_patterns(".complete"))
        print(f"\nrun {run} of {args.runs}: archive {source} (copied to {archive})", flush=True)
        for mode in modes:
            more = ["--phases", *[p for p in phases if p in PHASES]] if mode == "session" else []
            command = [sys.executable, __file__, "--mode", mode, "--archive", str(archive), "--work", str(work)]
            subprocess.run([*command, *extra, *more, "--run", str(run)], check=False)
        lines = (work / "results.jsonl").read_text().splitlines() if (work / "results.jsonl").exists() else []
        found = [json.loads(line) for line in lines]
        results += [r for r in found if not (r["phase"] == "loading" and "warm" in phases)]  # the session's load
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        with args.json.open("a") as out:
            extra_fields = {"switch_interval": args.switch_interval, "started": started}
            out.writelines(json.dumps({**r, **extra_fields}) + "\n" for r in results)
    if not results:
        sys.exit("no results (every run failed)")
    report(results, args.runs)


if __name__ == "__main__":
    main()
