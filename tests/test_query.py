"""The query language: every operator, negation, quoting, and clear errors for bad queries."""

from __future__ import annotations

import datetime as dt

import pytest

from masthead.core.query import QueryError, parse_query
from masthead.core.records import Record

RECORDS = [
    Record("2025/01/a.md", 1, 1, {
        "title": "Scaling laws, revisited", "date": dt.date(2025, 1, 15), "draft": True,
        "tags": ["ai-ml", "research"], "people": ["Elon Musk", "Priya Nair"], "category": "science",
        "status": "evergreen", "summary": "A long talk about compute.", "episode": 12,
    }),
    Record("2025/02/b.md", 1, 1, {
        "title": "芯片供应链的新格局", "date": "2025-02-03", "draft": False, "tags": ["semiconductor"],
        "people": [], "category": "Semiconductors", "summary": "", "episode": 7,
    }),
    Record("2024/12/c.md", 1, 1, {
        "title": "Quiet Infrastructure", "date": "2024-12-31", "tags": ["ai-ml", "draft-only"],
        "category": "science", "summary": "Pager duty stories", "speaker": "ＯｐｅｎＡＩ",
    }),
    Record("broken/d.md", 1, 1, {}, error="found duplicate key", error_line=4),
]  # fmt: skip
BODIES = {
    "2025/01/a.md": "**[Host]**: The curve BENDS here.",
    "2025/02/b.md": "晶圆厂扩产",
    "2024/12/c.md": "",
}


def hits(text: str) -> list[str]:
    query = parse_query(text)
    return [r.path[-4:] for r in RECORDS if query.matches(r, lambda p: BODIES.get(p, ""))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["a.md", "b.md", "c.md", "d.md"]),
        ("tag:ai-ml", ["a.md", "c.md"]),
        ("tags:AI-ML", ["a.md", "c.md"]),
        ("tag:ai-ml -tag:draft-only", ["a.md"]),
        ('people:"Elon Musk"', ["a.md"]),
        ("people:elon", []),
        ("draft:true", ["a.md"]),
        ("draft:false", ["b.md", "c.md", "d.md"]),
        ("-draft:true", ["b.md", "c.md", "d.md"]),
        ("category:science", ["a.md", "c.md"]),
        ("category:semiconductors", ["b.md"]),
        ("status:evergreen", ["a.md"]),
        ("speaker:openai", ["c.md"]),
        ("date>=2025-01", ["a.md", "b.md"]),
        ("date<2025", ["c.md"]),
        ("date<=2025-01", ["a.md", "c.md"]),
        ("date>2025-01", ["b.md"]),
        ("date=2025-02-03", ["b.md"]),
        ("date:2025", ["a.md", "b.md"]),
        ("date:2025-01", ["a.md"]),
        ("episode>=10", ["a.md"]),
        ("episode<10", ["b.md"]),
        ("has:summary", ["a.md", "c.md"]),
        ("missing:summary", ["b.md", "d.md"]),
        ("missing:people", ["b.md", "c.md", "d.md"]),
        ("error:yes", ["d.md"]),
        ("error:no", ["a.md", "b.md", "c.md"]),
        ("path:2025/", ["a.md", "b.md"]),
        ("scaling", ["a.md"]),
        ("COMPUTE", ["a.md"]),
        ('"pager duty"', ["c.md"]),
        ("供应链", ["b.md"]),
        ("-scaling -供应链", ["c.md", "d.md"]),
        ("body:bends", ["a.md"]),
        ('body:"curve bends"', ["a.md"]),
        ("body:晶圆", ["b.md"]),
        ("-body:bends tag:ai-ml", ["c.md"]),
        ("tag:ai-ml date>=2025 draft:true scaling", ["a.md"]),
        ("12:30", []),
        ("- tag:ai-ml", ["a.md", "c.md"]),
    ],
)
def test_operators(text: str, expected: list[str]) -> None:
    assert hits(text) == expected


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("tag:", 0, "needs a value"),
        ("draft:true tag:", 11, "needs a value"),
        ("date>=20x5", 0, "compares dates or numbers"),
        ('title:"open ended', 6, "never closed"),
        ("date>>2025", 4, "not an operator"),
        ("error:maybe", 0, "yes or no"),
        ("draft:perhaps", 0, "true or false"),
        ("date>=2025-13", 0, "compares dates or numbers"),
    ],
)
def test_errors_point_at_the_bad_part(text: str, position: int, words: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_query(text)
    assert info.value.position == position and words in info.value.message
    assert str(info.value).startswith(f"column {position + 1}: ")


def test_body_is_read_only_when_the_rest_matches() -> None:
    read: list[str] = []
    query = parse_query("body:curve tag:semiconductor")
    assert query.needs_body
    matched = [r for r in RECORDS if query.matches(r, lambda p: read.append(p) or BODIES.get(p, ""))]
    assert matched == [] and read == ["2025/02/b.md"]


def test_a_doubled_quote_in_a_quoted_value_is_a_quote() -> None:
    record = Record("r.md", 1, 1, {"speaker": 'Dwayne "The Rock" Johnson', "title": 'Say "hi"'}, "yaml")
    assert parse_query('speaker:"Dwayne ""The Rock"" Johnson"').matches(record)
    assert not parse_query('speaker:"Dwayne The Rock Johnson"').matches(record)
    assert parse_query('"say ""hi"""').matches(record)
    assert [t.value for t in parse_query('title:"a" "b"').terms] == ["a", "b"]
