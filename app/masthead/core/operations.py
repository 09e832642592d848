"""Edits of list fields across many files, as pure functions of one file's front matter.

Each returns only the lists it changes (new value per key), so a caller can set exactly those keys;
values match exactly (a merge of near-duplicates names them all explicitly). Every edit keeps the
file's order, never adds a duplicate, leaves values it does not name exactly as they were, and is
idempotent: applying it twice changes nothing more.
The planning, journaling and applying across an archive build on these (issue 7, in progress).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from masthead.core.records import is_string_list
from masthead.core.values import Value

Action = Literal["add", "remove", "rename", "merge", "delete"]


@dataclass(frozen=True)
class ListEdit:
    """add/remove VALUES in FIELD; rename OLD to NEW; merge OTHERS into SURVIVOR; delete VALUE.

    ``fields`` None means every list-of-strings field of the file (rename, merge and delete only).
    """

    action: Action
    fields: tuple[str, ...] | None
    values: tuple[str, ...]  # add/remove: the values; rename: (old,); merge: others; delete: (value,)
    target: str | None = None  # rename: new; merge: survivor

    def describe(self) -> str:
        where = ", ".join(self.fields) if self.fields else "every list field"
        shown = ", ".join(f"“{v}”" for v in self.values)
        return {
            "add": f"add {shown} to {where}",
            "remove": f"remove {shown} from {where}",
            "rename": f"rename {shown} to “{self.target}” in {where}",
            "merge": f"merge {shown} into “{self.target}” in {where}",
            "delete": f"delete {shown} from {where}",
        }[self.action]


def add(field: str, values: Iterable[str]) -> ListEdit:
    return ListEdit("add", (field,), tuple(values))


def remove(field: str, values: Iterable[str]) -> ListEdit:
    return ListEdit("remove", (field,), tuple(values))


def rename(old: str, new: str, field: str | None = None) -> ListEdit:
    return ListEdit("rename", (field,) if field else None, (old,), new)


def merge(survivor: str, others: Iterable[str], field: str | None = None) -> ListEdit:
    return ListEdit("merge", (field,) if field else None, tuple(o for o in others if o != survivor), survivor)


def delete(value: str, field: str | None = None) -> ListEdit:
    return ListEdit("delete", (field,) if field else None, (value,))


def _dedupe(values: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    return [v for v in values if not (v in seen or seen.add(v))]  # type: ignore[func-returns-value]


def _edit_list(current: list[str], edit: ListEdit) -> list[str]:
    if edit.action == "add":
        return current + [v for v in _dedupe(edit.values) if v not in current]
    if edit.action in ("remove", "delete"):
        return [v for v in current if v not in edit.values]
    # rename and merge: the survivor takes the place of the first value involved; later ones go. Values the
    # edit does not name are left exactly as they are (duplicates included: not this edit's business).
    target = edit.target
    assert target is not None
    out: list[str] = []
    placed = False
    for v in current:
        if v in edit.values or v == target:
            if not placed:
                out.append(target)
                placed = True
        else:
            out.append(v)
    return out


def apply_list_edit(data: dict[str, Value], edit: ListEdit) -> dict[str, list[str]]:
    """The lists ``edit`` changes in one file's front matter (key -> new list); empty when none."""
    changed: dict[str, list[str]] = {}
    names = [k for k, v in data.items() if is_string_list(v)] if edit.fields is None else list(edit.fields)
    for name in names:
        value = data.get(name)
        if value is None and edit.action == "add":
            current: list[str] = []
        elif isinstance(value, list) and is_string_list(value):
            current = [str(v) for v in value]
        else:
            continue  # not a list of strings here (missing, text, or mixed): left alone
        new = _edit_list(current, edit)
        if new != current or (value is None and new):
            changed[name] = new
    return changed
