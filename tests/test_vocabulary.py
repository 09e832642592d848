"""Vocabulary counts and near-duplicate groups."""

from __future__ import annotations

from masthead.core.records import Record
from masthead.core.vocabulary import build_vocabulary, normalize


def rec(path: str, **meta: object) -> Record:
    return Record(path, 1, 1, dict(meta))


RECORDS = [
    rec("a.md", tags=["ai-ml", "research", "ai-ml"], companies_orgs=["OpenAI"], category="science",
        guests=["Ada"], status="evergreen"),
    rec("b.md", tags=["AI ML", "research"], companies_orgs=["Open AI"], category="science", status=""),
    rec("c.md", tags=["ＡＩ-ＭＬ"], companies_orgs=["OpenAI", "Tesla"], category="Science", people=[]),
    rec("d.md", tags="not-a-list", title="x", count=[1, 2]),
    Record("e.md", 1, 1, {}, error="broken"),
]  # fmt: skip


def test_counts_files_per_value() -> None:
    vocab = build_vocabulary(RECORDS)
    assert vocab.values("tags") == [("research", 2), ("AI ML", 1), ("ai-ml", 1), ("ＡＩ-ＭＬ", 1)]
    assert vocab.values("companies_orgs") == [("OpenAI", 2), ("Open AI", 1), ("Tesla", 1)]
    assert vocab.values("guests") == [("Ada", 1)]  # any list of strings counts
    assert vocab.values("category") == [("science", 2), ("Science", 1)]
    assert vocab.values("status") == [("evergreen", 1)]
    assert "count" not in vocab.fields and "people" not in vocab.fields and "title" not in vocab.fields


def test_near_duplicate_groups() -> None:
    groups = {(g.field, g.values) for g in build_vocabulary(RECORDS).near_duplicates()}
    assert groups == {
        ("category", (("science", 2), ("Science", 1))),
        ("companies_orgs", (("OpenAI", 2), ("Open AI", 1))),
        ("tags", (("AI ML", 1), ("ai-ml", 1), ("ＡＩ-ＭＬ", 1))),
    }
    only_tags = build_vocabulary(RECORDS).near_duplicates("tags")
    assert [g.field for g in only_tags] == ["tags"]


def test_normalize() -> None:
    assert normalize("Open AI") == normalize("OpenAI") == normalize("ＯｐｅｎＡＩ") == normalize("open-ai")
    assert normalize("ai_ml") == normalize("AI ML") == "aiml"
    assert normalize("人工智能") == "人工智能" and normalize("Tesla") != normalize("Telsa")


# ---------------------------------------------------------------- incremental updates equal a full build
from typing import Any  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from masthead.core.vocabulary import Vocabulary  # noqa: E402

_WORDS = st.sampled_from(["ai-ml", "AI ML", "ＡＩ-ＭＬ", "Open AI", "OpenAI", "tesla", "Tesla", "x", "y", "人工智能"])
_META = st.fixed_dictionaries(
    {},
    optional={
        "tags": st.lists(_WORDS, max_size=4),
        "people": st.lists(_WORDS, max_size=3) | st.sampled_from(["not-a-list", None]),
        "category": _WORDS | st.just(""),
        "status": _WORDS | st.lists(_WORDS, max_size=2),
    },
)


def _snapshot(vocab: Vocabulary) -> tuple[object, ...]:
    near = {(f, v): vocab.near_of(f, v) for f, counts in vocab.lists.items() for v in counts}
    return (
        {f: dict(c) for f, c in vocab.lists.items()},
        {f: dict(c) for f, c in vocab.choices.items()},
        vocab.near_duplicates(),
        [vocab.near_duplicates(f) for f in vocab.fields],
        near,
        {f: vocab.near_keys(f) for f in vocab.lists},
        {f: dict(vocab.keys(f)) for f in vocab.lists},
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_META, max_size=6),
    st.lists(st.tuples(st.integers(0, 9), st.none() | _META), max_size=12),
)
def test_incremental_updates_equal_a_full_build(start: list[dict[str, object]], steps: list[tuple[int, Any]]) -> None:
    files = {f"{i}.md": rec(f"{i}.md", **meta) for i, meta in enumerate(start)}
    vocab = build_vocabulary(files.values())
    for slot, meta in steps:
        path = f"{slot}.md"
        old = [files[path]] if path in files else []
        new = [rec(path, **meta)] if isinstance(meta, dict) else []
        before_lists = _rows(vocab)
        delta = vocab.update(old, new)
        if new:
            files[path] = new[0]
        else:
            files.pop(path, None)
        assert _snapshot(vocab) == _snapshot(build_vocabulary(files.values()))
        after_lists = _rows(vocab)
        moved = {e for e in before_lists.keys() | after_lists.keys() if before_lists.get(e) != after_lists.get(e)}
        assert moved <= delta.lists  # every entry whose row would look different is reported
        assert delta.lists <= {(f, v) for rec_ in old + new for f, v in _entries(rec_)} | {
            (f, o) for f, v in delta.lists for o in before_lists.get((f, v), (0, ()))[1] + vocab.near_of(f, v)
        }  # and only those of the changed files (and their near-duplicates)


def _rows(vocab: Vocabulary) -> dict[tuple[str, str], tuple[int, tuple[str, ...]]]:
    return {(f, v): (c, vocab.near_of(f, v)) for f, counts in vocab.lists.items() for v, c in counts.items()}


def _entries(record: Record) -> list[tuple[str, str]]:
    return [(k, v) for k, vals in record.meta.items() if isinstance(vals, list) for v in vals]


def test_update_reports_the_changed_entries() -> None:
    vocab = build_vocabulary(RECORDS)
    changed = rec("b.md", tags=["research", "Streaming"], companies_orgs=["Open AI"], category="Science")
    delta = vocab.update([RECORDS[1]], [changed])
    assert delta.lists == {("tags", "AI ML"), ("tags", "ai-ml"), ("tags", "ＡＩ-ＭＬ"), ("tags", "Streaming")}
    assert delta.choices == {("category", "science"), ("category", "Science"), ("status", "")} - {("status", "")}
    assert vocab.near_of("tags", "ai-ml") == ("ＡＩ-ＭＬ",) and vocab.lists["tags"]["Streaming"] == 1
    assert not vocab.update([changed], [changed])


def test_by_field_is_a_live_view_for_the_pickers() -> None:
    vocab = build_vocabulary(RECORDS)
    view = vocab.by_field
    assert dict(view["tags"]) == dict(vocab.lists["tags"]) and view["status"] == {"evergreen": 1}
    assert set(view) == set(vocab.fields) and view.get("title") is None and len(view) == len(vocab.fields)
    vocab.update([], [rec("n.md", tags=["brand-new"], area="north")])
    assert view["tags"]["brand-new"] == 1 and view["area"] == {"north": 1}
    assert {**{f: dict(c) for f, c in vocab.choices.items()}, **{f: dict(c) for f, c in vocab.lists.items()}} == {
        f: dict(c) for f, c in view.items()
    }
