"""The file on screen: following the table's current row, asking about unsaved edits, showing a file in
the form and the preview (read through the archive controller), the title and the document actions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from masthead.core.records import Record
from masthead.core.schema import Kind
from masthead.ui.models import RECORD_ROLE

if TYPE_CHECKING:
    from masthead.ui.archive_controller import ArchiveController
    from masthead.ui.documents_proxy import DocumentsProxy
    from masthead.ui.form import FormPane
    from masthead.ui.models import DocumentsModel
    from masthead.ui.preferences import Preferences
    from masthead.ui.preview import PreviewPane


class WindowCurrentFile(QMainWindow if TYPE_CHECKING else object):  # type: ignore[misc]
    """A mixin of MainWindow."""

    current: str | None
    archive: ArchiveController
    form: FormPane
    preview: PreviewPane
    model: DocumentsModel
    proxy: DocumentsProxy
    prefs: Preferences
    save_action: QAction
    publish_action: QAction
    unpublish_action: QAction
    acts: dict[str, QAction]
    on_file_shown: Callable[[], None]  # WindowGit's

    def select_path(self, path: str) -> bool:  # overridden by MainWindow
        raise NotImplementedError

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record = current.data(RECORD_ROLE) if current.isValid() else None
        if not isinstance(record, Record) or record.path == self.current:
            return
        if self.current and self.model.removing == self.current:  # its row goes: deleted or moved on disk.
            self.table.selectionModel().clearCurrentIndex()  # Not a switch to the next row: the form says what
            return  # happened (it asked to save, and Discard dropped the edits: a new-user trial)
        if self.form.dirty:
            previous = self.current

            def back() -> None:  # once the view is done: it selects the row it moved to after this returns
                if previous and previous == self.current:  # (the row asked for stayed highlighted: a trial)
                    self.select_path(previous)

            self.confirm_unsaved(lambda: self.show_file(record.path), lambda: QTimer.singleShot(0, self, back))
            return
        self.show_file(record.path)

    def confirm_unsaved(self, proceed: Callable[[], Any], cancel: Callable[[], Any]) -> None:
        """Ask Save / Discard / Cancel about unsaved edits, then ``proceed`` (after a successful save) or ``cancel``."""
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"Save your changes to {self.current}?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            self.form.save(lambda ok: proceed() if ok else cancel())
        elif answer == QMessageBox.StandardButton.Discard:
            self._show_nothing()
            proceed()
        else:
            cancel()

    def _show_nothing(self, message: str = "") -> None:
        """No file on screen (its unsaved edits, if any, are dropped and its row loses its ●)."""
        if self.current:
            self.model.set_dirty(self.current, False)
        self.current = None
        self.proxy.pin(None)
        self.form.show_document(None, None, None, message=message)
        self._update_title()

    def show_file(self, path: str) -> None:
        """Show one file in the front-matter pane and the preview: the form reads it off the GUI thread, and
        ``_on_file_loaded`` shows the transcript once it is there."""
        index = self.archive.index
        assert index is not None
        self.current = path
        self.proxy.pin(path)
        self.form.schema = self.archive.schema
        self.form.open(index.root, path)
        self._update_title()

    def _on_file_loaded(self) -> None:
        self.on_file_shown()
        self.show_preview()

    def show_preview(self) -> None:
        """The transcript of the document the form holds, rendered (with its parse error, if any)."""
        index, doc, path = self.archive.index, self.form.doc, self.current
        if index is None or path is None or self.form.rel not in (path, None):
            return  # superseded (the form shows the file it was last asked for)
        if doc is None:
            self.preview.clear()
            return
        full = index.root / path
        title = self._shown_title(path)
        entity_fields = [name for name, rule in self.archive.schema.fields.items() if rule.kind == Kind.ENTITIES]
        entities = [v for f in entity_fields for v in (doc.data.get(f) or []) if isinstance(v, str)]
        error = str(doc.error.message) if doc.error else None
        self.preview.show_text(title.replace("\n", " "), doc.body_text, full.parent, index.root, entities, error)
        self._update_title()

    def _on_reloaded(self, path: str) -> None:
        self.model.set_dirty(path, False)
        self._show_status(f"Reloaded {path} from disk; your edits were discarded")

    def _show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 6000)

    def save_current(self) -> None:
        """Ctrl+S: the form's file, and the grid's unsaved cells (one bulk operation, previewed)."""
        if self.form.dirty:
            self.form.save()
        if self.grid.count:
            self.grid.save()

    def _shown_title(self, path: str) -> str:
        """The title above the preview: the document's own (just saved, it is ahead of the index's record)."""
        doc, index = self.form.doc, self.archive.index
        own = doc.data.get("title") if doc is not None and self.form.rel == path else None
        record = index.records.get(path) if index is not None else None
        return (own if isinstance(own, str) and own else (record.title if record else "")) or path.rpartition("/")[2]

    def _on_saved(self, path: str) -> None:
        if path == self.current and self.form.doc is not None and self.form.doc.error is None:
            self.preview.header.setText(self._shown_title(path).replace("\n", " "))
        self.model.set_dirty(path, False)
        self.setAttribute(Qt.WidgetAttribute.WA_WindowModified, False)  # the title shows ● itself
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}", 4000)
        self.archive.refresh_rels([path])

    def _on_dirty(self, dirty: bool) -> None:
        self.setAttribute(Qt.WidgetAttribute.WA_WindowModified, dirty)  # the title shows ● itself
        self.save_action.setEnabled(dirty or self.grid.count > 0)
        if self.current:
            self.model.set_dirty(self.current, dirty)
        self._update_title()

    def _update_document_actions(self) -> None:
        self.publish_action.setEnabled(self.form.can_publish)
        editable = self.form.doc is not None and self.form.doc.editable  # (not with no file open: a trial)
        for name in ("addField", "removeField"):
            self.acts[name].setEnabled(editable)
        self.unpublish_action.setEnabled(self.form.can_unpublish)
        problems = self.form.problems
        self.publish_action.setToolTip(
            "Publish this file" if not problems else "Cannot publish yet: " + "; ".join(str(p) for p in problems)
        )

    def remove_focused_field(self) -> None:
        """Document ▸ Remove This Field: the field the keyboard is in, after asking (each field's ✕ is not
        in the Tab chain; there was no way to remove one from the keyboard: a new-user trial)."""
        focused = QApplication.focusWidget()
        key = next(
            (
                k
                for k, w in self.form.editors.items()
                if focused is not None and (w is focused or w.isAncestorOf(focused))
            ),
            None,
        )
        if key is None or not self.form.controller.editable:
            self.statusBar().showMessage("Put the keyboard in a field first (Ctrl+2, then Tab to it).", 6000)
            return
        self.form.ask_remove_field(key)

    def _update_title(self) -> None:
        """'● file.md — archive — Masthead' (● while the file has unsaved edits, as in the table)."""
        parts = [Path(self.current).name] if self.current else []
        if self.archive.root is not None:
            parts.append(self.archive.root.name)
        parts.append("Masthead")
        marker = "● " if self.current and self.form.dirty else ""
        self.setWindowTitle(marker + " — ".join(parts))

    def reveal_current(self) -> None:
        root = self.archive.root
        if root is None:
            return
        target = root / self.current if self.current else root
        folder = target.parent if self.current else target
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            QMessageBox.information(
                self, "Reveal in File Manager", f"No file manager could be started. The folder is:\n{folder}"
            )
