"""Edits that move values between keys: copy or move a field into another (set, or append to a list),
split a text value into a list, join a list into a text value, and rename a key where it stands.

Like every edit of ``operations``, each returns only the keys it changes, is idempotent where the
action allows it (a copy, split, join or rename applied twice changes nothing more) and has a plain ``spec``.
A rename is not a set and a delete: ``Document.rename`` replaces the key's text only, so its value's bytes,
its comments and its position stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from masthead.core.errors import NotApplicable
from masthead.core.records import is_string_list
from masthead.core.values import Value, same

KeyAction = Literal["copy", "move", "rename", "split", "join"]
KEY_ACTIONS: tuple[KeyAction, ...] = ("copy", "move", "rename", "split", "join")


def _empty(value: Value) -> bool:
    return value is None or value == "" or value == []


@dataclass(frozen=True)
class KeyEdit:
    """``copy``/``move`` FIELD into TARGET (``append``: add to TARGET's list instead of replacing it);
    ``rename`` the key FIELD to TARGET; ``split`` FIELD's text at SEPARATOR into a list, or ``join`` FIELD's
    list with SEPARATOR, written to TARGET (None: FIELD itself)."""

    action: KeyAction
    field: str
    target: str | None = None
    separator: str = ","
    append: bool = False

    def __post_init__(self) -> None:
        if self.action not in KEY_ACTIONS:
            raise ValueError(f"unknown action {self.action!r} (one of {', '.join(KEY_ACTIONS)})")
        if not self.field.strip():
            raise ValueError("name the field")
        if self.action in ("copy", "move", "rename") and not (self.target or "").strip():
            raise ValueError(
                f"{self.action}: name the field to {'rename it to' if self.action == 'rename' else 'write'}"
            )
        if self.action in ("copy", "move", "rename") and self.target == self.field:
            raise ValueError(f"{self.action}: the two fields are the same")
        if self.action == "split" and not self.separator:
            raise ValueError("split: give a separator")

    @property
    def into(self) -> str:
        """The key the edit writes."""
        return self.target or self.field

    def describe(self) -> str:
        if self.action == "rename":
            return f"rename key {self.field} to {self.target}"
        if self.action in ("copy", "move"):
            how = "appending to" if self.append else "into"
            return f"{self.action} {self.field} {how} {self.target}"
        where = f" into {self.target}" if self.target and self.target != self.field else ""
        if self.action == "split":
            return f"split {self.field} at “{self.separator}”{where}"
        return f"join {self.field} with “{self.separator}”{where}"

    @property
    def spec(self) -> list[Any]:
        return ["key", self.action, self.field, self.target, self.separator, self.append]


def key_edit_from_spec(spec: list[Any]) -> KeyEdit:
    _, action, field, target, separator, append = spec
    return KeyEdit(action, field, target, separator, append)


def split_text(text: str, separator: str) -> list[str]:
    """``text`` cut at ``separator``, each part trimmed; empty parts and repeats dropped."""
    out: list[str] = []
    for part in text.split(separator):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out


def _items(value: Value) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [value.isoformat() if hasattr(value, "isoformat") else str(value)]


def _write(data: dict[str, Value], key: str, value: Value, append: bool) -> dict[str, Value]:
    """``{key: value}`` (or value appended to key's list), or {} when the key already holds it."""
    current = data.get(key)
    if append:
        if current is not None and not is_string_list(current):
            raise NotApplicable(f"{key} holds a single value here, not a list to append to")
        base = [str(v) for v in current] if isinstance(current, list) else []
        new = base + [v for v in _items(value) if v not in base]
        return {} if current is not None and new == base else {key: new}
    if key in data and same(current, value):
        return {}
    return {key: list(value) if isinstance(value, list) else value}


def apply_key_edit(data: dict[str, Value], edit: KeyEdit) -> tuple[dict[str, Value], list[str]]:
    """(keys to set -> value, keys to delete) for a copy, move, split or join. A rename is ``rename_of``'s."""
    value = data.get(edit.field)
    if edit.action in ("copy", "move"):
        assert edit.target is not None
        if _empty(value):
            return {}, []
        if isinstance(value, dict):
            raise NotApplicable(f"{edit.field} holds a nested mapping here")
        sets = _write(data, edit.target, value, edit.append)
        return sets, [edit.field] if edit.action == "move" else []
    if edit.action == "split":
        if not isinstance(value, str) or not value.strip():
            return {}, []  # already a list, or nothing to split
        return _write(data, edit.into, split_text(value, edit.separator), edit.append), []
    if edit.action == "join":
        if not isinstance(value, list) or not value or not is_string_list(value):
            return {}, []
        return _write(data, edit.into, edit.separator.join(str(v) for v in value), False), []
    return {}, []


def rename_of(data: dict[str, Value], edit: KeyEdit) -> tuple[str, str] | None:
    """(old, new) when ``edit`` renames a key this file has; raises when the file has both names."""
    if edit.action != "rename" or edit.field not in data:
        return None
    assert edit.target is not None
    if edit.target in data:
        raise NotApplicable(f"the file already has {edit.target} (merge the two by hand, or move one into the other)")
    return edit.field, edit.target
