"""Bulk publish (or unpublish) of a selection or a query result: what will happen, then the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout

from masthead.core.workflow import Outcome, PlannedChange, apply_publication, plan_publication
from masthead.ui.form import WRITER
from masthead.ui.tasks import run_in_background
from masthead.ui.widgets import named


class BulkPublishDialog(QDialog):
    """Lists the files that will change and those that are blocked (and why); applies on request."""

    planned = Signal()
    applied = Signal(object)  # list[Outcome]

    def __init__(self, root: Path, paths: list[str], unpublishing: bool = False, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkPublishDialog")
        self.verb = "Unpublish" if unpublishing else "Publish"
        self.setWindowTitle(f"{self.verb} {len(paths):,} file(s)")
        self.root, self.paths, self.unpublishing = root, paths, unpublishing
        self.plans: list[PlannedChange] = []
        self.outcomes: list[Outcome] = []
        self.summary = named(QLabel("Checking the files…"), "bulkPublishSummary", "Summary")
        self.summary.setWordWrap(True)
        self.report = named(QPlainTextEdit(), "bulkPublishReport", "Files and reasons")
        self.report.setReadOnly(True)
        self.apply_button = named(QPushButton(self.verb), "bulkPublishApply", f"{self.verb} the ready files")
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        self.close_button = named(QPushButton("Close"), "bulkPublishClose", "Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.report)
        layout.addLayout(buttons)
        self.resize(640, 420)
        files = [root / p for p in paths]
        run_in_background(lambda: plan_publication(files, unpublishing), self._on_planned, self)

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _on_planned(self, plans: list[PlannedChange] | None, error: BaseException | None) -> None:
        if plans is None:
            self.summary.setText(f"Could not check the files: {error}")
            return
        self.plans = plans
        ready = [p for p in plans if p.ready]
        blocked = [p for p in plans if not p.ready]
        lines = [f"Will be {self.verb.lower()}ed ({len(ready)}):"] + [f"  {self._rel(p.path)}" for p in ready]
        if blocked:
            lines += ["", f"Blocked ({len(blocked)}):"]
            lines += [f"  {self._rel(p.path)}: {'; '.join(p.problems)}" for p in blocked]
        self.report.setPlainText("\n".join(lines))
        self.summary.setText(f"{len(ready):,} file(s) ready, {len(blocked):,} blocked.")
        self.apply_button.setText(f"{self.verb} {len(ready):,} file(s)")
        self.apply_button.setEnabled(bool(ready))
        self.planned.emit()

    def apply(self) -> None:
        self.apply_button.setEnabled(False)
        plans = self.plans
        run_in_background(lambda: apply_publication(plans), self._on_applied, self, pool=WRITER)

    def _on_applied(self, outcomes: list[Outcome] | None, error: BaseException | None) -> None:
        self.outcomes = outcomes or []
        counts = {
            s: sum(1 for o in self.outcomes if o.status == s) for s in ("changed", "unchanged", "blocked", "failed")
        }
        lines = [f"{o.status}: {self._rel(o.path)}" + (f" ({o.detail})" if o.detail else "") for o in self.outcomes]
        self.report.setPlainText("\n".join(lines) if not error else f"Stopped: {error}")
        self.summary.setText(
            f"{counts['changed']:,} changed, {counts['unchanged']:,} unchanged, {counts['blocked']:,} blocked, "
            f"{counts['failed']:,} failed."
        )
        self.close_button.setText("Done")
        self.applied.emit(self.outcomes)
