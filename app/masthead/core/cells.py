"""Cells: one field of one file written as text, as in the grid or a CSV file, and read back as a value.

A cell's text is read against the value the file has (and the field's kind): a list stays a list (its items
split at the separator), a boolean a boolean, a date a date, a number a number; a text cell equal to the
text of the current value changes nothing, so a CSV exported and imported unchanged writes nothing.
``CellsEdit`` carries the cells of many files as one bulk edit (per file: ``cells_for``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from masthead.core.errors import NotApplicable
from masthead.core.key_edit import split_text
from masthead.core.schema import Kind
from masthead.core.values import Value, as_bool, same
from masthead.core.wording import plural

LIST_SEPARATOR = ", "


def cell_text(value: Value, separator: str = LIST_SEPARATOR) -> str:
    """A value as the one line of text a cell shows ('' for missing and null)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return separator.join(cell_text(v, separator) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {cell_text(v)}" for k, v in value.items())
    return str(value)


def cell_value(text: str, current: Value, kind: Kind | None = None, separator: str = LIST_SEPARATOR) -> Value:
    """The value a cell's ``text`` stands for, in the form of the ``current`` value (or of ``kind`` for a
    field the file lacks). Raises NotApplicable for text that cannot be that kind (``maybe`` for a boolean)."""
    if isinstance(current, dict) or kind == Kind.COMPLEX:
        raise NotApplicable("a nested value cannot be edited as one cell")
    if isinstance(current, list) or (current is None and kind in (Kind.TAGS, Kind.ENTITIES)):
        cut = separator.strip() or separator
        if isinstance(current, list) and not all(isinstance(v, str) for v in current):
            raise NotApplicable("a list of other values than text cannot be edited as one cell (use the form)")
        if isinstance(current, list) and any(cut in v for v in current):
            raise NotApplicable(f"an item holds {cut!r}, which separates items here (edit this list in the form)")
        return split_text(text, cut)
    text = text.strip() if not isinstance(current, str) else text
    if text == "" and not isinstance(current, str):
        return None
    if isinstance(current, bool) or (current is None and kind == Kind.BOOL):
        flag = {"true": True, "false": False}.get(text.lower(), as_bool(text))
        if flag is None:
            raise NotApplicable(f"{text!r} is not true or false")
        return flag
    if isinstance(current, dt.datetime):
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            raise NotApplicable(f"{text!r} is not a date and time like 2025-01-31T09:30:00") from None
    if isinstance(current, dt.date) or (current is None and kind == Kind.DATE):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise NotApplicable(f"{text!r} is not a date like 2025-01-31") from None
    if isinstance(current, int | float) or (current is None and kind == Kind.NUMBER):
        try:
            return int(text)
        except ValueError:
            try:
                return float(text)
            except ValueError:
                raise NotApplicable(f"{text!r} is not a number") from None
    return text


def cell_change(text: str, current: Value, kind: Kind | None = None, separator: str = LIST_SEPARATOR) -> Value:
    """``cell_value``, or ``UNCHANGED`` when the text is the current value's own text (or both are empty)."""
    if text == cell_text(current, separator):
        return UNCHANGED
    value = cell_value(text, current, kind, separator)
    if same(value, current) or (current is None and value in (None, "", [])):
        return UNCHANGED
    return value


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()


@dataclass(frozen=True)
class CellsEdit:
    """Cells of many files: ``cells[rel][field]`` is the text typed or imported; ``separator`` splits list
    cells. ``label`` names the operation (``edit 6 cells in the grid``, ``import edits.csv``)."""

    cells: dict[str, dict[str, str]]
    separator: str = LIST_SEPARATOR
    label: str = ""

    def describe(self) -> str:
        if self.label:
            return self.label
        count = sum(len(c) for c in self.cells.values())
        return f"edit {plural(count, 'cell')} in {plural(len(self.cells), 'file')}"

    @property
    def spec(self) -> list[Any]:
        return ["cells", self.cells, self.separator, self.label]


def cells_edit_from_spec(spec: list[Any]) -> CellsEdit:
    _, cells, separator, label = spec
    return CellsEdit(
        {str(rel): {str(k): str(v) for k, v in row.items()} for rel, row in cells.items()}, separator, label
    )


def cells_for(
    rel: str, data: dict[str, Value], edit: CellsEdit, kinds: dict[str, Kind] | None = None
) -> dict[str, Value]:
    """The keys the cells of file ``rel`` change (key -> value); raises NotApplicable naming the field."""
    changed: dict[str, Value] = {}
    for name, text in edit.cells.get(rel, {}).items():
        try:
            value = cell_change(text, data.get(name), (kinds or {}).get(name), edit.separator)
        except NotApplicable as exc:
            raise NotApplicable(f"{name}: {exc}") from None
        if value is not UNCHANGED:
            changed[name] = value
    return changed
