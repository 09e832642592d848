"""``masthead git setup``: make git merge the archive's front matter with Masthead's merge driver.

Two things, both local to the repository: a ``.gitattributes`` line in the archive folder naming the driver
for Markdown files, and the driver's ``merge.masthead.*`` settings in the repository's own config.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from masthead.core import storage
from masthead.core.git_run import run
from masthead.core.git_status import Repo

DRIVER = "masthead"
PATTERNS = ("*.md", "*.markdown")
NAME = "Masthead: merge front matter key by key"


def driver_command() -> str:
    """How git should start this Masthead as its merge driver (quoted for git's shell)."""
    if getattr(sys, "frozen", False):  # a packaged app: its own executable
        return shlex.quote(sys.executable)
    return f"{shlex.quote(sys.executable)} -m masthead"


def driver_line(command: str) -> str:
    """The ``merge.masthead.driver`` value for a Masthead started by ``command`` (already shell-quoted)."""
    return f"{command} merge-file %O %A %B --path %P --marker-size %L"


@dataclass(frozen=True)
class SetupPlan:
    attributes: Path  # the .gitattributes file to write
    lines: tuple[str, ...]  # lines it gains
    config: tuple[tuple[str, str], ...]  # (key, value) to set in the repository's config

    @property
    def needed(self) -> bool:
        return bool(self.lines or self.config)

    def describe(self) -> str:
        if not self.needed:
            return "git already merges this archive's files with Masthead: nothing to change."
        out = ["Masthead will make git merge front matter key by key (only in this repository):"]
        if self.lines:
            out.append(f"- add to {self.attributes}:")
            out += [f"    {line}" for line in self.lines]
        if self.config:
            out.append("- set in the repository's own config (.git/config):")
            out += [f"    {key} = {value}" for key, value in self.config]
        return "\n".join(out)


def _config(repo: Repo, key: str) -> str | None:
    res = run(["config", "--local", "--get", key], repo.root, check=False)
    return res.text.strip() if res.code == 0 else None


def plan(repo: Repo, command: str) -> SetupPlan:
    attributes = repo.archive / ".gitattributes"
    have = attributes.read_text(encoding="utf-8", errors="replace").splitlines() if attributes.exists() else []
    lines = tuple(
        f"{pattern} merge={DRIVER}"
        for pattern in PATTERNS
        if f"{pattern} merge={DRIVER}" not in [h.strip() for h in have]
    )
    wanted = ((f"merge.{DRIVER}.name", NAME), (f"merge.{DRIVER}.driver", driver_line(command)))
    config = tuple((k, v) for k, v in wanted if _config(repo, k) != v)
    return SetupPlan(attributes, lines, config)


def apply(setup: SetupPlan, repo: Repo) -> None:
    """Write what ``plan`` described: ``.gitattributes`` keeps its bytes and gains lines at its end."""
    for key, value in setup.config:
        run(["config", "--local", key, value], repo.root)
    if setup.lines:
        old, snap = storage.read_bytes(setup.attributes) if setup.attributes.exists() else (b"", None)
        eol = b"\r\n" if b"\r\n" in old else b"\n"
        if old and not old.endswith((b"\n", b"\r")):
            old += eol
        new = old + b"".join(line.encode("utf-8") + eol for line in setup.lines)
        storage.write_atomic(setup.attributes, new, snap)


def is_set_up(repo: Repo) -> bool:
    """The archive's Markdown files already go through the driver and the driver is configured."""
    res = run(["check-attr", "merge", "--", repo.to_repo("x.md")], repo.root, check=False)
    return res.text.strip().endswith(f": {DRIVER}") and _config(repo, f"merge.{DRIVER}.driver") is not None
