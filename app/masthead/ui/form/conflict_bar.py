"""The bar shown when the file on disk no longer matches what was read: changed by another program, or
deleted / moved while it had unsaved edits. Its words say what each button does to which version."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QFrame, QLabel, QMessageBox, QPushButton, QTextEdit, QVBoxLayout, QWidget

from masthead.ui.document_controller import DocumentController
from masthead.ui.flow_layout import FlowLayout
from masthead.ui.theme import notice_style
from masthead.ui.widgets import named


class ConflictBar(QFrame):
    def __init__(self, controller: DocumentController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("conflictBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(f"#conflictBar {{ {notice_style()} }}")
        self.label = named(QLabel(""), "conflictMessage", "Conflict")
        self.label.setWordWrap(True)
        self.reload_button = named(
            QPushButton("Reload theirs (discard my edits)"), "conflictReload", "Reload from disk"
        )
        self.keep_button = named(QPushButton("Keep mine…"), "conflictKeepMine", "Keep my version")
        self.merge_button = named(QPushButton("Merge both"), "conflictMerge", "Merge both changes")
        self.save_as_button = named(QPushButton("Save As…"), "conflictSaveAs", "Save my version as a new file")
        self.save_again_button = named(
            QPushButton("Save Again (recreate the file)"), "conflictSaveAgain", "Recreate the file with my version"
        )
        self.discard_button = named(QPushButton("Discard my edits"), "conflictDiscard", "Discard my edits")
        self.reload_button.clicked.connect(self._reload)
        self.keep_button.clicked.connect(self._keep_mine)
        self.merge_button.clicked.connect(self._merge)
        self.save_as_button.clicked.connect(self._save_as)
        self.save_again_button.clicked.connect(self._save_again)
        self.discard_button.clicked.connect(self._discard)
        self.changed_buttons = (self.reload_button, self.keep_button, self.merge_button)
        self.vanished_buttons = (self.save_as_button, self.save_again_button, self.discard_button)
        row = FlowLayout(spacing=6)  # the buttons wrap: in a row they widened the form pane when the bar came
        for button in (*self.changed_buttons, *self.vanished_buttons):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addLayout(row)
        controller.conflict_found.connect(self.show_conflict)
        controller.document_changed.connect(self.hide)
        controller.saved.connect(self._on_saved)
        controller.reloaded.connect(self._on_saved)
        self.hide()

    def _on_saved(self, _rel: str) -> None:
        if self.controller.conflict is None:
            self.hide()

    def show_conflict(self) -> None:
        conflict, name = self.controller.conflict, self.controller.rel or "This file"
        if conflict is None:
            self.hide()
            return
        vanished = conflict.kind == "vanished"
        if vanished:
            text = (
                f"{name} was deleted or moved by another program. Your unsaved edits are still here: "
                "save them as a new file, save them again where the file was, or discard them."
            )
        elif conflict.kind == "unreadable":
            text = (
                f"{name} was changed by another program and can no longer be read as front matter. "
                "Keep mine puts your front matter in place of theirs (the rest of the file stays as it is now); "
                "Reload shows it as it is now."
            )
        elif conflict.overlap:
            fields = ", ".join(f"“{k}”" for k in sorted(conflict.overlap))
            others = ", ".join(f"“{k}”" for k in sorted(conflict.theirs))
            also = f" They also changed {others}, which Keep mine keeps as they wrote it." if others else ""
            text = (
                f"{name} was changed by {conflict.by} since you opened it, and both of you changed {fields}. "
                f"Choose which version to keep.{also}"
            )
        else:
            text = (
                f"{name} was changed by {conflict.by} since you opened it. Your edits and theirs touch "
                "different fields: Merge both keeps both."
            )
        self.label.setText(text)
        for button in self.changed_buttons:
            button.setVisible(not vanished)
        for button in self.vanished_buttons:
            button.setVisible(vanished)
        self.merge_button.setEnabled(conflict.kind == "changed" and not conflict.overlap)
        self.show()

    def _reload(self) -> None:
        self.hide()
        self.controller.reload_from_disk()

    def _keep_mine(self) -> None:
        diff = self.controller.disk_diff()
        conflict = self.controller.conflict
        what = (
            "Their front matter cannot be read: yours takes its place, and the rest of the file stays as it is now."
            if conflict is not None and conflict.kind == "unreadable"
            else "Where you both changed a field, yours is kept and theirs is lost; their changes to other fields stay."
        )
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Keep my version",
            f"Write your edits over the file on disk? {what} Show Details lists every line that changes.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("keepMineBox")
        box.setDetailedText(diff or "")
        for details in box.findChildren(QTextEdit):  # (Qt's is four lines high: too small to read a diff)
            details.setMinimumSize(560, 260)
        if box.exec() == QMessageBox.StandardButton.Yes:
            self.controller.keep_mine()

    def _merge(self) -> None:
        self.hide()
        self.controller.merge_with_disk()

    def _save_as(self) -> None:
        doc = self.controller.doc
        start = str(doc.path) if doc is not None and doc.path is not None else ""
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save my version as",
            start,
            "Markdown (*.md);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,  # an existing file is refused, never replaced
        )
        if name:
            self.controller.save_as(Path(name))

    def _save_again(self) -> None:
        self.controller.save_again()

    def _discard(self) -> None:
        self.hide()
        self.controller.discard()
