"""Bulk edits across an archive: plan -> preflight -> apply (journaled) -> report; undo; crash recovery.

Before any file is written, a journal (in the user data folder, per archive) records every file's old
bytes and the hashes of its old and new versions. Nothing else is written to it until the end, so a
crash at any point leaves every file either old or new (atomic saves), and the journal tells which by
hashing what is on disk: the new hash means written, the old one means not yet, anything else means
someone else changed the file (left alone). The journals themselves are masthead.core.journal's.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from masthead.core import archive_lock, journal, storage
from masthead.core.cells import CellsEdit, cells_for
from masthead.core.document import DEFAULT_SEQ_OFFSET, Document, Snapshot, unified_diff
from masthead.core.errors import ConflictError, DiskFullError, MastheadError
from masthead.core.fanout import Cancelled, in_parallel

# the journal queries are part of the bulk API (bulk.history, bulk.unfinished...), re-exported
from masthead.core.journal import history as history
from masthead.core.journal import journal_dir as journal_dir
from masthead.core.journal import journal_info as journal_info
from masthead.core.journal import old_bytes_path as old_bytes_path
from masthead.core.key_edit import KeyEdit, rename_of
from masthead.core.merge import changed
from masthead.core.operations import Edit, ListEdit, NotApplicable, PublishEdit, apply_edit, edit_from_spec
from masthead.core.split import split
from masthead.core.workers import run_parallel
from masthead.core.workflow import Schema, load_schema


@dataclass
class FileChange:
    """One file's planned edit: the heads of the file as read (with its snapshot) and as it will be written,
    each its front matter and a few lines on, up to the ``tail`` both end with (the transcript: a plan of
    10,000 files held 730 MB of them); the hash of the new bytes and the journal's delta, made where it was
    planned. Applying it writes ``new_head`` and the file's own last ``tail`` bytes, once they are checked."""

    rel: str
    old_head: bytes
    new_head: bytes
    snapshot: Snapshot
    path: Path
    tail: int
    new_sha: str
    delta: str

    @property
    def diff(self) -> str:
        return unified_diff(self.old_head, self.new_head, str(self.path))

    def entry(self) -> journal.Entry:
        return journal.Entry(self.rel, self.snapshot.sha256, self.new_sha, self.delta)

    def new_bytes(self, old: bytes) -> bytes:
        """The whole file to write, given the whole file as planned."""
        return self.new_head + old[len(old) - self.tail :] if self.tail else self.new_head


@dataclass
class Plan:
    root: Path
    description: str
    edit: Edit | None = None
    list_indent: int = DEFAULT_SEQ_OFFSET
    changes: list[FileChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (rel, reason)


@dataclass
class Report:
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    journal: Path | None = None
    merged: list[str] = field(default_factory=list)  # of ``changed``: undone or redone around later changes
    dry_run: bool = False  # ``changed`` lists what would change; nothing was written
    warning: str | None = None  # something went wrong after the files were written (the journal's end)

    @property
    def complete(self) -> bool:
        """Every file asked for was changed or already as asked, and nothing else went wrong."""
        return not self.skipped and not self.failed and self.warning is None


Snap = tuple[int, int, str, str | None]  # a Snapshot's fields (sent between processes)


class PlanRow(NamedTuple):
    """One file planned: ``change``, ``unchanged`` or ``skipped`` (with why); a change's bytes, snapshot and
    the keys its edit changed."""

    rel: str
    status: str
    old: bytes
    new: bytes
    snap: Snap | None
    reason: str
    keys: tuple[str, ...] = ()


SentRow = tuple[
    str, str, bytes, bytes, Snap | None, str, tuple[int, str, str] | None
]  # a PlanRow as a worker sends it: rel, status, heads, snap, reason, (tail, new sha, delta) of a change
CONTEXT_LINES = 3  # lines of the transcript kept in a change's heads after its front matter (the diff's)
CHUNK = 100  # files per worker request
PARALLEL_MIN = 200  # fewer files are planned in this process (starting workers costs ~0.2 s)


NO_FRONT_MATTER = (
    "it has no front matter (a README, a note?): a change of many files adds none; open the file to add one"
)


def plan_file(
    root: Path, rel: str, edit: Edit, schemas: dict[Path, Schema] | None = None, list_indent: int = DEFAULT_SEQ_OFFSET
) -> PlanRow:
    """Read one file and render the edit (verified by the core): a ``change``, ``unchanged`` or ``skipped`` row.

    ``schemas`` caches the masthead.yaml of each folder (publishing needs it); ``list_indent`` is the dash
    indent of a new list in a file that has no list to copy."""
    try:
        raw, snapshot = storage.read_bytes(root / rel)
    except MastheadError as exc:
        return PlanRow(rel, "skipped", b"", b"", None, exc.message)
    return render(root, rel, raw, snapshot, edit, schemas, list_indent)


def render(
    root: Path,
    rel: str,
    raw: bytes,
    snapshot: Snapshot | None,
    edit: Edit,
    schemas: dict[Path, Schema] | None = None,
    list_indent: int = DEFAULT_SEQ_OFFSET,
) -> PlanRow:
    """``plan_file`` of the bytes ``raw`` (read with ``snapshot``; None: the row has no snapshot)."""
    schema = None
    if isinstance(edit, PublishEdit | CellsEdit):
        folder = (root / rel).parent
        cache = schemas if schemas is not None else {}
        schema = cache.get(folder) or cache.setdefault(folder, load_schema(root / rel))
    doc = Document(raw, root / rel, snapshot, list_indent)
    if isinstance(edit, ListEdit) and edit.action in ("add", "replace") and doc.kind == "none":
        return PlanRow(rel, "skipped", b"", b"", None, NO_FRONT_MATTER)
    if not doc.editable:
        if isinstance(edit, CellsEdit) and not _cells_change(rel, doc, edit):
            return PlanRow(rel, "unchanged", b"", b"", None, "")  # a read-only or unreadable file, its row not edited
        reason = f"cannot be read: {doc.error.message}" if doc.error else doc.readonly_reason or "read-only"
        return PlanRow(rel, "skipped", b"", b"", None, reason)
    try:
        if isinstance(edit, CellsEdit):
            kinds = {name: rule.kind for name, rule in schema.fields.items()} if schema is not None else None
            sets, deletes = cells_for(rel, doc.data, edit, kinds), list[str]()
        else:
            sets, deletes = apply_edit(doc.data, edit, schema)
        renamed = rename_of(doc.data, edit) if isinstance(edit, KeyEdit) else None
        if renamed is not None:
            doc.rename(*renamed)
        for key, value in sets.items():
            doc.set(key, value)
        for key in deletes:
            doc.delete(key)
        new = doc.to_bytes()
    except (NotApplicable, ValueError) as exc:
        return PlanRow(rel, "skipped", b"", b"", None, str(exc))
    except MastheadError as exc:
        return PlanRow(rel, "skipped", b"", b"", None, exc.message)
    snap = (doc.snapshot.size, doc.snapshot.mtime_ns, doc.snapshot.sha256, doc.snapshot.real) if doc.snapshot else None
    status = "unchanged" if new == doc.raw else "change"
    return PlanRow(rel, status, doc.raw, new, snap, "", tuple(dict.fromkeys(doc.changed_keys)))


def _cells_change(rel: str, doc: Document, edit: CellsEdit) -> bool:
    try:
        return bool(cells_for(rel, doc.data, edit))
    except NotApplicable:
        return True


def plan_rows(root: str, rels: list[str], spec: list[Any], list_indent: int = DEFAULT_SEQ_OFFSET) -> list[SentRow]:
    """``plan_file`` for each file (the unit of work of a worker process), as sent back: a change's heads."""
    edit, base = edit_from_spec(spec), Path(root)
    schemas: dict[Path, Schema] = {}
    return [_sent(plan_file(base, rel, edit, schemas, list_indent)) for rel in rels]


def _sent(row: PlanRow) -> SentRow:
    """A row without what the plan does not keep: no bytes but a change's heads (see ``FileChange``)."""
    rel, status, old, new, snap, reason, keys = row
    if status != "change" or snap is None:
        return rel, status, b"", b"", snap, reason, None
    _, suffix = journal.common_ends(old, new)
    cut = max(len(old) - suffix, len(old) - len(split(old).body))  # the change, and all the front matter
    for _ in range(CONTEXT_LINES):
        cut = old.find(b"\n", cut) + 1 or len(old)
    tail = len(old) - cut  # (never more than the common suffix: the tail is the same in both)
    extra = (tail, journal.sha(new), journal.old_delta(old, new, keys))
    return rel, status, old[:cut], new[: len(new) - tail], snap, reason, extra


def plan_payload(root: str, payload: Any) -> list[SentRow]:
    """The ``plan`` job of a worker process: ``payload`` is ``(edit spec, relative paths, list indent)``."""
    spec, rels, list_indent = payload
    return plan_rows(root, rels, spec, list_indent)


def plan(
    root: Path,
    rels: Iterable[str],
    edit: Edit,
    description: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    list_indent: int = DEFAULT_SEQ_OFFSET,
) -> Plan:
    """Read each file and render its edit (verified by the core); nothing is written.

    Large sets are planned by worker processes (``workers``, by default one per CPU). ``progress(done, total)``
    is called as files are planned (every file, or every chunk of at most ``CHUNK``); ``cancel`` stops it."""
    result = Plan(root.resolve(), description or edit.describe(), edit, list_indent)
    names = list(rels)
    chunks = _chunks(names, workers)
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count > 1 and len(names) >= PARALLEL_MIN:
        replies: Iterable[list[SentRow]] = run_parallel(
            "plan", plan_payload, str(result.root), [(_spec(edit, c), c, list_indent) for c in chunks], count, cancel
        )
    else:
        replies = (plan_rows(str(result.root), chunk, _spec(edit, chunk), list_indent) for chunk in chunks)
    done = 0
    for rows in replies:
        for rel, status, old, new, snap, reason, extra in rows:
            if status == "unchanged":
                result.unchanged.append(rel)
            elif status == "skipped" or snap is None or extra is None:
                result.skipped.append((rel, reason))
            else:
                result.changes.append(FileChange(rel, old, new, Snapshot(*snap), result.root / rel, *extra))
        done += len(rows)
        if progress:
            progress(done, len(names))
        if cancel is not None and cancel.is_set():
            break
    order = {rel: i for i, rel in enumerate(names)}  # workers answer in the order they finish
    result.changes.sort(key=lambda c: order[c.rel])
    result.unchanged.sort(key=order.__getitem__)
    result.skipped.sort(key=lambda s: order[s[0]])
    return result


def _spec(edit: Edit, rels: list[str]) -> list[Any]:
    """The edit's spec for a chunk of files: a CellsEdit sends only those files' cells."""
    if isinstance(edit, CellsEdit):
        return dataclasses.replace(edit, cells={rel: edit.cells.get(rel, {}) for rel in rels}).spec
    return edit.spec


def _chunks(names: list[str], workers: int | None) -> list[list[str]]:
    """Work units small enough for progress: one file each in this process, else ~40 chunks of at most CHUNK."""
    parallel = (workers if workers is not None else (os.cpu_count() or 1)) > 1 and len(names) >= PARALLEL_MIN
    size = max(10, min(CHUNK, len(names) // 40)) if parallel else 1
    return [names[i : i + size] for i in range(0, len(names), size)]


def preflight(plan_: Plan, unsaved: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Why files of the plan cannot be written now: unsaved edits in the window, changed since planned,
    read-only file or folder, vanished. Empty when everything can go ahead."""
    busy = set(unsaved)
    problems = []
    for change in plan_.changes:
        path = plan_.root / change.rel
        if change.rel in busy:
            problems.append((change.rel, "has unsaved edits in the window"))
            continue
        try:
            current, _ = storage.read_bytes(path)
        except MastheadError as exc:
            problems.append((change.rel, exc.message))
            continue
        if journal.sha(current) != change.snapshot.sha256:
            problems.append((change.rel, "changed on disk since the plan was made"))
        elif not storage.is_writable(path):
            problems.append((change.rel, "the file or its folder is read-only"))
        elif (why := storage.why_not_replaceable(path)) is not None:
            problems.append((change.rel, why))  # hard links, not a regular file: the save would refuse
    return problems


def run(
    plan_: Plan,
    unsaved: Iterable[str] = (),
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> Report:
    """The pipeline of every bulk change, the command line's and the window's: preflight, then write what
    can be written. A file that cannot be written now (unsaved edits in the window, changed since the plan,
    read-only, gone) is skipped and reported, and the others are written. ``dry_run``: the report's
    ``changed`` is what would change; nothing is written."""
    problems = preflight(plan_, unsaved)
    blocked = {rel for rel, _ in problems}
    writable = [c for c in plan_.changes if c.rel not in blocked]
    if dry_run:
        skipped = list(plan_.skipped) + problems
        return Report([c.rel for c in writable], list(plan_.unchanged), skipped, dry_run=True)
    report = apply(dataclasses.replace(plan_, changes=writable), progress, cancel)
    report.skipped.extend(problems)
    return report


def apply(
    plan_: Plan, progress: Callable[[int, int], None] | None = None, cancel: threading.Event | None = None
) -> Report:
    """Write every planned change atomically (each checked against the bytes that were planned), after
    journaling the old bytes. Files that fail are reported; the others are still written."""
    report = Report(unchanged=list(plan_.unchanged), skipped=list(plan_.skipped))
    if not plan_.changes:
        return report
    edit = plan_.edit.spec if plan_.edit is not None else None
    files = [c.entry() for c in plan_.changes]
    with archive_lock.hold(plan_.root, f"{_doing(plan_.description)} ({len(files):,} files)") as held:
        path, record = journal.begin(plan_.root, plan_.description, edit, plan_.list_indent, files)
        held.note(path.stem)
        report.journal = path

        folders: set[Path] = set()

        def write(change: FileChange) -> None:
            storage.write_atomic(plan_.root / change.rel, change.new_head, change.snapshot, folders, change.tail)

        stop, full = threading.Event(), False
        for done, (change, error) in enumerate(in_parallel(plan_.changes, write, stop), start=1):
            if cancel is not None and cancel.is_set():
                stop.set()
            if isinstance(error, Cancelled) or (full and isinstance(error, DiskFullError)):
                why = "not written: the disk is full (stopped at the first failure)" if full else "cancelled"
                report.skipped.append((change.rel, why))
            elif isinstance(error, ConflictError):
                report.skipped.append((change.rel, error.message))  # changed since planned: not ours to overwrite
            elif isinstance(error, MastheadError):
                report.failed.append((change.rel, error.message))
                if isinstance(error, DiskFullError):
                    full = True
                    stop.set()  # one failure, not one per remaining file; undo restores what was written
            elif error is None:
                report.changed.append(change.rel)
            if progress:
                progress(done, len(plan_.changes))
        storage.fsync_folders(folders)  # the renames are durable before the journal says done
        record["state"] = "done"
        record["changed"] = report.changed
        try:
            journal.write(path, record)
        except MastheadError as exc:  # the files are written; the journal still says "applying"
            report.warning = (
                f"the files were written, but the journal could not be marked finished ({exc.message}); it will be "
                "offered as interrupted: completing it writes nothing more, rolling it back undoes it"
            )
            return report
    journal.prune(path.parent)
    return report


def _doing(description: str) -> str:
    """ "Add tag x" -> "working on: add tag x" (for the message another process shows while this one runs)."""
    return "working on: " + (description[:1].lower() + description[1:] if description else "a bulk change")


def unfinished(root: Path) -> list[Path]:
    """Journals of operations that were interrupted (a crash or a kill): to complete or roll back. None while
    another Masthead holds the archive: its operation is running, not interrupted."""
    if archive_lock.holder(root) is not None:
        return []
    return journal.unfinished(root)


def undo(journal_path: Path) -> Report:
    """Restore the old bytes of every file that still has the bytes the operation wrote; in a file changed
    since, take the operation's change back around the later one (``_Around``); report the rest."""
    return _locked(journal_path, "undoing", _undo)


def _locked(
    journal_path: Path,
    doing: str,
    work: Callable[[Path, dict[str, Any], Path], Report],
    interrupted_only: bool = False,
) -> Report:
    """``work`` on a journal, holding its archive; the journal is read again once held (another process may
    have finished or undone it meanwhile: undoing or redoing again finds the files as they are and says so)."""
    first = journal.journal_info(journal_path)
    root = Path(first["root"])
    with archive_lock.hold(root, f"{doing} {first.get('description') or 'an operation'}"):
        record = journal.journal_info(journal_path)
        if interrupted_only and record.get("state") != "applying":
            raise MastheadError(f"this operation is no longer interrupted (it is {record.get('state')})", journal_path)
        return work(journal_path, record, root)


def _undo(journal_path: Path, record: dict[str, Any], root: Path) -> Report:
    report = Report(journal=journal_path)
    copies = journal.old_bytes(journal_path)
    around = _Around(root, record, copies)

    folders: set[Path] = set()

    def restore(entry: dict[str, Any]) -> object:
        state, snap, current = journal.state_on_disk(root, entry)
        if state == "new" and snap is not None:
            storage.write_atomic(root / entry["rel"], copies(entry, current), snap, folders)
        elif state == "other" and snap is not None:
            undone = around.undo(entry, current)
            if isinstance(undone, str):
                return undone  # why not
            storage.write_atomic(root / entry["rel"], undone, snap, folders)
            return "merged"
        return state

    for entry, outcome in in_parallel(record["files"], restore):
        _count(report, entry["rel"], outcome)
    storage.fsync_folders(folders)
    return _finish(journal_path, record, "undone", "undo", report)


def _count(report: Report, rel: str, outcome: object) -> None:
    if isinstance(outcome, MastheadError):
        report.failed.append((rel, outcome.message))
    elif outcome in ("new", "merged"):  # (what an undo found written; what a redo wrote)
        report.changed.append(rel)
        if outcome == "merged":
            report.merged.append(rel)
    elif outcome == "old":
        report.unchanged.append(rel)
    elif outcome == "missing":
        report.skipped.append((rel, "no longer exists"))
    else:
        report.skipped.append((rel, str(outcome)))


LEFT_ALONE = "changed since the operation, in or next to what it changed: left alone"
CHANGED_SINCE = "changed since the operation: left alone"  # (its journal cannot take the change back around)


class _Around:
    """An operation undone (or redone) in files someone changed since it ran: its change is taken back (or
    made again) where it is found, whole and in its context (``journal.Change``), and only if the operation's
    edit gives the file as it is now from the result (redo: the change, found in the result, gives it back),
    and the two differ only in keys the edit changed: every later change is kept, byte for byte. Journals
    without their edit, or of earlier builds, leave such files alone."""

    def __init__(self, root: Path, record: dict[str, Any], copies: journal.OldCopies) -> None:
        self.root, self.copies = root, copies
        self.list_indent = record.get("list_indent", DEFAULT_SEQ_OFFSET)
        self.schemas: dict[Path, Schema] = {}
        try:
            self.edit: Edit | None = edit_from_spec(record["edit"]) if record.get("edit") else None
        except (ValueError, TypeError, IndexError, KeyError):
            self.edit = None

    def _edited(self, rel: str, data: bytes) -> PlanRow:
        assert self.edit is not None
        return render(self.root, rel, data, None, self.edit, self.schemas, self.list_indent)

    def _change(self, entry: dict[str, Any]) -> journal.Change | None:
        return self.copies.change(entry) if self.edit is not None else None

    @staticmethod
    def _only(keys: frozenset[str], before: bytes, after: bytes) -> bool:
        """Whether ``before`` and ``after`` differ in ``keys`` alone (and not in their transcripts)."""
        one, two = Document(before), Document(after)
        if one.error is not None or two.error is not None or one.body != two.body:
            return False
        return changed(one.data, two.data) <= keys

    def undo(self, entry: dict[str, Any], current: bytes) -> bytes | str:
        """The bytes to write, or why the file is left alone."""
        change = self._change(entry)
        if change is None:
            return CHANGED_SINCE
        undone = change.swap(current, undoing=True)
        if undone is None or self._edited(entry["rel"], undone).new != current:
            return LEFT_ALONE
        return undone if self._only(change.keys, undone, current) else LEFT_ALONE

    def redo(self, entry: dict[str, Any], current: bytes) -> bytes | str | None:
        """The bytes to write; None when the edit changes nothing (the file already has it); else why not."""
        change = self._change(entry)
        if change is None:
            return CHANGED_SINCE
        row = self._edited(entry["rel"], current)
        if row.status == "unchanged":
            return None
        if row.status != "change" or change.swap(row.new, undoing=True) != current:
            return LEFT_ALONE
        return row.new if self._only(change.keys, current, row.new) else LEFT_ALONE


def redo(journal_path: Path) -> Report:
    """Write the operation again on every file that still has its old bytes: completes an interrupted
    operation, or redoes an undone one. A file is written only if the edit gives exactly the bytes the
    operation wrote before (so nothing is written that the journal cannot undo); in a file changed since,
    only if the journal's change, found in the result, undoes it (``_Around``)."""
    return _locked(journal_path, "redoing", _redo)


def _redo(journal_path: Path, record: dict[str, Any], root: Path) -> Report:
    report = Report(journal=journal_path)
    if not record.get("edit"):
        raise MastheadError("this operation was journaled without its edit and cannot be redone", path=journal_path)
    try:
        edit = edit_from_spec(record["edit"])
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        raise MastheadError(f"damaged journal (its edit cannot be read: {exc})", journal_path) from None
    around = _Around(root, record, journal.old_bytes(journal_path))
    for entry in record["files"]:
        rel = entry["rel"]
        state, snap, current = journal.state_on_disk(root, entry)
        if state == "new":
            report.unchanged.append(rel)
            continue
        if state == "other" and snap is not None:
            done = around.redo(entry, current)
            if done is None:
                report.unchanged.append(rel)  # someone made the same change meanwhile
            elif isinstance(done, str):
                report.skipped.append((rel, done))
            else:
                try:
                    storage.write_atomic(root / rel, done, snap)
                    _count(report, rel, "merged")
                except MastheadError as exc:
                    report.failed.append((rel, exc.message))
            continue
        if state != "old":
            report.skipped.append((rel, "no longer exists"))
            continue
        row = plan_file(root, rel, edit, around.schemas, around.list_indent)
        if row.status != "change" or row.snap is None or journal.sha(row.new) != entry["new_sha"]:
            report.skipped.append((rel, row.reason or "the edit no longer gives the same result: left alone"))
            continue
        try:
            storage.write_atomic(root / rel, row.new, Snapshot(*row.snap))
            report.changed.append(rel)
        except MastheadError as exc:
            report.failed.append((rel, exc.message))
    return _finish(journal_path, record, "done", "redo", report)


def _finish(journal_path: Path, record: dict[str, Any], state: str, action: str, report: Report) -> Report:
    left = len(report.skipped) + len(report.failed)
    journal.finish(journal_path, record, state, action, (len(report.changed), len(report.unchanged), left))
    return report


def complete(journal_path: Path) -> Report:
    """Finish an interrupted operation (the files it had not written yet)."""
    return _locked(journal_path, "completing", _redo, interrupted_only=True)


def roll_back(journal_path: Path) -> Report:
    """Undo an interrupted operation (only files that carry its new bytes are restored)."""
    return _locked(journal_path, "rolling back", _undo, interrupted_only=True)
