"""The current file against the file on disk: what changed there, and the ways out (reload theirs, keep mine,
merge both, save as / save again / discard a file that vanished). The ``DocumentController``'s methods of
the same names call these.

Every way out writes against the disk version the user was shown (recorded by ``check_conflict`` and
``disk_diff``): a newer outside change makes the write refuse, and the conflict is shown again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from masthead.core import storage
from masthead.core.document import Document, unified_diff
from masthead.core.errors import MastheadError
from masthead.core.merge import ABSENT_KEY, merge, overlap

if TYPE_CHECKING:
    from masthead.ui.document_controller import DocumentController


@dataclass(frozen=True)
class Conflict:
    """Why the file on disk no longer matches what was read. ``kind``: ``changed`` (another program wrote
    it), ``vanished`` (deleted or moved) or ``unreadable``; ``overlap``: keys both sides changed."""

    kind: str
    overlap: frozenset[str] = field(default_factory=frozenset)
    by: str = "another program"  # who changed it: an undo or redo of a bulk step names that step


def disk_document(c: DocumentController) -> Document | None:
    if c.doc is None or c.doc.path is None:
        return None
    try:
        return storage.load(c.doc.path, c.list_indent)
    except MastheadError:
        return None


def check_conflict(c: DocumentController) -> None:
    """Find out how the file on disk differs from what was read; ``conflict_found`` follows. The disk
    version read here is the one Keep mine and Merge both write against."""
    doc = c.doc
    if doc is None or doc.path is None:
        return
    c.disk_seen = None
    if not os.path.lexists(doc.path):
        c.conflict = Conflict("vanished")
    else:
        disk = disk_document(c)
        if disk is None or disk.error is not None:
            c.conflict = Conflict("unreadable")
            c.disk_seen = disk
        else:
            c.conflict = Conflict("changed", frozenset(overlap(doc.original, doc.data, disk.data)))
            c.disk_seen = disk
    c.conflict_found.emit()


def take_disk_change(c: DocumentController, by: str) -> bool:
    """The window itself (``by``: an undo or redo of a bulk step) rewrote the file on screen under unsaved
    edits: show the file as it is now with my edits on top, when the two touch different fields (True).
    Else the conflict is shown at once, naming ``by`` (False); nothing is written either way."""
    doc = c.doc
    if doc is None or doc.path is None or not c.dirty or c.saving or c.resolving is not None:
        return False
    disk = disk_document(c)
    if disk is None or disk.error is not None or disk.snapshot is None:
        check_conflict(c)
        return False
    both = frozenset(overlap(doc.original, doc.data, disk.data))
    if both:
        c.conflict, c.disk_seen = Conflict("changed", both, by), disk
        c.conflict_found.emit()
        return False
    for key, value in merge(doc.original, doc.data, doc.changed_keys).items():
        if value is ABSENT_KEY:
            disk.delete(key)
        else:
            disk.set(key, value)
    c.conflict = c.disk_seen = None
    c.doc = disk
    c.value_changed.emit("")
    return True


def file_vanished(c: DocumentController) -> None:
    """The window's watcher saw the current file deleted or moved. With unsaved edits the form offers
    Save As / Save Again / Discard; without, the file is closed."""
    if c.doc is None:
        return
    if c.dirty:
        c.conflict = Conflict("vanished")
        c.conflict_found.emit()
    else:
        c.set_document(None, None, None)
        c.load_error = "The file was deleted or moved on disk."
        c.loaded.emit()


def disk_diff(c: DocumentController) -> str | None:
    """What keeping my version would change in the file on disk (None if it cannot be read). The disk
    version shown is recorded: Keep mine overwrites that one and no other."""
    disk, doc = disk_document(c), c.doc
    if disk is None or doc is None:
        return None
    c.disk_seen = disk
    return unified_diff(disk.raw, doc.to_bytes(), "on disk")


def reload_from_disk(c: DocumentController) -> None:
    """Discard my edits: show the file as it is on disk now (``reloaded`` follows)."""
    disk = disk_document(c)
    rel, root = c.rel, c.root
    c.conflict = c.disk_seen = None
    c.set_document(disk, root if disk else None, rel if disk else None, discard=True)
    if disk is not None:
        c.reloaded.emit(str(rel))


def keep_mine(c: DocumentController) -> None:
    """Overwrite the disk version the user was shown with my version (a newer one: conflict again)."""
    doc, disk = c.doc, c.disk_seen
    if doc is None or doc.path is None:
        return
    if disk is None or disk.snapshot is None:
        check_conflict(c)  # nothing was shown: look again (and show it)
        return
    c._write(doc, doc.to_bytes(), doc.path, disk.snapshot, None)


def merge_with_disk(c: DocumentController) -> None:
    """Keep both: my changed keys applied to the disk version the overlap was computed on, then saved
    against it (a newer change on disk: the conflict is computed and shown again)."""
    doc, disk = c.doc, c.disk_seen
    if doc is None or disk is None or disk.error is not None or disk.snapshot is None:
        return
    for key, value in merge(doc.original, doc.data, doc.changed_keys).items():
        if value is ABSENT_KEY:
            disk.delete(key)
        else:
            disk.set(key, value)
    c.conflict = c.disk_seen = None
    c.doc = disk
    c.value_changed.emit("")
    c.save()


def save_again(c: DocumentController) -> None:
    """The file vanished: write my version where it was (recreating it)."""
    doc = c.doc
    if doc is None or doc.path is None:
        return
    c._write(doc, doc.to_bytes(), doc.path, None, None, conflicts=False)


def save_as(c: DocumentController, target: Path) -> None:
    """Write my version to a new file, which must not exist (the file dialog does not offer to replace
    one). Only once written does it become the current file; a failed write changes nothing."""
    doc = c.doc
    if doc is None:
        return
    root = c.root
    rel = os.path.relpath(target, root) if root is not None else target.name
    c._write(doc, doc.to_bytes(), target, None, None, new_rel=rel.replace(os.sep, "/"), conflicts=False)


def discard(c: DocumentController) -> None:
    """Drop my edits (the file vanished or the user gave up): nothing is shown."""
    c.set_document(None, None, None, discard=True)
    c.load_error = "Your edits were discarded."
    c.loaded.emit()
