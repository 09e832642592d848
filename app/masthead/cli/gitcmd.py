"""``masthead git status|setup``, ``commit``, ``pull``, ``push``, ``merge-file`` and ``resolve``: the window's
git features, headless, on the user's own git."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from masthead.cli.common import fail
from masthead.core import git_ops, git_setup
from masthead.core.git_run import GitError
from masthead.core.git_status import Repo, locate, status
from masthead.core.storage import read_bytes, write_atomic

if TYPE_CHECKING:
    from masthead.core.frontmerge import MergeResult


def _repo(archive: str) -> Repo | None:
    root = Path(archive)
    if not root.is_dir():
        fail(f"{root}: not a folder")
        return None
    found = locate(root)
    if not isinstance(found, Repo):
        fail(f"{root}: {found}")
        return None
    return found


def cmd_git_status(args: argparse.Namespace) -> int:
    repo = _repo(args.archive)
    if repo is None:
        return 2
    try:
        st = status(repo)
    except GitError as exc:
        fail(exc.message)
        return 1
    if args.json:
        files = [{"path": rel, "state": st.files[rel].state} for rel in st.changed]
        out: dict[str, object] = {"branch": st.branch, "head": st.head, "upstream": st.upstream}
        out |= {"ahead": st.ahead, "behind": st.behind, "files": files}
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(st.summary())
    for rel in st.changed:
        print(f"{st.files[rel].state:<10} {rel}")
    return 0


def cmd_git_setup(args: argparse.Namespace) -> int:
    repo = _repo(args.archive)
    if repo is None:
        return 2
    plan = git_setup.plan(repo, git_setup.driver_command())
    print(plan.describe())
    if not plan.needed:
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            fail("nothing written: run again with --yes to write these")
            return 1
        if input("Write these? [y/N] ").strip().lower() not in ("y", "yes"):
            print("nothing written", file=sys.stderr)
            return 1
    try:
        git_setup.apply(plan, repo)
    except (GitError, OSError) as exc:
        fail(str(exc))
        return 1
    print("done: git now merges front matter key by key in this repository", file=sys.stderr)
    return 0


def cmd_commit(args: argparse.Namespace) -> int:
    repo = _repo(args.archive)
    if repo is None:
        return 2
    root = Path(args.archive)
    try:
        if args.files:
            rels = []
            for name in args.files:
                path = Path(name) if Path(name).is_absolute() or Path(name).exists() else root / name
                rels.append(os.path.relpath(path.absolute(), root.absolute()).replace(os.sep, "/"))
        else:
            rels = status(repo).changed
        if not rels and not git_ops.merging(repo):
            print("nothing to commit: no file of the archive changed since the last commit", file=sys.stderr)
            return 0
        message = args.message or (f"Edit {rels[0]}" if len(rels) == 1 else f"Edit {len(rels)} files")
        head = git_ops.commit(repo, rels, message)
    except GitError as exc:
        fail(exc.message)
        return 1
    print(f"committed {len(rels)} file(s) as {head[:10]}: {message.splitlines()[0]}", file=sys.stderr)
    return 0


def _progress(line: str) -> None:
    print(line, file=sys.stderr)


def cmd_pull(args: argparse.Namespace) -> int:
    repo = _repo(args.archive)
    if repo is None:
        return 2
    try:
        pulled = git_ops.pull(repo, progress=_progress)
    except GitError as exc:
        fail(exc.message)
        return 1
    if pulled.conflicts:
        fail(f"the pull left {len(pulled.conflicts)} file(s) in conflict (resolve them in the window, then commit):")
        for rel in pulled.conflicts:
            print(f"conflict   {rel}")
        return 1
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    repo = _repo(args.archive)
    if repo is None:
        return 2
    try:
        git_ops.push(repo, progress=_progress)
    except GitError as exc:
        fail(exc.message)
        return 1
    return 0


def cmd_merge_file(args: argparse.Namespace) -> int:
    """A git merge driver: merge BASE, OURS and THEIRS into OURS (or stdout). Exit 0 when clean, 1 on conflicts."""
    from masthead.core.frontmerge import merge_files

    try:
        base, ours, theirs = (Path(p).read_bytes() for p in (args.base, args.ours, args.theirs))
    except OSError as exc:
        fail(f"{exc.filename}: {exc.strerror}")
        return 2
    shown = args.path or args.ours
    labels = tuple(args.label or []) + ("ours", "base", "theirs")[len(args.label or []) :]
    try:
        result = merge_files(base, ours, theirs, labels=(labels[0], labels[1], labels[2]), marker_size=args.marker_size)
    except Exception as exc:  # a driver that crashes leaves git with nothing: say why, let git fall back
        fail(f"{shown}: could not merge: {exc}")
        return 2
    if args.stdout:
        sys.stdout.buffer.write(result.data)
    else:
        try:
            write_atomic(args.ours, result.data, read_bytes(args.ours)[1] if Path(args.ours).exists() else None)
        except Exception as exc:
            fail(f"{shown}: the merged file could not be written: {exc}")
            return 2
    if result.fallback:
        fail(f"{shown}: merged line by line: {result.fallback}")
    for conflict in result.conflicts:
        fail(f"{shown}: conflict in {conflict.key}: both sides changed it")
    if result.body_conflict:
        fail(f"{shown}: conflict in the body")
    return 0 if result.clean else 1


def cmd_resolve(args: argparse.Namespace) -> int:
    """List a conflicted file's conflicting keys, or resolve them as chosen and stage the file."""
    from masthead.cli.common import assignment
    from masthead.core import git_conflicts
    from masthead.core.frontmerge import ABSENT
    from masthead.core.values import as_text

    repo = _repo(args.archive)
    if repo is None:
        return 2
    given = Path(args.file)
    inside = given.resolve() if given.is_absolute() or given.exists() else (repo.archive / given).resolve()
    try:
        rel = inside.relative_to(repo.archive.resolve()).as_posix()
    except ValueError:
        fail(f"{args.file}: not inside {args.archive}")
        return 2
    try:
        found = git_conflicts.conflicts(repo, rel)
        choices: dict[str, object] = {}
        by_key = {c.key: c for c in found.conflicts}
        for key in args.ours + args.theirs:
            if key not in by_key:
                fail(f"{rel}: {key} is not in conflict (conflicts: {', '.join(by_key) or 'none'})")
                return 2
        choices |= {k: by_key[k].ours for k in args.ours} | {k: by_key[k].theirs for k in args.theirs}
        for text in args.set:
            key, value = assignment(text, as_yaml=True)
            choices[key] = value
        if not choices:
            _list_conflicts(rel, found, args.json, lambda v: "(removed)" if v is ABSENT else as_text(v))
            return 1 if found.conflicts or found.body_conflict else 0
        merged = git_conflicts.resolve(repo, rel, choices)
    except (GitError, argparse.ArgumentTypeError) as exc:
        fail(exc.message if isinstance(exc, GitError) else str(exc))
        return 1 if isinstance(exc, GitError) else 2
    if merged.body_conflict or merged.fallback:
        fail(f"{rel}: written, not staged: the transcript still has conflict markers to finish in an editor")
        return 1
    print(f"resolved {rel} and staged it: commit to finish the merge", file=sys.stderr)
    return 0


def _list_conflicts(rel: str, found: MergeResult, as_json: bool, shown: Callable[[object], str]) -> None:
    if as_json:
        rows = [{"key": c.key, "ours": shown(c.ours), "theirs": shown(c.theirs)} for c in found.conflicts]
        print(json.dumps({"path": rel, "conflicts": rows, "body": found.body_conflict}, ensure_ascii=False))
        return
    for c in found.conflicts:
        print(f"{c.key}\tours: {shown(c.ours)}\ttheirs: {shown(c.theirs)}")
    if found.body_conflict:
        print("(the transcript conflicts too)")
