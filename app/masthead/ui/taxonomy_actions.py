"""The taxonomy's operations on its selected values: rename, merge and delete. Each opens the window's
preview-then-apply dialog (``Host.open_operation``) with its editor in front."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QCompleter, QFormLayout, QLabel, QLineEdit, QWidget

from masthead.core.operations import Edit, ListEdit, merge, rename
from masthead.core.wording import plural
from masthead.ui.widgets import named, named_combo

if TYPE_CHECKING:
    from masthead.ui.taxonomy import TaxonomyPanel


def rename_dialog(panel: TaxonomyPanel) -> Any:
    """Rename the selected value (in its field, or in every list field), previewed first."""
    rows = panel.selected()
    if len(rows) != 1:
        return None
    field_name, value, _ = rows[0]
    box = QWidget()
    form = QFormLayout(box)
    new_name = named(QLineEdit(value), "taxonomyNewName", "New name")
    completer = QCompleter(sorted(panel.vocabulary.lists.get(field_name, {})), new_name)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    new_name.setCompleter(completer)
    new_name.selectAll()
    form.addRow(f"Rename “{value}” in {field_name} to:", new_name)
    everywhere = named(
        QCheckBox(f"In every list field, not only {field_name}"), "taxonomyEverywhere", "Rename in every list field"
    )
    form.addRow(everywhere)
    note = QLabel("If the new name is already used, the two are merged in each file.")
    note.setWordWrap(True)
    form.addRow(note)
    holder: list[Any] = []

    def make() -> Edit | None:
        text = new_name.text().strip()
        if not text or text == value:
            return None
        dialog = holder[0]
        if everywhere.isChecked():
            dialog.rels = panel.files_with(None, [value])
            return rename(value, text)
        dialog.rels = panel.files_with(field_name, [value])
        return rename(value, text, field_name)

    dialog = panel.host.open_operation(panel.files_with(field_name, [value]), make, f"Rename “{value}”", box)
    holder.append(dialog)
    new_name.textEdited.connect(dialog.inputs_changed)
    new_name.returnPressed.connect(dialog.preview_or_apply)
    everywhere.toggled.connect(dialog.preview)
    new_name.setFocus()
    return dialog


def merge_dialog(panel: TaxonomyPanel) -> Any:
    """Merge the selected values of one field into the one chosen, previewed first."""
    rows = panel.selected()
    if len(rows) < 2 or len({f for f, _, _ in rows}) != 1:
        return None
    field_name = rows[0][0]
    values = [v for _, v, _ in rows]
    box = QWidget()
    form = QFormLayout(box)
    survivor = named_combo(QComboBox(), "taxonomySurvivor", "The value to keep")
    for _, value, count in rows:
        survivor.addItem(f"{value}  ({plural(count, 'file')})", value)
    form.addRow(f"Merge {len(values)} values of {field_name} into:", survivor)

    def make() -> Edit | None:
        keep = str(survivor.currentData())
        return merge(keep, [v for v in values if v != keep], field_name)

    dialog = panel.host.open_operation(panel.files_with(field_name, values), make, f"Merge {len(values)} values", box)
    survivor.currentIndexChanged.connect(dialog.preview)
    dialog.preview()
    return dialog


def delete_dialog(panel: TaxonomyPanel) -> Any:
    """Delete the selected values of one field from every file using them, previewed first."""
    rows = panel.selected()
    if not rows or len({f for f, _, _ in rows}) != 1:
        return None
    field_name = rows[0][0]
    values = tuple(v for _, v, _ in rows)
    edit = ListEdit("delete", (field_name,), values)
    return panel.host.open_operation(
        panel.files_with(field_name, list(values)), lambda: edit, f"Delete {plural(len(values), 'value')}"
    )
