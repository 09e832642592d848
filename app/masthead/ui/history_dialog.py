"""Edit ▸ Bulk Operation History: the archive's journaled operations (from the window or the command
line, this session or earlier), each undoable or redoable; an interrupted one can be completed or
rolled back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from masthead.core import journal
from masthead.core.wording import plural
from masthead.ui.widgets import named

STATES = {"done": "done", "undone": "undone", "applying": "interrupted"}
Runner = Callable[[str, str, bool, Callable[[], Any] | None], bool]
Confirm = Callable[[str, str, int], bool]  # (verb, description, files) -> go ahead


def state_text(entry: dict[str, Any]) -> str:
    """The state as the user should read it: an undo or redo that changed no file says so."""
    state = str(entry.get("state"))
    last = entry.get("last") or {}
    if last.get("changed") == 0 and last.get("left", 0) > 0 and state in ("done", "undone"):
        return f"{last.get('action', 'redo')} changed nothing ({plural(last['left'], 'file')} left alone)"
    return STATES.get(state, state)


def _when(created: str) -> str:
    try:
        return dt.datetime.fromisoformat(created).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return created


class HistoryDialog(QDialog):
    """Lists ``journal.history(root)``; Undo/Redo run through the window (``run``), one at a time."""

    def __init__(self, root: Path, run: Runner, parent: Any = None, confirm: Confirm | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle("Bulk Operation History")
        self.setAccessibleName("Bulk operation history")
        self.root, self.run, self.confirm = root, run, confirm
        self.entries: list[dict[str, Any]] = []
        self.table = named(QTableWidget(0, 4), "historyTable", "Bulk operations, newest first")
        self.table.setHorizontalHeaderLabels(["When", "What", "Files", "State"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        named(self.table.verticalHeader(), "historyRows", "Operations")
        header = named(self.table.horizontalHeader(), "historyHeader", "Columns")
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.note = named(QLabel(""), "historyNote", "About the selected operation")
        self.note.setWordWrap(True)
        self.undo_button = named(QPushButton("&Undo"), "historyUndo", "Undo the selected operation")
        self.redo_button = named(QPushButton("&Redo"), "historyRedo", "Redo the selected operation")
        self.close_button = named(QPushButton("Close"), "historyClose", "Close")
        self.undo_button.clicked.connect(self.undo_selected)
        self.redo_button.clicked.connect(self.redo_selected)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.redo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.resize(760, 420)
        self.reload()

    def reload(self) -> None:
        """List the operations again; the one selected stays selected (else the newest is)."""
        chosen = self.selected()
        self.entries = journal.history(self.root)
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            cells = (
                _when(str(entry.get("created", ""))),
                str(entry.get("description", "")),
                f"{entry.get('files', 0):,}",
                state_text(entry),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        ids = [entry.get("id") for entry in self.entries]
        if self.entries:  # (after an undo it jumped to the newest: a second click undid another operation)
            self.table.selectRow(ids.index(chosen.get("id")) if chosen and chosen.get("id") in ids else 0)
        self._update_buttons()

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        entry = self.selected()
        state = entry.get("state") if entry else None
        self.undo_button.setEnabled(state in ("done", "applying"))
        self.redo_button.setEnabled(state in ("undone", "applying"))
        self.undo_button.setText("&Roll Back" if state == "applying" else "&Undo")
        self.redo_button.setText("&Complete" if state == "applying" else "&Redo")
        self.note.setText(
            "Interrupted before it finished: complete it, or roll back the files it had changed."
            if state == "applying"
            else "Undo restores the files that still have what the operation wrote, and takes it back around "
            "later changes where it can; other files changed since are left alone and reported."
            if entry
            else "No bulk operation yet."
        )

    def undo_selected(self) -> None:
        self._run(undoing=True)

    def redo_selected(self) -> None:
        self._run(undoing=False)

    def _run(self, undoing: bool) -> None:
        entry = self.selected()
        if entry is None:
            return
        verb = self.undo_button.text() if undoing else self.redo_button.text()
        if self.confirm is not None and not self.confirm(
            verb.replace("&", ""), str(entry["description"]), int(entry.get("files", 0))
        ):
            return
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        if not self.run(str(entry["_path"]), str(entry["description"]), undoing, self.reload):
            self.note.setText("Another operation is running; try again when it has finished.")
            self._update_buttons()
