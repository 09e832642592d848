"""Preferences (Edit ▸ Preferences…): preview font size, how new lists are indented, and whether a bulk
operation asks before it writes. Stored in the window's QSettings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox

from masthead.core.document import DEFAULT_SEQ_OFFSET
from masthead.ui.widgets import named, named_combo

INDENTS = {0: "Dash flush with the key (“- ai” under “tags:”)", 2: "Dash indented two spaces (“  - ai”)"}


@dataclass
class Preferences:
    preview_font_pt: int = 0  # 0: the system's font size
    list_indent: int = DEFAULT_SEQ_OFFSET  # a new list's dash indent, in files with no list to copy
    confirm_bulk: bool = True  # ask before a bulk operation writes

    @classmethod
    def load(cls, settings: QSettings) -> Preferences:
        def number(key: str, default: int) -> int:
            try:
                return int(str(settings.value(key, default)))
            except ValueError:
                return default

        indent = number("prefs/list_indent", DEFAULT_SEQ_OFFSET)
        return cls(
            preview_font_pt=max(0, min(number("prefs/preview_font_pt", 0), 48)),
            list_indent=indent if indent in INDENTS else DEFAULT_SEQ_OFFSET,
            confirm_bulk=str(settings.value("prefs/confirm_bulk", "true")).lower() not in ("false", "0"),
        )

    def save(self, settings: QSettings) -> None:
        settings.setValue("prefs/preview_font_pt", self.preview_font_pt)
        settings.setValue("prefs/list_indent", self.list_indent)
        settings.setValue("prefs/confirm_bulk", self.confirm_bulk)
        settings.sync()


class PreferencesDialog(QDialog):
    """Edits a copy of the preferences; ``result_preferences()`` after OK."""

    def __init__(self, prefs: Preferences, system_pt: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        self.font_size = named(QSpinBox(), "prefPreviewFontSize", "Preview font size in points")
        self.font_size.setRange(6, 48)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(prefs.preview_font_pt or system_pt)
        self._system_pt = system_pt
        self.indent = named_combo(QComboBox(), "prefListIndent", "Indentation of new lists")
        for offset, label in INDENTS.items():
            self.indent.addItem(label, offset)
        self.indent.setCurrentIndex(self.indent.findData(prefs.list_indent))
        self.confirm = named(
            QCheckBox("Ask before a bulk operation writes files"), "prefConfirmBulk", "Ask before bulk operations"
        )
        self.confirm.setChecked(prefs.confirm_bulk)
        note = QLabel("A file that already has a list keeps its own indentation; this is for files without one.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.setObjectName("preferencesButtons")
        for button in buttons.buttons():
            named(button, f"preferences{button.text().replace('&', '')}", button.text().replace("&", ""))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Preview &font size:", self.font_size)
        form.addRow("New &lists:", self.indent)
        form.addRow(note)
        form.addRow(self.confirm)
        form.addRow(buttons)

    def result_preferences(self) -> Preferences:
        size = self.font_size.value()
        return Preferences(
            preview_font_pt=0 if size == self._system_pt else size,
            list_indent=int(self.indent.currentData()),
            confirm_bulk=self.confirm.isChecked(),
        )
