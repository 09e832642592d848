"""The shortcut that writes simple values without ruamel.yaml writes exactly what ruamel.yaml writes."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString
from tests.test_properties import TRICKY

from masthead.core import yamlio

texts = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20),
    st.text(alphabet="ab :#-'\"{}[],.~!&*?|>%@`\\\t", max_size=12),
    st.text(alphabet="数据中文：，、。（）ab 1-", max_size=12),
)
styles = st.sampled_from([str, SingleQuotedScalarString, DoubleQuotedScalarString])


def ruamel_item(item: Any, flow: bool) -> str:
    seq = CommentedSeq([item])
    if flow:
        seq.fa.set_flow_style()
    lines = yamlio.render_entry("k", seq, yamlio.Style())
    return "".join(lines)


@given(texts, styles)
@example("plain words", str)
@example("it's", SingleQuotedScalarString)
def test_a_list_item_is_written_as_ruamel_writes_it(text: str, style: type) -> None:
    item = yamlio.to_node(text, style("x") if style is not str else None)
    block, flow = yamlio.simple_scalar(item), yamlio.simple_scalar(item, flow=True)
    if block is not None:
        assert ruamel_item(item, flow=False) == f"k:\n  - {block}\n"
    if flow is not None:
        assert ruamel_item(item, flow=True) == f"k: [{flow}]\n"


@given(texts, st.one_of(texts, st.booleans(), st.none(), st.integers()), styles)
@example("draft", False, str)
@example("title", "数据中心", str)
def test_a_key_and_a_value_are_written_as_ruamel_writes_them(key: str, value: Any, style: type) -> None:
    styled = yamlio.to_node(value, style("x") if style is not str else None)
    line = yamlio.simple_entry(key, styled)
    if line is not None:
        assert "".join(yamlio.render_entry(key, styled, yamlio.Style())) == line


def test_the_shortcut_is_taken_for_ordinary_values() -> None:
    assert yamlio.simple_scalar("machine learning") == "machine learning"
    assert yamlio.simple_scalar("数据中心") == "数据中心"
    assert yamlio.simple_scalar(SingleQuotedScalarString("it's")) == "'it''s'"
    assert yamlio.simple_scalar("no") is None and yamlio.simple_scalar("a: b") is None
    assert yamlio.simple_scalar("a, b", flow=True) is None and yamlio.simple_scalar("a, b") == "a, b"
    assert yamlio.simple_entry("draft", False) == "draft: false\n"
