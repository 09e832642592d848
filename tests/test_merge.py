"""The three-way merge of a conflict (core, no Qt)."""

from __future__ import annotations

from masthead.core.merge import ABSENT_KEY, changed, merge, overlap


def test_changed_keys() -> None:
    assert changed({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b", "c"}
    assert changed({"a": 1}, {}) == {"a"}


def test_different_fields_do_not_overlap_and_merge_keeps_mine() -> None:
    base = {"title": "T", "tags": ["a"], "author": "X"}
    mine = {"title": "Mine", "tags": ["a"]}
    disk = {"title": "T", "tags": ["a", "b"], "author": "X"}
    assert overlap(base, mine, disk) == set()
    assert merge(base, mine) == {"author": ABSENT_KEY, "title": "Mine"}


def test_the_same_field_changed_twice_overlaps_unless_equal() -> None:
    base = {"title": "T"}
    assert overlap(base, {"title": "A"}, {"title": "B"}) == {"title"}
    assert overlap(base, {"title": "A"}, {"title": "A"}) == set()
    assert overlap(base, {}, {"title": "B"}) == {"title"}
