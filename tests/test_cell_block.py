"""Clipboard blocks of cells (``cell_block``): what spreadsheets put there reads as they mean it, and what the
grid copies reads back exactly (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from masthead.core.cell_block import block_text, parse_block


def test_spreadsheet_clipboards() -> None:
    assert parse_block("New A\nNew B\n") == [["New A"], ["New B"]]  # one column of two cells
    assert parse_block("Gamma\r\n") == [["Gamma"]]  # one cell, from Excel on Windows
    assert parse_block("Gamma") == [["Gamma"]]
    assert parse_block("a\tb\r\nc\td\r\n") == [["a", "b"], ["c", "d"]]
    assert parse_block('"The Talk" with X\tS1\n') == [['"The Talk" with X', "S1"]]
    assert parse_block('"Hello"\n') == [['"Hello"']]
    assert parse_block('"line one\nline ""two"""\tx\n') == [['line one\nline "two"', "x"]]
    assert parse_block("a\t\n\nb\n") == [["a", ""], [""], ["b"]]
    assert parse_block("第一集，上\t芯片\n") == [["第一集，上", "芯片"]]


_CELL = st.text(alphabet=st.sampled_from(['"', "\t", "\n", "\r", " ", "a", "芯", ","]) | st.characters(), max_size=8)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=1, max_size=4), min_size=1, max_size=4))
def test_what_is_copied_pastes_back_as_it_was(rows: list[list[str]]) -> None:
    assert parse_block(block_text(rows)) == rows
