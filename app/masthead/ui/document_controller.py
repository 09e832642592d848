"""The current file: loading (off the GUI thread), edits as undoable commands, dirty state, saving through the
application's writer, conflicts with the file on disk (three-way merge in core), a file that vanished.

Only this module and the writer touch files and YAML; the form's widgets talk to the controller.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from shiboken6 import Shiboken

from masthead.core import storage, yamlio
from masthead.core.document import DEFAULT_SEQ_OFFSET, Document, unified_diff
from masthead.core.errors import ConflictError, MastheadError
from masthead.core.merge import ABSENT_KEY, changed, merge, overlap
from masthead.core.values import Value, same
from masthead.core.workflow import Schema, builtin_schema, is_draft, publish_edits, validate
from masthead.ui.commands import ABSENT, SetField
from masthead.ui.tasks import run_in_background
from masthead.ui.writer import Writer, writer


@dataclass(frozen=True)
class Conflict:
    """Why the file on disk no longer matches what was read. ``kind``: ``changed`` (another program wrote
    it), ``vanished`` (deleted or moved) or ``unreadable``; ``overlap``: keys both sides changed."""

    kind: str
    overlap: frozenset[str] = field(default_factory=frozenset)


def _saved_document(path: Path, data: bytes, snapshot: object, indent: int) -> Document:
    """Writer job: write ``data`` (if ``snapshot`` still matches) and read back what is now on disk."""
    snap = storage.write_atomic(path, data, snapshot)  # type: ignore[arg-type]
    return Document(data, path, snap, default_seq_offset=indent)


class DocumentController(QObject):
    """Owns the current file, its edits and its undo history (kept across saves)."""

    loaded = Signal()  # open() finished: doc / load_error are set (a later open() supersedes this one)
    document_changed = Signal()  # another document (or none) is current: rebuild the form
    value_changed = Signal(str)  # one key's value changed (by an edit, undo or redo)
    dirty_changed = Signal(bool)
    saved = Signal(str)  # relative path
    save_failed = Signal(str)
    conflict_found = Signal()  # see ``conflict``
    status = Signal(str)  # a message for the status bar

    def __init__(self, parent: QObject | None = None, the_writer: Writer | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentController")
        self.writer = the_writer or writer()
        self.doc: Document | None = None
        self.root: Path | None = None
        self.rel: str | None = None
        self.schema: Schema = builtin_schema()
        self.list_indent = DEFAULT_SEQ_OFFSET
        self.load_error: str | None = None
        self.conflict: Conflict | None = None
        self.saving = False
        self._generation = 0
        self._dirty = False
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("formUndoStack")

    # ------------------------------------------------------------------ the current file
    @property
    def dirty(self) -> bool:
        return self.doc is not None and self.doc.dirty

    @property
    def editable(self) -> bool:
        """Edits are taken even while a save runs: they are kept on the saved document (see ``_adopt``)."""
        return self.doc is not None and self.doc.editable

    def open(self, root: Path, rel: str) -> None:
        """Read ``root / rel`` off the GUI thread; ``loaded`` follows (unless a later open() came first)."""
        self._generation += 1
        generation, path, indent = self._generation, root / rel, self.list_indent

        def done(doc: Document | None, error: BaseException | None) -> None:
            if generation != self._generation:
                return  # superseded
            if doc is None:
                self.load_error = str(error) if error is not None else "the file cannot be read"
                self.set_document(None, None, None)
            else:
                self.load_error = None
                self.set_document(doc, root, rel)
            self.loaded.emit()

        run_in_background(lambda: storage.load(path, indent), done, self)

    def set_document(self, doc: Document | None, root: Path | None, rel: str | None) -> bool:
        """Make ``doc`` current. Returns False when it is the same file with the same bytes as the current,
        unedited one: then nothing changes (the undo history and the form stay, e.g. after a save)."""
        current = self.doc
        if (
            doc is not None
            and current is not None
            and rel == self.rel
            and not current.dirty
            and doc.raw == current.raw
            and doc.error is None
        ):
            self.doc = doc if doc.snapshot is not None else current
            return False
        self._generation += doc is not None and rel != self.rel  # a shown file supersedes a pending open
        self.doc, self.root, self.rel = doc, root, rel
        self.conflict = None
        self.undo_stack.clear()
        self.document_changed.emit()
        self._update_dirty()
        return True

    def _update_dirty(self) -> None:
        if self.dirty != self._dirty:
            self._dirty = self.dirty
            self.dirty_changed.emit(self._dirty)

    # ------------------------------------------------------------------ editing
    def edit(self, key: str, new: Value, typing: bool = False) -> None:
        """A user edit: pushed on the undo stack (which applies it)."""
        if not self.editable:
            return
        assert self.doc is not None
        old = self.doc.data.get(key, ABSENT)
        if old is ABSENT and new is ABSENT:
            return
        if old is not ABSENT and new is not ABSENT and same(old, new):
            return
        self.undo_stack.push(SetField(self, key, old, new, typing))

    def apply(self, key: str, value: Value) -> None:
        """Change the document (from a command)."""
        if self.doc is None:
            return
        if value is ABSENT:
            self.doc.delete(key)
        else:
            self.doc.set(key, value)
        self.value_changed.emit(key)
        self._update_dirty()

    def entry_text(self, key: str) -> str:
        """How a (nested) value is written in YAML, for the read-only view."""
        value = self.doc.data.get(key) if self.doc is not None else None
        return "".join(yamlio.render_entry(key, yamlio.to_node(value), yamlio.Style()))

    def yaml_text(self) -> tuple[str, int | None]:
        """The front matter as on disk, from the file's first line (the ``---``), plus the pending changes;
        and the line (counted from 1 at the file's first line) of a parse error, if any."""
        doc = self.doc
        if doc is None:
            return "", None
        if doc.error is not None:
            lines = doc.raw.decode("utf-8", "replace").splitlines(keepends=True)
            return "".join(lines[:400]), doc.error.line
        if doc.kind == "none":
            return "(no front matter yet)", None
        parts = doc.parts
        text = parts.opening.decode("utf-8", "replace") + doc.block_text + parts.closing.decode("utf-8", "replace")
        if doc.dirty:
            try:
                text += "\n# ---- changes not saved yet ----\n" + doc.diff()
            except MastheadError as exc:
                text += f"\n# ---- the changes cannot be saved: {exc.message}\n"
        return text, None

    # ------------------------------------------------------------------ publication
    def problems(self) -> list[object]:
        doc = self.doc
        return list(validate(doc.data, self.schema)) if doc is not None and doc.error is None else []

    def is_draft(self) -> bool:
        return self.doc is not None and is_draft(self.doc.data, self.schema)

    def can_publish(self) -> bool:
        return bool(self.editable and self.is_draft() and not self.problems())

    def can_unpublish(self) -> bool:
        return bool(self.editable and self.doc is not None and not self.is_draft())

    def publish(self) -> None:
        """Apply the publish rules as one undoable step, then save."""
        if not self.can_publish() or self.doc is None:
            return
        self._macro("Publish", publish_edits(self.doc.data, self.schema), "Published")

    def unpublish(self) -> None:
        if not self.can_unpublish():
            return
        self._macro("Unpublish", dict(self.schema.publish.unpublish_set), "Unpublished")

    def _macro(self, name: str, edits: dict[str, Value], done: str) -> None:
        self.undo_stack.beginMacro(name)
        for key, value in edits.items():
            self.edit(key, value)
        self.undo_stack.endMacro()
        rel = self.rel

        def after(ok: bool) -> None:
            if ok:
                self.status.emit(f"{done} {rel}. Edit ▸ Undo {name} takes it back.")

        self.save(after)

    # ------------------------------------------------------------------ saving
    def save(self, on_done: Callable[[bool], None] | None = None) -> None:
        """Save through the writer (splice, verify, atomic write); edits made meanwhile are kept."""
        doc = self.doc
        if doc is None or not doc.dirty or self.saving or doc.path is None:
            if on_done:
                on_done(doc is None or not doc.dirty)
            return
        try:
            data = doc.to_bytes()
        except MastheadError as exc:
            self._failed(str(exc), on_done)
            return
        sent, path, snap, indent = doc.data, doc.path, doc.snapshot, self.list_indent
        self.saving = True

        def done(saved: Document | None, error: BaseException | None) -> None:
            if not Shiboken.isValid(self):
                return
            self.saving = False
            if doc is not self.doc:  # another file is shown now: nothing to update
                if on_done:
                    on_done(saved is not None)
                return
            if saved is not None:
                self._adopt(saved, sent)
                self.saved.emit(str(self.rel))
            elif isinstance(error, ConflictError):
                self.check_conflict()
            else:
                self._failed(str(error), None)
            if on_done:
                on_done(saved is not None)

        self.writer.submit(lambda: _saved_document(path, data, snap, indent), done)

    def _adopt(self, saved: Document, sent: dict[str, Value]) -> None:
        """``saved`` is now on disk: keep it as the document, with the edits made since ``sent`` re-applied."""
        assert self.doc is not None
        later = self.doc.data
        for key in changed(sent, later):
            if key in later:
                saved.set(key, later[key])
            else:
                saved.delete(key)
        self.doc = saved
        self.conflict = None
        self._update_dirty()

    def _failed(self, message: str, on_done: Callable[[bool], None] | None) -> None:
        self.save_failed.emit(message)
        if on_done:
            on_done(False)

    # ------------------------------------------------------------------ conflicts and vanished files
    def _disk_document(self) -> Document | None:
        if self.doc is None or self.doc.path is None:
            return None
        try:
            return storage.load(self.doc.path, self.list_indent)
        except MastheadError:
            return None

    def check_conflict(self) -> None:
        """Find out how the file on disk differs from what was read; ``conflict_found`` follows."""
        doc = self.doc
        if doc is None or doc.path is None:
            return
        if not os.path.lexists(doc.path):
            self.conflict = Conflict("vanished")
        else:
            disk = self._disk_document()
            if disk is None or disk.error is not None:
                self.conflict = Conflict("unreadable")
            else:
                self.conflict = Conflict("changed", frozenset(overlap(doc.original, doc.data, disk.data)))
        self.conflict_found.emit()

    def file_vanished(self) -> None:
        """The window's watcher saw the current file deleted or moved. With unsaved edits the form offers
        Save As / Save Again / Discard; without, the file is closed."""
        if self.doc is None:
            return
        if self.dirty:
            self.conflict = Conflict("vanished")
            self.conflict_found.emit()
        else:
            self.set_document(None, None, None)
            self.load_error = "The file was deleted or moved on disk."
            self.loaded.emit()

    def disk_diff(self) -> str | None:
        """What keeping my version would change in the file on disk (None if it cannot be read)."""
        disk, doc = self._disk_document(), self.doc
        if disk is None or doc is None:
            return None
        return unified_diff(disk.raw, doc.to_bytes(), "on disk")

    def reload_from_disk(self) -> None:
        """Discard my edits: show the file as it is on disk now."""
        disk = self._disk_document()
        rel, root = self.rel, self.root
        self.conflict = None
        self.set_document(disk, root if disk else None, rel if disk else None)
        if disk is not None:
            self.saved.emit(str(rel))

    def keep_mine(self) -> None:
        """Overwrite whatever is on disk with my version."""
        doc, disk = self.doc, self._disk_document()
        if doc is None or disk is None or disk.snapshot is None or doc.path is None:
            return
        self._write_over(doc.to_bytes(), doc.path, disk.snapshot)

    def save_again(self) -> None:
        """The file vanished: write my version where it was (recreating it)."""
        doc = self.doc
        if doc is None or doc.path is None:
            return
        self._write_over(doc.to_bytes(), doc.path, None)

    def save_as(self, target: Path) -> None:
        """Write my version to a new file (which must not exist); it becomes the current file."""
        doc = self.doc
        if doc is None:
            return
        root = self.root
        rel = os.path.relpath(target, root) if root is not None else target.name
        self.rel = rel.replace(os.sep, "/")
        doc.path = target
        self._write_over(doc.to_bytes(), target, None)

    def _write_over(self, data: bytes, path: Path, expected: object) -> None:
        indent, doc = self.list_indent, self.doc
        assert doc is not None
        sent = doc.data
        self.saving = True

        def done(saved: Document | None, error: BaseException | None) -> None:
            if not Shiboken.isValid(self):
                return
            self.saving = False
            if saved is None:
                self._failed(str(error), None)
                return
            if doc is self.doc:
                self._adopt(saved, sent)
                self.saved.emit(str(self.rel))

        self.writer.submit(lambda: _saved_document(path, data, expected, indent), done)

    def merge_with_disk(self) -> None:
        """Keep both: my changed keys applied to the version on disk, then saved."""
        doc, disk = self.doc, self._disk_document()
        if doc is None or disk is None or disk.error is not None:
            return
        for key, value in merge(doc.original, doc.data, doc.changed_keys).items():
            if value is ABSENT_KEY:
                disk.delete(key)
            else:
                disk.set(key, value)
        self.conflict = None
        self.doc = disk
        self.value_changed.emit("")
        self.save()

    def discard(self) -> None:
        """Drop my edits (the file vanished or the user gave up): nothing is shown."""
        self.set_document(None, None, None)
        self.load_error = "Your edits were discarded."
        self.loaded.emit()
