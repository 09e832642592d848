"""The journal's .old file, written one file at a time, is the JSON object it always was; it holds for each
file how to make its old bytes from the new ones (the edit's middle), and undo checks the result's hash."""

from __future__ import annotations

import base64
import json
import tempfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from masthead.core import journal
from masthead.core.errors import MastheadError
from masthead.core.journal import read_old, write_old

names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20)


pieces = st.binary(max_size=60)
versions = st.builds(lambda a, b, c, z: (a + b + z, a + c + z), pieces, pieces, pieces, pieces)


@given(st.dictionaries(names, versions, max_size=6))
def test_old_bytes_round_trip(files: dict[str, tuple[bytes, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "op.json"
        write_old(
            journal.old_bytes_path(path), [(rel, journal.old_delta(old, new)) for rel, (old, new) in files.items()]
        )
        assert not path.with_suffix(".tmp").exists()
        old_of = journal.old_bytes(path)
        for rel, (old, new) in files.items():
            assert old_of({"rel": rel, "old_sha": journal.sha(old)}, new) == old


@given(st.binary(max_size=200), st.binary(max_size=200))
def test_the_common_ends_are_the_longest_and_never_overlap(old: bytes, new: bytes) -> None:
    prefix, suffix = journal.common_ends(old, new)
    assert prefix + suffix <= min(len(old), len(new))
    assert old[:prefix] == new[:prefix] and old[len(old) - suffix :] == new[len(new) - suffix :]
    shorter = min(len(old), len(new))
    assert prefix == shorter or old[prefix : prefix + 1] != new[prefix : prefix + 1]
    rest = shorter - prefix
    assert (
        suffix == rest
        or old[len(old) - suffix - 1 : len(old) - suffix] != new[len(new) - suffix - 1 : len(new) - suffix]
    )


def test_a_damaged_or_swapped_copy_is_refused_by_hash(tmp_path: Path) -> None:
    path = tmp_path / "op.json"
    files = [("a.md", b"---\ntitle: A\n---\nbody a\n", b"---\ntitle: AA\n---\nbody a\n"),
             ("b.md", b"---\ntitle: Bo\n---\nbody b\n", b"---\ntitle: X\n---\nbody b\n")]  # fmt: skip
    write_old(journal.old_bytes_path(path), [(rel, journal.old_delta(old, new)) for rel, old, new in files])
    stored = json.loads(journal.old_bytes_path(path).read_text(encoding="utf-8"))
    swapped = {"a.md": stored["b.md"], "b.md": stored["a.md"]}
    journal.old_bytes_path(path).write_text(json.dumps(swapped), encoding="utf-8")
    old_of = journal.old_bytes(path)
    with pytest.raises(MastheadError, match=r"a\.md is damaged"):
        old_of({"rel": "a.md", "old_sha": journal.sha(files[0][1])}, files[0][2])
    journal.old_bytes_path(path).write_text(json.dumps({"a.md": "d999:0:"}), encoding="utf-8")
    with pytest.raises(MastheadError, match="damaged"):
        journal.old_bytes(path)({"rel": "a.md", "old_sha": journal.sha(files[0][1])}, files[0][2])


def test_a_journal_of_an_earlier_build_still_undoes(tmp_path: Path) -> None:
    path = tmp_path / "op.json"
    old = b"---\ntitle: Old\n---\nbody\n"
    stored = {"a.md": base64.b64encode(zlib.compress(old, 6)).decode()}
    journal.old_bytes_path(path).write_text(json.dumps(stored), encoding="utf-8")
    assert journal.old_bytes(path)({"rel": "a.md", "old_sha": journal.sha(old)}, b"anything") == old


@given(st.dictionaries(names, st.binary(max_size=300), max_size=120))
def test_the_paced_reader_reads_what_was_written(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "op.old"
        write_old(path, [(rel, journal.old_delta(old, b"new")) for rel, old in files.items()])
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
