from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from masthead.core import split as split_module
from masthead.core.errors import ParseError
from masthead.core.split import BOM, split


def test_yaml_parts_and_line_ending() -> None:
    data = b"---\r\ntitle: x\r\n---\r\nbody\r\n"
    parts = split(data)
    assert parts.kind == "yaml"
    assert parts.opening == b"---\r\n"
    assert parts.block == b"title: x\r\n"
    assert parts.closing == b"---\r\n"
    assert parts.body == b"body\r\n"
    assert parts.eol == b"\r\n"
    assert parts.join() == data


def test_bom_is_kept_apart() -> None:
    parts = split(BOM + b"---\na: 1\n---\n")
    assert parts.bom == BOM and parts.kind == "yaml" and parts.body == b""


def test_dots_close_and_closing_without_newline() -> None:
    assert split(b"---\na: 1\n...\nrest").closing == b"...\n"
    parts = split(b"---\na: 1\n---")
    assert parts.closing == b"---" and parts.body == b""


def test_no_front_matter() -> None:
    parts = split(b"# Title\r\n\r\ntext")
    assert parts.kind == "none" and parts.body == b"# Title\r\n\r\ntext" and parts.eol == b"\r\n"


def test_thematic_break_later_is_not_front_matter() -> None:
    assert split(b"text\n---\nmore\n").kind == "none"


def test_toml_and_json_detected() -> None:
    assert split(b"+++\na = 1\n+++\nbody").kind == "toml"
    parts = split(b'{\n  "a": 1\n}\nbody')
    assert parts.kind == "json" and parts.block == b'{\n  "a": 1\n}\n' and parts.body == b"body"


def test_unclosed_front_matter_is_an_error() -> None:
    with pytest.raises(ParseError, match="never closed"):
        split(b"---\ntitle: x\n\nbody\n")


@given(st.binary(max_size=400))
def test_join_restores_any_bytes(data: bytes) -> None:
    try:
        parts = split(data)
    except ParseError:
        return
    assert parts.join() == data


@given(
    st.sampled_from([b"\n", b"\r\n"]),
    st.text(alphabet="ab: -#\n", max_size=60).map(lambda t: t.encode()),
    st.binary(max_size=100),
    st.booleans(),
)
def test_join_restores_front_matter_files(eol: bytes, block: bytes, body: bytes, bom: bool) -> None:
    lines = [ln for ln in block.split(b"\n") if ln.strip() not in (b"---", b"...")]
    data = (BOM if bom else b"") + b"---" + eol + b"".join(ln + eol for ln in lines) + b"---" + eol + body
    parts = split(data)
    assert parts.kind == "yaml" and parts.join() == data and parts.body == body


_REGEX_CLOSE = {  # how closing lines were found before: a regular expression, searched from the opening's break
    markers: re.compile(rb"[\r\n]((?:" + b"|".join(re.escape(m) for m in markers) + rb")[ \t]*(?:\r\n|\r|\n|\Z))")
    for markers in (split_module._YAML_CLOSE, split_module._TOML_CLOSE, split_module._JSON_CLOSE)
}


@given(
    st.lists(
        st.sampled_from([b"---", b"...", b"+++", b"}", b"-", b".", b" ", b"\t", b"\r", b"\n", b"x", b"\xe6\xa0\x87"])
    ),
    st.integers(1, 8),
)
def test_closing_lines_are_found_where_the_regular_expression_finds_them(tokens: list[bytes], start: int) -> None:
    data = b"---\n" + b"".join(tokens)
    start = min(start, len(data))
    for markers, pattern in _REGEX_CLOSE.items():
        found = pattern.search(data, start - 1)
        assert split_module._find_close(data, start, markers) == (found.span(1) if found else None)
