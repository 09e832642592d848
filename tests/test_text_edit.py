"""Find and replace in fields (core ``TextEdit`` and ``masthead replace``): plain and regex with groups,
case, transforms, lists, and only the changed values' lines rewritten; undoable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import run_cli

from masthead.core.operations import apply_edit, edit_from_spec
from masthead.core.text_edit import TextEdit, apply_text_edit, halfwidth

DOC = (
    "---\n"
    "title: 'Interview with open ai: the road'\n"
    "date: 2025-01-02\n"
    "speaker: Sam   Altman\n"
    "draft: false\n"
    "tags:\n"
    "  - open-ai\n"
    "  - OpenAI\n"
    "  - 人工智能\n"
    "people: [Sam Altman, 'Greg Brockman']  # who speaks\n"
    "---\n\n### Part one\n\n**[Host]**: open ai is here\n"
)


def test_plain_text_ignores_case_unless_asked() -> None:
    data = {"title": "Open AI and open ai", "n": 3, "d": dt.date(2025, 1, 2)}
    assert apply_text_edit(data, TextEdit(None, "open ai", "OpenAI")) == {"title": "OpenAI and OpenAI"}
    assert apply_text_edit(data, TextEdit(None, "open ai", "OpenAI", case=True)) == {"title": "Open AI and OpenAI"}
    assert apply_text_edit(data, TextEdit(None, "$1", "x")) == {}  # plain text: no pattern syntax


def test_regex_groups_and_list_items_dedupe() -> None:
    edit = TextEdit(("tags",), r"^open-?(ai)$", r"Open\1", regex=True)
    assert apply_text_edit({"tags": ["open-ai", "Openai", "ml"]}, edit) == {"tags": ["Openai", "ml"]}
    assert apply_text_edit({"tags": ["x", "drop"]}, TextEdit(("tags",), "drop", "")) == {"tags": ["x"]}


def test_transforms() -> None:
    assert halfwidth("ＡＢＣ１２３！\u3000人工智能") == "ABC123! 人工智能"
    assert TextEdit(None, transform="collapse").change("  a   b \t c ") == "a b c"
    assert TextEdit(None, transform="title").change("the AI of iPhone") == "The AI Of IPhone"
    assert TextEdit(None, transform="lower").change("ÀB") == "àb"


def test_bad_input_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="regular expression"):
        TextEdit(None, "(", "", regex=True)
    with pytest.raises(ValueError, match="group 2"):
        TextEdit(None, "(a)", r"\2", regex=True)
    with pytest.raises(ValueError, match="nothing to do"):
        TextEdit(None)


@given(st.text(max_size=30), st.text(min_size=1, max_size=5), st.text(max_size=5), st.booleans(), st.booleans())
def test_plain_replace_matches_a_model_and_round_trips_its_spec(
    text: str, find: str, repl: str, case: bool, as_list: bool
) -> None:
    edit = TextEdit(("f",), find, repl, case=case)
    assert edit_from_spec(edit.spec) == edit
    if case:
        assert edit.change(text) == text.replace(find, repl)
    value: object = [text] if as_list else text
    sets, deletes = apply_edit({"f": value}, edit)  # type: ignore[dict-item]
    assert deletes == []
    if as_list:
        new = edit.change(text)
        assert sets == ({} if new == text else {"f": [new] if new else []})
    else:
        assert sets == ({} if edit.change(text) == text else {"f": edit.change(text)})


def test_cli_replace_across_fields_changes_only_those_lines_and_undoes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    path = root / "a.md"
    path.write_bytes(DOC.encode())
    code, _, err = run_cli(
        capsys, "replace", str(root), "title,tags,people", r"open[- ]?ai", "OpenAI", "--regex", "--all"
    )
    assert code == 0, err
    after = path.read_text()
    assert after == (
        DOC.replace("'Interview with open ai: the road'", "'Interview with OpenAI: the road'").replace(
            "  - open-ai\n  - OpenAI\n", "  - OpenAI\n"
        )
    )  # people had no match; the body and every other byte stay
    code, _, err = run_cli(capsys, "replace", str(root), "speaker", "x", "", "--transform", "collapse", "--all")
    assert code == 0 and "speaker: Sam Altman\n" in path.read_text()
    assert run_cli(capsys, "undo", str(root))[0] == 0
    assert run_cli(capsys, "undo", str(root))[0] == 0
    assert path.read_bytes() == DOC.encode()
    code, _, err = run_cli(capsys, "replace", str(root), "title", "(", "x", "--regex", "--all")
    assert code == 2 and "regular expression" in err
