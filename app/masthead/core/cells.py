"""Cells: one field of one file written as text, as in the grid or a CSV file, and read back as a value.

A cell's text is read against the value the file has (and the field's kind): a list stays a list (its items
split at the separator), a boolean a boolean, a date a date, a number a number; a text cell equal to the
text of the current value changes nothing, so a CSV exported and imported unchanged writes nothing.
``CellsEdit`` carries the cells of many files as one bulk edit (per file: ``cells_for``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from masthead.core.errors import NotApplicable
from masthead.core.key_edit import split_text
from masthead.core.records import Record
from masthead.core.schema import TRANSCRIPT_PROFILE, Kind, infer_kind, kind_of
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


def cell_problem(value: Value, separator: str = LIST_SEPARATOR) -> str | None:
    """Why ``value`` cannot be written as one cell's text and read back (None: it can)."""
    if isinstance(value, dict):
        return "a nested value cannot be edited as one cell"
    if isinstance(value, list):
        cut = separator.strip() or separator
        if not all(isinstance(v, str) for v in value):
            return "a list of other values than text cannot be edited as one cell (use the form)"
        if any(cut in v for v in value):
            return f"an item holds {cut!r}, which separates items here (edit this list in the form)"
    return None


def cell_value(text: str, current: Value, kind: Kind | None = None, separator: str = LIST_SEPARATOR) -> Value:
    """The value a cell's ``text`` stands for, in the form of the ``current`` value (or of ``kind`` for a
    field the file lacks). Raises NotApplicable for text that cannot be that kind (``maybe`` for a boolean)."""
    problem = cell_problem(current, separator)
    if problem is None and kind == Kind.COMPLEX:
        problem = "a nested value cannot be edited as one cell"
    if problem is not None:
        raise NotApplicable(problem)
    if isinstance(current, list) or (current is None and kind in (Kind.TAGS, Kind.ENTITIES)):
        return split_text(text, separator.strip() or separator)
    word = kind == Kind.BOOL and as_bool(current) is not None  # (``yes`` in a boolean field: design rule Booleans)
    text = text.strip() if not isinstance(current, str) or word else text
    if text == "" and (not isinstance(current, str) or word):
        return None
    if isinstance(current, bool) or word or (current is None and kind == Kind.BOOL):
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
    if isinstance(value, bool) and kind == Kind.BOOL and as_bool(current) is value:
        return UNCHANGED  # (true for a file that says ``yes``: the word is kept)
    return value


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()


@dataclass(frozen=True)
class CellsEdit:
    """Cells of many files: ``cells[rel][field]`` is the text typed or imported; ``separator`` splits list
    cells. ``label`` names the operation (``edit 6 cells in the grid``, ``import edits.csv``). ``kinds``: the
    kind the archive's values have in fields of neither the schema nor the profile (``archive_kinds``: for a
    file that lacks the field). ``bases[rel][field]``: the cell's text in the file when it was typed (a grid's);
    a file whose value has changed since is not written there (another program changed it meanwhile)."""

    cells: dict[str, dict[str, str]]
    separator: str = LIST_SEPARATOR
    label: str = ""
    kinds: dict[str, str] = field(default_factory=dict)
    bases: dict[str, dict[str, str]] = field(default_factory=dict)

    def describe(self) -> str:
        if self.label:
            return self.label
        count = sum(len(c) for c in self.cells.values())
        return f"edit {plural(count, 'cell')} in {plural(len(self.cells), 'file')}"

    @property
    def spec(self) -> list[Any]:
        return ["cells", self.cells, self.separator, self.label, self.kinds, self.bases]


def cells_edit_from_spec(spec: list[Any]) -> CellsEdit:
    _, cells, separator, label, *more = spec  # (an operation journaled before kinds and bases: without them)
    kinds, bases = [*more, {}, {}][:2]
    return CellsEdit(
        {str(rel): {str(k): str(v) for k, v in row.items()} for rel, row in cells.items()},
        separator,
        label,
        {str(k): str(v) for k, v in kinds.items()},
        {str(rel): {str(k): str(v) for k, v in row.items()} for rel, row in bases.items()},
    )


def archive_kinds(records: Iterable[Record], fields: Iterable[str]) -> dict[str, str]:
    """For the ``fields`` not in the profile: the kind most of the archive's values have, when it is a list, a
    boolean, a number or a date (a cell in a file without the field is read as one; a schema's kind goes first)."""
    wanted = [f for f in dict.fromkeys(fields) if f not in TRANSCRIPT_PROFILE]
    counts: dict[str, Counter[Kind]] = {f: Counter() for f in wanted}
    for record in records:
        for name in wanted:
            value = record.meta.get(name)
            if value is not None:
                counts[name][infer_kind(value)] += 1
    out: dict[str, str] = {}
    for name, counted in counts.items():
        if counted:
            (kind, count), total = counted.most_common(1)[0], counted.total()
            if kind in (Kind.TAGS, Kind.BOOL, Kind.NUMBER, Kind.DATE) and 2 * count > total:
                out[name] = kind.value
    return out


def cells_for(
    rel: str, data: dict[str, Value], edit: CellsEdit, kinds: dict[str, Kind] | None = None
) -> dict[str, Value]:
    """The keys the cells of file ``rel`` change (key -> value); raises NotApplicable naming the field. ``kinds``:
    the schema's (a field of none: the profile's, else the archive's, ``edit.kinds``)."""
    changed: dict[str, Value] = {}
    bases = edit.bases.get(rel, {})
    for name, text in edit.cells.get(rel, {}).items():
        current = data.get(name)
        base, now = bases.get(name), cell_text(current, edit.separator)
        if base is not None and base != now and text != now:  # (their change is not what was typed)
            raise NotApplicable(
                f"{name}: another program changed it since the cell was typed (it was “{base}”, it is now "
                f"“{now}”): type the cell again to write it"
            )
        declared = (kinds or {}).get(name)
        if declared is None and name not in TRANSCRIPT_PROFILE and name in edit.kinds:
            declared = Kind(edit.kinds[name])
        try:
            value = cell_change(text, current, kind_of(name, current, declared), edit.separator)
        except NotApplicable as exc:
            raise NotApplicable(f"{name}: {exc}") from None
        if value is not UNCHANGED:
            changed[name] = value
    return changed
