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
