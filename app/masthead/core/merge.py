"""Three-way merge of front matter when the file changed on disk while it was being edited.

``base`` is what was read before editing, ``mine`` the edited data, ``disk`` what the file holds now.
Pure functions over plain data (no I/O, no Qt).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from masthead.core.values import Value, same

ABSENT_KEY = object()  # "the key is not there" in the edits merge() returns


def changed(before: Mapping[str, Value], after: Mapping[str, Value]) -> set[str]:
    """Keys added, removed or given another value between two versions."""
    return {k for k in set(before) | set(after) if k not in before or k not in after or not same(before[k], after[k])}


def overlap(base: Mapping[str, Value], mine: Mapping[str, Value], disk: Mapping[str, Value]) -> set[str]:
    """Keys that both I and the other program changed (to different results)."""
    both = changed(base, mine) & changed(base, disk)
    return {k for k in both if (k in mine) != (k in disk) or (k in mine and not same(mine[k], disk[k]))}


def merge(base: Mapping[str, Value], mine: Mapping[str, Value], keys: Iterable[str] | None = None) -> dict[str, object]:
    """The edits to apply to the disk version to keep my changes: key -> new value, or ABSENT_KEY to remove.
    ``keys``: my changed keys (computed from base and mine when not given)."""
    out: dict[str, object] = {}
    for key in sorted(changed(base, mine) if keys is None else set(keys)):
        out[key] = mine.get(key, ABSENT_KEY)
    return out
