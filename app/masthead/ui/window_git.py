"""The window's git features (a mixin of MainWindow): the Git column and status bar, Commit…, Pull, Push,
History, and the merge driver's setup offer. The git controller runs every git command off this thread."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QProgressBar, QPushButton

from masthead.core.git_commits import commits_back
from masthead.core.git_commits import message as commit_message
from masthead.core.operations import PublishEdit
from masthead.ui.commit_dialog import CommitDialog
from masthead.ui.git_controller import GitController
from masthead.ui.git_history_dialog import GitHistoryDialog
from masthead.ui.models import Column
from masthead.ui.widgets import named

if TYPE_CHECKING:
    from masthead.ui.archive_controller import ArchiveController
    from masthead.ui.browser import BrowserPane
    from masthead.ui.bulk_controller import BulkController
    from masthead.ui.documents_proxy import DocumentsProxy
    from masthead.ui.form import FormPane
    from masthead.ui.models import DocumentsModel

PERCENT = re.compile(r"(\d{1,3})%")
GIT_ACTIONS = ("gitCommit", "gitPull", "gitPush", "gitFileHistory", "gitSetup", "gitResolve")


def offer_key(root: Path) -> str:
    """The setting that remembers the merge driver was offered for this repository."""
    return "git/offered/" + hashlib.sha1(str(root).encode("utf-8")).hexdigest()[:16]


class WindowGit(QMainWindow if TYPE_CHECKING else object):  # type: ignore[misc]
    """A mixin of MainWindow."""

    settings: QSettings
    archive: ArchiveController
    model: DocumentsModel
    proxy: DocumentsProxy
    browser: BrowserPane
    bulk: BulkController
    form: FormPane
    acts: dict[str, QAction]
    current: str | None
    show_preview: Callable[[], None]  # WindowCurrent's

    def build_git(self) -> None:
        self.git = GitController(self)
        self.git_label = named(QLabel(""), "gitStatus", "Git status")
        self.git_stop = named(QPushButton("Stop"), "gitStop", "Stop the pull or push")
        self.git_stop.hide()
        self.git_progress = named(QProgressBar(), "gitProgress", "Progress of the pull or push")
        self.git_progress.setMaximumWidth(160)
        self.git_progress.hide()
        self.git_stop.clicked.connect(self.git.cancel)
        self.statusBar().addPermanentWidget(self.git_label)
        self.statusBar().addPermanentWidget(self.git_progress)
        self.statusBar().addPermanentWidget(self.git_stop)
        self.git.changed.connect(self._on_git_changed)
        self.git.progress.connect(self._on_git_progress)
        self.git.finished.connect(self._on_git_finished)
        self.git.busy_changed.connect(self._on_git_busy)
        self.archive.changed.connect(self.git.refresh)
        self.bulk.published.connect(self.commit_published)
        self.bulk.journal_ran.connect(self.offer_commit_back)
        self.commit_back_box: QMessageBox | None = None
        self._publishing: set[str] = set()  # files whose Publish on screen is being saved
        self._published_here: set[str] = set()  # files whose Publish on screen was committed
        self.acts["publish"].triggered.connect(lambda: self._publishing.add(self.current) if self.current else None)
        self.form.saved.connect(self._after_save)
        self.form.controller.resolution_saved.connect(self._stage_resolved)
        self.proxy.git_refilter.connect(self.browser.apply_filters)
        self._git_offered: Path | None = None
        self.commit_dialog: CommitDialog | None = None
        self._on_git_changed()

    # ------------------------------------------------------------------ state
    def _on_git_changed(self) -> None:
        git = self.git
        on = git.available
        for name in GIT_ACTIONS:
            action = self.acts[name]
            action.setEnabled(on and git.running is None)
            action.setToolTip("" if on else git.reason)
        appears = on and self.table.isColumnHidden(Column.GIT)
        self.table.setColumnHidden(Column.GIT, not on)
        if appears:  # beside the draft state, where it is seen without scrolling
            header = self.table.horizontalHeader()
            header.moveSection(header.visualIndex(Column.GIT), header.visualIndex(Column.STATE) + 1)
            header.resizeSection(Column.GIT, 86)
        if on and git.repo is not None and git.repo.root != self._git_offered:
            self._git_offered = git.repo.root
            self.offer_git_setup()
        if on:
            self.git_label.setText(f"⎇ {git.status.summary()}")
            self.git_label.setToolTip(f"git repository: {git.repo.root if git.repo else ''}")
        else:
            self.git_label.setText("")
            self.git_label.setToolTip(git.reason)
        self.show_head_diff()
        moved = self.model.set_git_states({k: v.state for k, v in git.status.files.items()}, git.status.tracked)
        if moved:
            self.proxy.git_changed(moved)

    def on_file_shown(self) -> None:
        """A file was loaded into the form: its diff against the last commit; a conflict is shown to resolve."""
        self.show_head_diff()
        if self.current and self.git.state_of(self.current) == "conflict":
            self.resolve_conflict()

    def resolve_conflict(self) -> None:
        """The file on screen is in conflict: the form shows the merge, with our value and theirs for each key
        both sides changed (its merge bar); saving writes the file and stages it."""
        rel, root = self.current, self.archive.root
        controller = self.form.controller
        if rel is None or root is None or self.git.state_of(rel) != "conflict" or controller.resolving is not None:
            return

        def found(result: Any, error: BaseException | None) -> None:
            if rel != self.current or self.form.dirty:
                return  # another file is shown, or the user edits: nothing is replaced under them
            if result is None:
                self.statusBar().showMessage(f"{rel}: {error}", 8000)
            elif result.fallback is not None or not result.document.editable:
                why = result.fallback or result.document.error or result.document.readonly_reason
                self.statusBar().showMessage(f"{rel} cannot be merged field by field ({why}): finish it in an editor")
            else:
                self.form.controller.begin_resolution(result, root, rel)
                self.show_preview()  # the merged transcript, not the conflicted file's parse error

        self.git.conflicts(rel, controller.list_indent, found)

    def _stage_resolved(self, rel: str) -> None:
        """The resolved file was saved: stage it (git add), unless it still holds conflict markers."""

        def done(_r: object, error: BaseException | None) -> None:
            if error is not None:
                self.statusBar().showMessage(str(error), 12000)
            else:
                self.statusBar().showMessage(f"Resolved {rel} and staged it: commit to finish the merge", 8000)
            self.git.refresh()

        self.git.stage_resolved(rel, done)

    def show_head_diff(self) -> None:
        """The YAML tab's diff against the last commit, for the file on screen (read off this thread)."""
        rel = self.current
        if rel is None:
            return
        if not self.git.available or self.git.state_of(rel) in ("clean", ""):
            self.form.set_head_diff(rel, None)
            return
        self.git.diff(rel, lambda text: self.form.set_head_diff(rel, text) if rel == self.current else None)

    def _on_git_progress(self, line: str) -> None:
        """git's progress line in the status bar; its percentage (of the current phase) in the bar."""
        self.statusBar().showMessage(line, 4000)
        found = PERCENT.search(line)
        if found:
            self.git_progress.setRange(0, 100)
            self.git_progress.setValue(int(found.group(1)))

    def _on_git_busy(self, busy: bool) -> None:
        remote = busy and self.git.running in ("pull", "push")
        self.git_stop.setVisible(remote)
        self.git_progress.setRange(0, 0)  # busy until git reports a percentage
        self.git_progress.setVisible(remote)
        self._on_git_changed()

    def _on_git_finished(self, operation: str, ok: bool, text: str) -> None:
        dialog = self.commit_dialog
        if operation == "commit" and dialog is not None:
            if ok:
                dialog.accept()
                self.commit_dialog = None
            else:
                dialog.show_error(text)
                return
        if ok:
            self.statusBar().showMessage(text, 8000)
            if operation == "pull":
                self.archive.refresh(None)  # what the pull changed is read again
            return
        box = QMessageBox(QMessageBox.Icon.Warning, f"git {operation}", text.split("\n\n")[0], parent=self)
        box.setObjectName("gitErrorBox")
        if "\n\n" in text:
            box.setDetailedText(text.split("\n\n", 1)[1])
        box.open()
        if operation == "pull":
            self.archive.refresh(None)

    # ------------------------------------------------------------------ actions
    def git_commit(self) -> CommitDialog | None:
        git = self.git
        if not git.available or git.running is not None:
            return None
        changed = [(rel, git.status.files[rel].state) for rel in git.status.changed]
        if not changed:
            self.statusBar().showMessage("Nothing to commit: no file changed since the last commit", 6000)
            return None
        chosen = set(self.browser.selected_paths()) & {rel for rel, _ in changed}
        ticked = chosen or {rel for rel, _ in changed}
        settings = self.archive.schema.git

        def message(paths: list[str]) -> str:
            titles = {p: r.title for p in paths if (r := self._record(p)) is not None}
            return commit_message(settings, None, paths, titles)

        dialog = CommitDialog(changed, ticked, message, git.diff, settings.push_after_commit, self)
        dialog.commit_requested.connect(lambda paths, text, push: git.commit(paths, text, push))
        dialog.finished.connect(
            lambda _r: setattr(self, "commit_dialog", None) if self.commit_dialog is dialog else None
        )
        self.commit_dialog = dialog
        dialog.open()
        return dialog

    def commit_published(self, rels: list[str], edit: Any) -> None:
        """With ``commit_on_publish``, a publish commits exactly the files it changed, as one commit."""
        settings = self.archive.schema.git
        if not settings.commit_on_publish or not self.git.available or not rels:
            return
        titles = {p: r.title for p in rels if (r := self._record(p)) is not None}
        self.git.commit(rels, commit_message(settings, edit, rels, titles), settings.push_after_commit)

    def offer_commit_back(self, description: str, rels: list[str], edit: Any, undoing: bool) -> None:
        """An undo (or redo) of a publish made with ``commit_on_publish``: offer to commit it as a new commit
        (the publish's commit stays in the history; nothing is rewritten)."""
        settings = self.archive.schema.git
        if not rels or not self.git.available or not commits_back(settings, edit):
            return
        titles = {p: r.title for p in rels if (r := self._record(p)) is not None}
        text = commit_message(settings, edit, rels, titles, undo=undoing)
        verb = "Undid" if undoing else "Redid"
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Commit",
            f"{verb} “{description}”, which was committed. Commit this too, as a new commit?",
            parent=self,
        )
        box.setObjectName("commitBackBox")
        box.setInformativeText(f"{len(rels):,} file(s), message “{text}”. The earlier commit stays in the history.")
        commit = box.addButton("&Commit", QMessageBox.ButtonRole.AcceptRole)
        commit.setObjectName("commitBackButton")
        box.addButton("&Not Now", QMessageBox.ButtonRole.RejectRole).setObjectName("commitBackLater")
        box.setDefaultButton(commit)
        box.accepted.connect(lambda: self._commit_back(rels, text))
        box.open()
        self.commit_back_box = box

    def _commit_back(self, rels: list[str], text: str) -> None:
        if self.git.running is not None:
            self.statusBar().showMessage(f"Not committed: git is busy ({self.git.running}); use Commit… later", 8000)
            return
        self.git.commit(rels, text, self.archive.schema.git.push_after_commit)

    def _after_save(self, rel: str) -> None:
        """The Publish of the file on screen saved it: with ``commit_on_publish``, commit it."""
        if rel in self._publishing:
            self._publishing.discard(rel)
            if rel == self.current and not self.form.controller.is_draft():
                self.commit_published([rel], PublishEdit("publish"))
                self._published_here.add(rel)
        elif rel in self._published_here and rel == self.current and self.form.controller.is_draft():
            self._published_here.discard(rel)  # its publish was undone (Ctrl+Z) and saved
            self.offer_commit_back(f"Publish {rel}", [rel], PublishEdit("publish"), True)

    def git_pull(self) -> None:
        """Pull, but never over unsaved edits: save them first (or stop)."""
        if not self.git.available or self.git.running is not None:
            return
        if self.form.dirty:
            answer = QMessageBox.question(
                self,
                "Unsaved changes",
                f"A pull may change {self.current}, which has unsaved edits. Save them, then pull?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer != QMessageBox.StandardButton.Save:
                self.statusBar().showMessage("Not pulled: the file on screen has unsaved edits", 6000)
                return
            self.form.save(lambda ok: self.git.pull() if ok else None)
            return
        self.statusBar().showMessage("Pulling…")
        self.git.pull()

    def git_push(self) -> None:
        if self.git.available and self.git.running is None:
            self.statusBar().showMessage("Pushing…")
            self.git.push()

    def git_file_history(self) -> GitHistoryDialog | None:
        rel = self.current
        if rel is None or not self.git.available:
            self.statusBar().showMessage("Open a file to see its history", 5000)
            return None
        dialog = GitHistoryDialog(
            rel, self.git.view_version, lambda key, value: self._restore_value(rel, key, value), self
        )
        self.git.history(rel, lambda found, err: dialog.set_versions(found, str(err) if err else None))
        dialog.open()
        return dialog

    def _restore_value(self, rel: str, key: str, value: object) -> None:
        """A field's value from an older version, put in the form as an undoable edit (saved with Ctrl+S)."""
        if rel != self.current or self.form.doc is None or not self.form.doc.editable:
            self.statusBar().showMessage(f"{rel} is no longer the file on screen, or cannot be edited", 6000)
            return
        try:
            self.form.edit(key, value)
        except ValueError as exc:
            self.statusBar().showMessage(f"{key} could not be restored: {exc}", 8000)
            return
        self.statusBar().showMessage(f"Restored {key} from that version: save with Ctrl+S, undo with Ctrl+Z", 8000)

    def _record(self, rel: str) -> Any:
        index = self.archive.index
        return index.records.get(rel) if index is not None else None

    # ------------------------------------------------------------------ archive
    def git_open(self, root: Path) -> None:
        self.git.open(root)

    def git_close(self) -> None:
        self.git.close()

    # ------------------------------------------------------------------ the merge driver
    def git_setup(self) -> QMessageBox | None:
        """Explain what setting up the merge driver writes, and write it when the user agrees."""
        if not self.git.available:
            return None

        def planned(plan: Any, error: BaseException | None) -> None:
            if plan is None:
                QMessageBox.warning(self, "Git setup", str(error))
                return
            box = QMessageBox(QMessageBox.Icon.Question, "Merge front matter by key", plan.describe(), parent=self)
            box.setObjectName("gitSetupBox")
            if plan.needed:
                box.setInformativeText(
                    "Then, when two editors changed the same file, git takes each side's keys, merges lists as "
                    "sets, and marks only a value both changed."
                )
                box.addButton("Set Up", QMessageBox.ButtonRole.AcceptRole)
                box.addButton(QMessageBox.StandardButton.Cancel)
                box.accepted.connect(lambda: self._apply_setup(plan))
            else:
                box.addButton(QMessageBox.StandardButton.Ok)
            box.open()
            self._setup_box = box

        self.git.plan_setup(planned)
        return None

    def _apply_setup(self, plan: Any) -> None:
        def done(_r: object, error: BaseException | None) -> None:
            text = f"Git setup failed: {error}" if error else "git now merges front matter key by key here"
            self.statusBar().showMessage(text, 8000)
            self.git.refresh()

        self.git.apply_setup(plan, done)

    def offer_git_setup(self) -> None:
        """Once per repository: offer the merge driver when it is not set up."""
        repo = self.git.repo
        if repo is None:
            return
        key = offer_key(repo.root)
        if self.settings.value(key, False, type=bool):
            return

        def checked(ready: bool | None, _e: BaseException | None) -> None:
            if ready is False and self.git.repo == repo:
                self.settings.setValue(key, True)
                self.git_setup()

        self.git.is_set_up(checked)
