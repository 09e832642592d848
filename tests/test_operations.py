"""List edits across files, as pure functions of one file's front matter."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from masthead.core.operations import (
    NotApplicable,
    add,
    apply_edit,
    apply_list_edit,
    clear_field,
    delete,
    edit_from_spec,
    merge,
    remove,
    rename,
    replace,
    set_field,
)

DATA: dict[str, Any] = {
    "title": "x",
    "tags": ["ai-ml", "AI ML", "research", "ai-ml-ops"],
    "people": ["Ada", "Bo"],
    "companies_orgs": ["OpenAI", "Open AI"],
    "summary": "ai-ml is mentioned here",
    "mixed": ["a", 1],
}


def test_add_appends_only_what_is_missing() -> None:
    assert apply_list_edit(DATA, add("tags", ["research", "new", "new"])) == {
        "tags": ["ai-ml", "AI ML", "research", "ai-ml-ops", "new"]
    }
    assert apply_list_edit(DATA, add("tags", ["research"])) == {}
    assert apply_list_edit(DATA, add("project", ["p1"])) == {"project": ["p1"]}  # a missing list is created
    assert apply_list_edit(DATA, add("summary", ["z"])) == {}  # not a list: left alone


def test_remove_and_delete_match_exactly() -> None:
    assert apply_list_edit(DATA, remove("tags", ["ai-ml"])) == {"tags": ["AI ML", "research", "ai-ml-ops"]}
    assert apply_list_edit(DATA, delete("Ada")) == {"people": ["Bo"]}
    assert apply_list_edit(DATA, delete("nobody")) == {}


def test_rename_keeps_position_and_dedupes() -> None:
    assert apply_list_edit(DATA, rename("AI ML", "machine-learning", "tags")) == {
        "tags": ["ai-ml", "machine-learning", "research", "ai-ml-ops"]
    }
    assert apply_list_edit(DATA, rename("AI ML", "ai-ml")) == {"tags": ["ai-ml", "research", "ai-ml-ops"]}
    assert apply_list_edit(DATA, rename("Bo", "Ada")) == {"people": ["Ada"]}


def test_merge_near_duplicates_into_a_survivor() -> None:
    assert apply_list_edit(DATA, merge("OpenAI", ["Open AI", "OpenAI"])) == {"companies_orgs": ["OpenAI"]}
    assert apply_list_edit(DATA, merge("machine-learning", ["AI ML", "ai-ml"], "tags")) == {
        "tags": ["machine-learning", "research", "ai-ml-ops"]
    }


def test_describe() -> None:
    assert merge("OpenAI", ["Open AI"]).describe() == "merge “Open AI” into “OpenAI” in every list field"
    assert add("tags", ["x"]).describe() == "add “x” to tags"


values = st.lists(st.sampled_from(["a", "b", "c", "d", "A", "b-c"]), max_size=6)
edits = st.one_of(
    st.builds(add, st.just("tags"), values),
    st.builds(remove, st.just("tags"), values),
    st.builds(rename, st.sampled_from(["a", "b", "zz"]), st.sampled_from(["a", "c", "new"]), st.just("tags")),
    st.builds(merge, st.sampled_from(["a", "new"]), values, st.just("tags")),
    st.builds(delete, st.sampled_from(["a", "b", "zz"])),
    st.builds(replace, st.just("tags"), values, values),
)


@given(values, edits)
def test_edits_are_idempotent_and_touch_only_what_they_name(tags: list[str], edit: Any) -> None:
    data = {"tags": tags}
    result = apply_list_edit(data, edit).get("tags", tags)
    assert apply_list_edit({"tags": result}, edit) == {}  # re-running a finished edit changes nothing
    named = set(edit.values) | ({edit.target} if edit.target else set()) | set(edit.added)
    assert [v for v in result if v not in named] == [v for v in tags if v not in named]  # others untouched
    if edit.action == "add":
        assert all(v in result for v in edit.values)
        assert result[: len(tags)] == tags  # appended, never moved
    elif edit.action in ("remove", "delete"):
        assert not set(edit.values) & set(result)
    elif edit.action == "replace":
        assert all(v in result for v in edit.added) and not (set(edit.values) - set(edit.added)) & set(result)
    elif any(v in named for v in tags):  # rename / merge: one survivor, where the first named value was
        assert result.count(edit.target) == 1 and not (set(edit.values) - {edit.target}) & set(result)
        first = next(i for i, v in enumerate(tags) if v in named)
        assert result.index(edit.target) == len([v for v in tags[:first] if v not in named])


def test_unrelated_duplicates_are_left_alone() -> None:
    assert apply_list_edit({"tags": ["b", "b", "a"]}, rename("a", "c", "tags")) == {"tags": ["b", "b", "c"]}


def test_replace_puts_the_new_values_where_the_old_one_was() -> None:
    assert apply_list_edit(DATA, replace("tags", ["AI ML"], ["ml"])) == {
        "tags": ["ai-ml", "ml", "research", "ai-ml-ops"]
    }
    assert apply_list_edit(DATA, replace("tags", ["gone"], ["ml"])) == {"tags": [*DATA["tags"], "ml"]}
    assert replace("tags", ["a"], ["b"]).describe() == "replace “a” with “b” in tags"


def test_set_and_clear_a_single_value() -> None:
    assert apply_edit(DATA, set_field("title", "y")) == ({"title": "y"}, [])
    assert apply_edit(DATA, set_field("title", "x")) == ({}, [])
    assert apply_edit(DATA, set_field("series", "S1")) == ({"series": "S1"}, [])
    assert apply_edit(DATA, clear_field("title")) == ({}, ["title"])
    assert apply_edit(DATA, clear_field("series")) == ({}, [])
    with pytest.raises(NotApplicable, match="tags holds a list here"):
        apply_edit(DATA, set_field("tags", "y"))
    assert apply_edit({"draft": 1}, set_field("draft", True)) == ({"draft": True}, [])  # True is not 1


@given(edits)
def test_specs_rebuild_the_same_edit(edit: Any) -> None:
    assert edit_from_spec(edit.spec) == edit


def test_scalar_specs_keep_the_value_type() -> None:
    for edit in (
        set_field("date", dt.date(2025, 1, 2)),
        set_field("draft", False),
        set_field("n", 3),
        clear_field("x"),
    ):
        assert edit_from_spec(edit.spec) == edit and type(edit_from_spec(edit.spec).value) is type(edit.value)
