"""One ordered undo history for the window: the current file's edits (its QUndoStack) and this session's
bulk operations (journals), each stamped with a sequence number when it happens.

Undo takes the most recent of (the form's next undo, the last bulk operation); Redo the oldest of the
redo candidates, so a bulk redo is never hidden behind a form redo. A bulk step rewrites files other than
the one on screen, so the window asks first (``confirm``)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from masthead.core.wording import plural

STAMP = "history_seq"
WINDOW_UNDO = "windowUndo"  # (set on a form field: see UndoKeys)


@dataclass
class BulkStep:
    """A bulk operation of this session, as a command of the history: its undo/redo runs the journal."""

    journal: str
    description: str
    files: int
    seq: int

    def label(self) -> str:
        """For Edit ▸ Undo: ``add “ai” to tags (12 files)`` (it was quoted: “add “ai” to tags”)."""
        return f"{self.description} ({plural(self.files, 'file')})"


Step = tuple[Literal["form"], QUndoCommand] | tuple[Literal["bulk"], BulkStep]
Runner = Callable[[BulkStep, bool], bool]  # (step, undoing) -> started


class UndoHistory(QObject):
    """Edit ▸ Undo / Redo over the form's stack and the bulk steps. ``changed`` when either moves."""

    changed = Signal()

    def __init__(self, run: Runner, confirm: Callable[[str, BulkStep], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._run, self._confirm = run, confirm
        self._counter = itertools.count(1)
        self.undo_steps: list[BulkStep] = []
        self.redo_steps: list[BulkStep] = []
        self.stack: QUndoStack | None = None
        self.busy = False  # a bulk step is running
        self.ask = True  # ask before a bulk step rewrites files (benchmarks and some tests turn it off)

    # ------------------------------------------------------------------ feeding
    def bind(self, stack: QUndoStack) -> None:
        """Follow the current document's undo stack (every new command gets the next number)."""
        self.stack = stack
        self._last = (stack.index(), stack.count())
        stack.indexChanged.connect(self._on_index)
        for signal in (stack.canUndoChanged, stack.canRedoChanged, stack.undoTextChanged):
            signal.connect(self._on_stack)
        self._stamp()

    def _on_index(self, index: int) -> None:
        stack = self.stack
        assert stack is not None
        if (index, stack.count()) == self._last and index > 0:  # typing merged into the last command:
            command = stack.command(index - 1)  # it is the newest step again (it may follow a bulk operation)
            if command is not None:
                setattr(command, STAMP, next(self._counter))
        self._last = (index, stack.count())
        self._on_stack()

    def _on_stack(self, *_: object) -> None:
        self._stamp()
        self.changed.emit()

    def _stamp(self) -> None:
        stack = self.stack
        if stack is None:
            return
        for i in range(stack.count() - 1, -1, -1):  # new commands are at the end: stop at the first stamped
            command = stack.command(i)
            if command is None or getattr(command, STAMP, None) is not None:
                break
            setattr(command, STAMP, next(self._counter))

    def record(self, journal: str, description: str, files: int) -> BulkStep:
        """A bulk operation was applied: it is the newest step; what was undone can no longer be redone here."""
        step = BulkStep(journal, description, files, next(self._counter))
        self.undo_steps.append(step)
        self.redo_steps.clear()
        self.changed.emit()
        return step

    def moved(self, journal: str, description: str, files: int, undone: bool) -> None:
        """A journal was undone (or redone), from here or from the History dialog: move it to the other list."""
        known = next((s for s in (*self.undo_steps, *self.redo_steps) if s.journal == journal), None)
        step = known or BulkStep(journal, description, files, next(self._counter))
        self.undo_steps = [s for s in self.undo_steps if s.journal != journal]
        self.redo_steps = [s for s in self.redo_steps if s.journal != journal]
        (self.redo_steps if undone else self.undo_steps).append(step)
        self.changed.emit()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.changed.emit()

    # ------------------------------------------------------------------ what comes next
    def _seq(self, command: QUndoCommand | None) -> int:
        return int(getattr(command, STAMP, 0) or 0)

    def next_undo(self) -> Step | None:
        stack = self.stack
        form = stack.command(stack.index() - 1) if stack is not None and stack.canUndo() else None
        bulk = self.undo_steps[-1] if self.undo_steps else None
        if form is not None and (bulk is None or self._seq(form) > bulk.seq):
            return ("form", form)
        return ("bulk", bulk) if bulk is not None else None

    def next_redo(self) -> Step | None:
        stack = self.stack
        form = stack.command(stack.index()) if stack is not None and stack.canRedo() else None
        bulk = self.redo_steps[-1] if self.redo_steps else None
        if form is not None and (bulk is None or self._seq(form) < bulk.seq):
            return ("form", form)
        return ("bulk", bulk) if bulk is not None else None

    def text(self, undoing: bool) -> tuple[str, bool]:
        """The menu text naming what will happen, and whether the action is enabled."""
        verb = "Undo" if undoing else "Redo"
        step = self.next_undo() if undoing else self.next_redo()
        if step is None:
            return f"&{verb}", False
        if step[0] == "form":
            return f"&{verb} {_menu(step[1].text())}".strip(), True
        bulk = step[1]
        return f"&{verb} {_menu(bulk.label())}", not self.busy

    # ------------------------------------------------------------------ doing it
    def undo(self) -> None:
        self._step(True)

    def redo(self) -> None:
        self._step(False)

    def _step(self, undoing: bool) -> None:
        step = self.next_undo() if undoing else self.next_redo()
        if step is None:
            return
        if step[0] == "form":
            assert self.stack is not None
            (self.stack.undo if undoing else self.stack.redo)()
            return
        bulk = step[1]
        if self.busy or (self.ask and not self._confirm("Undo" if undoing else "Redo", bulk)):
            return
        self._run(bulk, undoing)


def confirm_text(verb: str, step: BulkStep, file_shown: bool = True) -> str:
    """The question before a bulk step is undone or redone (``file_shown``: a file is on screen, which Ctrl+Z
    might be taken to be about)."""
    also = " (not only the file on screen)" if file_shown else ""
    return f"{verb} {step.description}? This rewrites {plural(step.files, 'file')}{also}."


def _menu(text: str) -> str:
    """``text`` for a menu item: an ``&`` in it (a tag "R&D") is shown, not taken for a shortcut mark."""
    return text.replace("&", "&&")


UNDO_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


class UndoKeys(QObject):
    """An event filter on the focused widget: Ctrl+Z / Ctrl+Shift+Z in a form field (``WINDOW_UNDO``), or in
    a text field with nothing of its own to undo (a tag picker's empty input, a read-only view), reaches the
    window's Edit ▸ Undo instead of being swallowed by the field (Qt lets a focused QLineEdit override the
    Undo shortcut even when it has no undo).

    It follows the focus (``follow``) instead of filtering the whole application: an application filter
    makes every event of every widget a Python call, each waiting for the GIL while a worker thread runs."""

    def follow(self, app: QApplication) -> None:
        app.focusChanged.connect(self._on_focus)

    def _on_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.parent() is not None and new.window() is self.parent():
            new.installEventFilter(self)  # once per widget: Qt keeps one entry per filter

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and watched.property(WINDOW_UNDO)
            and any(event.matches(key) for key in UNDO_KEYS)
        ):
            return True  # the window has nothing to undo (its shortcut is off): nor has the field, of its own
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        undo = event.matches(QKeySequence.StandardKey.Undo)
        redo = event.matches(QKeySequence.StandardKey.Redo)
        if not (undo or redo) or watched is not QApplication.focusWidget():
            return False
        if watched.property(WINDOW_UNDO):  # a form field: its typing is the history's (its own undo went
            passes = True  # back through older typing, already saved, as a new step: a new-user trial)
        elif isinstance(watched, QLineEdit):
            own = watched.isUndoAvailable() and bool(watched.text()) if undo else watched.isRedoAvailable()
            passes = watched.isReadOnly() or not own
        elif isinstance(watched, QPlainTextEdit | QTextEdit):
            passes = watched.isReadOnly()
        elif isinstance(watched, QAbstractSpinBox):
            passes = True  # a date or number field: the form's commands are the undo
        else:
            return False
        if passes:
            event.ignore()
            return True  # not overridden: the window's shortcut fires
        return False
