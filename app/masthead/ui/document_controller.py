"""The current file: loading (off the GUI thread), edits as undoable commands, dirty state, saving through the
application's writer, conflicts with the file on disk (three-way merge in core), a file that vanished.

Only this module and the writer touch files and YAML; the form's widgets talk to the controller.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from shiboken6 import Shiboken

from masthead.core import storage, yamlio
from masthead.core.document import DEFAULT_SEQ_OFFSET, Document
from masthead.core.errors import ConflictError, MastheadError
from masthead.core.merge import changed
from masthead.core.values import Value, same
from masthead.core.workflow import Schema, builtin_schema, is_draft, publish_edits, validate
from masthead.ui import conflict_controller as conflicts
from masthead.ui.commands import ABSENT, SetField
from masthead.ui.conflict_controller import Conflict
from masthead.ui.tasks import foreground, run_in_background
from masthead.ui.writer import Writer, writer

if TYPE_CHECKING:
    from masthead.core.git_conflicts import Resolution

__all__ = ["Conflict", "DocumentController"]

Done = Callable[[bool], None]


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
    saved = Signal(str)  # the relative path written (also when another file is shown by then)
    reloaded = Signal(str)  # my edits were dropped for the version on disk (Reload theirs)
    opening = Signal(bool)  # an open() is pending (the form is read-only meanwhile) / ended
    save_failed = Signal(str)
    conflict_found = Signal()  # see ``conflict``
    status = Signal(str)  # a message for the status bar
    resolution_changed = Signal()  # a merge conflict is (no longer) being resolved in the form: ``resolving``
    resolution_saved = Signal(str)  # the resolved file was written (the window stages it)

    def __init__(self, parent: QObject | None = None, the_writer: Writer | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentController")
        self.writer = the_writer or writer()
        self.doc: Document | None = None
        self.root: Path | None = None
        self.rel: str | None = None
        self.head_diff: tuple[str, str] | None = None  # (rel, the file against the last commit), from git
        self.schema: Schema = builtin_schema()
        self.list_indent = DEFAULT_SEQ_OFFSET
        self.load_error: str | None = None
        self.save_blocker: str | None = None  # why the file cannot be saved as it stands (read-only...)
        self.conflict: Conflict | None = None
        self.saving = False
        self.pending_open = False
        self.disk_seen: Document | None = None  # the disk version the user was shown in a conflict
        self.resolving: Resolution | None = None  # a file git left in conflict, being resolved in the form
        self._queued: list[Done | None] = []  # saves asked for while one ran
        self._generation = 0
        self._dirty = False
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("formUndoStack")
        # Steps written to the file as soon as made (Publish, Unpublish), by their index on the stack: undone
        # or redone, the file is written again, so that it follows Edit ▸ Undo as it followed the step (undo
        # left the file published on disk and the form a draft: found by a new-user trial).
        self._written_steps: set[int] = set()
        self._index = 0
        self.undo_stack.indexChanged.connect(self._on_index)

    # ------------------------------------------------------------------ the current file
    @property
    def dirty(self) -> bool:
        """Unsaved edits, or a merge resolution not yet written over the conflicted file."""
        return self.doc is not None and (self.doc.dirty or self.resolving is not None)

    @property
    def editable(self) -> bool:
        """Edits are taken even while a save runs (they are kept on the saved document, see ``_adopt``), not
        while another file is being opened (they would be dropped)."""
        return self.doc is not None and self.doc.editable and not self.pending_open

    def _set_pending(self, pending: bool) -> None:
        if pending != self.pending_open:
            self.pending_open = pending
            self.opening.emit(pending)

    def open(self, root: Path, rel: str, discard: bool = False) -> bool:
        """Read ``root / rel`` off the GUI thread; ``loaded`` follows (unless a later open() came first).
        Unsaved edits are only replaced with ``discard=True`` (the caller asked Save/Discard/Cancel): False
        means refused. The current document is read-only until the file is shown."""
        if self.dirty and not discard:
            return False
        self._generation += 1
        generation, path, indent = self._generation, root / rel, self.list_indent

        def done(result: tuple[Document, str | None] | None, error: BaseException | None) -> None:
            if generation != self._generation:
                return  # superseded
            self._set_pending(False)
            if result is None:
                self.load_error = str(error) if error is not None else "the file cannot be read"
                self.set_document(None, None, None, discard=True)
            else:
                self.load_error = None
                self.save_blocker = result[1]
                self.set_document(result[0], root, rel, discard=True)
            self.loaded.emit()

        def load() -> tuple[Document, str | None]:
            return storage.load(path, indent), storage.why_unsaveable(path)

        self._set_pending(True)
        run_in_background(load, done, self, foreground())
        return True

    def set_document(self, doc: Document | None, root: Path | None, rel: str | None, discard: bool = False) -> bool:
        """Make ``doc`` current. Returns False when nothing changed: the same file with the same bytes as the
        current, unedited one (the undo history and the form stay, e.g. after a save), or unsaved edits
        that only ``discard=True`` may replace."""
        current = self.doc
        if current is not None and current.dirty and not discard and doc is not current:
            return False
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
        if doc is not None and rel != self.rel:  # a shown file supersedes a pending open
            self._generation += 1
            self._set_pending(False)
        self.doc, self.root, self.rel = doc, root, rel
        self.conflict = self.disk_seen = None
        self._written_steps.clear()  # (first: clearing the stack moves its index)
        self.undo_stack.clear()
        was_resolving, self.resolving = self.resolving is not None, None
        self.document_changed.emit()
        if was_resolving:
            self.resolution_changed.emit()
        self._update_dirty()
        return True

    def begin_resolution(self, resolution: Resolution, root: Path, rel: str) -> bool:
        """Show a conflicted file as the merge with our values (see ``Resolution``): edits choose the
        conflicting keys' values, and saving writes it over the conflicted file. False over unsaved edits."""
        if self.dirty or self.saving:
            return False
        self.set_document(resolution.document, root, rel, discard=True)
        self.resolving = resolution
        self.resolution_changed.emit()
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

    def append(self, key: str, value: str) -> None:
        """Add ``value`` at the end of the list ``key`` (a new list if there is none; one value held alone is
        kept as the list's first): one undoable edit."""
        current = self.doc.data.get(key) if self.doc is not None else None
        kept = current if isinstance(current, list) else [] if current in (None, "") else [current]
        self.edit(key, [*kept, value])

    def entry_text(self, key: str) -> str:
        """How a (nested or read-only) value is written in YAML, for the read-only view: as in the file when
        it is unchanged."""
        doc = self.doc
        source = doc.source_of(key) if doc is not None and key not in doc.changed_keys else None
        if source is not None:
            return source
        value = doc.data.get(key) if doc is not None else None
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
        if self.head_diff is not None and self.head_diff[0] == self.rel and self.head_diff[1]:
            text += "\n# ---- saved changes since the last commit (git) ----\n" + self.head_diff[1]
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
        self._written_steps.add(self.undo_stack.index())  # (saved below)
        rel = self.rel

        def after(ok: bool) -> None:
            if ok:
                self.status.emit(f"{done} {rel}. Edit ▸ Undo {name} takes it back.")

        self.save(after)

    def _on_index(self, index: int) -> None:
        before, self._index = self._index, index
        self._written_steps = {i for i in self._written_steps if i <= self.undo_stack.count()}  # (truncated)
        if any(i in self._written_steps for i in range(min(before, index) + 1, max(before, index) + 1)):
            self.save()  # a written step undone or redone: written again

    # ------------------------------------------------------------------ saving
    def save(self, on_done: Done | None = None) -> None:
        """Save through the writer (splice, verify, atomic write); edits made meanwhile are kept. Asked while
        a save runs, it waits for it and saves again if still needed; ``on_done(ok)`` is always called."""
        if self.saving:
            self._queued.append(on_done)
            return
        doc = self.doc
        if doc is None or not self.dirty or doc.path is None:
            if on_done:
                on_done(not self.dirty)
            return
        try:
            data = doc.to_bytes()
        except MastheadError as exc:
            self._failed(str(exc), on_done)
            return
        self._write(doc, data, doc.path, doc.snapshot, on_done)

    def _write(
        self,
        doc: Document,
        data: bytes,
        path: Path,
        expected: object,
        on_done: Done | None,
        new_rel: str | None = None,
        conflicts: bool = True,
    ) -> None:
        """Write ``data`` (the writer checks ``expected`` first); ``saved(rel)`` follows even when another
        file is shown by then. A refused write with ``conflicts`` is looked into (``conflict_found``)."""
        sent, indent, rel = doc.data, self.list_indent, new_rel or str(self.rel)
        self.saving = True

        def done(saved: Document | None, error: BaseException | None) -> None:
            if not Shiboken.isValid(self):
                return
            self.saving = False
            current = doc is self.doc
            if saved is not None:
                if current:
                    self.save_blocker = None  # (it could be saved after all)
                resolved = current and self.resolving is not None
                if current:
                    self.rel = rel
                    self._adopt(saved, sent)
                self.saved.emit(rel)
                if resolved:
                    self.resolution_changed.emit()
                    self.resolution_saved.emit(rel)
            elif current and conflicts and isinstance(error, ConflictError):
                self.check_conflict()
            else:
                self.save_failed.emit(str(error))
            if on_done:
                on_done(saved is not None)
            self._after_save(saved is not None)

        self.writer.submit(lambda: _saved_document(path, data, expected, indent), done)

    def _after_save(self, ok: bool) -> None:
        """Saves asked for while one ran: saved again (if still needed), then all told."""
        queued, self._queued = self._queued, []
        if not queued:
            return

        def tell(result: bool) -> None:
            for callback in queued:
                if callback:
                    callback(result)

        if ok and self.dirty:
            self.save(tell)
        else:
            tell(ok and not self.dirty)

    def _adopt(self, saved: Document, sent: dict[str, Value]) -> None:
        """``saved`` is now on disk: keep it as the document, with the edits made since ``sent`` re-applied."""
        assert self.doc is not None
        saved.carry_sources(self.doc)  # a key set back to its old value is written as it was
        later = self.doc.data
        for key in changed(sent, later):
            if key in later:
                saved.set(key, later[key])
            else:
                saved.delete(key)
        self.doc = saved
        self.conflict = self.disk_seen = self.resolving = None
        self._update_dirty()

    def _failed(self, message: str, on_done: Done | None) -> None:
        self.save_failed.emit(message)
        if on_done:
            on_done(False)

    # ------------------------------------------------------------------ conflicts (see conflict_controller)
    def check_conflict(self) -> None:
        conflicts.check_conflict(self)

    def file_vanished(self) -> None:
        conflicts.file_vanished(self)

    def disk_diff(self) -> str | None:
        return conflicts.disk_diff(self)

    def reload_from_disk(self) -> None:
        conflicts.reload_from_disk(self)

    def keep_mine(self) -> None:
        conflicts.keep_mine(self)

    def merge_with_disk(self) -> None:
        conflicts.merge_with_disk(self)

    def save_again(self) -> None:
        conflicts.save_again(self)

    def save_as(self, target: Path) -> None:
        conflicts.save_as(self, target)

    def discard(self) -> None:
        conflicts.discard(self)
