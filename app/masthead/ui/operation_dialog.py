"""One bulk operation in the window: preview of every affected file with its diff, then Apply, with a
progress bar and Cancel (while checking and while writing). ``bulk_dialog`` adds editors in front of it.

Planning and writing run off the GUI thread (writing through the form's single writer); the work
reports progress through plain counters that a timer reads, never through cross-thread signals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from masthead.core import bulk
from masthead.core.document import DEFAULT_SEQ_OFFSET, unified_diff
from masthead.core.operations import Edit
from masthead.core.wording import plural
from masthead.ui.tasks import run_in_background
from masthead.ui.widgets import named
from masthead.ui.writer import writer

PROBLEM = Qt.ItemDataRole.UserRole + 1


def _diff(change: bulk.FileChange) -> str:
    """A file's planned change as a unified diff, named by its path in the archive."""
    return unified_diff(change.old_head, change.new_head, change.rel)


class _Progress:
    """Counters written by the worker thread and read by the GUI timer (ints only: no locking needed)."""

    def __init__(self) -> None:
        self.done = 0
        self.total = 0

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total


class OperationDialog(QDialog):
    """Preview and apply one bulk edit of ``rels`` (paths relative to ``root``).

    ``make_edit`` builds the edit from the dialog's inputs (None: not ready); ``unsaved`` names the files
    with unsaved edits in the window, which preflight refuses to touch. ``applied`` carries the journal.
    """

    applied = Signal(str)  # journal path
    finished_work = Signal()

    def __init__(
        self,
        root: Path,
        rels: list[str],
        make_edit: Callable[[], Edit | None],
        unsaved: Callable[[], list[str]],
        title: str,
        parent: Any = None,
        editor: QWidget | None = None,
        verb: str = "Apply to",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bulkDialog")
        self.verb = verb
        self.confirm = False  # ask before writing (Preferences)
        self.list_indent = DEFAULT_SEQ_OFFSET  # a new list's indent in files without one (Preferences)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.root, self.rels, self.make_edit, self.unsaved = root, rels, make_edit, unsaved
        self.plan: bulk.Plan | None = None
        self.report: bulk.Report | None = None
        self.problems: list[tuple[str, str]] = []  # why preflight stopped the last Apply
        self._cancel = threading.Event()
        self._progress = _Progress()
        self._busy = False
        self._writing = False  # applying (not just checking)
        self._again = False  # check again once the running check has stopped (the inputs changed)
        self._asking = False  # the question before writing is open: Apply again must not ask again
        self._phase = ("", "")  # ("Checking", "checked") or ("Writing", "written"): what the progress counts
        self._by_rel: dict[str, bulk.FileChange] = {}

        self.summary = named(QLabel(""), "bulkSummary", "What will change")
        self.summary.setWordWrap(True)
        self.files = named(QListWidget(), "bulkFiles", "Files the operation changes")
        self.files.setUniformItemSizes(True)  # one line each: no size computed per item (10,000 took ~50 ms)
        self.files.currentItemChanged.connect(self._show_diff)
        self.diff = named(QPlainTextEdit(), "bulkDiff", "Changes to the selected file")
        self.diff.setReadOnly(True)
        self.diff.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.diff.setFont(mono)
        split = named(QSplitter(Qt.Orientation.Horizontal), "bulkSplitter", "Files and changes")
        split.addWidget(self.files)
        split.addWidget(self.diff)
        split.setSizes([260, 520])
        self.progress = named(QProgressBar(), "bulkProgress", "Progress")
        self.progress.setVisible(False)
        self.preview_button = named(QPushButton("&Preview"), "bulkPreview", "Preview the changes")
        self.preview_button.clicked.connect(self.preview)
        self.apply_button = named(QPushButton("&Apply"), "bulkApply", "Apply the changes")
        self.apply_button.setEnabled(False)
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        self.cancel_button = named(QPushButton("Cancel"), "bulkCancel", "Stop the running work")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = named(QPushButton("Close"), "bulkClose", "Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(0)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        if editor is not None:
            layout.addWidget(editor)
        else:
            self.preview_button.setVisible(False)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.resize(860, 560)
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._tick)
        if editor is None:
            QTimer.singleShot(0, self.preview)

    # ------------------------------------------------------------------ planning
    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def writing(self) -> bool:
        return self._writing

    def _start(self, text: str, phase: tuple[str, str]) -> None:
        self._busy, self._phase = True, phase
        self._cancel = threading.Event()
        self._progress = _Progress()
        self.progress.setRange(0, 0)
        self.progress.setFormat("%v / %m")
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.apply_button.setEnabled(False)
        self.preview_button.setEnabled(False)
        self.summary.setText(text)
        self._timer.start()

    def _stop(self) -> None:
        self._busy = False
        self._timer.stop()
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.preview_button.setEnabled(True)
        self.finished_work.emit()

    def _tick(self) -> None:
        done, total = self._progress.done, self._progress.total
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            stopping = " (stopping…)" if self._cancel.is_set() else ""
            doing, done_word = self._phase
            self.summary.setText(f"{doing}: {done:,} of {plural(total, 'file')} {done_word}{stopping}…")

    def cancel(self) -> None:
        self._cancel.set()

    def preview(self) -> None:
        if self._writing:
            return  # the inputs cannot change what is being written
        if self._busy:  # inputs changed while checking: stop that check, start again when it has stopped
            self._again = True
            self.cancel()
            return
        edit = self.make_edit()
        if edit is None:
            self.summary.setText("Choose what to change first.")
            return
        self.plan = None
        self.files.clear()
        self.diff.clear()
        self._start(f"Checking {plural(len(self.rels), 'file')}…", ("Checking", "checked"))
        root, rels, progress, cancel = self.root, list(self.rels), self._progress, self._cancel
        indent, unsaved = self.list_indent, self.unsaved()

        def plan() -> bulk.Plan:
            made = bulk.plan(root, rels, edit, progress=progress, cancel=cancel, list_indent=indent)
            blocked = bulk.preflight(made, unsaved)  # what Apply would skip now: shown as skipped (⚠)
            names = {rel for rel, _ in blocked}
            made.changes = [c for c in made.changes if c.rel not in names]
            made.skipped = made.skipped + blocked
            return made

        run_in_background(plan, self._planned, self)

    def _planned(self, plan: bulk.Plan | None, error: BaseException | None) -> None:
        self._stop()
        if self._again:
            self._again = False
            self.preview()
            return
        if plan is None or self._cancel.is_set():
            self.summary.setText("Cancelled." if error is None else f"Could not check the files: {error}")
            return
        self.plan = plan
        self._by_rel = {change.rel: change for change in plan.changes}
        self.files.setUpdatesEnabled(False)
        self.files.addItems([change.rel for change in plan.changes])  # diffs are made when a file is shown
        for rel, reason in plan.skipped:
            item = QListWidgetItem(f"⚠ {rel}")
            item.setData(Qt.ItemDataRole.UserRole, f"Skipped: {reason}")
            item.setData(PROBLEM, reason)
            item.setToolTip(reason)
            self.files.addItem(item)
        self.files.setUpdatesEnabled(True)
        parts = [f"{plural(len(plan.changes), 'file')} will change", f"{len(plan.unchanged):,} already right"]
        if plan.skipped:
            parts.append(f"{len(plan.skipped):,} skipped (marked ⚠)")
        self.summary.setText(f"{plan.description[0].upper()}{plan.description[1:]}: " + ", ".join(parts) + ".")
        self.apply_button.setText(f"{_mnemonic(self.verb)} {plural(len(plan.changes), 'file')}")
        self.apply_button.setEnabled(bool(plan.changes))
        if self.files.count():
            self.files.setCurrentRow(0)

    def preview_or_apply(self) -> None:
        """Enter in a field of what to change: the preview, or, once it is shown and still current, the
        change itself (Enter previewed again and again: found by a new-user trial)."""
        if self.plan is not None and self.apply_button.isEnabled() and not self.report:
            self.apply()
        else:
            self.preview()

    def inputs_changed(self, *_: Any) -> None:
        """What to change was edited: the plan shown no longer matches it, so it cannot be applied."""
        if self.plan is not None:
            self.plan = None
            self.apply_button.setEnabled(False)
            self.summary.setText("Changed: Preview again to see what will change.")

    def _show_diff(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        """The selected file's diff (made now: a plan of thousands of files does not diff them all)."""
        text = ""
        if item is not None:
            stored = item.data(Qt.ItemDataRole.UserRole)
            rel = item.text()
            if self.report is not None and self.files.row(item) < len(self.report.changed):
                rel = self.report.changed[self.files.row(item)]  # the list of written files: "✓ rel"
            change = self._by_rel.get(str(rel))
            text = str(stored) if stored is not None else _diff(change) if change is not None else ""
        self.diff.setPlainText(text)

    # ------------------------------------------------------------------ applying
    def apply(self) -> None:
        plan = self.plan
        if plan is None or not plan.changes or self._asking or self._busy:
            return  # one question, one run: a second press while asking or writing does nothing
        if self.confirm:
            self._asking = True
            try:
                answer = QMessageBox.question(
                    self,
                    self.windowTitle(),
                    f"{_question(plan.description, len(plan.changes))}\nEdit ▸ Undo can reverse it afterwards.",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                    QMessageBox.StandardButton.Yes,
                )
            finally:
                self._asking = False
            if answer != QMessageBox.StandardButton.Yes or plan is not self.plan:
                return
        unsaved = self.unsaved()
        self._writing = True
        self._start(f"Writing {plural(len(plan.changes), 'file')}…", ("Writing", "written"))
        progress, cancel = self._progress, self._cancel

        def work() -> bulk.Report:
            # files with unsaved edits here (or changed, read-only...) are skipped and listed; the rest written
            return bulk.run(plan, unsaved, progress=progress, cancel=cancel)

        writer().submit(work, self._applied, owner=self)

    def _applied(self, report: bulk.Report | None, error: Any) -> None:
        self._writing = False
        self._stop()  # emits finished_work: a window waiting to close may close now
        if report is None:
            self.summary.setText(f"Nothing was written: {getattr(error, 'message', error)}")
            self.plan = None  # plan again (e.g. once the other operation has ended)
            return
        self.problems = (
            [s for s in report.skipped if s[0] not in {rel for rel, _ in self.plan.skipped}] if self.plan else []
        )
        self.report = report
        self.preview_button.setEnabled(False)
        self.files.setUpdatesEnabled(False)
        self.files.clear()
        self.files.addItems([f"✓ {rel}" for rel in report.changed])  # one call (10,000 items one at a time
        for rel, reason in report.skipped + report.failed:  # took ~50 ms); each still shows its diff
            item = QListWidgetItem(f"⚠ {rel}: {reason}")
            item.setData(PROBLEM, reason)
            self.files.addItem(item)
        self.files.setUpdatesEnabled(True)
        self.summary.setText(
            f"{len(report.changed):,} changed, {len(report.unchanged):,} unchanged, "
            f"{len(report.skipped):,} skipped, {len(report.failed):,} failed. Edit ▸ Undo reverses it."
            + (f"\n⚠ {report.warning[0].upper()}{report.warning[1:]}." if report.warning else "")
        )
        self.close_button.setText("Done")
        self.close_button.setDefault(True)  # Enter or Esc ends it (the focus was on the disabled Apply: trial)
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)
        if report.journal is not None:
            self.applied.emit(str(report.journal))

    def reject(self) -> None:
        if self._busy:
            self.cancel()  # the work stops at the next file; the dialog stays until it has
            return
        super().reject()


def _question(description: str, count: int) -> str:
    """ "Add tag x in 34 files?"; a description that is a verb alone: "Publish 34 files?"."""
    what = description[0].upper() + description[1:]
    return f"{what} {plural(count, 'file')}?" if " " not in description else f"{what} in {plural(count, 'file')}?"


def _mnemonic(verb: str) -> str:
    """The apply button's text with its Alt key: the verb's first letter, never P (Alt+P is Preview in the other
    dialogs: in Publish, which previews by itself, it published)."""
    return f"P&{verb[1:]}" if verb[:1].lower() == "p" else f"&{verb}"
