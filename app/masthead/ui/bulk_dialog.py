"""The bulk dialogs with editors in front of the preview: tag (add/remove list values) and set a field.
``OperationDialog`` (the preview, Apply, progress and Cancel) is in ``operation_dialog``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QWidget

from masthead.core.operations import Edit, ListEdit, clear_field, replace, set_field
from masthead.core.wording import plural
from masthead.ui.chips import ChipsEditor
from masthead.ui.operation_dialog import OperationDialog
from masthead.ui.widgets import named, named_combo

__all__ = ["BulkTagDialog", "OperationDialog", "SetFieldDialog", "targets_phrase"]
SINGLE_VALUE_DEFAULTS = ("category", "status", "series", "area")  # Set a Field starts on the first the archive has


def targets_phrase(n: int, from_selection: bool | None) -> str:
    """ "The 3 selected files", "The file shown", or (origin not told) "1 file"."""
    if from_selection is None:
        return plural(n, "file")
    where = "selected " if from_selection else ""
    shown = "" if from_selection else " shown"
    return f"The {where}file{shown}" if n == 1 else f"The {n:,} {where}files{shown}"


def default_field(fields: list[str], vocabulary: Mapping[str, Mapping[str, int]]) -> str:
    """The field Set a Field starts on: category, status, series or area (the first the archive uses, else the
    first offered), else the first offered field that is not the title."""
    for candidates in ([f for f in SINGLE_VALUE_DEFAULTS if vocabulary.get(f)], SINGLE_VALUE_DEFAULTS):
        found = [f for f in candidates if f in fields]
        if found:
            return found[0]
    return next((f for f in fields if f != "title"), fields[0] if fields else "")


class BulkTagDialog(OperationDialog):
    """Add and remove values of one list field in many files."""

    def __init__(
        self,
        root: Path,
        rels: list[str],
        fields: list[str],
        vocabulary: Mapping[str, Mapping[str, int]],
        unsaved: Callable[[], list[str]],
        parent: Any = None,
        from_selection: bool | None = None,
    ) -> None:
        self.vocabulary = vocabulary
        box = QWidget()
        form = QFormLayout(box)
        self.field = named_combo(QComboBox(), "bulkField", "List field", editable=True)
        self.field.addItems(fields)
        self.add_picker = ChipsEditor("bulkAdd", vocabulary.get(fields[0] if fields else "tags", {}))
        self.add_picker.setAccessibleName("Values to add")
        self.remove_picker = ChipsEditor(
            "bulkRemove", vocabulary.get(fields[0] if fields else "tags", {}), allow_new=False
        )
        self.remove_picker.setAccessibleName("Values to remove")
        form.addRow("&Field:", self.field)
        form.addRow("A&dd:", self.add_picker)
        form.addRow("&Remove:", self.remove_picker)
        super().__init__(root, rels, self._edit, unsaved, f"Tag {plural(len(rels), 'file')}", parent, box)
        self.setObjectName("bulkTagDialog")
        self.field.currentTextChanged.connect(self._on_field)
        self.add_picker.edited.connect(self._on_adds)
        self.remove_picker.edited.connect(self._on_removes)
        targets = targets_phrase(len(rels), from_selection)
        self.summary.setText(f"{targets}: choose values to add or remove, then Preview.")

    def _on_field(self, name: str) -> None:
        counts = dict(self.vocabulary.get(name, {}))
        self.add_picker.set_vocabulary(counts)
        self.remove_picker.set_vocabulary(counts)
        self.inputs_changed()

    def _on_adds(self, values: list[str]) -> None:
        self.add_picker.set_values(values)
        self.inputs_changed()

    def _on_removes(self, values: list[str]) -> None:
        self.remove_picker.set_values(values)
        self.inputs_changed()

    def _edit(self) -> Edit | None:
        name = self.field.currentText().strip()
        adds, removes = list(self.add_picker.values), list(self.remove_picker.values)
        if not name or not (adds or removes):
            return None
        if adds and removes:
            return replace(name, removes, adds)
        return ListEdit("add" if adds else "remove", (name,), tuple(adds or removes))


class SetFieldDialog(OperationDialog):
    """Set a single-value field (category, status, series...) to one value in many files, or clear it."""

    def __init__(
        self,
        root: Path,
        rels: list[str],
        fields: list[str],
        vocabulary: Mapping[str, Mapping[str, int]],
        unsaved: Callable[[], list[str]],
        parent: Any = None,
        from_selection: bool | None = None,
    ) -> None:
        self.vocabulary = vocabulary
        box = QWidget()
        form = QFormLayout(box)
        self.field = named_combo(QComboBox(), "setFieldName", "Field", editable=True)
        self.field.addItems(fields)
        self.field.setCurrentText(default_field(fields, vocabulary))
        self.value = named_combo(QComboBox(), "setFieldValue", "Value", editable=True)
        self.value.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.clear = named(QCheckBox("Clear it (remove the key)"), "setFieldClear", "Clear the field")
        form.addRow("&Field:", self.field)
        form.addRow("&Value:", self.value)
        form.addRow(self.clear)
        super().__init__(root, rels, self._edit, unsaved, f"Set a field in {plural(len(rels), 'file')}", parent, box)
        self.setObjectName("setFieldDialog")
        self.field.currentTextChanged.connect(self._on_field)
        self.value.currentTextChanged.connect(self.inputs_changed)
        self.clear.toggled.connect(self._on_clear)
        self._on_field(self.field.currentText())
        targets = targets_phrase(len(rels), from_selection)
        self.summary.setText(f"{targets}: choose a field and a value, then Preview.")

    def _on_field(self, name: str) -> None:
        counts = self.vocabulary.get(name, {})
        text = self.value.currentText()
        self.value.blockSignals(True)
        self.value.clear()
        self.value.addItems([v for v, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))])
        self.value.setEditText(text)
        self.value.blockSignals(False)
        self.inputs_changed()

    def _on_clear(self, on: bool) -> None:
        self.value.setEnabled(not on)
        self.inputs_changed()

    def _edit(self) -> Edit | None:
        name = self.field.currentText().strip()
        if not name:
            return None
        if self.clear.isChecked():
            return clear_field(name)
        value = self.value.currentText().strip()
        return set_field(name, value) if value else None
