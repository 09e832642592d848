"""Resolve a file a pull left in conflict: for each key both sides changed, keep ours, take theirs, or type a
value; Resolve and Save writes the merged file and stages it (git add)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from masthead.core.frontmerge import ABSENT, KeyConflict
from masthead.core.values import as_text
from masthead.ui.widgets import named


def shown(value: object) -> str:
    return "(removed)" if value is ABSENT else as_text(value)


class ConflictDialog(QDialog):
    resolve_requested = Signal(dict)  # key -> chosen value (ABSENT: remove the key)

    def __init__(self, rel: str, conflicts: list[KeyConflict], body_conflict: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setAccessibleName(f"Resolve the conflict in {rel}")
        self.setWindowTitle(f"Resolve the conflict in {rel}")
        self.conflicts = conflicts
        self.groups: dict[str, QButtonGroup] = {}
        self.edits: dict[str, QLineEdit] = {}
        layout = QVBoxLayout(self)
        intro = "Both sides of the merge changed these fields. Choose each value, then Resolve and Save."
        if body_conflict:
            intro += " The transcript also conflicts: its conflict markers stay in the body for you to finish."
        note = QLabel(intro)
        note.setWordWrap(True)
        layout.addWidget(note)
        grid = QGridLayout()
        for row, conflict in enumerate(conflicts):
            key = conflict.key
            group = QButtonGroup(self)
            ours = named(QRadioButton(f"Ours: {shown(conflict.ours)}"), f"ours_{key}", f"Keep our {key}")
            theirs = named(QRadioButton(f"Theirs: {shown(conflict.theirs)}"), f"theirs_{key}", f"Take their {key}")
            edit_choice = named(QRadioButton("Edit:"), f"edit_{key}", f"Type a new {key}")
            edit = named(QLineEdit(shown(conflict.ours) if isinstance(conflict.ours, str) else ""), f"value_{key}", key)
            edit.textEdited.connect(lambda _t, b=edit_choice: b.setChecked(True))
            ours.setChecked(True)
            for i, button in enumerate((ours, theirs, edit_choice)):
                group.addButton(button, i)
            grid.addWidget(QLabel(f"<b>{key}</b>"), row * 2, 0)
            grid.addWidget(ours, row * 2, 1)
            grid.addWidget(theirs, row * 2, 2)
            grid.addWidget(edit_choice, row * 2 + 1, 1)
            grid.addWidget(edit, row * 2 + 1, 2)
            self.groups[key], self.edits[key] = group, edit
        layout.addLayout(grid)
        self.error = named(QLabel(""), "conflictError", "What went wrong")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = named(QDialogButtonBox(), "conflictButtons", "Resolve or cancel")
        self.resolve_button = buttons.addButton("&Resolve and Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.resolve_button.setObjectName("resolveButton")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._resolve)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def choices(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for conflict in self.conflicts:
            picked = self.groups[conflict.key].checkedId()
            if picked == 0:
                out[conflict.key] = conflict.ours
            elif picked == 1:
                out[conflict.key] = conflict.theirs
            else:
                out[conflict.key] = self.edits[conflict.key].text()
        return out

    def _resolve(self) -> None:
        self.setEnabled(False)
        self.resolve_requested.emit(self.choices())

    def show_error(self, text: str) -> None:
        self.setEnabled(True)
        self.error.setText(text)
        self.error.show()
