"""The form's read-through view of its document controller's state (the surface the window uses)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QUndoStack

from masthead.core.document import Document
from masthead.core.workflow import Problem, Schema
from masthead.ui.document_controller import DocumentController


class ControllerState:
    """Mixed into FormPane: ``doc``, ``rel``, ``dirty``… are the controller's."""

    controller: DocumentController

    @property
    def doc(self) -> Document | None:
        return self.controller.doc

    @property
    def root(self) -> Path | None:
        return self.controller.root

    @property
    def rel(self) -> str | None:
        return self.controller.rel

    @property
    def dirty(self) -> bool:
        return self.controller.dirty

    @property
    def saving(self) -> bool:
        return self.controller.saving

    @property
    def undo_stack(self) -> QUndoStack:
        return self.controller.undo_stack

    @property
    def schema(self) -> Schema:
        return self.controller.schema

    @schema.setter
    def schema(self, schema: Schema) -> None:
        self.controller.schema = schema

    @property
    def list_indent(self) -> int:
        return self.controller.list_indent

    @list_indent.setter
    def list_indent(self, indent: int) -> None:
        self.controller.list_indent = indent

    @property
    def problems(self) -> list[Problem]:
        return self.controller.problems()  # type: ignore[return-value]

    @property
    def can_publish(self) -> bool:
        return self.controller.can_publish()

    @property
    def can_unpublish(self) -> bool:
        return self.controller.can_unpublish()
