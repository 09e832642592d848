"""Edit ▸ Copy, Move, Rename, Split or Join Fields…: one ``KeyEdit`` over the selected or shown files, as
one bulk operation (preview with diffs, journal, undo) like every other."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QWidget

from masthead.core.key_edit import KeyAction, KeyEdit
from masthead.core.operations import Edit
from masthead.core.wording import plural
from masthead.ui.bulk_dialog import targets_phrase
from masthead.ui.operation_dialog import OperationDialog
from masthead.ui.widgets import named, named_combo

ACTIONS: tuple[tuple[KeyAction, str], ...] = (
    ("copy", "Copy the value into"),
    ("move", "Move the value into"),
    ("rename", "Rename the key to"),
    ("split", "Split the text into a list in"),
    ("join", "Join the list into a text in"),
)
SAME_FIELD = "(the same field)"


class KeyDialog(OperationDialog):
    def __init__(
        self,
        root: Path,
        rels: list[str],
        fields: list[str],
        unsaved: Callable[[], list[str]],
        parent: Any = None,
        from_selection: bool | None = None,
    ) -> None:
        box = QWidget()
        form = QFormLayout(box)
        self.field = named_combo(QComboBox(), "keyField", "Field", editable=True)
        self.field.addItems(fields)
        self.field.setCurrentText("")
        self.action = named_combo(QComboBox(), "keyAction", "What to do")
        for action, label in ACTIONS:
            self.action.addItem(label, action)
        self.target = named_combo(QComboBox(), "keyTarget", "Target field", editable=True)
        self.target.addItems([SAME_FIELD, *fields])
        self.target.setCurrentText("")
        self.separator = named(QLineEdit(","), "keySeparator", "Separator")
        self.append = named(QCheckBox("&Append to the target's list (keep what it has)"), "keyAppend", "Append")
        form.addRow("&Field:", self.field)
        form.addRow("&Do:", self.action)
        form.addRow("&Target:", self.target)
        form.addRow("&Separator:", self.separator)
        form.addRow(self.append)
        self.problem: str | None = None
        title = f"Copy, move, rename, split or join fields in {plural(len(rels), 'file')}"
        super().__init__(root, rels, self._edit, unsaved, title, parent, box, "Change")
        self.setObjectName("keyDialog")
        self.action.currentIndexChanged.connect(self._action_changed)
        for combo in (self.field, self.target):
            combo.currentTextChanged.connect(self.inputs_changed)
        self.separator.textChanged.connect(self.inputs_changed)
        self.append.toggled.connect(self.inputs_changed)
        self._action_changed()
        targets = targets_phrase(len(rels), from_selection)
        self.summary.setText(f"{targets}: pick a field, what to do with it and where, then Preview.")

    @property
    def chosen(self) -> KeyAction:
        action: KeyAction = self.action.currentData()
        return action

    def _action_changed(self) -> None:
        action = self.chosen
        self.separator.setEnabled(action in ("split", "join"))
        if action == "join" and self.separator.text() == ",":
            self.separator.setText(", ")
        elif action == "split" and self.separator.text() == ", ":
            self.separator.setText(",")
        self.append.setEnabled(action in ("copy", "move", "split"))
        if not self.append.isEnabled():
            self.append.setChecked(False)
        self.inputs_changed()

    def _edit(self) -> Edit | None:
        action = self.chosen
        target: str | None = self.target.currentText().strip()
        if target == SAME_FIELD or (not target and action in ("split", "join")):
            target = None
        try:
            edit = KeyEdit(
                action, self.field.currentText().strip(), target, self.separator.text(), self.append.isChecked()
            )
        except ValueError as exc:
            self.problem = str(exc)
            return None
        self.problem = None
        return edit

    def preview(self) -> None:
        super().preview()
        if self.problem:  # a missing field or target: say which
            self.summary.setText(self.problem)
