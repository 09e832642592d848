"""Bulk edits across an archive: plan -> preflight -> apply (journaled) -> report; undo; crash recovery.

Before any file is written, a journal (in the user data folder, per archive) records every file's old
bytes and the hashes of its old and new versions. Nothing else is written to it until the end, so a
crash at any point leaves every file either old or new (atomic saves), and the journal tells which by
hashing what is on disk: the new hash means written, the old one means not yet, anything else means
someone else changed the file (left alone).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from masthead.core import storage
from masthead.core.document import Document, Snapshot
from masthead.core.errors import ConflictError, MastheadError
from masthead.core.operations import ListEdit, apply_list_edit

KEEP = 20  # operations that can be undone, per archive


def journal_dir(root: Path) -> Path:
    """``$MASTHEAD_DATA_DIR`` or the user data folder, one subfolder per archive."""
    base = os.environ.get("MASTHEAD_DATA_DIR") or platformdirs.user_data_dir("masthead", appauthor=False)
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return Path(base) / "journals" / f"{root.resolve().name[:40]}-{digest}"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class FileChange:
    rel: str
    doc: Document
    new: bytes

    @property
    def diff(self) -> str:
        return self.doc.diff()


@dataclass
class Plan:
    root: Path
    description: str
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


def plan(root: Path, rels: Iterable[str], edit: ListEdit, description: str | None = None) -> Plan:
    """Read each file and render its edit (verified by the core); nothing is written."""
    result = Plan(root.resolve(), description or edit.describe())
    for rel in rels:
        try:
            doc = storage.load(result.root / rel)
        except MastheadError as exc:
            result.skipped.append((rel, exc.message))
            continue
        if not doc.editable:
            result.skipped.append((rel, doc.error.message if doc.error else doc.readonly_reason or "read-only"))
            continue
        for key, value in apply_list_edit(doc.data, edit).items():
            doc.set(key, value)
        try:
            new = doc.to_bytes()
        except MastheadError as exc:
            result.skipped.append((rel, exc.message))
            continue
        if new == doc.raw:
            result.unchanged.append(rel)
        else:
            result.changes.append(FileChange(rel, doc, new))
    return result


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
        if _sha(current) != _sha(change.doc.raw):
            problems.append((change.rel, "changed on disk since the plan was made"))
        elif not storage.is_writable(path):
            problems.append((change.rel, "the file or its folder is read-only"))
    return problems


def _write_journal(path: Path, data: dict[str, Any]) -> None:
    payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def apply(
    plan_: Plan, progress: Callable[[int, int], None] | None = None, cancel: threading.Event | None = None
) -> Report:
    """Write every planned change atomically (each checked against the bytes that were planned), after
    journaling the old bytes. Files that fail are reported; the others are still written."""
    report = Report(unchanged=list(plan_.unchanged), skipped=list(plan_.skipped))
    if not plan_.changes:
        return report
    folder = journal_dir(plan_.root)
    now = dt.datetime.now(dt.UTC)
    path = folder / f"{now.strftime('%Y%m%dT%H%M%S%f')}-{uuid.uuid4().hex[:8]}.json"
    journal = {
        "id": path.stem,
        "description": plan_.description,
        "root": str(plan_.root),
        "created": now.isoformat(),
        "state": "applying",
        "files": [
            {
                "rel": c.rel,
                "old": base64.b64encode(c.doc.raw).decode("ascii"),
                "old_sha": _sha(c.doc.raw),
                "new_sha": _sha(c.new),
            }
            for c in plan_.changes
        ],
    }
    _write_journal(path, journal)  # before any file: a crash from here on can be rolled back
    report.journal = path
    for done, change in enumerate(plan_.changes, start=1):
        if cancel is not None and cancel.is_set():
            report.skipped += [(c.rel, "cancelled") for c in plan_.changes[done - 1 :]]
            break
        try:
            storage.write_atomic(plan_.root / change.rel, change.new, change.doc.snapshot)
            report.changed.append(change.rel)
        except ConflictError as exc:
            report.skipped.append((change.rel, exc.message))  # changed since planned: not ours to overwrite
        except MastheadError as exc:
            report.failed.append((change.rel, exc.message))
        if progress:
            progress(done, len(plan_.changes))
    journal["state"] = "done"
    journal["changed"] = report.changed
    _write_journal(path, journal)
    _prune(folder)
    return report


def _prune(folder: Path) -> None:
    finished = [j for j in history_in(folder) if j.get("state") != "applying"]
    for old in finished[KEEP:]:
        Path(old["_path"]).unlink(missing_ok=True)


def history_in(folder: Path) -> list[dict[str, Any]]:
    entries = []
    for path in sorted(folder.glob("*.json"), reverse=True):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a damaged journal is not trusted
        data["_path"] = str(path)
        entries.append(data)
    return entries


def history(root: Path) -> list[dict[str, Any]]:
    """Journals of the archive, newest first (without the old bytes)."""
    return [
        {k: v for k, v in j.items() if k != "files"} | {"files": len(j.get("files", []))}
        for j in history_in(journal_dir(root))
    ]


def _state_on_disk(root: Path, entry: dict[str, Any]) -> tuple[str, Snapshot | None]:
    try:
        current, snap = storage.read_bytes(root / entry["rel"])
    except MastheadError:
        return "missing", None
    digest = _sha(current)
    if digest == entry["new_sha"]:
        return "new", snap
    if digest == entry["old_sha"]:
        return "old", snap
    return "other", snap


def undo(journal_path: Path) -> Report:
    """Restore the old bytes of every file that still has the bytes the operation wrote; report the rest."""
    journal = json.loads(journal_path.read_text(encoding="utf-8"))
    root = Path(journal["root"])
    report = Report(journal=journal_path)
    for entry in journal["files"]:
        state, snap = _state_on_disk(root, entry)
        if state == "new" and snap is not None:
            try:
                storage.write_atomic(root / entry["rel"], base64.b64decode(entry["old"]), snap)
                report.changed.append(entry["rel"])
            except MastheadError as exc:
                report.failed.append((entry["rel"], exc.message))
        elif state == "old":
            report.unchanged.append(entry["rel"])
        else:
            report.skipped.append(
                (entry["rel"], "changed since the operation: left alone" if state == "other" else "no longer exists")
            )
    journal["state"] = "undone"
    _write_journal(journal_path, journal)
    return report


def unfinished(root: Path) -> list[Path]:
    """Journals of operations that were interrupted (a crash or a kill): to complete or roll back."""
    return [Path(j["_path"]) for j in history_in(journal_dir(root)) if j.get("state") == "applying"]


def roll_back(journal_path: Path) -> Report:
    """Undo an interrupted operation (only files that carry its new bytes are restored)."""
    return undo(journal_path)
