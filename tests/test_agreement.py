"""The index (PyYAML C loader) and the editor (ruamel.yaml) read every value the same way."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import FIXTURES, SAMPLES
from tests.test_properties import front_matter

from masthead.core.document import Document
from masthead.core.errors import MastheadError
from masthead.core.reader import fast_meta, read_meta
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


def agree(raw: bytes, fast: bool | None = True) -> None:
    """The fast path's reading equals the editor's (ruamel.yaml, independent of it). ``fast``: the fast path must
    take this file (True), must decline it (False) or may do either (None). When it declines, the index shows
    the editor's own reading and error, so only the error is compared."""
    doc = Document(raw)
    try:
        quick = fast_meta(raw)
    except MastheadError as exc:  # cannot even be split: the editor says the same
        assert doc.error is not None and doc.error.message == exc.message and doc.error.line == exc.line
        assert fast is not True
        return
    if fast is not None:
        assert (quick is not None) is fast, "the fast path declined" if fast else "the fast path took it"
    if quick is None:
        try:
            read_meta(raw)
        except MastheadError as exc:
            assert doc.error is not None and doc.error.message == exc.message and doc.error.line == exc.line
        return
    kind, meta = quick
    assert doc.error is None, doc.error
    assert kind == doc.kind
    assert same(meta, doc.data), {k: (meta.get(k), doc.data.get(k)) for k in doc.data}


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
    agree(path.read_bytes(), fast=path.parent.name == "good")  # the broken ones must go to the editor


def test_samples_agree() -> None:
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is not present")
    paths = sorted(SAMPLES.glob("*.md"))
    for path in paths:
        agree(path.read_bytes(), fast=None)
    assert sum(fast_meta(p.read_bytes()) is not None for p in paths) >= len(paths) * 0.9  # compared, mostly


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n", "- x\n", "just text\n", "a:\n\t- b\n", "<<: {a: 1}\nb: 2\n", "1: x\n", "? [a]\n: b\n",
    "a: !custom x\n", "a: !!binary aGVsbG8=\n", "a: &x [*x]\n", "a: 'unterminated\n", "a: b\n--- # two\nc: d\n",
])  # fmt: skip
def test_odd_blocks_go_to_the_editor(text: str) -> None:
    agree(b"---\n" + text.encode() + b"---\nbody\n", fast=False)


@settings(deadline=None)
@given(front_matter, st.booleans())
def test_random_front_matter_agrees(data: dict[str, Any], pyyaml: bool) -> None:
    if pyyaml:
        block = yaml.safe_dump(data, allow_unicode=True, sort_keys=False) if data else ""
    else:
        from ruamel.yaml import YAML

        out = io.StringIO()
        if data:
            YAML().dump(data, out)
        block = out.getvalue()
    # A block holding "<<" anywhere (a merge key, or only text that looks like one) is left to the editor.
    agree(("---\n" + block + "---\nbody").encode(), fast=None if "<<" in block else True)
