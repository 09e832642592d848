"""The archive's git repository for the window: its status kept current, and commit, pull, push, history
run on one background thread (git commands never run on the GUI thread, and never two at once)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from masthead.core import git_conflicts, git_ops, git_setup
from masthead.core.git_run import GitCancelled, GitError
from masthead.core.git_status import Repo, Status, locate, status
from masthead.ui.tasks import run_in_background

REFRESH_DELAY = 300  # ms: saves and outside changes that come together make one git status


class _Progress(QObject):
    line = Signal(str)  # a str crosses threads as a QString copy


class GitController(QObject):
    """``repo`` is None outside a work tree (``reason`` says why); ``status`` is the latest git status."""

    changed = Signal()  # status (or availability) changed
    progress = Signal(str)  # a pull's or push's progress line
    finished = Signal(str, bool, str)  # operation (commit/pull/push), ok, what to tell the user
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.repo: Repo | None = None
        self.reason = "no archive is open"
        self.status = Status()
        self.running: str | None = None  # the long operation under way (commit, pull, push)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._generation = 0
        self._refreshing = False
        self._again = False
        self._cancel: threading.Event | None = None
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY)
        self._timer.timeout.connect(self._refresh_now)
        self._relay = _Progress(self)
        self._relay.line.connect(self.progress)

    @property
    def available(self) -> bool:
        return self.repo is not None

    # ------------------------------------------------------------------ archive
    def open(self, root: Path) -> None:
        self._generation += 1
        generation = self._generation
        self.repo, self.status, self.reason = None, Status(), "looking for a git repository…"
        self.changed.emit()

        def done(found: Repo | str | None, error: BaseException | None) -> None:
            if generation != self._generation:
                return
            if isinstance(found, Repo):
                self.repo, self.reason = found, ""
                self._refresh_now()
            else:
                self.reason = str(found if found is not None else error)
            self.changed.emit()

        self._run(lambda: locate(root), done)

    def close(self) -> None:
        self._generation += 1
        self.cancel()
        self.repo, self.status, self.reason = None, Status(), "no archive is open"
        self.changed.emit()

    # ------------------------------------------------------------------ status
    def refresh(self) -> None:
        """Ask for a new status soon (saves, bulk operations and outside changes call this)."""
        if self.repo is not None:
            self._timer.start()

    def _refresh_now(self) -> None:
        repo = self.repo
        if repo is None:
            return
        if self._refreshing:
            self._again = True
            return
        self._refreshing, self._again = True, False
        generation = self._generation

        def done(found: Status | None, error: BaseException | None) -> None:
            self._refreshing = False
            if generation != self._generation:
                return
            if found is not None:
                self.status = found
                self.changed.emit()
            if self._again:
                self._refresh_now()

        self._run(lambda: status(repo), done)

    def state_of(self, rel: str) -> str:
        return self.status.state_of(rel) if self.repo is not None else ""

    # ------------------------------------------------------------------ long operations
    def commit(self, rels: Sequence[str], message: str, push: bool = False) -> None:
        def work(cancel: threading.Event) -> str:
            assert self.repo is not None
            head = git_ops.commit(self.repo, rels, message, cancel)
            said = f"Committed {len(rels)} file(s) as {head[:8]}: {message.splitlines()[0]}"
            if push:
                try:
                    git_ops.push(self.repo, cancel, self._relay.line.emit)
                except GitError as exc:
                    raise GitError(f"{said}, but the push failed.\n\n{exc.message}") from None
                said += ", and pushed"
            return said

        self._long("commit", work)

    def pull(self) -> None:
        def work(cancel: threading.Event) -> str:
            assert self.repo is not None
            pulled = git_ops.pull(self.repo, cancel, self._relay.line.emit)
            if pulled.conflicts:
                names = "\n".join(pulled.conflicts[:20])
                raise GitError(
                    f"The pull left {len(pulled.conflicts)} file(s) in conflict. Open each (git:conflict finds "
                    f"them), choose the values in the form and save; then commit.\n\n{names}"
                )
            return "Pulled: " + (pulled.said.splitlines()[-1] if pulled.said else "up to date")

        self._long("pull", work)

    def push(self) -> None:
        def work(cancel: threading.Event) -> str:
            assert self.repo is not None
            git_ops.push(self.repo, cancel, self._relay.line.emit)
            return "Pushed"

        self._long("push", work)

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def _long(self, name: str, work: Callable[[threading.Event], str]) -> None:
        if self.repo is None or self.running is not None:
            return
        cancel = self._cancel = threading.Event()
        self.running = name
        self.busy_changed.emit(True)

        def done(said: str | None, error: BaseException | None) -> None:
            self.running, self._cancel = None, None
            self.busy_changed.emit(False)
            if isinstance(error, GitCancelled):
                self.finished.emit(name, False, f"{name.capitalize()} stopped.")
            elif error is not None:
                self.finished.emit(name, False, getattr(error, "message", str(error)))
            else:
                self.finished.emit(name, True, said or "")
            self.refresh()

        self._run(lambda: work(cancel), done)

    # ------------------------------------------------------------------ reading, off the GUI thread
    def diff(self, rel: str, done: Callable[[str], None]) -> None:
        """The file on disk against the last commit, to ``done`` (an error's text if git fails)."""
        self.call(lambda repo: git_ops.diff_to_head(repo, rel), lambda text, err: done(text or str(err or "")))

    def history(self, rel: str, done: Callable[[Any, BaseException | None], None]) -> None:
        self.call(lambda repo: git_ops.history(repo, rel), done)

    def view_version(
        self, versions: list[git_ops.Version], i: int, done: Callable[[Any, BaseException | None], None]
    ) -> None:
        self.call(lambda repo: git_ops.view_version(repo, versions, i), done)

    def conflicts(self, rel: str, indent: int, done: Callable[[Any, BaseException | None], None]) -> None:
        """The conflicted file as the form resolves it (``git_conflicts.Resolution``), to ``done``."""
        self.call(lambda repo: git_conflicts.for_editing(repo, rel, indent), done)

    def stage_resolved(self, rel: str, done: Callable[[Any, BaseException | None], None]) -> None:
        self.call(lambda repo: git_conflicts.stage_resolved(repo, rel), done)

    def plan_setup(self, done: Callable[[Any, BaseException | None], None]) -> None:
        self.call(lambda repo: git_setup.plan(repo, git_setup.driver_command()), done)

    def apply_setup(self, plan: git_setup.SetupPlan, done: Callable[[Any, BaseException | None], None]) -> None:
        self.call(lambda repo: git_setup.apply(plan, repo), done)

    def is_set_up(self, done: Callable[[Any, BaseException | None], None]) -> None:
        self.call(git_setup.is_set_up, done)

    # ------------------------------------------------------------------ anything else, off the GUI thread
    def call(self, fn: Callable[[Repo], Any], done: Callable[[Any, BaseException | None], None]) -> None:
        """Run ``fn(repo)`` on the git thread; ``done(result, error)`` on the GUI thread."""
        repo = self.repo
        if repo is None:
            done(None, GitError(self.reason))
            return
        self._run(lambda: fn(repo), done)

    def _run(self, fn: Callable[[], Any], done: Callable[[Any, BaseException | None], None]) -> None:
        run_in_background(fn, done, self, self._pool)
