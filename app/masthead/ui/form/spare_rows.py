"""Rows of fields the shown file lacks, kept hidden for the next file that has them: creating a picker (its
line edit, completer and popup) is the dearest part of showing a file, and files of one archive share keys."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFormLayout, QWidget

from masthead.core.schema import Kind
from masthead.ui.tasks import call_soon

LIMIT = 40  # rows kept at most (the oldest go first)


class SpareRows:
    """key -> (kind, label, row, editor) of rows taken out of the form, hidden, for one schema."""

    def __init__(self) -> None:
        self._rows: dict[str, tuple[Kind, QWidget, QWidget, QWidget]] = {}
        self.schema: object = None  # the schema they were made for (labels, kinds and choices come from it)

    def keep(self, key: str, kind: Kind, label: QWidget, row: QWidget, editor: QWidget) -> None:
        label.hide()
        row.hide()
        old = self._rows.pop(key, None)
        if old is not None:
            _delete(old)
        self._rows[key] = (kind, label, row, editor)
        while len(self._rows) > LIMIT:
            _delete(self._rows.pop(next(iter(self._rows))))

    def take(self, key: str, kind: Kind) -> tuple[QWidget, QWidget, QWidget] | None:
        """The kept row of ``key`` if it edits ``kind`` (still hidden: show it once placed), else None."""
        spare = self._rows.get(key)
        if spare is None or spare[0] != kind:
            return None
        del self._rows[key]
        _, label, row, editor = spare
        return label, row, editor

    def fill(
        self,
        owner: QObject,
        keys: list[str],
        make: Callable[[str], tuple[QWidget, QWidget, QWidget, Kind]],
        shown: Callable[[str], bool],
    ) -> None:
        """Make rows of ``keys`` ahead of need (``make(key)``), one per turn of ``owner``'s event loop; keys
        ``shown`` or kept already are skipped, and a change of schema meanwhile ends it."""
        schema, todo = self.schema, [k for k in keys if k not in self._rows][:LIMIT]

        def step() -> None:
            while todo and self.schema is schema:
                key = todo.pop(0)
                if key not in self._rows and not shown(key):
                    label, row, editor, kind = make(key)
                    self.keep(key, kind, label, row, editor)
                    break
            if todo and self.schema is schema:
                call_soon(owner, step)

        call_soon(owner, step)

    def clear(self, schema: object = None) -> None:
        for spare in self._rows.values():
            _delete(spare)
        self._rows.clear()
        self.schema = schema


def place(rows: QFormLayout, index: int, label: QWidget, row: QWidget) -> None:
    """Put a row (kept or spare: hidden) at ``index`` of the form, shown."""
    rows.insertRow(index, label, row)
    label.setVisible(True)
    row.setVisible(True)


def _delete(spare: tuple[Kind, QWidget, QWidget, QWidget]) -> None:
    for widget in spare[1:3]:
        widget.hide()
        widget.deleteLater()
