"""The archive index on real folders: scanning rules, errors, cache, refresh, streaming, parallel reads."""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import FIXTURES
from tests.support.archive import make_archive

from masthead.core import reader
from masthead.core.cache import cache_path
from masthead.core.fieldinfo import FileState, file_state
from masthead.core.index import ArchiveIndex


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """Fixtures spread over nested folders, with a hidden folder and non-Markdown files."""
    root = tmp_path / "archive"
    for sub, names in {
        "2025/01": ["english-null.md", "indent2-cjk.md", "crlf.md"],
        "2025/02": ["pyyaml-sorted-cjk.md", "comments.md", "toml.md"],
        "drafts": ["literal-title.md", "no-frontmatter.md"],
    }.items():
        (root / sub).mkdir(parents=True)
        for name in names:
            shutil.copy(FIXTURES / "good" / name, root / sub / name)
    shutil.copy(FIXTURES / "broken" / "duplicate-key.md", root / "drafts" / "duplicate-key.md")
    shutil.copy(FIXTURES / "good" / "bom.md", root / "UPPER.MD")
    shutil.copy(FIXTURES / "good" / "nested.md", root / "long.markdown")
    (root / ".git").mkdir()
    (root / ".git" / "hidden.md").write_text("---\ntitle: hidden\n---\n")
    (root / ".hidden.md").write_text("---\ntitle: hidden file\n---\n")
    (root / "notes.txt").write_text("not markdown")
    return root


def test_scan_reads_every_markdown_file(archive: Path) -> None:
    index = ArchiveIndex(archive).open()
    assert sorted(index.records) == [
        "2025/01/crlf.md", "2025/01/english-null.md", "2025/01/indent2-cjk.md",
        "2025/02/comments.md", "2025/02/pyyaml-sorted-cjk.md", "2025/02/toml.md",
        "UPPER.MD", "drafts/duplicate-key.md", "drafts/literal-title.md", "drafts/no-frontmatter.md",
        "long.markdown",
    ]  # fmt: skip
    rec = index.records["2025/01/english-null.md"]
    assert rec.title.startswith("Rebuilding") and file_state(rec) == FileState.DRAFT and rec.date is not None
    assert rec.lists["tags"] == ["streaming", "data-platform", "migrations"]
    assert rec.meta["guest"] is None and rec.size == (archive / rec.path).stat().st_size
    assert index.records["2025/02/toml.md"].kind == "toml"
    assert index.records["drafts/literal-title.md"].title == "为什么终端里的智能体\n需要一位审阅者"


def test_broken_files_are_listed_with_their_error(archive: Path) -> None:
    index = ArchiveIndex(archive).open()
    broken = index.records["drafts/duplicate-key.md"]
    assert broken.error is not None and 'duplicate key "title"' in broken.error and broken.error_line == 4
    assert broken.meta == {}
    assert [r.path for r in index.records.values() if r.error] == ["drafts/duplicate-key.md"]


def test_vanished_file_is_listed_with_an_error(archive: Path) -> None:
    record = reader.read_record(str(archive), "drafts/gone.md")
    assert record.error is not None and "cannot read the file" in record.error


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    shift=st.integers(-12, 12),
    eol=st.sampled_from(["\n", "\r\n", "\r"]),
    close=st.sampled_from(["---", "...", "--- "]),
    after=st.sampled_from(["", "\n", "body", "\n" * 3 + "x" * 20_000]),
    decoy=st.booleans(),
)
def test_a_front_matter_ending_near_the_first_read_reads_as_the_whole_file(
    tmp_path: Path, shift: int, eol: str, close: str, after: str, decoy: bool
) -> None:
    """The index reads a file's first HEAD bytes and keeps their split when they hold the whole block: a
    closing line just before, across or just after that boundary gives the record of the whole file (and so
    does a key that starts like a closing line, ``---x``, cut by the boundary right after its ``---``)."""
    head = f"---{eol}title: 标题{eol}tags:{eol}- a{eol}summary: "
    last = f"{eol}---x: 1" if decoy else ""
    filler = "y" * (reader.HEAD + shift - len((head + (last[:-5] if decoy else eol + close)).encode()))
    raw = (head + filler + last + eol + close + eol + after).encode()
    (tmp_path / "f.md").write_bytes(raw)
    record = reader.read_record(str(tmp_path), "f.md")
    assert record.error is None
    expected = {"title": "标题", "tags": ["a"], "summary": filler} | ({"---x": 1} if decoy else {})
    assert record.meta == reader.read_meta(raw)[1] == expected


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_listed_with_an_error(archive: Path) -> None:
    (archive / "2025/01/crlf.md").chmod(0)
    index = ArchiveIndex(archive).open()
    assert "cannot read the file" in (index.records["2025/01/crlf.md"].error or "")


def test_links_leading_outside_are_skipped_and_loops_end(archive: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: outside\n---\n")
    (archive / "out-folder").symlink_to(outside, target_is_directory=True)
    (archive / "out-file.md").symlink_to(outside / "secret.md")
    (archive / "drafts" / "loop").symlink_to(archive, target_is_directory=True)
    (archive / "drafts" / "again.md").symlink_to(archive / "2025" / "01" / "crlf.md")
    (archive / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    index = ArchiveIndex(archive).open()
    paths = set(index.records)
    assert not any("out-" in p or "secret" in p or "loop/" in p or "dangling" in p for p in paths)
    assert len(paths) == 11  # the in-archive link to crlf.md is the same file: listed once


def test_cache_hit_and_invalidation(archive: Path) -> None:
    first = ArchiveIndex(archive).open()
    assert first.stats.parsed == 11 and first.stats.from_cache == 0
    first.close()
    again = ArchiveIndex(archive).open()
    assert again.stats.from_cache == 11 and again.stats.parsed == 0
    assert {k: r.meta for k, r in again.records.items()} == {k: r.meta for k, r in first.records.items()}
    again.close()
    path = archive / "2025/01/crlf.md"
    path.write_bytes(path.read_bytes().replace(b"Quiet Infrastructure", b"Loud Infrastructure"))
    third = ArchiveIndex(archive).open()
    assert third.stats.parsed == 1 and third.stats.from_cache == 10
    assert third.records["2025/01/crlf.md"].title == "Loud Infrastructure"
    third.close()
    (archive / "drafts" / "no-frontmatter.md").unlink()
    fourth = ArchiveIndex(archive).open()
    assert len(fourth.records) == 10 and fourth.stats.parsed == 0
    fourth.close()
    assert ArchiveIndex(archive).cache.known_paths() == set(fourth.records)  # type: ignore[union-attr]


def test_corrupt_cache_file_is_rebuilt(archive: Path) -> None:
    ArchiveIndex(archive).open().close()
    cache_path(archive).write_bytes(b"this is not a database" * 100)
    index = ArchiveIndex(archive).open()
    assert index.stats.parsed == 11 and index.cache is not None and index.cache.rebuilt
    index.close()
    assert ArchiveIndex(archive).open().stats.from_cache == 11


def test_damaged_cache_row_is_not_trusted(archive: Path) -> None:
    ArchiveIndex(archive).open().close()
    with sqlite3.connect(cache_path(archive)) as db:
        blob = db.execute("SELECT record FROM files WHERE path = 'UPPER.MD'").fetchone()[0]
        damaged = blob[:10] + bytes([blob[10] ^ 0xFF]) + blob[11:]
        db.execute("UPDATE files SET record = ? WHERE path = 'UPPER.MD'", (damaged,))
    index = ArchiveIndex(archive).open()
    assert index.stats.parsed == 1 and index.records["UPPER.MD"].title == "数据中心的冷却革命"


def test_cache_of_another_format_or_folder_is_rebuilt(archive: Path) -> None:
    ArchiveIndex(archive).open().close()
    with sqlite3.connect(cache_path(archive)) as db:
        db.execute("UPDATE info SET v = 'old' WHERE k = 'format'")
    index = ArchiveIndex(archive).open()
    assert index.stats.parsed == 11


def test_refresh_updates_only_the_given_files(archive: Path) -> None:
    index = ArchiveIndex(archive).open()
    changed = archive / "2025/02/comments.md"
    changed.write_bytes(changed.read_bytes().replace(b"status: draft", b"status: evergreen"))
    new = archive / "drafts" / "new.md"
    new.write_text("---\ntitle: Brand new\n---\n")
    (archive / "UPPER.MD").unlink()
    changes = index.refresh([changed, new, archive / "UPPER.MD", archive / "notes.txt", "/elsewhere/x.md"])
    assert changes.updated == ["2025/02/comments.md"] and changes.added == ["drafts/new.md"]
    assert changes.removed == ["UPPER.MD"]
    assert index.records["2025/02/comments.md"].meta["status"] == "evergreen"
    assert index.records["drafts/new.md"].title == "Brand new" and "UPPER.MD" not in index.records
    assert not index.refresh([changed])  # unchanged since: nothing to do
    os.rename(archive / "drafts/new.md", archive / "drafts/renamed.md")
    changes = index.rescan()
    assert changes.added == ["drafts/renamed.md"] and changes.removed == ["drafts/new.md"]
    index.close()
    reopened = ArchiveIndex(archive).open()
    assert reopened.stats.parsed == 0 and set(reopened.records) == set(index.records)


def test_streaming_progress_and_cancel(tmp_path: Path) -> None:
    root = tmp_path / "big"
    make_archive(root, 700)
    seen: list[tuple[int, int]] = []
    cancel = threading.Event()
    index = ArchiveIndex(root, use_cache=False, workers=2)
    batches = 0
    for batch in index.build(cancel, progress=lambda d, t: seen.append((d, t))):
        batches += 1
        assert batch
        cancel.set()
    assert batches == 1 and index.stats.cancelled and len(index.records) < 700
    assert seen[0][1] == 700 and seen[0][0] == len(index.records)


def _children() -> list[int]:
    """The live child processes of this one (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_first_build_starts_its_workers_while_listing_and_ends_them_however_it_ends(tmp_path: Path) -> None:
    root = tmp_path / "big"
    make_archive(root, 700)
    before = set(_children())
    build = ArchiveIndex(root, workers=2).build()  # a first build (empty cache): workers start during the scan
    assert len(next(build)) > 0
    assert len(set(_children()) - before) == 2
    build.close()  # abandoned after its first batch
    assert set(_children()) - before == set()
    cancel = threading.Event()
    cancel.set()  # cancelled before anything was read: the early workers are ended too
    index = ArchiveIndex(tmp_path / "big", use_cache=False, workers=2)
    for _ in index.build(cancel):
        pass
    assert index.stats.cancelled and set(_children()) - before == set()


def test_parallel_read_equals_inline_read(tmp_path: Path) -> None:
    root = tmp_path / "big"
    make_archive(root, 650)
    seen: list[int] = []
    parallel = ArchiveIndex(root, use_cache=False, workers=2)
    parallel.open(progress=lambda done, total: seen.append(done))
    inline = ArchiveIndex(root, use_cache=False, workers=1).open()
    assert len(parallel.records) == 650 and seen == sorted(seen) and seen[-1] == 650
    for path, record in inline.records.items():
        other = parallel.records[path]
        assert (other.meta, other.error, other.size, other.mtime_ns) == (
            record.meta,
            record.error,
            record.size,
            record.mtime_ns,
        )


def test_refresh_and_rescan_away_read_in_worker_processes_what_a_local_refresh_reads(tmp_path: Path) -> None:
    root = tmp_path / "big"
    paths = make_archive(root, 120)
    away = ArchiveIndex(root, workers=2).open()
    here = ArchiveIndex(root, use_cache=False, workers=1).open()
    for path in paths[:60]:  # more than AWAY_MIN changed files: they go to the workers
        path.write_bytes(path.read_bytes().replace(b"---\n", b"---\nreviewed: true\n", 1))
    (root / "added.md").write_text("---\ntitle: 新的一期\n---\nBody\n", encoding="utf-8")
    paths[60].unlink()
    changes = away.rescan(away=True)
    assert len(changes.updated) == 60 and changes.added == ["added.md"] and len(changes.removed) == 1
    here.rescan()
    assert set(away.records) == set(here.records)
    for rel, record in here.records.items():
        assert (away.records[rel].meta, away.records[rel].mtime_ns) == (record.meta, record.mtime_ns)
    assert away.records[away.relpath(paths[0])].meta["reviewed"] is True
    away.close()
    reopened = ArchiveIndex(root, workers=1).open()  # the cache holds what the workers read
    assert reopened.stats.parsed == 0 and reopened.records[reopened.relpath(paths[0])].meta["reviewed"] is True


def test_front_matter_longer_than_the_first_read(tmp_path: Path) -> None:
    root = tmp_path / "a"
    root.mkdir()
    long_summary = "很长的摘要。" * 4000  # about 72 KB of front matter
    (root / "long.md").write_text(f"---\ntitle: Long\nsummary: {long_summary}\ntags: [a]\n---\nbody\n")
    record = ArchiveIndex(root, use_cache=False).open().records["long.md"]
    assert record.error is None and record.meta["tags"] == ["a"] and record.meta["summary"] == long_summary


def test_cache_writes_racing_with_close_are_safe(archive: Path) -> None:
    """A refresh job may still write the cache while the window closes it (seen as a segfault once)."""
    index = ArchiveIndex(archive).open()
    cache = index.cache
    assert cache is not None
    records = list(index.records.values())
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(300):
                cache.put(records)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.01)
    cache.close()
    thread.join()
    assert errors == [] and cache.known_paths() == set(index.records)


def test_records_made_while_the_collector_is_paused_join_the_oldest_generation(tmp_path: Path) -> None:
    """A warm reopen's records are not left young: the collector's next pass would go over every one."""
    make_archive(tmp_path / "a", 300)
    ArchiveIndex(tmp_path / "a").open()  # the cache
    gc.unfreeze()  # (a window test earlier in this process froze its archive: see the next test)
    gc.collect()
    index = ArchiveIndex(tmp_path / "a").open()
    assert index.stats.from_cache == 300
    assert gc.get_count()[0] < 300  # not 300 records' worth of young objects waiting for a pass
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    records = list(index.records.values())
    assert all(id(r) in oldest for r in records)


def test_pausing_the_collector_lets_no_frozen_object_go() -> None:
    """Found by review: the window freezes a loaded archive; a later pause (a refresh) unfroze it all."""
    from masthead.core.records import gc_paused

    kept = [[i] for i in range(1000)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            made = [[i] for i in range(100)]
        assert gc.get_freeze_count() >= frozen and len(made) == 100 and kept
    finally:
        gc.unfreeze()
