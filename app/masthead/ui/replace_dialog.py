"""Edit ▸ Find and Replace in Fields…: plain text or a regular expression (groups as \\1), case, and a text
transform, in one field or every field, over the selected or shown files: one bulk operation (preview with
diffs, journal, undo) like every other."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QWidget

from masthead.core.operations import Edit
from masthead.core.text_edit import TRANSFORMS, TextEdit
from masthead.core.wording import plural
from masthead.ui.bulk_dialog import targets_phrase
from masthead.ui.operation_dialog import OperationDialog
from masthead.ui.widgets import named, named_combo

EVERY_FIELD = "(every field)"
NO_TRANSFORM = "(none)"


class ReplaceDialog(OperationDialog):
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
        self.field = named_combo(QComboBox(), "replaceField", "Field", editable=True)
        self.field.addItems([EVERY_FIELD, *fields])
        self.find_text = named(QLineEdit(), "replaceFind", "Find")
        self.replace_text = named(QLineEdit(), "replaceWith", "Replace with")
        self.regex = named(QCheckBox("Regular e&xpression (groups as \\1)"), "replaceRegex", "Regular expression")
        self.case = named(QCheckBox("Match &case"), "replaceCase", "Match case")
        self.transform = named_combo(QComboBox(), "replaceTransform", "Then transform")
        self.transform.addItems([NO_TRANSFORM, *TRANSFORMS])
        form.addRow("&Field:", self.field)
        form.addRow("F&ind:", self.find_text)
        form.addRow("Replace &with:", self.replace_text)
        form.addRow(self.regex)
        form.addRow(self.case)
        form.addRow("&Then:", self.transform)
        self.problem: str | None = None
        title = f"Find and replace in {plural(len(rels), 'file')}"
        super().__init__(root, rels, self._edit, unsaved, title, parent, box, "Replace in")
        self.setObjectName("replaceDialog")
        for line in (self.find_text, self.replace_text):
            line.textChanged.connect(self.inputs_changed)
        for check in (self.regex, self.case):
            check.toggled.connect(self.inputs_changed)
        self.field.currentTextChanged.connect(self.inputs_changed)
        self.transform.currentTextChanged.connect(self.inputs_changed)
        targets = targets_phrase(len(rels), from_selection)
        self.summary.setText(f"{targets}: what to find and what to put instead, then Preview.")

    def _edit(self) -> Edit | None:
        name = self.field.currentText().strip()
        fields = None if name in ("", EVERY_FIELD, "*") else tuple(f.strip() for f in name.split(",") if f.strip())
        transform = self.transform.currentText()
        try:
            edit = TextEdit(
                fields,
                self.find_text.text(),
                self.replace_text.text(),
                self.regex.isChecked(),
                self.case.isChecked(),
                None if transform == NO_TRANSFORM else transform,
            )
        except ValueError as exc:
            self.problem = str(exc)
            return None
        self.problem = None
        return edit

    def preview(self) -> None:
        super().preview()
        if self.problem:  # a bad expression, or nothing to do: say which
            self.summary.setText(self.problem)
