"""Edits of front-matter fields across many files, as pure functions of one file's front matter.

List edits (add, remove, rename, merge, delete) and scalar edits (set, clear) each return only the keys
they change, so a caller sets exactly those keys; values match exactly (a merge of near-duplicates names
them all explicitly). A list edit keeps the file's order, never adds a duplicate and leaves values it
does not name exactly as they were. Every edit is idempotent: applying it twice changes nothing more.
Each edit has a plain ``spec`` (JSON and marshal safe) so that a journal or a worker process can rebuild it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from masthead.core.cells import CellsEdit, cells_edit_from_spec
from masthead.core.errors import NotApplicable as NotApplicable  # raised by apply_edit
from masthead.core.key_edit import KeyEdit, apply_key_edit, key_edit_from_spec
from masthead.core.records import is_string_list
from masthead.core.text_edit import TextEdit, apply_text_edit, text_edit_from_spec
from masthead.core.values import Value, same
from masthead.core.workflow import Schema, builtin_schema, publish_edits, validate

Action = Literal["add", "remove", "replace", "rename", "merge", "delete"]


@dataclass(frozen=True)
class ListEdit:
    """add/remove VALUES in FIELD; replace VALUES by ADDED; rename OLD to NEW; merge OTHERS into SURVIVOR;
    delete VALUE. ``replace`` gives every file the ADDED values (where the first removed one was, or at
    the end) and none of VALUES.

    ``fields`` None means every list-of-strings field of the file (rename, merge and delete only).
    """

    action: Action
    fields: tuple[str, ...] | None
    values: tuple[str, ...]  # add/remove: the values; rename: (old,); merge: others; delete: (value,)
    target: str | None = None  # rename: new; merge: survivor
    added: tuple[str, ...] = ()  # replace: the values that take the removed ones' place

    def describe(self) -> str:
        where = ", ".join(self.fields) if self.fields else "every list field"
        shown = ", ".join(f"“{v}”" for v in self.values)
        return {
            "add": f"add {shown} to {where}",
            "replace": f"replace {shown} with {', '.join(f'“{v}”' for v in self.added)} in {where}",
            "remove": f"remove {shown} from {where}",
            "rename": f"rename {shown} to “{self.target}” in {where}",
            "merge": f"merge {shown} into “{self.target}” in {where}",
            "delete": f"delete {shown} from {where}",
        }[self.action]

    @property
    def spec(self) -> list[Any]:
        return [
            "list",
            self.action,
            list(self.fields) if self.fields is not None else None,
            list(self.values),
            self.target,
            list(self.added),
        ]


@dataclass(frozen=True)
class FieldEdit:
    """Set a single-value field (category, status, series...) to ``value``, or clear it (remove the key)."""

    action: Literal["set", "clear"]
    field: str
    value: Value = None

    def describe(self) -> str:
        if self.action == "clear":
            return f"clear {self.field}"
        return f"set {self.field} to “{self.value}”"

    @property
    def spec(self) -> list[Any]:
        value = self.value.isoformat() if hasattr(self.value, "isoformat") else self.value
        return ["field", self.action, self.field, value, type(self.value).__name__]


@dataclass(frozen=True)
class PublishEdit:
    """Publish (apply the schema's publish rules to a file that validates) or unpublish.

    ``today`` is the date a publish stamps; it is fixed when the edit is made, so that completing or
    redoing the operation later writes the very same bytes."""

    action: Literal["publish", "unpublish"]
    today: dt.date | None = None

    def describe(self) -> str:
        return self.action

    @property
    def spec(self) -> list[Any]:
        return ["publish", self.action, self.today.isoformat() if self.today else None]


Edit = ListEdit | FieldEdit | PublishEdit | TextEdit | KeyEdit | CellsEdit


def edit_from_spec(spec: list[Any]) -> Edit:
    """Rebuild an edit from its ``spec``."""
    if spec[0] == "text":
        return text_edit_from_spec(spec)
    if spec[0] == "key":
        return key_edit_from_spec(spec)
    if spec[0] == "cells":
        return cells_edit_from_spec(spec)
    if spec[0] == "publish":
        return PublishEdit(spec[1], dt.date.fromisoformat(spec[2]) if spec[2] else None)
    if spec[0] == "list":
        _, action, fields, values, target, *rest = spec
        added = tuple(rest[0]) if rest else ()
        return ListEdit(action, tuple(fields) if fields is not None else None, tuple(values), target, added)
    _, action, field, value, kind = spec
    if kind in ("date", "datetime") and isinstance(value, str):
        value = dt.date.fromisoformat(value) if kind == "date" else dt.datetime.fromisoformat(value)
    return FieldEdit(action, field, value)


def set_field(field: str, value: Value) -> FieldEdit:
    return FieldEdit("set", field, value)


def clear_field(field: str) -> FieldEdit:
    return FieldEdit("clear", field)


def replace(field: str, removed: Iterable[str], added: Iterable[str]) -> ListEdit:
    return ListEdit("replace", (field,), tuple(removed), None, tuple(added))


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
    if edit.action == "replace":
        gone = set(edit.values) - set(edit.added)  # a value both removed and added stays
        kept = [v for v in current if v not in gone]
        first = next((i for i, v in enumerate(current) if v in gone), len(current))
        at = sum(1 for v in current[:first] if v not in gone)
        return kept[:at] + [v for v in _dedupe(edit.added) if v not in kept] + kept[at:]
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
        if value is None and edit.action in ("add", "replace"):
            current: list[str] = []
        elif isinstance(value, list) and is_string_list(value):
            current = [str(v) for v in value]
        else:
            continue  # not a list of strings here (missing, text, or mixed): left alone
        new = _edit_list(current, edit)
        if new != current or (value is None and new):
            changed[name] = new
    return changed


def apply_edit(data: dict[str, Value], edit: Edit, schema: Schema | None = None) -> tuple[dict[str, Value], list[str]]:
    """What ``edit`` does to one file: (keys to set -> new value, keys to delete). Raises NotApplicable.
    A key rename is ``key_edit.rename_of``'s (it is neither a set nor a delete).

    Publishing follows ``schema`` (the file's masthead.yaml; the built-in profile when None)."""
    if isinstance(edit, ListEdit):
        if edit.fields is not None and len(edit.fields) == 1 and edit.action in ("add", "replace", "remove"):
            name, value = edit.fields[0], data.get(edit.fields[0])
            if value is not None and not is_string_list(value):  # say why, rather than "unchanged"
                kind = "a single value" if not isinstance(value, list | dict) else "a nested mapping"
                kind = "a list of other values" if isinstance(value, list) else kind
                raise NotApplicable(f"{name} holds {kind} here, not a list of text (for one value: masthead field set)")
        return dict(apply_list_edit(data, edit)), []
    if isinstance(edit, TextEdit):
        return apply_text_edit(data, edit), []
    if isinstance(edit, KeyEdit):
        return apply_key_edit(data, edit)
    if isinstance(edit, CellsEdit):
        raise TypeError("cells belong to files: bulk.plan_file applies them (cells.cells_for)")
    if isinstance(edit, PublishEdit):
        rules = schema or builtin_schema()
        if edit.action == "unpublish":
            return dict(rules.publish.unpublish_set), []
        problems = validate(data, rules)
        if problems:
            raise NotApplicable("; ".join(str(p) for p in problems))
        return publish_edits(data, rules, edit.today), []
    current = data.get(edit.field)
    if isinstance(current, (list, dict)):
        kind = "a list" if isinstance(current, list) else "a nested mapping"
        raise NotApplicable(f"{edit.field} holds {kind} here, not a single value")
    if edit.action == "clear":
        return {}, [edit.field] if edit.field in data else []
    if edit.field in data and same(current, edit.value):
        return {}, []
    return {edit.field: edit.value}, []
