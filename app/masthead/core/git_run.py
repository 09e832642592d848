"""Running the user's own ``git`` program: found on PATH, never prompting on a terminal, cancellable.

Everything git does for the archive goes through ``run``: the user's config, credential helpers, hooks and
signing apply as they would in a terminal. Pathspecs are literal (a file named ``*.md`` is that file).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from masthead.core.errors import MastheadError

POLL = 0.05  # seconds between checks of a cancel request while git runs


class GitError(MastheadError):
    """git is missing, failed to start, or refused: ``message`` is what git wrote (or why it could not run)."""

    def __init__(self, message: str, path: Path | str | None = None, code: int | None = None) -> None:
        super().__init__(message, path)
        self.code = code


class GitCancelled(GitError):
    """The user stopped the command."""


@dataclass(frozen=True)
class Result:
    code: int
    out: bytes
    err: str

    @property
    def text(self) -> str:
        return self.out.decode("utf-8", errors="replace")

    @property
    def said(self) -> str:
        """What git wrote, errors first: shown to the user as git wrote it."""
        return "\n".join(part for part in (self.err.strip(), self.text.strip()) if part)


def program() -> str | None:
    """The git program on PATH (``MASTHEAD_GIT`` chooses another), or None when git is not installed."""
    chosen = os.environ.get("MASTHEAD_GIT")
    if chosen:
        return chosen if os.path.isfile(chosen) else shutil.which(chosen)
    return shutil.which("git")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GIT_TERMINAL_PROMPT="0",  # no password prompt on a terminal nobody sees: git says it failed instead
        GIT_LITERAL_PATHSPECS="1",
        GIT_OPTIONAL_LOCKS="0",  # a status never takes the index lock from the user's own git
        GIT_EDITOR="true",  # never an editor nobody sees: a merge keeps git's message, a commit has ours
        LC_MESSAGES="C",  # messages we explain are matched in English; git's own words are still shown
    )
    env.pop("LANGUAGE", None)
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


def run(
    args: Sequence[str],
    cwd: Path,
    *,
    stdin: bytes | None = None,
    check: bool = True,
    cancel: threading.Event | None = None,
    progress: Callable[[str], None] | None = None,
    config: Iterable[str] = (),
) -> Result:
    """Run ``git ARGS`` in ``cwd``. ``check``: a non-zero exit raises GitError with what git wrote.
    ``progress`` receives each line (or ``\\r``-ended update) git writes to stderr as it runs; ``cancel`` set
    from another thread stops git (GitCancelled)."""
    git = program()
    if git is None:
        raise GitError("git is not installed (or not on PATH): the git features need the git program")
    command = [git, "-c", "core.quotepath=false", "-c", "color.ui=false"]
    for item in config:
        command += ["-c", item]
    command += list(args)
    try:
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=_env(),
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=os.name == "posix",  # no controlling terminal: ssh and git cannot prompt on one
        )
    except OSError as exc:
        raise GitError(f"git could not be started: {exc.strerror or exc}", cwd) from None
    out_chunks: list[bytes] = []
    err_lines: list[str] = []
    threads = [
        threading.Thread(target=_collect, args=(proc.stdout, out_chunks), daemon=True),
        threading.Thread(target=_lines, args=(proc.stderr, err_lines, progress), daemon=True),
    ]
    for t in threads:
        t.start()
    if stdin is not None and proc.stdin is not None:
        try:
            proc.stdin.write(stdin)
            proc.stdin.close()
        except BrokenPipeError:
            pass
    while True:
        try:
            proc.wait(timeout=POLL)
            break
        except subprocess.TimeoutExpired:
            if cancel is not None and cancel.is_set():
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
                for t in threads:
                    t.join(timeout=1)
                raise GitCancelled("stopped", cwd) from None
    for t in threads:
        t.join()
    result = Result(proc.returncode, b"".join(out_chunks), "".join(err_lines))
    if check and result.code != 0:
        raise GitError(
            result.said or f"git {args[0] if args else ''} failed (exit status {result.code})", cwd, result.code
        )
    return result


def _collect(stream: IO[bytes], into: list[bytes]) -> None:
    read = stream.read
    while chunk := read(65536):
        into.append(chunk)


def _lines(stream: IO[bytes], into: list[str], progress: Callable[[str], None] | None) -> None:
    """Read stderr as it comes; progress meters end their updates with ``\\r``, messages with ``\\n``."""
    read: Callable[[int], bytes] = getattr(stream, "read1", stream.read)
    pending = b""
    while chunk := read(4096):
        pending += chunk
        while True:
            cut = min((i for i in (pending.find(b"\n"), pending.find(b"\r")) if i >= 0), default=-1)
            if cut < 0:
                break
            piece, ending, pending = pending[:cut], pending[cut : cut + 1], pending[cut + 1 :]
            text = piece.decode("utf-8", errors="replace")
            if ending == b"\n":
                into.append(text + "\n")
            if progress is not None and text.strip():
                progress(text.strip())
    if pending:
        into.append(pending.decode("utf-8", errors="replace"))


def with_paths(paths: Iterable[str]) -> tuple[list[str], bytes]:
    """Options and stdin that pass any number of paths (``--pathspec-from-file``: no command-line limit)."""
    data = b"".join(os.fsencode(p) + b"\0" for p in paths)
    return ["--pathspec-from-file=-", "--pathspec-file-nul"], data
