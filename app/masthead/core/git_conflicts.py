"""A file a merge left in conflict: its three versions from git's index, the keys in conflict, and the
resolved file written (verified like any save) and staged with ``git add``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from masthead.core import git_ops, storage
from masthead.core.document import DEFAULT_SEQ_OFFSET, Document
from masthead.core.frontmerge import KeyConflict, MergeResult, merge_files
from masthead.core.git_run import GitError
from masthead.core.git_status import Repo


def stages(repo: Repo, rel: str) -> tuple[bytes, bytes, bytes]:
    """(base, ours, theirs) of a conflicted file; a side that does not have the file is empty."""
    found = [git_ops.blob(repo, rel, f":{n}") for n in (1, 2, 3)]
    if found[1] is None and found[2] is None:
        raise GitError(f"{rel} is not in conflict", repo.archive / rel)
    return found[0] or b"", found[1] or b"", found[2] or b""


def conflicts(repo: Repo, rel: str) -> MergeResult:
    return merge_files(*stages(repo, rel))


MARKER = re.compile(rb"^(<{7}|>{7})(?: |\r?$)", re.MULTILINE)


@dataclass(frozen=True)
class Resolution:
    """A conflicted file ready for the form: ``document`` is the merge with our value for each conflicting
    key (theirs' other changes taken), read against the file on disk (its snapshot), so that saving it writes
    over exactly the conflicted file git left. ``fallback``: why it could not be merged by key (then
    ``document`` holds the line merge, with markers, and cannot be edited)."""

    document: Document
    conflicts: list[KeyConflict]
    body_conflict: bool
    fallback: str | None


def for_editing(repo: Repo, rel: str, default_seq_offset: int = DEFAULT_SEQ_OFFSET) -> Resolution:
    """The form's starting point for resolving ``rel``: see ``Resolution``."""
    sides = stages(repo, rel)
    first = merge_files(*sides)
    merged = first
    if first.conflicts:
        merged = merge_files(*sides, resolutions={c.key: c.ours for c in first.conflicts})
    path = repo.archive / rel
    _disk, snap = storage.read_bytes(path)
    doc = Document(merged.data, path, snap, default_seq_offset=default_seq_offset)
    return Resolution(doc, first.conflicts, merged.body_conflict, merged.fallback)


def marker_line(data: bytes) -> int | None:
    """The first line (1-based) holding a conflict marker (``<<<<<<<`` or ``>>>>>>>``), or None."""
    found = MARKER.search(data)
    return data.count(b"\n", 0, found.start()) + 1 if found else None


def stage_resolved(repo: Repo, rel: str) -> None:
    """``git add`` a file whose conflict the editor resolved; GitError (nothing staged) while it still holds
    conflict markers, e.g. in a transcript that conflicted too."""
    data, _snap = storage.read_bytes(repo.archive / rel)
    line = marker_line(data)
    if line is not None:
        raise GitError(
            f"{rel} still has conflict markers (line {line}): finish them in an editor, then save or git add",
            repo.archive / rel,
        )
    git_ops.add(repo, [rel])


def resolve(repo: Repo, rel: str, resolutions: Mapping[str, object]) -> MergeResult:
    """Write the merge with these values for the conflicting keys, then ``git add`` it. A body that still
    conflicts is written with its markers (and the file stays in conflict for the user to finish)."""
    merged = merge_files(*stages(repo, rel), resolutions=resolutions)
    if merged.conflicts:
        keys = ", ".join(c.key for c in merged.conflicts)
        raise GitError(f"choose a value for: {keys}", repo.archive / rel)
    path = repo.archive / rel
    _old, snap = storage.read_bytes(path)
    storage.write_atomic(path, merged.data, snap)
    if not merged.body_conflict and merged.fallback is None:
        git_ops.add(repo, [rel])
    return merged
