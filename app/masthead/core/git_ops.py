"""What Masthead asks of git: commit chosen files, pull, push, a file's history and its versions.

Every function runs the user's git (``git_run.run``); failures are GitError carrying git's own words, with
``explain`` adding a sentence for the failures editors meet most (a rejected push, a failed login).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from masthead.core.git_run import GitError, run, with_paths
from masthead.core.git_status import Repo, status

Progress = Callable[[str], None] | None


def blob(repo: Repo, rel: str, rev: str = "HEAD") -> bytes | None:
    """The file as ``rev`` holds it (``rev`` ``:2`` / ``:3``: ours / theirs of a conflict), None if absent there."""
    res = run(["cat-file", "blob", f"{rev}:{repo.to_repo(rel)}"], repo.root, check=False)
    return res.out if res.code == 0 else None


def merging(repo: Repo) -> bool:
    """A merge is under way (a pull stopped on conflicts, not yet committed)."""
    return run(["rev-parse", "-q", "--verify", "MERGE_HEAD"], repo.root, check=False).code == 0


def add(repo: Repo, rels: Iterable[str]) -> None:
    """Stage the files as they are on disk (``git add -A``: a deleted file is staged as deleted)."""
    opts, data = with_paths(repo.to_repo(r) for r in rels)
    if data:
        run(["add", "-A", *opts], repo.root, stdin=data)


def commit(repo: Repo, rels: Iterable[str], message: str, cancel: threading.Event | None = None) -> str:
    """Commit exactly these files as they are on disk (others' staged changes stay staged); the new commit's id.
    During a merge every file is committed (git allows no partial merge commit)."""
    paths = sorted(set(rels))
    if not message.strip():
        raise GitError("the commit message is empty")
    if merging(repo):
        add(repo, paths)
        run(["commit", "-m", message], repo.root, cancel=cancel)
    else:
        if not paths:
            raise GitError("no files chosen to commit")
        add(repo, paths)
        opts, data = with_paths(repo.to_repo(r) for r in paths)
        run(["commit", "-m", message, *opts], repo.root, stdin=data, cancel=cancel)
    return run(["rev-parse", "HEAD"], repo.root).text.strip()


def _upstream_args(repo: Repo) -> list[str]:
    """``push`` arguments for a branch without an upstream: its one remote (or origin), set as upstream."""
    st = status(repo)
    if st.upstream or st.branch is None:
        return []
    remotes = run(["remote"], repo.root).text.split()
    if not remotes:
        raise GitError("this repository has no remote to push to (add one with git remote add)")
    remote = "origin" if "origin" in remotes else remotes[0]
    return ["-u", remote, "HEAD"]


def push(repo: Repo, cancel: threading.Event | None = None, progress: Progress = None) -> str:
    """Push the current branch; what git said."""
    res = run(["push", "--progress", *_upstream_args(repo)], repo.root, cancel=cancel, progress=progress, check=False)
    if res.code != 0:
        raise GitError(explain(res.said, "push"), repo.root, res.code)
    return res.said


@dataclass(frozen=True)
class Pulled:
    said: str
    conflicts: list[str]  # archive-relative files left in conflict


def pull(repo: Repo, cancel: threading.Event | None = None, progress: Progress = None) -> Pulled:
    """Pull the current branch. Without a ``pull.rebase`` setting the pull merges (so the front-matter merge
    driver applies); a merge stopped on conflicts is an outcome, not an error."""
    args = ["pull", "--progress", "--no-edit"]
    if run(["config", "--get", "pull.rebase"], repo.root, check=False).code != 0:
        args.append("--no-rebase")
    res = run(args, repo.root, cancel=cancel, progress=progress, check=False)
    if res.code != 0:
        conflicts = status(repo).conflicts
        if conflicts:
            return Pulled(res.said, conflicts)
        raise GitError(explain(res.said, "pull"), repo.root, res.code)
    return Pulled(res.said, [])


_PULL_FIRST = "The remote has commits this copy does not have yet: Pull first, then Push."
_LOGIN = (
    "git could not log in to the remote. Check your credentials (git's credential helper, or your SSH key and "
    "agent) in a terminal with git push; Masthead uses the same git."
)
_EXPLAINED: tuple[tuple[tuple[str, ...], str], ...] = (
    (("[rejected]", "non-fast-forward", "fetch first"), _PULL_FIRST),
    (("Authentication failed", "could not read Username", "could not read Password", "error: 403"), _LOGIN),
    (("Permission denied (publickey",), _LOGIN),
    (
        ("Could not resolve host", "unable to access", "Connection refused", "timed out"),
        "The remote could not be reached.",
    ),
    (("has no upstream branch", "no tracking information"), "This branch has no upstream on a remote yet."),
    (
        ("would be overwritten by merge", "Your local changes to the following files"),
        "Files changed here would be overwritten by the pull: commit them first.",
    ),
    (("unmerged files",), "A merge is still unfinished: resolve its conflicts and commit first."),
    (("Please tell me who you are", "empty ident"), "git does not know who you are: set user.name and user.email."),
)


def explain(said: str, operation: str) -> str:
    """git's message, preceded by one sentence saying what it means when it is a failure editors often meet."""
    for needles, sentence in _EXPLAINED:
        if any(n in said for n in needles):
            return f"{sentence}\n\ngit {operation} said:\n{said}"
    return f"git {operation} failed:\n{said}" if said else f"git {operation} failed"


@dataclass(frozen=True)
class Version:
    """One commit that changed the file."""

    commit: str
    author: str
    when: int  # seconds since the epoch
    subject: str
    path: str  # archive-relative path of the file in that commit (it may have been renamed since)


def history(repo: Repo, rel: str, limit: int = 500) -> list[Version]:
    """The commits that changed the file, newest first, following renames."""
    res = run(
        [
            "log",
            "--follow",
            f"-n{limit}",
            "--format=%x1e%H%x1f%an%x1f%at%x1f%s",
            "--name-only",
            "--",
            repo.to_repo(rel),
        ],
        repo.root,
    )
    out: list[Version] = []
    for record in res.text.split("\x1e"):
        if not record.strip():
            continue
        head, _, names = record.partition("\n")
        commit, author, when, subject = [*head.split("\x1f"), "", "", "0", ""][:4]
        path = next((n for n in names.splitlines() if n.strip()), repo.to_repo(rel))
        out.append(Version(commit, author, int(when or 0), subject, repo.to_archive(path) or path))
    return out


def version(repo: Repo, v: Version) -> bytes | None:
    """The file's bytes as commit ``v`` left them."""
    return blob(repo, v.path, v.commit)


def diff_to_head(repo: Repo, rel: str) -> str:
    """The file on disk against the last commit, as a unified diff ("" when unchanged)."""
    from masthead.core.document import unified_diff

    head = blob(repo, rel)
    path = repo.archive / rel
    try:
        now = path.read_bytes()
    except FileNotFoundError:
        now = b""
    if head is None:
        return f"# {rel} is not in the last commit (a new file)\n" + unified_diff(b"", now, rel)
    out = unified_diff(head, now, rel)
    return out.replace(f"+++ {rel} (edited)", f"+++ {rel} (on disk)", 1).replace(
        f"--- {rel}", f"--- {rel} (last commit)", 1
    )


@dataclass(frozen=True)
class VersionView:
    """One version of a file for the History dialog: its front matter (or why it cannot be read) and its diff
    against the version before it."""

    data: dict[str, object]
    error: str | None
    diff: str


def view_version(repo: Repo, versions: list[Version], i: int) -> VersionView:
    from masthead.core.document import Document, unified_diff

    raw = version(repo, versions[i]) or b""
    before = version(repo, versions[i + 1]) if i + 1 < len(versions) else b""
    doc = Document(raw)
    error = doc.error.message if doc.error is not None else None
    return VersionView(doc.data if error is None else {}, error, unified_diff(before or b"", raw, versions[i].path))
