"""Where the archive sits in a git work tree, and the state of its files (``git status --porcelain=v2``).

Paths are archive-relative POSIX paths, as the index uses them. A file not listed by ``status`` is clean
when git tracks it.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from masthead.core.git_run import GitError, program, run

STATES = ("clean", "modified", "staged", "new", "untracked", "conflict", "deleted")


@dataclass(frozen=True)
class Repo:
    """A git work tree holding the archive: ``prefix`` is the archive folder inside it (``""`` or ``"a/b/"``)."""

    root: Path
    prefix: str
    archive: Path

    def to_repo(self, rel: str) -> str:
        return self.prefix + rel

    def to_archive(self, repo_rel: str) -> str | None:
        """The archive-relative path of a repository path (None outside the archive)."""
        return repo_rel[len(self.prefix) :] if repo_rel.startswith(self.prefix) else None

    @property
    def pathspec(self) -> list[str]:
        return ["--", self.prefix.rstrip("/") or "."]


def locate(archive: Path) -> Repo | str:
    """The repository holding ``archive``, or the reason there is none (shown where git features would be)."""
    if program() is None:
        return "git is not installed (or not on PATH), so the git features are off"
    try:
        res = run(["rev-parse", "--is-inside-work-tree", "--show-toplevel", "--show-prefix"], archive, check=False)
    except GitError as exc:
        return exc.message
    lines = res.text.splitlines()
    if res.code != 0 or not lines or lines[0] != "true" or len(lines) < 2:
        return "this archive is not in a git repository, so the git features are off"
    prefix = lines[2] if len(lines) > 2 else ""
    return Repo(Path(lines[1]), prefix, archive)


@dataclass(frozen=True)
class FileState:
    index: str  # porcelain's X: "." unchanged, M, A, D, R, C, T, U; "?" untracked
    worktree: str  # porcelain's Y
    state: str  # one of STATES
    renamed_from: str | None = None


def _state(x: str, y: str, kind: str) -> str:
    if kind == "u":
        return "conflict"
    if kind == "?":
        return "untracked"
    if "D" in (x, y):
        return "deleted"
    if x == "A":
        return "new"
    if y != ".":
        return "modified"
    return "staged"


@dataclass(frozen=True)
class Status:
    """One ``git status``: the branch, how far it is from its upstream, and every changed file."""

    branch: str | None = None  # None: a detached HEAD
    head: str | None = None  # the commit (None before the first commit)
    upstream: str | None = None
    ahead: int = 0
    behind: int = 0
    files: dict[str, FileState] = field(default_factory=dict)  # archive-relative path -> state
    tracked: frozenset[str] = frozenset()

    def state_of(self, rel: str) -> str:
        """The file's state; ``clean`` for a tracked, unchanged file, ``""`` for one git ignores or never saw."""
        found = self.files.get(rel)
        if found is not None:
            return found.state
        return "clean" if rel in self.tracked else ""

    @property
    def changed(self) -> list[str]:
        return sorted(self.files)

    @property
    def conflicts(self) -> list[str]:
        return sorted(p for p, f in self.files.items() if f.state == "conflict")

    def summary(self) -> str:
        """``main ↑2 ↓1 · 3 changed`` for the status bar."""
        parts = [self.branch or f"detached at {self.head[:8] if self.head else '?'}"]
        if self.upstream:
            moves = (f"↑{self.ahead}" if self.ahead else "") + (f"↓{self.behind}" if self.behind else "")
            if moves:
                parts[0] += f" {moves}"
        n = len(self.files)
        parts.append(f"{n} changed" if n else "no changes")
        if self.conflicts:
            parts.append(f"{len(self.conflicts)} in conflict")
        return " · ".join(parts)


def status(repo: Repo, cancel: threading.Event | None = None) -> Status:
    """The archive's status: one ``git status`` and one ``git ls-files``, restricted to the archive folder."""
    res = run(
        ["status", "--porcelain=v2", "-z", "--branch", "--untracked-files=all", "--no-renames", *repo.pathspec],
        repo.root,
        cancel=cancel,
    )
    out = parse_status(res.out, repo)
    listed = run(["ls-files", "-z", *repo.pathspec], repo.root, cancel=cancel).out
    tracked = frozenset(
        rel for raw in listed.split(b"\0") if raw and (rel := repo.to_archive(os.fsdecode(raw))) is not None
    )
    return Status(out.branch, out.head, out.upstream, out.ahead, out.behind, out.files, tracked)


def parse_status(data: bytes, repo: Repo) -> Status:
    """Parse ``git status --porcelain=v2 -z --branch`` output."""
    branch: str | None = None
    head: str | None = None
    upstream: str | None = None
    ahead = behind = 0
    files: dict[str, FileState] = {}
    entries = data.split(b"\0")
    i = 0
    while i < len(entries):
        entry = os.fsdecode(entries[i])
        i += 1
        if not entry:
            continue
        kind = entry[0]
        if kind == "#":
            words = entry.split(" ")
            if words[1] == "branch.oid":
                head = None if words[2] == "(initial)" else words[2]
            elif words[1] == "branch.head":
                branch = None if words[2] == "(detached)" else " ".join(words[2:])
            elif words[1] == "branch.upstream":
                upstream = " ".join(words[2:])
            elif words[1] == "branch.ab":
                ahead, behind = int(words[2].lstrip("+")), int(words[3].lstrip("-"))
            continue
        renamed_from = None
        if kind in "12":
            fields = 9 if kind == "1" else 10
            parts = entry.split(" ", fields - 1)
            xy, path = parts[1], parts[-1]
            if kind == "2":  # the original path follows in its own entry
                renamed_from = os.fsdecode(entries[i])
                i += 1
        elif kind == "u":
            parts = entry.split(" ", 10)
            xy, path = parts[1], parts[-1]
        elif kind in "?!":
            if kind == "!":
                continue
            xy, path = "??", entry[2:]
        else:
            continue
        rel = repo.to_archive(path)
        if rel is None:
            continue
        files[rel] = FileState(xy[0], xy[1], _state(xy[0], xy[1], kind), renamed_from)
    return Status(branch, head, upstream, ahead, behind, files)
