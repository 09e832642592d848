"""The journal's .old file, written one file at a time, is the JSON object it always was."""

from __future__ import annotations

import base64
import json
import tempfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from masthead.core.journal import read_old, write_old

names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20)


@given(st.dictionaries(names, st.binary(max_size=300), max_size=6))
def test_old_bytes_round_trip(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "op.old"
        write_old(path, [(rel, old, b"new") for rel, old in files.items()])
        stored = json.loads(path.read_text(encoding="utf-8"))
        assert {rel: zlib.decompress(base64.b64decode(text)) for rel, text in stored.items()} == files
        assert not path.with_suffix(".tmp").exists()


@given(st.dictionaries(names, st.binary(max_size=300), max_size=120))
def test_the_paced_reader_reads_what_was_written(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "op.old"
        write_old(path, [(rel, old, b"new") for rel, old in files.items()])
        assert read_old(path) == json.loads(path.read_text(encoding="utf-8"))


@given(st.dictionaries(names, names, max_size=8), st.sampled_from([None, 0, 2]))
def test_the_paced_reader_reads_any_json_object_of_strings(stored: dict[str, str], indent: int | None) -> None:
    """Earlier builds wrote the .old file with one json.dumps (other spacing)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "op.old"
        path.write_text(json.dumps(stored, indent=indent, ensure_ascii=False), encoding="utf-8")
        assert read_old(path) == stored


@pytest.mark.parametrize("text", ["", "[]", '{"a": "b"', '{"a" "b"}', '{"a": "b",}', '{"a": "b"} x', "{1: 2}"])
def test_a_damaged_old_file_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "op.old"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError):
        read_old(path)


@pytest.mark.parametrize("text", ["{} garbage", "{}}", '{"a": "b"}\f', '{"a": "b"}\u00a0', '{"a": "b"}\u2028'])
def test_only_json_whitespace_may_follow_the_object(tmp_path: Path, text: str) -> None:
    path = tmp_path / "op.old"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        read_old(path)
