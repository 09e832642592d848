"""Copy, move, split, join and rename keys (core ``KeyEdit``, ``Document.rename`` and ``masthead field``):
a rename keeps the key's position and every byte but the key's text; all of them undoable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import run_cli

from masthead.core.document import Document
from masthead.core.errors import NotApplicable
from masthead.core.key_edit import KeyEdit, apply_key_edit, rename_of, split_text
from masthead.core.operations import edit_from_spec

DOC = (
    "---\n"
    "title: 访谈：人工智能的未来\n"
    "\"speaker\": 'Li Wei'   # who talks\n"
    "keywords: AI; 机器学习 ;  ; AI ;robots\n"
    "date: 2025-03-04\n"
    "tags:\n"
    "    - interview\n"
    "    - 人工智能\n"
    "people: [Li Wei, Sam Altman]  # in order of speaking\n"
    "---\n\n### 第一部分\n\n**[Li Wei]**: 你好\n"
)


def test_split_and_join_values() -> None:
    assert split_text(" a, b ,,a ,c ", ",") == ["a", "b", "c"]
    data = {"keywords": "x; y", "tags": ["a", "b"], "n": 3}
    assert apply_key_edit(data, KeyEdit("split", "keywords", separator=";")) == ({"keywords": ["x", "y"]}, [])
    assert apply_key_edit(data, KeyEdit("split", "tags", separator=";")) == ({}, [])  # already a list
    assert apply_key_edit(data, KeyEdit("join", "tags", "summary", " / ")) == ({"summary": "a / b"}, [])
    assert apply_key_edit(data, KeyEdit("join", "n")) == ({}, [])
    into = KeyEdit("split", "keywords", "tags", ";", append=True)
    assert apply_key_edit(data, into) == ({"tags": ["a", "b", "x", "y"]}, [])


def test_copy_and_move_set_or_append() -> None:
    data = {"speaker": "Li Wei", "people": ["Sam"], "date": dt.date(2025, 1, 2), "empty": ""}
    assert apply_key_edit(data, KeyEdit("copy", "speaker", "author")) == ({"author": "Li Wei"}, [])
    assert apply_key_edit(data, KeyEdit("move", "speaker", "people", append=True)) == (
        {"people": ["Sam", "Li Wei"]},
        ["speaker"],
    )
    assert apply_key_edit(data, KeyEdit("copy", "date", "people", append=True)) == (
        {"people": ["Sam", "2025-01-02"]},
        [],
    )
    assert apply_key_edit(data, KeyEdit("copy", "empty", "author")) == ({}, [])  # nothing to copy
    assert apply_key_edit(data, KeyEdit("copy", "people", "speaker", append=False)) == ({"speaker": ["Sam"]}, [])
    with pytest.raises(NotApplicable, match="speaker holds a single value"):
        apply_key_edit(data, KeyEdit("copy", "people", "speaker", append=True))
    again = {"speaker": "Li Wei", "author": "Li Wei"}
    assert apply_key_edit(again, KeyEdit("copy", "speaker", "author")) == ({}, [])  # idempotent


def test_bad_edits_are_refused_and_specs_round_trip() -> None:
    with pytest.raises(ValueError, match="the same"):
        KeyEdit("rename", "tags", "tags")
    with pytest.raises(ValueError, match="name the field"):
        KeyEdit("copy", "tags", "")
    with pytest.raises(ValueError, match="separator"):
        KeyEdit("split", "tags", separator="")
    for edit in (KeyEdit("rename", "a", "b"), KeyEdit("split", "k", "t", ";", True), KeyEdit("join", "t")):
        assert edit_from_spec(edit.spec) == edit
    assert rename_of({"a": 1}, KeyEdit("rename", "b", "c")) is None
    with pytest.raises(NotApplicable, match="already has c"):
        rename_of({"b": 1, "c": 2}, KeyEdit("rename", "b", "c"))


def test_rename_keeps_value_bytes_comment_and_position() -> None:
    doc = Document(DOC.encode())
    doc.rename("speaker", "host")
    doc.rename("people", "on")  # a YAML 1.1 boolean word: quoted
    assert doc.to_bytes().decode() == DOC.replace('"speaker": ', "host: ").replace("people: [", "'on': [")
    assert list(doc.data) == ["title", "host", "keywords", "date", "tags", "on"]
    with pytest.raises(ValueError, match="being renamed"):
        doc.set("host", "x")
    with pytest.raises(ValueError, match="already has a key"):
        doc.rename("title", "date")
    doc.revert("on")
    assert doc.renames == {"speaker": "host"}


KEYS = st.sampled_from(["title", "speaker", "tags", "日期", "a b", "x"])
VALUES = st.sampled_from(
    ["plain", "'quoted'", '"dq"  # note', "[a, b]", "|\n  line one\n  line two", "\n  - a\n  - b", "2025-01-02", ""]
)


@given(
    st.lists(st.tuples(KEYS, VALUES), min_size=1, max_size=6, unique_by=lambda kv: kv[0]),
    st.data(),
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from(["new", "新键", "yes", "with: colon"]),
)
def test_rename_changes_only_the_key_text(
    entries: list[tuple[str, str]], data: st.DataObject, eol: str, new: str
) -> None:
    keys = [k for k, _ in entries]
    lines = [f"{k}:{' ' if v and not v.startswith(chr(10)) else ''}{v}" for k, v in entries]
    text = "---" + eol + eol.join("\n".join(lines).split("\n")) + eol + "---" + eol + "body"
    old = data.draw(st.sampled_from(keys))
    doc = Document(text.encode())
    assert doc.editable, doc.error
    doc.rename(old, new)
    out = doc.to_bytes().decode()
    before, after = text.split(eol), out.split(eol)
    assert len(before) == len(after)
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert len(changed) == 1 and changed[0][0].startswith(old + ":")
    assert changed[0][1][len(changed[0][1]) - len(changed[0][0]) + len(old) :] == changed[0][0][len(old) :]
    assert list(Document(out.encode()).data) == [new if k == old else k for k in keys]


def test_cli_field_edits_change_only_those_lines_and_undo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    path = root / "a.md"
    path.write_bytes(DOC.encode())
    crlf = root / "b.md"
    crlf_text = "---\r\nspeaker: Ada\r\nkeywords: [x]\r\n---\r\nBody"
    crlf.write_bytes(crlf_text.encode())

    assert run_cli(capsys, "field", "rename", str(root), "speaker", "host", "--all")[0] == 0
    assert path.read_text() == DOC.replace('"speaker": ', "host: ")
    assert crlf.read_bytes() == crlf_text.replace("speaker:", "host:").encode()

    code, out, err = run_cli(capsys, "field", "split", str(root), "keywords", "-s", ";", "--all")
    assert code == 0, err
    assert "keywords:\n    - AI\n    - 机器学习\n    - robots\ndate:" in path.read_text()  # the file's list indent
    assert crlf.read_bytes() == crlf_text.replace("speaker:", "host:").encode()  # a list already

    code, _, err = run_cli(capsys, "field", "join", str(root), "tags", "--into", "category", "-s", " / ", "--all")
    assert code == 0, err
    assert "category: interview / 人工智能\n---" in path.read_text()

    code, _, err = run_cli(capsys, "field", "move", str(root), "host", "people", "--append", "--all")
    assert code == 0, err
    text = path.read_text()
    assert "host:" not in text and "people: [Li Wei, Sam Altman]  # in order of speaking\n" in text  # already there
    assert crlf.read_bytes() == b"---\r\nkeywords: [x]\r\npeople:\r\n  - Ada\r\n---\r\nBody"

    for _ in range(4):
        assert run_cli(capsys, "undo", str(root))[0] == 0
    assert path.read_bytes() == DOC.encode() and crlf.read_bytes() == crlf_text.encode()

    path.write_text(DOC.replace("title:", "host: x\ntitle:"))
    code, out, err = run_cli(capsys, "field", "rename", str(root), "speaker", "host", "--all")
    assert code == 1 and "already has host" in out + err
