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
from masthead.core.errors import MastheadError, ParseError
from masthead.core.merge import ABSENT_KEY, changed, merge, overlap
from masthead.core.split import split

if TYPE_CHECKING:
    from masthead.ui.document_controller import DocumentController


@dataclass(frozen=True)
class Conflict:
    """Why the file on disk no longer matches what was read. ``kind``: ``changed`` (another program wrote
    it), ``vanished`` (deleted or moved) or ``unreadable``; ``overlap``: keys both sides changed."""

    kind: str
    overlap: frozenset[str] = field(default_factory=frozenset)
    by: str = "another program"  # who changed it: an undo or redo of a bulk step names that step
    theirs: frozenset[str] = field(default_factory=frozenset)  # the other fields they changed


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
            c.conflict, c.disk_seen = _changed(doc, disk), disk
    c.conflict_found.emit()


def _changed(doc: Document, disk: Document, by: str = "another program") -> Conflict:
    """How the readable ``disk`` version differs from what was read: the fields both changed, their others."""
    both = frozenset(overlap(doc.original, doc.data, disk.data))
    return Conflict("changed", both, by, frozenset(changed(doc.original, disk.data)) - both)


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
    conflict = _changed(doc, disk, by)
    if conflict.overlap:
        c.conflict, c.disk_seen = conflict, disk
        c.conflict_found.emit()
        return False
    kept = _mine_on(c, disk)
    if kept is None:
        check_conflict(c)
        return False
    shown, c.conflict, c.disk_seen = c.conflict is not None, None, None
    c.doc = kept
    c.value_changed.emit("")
    if shown:
        c.conflict_found.emit()  # (the bar goes: what it said is taken in)
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


def _mine_on(c: DocumentController, disk: Document) -> Document | None:
    """``disk`` with my edits made to it (mine win in a field both changed; their other changes stay), or
    None if they cannot be made there (it cannot be read, or a field it has cannot be written)."""
    doc = c.doc
    if doc is None or disk.error is not None:
        return None
    try:
        for key, value in merge(doc.original, doc.data, doc.changed_keys).items():
            if value is ABSENT_KEY:
                disk.delete(key)
            else:
                disk.set(key, value)
        disk.to_bytes()  # (verified: what will be written)
    except (MastheadError, ValueError):
        return None
    return disk


def disk_diff(c: DocumentController) -> str | None:
    """What Keep mine would change in the file on disk (None if it cannot be read). The disk version shown
    is recorded: Keep mine writes over that one and no other."""
    disk, doc = disk_document(c), c.doc
    if disk is None or doc is None:
        return None
    c.disk_seen = disk
    kept = _mine_on(c, Document(disk.raw, disk.path, disk.snapshot, default_seq_offset=c.list_indent))
    return unified_diff(disk.raw, kept.to_bytes() if kept is not None else over_unreadable(doc, disk), "on disk")


def over_unreadable(doc: Document, disk: Document) -> bytes:
    """My version over a disk version whose front matter cannot be read: my front matter in place of theirs,
    the rest of their file (the transcript) as it is (all of mine only when theirs has no front matter to
    replace: a trial lost another program's new transcript line to Keep mine)."""
    mine = doc.to_bytes()
    try:
        ours, theirs = split(mine), split(disk.raw)
    except ParseError:
        return mine
    if ours.kind == "none" or theirs.kind == "none":
        return mine
    return mine[: len(mine) - len(ours.body)] + theirs.body


def reload_from_disk(c: DocumentController) -> None:
    """Discard my edits: show the file as it is on disk now (``reloaded`` follows)."""
    disk = disk_document(c)
    rel, root = c.rel, c.root
    c.conflict = c.disk_seen = None
    c.set_document(disk, root if disk else None, rel if disk else None, discard=True)
    if disk is not None:
        c.reloaded.emit(str(rel))


def keep_mine(c: DocumentController) -> None:
    """My edits over the disk version the user was shown: mine in every field I changed, theirs in the
    others (my front matter in place of theirs when theirs cannot be read; a newer change on disk: conflict
    again)."""
    doc, disk = c.doc, c.disk_seen
    if doc is None or doc.path is None:
        return
    if disk is None or disk.snapshot is None:
        check_conflict(c)  # nothing was shown: look again (and show it)
        return
    if disk.error is None and _take(c, disk):
        return
    c._write(doc, over_unreadable(doc, disk), doc.path, disk.snapshot, None)


def merge_with_disk(c: DocumentController) -> None:
    """Keep both: my changed keys applied to the disk version the overlap was computed on, then saved
    against it (a newer change on disk: the conflict is computed and shown again)."""
    disk = c.disk_seen
    if c.doc is None or disk is None or disk.error is not None or disk.snapshot is None:
        return
    _take(c, disk)


def _take(c: DocumentController, disk: Document) -> bool:
    """Make ``disk`` with my edits on it the current document and save it."""
    kept = _mine_on(c, disk)
    if kept is None:
        return False
    c.conflict = c.disk_seen = None
    c.doc = kept
    c.value_changed.emit("")
    c.save()
    return True


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
