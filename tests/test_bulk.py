"""Bulk edits across an archive: plan, preflight, journaled apply, undo, recovery."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import copy_fixtures, interrupt_after
from tests.support.fidelity import file_lines, key_spans

from masthead.core import bulk, journal, storage
from masthead.core.document import Document
from masthead.core.errors import SaveError
from masthead.core.operations import add, clear_field, merge, rename, set_field

NAMES = ["english-null.md", "indent2-cjk.md", "pyyaml-sorted-cjk.md", "crlf.md", "comments.md", "chunks-en.md"]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return copy_fixtures(tmp_path / "archive", NAMES, {"duplicate-key.md": "broken.md"})


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.glob("*.md"))}


def only_lines_of(before: bytes, after: bytes, key: str) -> bool:
    start, stop = key_spans(before)[key]
    old, new = file_lines(before), file_lines(after)
    tail = len(old) - stop
    return new[:start] == old[:start] and new[len(new) - tail :] == old[stop:]


def test_add_a_tag_everywhere_touches_only_the_tags(archive: Path) -> None:
    before = snapshot(archive)
    plan = bulk.plan(archive, [*NAMES, "broken.md"], add("tags", ["weekly"]))
    assert [c.rel for c in plan.changes] == NAMES and plan.skipped[0][0] == "broken.md"
    assert "+- weekly" in plan.changes[0].diff or "+  - weekly" in plan.changes[0].diff
    assert bulk.preflight(plan) == []
    report = bulk.apply(plan)
    assert report.changed == NAMES and report.failed == [] and report.journal is not None
    journal = report.journal.read_text(encoding="utf-8")  # small: the old bytes live beside it
    assert (
        '"old_z"' not in journal and '"old":' not in journal and bulk.old_bytes_path(report.journal).stat().st_size > 0
    )
    after = snapshot(archive)
    for name in NAMES:
        assert Document(after[name]).data["tags"][-1] == "weekly"
        assert only_lines_of(before[name], after[name], "tags"), name
    assert after["broken.md"] == before["broken.md"]
    # re-running the finished operation changes nothing
    again = bulk.plan(archive, NAMES, add("tags", ["weekly"]))
    assert again.changes == [] and again.unchanged == NAMES


def test_rename_and_merge_across_list_fields(archive: Path) -> None:
    report = bulk.apply(bulk.plan(archive, NAMES, rename("Northwind Labs", "Northwind")))
    assert report.changed == ["pyyaml-sorted-cjk.md", "chunks-en.md"]
    data = Document((archive / "chunks-en.md").read_bytes()).data
    assert data["companies_orgs"] == ["Northwind"]
    report = bulk.apply(bulk.plan(archive, NAMES, merge("streaming", ["scheduling", "streaming"], "tags")))
    assert Document((archive / "chunks-en.md").read_bytes()).data["tags"] == ["streaming"]


def test_preflight_finds_read_only_and_changed_files_before_writing(archive: Path) -> None:
    plan = bulk.plan(archive, NAMES, add("tags", ["weekly"]))
    (archive / "crlf.md").chmod(stat.S_IRUSR)
    (archive / "comments.md").write_bytes((archive / "comments.md").read_bytes() + b"\nmore\n")
    problems = dict(bulk.preflight(plan, unsaved=["english-null.md"]))
    assert problems == {
        "english-null.md": "has unsaved edits in the window",
        "crlf.md": "the file or its folder is read-only",
        "comments.md": "changed on disk since the plan was made",
    }


def test_a_file_changed_after_planning_is_skipped_and_reported(archive: Path) -> None:
    plan = bulk.plan(archive, NAMES, add("tags", ["weekly"]))
    theirs = (archive / "comments.md").read_bytes() + b"\nmore\n"
    (archive / "comments.md").write_bytes(theirs)
    report = bulk.apply(plan)
    assert ("comments.md", "the file was changed on disk since it was opened") in report.skipped
    assert (archive / "comments.md").read_bytes() == theirs and len(report.changed) == len(NAMES) - 1


def test_failure_at_file_n_leaves_the_rest_journaled_and_undoable(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(archive)
    real = storage.write_atomic
    calls: list[Path] = []

    def flaky(path: Path, data: bytes, expected: object, folders: Any = None, tail: int = 0) -> object:
        calls.append(path)
        if len(calls) == 3:
            raise SaveError("could not save: the disk is full; the file was not changed", path)
        return real(path, data, expected, folders, tail)  # type: ignore[arg-type]

    monkeypatch.setattr(storage, "write_atomic", flaky)
    report = bulk.apply(bulk.plan(archive, NAMES, add("tags", ["weekly"])))
    monkeypatch.undo()
    assert [rel for rel, _ in report.failed] == [NAMES[2]] and len(report.changed) == len(NAMES) - 1
    assert snapshot(archive)[NAMES[2]] == before[NAMES[2]]
    assert report.journal is not None
    undone = bulk.undo(report.journal)
    assert sorted(undone.changed) == sorted(report.changed) and undone.unchanged == [NAMES[2]]
    assert snapshot(archive) == before


def test_undo_and_redo_in_a_file_changed_since_keep_the_later_change(archive: Path) -> None:
    """Tagged, then retitled by someone: undo takes the tag out and keeps the title (byte for byte as if only
    the retitling had happened); redo puts the tag back around it."""
    before = snapshot(archive)
    report = bulk.apply(bulk.plan(archive, NAMES, add("tags", ["weekly"])))
    tagged = (archive / "crlf.md").read_bytes()
    (archive / "crlf.md").write_bytes(tagged.replace(b"Quiet", b"Loud"))
    assert report.journal is not None
    undone = bulk.undo(report.journal)
    assert undone.skipped == [] and undone.merged == ["crlf.md"] and sorted(undone.changed) == sorted(NAMES)
    after = snapshot(archive)
    assert after["crlf.md"] == before["crlf.md"].replace(b"Quiet", b"Loud")
    assert {k: v for k, v in after.items() if k != "crlf.md"} == {k: v for k, v in before.items() if k != "crlf.md"}
    assert [h["state"] for h in bulk.history(archive)] == ["undone"]
    redone = bulk.redo(report.journal)
    assert redone.merged == ["crlf.md"] and redone.skipped == []
    assert (archive / "crlf.md").read_bytes() == tagged.replace(b"Quiet", b"Loud")
    assert bulk.undo(report.journal).merged == ["crlf.md"]  # and again
    assert snapshot(archive)["crlf.md"] == before["crlf.md"].replace(b"Quiet", b"Loud")


def test_redo_in_a_file_that_has_the_change_already_counts_it_as_unchanged(archive: Path) -> None:
    report = bulk.apply(bulk.plan(archive, NAMES, add("tags", ["weekly"])))
    tagged = (archive / "crlf.md").read_bytes()
    assert report.journal is not None
    bulk.undo(report.journal)
    (archive / "crlf.md").write_bytes(tagged.replace(b"Quiet", b"Loud"))  # tagged (and retitled) by hand
    redone = bulk.redo(report.journal)
    assert "crlf.md" in redone.unchanged and redone.skipped == [] and redone.merged == []
    assert (archive / "crlf.md").read_bytes() == tagged.replace(b"Quiet", b"Loud")


def test_undo_leaves_a_file_alone_where_it_was_changed_next_to_the_operation(archive: Path) -> None:
    before = snapshot(archive)
    report = bulk.apply(bulk.plan(archive, NAMES, add("tags", ["weekly"])))
    edited = (archive / "crlf.md").read_bytes().replace(b"  - weekly\r\n", b"  - weekly\r\n  - mine\r\n")
    (archive / "crlf.md").write_bytes(edited)
    assert report.journal is not None
    undone = bulk.undo(report.journal)
    assert undone.skipped == [("crlf.md", bulk.LEFT_ALONE)] and undone.merged == []
    after = snapshot(archive)
    assert after["crlf.md"] == edited
    assert {k: v for k, v in after.items() if k != "crlf.md"} == {k: v for k, v in before.items() if k != "crlf.md"}


def test_a_change_found_elsewhere_is_not_undone_there(archive: Path) -> None:
    """The change is found only where the edit would make it: a copy of the added line in another list (and
    its context) is not taken for it."""
    report = bulk.apply(bulk.plan(archive, ["crlf.md"], add("tags", ["weekly"])))
    tagged = (archive / "crlf.md").read_bytes()
    start = tagged.index(b"tags:")
    block = tagged[start : tagged.index(b"people:")]
    moved = tagged.replace(block, b"").replace(
        b"status: evergreen\r\n", b"status: evergreen\r\n" + block.replace(b"tags:", b"labels:")
    )
    (archive / "crlf.md").write_bytes(moved)  # the tags are now "labels", the edit would add a "tags" list
    assert report.journal is not None
    undone = bulk.undo(report.journal)
    assert undone.skipped == [("crlf.md", bulk.LEFT_ALONE)] and (archive / "crlf.md").read_bytes() == moved


def test_interrupted_operation_can_be_rolled_back(archive: Path) -> None:
    before = snapshot(archive)
    interrupt_after(archive, NAMES, 2)  # the process dies after two files
    pending = bulk.unfinished(archive)
    assert len(pending) == 1
    assert sum(1 for n in NAMES if b"weekly" in (archive / n).read_bytes()) == 2  # each file old or new
    report = bulk.roll_back(pending[0])
    assert len(report.changed) == 2 and snapshot(archive) == before and bulk.unfinished(archive) == []


def test_history_keeps_the_last_twenty(archive: Path) -> None:
    for i in range(22):
        bulk.apply(bulk.plan(archive, ["crlf.md"], add("tags", [f"t{i}"])))
    entries = bulk.history(archive)
    assert len(entries) == 20 and entries[0]["description"] == "add “t21” to tags"
    folder = bulk.journal_dir(archive)
    assert len(list(folder.glob("*.json"))) == len(list(folder.glob("*.old"))) == 20  # pruned in pairs


def test_set_and_clear_a_single_value_field_touch_only_that_key(archive: Path) -> None:
    before = snapshot(archive)
    plan = bulk.plan(archive, NAMES, set_field("category", "Interviews"))
    report = bulk.apply(plan)
    assert report.failed == [] and set(report.changed) | set(report.unchanged) == set(NAMES)
    after = snapshot(archive)
    for name in report.changed:
        doc = Document(after[name])
        assert doc.data["category"] == "Interviews"
        if "category" in Document(before[name]).data:
            assert only_lines_of(before[name], after[name], "category"), name
    assert bulk.plan(archive, NAMES, set_field("category", "Interviews")).changes == []  # re-run: no-op
    cleared = bulk.apply(bulk.plan(archive, NAMES, clear_field("category")))
    assert set(cleared.changed) == set(NAMES)
    assert all("category" not in Document(v).data for k, v in snapshot(archive).items() if k in NAMES)


def test_setting_a_single_value_where_a_file_has_a_list_skips_that_file(archive: Path) -> None:
    plan = bulk.plan(archive, NAMES, set_field("tags", "one"))
    assert plan.changes == [] and {reason for _, reason in plan.skipped} == {
        "tags holds a list here, not a single value"
    }


def test_worker_processes_plan_exactly_what_this_process_plans(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = bulk.plan(archive, [*NAMES, "broken.md"], rename("Northwind Labs", "Northwind"), workers=1)
    monkeypatch.setattr(bulk, "PARALLEL_MIN", 1)
    monkeypatch.setattr(bulk, "CHUNK", 2)
    parallel = bulk.plan(archive, [*NAMES, "broken.md"], rename("Northwind Labs", "Northwind"), workers=2)
    assert [(c.rel, c.old_head, c.new_head, c.snapshot, c.tail, c.delta) for c in parallel.changes] == [
        (c.rel, c.old_head, c.new_head, c.snapshot, c.tail, c.delta) for c in serial.changes
    ]
    assert parallel.unchanged == serial.unchanged and parallel.skipped == serial.skipped
    assert len(parallel.skipped) == 1 and parallel.skipped[0][0] == "broken.md"


def test_undo_after_undo_and_redo(archive: Path) -> None:
    before = snapshot(archive)
    report = bulk.apply(bulk.plan(archive, NAMES, add("tags", ["weekly"])))
    applied = snapshot(archive)
    assert report.journal is not None
    bulk.undo(report.journal)
    again = bulk.undo(report.journal)  # nothing left to undo: every file is already old
    assert again.changed == [] and sorted(again.unchanged) == sorted(NAMES) and snapshot(archive) == before
    redone = bulk.redo(report.journal)
    assert sorted(redone.changed) == sorted(NAMES) and snapshot(archive) == applied
    assert bulk.redo(report.journal).changed == []  # redo after redo: nothing more
    assert bulk.history(archive)[0]["state"] == "done"


def test_interrupted_operation_can_be_completed(archive: Path) -> None:
    expected = interrupt_after(archive, NAMES, 2)
    (pending,) = bulk.unfinished(archive)
    report = bulk.complete(pending)
    assert len(report.changed) == len(NAMES) - 2 and len(report.unchanged) == 2
    assert {n: (archive / n).read_bytes() for n in NAMES} == expected and bulk.unfinished(archive) == []


def test_publish_is_a_bulk_operation_blocked_files_skipped_with_their_problems(archive: Path) -> None:
    import datetime as dt

    from masthead.core.operations import PublishEdit, edit_from_spec

    (archive / "masthead.yaml").write_text(
        "publish:\n  set: {draft: false}\n  stamp_date: published\n", encoding="utf-8"
    )
    edit = PublishEdit("publish", dt.date(2026, 3, 4))
    assert edit_from_spec(edit.spec) == edit
    plan = bulk.plan(archive, NAMES, edit)
    reasons = dict(plan.skipped)
    assert all("is required to publish" in reason for reason in reasons.values())
    assert {c.rel for c in plan.changes} | set(reasons) | set(plan.unchanged) == set(NAMES)
    report = bulk.apply(plan)
    for rel in report.changed:
        data = Document((archive / rel).read_bytes()).data
        assert data["draft"] is False and str(data["published"]) == "2026-03-04"
    written = snapshot(archive)
    assert report.journal is not None
    bulk.undo(report.journal)
    assert bulk.redo(report.journal).changed == report.changed and snapshot(archive) == written


def test_plan_reports_progress_file_by_file(archive: Path) -> None:
    seen: list[tuple[int, int]] = []
    bulk.plan(archive, NAMES, add("tags", ["weekly"]), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, len(NAMES)) for n in range(1, len(NAMES) + 1)]


def test_a_bulk_change_makes_each_folder_durable_once_before_its_journal_says_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each rename is made durable by an fsync of its folder: once per folder for the whole change (it was
    once per file: half of a bulk write's fsyncs), and before the journal is marked done (or undone)."""
    root = tmp_path / "archive"
    for folder in ("a", "b"):
        (root / folder).mkdir(parents=True)
        for i in range(5):
            (root / folder / f"{i}.md").write_text(f"---\ntitle: T{i}\ntags: [x]\n---\nBody {i}\n")
    synced: list[tuple[Path, str]] = []
    real = storage.fsync_folder

    def fsync_folder(folder: Path) -> None:
        journals = sorted(bulk_journals(root))
        state = bulk.journal.journal_info(journals[-1])["state"] if journals else "none"
        synced.append((Path(folder), state))
        real(folder)

    monkeypatch.setattr(storage, "fsync_folder", fsync_folder)
    rels = [f"{f}/{i}.md" for f in ("a", "b") for i in range(5)]
    report = bulk.apply(bulk.plan(root, rels, add("tags", ["y"])))
    assert len(report.changed) == 10 and report.journal is not None
    mine = [(f, s) for f, s in synced if f in (root / "a", root / "b")]
    assert sorted(f.name for f, _ in mine) == ["a", "b"] and {s for _, s in mine} == {"applying"}
    synced.clear()
    bulk.undo(report.journal)
    mine = [(f, s) for f, s in synced if f in (root / "a", root / "b")]
    assert sorted(f.name for f, _ in mine) == ["a", "b"] and {s for _, s in mine} == {"done"}
    assert all("tags: [x]\n" in (root / r).read_text() for r in rels)


def bulk_journals(root: Path) -> list[Path]:
    from masthead.core.journal import journal_dir

    folder = journal_dir(root)
    return list(folder.glob("*.json")) if folder.exists() else []


bodies = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)


@settings(deadline=None, max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from(["tags:\n- ai\n", "tags: [ai]\n", "title: T\n", "tags:\n  - ai\ntitle: 访谈\n"]),
    bodies,
)
def test_a_plan_keeps_only_the_heads_and_they_give_the_whole_file(
    tmp_path: Path, eol: str, block: str, body: str
) -> None:
    """A change keeps the front matter and a few lines of the transcript; with the file's own tail it is
    exactly what the edit renders, and the journal's delta gives the old file back from it."""
    path = tmp_path / "a.md"
    raw = ("---\n" + block + "---\n" + body).replace("\n", eol).encode("utf-8")
    path.write_bytes(raw)
    row = bulk.plan_file(tmp_path, "a.md", add("tags", ["weekly"]))
    status, whole = row.status, row.new
    plan = bulk.plan(tmp_path, ["a.md"], add("tags", ["weekly"]))
    assert status == "change" and len(plan.changes) == 1
    change = plan.changes[0]
    assert change.new_bytes(raw) == whole and raw.startswith(change.old_head)
    assert change.old_head + raw[len(raw) - change.tail :] == raw if change.tail else change.old_head == raw
    assert Document(change.new_head).data["tags"][-1] == "weekly"  # type: ignore[index]
    assert change.new_sha == journal.sha(whole) and change.snapshot.sha256 == journal.sha(raw)
    report = bulk.apply(plan)
    assert path.read_bytes() == whole and report.journal is not None
    bulk.undo(report.journal)
    assert path.read_bytes() == raw


def test_a_change_keeps_a_few_lines_of_a_long_transcript_not_all_of_it(archive: Path) -> None:
    name = "chunks-en.md"
    raw = (archive / name).read_bytes() + b"\n".join(b"line %d" % i for i in range(2000))
    (archive / name).write_bytes(raw)
    (change,) = bulk.plan(archive, [name], add("tags", ["weekly"])).changes
    body = raw[len(raw) - len(Document(raw).body) :]
    assert change.tail > len(body) - 200 and change.old_head.count(b"\n") < raw[: len(raw) - len(body)].count(b"\n") + 4
    assert '+  - "weekly"' in change.diff
