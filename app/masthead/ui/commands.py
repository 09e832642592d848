"""Undo commands of the front-matter form (pushed on the document controller's QUndoStack)."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from masthead.core.values import Value

ABSENT: Any = object()  # "the key is not in the front matter"


class Target(Protocol):
    def apply(self, key: str, value: Value) -> None: ...


class SetField(QUndoCommand):
    """Set (or remove, with ABSENT) one key. Consecutive typing in the same field merges into one step."""

    ID = 1

    def __init__(self, target: Target, key: str, old: Value, new: Value, typing: bool) -> None:
        super().__init__(f"{'Remove' if new is ABSENT else ('Add' if old is ABSENT else 'Edit')} {key}")
        self.target, self.key, self.old, self.new, self.typing = target, key, old, new, typing

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if isinstance(other, SetField) and self.typing and other.typing and other.key == self.key:
            self.new = other.new
            return True
        return False

    def redo(self) -> None:
        self.target.apply(self.key, self.new)

    def undo(self) -> None:
        self.target.apply(self.key, self.old)
