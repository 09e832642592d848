"""The window's small dialogs: Preferences, Keyboard Shortcuts, About."""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QSettings, qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMessageBox

from masthead import __version__
from masthead.ui.preferences import Preferences, PreferencesDialog
from masthead.ui.shortcuts import ShortcutsDialog

if TYPE_CHECKING:
    from masthead.ui.form import FormPane
    from masthead.ui.preview import PreviewPane


class WindowDialogs(QMainWindow if TYPE_CHECKING else object):  # type: ignore[misc]
    """A mixin of MainWindow."""

    settings: QSettings
    prefs: Preferences
    preview: PreviewPane
    form: FormPane
    acts: dict[str, QAction]

    def apply_preferences(self) -> None:
        self.preview.set_font_size(self.prefs.preview_font_pt)
        self.form.list_indent = self.prefs.list_indent

    def show_preferences(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self.prefs, self.font().pointSize(), self)
        dialog.accepted.connect(self._on_preferences_accepted)
        dialog.open()
        return dialog

    def _on_preferences_accepted(self) -> None:
        dialog = self.sender()
        if isinstance(dialog, PreferencesDialog):
            self.prefs = dialog.result_preferences()
            self.prefs.save(self.settings)
            self.apply_preferences()

    def show_shortcuts(self) -> ShortcutsDialog:
        """Built from the action table (and the taxonomy toggle), so the sheet is always right."""
        dialog = ShortcutsDialog(self.findChildren(QAction), self)
        dialog.open()
        return dialog

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle("About Masthead")
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setText(f"<h3>Masthead {__version__}</h3>")
        box.setInformativeText(
            "<p>Edit the front matter of a Markdown archive without damaging a byte.</p>"
            f"<p>Qt {qVersion()}, PySide6 {PySide6.__version__}, Python {platform.python_version()}</p>"
        )
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.open()
        return box
