"""Git ▸ File History…: the commits that changed the file on screen; each version's front matter and diff;
Restore This Value puts a field's value of that version into the form as an ordinary, undoable edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from masthead.core.git_ops import Version, VersionView
from masthead.core.values import as_text
from masthead.ui.widgets import named

VALUE_ROLE = Qt.ItemDataRole.UserRole + 1


class GitHistoryDialog(QDialog):
    def __init__(
        self,
        rel: str,
        view: Callable[[list[Version], int, Callable[[Any, BaseException | None], None]], None],
        restore: Callable[[str, object], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("gitHistoryDialog")
        self.setAccessibleName(f"History of {rel}")
        self.setWindowTitle(f"History of {rel}")
        self.resize(900, 620)
        self.rel, self._view, self._restore = rel, view, restore
        self.versions: list[Version] = []
        self.list = named(QListWidget(), "historyVersions", "Versions")
        self.fields = named(QTreeWidget(), "historyFields", "Front matter of this version")
        self.fields.setHeaderLabels(["Field", "Value"])
        self.fields.setRootIsDecorated(False)
        self.fields.setColumnWidth(0, 150)
        self.diff = named(QPlainTextEdit(), "historyDiff", "Changes in this version")
        self.diff.setReadOnly(True)
        self.diff.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.diff.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.note = named(QLabel("Reading the history…"), "historyNote", "History status")
        self.note.setWordWrap(True)
        right = named(QSplitter(Qt.Orientation.Vertical), "historyRight", "Version")
        right.addWidget(self.fields)
        right.addWidget(self.diff)
        split = named(QSplitter(Qt.Orientation.Horizontal), "historySplitter", "Versions and contents")
        split.addWidget(self.list)
        split.addWidget(right)
        split.setSizes([320, 580])
        self.buttons = named(QDialogButtonBox(QDialogButtonBox.StandardButton.Close), "historyButtons", "Close")
        self.restore_button = self.buttons.addButton("&Restore This Value", QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setObjectName("restoreValue")
        self.restore_button.setAccessibleName("Restore this version's value of the selected field")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)
        self.list.currentRowChanged.connect(self._show)
        self.fields.currentItemChanged.connect(lambda item, _old: self.restore_button.setEnabled(item is not None))
        self.fields.itemActivated.connect(lambda _item, _col: self.restore_selected())

    def set_versions(self, versions: list[Version] | None, error: str | None = None) -> None:
        self.versions = versions or []
        if error or not self.versions:
            self.note.setText(error or f"{self.rel} has no commits yet.")
            return
        self.note.setText(f"{len(self.versions)} commit(s) changed {self.rel}. Pick a field and Restore This Value.")
        for v in self.versions:
            when = dt.datetime.fromtimestamp(v.when).strftime("%Y-%m-%d %H:%M")
            item = QListWidgetItem(f"{when}  {v.author}\n{v.subject}")
            item.setToolTip(f"{v.commit}\n{v.path}")
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.setFocus()

    def _show(self, row: int) -> None:
        self.fields.clear()
        self.diff.clear()
        if row < 0:
            return

        def done(view: VersionView | None, error: BaseException | None) -> None:
            if self.list.currentRow() != row:
                return
            if view is None:
                self.diff.setPlainText(str(error))
                return
            if view.error:
                self.fields.addTopLevelItem(QTreeWidgetItem(["(cannot be read)", view.error]))
            for key, value in view.data.items():
                item = QTreeWidgetItem([key, as_text(value)])
                item.setData(0, VALUE_ROLE, value)
                item.setToolTip(1, as_text(value))
                self.fields.addTopLevelItem(item)
            self.diff.setPlainText(view.diff or "(no change to the file's text)")

        self._view(self.versions, row, done)

    def restore_selected(self) -> None:
        item = self.fields.currentItem()
        if item is None or (item.data(0, VALUE_ROLE) is None and item.text(0).startswith("(")):
            return
        self._restore(item.text(0), item.data(0, VALUE_ROLE))
