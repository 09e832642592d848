"""A file a merge left in conflict: its three versions from git's index, the keys in conflict, and the
resolved file written (verified like any save) and staged with ``git add``."""

from __future__ import annotations

from collections.abc import Mapping

from masthead.core import git_ops, storage
from masthead.core.frontmerge import MergeResult, merge_files
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
