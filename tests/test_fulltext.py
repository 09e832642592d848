"""The full-text index of the transcripts: exact answers (the same as reading every file), Chinese and English
substrings, kept current file by file, rebuilt when damaged; ``search``, ``body:`` and ``text:`` use it."""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import sys
import threading
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.conftest import run_cli
from tests.support.damage import damage

from masthead.core import cache, fulltext
from masthead.core.folding import one_for_one
from masthead.core.fulltext import TextIndex, snippet
from masthead.core.index import ArchiveIndex
from masthead.core.query import parse_query

BODIES = {
    "zh.md": "\n### 第一部分\n\n**[主持人]**: 我们今天聊数据中心的冷却。\n\n**[嘉宾]**: 液冷正在取代风冷。\n",
    "en.md": "\n### Part one\n\n**[Host]**: Welcome to the Cooling Show.\n\n**[Guest]**: Liquid cooling wins.\n",
    "mixed.md": "\n**[Host]**: GPU 集群 and 液冷 together.\n<!-- chunk -->\n",
}


def write(root: Path, name: str, body: str, title: str = "Title") -> Path:
    path = root / name
    path.write_text(f"---\ntitle: {title}\nsummary: About {name}\n---\n{body}", encoding="utf-8")
    return path


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    root.mkdir()
    for name, body in BODIES.items():
        write(root, name, body)
    return root


def opened(root: Path) -> ArchiveIndex:
    index = ArchiveIndex(root).open()
    index.update_text()
    return index


@pytest.mark.parametrize(
    "text, paths",
    [("冷却", ["zh.md"]), ("液冷", ["mixed.md", "zh.md"]), ("cooling", ["en.md"]), ("COOLING SHOW", ["en.md"]),
     ("gpu 集群", ["mixed.md"]), ("冷", ["mixed.md", "zh.md"]), ("Host", ["en.md", "mixed.md"]), ("nowhere", [])],
)  # fmt: skip
def test_search_finds_every_file_that_holds_the_text(archive: Path, text: str, paths: list[str]) -> None:
    index = opened(archive)
    hits = index.text_index().search(text, index.body)
    assert [h.path for h in hits] == paths
    assert all(same(h.match) == same(text) for h in hits)
    index.close()


def test_only_changed_files_are_read_again_and_gone_ones_dropped(archive: Path) -> None:
    index = opened(archive)
    assert index.update_text() == 0  # nothing changed
    path = write(archive, "en.md", "\n**[Host]**: Now about air handling.\n")
    os.utime(path, ns=(1, 10**18))
    (archive / "zh.md").unlink()
    index.close()
    index = opened_again = ArchiveIndex(archive).open()
    assert opened_again.update_text() == 1
    assert [h.path for h in index.text_index().search("cooling", index.body)] == []
    assert [h.path for h in index.text_index().search("air handling", index.body)] == ["en.md"]
    assert [h.path for h in index.text_index().search("冷却", index.body)] == []  # the deleted file is gone
    index.close()


def test_a_front_matter_edit_does_not_index_the_transcript_again(archive: Path) -> None:
    index = opened(archive)
    db = sqlite3.connect(index.text_index().path_of("en.md"))
    (row_before,) = db.execute("SELECT id FROM files WHERE path = 'en.md'").fetchone()
    index.close()
    path = write(archive, "en.md", BODIES["en.md"], title="A new title")  # the same transcript
    os.utime(path, ns=(1, 10**18))
    again = opened(archive)
    assert db.execute("SELECT id, mtime_ns FROM files WHERE path = 'en.md'").fetchone() == (row_before, 10**18)
    assert again.update_text() == 0  # its new size and mtime are known now
    assert [h.path for h in again.text_index().search("liquid cooling", again.body)] == ["en.md"]
    db.close()
    again.close()


@pytest.mark.parametrize(
    "text, found", [("a", [0, 1]), ("b", [0]), ("ab", [0]), ("xa", [1]), ("a\uffff", []), ("x", [1])]
)
def test_one_or_two_characters_are_found_at_the_very_end_of_a_transcript(text: str, found: list[int]) -> None:
    bodies = ["ab", "xa"]
    index = TextIndex(Path("/nowhere"), memory=True)
    index.update([(f"f{i}.md", 2, i) for i in range(2)], lambda rel: bodies[int(rel[1:-3])])
    assert [h.path for h in index.search(text, lambda rel: bodies[int(rel[1:-3])])] == [f"f{i}.md" for i in found]
    index.close()


def test_texts_indexed_again_leave_dead_rows_that_are_never_found_then_start_again(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fulltext, "DEAD_SLACK", 0)
    index = opened(archive)
    db = sqlite3.connect(index.text_index().path_of("en.md"))
    (live,) = db.execute("SELECT count(*) FROM files").fetchone()  # the files in en.md's part of the index
    assert live == 2  # en.md and mixed.md (zh.md is in another part)
    for round_, dead_rows in enumerate([1, 2, 3, 0]):  # en.md's transcript changes: its old rows are dead
        path = write(archive, "en.md", f"\n**[Host]**: Round {round_} about fans.\n")
        os.utime(path, ns=(1, 10**18 + round_))
        index.refresh([path])
        assert index.update_text() == (1 if dead_rows else live)  # (starting again reads the part's files)
        assert [h.path for h in index.text_index().search(f"round {round_}", index.body)] == ["en.md"]
        assert index.text_index().paths("liquid cooling") == set()  # the first text's row is dead
        assert index.text_index().paths(f"round {round_ - 1}") == set()
        dead = int(db.execute("SELECT v FROM info WHERE k = 'dead'").fetchone()[0])
        assert dead == dead_rows  # three dead rows outnumber the two files: the next update starts again
    assert [h.path for h in index.text_index().search("液冷", index.body)] == ["mixed.md", "zh.md"]
    db.close()
    index.close()


def test_a_damaged_index_is_rebuilt_not_trusted(archive: Path) -> None:
    index = opened(archive)
    path = index.text_index().path_of("zh.md")
    index.close()
    path.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    again = ArchiveIndex(archive).open()
    assert again.update_text() == 1 and again.text_index().rebuilt  # zh.md, the one file of the damaged part
    assert [h.path for h in again.text_index().search("液冷", again.body)] == ["mixed.md", "zh.md"]
    again.close()


def test_an_index_of_the_format_before_parts_is_deleted(archive: Path) -> None:
    old = fulltext.text_index_path(archive)
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(b"an index in one file")
    index = opened(archive)
    assert not old.exists() and [h.path for h in index.text_index().search("液冷", index.body)] == ["mixed.md", "zh.md"]
    index.close()


def test_every_part_of_the_index_is_used_and_searched(tmp_path: Path) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for i in range(40):
        write(root, f"t{i:02}.md", f"\n**[Host]**: Episode {i:02} about 液冷 and fans.\n")
    index = opened(root)
    per_part = [sqlite3.connect(p).execute("SELECT count(*) FROM files").fetchone()[0]
                for p in sorted({index.text_index().path_of(f"t{i:02}.md") for i in range(40)})]  # fmt: skip
    assert len(per_part) == fulltext.SHARDS and all(per_part) and sum(per_part) == 40
    assert [h.path for h in index.text_index().search("液冷", index.body)] == [f"t{i:02}.md" for i in range(40)]
    assert [h.path for h in index.text_index().search("Episode 07", index.body)] == ["t07.md"]
    assert index.text_index().paths("冷") == {f"t{i:02}.md" for i in range(40)}
    index.close()


alphabet = "ab数据 中心\n*[]:-Ａｂ，,"
folding = "sSßẞkKK\u212aiIİıﬁfF\0 ＡａＳ…."  # letters whose folding is not one ASCII letter to another


def same(text: str) -> str:
    """What matching ignores: full-width or half-width (NFKC) and case."""
    return unicodedata.normalize("NFKC", text).casefold()


@settings(deadline=None, max_examples=60)
@given(st.lists(st.text(folding, max_size=12), min_size=1, max_size=6), st.text(folding, min_size=1, max_size=5))
def test_case_folding_and_nul_answer_as_reading_every_transcript_does(bodies: list[str], text: str) -> None:
    index = TextIndex(Path("/nowhere"), memory=True)
    index.update([(f"f{i}.md", len(b), i) for i, b in enumerate(bodies)], lambda rel: bodies[int(rel[1:-3])])
    expected = sorted(f"f{i}.md" for i, b in enumerate(bodies) if same(text) in same(b))
    hits = index.search(text, lambda rel: bodies[int(rel[1:-3])])
    assert [h.path for h in hits] == expected
    assert all(same(text) in same(h.match) for h in hits)  # the snippet shows the very match
    index.close()


def test_snippets_mark_the_match_in_the_transcript_as_written(archive: Path) -> None:
    write(archive, "de.md", "\nDie Straße heißt Anna-Straße, sagt ANNA.\n")
    index = opened(archive)
    hits = index.text_index().search("anna", index.body)
    assert [(h.path, h.match) for h in hits] == [("de.md", "Anna")]
    assert hits[0].before.endswith("heißt ") and hits[0].after.startswith("-Straße")
    assert [h.match for h in index.text_index().search("STRASSE", index.body)] == ["Straße"]
    index.close()


@settings(deadline=None, max_examples=60)
@given(st.lists(st.text(alphabet, max_size=30), min_size=1, max_size=6), st.text(alphabet, min_size=1, max_size=4))
def test_search_answers_exactly_what_reading_every_transcript_does(bodies: list[str], text: str) -> None:
    index = TextIndex(Path("/nowhere"), memory=True)
    files = [(f"f{i}.md", len(b), i) for i, b in enumerate(bodies)]
    index.update(files, lambda rel: bodies[int(rel[1:-3])])
    expected = sorted(f"f{i}.md" for i, b in enumerate(bodies) if same(text) in same(b))
    assert [h.path for h in index.search(text, lambda rel: bodies[int(rel[1:-3])])] == expected
    index.close()


def test_the_cli_search_prints_path_title_and_snippet(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(archive, "zh.md", BODIES["zh.md"], title="冷却的未来")
    code, out, err = run_cli(capsys, "search", str(archive), "液冷")
    assert code == 0 and "2 of 3 transcripts contain it" in err
    lines = out.splitlines()
    assert lines[1].startswith("zh.md\t冷却的未来\t") and "[液冷]正在取代风冷" in lines[1]
    code, out, _ = run_cli(capsys, "search", str(archive), "cooling", "--json", "--limit", "1")
    hit = json.loads(out)
    assert code == 0 and hit["path"] == "en.md" and hit["match"] == "Cooling"


def test_body_and_text_queries_are_answered_from_it(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(archive, "title-only.md", "\nNothing here.\n", title="Cooling in the title")
    code, out, _ = run_cli(capsys, "query", str(archive), "body:cooling", "--json")
    assert code == 0 and [json.loads(line)["path"] for line in out.splitlines()] == ["en.md"]
    code, out, _ = run_cli(capsys, "query", str(archive), "text:cooling", "--json")
    assert sorted(json.loads(line)["path"] for line in out.splitlines()) == ["en.md", "title-only.md"]
    index = opened(archive)
    query = parse_query("body:液冷 -body:gpu")
    found = {t: index.text_index().paths(t) for t in query.body_texts}
    assert [r.path for r in index.records.values() if query.matches(r, None, found)] == ["zh.md"]
    index.close()


def test_an_index_another_process_holds_is_waited_for_not_deleted(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = opened(archive)
    path = index.text_index().path_of("en.md")
    index.close()
    monkeypatch.setattr(cache, "BUSY_WAIT", 0.05)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    write(archive, "en.md", "\nSomething new.\n")
    os.utime(archive / "en.md", ns=(1, 10**18))
    again = ArchiveIndex(archive).open()
    try:
        again.update_text()
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
    holder.execute("ROLLBACK")
    holder.close()
    assert path.exists() and not again.text_index().rebuilt
    assert again.update_text() == 1
    assert [h.path for h in again.text_index().search("something new", again.body)] == ["en.md"]
    again.close()


def test_a_search_still_running_after_the_archive_closed_opens_nothing(archive: Path) -> None:
    index = ArchiveIndex(archive).open()
    index.close()
    assert index.text_index().paths("cooling") == set() and index.update_text() == 0
    assert not any(p.name.startswith("fulltext-") for p in cache.cache_dir().iterdir())


def test_search_with_a_limit_still_counts_every_file_and_titles_stay_on_one_line(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(archive, "zh.md", BODIES["zh.md"], title="|-\n  冷却\n  的未来")
    code, out, err = run_cli(capsys, "search", str(archive), "液冷", "--limit", "1")
    assert code == 0 and len(out.splitlines()) == 1 and "2 of 3 transcripts contain it (the first 1 shown)" in err
    code, out, _ = run_cli(capsys, "index", str(archive))
    assert code == 0 and len(out.splitlines()) == 3 and "冷却 的未来" in out
    assert run_cli(capsys, "search", str(archive), "液冷", "--limit", "0")[0] == 2


def test_what_another_process_indexed_is_known_without_indexing_it_again(archive: Path) -> None:
    mine, theirs = opened(archive), opened(archive)  # two connections to the same index, as two processes
    assert mine.update_text() == 0
    path = write(archive, "en.md", "\n**[Host]**: Heat pumps now.\n")
    os.utime(path, ns=(1, 10**18))
    for index in (mine, theirs):
        index.refresh([path])
    assert theirs.update_text() == 1  # the other process indexes it first
    todo, gone = mine.text_index().stale([(r.path, r.size, r.mtime_ns) for r in mine.records.values()])
    assert todo == [] and gone == []  # this one sees that it is done (its own stamps were read again)
    assert mine.update_text() == 0 and mine.text_index().paths("heat pumps") == {"en.md"}
    mine.close()
    theirs.close()


def test_closing_while_a_build_is_inside_its_transaction_does_not_wait_for_it(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = ArchiveIndex(archive).open()
    inside, release = threading.Event(), threading.Event()
    store = fulltext._Shard._store

    def slow_store(shard: fulltext._Shard, *args: Any) -> None:  # a long insert, holding the part's lock
        inside.set()
        assert release.wait(30)
        store(shard, *args)

    monkeypatch.setattr(fulltext._Shard, "_store", slow_store)
    build = threading.Thread(target=index.update_text)
    build.start()
    assert inside.wait(30)
    closing = threading.Thread(target=index.close)  # as a window's GUI thread closes the archive
    closing.start()
    closing.join(10)
    closed_at_once = not closing.is_alive()
    release.set()
    build.join(30)
    closing.join(30)
    assert closed_at_once and not build.is_alive()
    shards = index.text_index()._shards
    for shard in shards:  # every part's connection is closed, the one the build held included
        with pytest.raises(sqlite3.ProgrammingError):
            shard._db.execute("SELECT 1")
    again = opened(archive)  # what the build had not committed is indexed by the next update
    assert [h.path for h in again.text_index().search("液冷", again.body)] == ["mixed.md", "zh.md"]
    again.close()


@settings(deadline=None, max_examples=40)
@given(
    st.lists(st.text(alphabet, max_size=20), min_size=1, max_size=8),
    st.lists(
        st.tuples(st.integers(0, 7), st.sampled_from(["text", "touch", "delete"]), st.text(alphabet, max_size=20))
    ),
    st.text(alphabet, min_size=1, max_size=3),
)
def test_after_any_changes_it_answers_as_reading_every_transcript_does(
    bodies: list[str], changes: list[tuple[int, str, str]], text: str
) -> None:
    """Files changed (a new transcript), touched (the same one, a new mtime: restamped) and deleted, in
    batches across the parts of the index: every search answers as reading the files does."""
    files = {f"f{i}.md": (b, i) for i, b in enumerate(bodies)}
    index = TextIndex(Path("/nowhere"), memory=True)

    def update() -> None:
        index.update([(rel, len(b), m) for rel, (b, m) in files.items()], lambda rel: files[rel][0])

    update()
    for n, (at, change, new) in enumerate(changes):
        rel = f"f{at}.md"
        if change == "delete":
            files.pop(rel, None)
        else:
            files[rel] = (new if change == "text" or rel not in files else files[rel][0], 100 + n)
        if n % 3 == 2:
            update()
    update()
    for wanted in (text, *(b[:3] for b, _ in files.values() if b)):
        expected = sorted(rel for rel, (b, _) in files.items() if same(wanted) in same(b))
        assert sorted(index.paths(wanted)) == expected
    index.close()


def test_a_part_found_damaged_by_a_search_is_never_a_partial_answer_and_is_rebuilt(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its files table reads, its trigrams do not: the search says so (the caller reads the files), the CLI
    rebuilds the part and answers from it, and a window's next search does too."""
    for i in range(30):
        write(archive, f"t{i:02}.md", f"\n**[Host]**: needle {i:02}.\n")
    index = opened(archive)
    part = index.text_index().path_of("zh.md")
    index.close()
    db = sqlite3.connect(part)
    damage(db)
    db.commit()
    db.close()
    again = opened(archive)
    assert again.update_text() == 0  # its files table says every file is indexed
    with pytest.raises(fulltext.DamagedIndex):
        again.text_index().paths("needle")
    assert again.update_text() > 0 and again.text_index().rebuilt  # the next update rebuilds that part
    assert again.text_index().paths("needle") == {f"t{i:02}.md" for i in range(30)}
    again.close()
    db = sqlite3.connect(part)  # damaged again, then the CLI asked
    damage(db)
    db.commit()
    db.close()
    code, out, err = run_cli(capsys, "query", str(archive), "body:needle", "--json")
    assert code == 0 and len(out.splitlines()) == 30 and "cannot be read" in err


def test_stamps_compared_while_another_thread_indexes_the_same_part() -> None:
    """A window's searches each bring the index up to date first, on their own threads."""
    index = TextIndex(Path("/nowhere"), memory=True)
    base = [(f"base/{i}.md", 1, 1) for i in range(5000)]
    index.update(base, lambda rel: "x")
    errors: list[BaseException] = []
    stop = threading.Event()

    def writer() -> None:
        for round_ in range(100):
            try:
                index.update(base + [(f"new/{round_}-{i}.md", 1, 1) for i in range(50)], lambda rel: "y")
                index.update(base, lambda rel: "y")
            except BaseException as exc:
                errors.append(exc)
                return
        stop.set()

    def reader() -> None:
        while not stop.is_set():
            try:
                index.stale(base)
            except BaseException as exc:
                errors.append(exc)
                return

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # the threads take turns often: one of them is often inside the other's loop
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        sys.setswitchinterval(interval)
    assert errors == [] and index.stale(base) == ([], [])
    index.close()


def test_full_width_and_half_width_are_alike_in_transcripts(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """As everywhere in the query language: ``body:ＡＩ`` finds AI and ``body:ai`` finds ＡＩ (a new-user trial
    found 18 files for body:ＡＩ against 9,996 for body:AI); the snippet marks the text as written."""
    write(archive, "fw.md", "\n**[主持人]**: 我们用ＡＩ做数据中心，效果很好…\n")
    write(archive, "hw.md", "\n**[Host]**: We use AI for cooling, and it works...\n")
    index = opened(archive)
    for text in ("ai", "ＡＩ", "Ai"):
        hits = index.text_index().search(text, index.body)
        assert [(h.path, h.match) for h in hits] == [("fw.md", "ＡＩ"), ("hw.md", "AI")]
    assert [(h.path, h.match) for h in index.text_index().search("中心,效果", index.body)] == [("fw.md", "中心，效果")]
    assert [h.match for h in index.text_index().search("很好...", index.body)] == ["很好…"]
    index.close()
    code, out, _ = run_cli(capsys, "query", str(archive), "body:ＡＩ", "--json")
    assert code == 0 and [json.loads(line)["path"] for line in out.splitlines()] == ["fw.md", "hw.md"]
    code, out, _ = run_cli(capsys, "query", "--no-cache", str(archive), "body:ａｉ", "--json")
    assert code == 0 and [json.loads(line)["path"] for line in out.splitlines()] == ["fw.md", "hw.md"]


def test_the_cli_search_takes_a_quoted_phrase_as_the_phrase(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "search", str(archive), '"liquid cooling"', "--json")
    assert code == 0 and [json.loads(line)["match"] for line in out.splitlines()] == ["Liquid cooling"]


@pytest.mark.parametrize(
    "text",
    ["body:液冷", "-body:液冷", "body:液冷 body:gpu", "body:液冷 -body:gpu", "-body:液冷 -body:cooling",
     "body:cooling title:title", "text:cooling", "body:nowhere", "body:冷 -text:gpu"],
)  # fmt: skip
def test_matching_paths_answers_as_matching_every_record(archive: Path, text: str) -> None:
    index = opened(archive)
    query = parse_query(text)
    found = {t: index.text_index().paths(t) for t in query.body_texts}
    records = list(index.records.values())
    expected = {r.path for r in records if query.matches(r, index.body, found)}
    assert query.matching_paths(records, index.body, found) == expected
    assert query.matching_paths(records, index.body, None) == expected  # (reading every file)
    index.close()


@settings(deadline=None, max_examples=300)
@given(st.text("ab \n\u0301\u0308ｶﾞﾟeＡＩ…ß한\u1161\u11a8", max_size=60))
def test_a_long_text_folded_in_pieces_is_folded_as_a_whole(text: str) -> None:
    """(Pieces keep each C call short, so that a window's GUI thread gets the GIL between them.)"""
    whole = unicodedata.normalize("NFKC", text).casefold()
    old = fulltext.PIECE
    fulltext.PIECE = 8
    try:
        assert fulltext.fold(text) == whole
        assert set(fulltext._chars(text + fulltext.END)) == set(text)
    finally:
        fulltext.PIECE = old


@settings(deadline=None, max_examples=300)
@given(st.text("ab \n\u0301ｶﾞeＡＩ…ß\0\uffffﬁK", max_size=20), st.text("ab \u0301ｶﾞeＡＩ…ßﬁk", min_size=1, max_size=3))
def test_reading_a_transcript_folds_as_the_index_does(body: str, text: str) -> None:
    wanted = fulltext.fold(text)
    assert fulltext.holds(body, wanted) == (wanted in fulltext.fold(body))


@settings(deadline=None, max_examples=300)
@given(st.text("ab \n\u0301ｶﾞeＡＩ…ßﬁK한\u1161", max_size=40), st.text("ab \u0301ｶﾞeＡＩ…ßﬁk", min_size=1, max_size=3))
def test_every_match_is_found_in_order_as_the_search_folds(body: str, text: str) -> None:
    """``spans`` (the preview's marks): each span's folding holds the text, none overlap, the first is the
    snippet's, and there are as many as the folded lines hold (where the folding reorders marks, as NFKC
    does with U+0301 U+FF9E, two that would overlap are one)."""
    wanted = fulltext.fold(text)
    found = fulltext.spans(body, text)
    assert all(wanted in fulltext.fold(body[start:end]) for start, end in found)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(found))
    assert (found[0] if found else None) == fulltext._find(body, wanted)
    expected = 0
    for line in body.split("\n"):
        folded, at = fulltext.fold(line), 0
        while (at := folded.find(wanted, at)) >= 0:
            expected, at = expected + 1, at + len(wanted)
    keeps_order = all(fulltext.fold(body).startswith(fulltext.fold(body[:i])) for i in range(len(body)))
    assert len(found) == expected if keeps_order else 0 < len(found) <= expected or expected == 0
    assert len(fulltext.spans(body, text, limit=1)) == min(1, expected)


@settings(deadline=None, max_examples=400)
@given(st.text("aB \u0301ｶﾞeＡＩ…ß\0\uffffﬁKΣ，　한\u1161\u11a8中", max_size=30), st.integers(0, 60), st.integers(1, 9))
@example("ｶﾞß", 1, 2)  # as long folded as written (ｶﾞ two to one, ß one to two), not character for character
def test_a_line_folded_character_for_character_is_its_own_map(line: str, at: int, length: int) -> None:
    """``_span``'s short cut (no prefix folded) gives what folding prefixes gives, wherever it is taken."""
    folded = fulltext.fold(line)
    if not folded:
        return
    start = at % len(folded)
    end = min(len(folded), start + length)
    assert fulltext._span(line, folded, start, end) == fulltext._searched_span(line, folded, start, end)


def test_a_line_folded_character_for_character_takes_the_short_cut() -> None:
    line = "Ｅvery Σ，and 中心　ok"  # full-width, case, a Greek capital, the ideographic space: one for one
    assert one_for_one(line) and len(fulltext.fold(line)) == len(line)
    assert not one_for_one("ｶﾞ") and not one_for_one("ﬁ")  # (two to one, one to two)


def test_the_words_around_a_match_are_shown_without_markup() -> None:
    """A snippet read ``…**[周明]**: 今天我们聊 **OpenAI** 的…``; it reads as the preview shows the text: speaker
    turns, bold names, links, headings, HTML tags and chunk comments without their markup."""
    body = (
        "### 开场\n\n**[周明]**: 今天我们聊 **OpenAI** 的编码智能体，以及 [Kestrel](https://example.org/k) 的护栏。\n\n"
        "<details>\n<summary>原文</summary>\n\nWe talk about __agents__.\n</details>\n<!-- chunk 2 -->\n"
        "**[Lin Xiao]**: Liquid cooling wins when a < b and c > d.\n"
    )
    hit = snippet("x.md", body, "编码智能体")
    assert hit is not None and (hit.before, hit.match) == ("开场 周明: 今天我们聊 OpenAI 的", "编码智能体")
    assert hit.after == "，以及 Kestrel 的护栏。 原文 We talk about agents…"  # (40 characters)
    hit = snippet("x.md", body, "liquid")
    assert hit is not None and hit.before.endswith("We talk about agents. Lin Xiao: ") and hit.match == "Liquid"
    assert hit.after == " cooling wins when a < b and c > d. "  # (text that only looks like a tag stays)
    long_turn = "**[周明]**: " + "很长的一段话，" * 40 + "关键词" + "，后面还有很多内容" * 40
    hit = snippet("x.md", long_turn, "关键词")
    assert hit is not None and hit.before.startswith("…") and hit.after.endswith("…")
    assert len(hit.before) == len(hit.after) == 41 and "**" not in hit.before + hit.after


def test_marking_a_long_transcript_pauses_line_by_line() -> None:
    """``spans`` runs on a worker of the window, which pauses (``core.pacing``) while the GUI thread is busy:
    the largest realistic transcript (9,856 lines) took 14 ms of Python for a text it does not hold."""
    from masthead.core import pacing

    body = "\n".join(f"Line {n}: nothing to see here." for n in range(5000))
    calls: list[int] = []
    before = pacing._pause
    pacing.install(lambda: calls.append(1))
    try:
        assert fulltext.spans(body, "valve") == []
        assert fulltext.spans(body + "\nthe valve", "valve") == [(len(body) + 5, len(body) + 10)]
    finally:
        pacing.install(before)
    assert len(calls) >= 2 * 5000 // pacing.EVERY


def test_marking_a_line_that_holds_the_text_thousands_of_times_pauses_as_it_goes() -> None:
    """ "e" in a 2 MB transcript: 20,000 places, hundreds in a line; a pause every 200 lines let a worker run
    for thousands of places at a time beside a busy GUI thread (bench_gui: 102-120 ms gaps with them)."""
    from masthead.core import pacing

    line = "e " * 5000
    calls: list[int] = []
    before = pacing._pause
    pacing.install(lambda: calls.append(1))
    try:
        found = fulltext.spans(line, "e", limit=20_000)
    finally:
        pacing.install(before)
    assert found == [(i, i + 1) for i in range(0, 10_000, 2)]
    assert len(calls) >= 5000 // fulltext.PACE_MATCHES


def test_the_check_of_what_to_index_pauses_for_the_gui_thread(tmp_path: Path) -> None:
    """Every transcript search first checks 10,000 files' stamps against the index, on a worker: sharing them
    out among the parts pauses as it goes (``pacing``: the window makes it wait while the GUI thread is busy),
    and the answer is as before. (Each part's comparison holds its lock: it does not pause.)"""
    from masthead.core import pacing

    index = TextIndex(tmp_path, memory=True)
    files = [(f"t{i:05}.md", i, i) for i in range(3000)]
    pauses: list[int] = []
    before = pacing._pause
    pacing.install(lambda: pauses.append(1))
    try:
        todo, gone = index.stale(files)
    finally:
        pacing.install(before)
        index.close()
    assert sorted(todo) == files and gone == []
    assert len(pauses) >= 3000 // pacing.EVERY
