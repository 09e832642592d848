"""Real git repositories in temporary folders: a bare "remote" and clones of it, each with its own identity."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

HAVE_GIT = shutil.which("git") is not None
needs_git = pytest.mark.skipif(not HAVE_GIT, reason="git is not installed")


def git(cwd: Path, *args: str, check: bool = True) -> str:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    res = subprocess.run(["git", "-c", "core.quotepath=false", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if check and res.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {res.stderr}{res.stdout}")
    return res.stdout


def identify(repo: Path, name: str = "Editor One") -> None:
    git(repo, "config", "user.name", name)
    git(repo, "config", "user.email", f"{name.lower().replace(' ', '.')}@example.org")
    git(repo, "config", "commit.gpgsign", "false")


def init(path: Path, files: dict[str, bytes] | None = None, name: str = "Editor One") -> Path:
    """A work tree with ``files`` committed on ``main``."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    identify(path, name)
    for rel, data in (files or {}).items():
        target = path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    if files:
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", "first")
    return path


def committed(root: Path) -> Path:
    """Make the folder ``root`` (an archive already written there) a repository with everything committed."""
    init(root)
    commit_all(root, "first")
    return root


def remote_and_clones(tmp: Path, files: dict[str, bytes]) -> tuple[Path, Path, Path]:
    """A bare remote holding ``files`` and two clones of it (editors one and two)."""
    seed = init(tmp / "seed", files)
    remote = tmp / "remote.git"
    git(tmp, "clone", "-q", "--bare", str(seed), str(remote))
    one, two = tmp / "one", tmp / "two"
    for clone, name in ((one, "Editor One"), (two, "Editor Two")):
        git(tmp, "clone", "-q", str(remote), str(clone))
        identify(clone, name)
    return remote, one, two


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
