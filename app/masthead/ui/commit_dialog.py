"""Git ▸ Commit…: the changed files with check boxes, the diff of the one selected, a message, Commit.
git's refusals (a hook, a missing identity) are shown in the dialog as git wrote them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from masthead.ui import git_badges
from masthead.ui.widgets import named


class CommitDialog(QDialog):
    """``commit_requested(paths, message, push)`` asks the window's git controller to commit."""

    commit_requested = Signal(list, str, bool)

    def __init__(
        self,
        changed: Sequence[tuple[str, str]],
        ticked: set[str],
        message: Callable[[list[str]], str],
        diff_of: Callable[[str, Callable[[str], None]], None],
        push: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("commitDialog")
        self.setAccessibleName("Commit")
        self.setWindowTitle("Commit")
        self.resize(820, 600)
        self._message_for, self._diff_of = message, diff_of
        self._edited = False  # the user typed a message: ticking files no longer rewrites it
        self.files = named(QListWidget(), "commitFiles", "Changed files")
        for rel, state in changed:
            item = QListWidgetItem(f"{rel}    {git_badges.LABELS.get(state, state)}")
            item.setData(Qt.ItemDataRole.UserRole, rel)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if rel in ticked else Qt.CheckState.Unchecked)
            found = git_badges.icon(state)
            if found is not None:
                item.setIcon(found)
            self.files.addItem(item)
        self.diff = named(QPlainTextEdit(), "commitDiff", "Diff of the selected file")
        self.diff.setReadOnly(True)
        self.diff.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.diff.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.message = named(QPlainTextEdit(), "commitMessage", "Commit message")
        self.message.setMaximumHeight(90)
        self.push = named(QCheckBox("&Push after committing"), "commitPush", "Push after committing")
        self.push.setChecked(push)
        self.error = named(QPlainTextEdit(), "commitError", "What git said")
        self.error.setReadOnly(True)
        self.error.setMaximumHeight(120)
        self.error.hide()
        self.buttons = named(QDialogButtonBox(), "commitButtons", "Commit or cancel")
        self.commit_button = self.buttons.addButton("&Commit", QDialogButtonBox.ButtonRole.AcceptRole)
        self.commit_button.setObjectName("commitButton")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._commit)
        self.buttons.rejected.connect(self.reject)
        split = named(QSplitter(Qt.Orientation.Horizontal), "commitSplitter", "Files and diff")
        split.addWidget(self.files)
        split.addWidget(self.diff)
        split.setSizes([300, 520])
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Files changed since the last commit (ticked ones are committed):"))
        layout.addWidget(split, 1)
        label = QLabel("&Message:")
        label.setBuddy(self.message)
        layout.addWidget(label)
        layout.addWidget(self.message)
        layout.addWidget(self.push)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.files.currentItemChanged.connect(self._show_diff)
        self.files.itemChanged.connect(self._ticks_changed)
        self.message.textChanged.connect(self._typed)
        self._fill_message()
        self.files.setCurrentRow(next((i for i in range(self.files.count()) if self._ticked(i)), 0))
        self.files.setFocus()

    def _ticked(self, row: int) -> bool:
        return self.files.item(row).checkState() == Qt.CheckState.Checked

    def paths(self) -> list[str]:
        return [self.files.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.files.count()) if self._ticked(i)]

    def _fill_message(self) -> None:
        paths = self.paths()
        self.message.blockSignals(True)
        self.message.setPlainText(self._message_for(paths) if paths else "")
        self.message.blockSignals(False)
        self.commit_button.setEnabled(bool(paths))

    def _typed(self) -> None:
        self._edited = True

    def _ticks_changed(self) -> None:
        if not self._edited:
            self._fill_message()
        self.commit_button.setEnabled(bool(self.paths()))

    def _show_diff(self, item: QListWidgetItem | None) -> None:
        if item is None:
            self.diff.clear()
            return
        rel = item.data(Qt.ItemDataRole.UserRole)
        self.diff.setPlainText("Reading…")

        def show(text: str) -> None:
            current = self.files.currentItem()
            if current is not None and current.data(Qt.ItemDataRole.UserRole) == rel:
                self.diff.setPlainText(text or "(no difference)")

        self._diff_of(rel, show)

    def _commit(self) -> None:
        paths, text = self.paths(), self.message.toPlainText().strip()
        if not paths or not text:
            self.show_error("Tick at least one file and write a message." if text else "Write a commit message.")
            return
        self.setEnabled(False)
        self.commit_requested.emit(paths, text, self.push.isChecked())

    def show_error(self, text: str) -> None:
        """git refused: show what it said, keep the dialog (and the message) for another try."""
        self.setEnabled(True)
        self.error.setPlainText(text)
        self.error.show()
