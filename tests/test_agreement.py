"""The one reader (``yamlread``: libyaml's composer, YAML 1.2 values) agrees with ruamel.yaml's round-trip
parse, the reference it replaced, on values and on every node's position; the index and the editor use it
both, so they cannot disagree."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from tests.conftest import FIXTURES, SAMPLES
from tests.test_properties import front_matter

from masthead.core import yamlio, yamlread
from masthead.core.document import Document
from masthead.core.errors import MastheadError, ParseError
from masthead.core.reader import read_meta
from masthead.core.split import split
from masthead.core.values import same

TRICKY = """---
yes_word: yes
no_word: no
on_word: on
off_word: Off
y: y
true_word: True
false_upper: FALSE
null_word: Null
tilde: ~
empty:
octal_like: 012
octal: 0o14
hex: 0x1F
binary: 0b101
underscored: 1_000
sexagesimal: 1:20
float: 1.5
exp: 1e3
exp_signed: -2.5E-3
inf: -.inf
nan: .nan
version: 1.10
leading_plus: +12
date: 2025-02-28
datetime: 2025-02-28 10:20:30
datetime_t: 2025-02-28T10:20:30
datetime_tz: 2025-02-28T10:20:30+08:00
datetime_z: 2025-02-28T10:20:30.5Z
bad_date: 2025-02-30x
quoted_date: '2025-02-28'
double_quoted: "no"
folded: >-
  one
  two
literal: |
  line one
  line two
plain_multi: first
  second
list_flow: [a, 'b', 1, true, null]
nested:
  inner: [x, y]
  deeper:
    z: 2025-01-01
anchor: &a {k: v}
alias: *a
explicit_str: !!str 123
explicit_int: !!int "7"
unicode: "caf\\u00e9 \\U0001F600"
cjk: 中文：冒号
---
"""


def ruamel_reading(text: str) -> tuple[Any, list[tuple[Any, ...]]] | None:
    """ruamel.yaml's round-trip values and node positions, or None when it refuses the block."""
    y = YAML(typ="rt")
    try:
        node = y.compose(text)
        data = y.constructor.construct_document(node) if node is not None else {}
    except (YAMLError, RecursionError):
        return None
    return yamlio.to_plain(data), positions(node) if node is not None else []


def positions(node: Any, path: str = "") -> list[tuple[Any, ...]]:
    """Every node's kind, start, end and style, depth first (a block scalar's style is all that matters)."""
    out = [
        (
            path,
            type(node).__name__,
            node.start_mark.line,
            node.start_mark.column,
            node.end_mark.line,
            node.end_mark.column,
            getattr(node, "style", None) or None,
            bool(getattr(node, "flow_style", None)),
        )
    ]
    if isinstance(node.value, list):
        for i, item in enumerate(node.value):
            if isinstance(item, tuple):
                out += positions(item[0], f"{path}.{i}k") + positions(item[1], f"{path}.{i}v")
            else:
                out += positions(item, f"{path}.{i}")
    return out  # fmt: skip


def empty_at_line_end(a: tuple[Any, ...], b: tuple[Any, ...], text: str) -> bool:
    """An empty value: libyaml puts it just after its ``key:``, ruamel at the start of the next line."""
    lines = yamlio.split_lines(text)
    at_end = a[2] == a[4] and a[3] == a[5] == len(lines[a[2]].rstrip("\r\n"))
    return a[:2] == b[:2] and a[6:] == b[6:] and at_end and b[2:6] == (a[2] + 1, 0, a[2] + 1, 0)


def agree(raw: bytes, readable: bool | None = True) -> None:
    """The one reader and ruamel.yaml read a file's YAML block alike: same values, same node positions (an
    empty value may sit at the end of its line or the start of the next: both end its key's lines there).
    ``readable``: the block must be read (True), refused (False), or either (None)."""
    parts = split(raw)
    text = parts.block.decode("utf-8")
    try:
        mine = yamlread.read(text)
    except ParseError:
        assert readable is not True, "the reader refused it"
        return  # ruamel may read it: Masthead refuses more (a list at the top, a number as a key...)
    assert readable is not False, "the reader took it"
    if any(c in text for c in "\x85\u2028\u2029"):
        return  # ruamel.yaml breaks lines there (YAML 1.1); the reader follows YAML 1.2 (test_odd_values)
    reference = ruamel_reading(text)
    assert reference is not None, "the reader takes what ruamel refuses"
    values, places = reference
    assert same(mine.data, values), {k: (mine.data.get(k), values.get(k)) for k in values}
    own = positions(mine.root) if mine.root is not None else []
    assert len(own) == len(places)
    for a, b in zip(own, places, strict=True):
        assert a == b or empty_at_line_end(a, b, text), (a, b)
    doc = Document(raw)
    assert doc.error is None and same(doc.data, mine.data)
    assert same(read_meta(raw)[1], mine.data)  # the index reads it with the same reader


def test_tricky_values_agree() -> None:
    raw = TRICKY.encode()
    agree(raw)
    _, meta = read_meta(raw)
    assert meta["no_word"] == "no" and meta["octal_like"] == 12 and meta["sexagesimal"] == "1:20"
    assert meta["octal"] == 12 and meta["hex"] == 31 and meta["binary"] == 5 and meta["underscored"] == 1000
    assert meta["bad_date"] == "2025-02-30x" and meta["alias"] == {"k": "v"}


@pytest.mark.parametrize(
    "path",
    sorted((FIXTURES / "good").glob("*.md")) + sorted((FIXTURES / "broken").glob("*.md")),
    ids=lambda p: p.name,
)
def test_fixtures_agree(path: Path) -> None:
    if path.name in ("invalid-utf8.md", "unclosed.md", "no-close.md"):
        pytest.skip("not a YAML text block")
    try:
        if split(path.read_bytes()).kind != "yaml":
            pytest.skip("not YAML front matter")
        split(path.read_bytes()).block.decode("utf-8")
    except (UnicodeDecodeError, MastheadError):
        pytest.skip("not a YAML text block")
    agree(path.read_bytes(), readable=True if path.parent.name == "good" else None)


def test_samples_agree() -> None:
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is not present")
    paths = sorted(SAMPLES.glob("*.md"))
    for path in paths:
        if split(path.read_bytes()).kind == "yaml":
            agree(path.read_bytes(), readable=True)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n", "- x\n", "just text\n", "a:\n\t- b\n", "1: x\n", "? [a]\n: b\n",
    "a: &x [*x]\n", "a: 'unterminated\n", "a: b\n--- # two\nc: d\n",
])  # fmt: skip
def test_both_refuse_what_cannot_be_read(text: str) -> None:
    agree(b"---\n" + text.encode() + b"---\nbody\n", readable=False)
    with pytest.raises(MastheadError):
        read_meta(b"---\n" + text.encode() + b"---\nbody\n")


@settings(deadline=None)
@given(front_matter, st.booleans())
def test_random_front_matter_agrees(data: dict[str, Any], pyyaml: bool) -> None:
    if pyyaml:
        block = yaml.safe_dump(data, allow_unicode=True, sort_keys=False) if data else ""
    else:
        out = io.StringIO()
        if data:
            YAML().dump(data, out)
        block = out.getvalue()
    agree(("---\n" + block + "---\nbody").encode())
