"""The main window: archive browser on the left, front matter in the middle, transcript preview on the
right. Layout and wiring only: the archive, the bulk operations and the undo history live in controllers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QFileDialog, QMainWindow, QMessageBox, QSplitter

from masthead.core.sample import install_sample
from masthead.core.workflow import Schema
from masthead.ui import actions as action_table
from masthead.ui.archive_controller import ArchiveController
from masthead.ui.browser import BrowserPane
from masthead.ui.bulk_controller import BulkController
from masthead.ui.bulk_dialog import BulkTagDialog, OperationDialog, SetFieldDialog
from masthead.ui.form import FormPane
from masthead.ui.history_dialog import HistoryDialog
from masthead.ui.key_dialog import KeyDialog
from masthead.ui.preferences import Preferences
from masthead.ui.preview import PreviewPane
from masthead.ui.replace_dialog import ReplaceDialog
from masthead.ui.taxonomy import TaxonomyPanel
from masthead.ui.undo_history import UndoKeys
from masthead.ui.widgets import named
from masthead.ui.window_current import WindowCurrentFile
from masthead.ui.window_dialogs import WindowDialogs
from masthead.ui.window_git import WindowGit
from masthead.ui.window_grid import WindowGrid
from masthead.ui.window_settings import WindowSettings


class MainWindow(WindowCurrentFile, WindowDialogs, WindowGit, WindowGrid, WindowSettings, QMainWindow):
    """One archive at a time; every view is fed from the archive controller's models."""

    archive_loaded = Signal()
    records_changed = Signal()

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings or QSettings("Masthead", "Masthead")
        self.current: str | None = None
        self._close_when_done = False  # closing waits for a running bulk operation
        self.archive = ArchiveController(self)
        self.model, self.folders = self.archive.model, self.archive.folders
        self.browser = BrowserPane(self.model, self.folders)
        self.proxy, self.table, self.search = self.browser.proxy, self.browser.table, self.browser.search
        self.folder_view, self.count_label = self.browser.folder_view, self.browser.count_label
        self.quick_buttons, self.search_error = self.browser.quick_buttons, self.browser.search_error
        self._search_timer = self.browser.search_timer
        self.browser.body = self._body
        self.browser.text_search = self.archive.text_search
        self.form = FormPane()
        self.preview = PreviewPane()
        self.splitter = named(QSplitter(Qt.Orientation.Horizontal), "mainSplitter", "Panes")
        for widget in (self.browser, self.form, self.preview):
            self.splitter.addWidget(widget)
        self.splitter.setSizes([430, 400, 450])
        self.setCentralWidget(self.splitter)
        self.browser_splitter = self.browser.splitter
        self.taxonomy = TaxonomyPanel(self)
        self.taxonomy_dock = QDockWidget("Taxonomy", self)
        self.taxonomy_dock.setObjectName("taxonomyDock")
        self.taxonomy_dock.setAccessibleName("Taxonomy")
        self.taxonomy_dock.setWidget(self.taxonomy)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.taxonomy_dock)
        self.taxonomy_dock.hide()
        self.bulk = BulkController(self)
        self.history = self.bulk.history
        self.build_status_bar()
        self.build_grid()
        self.prefs = Preferences.load(self.settings)
        self._build_actions()
        self.build_git()
        self._wire()
        self.set_bulk_enabled(False)  # no archive yet
        self.apply_preferences()
        self.restore_settings()
        self._update_title()
        self.name_helpers()

    # ------------------------------------------------------------------ building
    def _build_actions(self) -> None:
        self.acts, self.menus = action_table.build(self)
        a = self.acts
        self.open_action, self.sample_action, self.save_action = a["openArchive"], a["openSample"], a["save"]
        self.reveal_action, self.reload_action = a["revealInFileManager"], a["reloadArchive"]
        self.undo_action, self.redo_action = a["undo"], a["redo"]
        self.find_action, self.search_action = a["findInPreview"], a["searchArchive"]
        self.publish_action, self.unpublish_action = a["publish"], a["unpublish"]
        self.bulk_publish_action, self.bulk_unpublish_action = a["bulkPublish"], a["bulkUnpublish"]
        self.bulk_tag_action, self.set_field_action = a["bulkTag"], a["bulkSetField"]
        self.history_action, self.preferences_action = a["bulkHistory"], a["preferences"]
        self.shortcuts_action = a["keyboardShortcuts"]
        self.recent_menu = self.menus[action_table.RECENT]
        self.pane_actions: dict[str, QAction] = {}
        for key in ("browser", "form", "preview", "folders"):
            self.pane_actions[key] = a[f"show_{key}"]
            a[f"show_{key}"].setChecked(True)
        self.taxonomy_action = self.taxonomy_dock.toggleViewAction()
        self.taxonomy_action.setText("&Taxonomy")
        self.taxonomy_action.setObjectName("show_taxonomy")
        self.taxonomy_action.setShortcut(QKeySequence("Ctrl+Shift+Y"))
        self.menus["&View"].addAction(self.taxonomy_action)
        self.taxonomy_action.triggered.connect(self._on_taxonomy_toggled)
        self.update_view_actions()
        self.refresh_recent_menu()

    def _on_taxonomy_toggled(self, shown: bool) -> None:
        """Shown from the menu or Ctrl+Shift+Y: the keyboard goes to its filter (found by a new-user trial)."""
        if shown:
            self.taxonomy.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.taxonomy.filter.selectAll()

    def _wire(self) -> None:
        archive, form = self.archive, self.form
        archive.opened.connect(self._on_opened)
        archive.loaded.connect(self._on_loaded)
        archive.schema_loaded.connect(self._on_schema)
        archive.changed.connect(self.records_changed)
        archive.changed.connect(self.browser.records_changed)
        archive.changed.connect(self._count_views)
        archive.loaded.connect(self._count_views)
        archive.vocabulary_changed.connect(self._on_vocabulary)
        archive.files_updated.connect(self._on_files_updated)
        archive.files_removed.connect(self._on_files_removed)
        archive.progress.connect(self._on_progress)
        archive.message.connect(self.statusBar().showMessage)
        archive.failed.connect(self._on_failed)
        self.model.sorted.connect(self.browser.scroll_to_current)
        self.browser.open_requested.connect(self.choose_archive)
        self.browser.status.connect(self.statusBar().showMessage)
        self.preview.search_marks.capped.connect(lambda message: self.statusBar().showMessage(message, 15000))
        self.browser.matches_changed.connect(self.preview.mark)  # an opened result shows where it matched
        self.table.horizontalHeader().customContextMenuRequested.connect(self.column_menu)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        form.saved.connect(self._on_saved)
        form.dirty_changed.connect(self._on_dirty)
        form.state_changed.connect(self._update_document_actions)
        self._update_document_actions()  # (no file open yet)
        form.loaded.connect(self._on_file_loaded)
        form.reloaded.connect(self._on_reloaded)
        form.status_message.connect(self._show_status)
        self.history.bind(form.undo_stack)
        self.history.changed.connect(self._update_undo_actions)
        self.bulk.done.connect(self._after_bulk)
        self.undo_keys = UndoKeys(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.undo_keys.follow(app)  # the focused widget's filter (Qt drops a deleted filter)
        self._update_undo_actions()

    # ------------------------------------------------------------------ compatibility with the tests' view
    @property
    def index(self) -> Any:
        return self.archive.index

    @property
    def vocabulary(self) -> dict[str, dict[str, int]]:
        return self.archive.vocabulary

    @property
    def schema(self) -> Schema:
        return self.archive.schema

    @property
    def last_stats(self) -> Any:
        return self.archive.last_stats

    @property
    def watcher(self) -> Any:
        return self.archive.watcher

    @property
    def recovery_box(self) -> QMessageBox | None:
        return self.bulk.recovery_box

    @property
    def indexing(self) -> bool:
        return self.archive.loading

    # ------------------------------------------------------------------ archive
    def choose_archive(self) -> None:
        start = self.settings.value("archives/last", str(Path.home()))
        folder = QFileDialog.getExistingDirectory(self, "Open Archive", str(start))
        if folder:
            self.open_archive(Path(folder))

    def open_archive(self, root: Path) -> None:
        """Index ``root`` in the background (rows appear as records arrive); unsaved edits are asked about."""
        root = Path(root).resolve()
        if not root.is_dir():
            QMessageBox.warning(self, "Open Archive", f"{root} is not a folder.")
            return
        if not self.grid.ask_discard():
            return
        if self.form.dirty:
            self.confirm_unsaved(lambda: self._open(root), lambda: None)
            return
        self._open(root)

    def _open(self, root: Path) -> None:
        same = self.archive.root == root
        self._show_nothing()
        self.preview.clear()
        self.browser.loading(new_archive=not same)
        self.archive.open(root)
        self.git_open(root)
        self.remember(root)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.statusBar().showMessage(f"Indexing {root} …")
        self.schema_warning.hide()
        self._update_title()
        self.set_bulk_enabled(False)  # until every file is known: "all shown" must mean all
        QTimer.singleShot(0, self, self.offer_recovery)

    def open_sample(self) -> None:
        try:
            self.open_archive(install_sample())
        except OSError as exc:
            QMessageBox.warning(self, "Sample archive", f"Could not copy the sample archive: {exc}")

    def close_archive(self) -> None:
        self.archive.close()
        self.git_close()
        self._show_nothing()
        self.preview.clear()

    def reload_archive(self) -> None:
        if self.archive.root is not None:
            self.open_archive(self.archive.root)

    def cancel_indexing(self) -> None:
        if self.archive.loading:
            self.archive.cancel()
            self.statusBar().showMessage("Cancelling…")

    def rescan_now(self) -> None:
        """Compare the archive with the index now (stat only), without waiting for the watcher."""
        self.archive.refresh(None)

    def _on_opened(self) -> None:
        self.taxonomy.clear()  # never the previous archive's values
        self.grid.discard()  # (asked about before the archive closed)
        self.views.load(self.archive.root)

    def _count_views(self) -> None:
        index = self.archive.index
        if index is not None:
            self.views.schema = self.archive.schema
            self.views.records_changed(index.records)

    def _on_schema(self) -> None:
        schema = self.archive.schema
        self.schema_warning.setText(f"⚠ {schema.warning}" if schema.warning else "")
        self.schema_warning.setVisible(bool(schema.warning))

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done:,} / {total:,}")

    def _on_failed(self, message: str) -> None:
        QMessageBox.critical(self, "Indexing failed", message)

    def _on_loaded(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.set_bulk_enabled(True)
        self.browser.loaded()
        self.form.schema = self.archive.schema
        self.form.prepare_rows()  # the first file shown then creates few widgets
        self.archive_loaded.emit()

    def _on_vocabulary(self) -> None:
        """The pickers share the controller's counts (updated in place); the taxonomy updates the rows that
        changed (and does nothing but bookkeeping while hidden)."""
        self.form.vocabulary = self.archive.vocab.by_field  # live; the form copies the fields whose version moved
        delta, vocab, records = self.archive.delta, self.archive.vocab, self.model.records
        if delta is not None:
            self.taxonomy.apply_delta(vocab, delta, records)
        else:
            self.taxonomy.set_data(vocab, records)

    def _update_vocabulary(self) -> None:
        self.archive.rebuild_vocabulary()

    def _body(self, rel: str) -> str:
        index = self.archive.index
        return index.body(rel) if index is not None else ""

    def _on_files_updated(self, rels: list[str]) -> None:
        if self.current not in rels:
            return
        doc = self.form.controller.doc
        if doc is not None and doc.dirty and self.archive.same_on_disk(self.current, doc.raw):
            return  # the edits are on top of the file as it is (an undo of a bulk step was taken in)
        if self.form.dirty:  # the editor's work stays; the conflict bar says what changed (a trial: not at once)
            controller, seen = self.form.controller, self.form.controller.disk_seen
            shown = (
                controller.conflict is not None
                and seen is not None
                and self.archive.same_on_disk(self.current, seen.raw)
            )
            if not (self.form.saving or self.writing() or shown):  # (a save or a bulk step of ours: they look)
                controller.check_conflict()
            self.statusBar().showMessage(f"{self.current} changed on disk; your unsaved edits are kept", 8000)
        elif self.form.saving:
            return
        elif self.form.doc is not None and self.archive.same_on_disk(self.current, self.form.doc.raw):
            return  # our own save coming back: the form (and its undo history) stays as it is
        else:
            self.show_file(self.current)

    def _on_files_removed(self, rels: list[str]) -> None:
        """The file on screen was deleted or moved: with unsaved edits the form offers Save Again / Save As /
        Discard; without, it closes the file and says why."""
        if self.current in rels:
            self.form.file_vanished()
            if not self.form.dirty:
                self.model.set_dirty(self.current, False)
                self.preview.clear()

    # ------------------------------------------------------------------ browsing
    def show_query(self, text: str) -> None:
        self.browser.show_query(text)

    def _reveal(self, pane: str) -> None:
        """Show a pane hidden with View ▸ before the keyboard goes to it (Ctrl+2 into a hidden form typed into
        fields nobody could see)."""
        self.pane_actions[pane].setChecked(True)

    def focus_browser(self) -> None:
        self._reveal("browser")
        self.browser.focus_table()

    def focus_form(self) -> None:
        """The first field of the file on screen (else the form's first control)."""
        self._reveal("form")
        first = next(iter(self.form.editors), None)
        if first is not None:
            self.form.focus_field(first)
            return
        self.form.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.form.focusNextChild()

    def focus_preview(self) -> None:
        """The transcript itself (not the outline above it: End and Page Down then moved in the outline)."""
        self._reveal("preview")
        self.preview.browser.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def select_path(self, path: str) -> bool:
        return self.browser.select_path(path)

    def selected_paths(self) -> list[str]:
        return self.browser.selected_paths()

    def shown_paths(self) -> list[str]:
        return self.browser.shown_paths()

    # ------------------------------------------------------------------ undo, bulk
    def undo(self) -> None:
        """Edit ▸ Undo: the most recent step of the one history (a form edit or a bulk operation)."""
        self.history.undo()

    def redo(self) -> None:
        self.history.redo()

    def _update_undo_actions(self, *_: Any) -> None:
        for action, undoing in ((self.undo_action, True), (self.redo_action, False)):
            text, enabled = self.history.text(undoing)
            action.setText(text)
            action.setEnabled(enabled)

    def _after_bulk(self, rels: list[str], message: str) -> None:
        self.statusBar().showMessage(message, 8000)
        if rels:
            self.archive.refresh_rels(rels)

    def unsaved_paths(self) -> list[str]:
        """Files with unsaved edits in the window (bulk operations leave them alone)."""
        return [self.current] if self.current and self.form.dirty else []

    def bulk_targets(self) -> list[str]:
        return self.bulk.targets()

    def bulk_publish(self, unpublishing: bool = False) -> OperationDialog | None:
        return self.bulk.publish(unpublishing)

    def bulk_unpublish(self) -> OperationDialog | None:
        return self.bulk.publish(unpublishing=True)

    def bulk_tag(self) -> BulkTagDialog | None:
        return self.bulk.tag()

    def bulk_set_field(self) -> SetFieldDialog | None:
        return self.bulk.set_field()

    def find_replace_fields(self) -> ReplaceDialog | None:
        return self.bulk.replace()

    def edit_fields(self) -> KeyDialog | None:
        return self.bulk.edit_keys()

    def open_operation(self, *args: Any, **kwargs: Any) -> OperationDialog | None:
        return self.bulk.open_operation(*args, **kwargs)

    def run_journal(self, *args: Any, **kwargs: Any) -> bool:
        return self.bulk.run_journal(*args, **kwargs)

    def show_history(self) -> HistoryDialog | None:
        return self.bulk.show_history()

    def offer_recovery(self) -> None:
        self.bulk.offer_recovery()

    def set_bulk_enabled(self, on: bool) -> None:
        for action in (
            self.bulk_tag_action,
            self.set_field_action,
            self.acts["findReplaceFields"],
            self.bulk_publish_action,
            self.bulk_unpublish_action,
            self.history_action,
        ):
            action.setEnabled(on)

    # ------------------------------------------------------------------ closing
    def writing(self) -> bool:
        """Whether a bulk operation (or its undo) is writing files right now."""
        return self.bulk.running or any(d.writing for d in self.findChildren(OperationDialog))

    def close_if_asked(self) -> None:
        if self._close_when_done and not self.writing():
            self._close_when_done = False
            QTimer.singleShot(0, self, self.close)

    def _discard_and_close(self) -> None:
        self._show_nothing()
        QTimer.singleShot(0, self, self.close)  # not from inside closeEvent: Qt ignores a nested close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.writing():  # let it finish: every file would be old or new anyway, but the report matters
            event.ignore()
            self._close_when_done = True
            self.statusBar().showMessage("Finishing the bulk operation; Masthead closes when it is done…")
            return
        if not self.grid.ask_discard():
            event.ignore()
            return
        if self.form.dirty:
            event.ignore()
            self.confirm_unsaved(self._discard_and_close, lambda: None)
            return
        self.save_settings()
        self.close_archive()
        super().closeEvent(event)
