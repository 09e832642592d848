"""The index cache's snapshot: records packed many to a piece, trusted only while each file's stamp holds."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import FIXTURES

from masthead.core import cache as cache_module
from masthead.core import index as index_module
from masthead.core import snapshot
from masthead.core.cache import cache_path
from masthead.core.index import ArchiveIndex
from masthead.core.records import Record


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small archive whose builds use the snapshot as a large one's do."""
    monkeypatch.setattr(index_module, "STALE_MIN", 0)
    root = tmp_path / "archive"
    root.mkdir()
    for name in ("english-null.md", "indent2-cjk.md", "crlf.md", "comments.md", "bom.md", "nested.md"):
        shutil.copy(FIXTURES / "good" / name, root / name)
    shutil.copy(FIXTURES / "broken" / "duplicate-key.md", root / "broken.md")
    return root


def metas(index: ArchiveIndex) -> dict[str, tuple[object, ...]]:
    return {p: (r.meta, r.kind, r.error, r.error_line, r.size, r.mtime_ns) for p, r in index.records.items()}


def table(root: Path, name: str) -> int:
    with sqlite3.connect(cache_path(root)) as db:
        return int(db.execute(f"SELECT count(*) FROM {name}").fetchone()[0])


def test_a_build_stores_pieces_and_a_reopen_reads_them_to_the_same_records(archive: Path) -> None:
    fresh = ArchiveIndex(archive, use_cache=False).open()
    ArchiveIndex(archive).open().close()
    assert table(archive, "snapshot") >= 1 and table(archive, "files") == 0
    again = ArchiveIndex(archive).open()
    assert again.stats.from_cache == 7 and again.stats.parsed == 0
    assert metas(again) == metas(fresh)
    assert isinstance(again.records["english-null.md"].meta["date"], dt.date)


def test_a_changed_file_is_read_again_and_its_row_wins_over_the_snapshot(archive: Path) -> None:
    ArchiveIndex(archive).open().close()
    path = archive / "crlf.md"
    path.write_bytes(path.read_bytes().replace(b"Quiet Infrastructure", b"Loud Infrastructure"))
    os.utime(path, ns=(1, 1))
    index = ArchiveIndex(archive).open()
    index.refresh([path])
    assert index.records["crlf.md"].title == "Loud Infrastructure"
    index.close()
    again = ArchiveIndex(archive).open()
    assert again.stats.parsed == 0 and again.records["crlf.md"].title == "Loud Infrastructure"


def test_a_removed_file_stays_removed_from_the_cache(archive: Path) -> None:
    ArchiveIndex(archive).open().close()
    (archive / "bom.md").unlink()
    ArchiveIndex(archive).open().close()
    cache = ArchiveIndex(archive).cache
    assert cache is not None and "bom.md" not in cache.known_paths() and len(cache.known_paths()) == 6
    (archive / "bom.md").write_text("---\ntitle: back\n---\n", encoding="utf-8")
    index = ArchiveIndex(archive).open()
    assert index.records["bom.md"].title == "back" and index.stats.parsed == 1


def test_a_damaged_piece_is_not_trusted(archive: Path) -> None:
    ArchiveIndex(archive).open().close()
    with sqlite3.connect(cache_path(archive)) as db:
        piece, data = db.execute("SELECT piece, data FROM snapshot").fetchone()
        db.execute(
            "UPDATE snapshot SET data = ? WHERE piece = ?", (data[:20] + bytes([data[20] ^ 1]) + data[21:], piece)
        )
    index = ArchiveIndex(archive).open()
    assert index.stats.parsed == 7 and metas(index) == metas(ArchiveIndex(archive, use_cache=False).open())


def test_rows_are_folded_into_the_snapshot_and_dead_entries_do_not_pile_up(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "DEAD_SLACK", 0)
    ArchiveIndex(archive).open().close()
    for round_ in range(6):
        for path in archive.iterdir():
            os.utime(path, ns=(round_ + 10, round_ + 10))  # every file "changed": all read again
        index = ArchiveIndex(archive).open()
        assert index.stats.parsed == 7
        index.close()
        with sqlite3.connect(cache_path(archive)) as db:
            entries = sum(len(snapshot.unpack(d)) for (d,) in db.execute("SELECT data FROM snapshot"))
        assert entries <= 2 * 7 and table(archive, "files") == 0
    assert ArchiveIndex(archive).open().stats.from_cache == 7


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=100),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)
metas_strategy = st.dictionaries(st.text(min_size=1, max_size=12), values | st.dates() | st.datetimes(), max_size=8)


@given(
    st.lists(st.tuples(st.text(min_size=1, max_size=20), metas_strategy, st.none() | st.text(max_size=30)), max_size=6)
)
def test_pack_and_unpack_give_back_every_record(items: list[tuple[str, dict[str, object], str | None]]) -> None:
    recs = [Record(p, len(p), i, dict(m), "yaml", e, None if e is None else 3) for i, (p, m, e) in enumerate(items)]
    expected = [(r.path, r.size, r.mtime_ns, dict(r.meta), r.kind, r.error, r.error_line) for r in recs]
    for size in (0, 2):
        back = [snapshot.record_of(e) for piece in snapshot.pack(recs, size) for e in snapshot.unpack(piece)]
        assert [(r.path, r.size, r.mtime_ns, r.meta, r.kind, r.error, r.error_line) for r in back] == expected
