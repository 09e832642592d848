"""Bulk operations from the window: which files they target, launching their dialogs, running a journal's
undo/redo off the GUI thread (as steps of the window's one undo history) and offering to finish an
operation a crash interrupted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from masthead.core import bulk
from masthead.core.errors import MastheadError
from masthead.core.git_commits import journal_edit
from masthead.core.journal import journal_info
from masthead.core.operations import Edit, PublishEdit
from masthead.core.records import CHOICE_FIELDS
from masthead.core.schema import Kind
from masthead.core.wording import plural
from masthead.ui.bulk_dialog import BulkTagDialog, OperationDialog, SetFieldDialog
from masthead.ui.conflict_controller import take_disk_change
from masthead.ui.history_dialog import HistoryDialog
from masthead.ui.key_dialog import KeyDialog
from masthead.ui.replace_dialog import ReplaceDialog
from masthead.ui.tasks import run_in_background
from masthead.ui.undo_history import BulkStep, UndoHistory, confirm_text
from masthead.ui.writer import writer

if TYPE_CHECKING:
    from masthead.ui.main_window import MainWindow

D = TypeVar("D", bound=OperationDialog)
F = TypeVar("F", ReplaceDialog, KeyDialog)
SET_FIELD_FIRST = ("category", "status", "area", "series", "layout", "speaker")  # single-value fields people set


class BulkController(QObject):
    """Owned by the window; ``done(rels, message)`` after files were rewritten."""

    done = Signal(list, str)  # same-thread signal: changed rels, status message
    published = Signal(list, object)  # a publish or unpublish operation changed these rels (the edit)
    journal_ran = Signal(str, list, object, bool)  # an undo/redo: description, changed rels, its edit, undoing

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.history = UndoHistory(self._run_step, self._confirm, self)
        self.running = False
        self.recovery_box: QMessageBox | None = None

    # ------------------------------------------------------------------ targets
    def from_selection(self) -> bool:
        """Whether ``targets`` are the selected files (several selected) rather than the files shown."""
        return len(self.window.selected_paths()) > 1

    def targets(self) -> list[str]:
        """The selected files when several are selected, else every file the browser shows."""
        selected = self.window.selected_paths()
        return selected if len(selected) > 1 else self.window.shown_paths()

    def _search_running(self) -> bool:
        """True (and the editor is told) when the shown files would be the targets while a search is still being
        answered: they are the last search's, not this one's (a trial nearly tagged 9,700 files for 3,051)."""
        if len(self.window.selected_paths()) > 1 or not self.window.browser.pending:
            return False
        QMessageBox.information(
            self.window,
            "The search is still running",
            "The files shown are still the last search's. Try again once the count shows this search's result "
            "(or select the files to act on).",
        )
        return True

    # ------------------------------------------------------------------ dialogs
    def open_operation(
        self,
        rels: list[str],
        make_edit: Callable[[], Edit | None],
        title: str,
        editor: QWidget | None = None,
        verb: str = "Apply to",
    ) -> OperationDialog | None:
        root = self.window.archive.root
        if root is None:
            return None
        dialog = OperationDialog(root, rels, make_edit, self.window.unsaved_paths, title, self.window, editor, verb)
        return self._launch(dialog)

    def _launch(self, dialog: D) -> D:
        if len(self.window.selected_paths()) <= 1:  # the files shown, not a selection: say so
            dialog.summary.setText(dialog.summary.text().replace(" selected.", " shown."))
        dialog.confirm = self.window.prefs.confirm_bulk
        dialog.list_indent = self.window.prefs.list_indent
        dialog.applied.connect(self._on_applied)
        dialog.finished_work.connect(self.window.close_if_asked)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # a closed dialog's plan holds every file's bytes
        dialog.open()
        return dialog

    def publish(self, unpublishing: bool = False) -> OperationDialog | None:
        if self.window.archive.root is None or self._search_running():
            return None
        edit = PublishEdit("unpublish" if unpublishing else "publish", dt.date.today())
        verb = "Unpublish" if unpublishing else "Publish"
        rels = self.targets()
        return self.open_operation(rels, lambda: edit, f"{verb} {plural(len(rels), 'file')}", verb=verb)

    def tag(self) -> BulkTagDialog | None:
        root = self.window.archive.root
        if root is None or self._search_running():
            return None
        schema = self.window.archive.schema
        fields = [f.name for f in schema.fields.values() if f.kind in (Kind.TAGS, Kind.ENTITIES)]
        fields += sorted(f for f in self.window.archive.vocab.lists if f not in fields)
        dialog = BulkTagDialog(
            root,
            self.targets(),
            fields or ["tags"],
            self.window.vocabulary,
            self.window.unsaved_paths,
            self.window,
            from_selection=self.from_selection(),
        )
        return self._launch(dialog)

    def set_field(self) -> SetFieldDialog | None:
        """Set or clear a single-value field; the first offered is a choice field (category, status…)."""
        root = self.window.archive.root
        if root is None or self._search_running():
            return None
        schema = self.window.archive.schema
        declared = [n for n, rule in schema.fields.items() if rule.kind in (Kind.CHOICE, Kind.TEXT)]
        choices = [n for n, rule in schema.fields.items() if rule.kind == Kind.CHOICE]
        fields = [f for f in (*choices, *SET_FIELD_FIRST, *CHOICE_FIELDS) if f not in ("title",)]
        fields += [f for f in declared if f != "title"]
        fields = list(dict.fromkeys(fields)) + (["title"] if "title" in declared else [])
        window = self.window
        dialog = SetFieldDialog(
            root,
            self.targets(),
            fields,
            window.vocabulary,
            window.unsaved_paths,
            window,
            from_selection=self.from_selection(),
        )
        return self._launch(dialog)

    def field_names(self) -> list[str]:
        """Every field the schema declares, then every other key the archive uses."""
        index = self.window.archive.index
        used = {k for r in index.records.values() for k in r.meta} if index is not None else set()
        return list(dict.fromkeys([*self.window.archive.schema.fields, *sorted(used)]))

    def replace(self) -> ReplaceDialog | None:
        """Find and replace in fields: every field the schema declares or the archive uses is offered."""
        return self._fields_dialog(ReplaceDialog)

    def edit_keys(self) -> KeyDialog | None:
        """Copy, move, rename, split or join fields."""
        return self._fields_dialog(KeyDialog)

    def _fields_dialog(self, kind: type[F]) -> F | None:
        root = self.window.archive.root
        if root is None or self._search_running():
            return None
        dialog = kind(
            root,
            self.targets(),
            self.field_names(),
            self.window.unsaved_paths,
            self.window,
            from_selection=self.from_selection(),
        )
        return self._launch(dialog)

    def show_history(self) -> HistoryDialog | None:
        root = self.window.archive.root
        if root is None:
            return None
        dialog = HistoryDialog(root, self.run_journal, self.window, self._confirm_entry)
        dialog.open()
        return dialog

    def _on_applied(self, journal: str) -> None:
        dialog = self.sender()
        if not isinstance(dialog, OperationDialog) or dialog.plan is None or dialog.report is None:
            return
        description = dialog.plan.description
        self.history.record(journal, description, len(dialog.report.changed))
        self.done.emit(list(dialog.report.changed), f"Done: {description}")
        if isinstance(dialog.plan.edit, PublishEdit) and dialog.report.changed:
            self.published.emit(list(dialog.report.changed), dialog.plan.edit)

    # ------------------------------------------------------------------ undo / redo of a journal
    def _confirm(self, verb: str, step: BulkStep) -> bool:
        answer = QMessageBox.question(
            self.window,
            verb,
            confirm_text(verb, step, self.window.current is not None),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _confirm_entry(self, verb: str, description: str, files: int) -> bool:
        """The History dialog asks as Edit ▸ Undo does (it rewrote every file at once, unasked: a trial)."""
        return not self.history.ask or self._confirm(verb, BulkStep("", description, files, 0))

    def _run_step(self, step: BulkStep, undoing: bool) -> bool:
        return self.run_journal(step.journal, step.description, undoing)

    def run_journal(
        self, journal: str, description: str, undoing: bool, finished: Callable[[], Any] | None = None
    ) -> bool:
        """Undo (or redo) a bulk operation off the GUI thread; False if another one is running."""
        if self.running:
            return False
        self.running = True
        self.history.set_busy(True)
        self.window.statusBar().showMessage(f"{'Undoing' if undoing else 'Redoing'} {description}…")

        def done(ran: tuple[bulk.Report, Edit | None] | None, error: BaseException | None) -> None:
            report, edit = ran if ran is not None else (None, None)
            self.running = False
            self.window.close_if_asked()
            if report is not None:  # the operation moves to the other list (it may come from History)
                self.history.moved(journal, description, len(report.changed), undone=undoing)
            self.history.set_busy(False)
            if finished is not None:
                finished()
            if report is None:
                QMessageBox.warning(self.window, "Undo" if undoing else "Redo", f"{description}: {error}")
                return
            left = report.skipped + report.failed
            verb = "Undid" if undoing else "Redid"
            message = f"{verb} {description}: {plural(len(report.changed), 'file')}"
            if report.merged:
                message += f" ({len(report.merged):,} around changes made since)"
            message += self._onto_unsaved(report.changed, f"the {'undo' if undoing else 'redo'} of {description}")
            if left:
                message += f"; {len(left):,} left alone"
                QMessageBox.information(
                    self.window, verb, message + ":\n" + "\n".join(f"{rel}: {why}" for rel, why in left[:20])
                )
            self.done.emit(list(report.changed), message)
            self.journal_ran.emit(description, list(report.changed), edit, undoing)

        def work() -> tuple[bulk.Report, Edit | None]:
            report = (bulk.undo if undoing else bulk.redo)(Path(journal))
            try:
                edit = journal_edit(journal_info(Path(journal)))
            except MastheadError:
                edit = None
            return report, edit

        writer().submit(work, done, owner=self)
        return True

    def _onto_unsaved(self, changed: list[str], by: str) -> str:
        """The step rewrote the file on screen under unsaved edits: the form takes the new version with the
        edits on top (or shows the conflict if both changed a field). What to add to the status message."""
        window = self.window
        current = window.current
        if current is None or current not in changed or not window.form.dirty:
            return ""
        if take_disk_change(window.form.controller, by):
            return f"; your unsaved edits to {current} are kept on top"
        if window.form.controller.conflict is not None:
            return f"; {current} has unsaved edits of the same field: see the bar above the form"
        return f"; {current} changed on disk, your unsaved edits are kept"

    # ------------------------------------------------------------------ recovery
    def offer_recovery(self) -> None:
        """An operation interrupted by a crash or kill: offer to complete it or roll it back (the journal is
        read off the GUI thread)."""
        root = self.window.archive.root
        if root is None or self.recovery_box is not None:
            return

        def work() -> tuple[str, dict[str, Any]] | None:
            pending = bulk.unfinished(root)
            return (str(pending[0]), dict(bulk.journal_info(pending[0]))) if pending else None

        def done(found: tuple[str, dict[str, Any]] | None, error: BaseException | None) -> None:
            if found is not None and root == self.window.archive.root and self.recovery_box is None:
                self._ask_recovery(*found)

        run_in_background(work, done, self)

    def _ask_recovery(self, journal: str, entry: dict[str, Any]) -> None:
        box = QMessageBox(self.window)
        box.setObjectName("recoveryBox")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Interrupted operation")
        box.setText(
            f"“{entry['description']}” was interrupted before it finished ({plural(len(entry['files']), 'file')}). "
            "Every file is either as it was or as the operation left it."
        )
        box.setInformativeText("Complete it, or roll back the files it had already changed?")
        for text, name, role in (
            ("&Complete", "recoveryComplete", QMessageBox.ButtonRole.AcceptRole),
            ("&Roll Back", "recoveryRollBack", QMessageBox.ButtonRole.DestructiveRole),
            ("&Later", "recoveryLater", QMessageBox.ButtonRole.RejectRole),
        ):
            box.addButton(text, role).setObjectName(name)
        box.setProperty("journal", journal)
        box.setProperty("description", str(entry["description"]))
        box.buttonClicked.connect(self._on_recovery_choice)
        self.recovery_box = box
        box.open()

    def _on_recovery_choice(self, button: QAbstractButton) -> None:
        box = self.recovery_box
        self.recovery_box = None
        if box is None or button.objectName() == "recoveryLater":
            return
        self.run_journal(  # rolling back is undoing what was written; completing is redoing the rest
            str(box.property("journal")),
            str(box.property("description")),
            undoing=button.objectName() == "recoveryRollBack",
            finished=self._recovered,
        )

    def _recovered(self) -> None:
        QTimer.singleShot(0, self, self.offer_recovery)  # another one?
