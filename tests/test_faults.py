"""Bulk changes under concurrency and faults (issue 14): two operations at once, recovery beside a running
one, damaged journals, a full disk (a real tmpfs where the machine allows it, else injected)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import interrupt_after, run_cli
from tests.support.archive import make_archive

from masthead.core import bulk, storage
from masthead.core.journal import journal_dir, old_bytes_path
from masthead.core.operations import add


def masthead(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "masthead", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def child(script: str, root: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """A Python process running ``script`` on ``root`` (``sys.argv[1]``), returned once it prints "ready"."""
    head = (
        "import sys, time\nfrom pathlib import Path\nfrom masthead.core import archive_lock\nroot = Path(sys.argv[1])\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", head + script, str(root)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


HOLD = "with archive_lock.hold(root, 'tagging 1,000 files'):\n    print('ready', flush=True)\n    time.sleep(60)\n"


@pytest.mark.slow
def test_two_bulk_operations_at_once_never_record_a_change_they_did_not_make(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    make_archive(root, 300)
    for _ in range(4):
        procs = {tag: masthead("tag", "add", str(root), "tags", tag, "--all") for tag in ("aaa-tag", "bbb-tag")}
        outcomes = {tag: (p.wait(timeout=120), p.stderr.read() if p.stderr else "") for tag, p in procs.items()}
        for code, err in outcomes.values():
            assert "Traceback" not in err, err
            if "another Masthead" in err:
                assert code == 1 and "try again when it ends" in err
        for entry in [e for e in bulk.history(root) if e["state"] == "done"]:
            info = bulk.journal_info(Path(entry["_path"]))
            tag = info["description"].split("“")[1].split("”")[0]
            for rel in info.get("changed", []):  # every file a journal says it changed carries its tag
                assert tag in (root / rel).read_text(encoding="utf-8"), (tag, rel)
        for entry in bulk.history(root):  # and each can be undone, newest first
            if entry["state"] == "done":
                report = bulk.undo(Path(entry["_path"]))
                assert not report.failed
    assert not any("aaa-tag" in p.read_text(encoding="utf-8") for p in root.rglob("*.md"))


@pytest.fixture
def held(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """An archive with an interrupted operation, and another process holding the archive meanwhile."""
    root = tmp_path / "archive"
    make_archive(root, 20)
    interrupt_after(root, sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md")), 5)
    holder = child(HOLD, root)
    yield root, holder
    holder.kill()
    holder.wait()


def test_recovery_is_not_offered_while_another_masthead_holds_the_archive(
    held: tuple[Path, subprocess.Popen[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, holder = held
    before = {p: p.read_bytes() for p in root.rglob("*.md")}
    code, _, err = run_cli(capsys, "recover", str(root), "--roll-back")
    assert code == 1 and f"another Masthead (process {holder.pid}) is tagging 1,000 files" in err
    assert bulk.unfinished(root) == [] and {p: p.read_bytes() for p in root.rglob("*.md")} == before
    code, _, err = run_cli(capsys, "tag", "add", str(root), "tags", "more", "--all")
    assert code == 1 and "try again when it ends" in err
    assert {p: p.read_bytes() for p in root.rglob("*.md")} == before
    holder.kill()
    holder.wait()  # its owner gone: the interrupted operation is offered again
    assert len(bulk.unfinished(root)) == 1
    code, _, err = run_cli(capsys, "recover", str(root), "--roll-back")
    assert code == 0 and "rolled back" in err


@pytest.fixture
def tagged(tmp_path: Path) -> tuple[Path, Path, dict[Path, bytes]]:
    root = tmp_path / "archive"
    make_archive(root, 6)
    before = {p: p.read_bytes() for p in root.rglob("*.md")}
    report = bulk.run(bulk.plan(root, sorted(p.relative_to(root).as_posix() for p in before), add("tags", ["zz"])))
    assert report.journal is not None and len(report.changed) == 6
    return root, report.journal, before


def test_a_journal_cut_short_is_listed_as_damaged_and_nothing_is_restored_from_it(
    tagged: tuple[Path, Path, dict[Path, bytes]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, path, _ = tagged
    after = {p: p.read_bytes() for p in root.rglob("*.md")}
    path.write_bytes(path.read_bytes()[:100])
    code, out, _ = run_cli(capsys, "history", str(root))
    assert code == 0 and "\tdamaged\t" in out and "cut short" in out
    code, _, err = run_cli(capsys, "undo", str(root), path.stem)
    assert code == 1 and "damaged journal" in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in root.rglob("*.md")} == after


def test_swapped_copies_in_the_old_file_are_caught_by_their_hash(tagged: tuple[Path, Path, dict[Path, bytes]]) -> None:
    root, path, before = tagged
    stored = json.loads(old_bytes_path(path).read_text(encoding="utf-8"))
    first, second = list(stored)[:2]
    stored[first], stored[second] = stored[second], stored[first]
    old_bytes_path(path).write_text(json.dumps(stored), encoding="utf-8")
    report = bulk.undo(path)
    assert sorted(rel for rel, _ in report.failed) == sorted([first, second])
    assert all("damaged" in reason for _, reason in report.failed) and len(report.changed) == 4
    for p, data in before.items():
        rel = p.relative_to(root).as_posix()
        assert (p.read_bytes() == data) is (rel not in (first, second))  # the two keep the new bytes


def test_a_missing_old_file_fails_every_restore_with_the_reason(tagged: tuple[Path, Path, dict[Path, bytes]]) -> None:
    _, path, _ = tagged
    old_bytes_path(path).unlink()
    report = bulk.undo(path)
    assert len(report.failed) == 6 and all("cannot be read" in reason for _, reason in report.failed)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB file system (tmpfs), mounted for the test."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root; the injected disk-full test covers the logic")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path, leave: int) -> Path:
    """Fill the file system of ``folder`` up to ``leave`` bytes."""
    filler = folder / "filler.bin"
    free = shutil.disk_usage(folder).free
    with open(filler, "wb") as fh:
        fh.write(b"\0" * max(0, free - leave))
    return filler


def test_a_full_disk_stops_the_operation_at_the_first_failure(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = small_disk / "archive"
    make_archive(root, 40)  # files of 6-16 KB
    before = {p: p.read_bytes() for p in root.rglob("*.md")}
    filler = fill(small_disk, 4096)  # less than any file: the first write fails
    code, _, err = run_cli(capsys, "tag", "add", str(root), "tags", "full", "--all")
    assert code == 1 and "Traceback" not in err
    assert err.count("the disk is full; the file was not changed") == 1, err  # one failure, not forty
    assert err.count("not written: the disk is full") == 39
    assert {p: p.read_bytes() for p in before} == before and not list(root.rglob(".mh-*"))  # no temp file left
    filler.unlink()
    code, _, err = run_cli(capsys, "undo", str(root))  # the operation is journaled and undoable (nothing to do)
    assert code == 0 and {p: p.read_bytes() for p in before} == before


def test_a_journal_that_cannot_be_written_changes_nothing_and_leaves_nothing(
    small_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "archive"
    make_archive(root, 30)
    before = {p: p.read_bytes() for p in root.rglob("*.md")}
    monkeypatch.setenv("MASTHEAD_DATA_DIR", str(small_disk / "data"))
    (small_disk / "data").mkdir()
    fill(small_disk, 0)
    code, _, err = run_cli(capsys, "tag", "add", str(root), "tags", "full", "--all")
    assert code == 1 and "could not write the operation's journal: the disk is full" in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in before} == before
    folder = journal_dir(root)
    assert not [p for p in folder.iterdir() if p.suffix in (".tmp", ".old", ".json")] if folder.exists() else True


def test_a_full_disk_injected_at_the_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where no tmpfs can be mounted: the same rule with the failure injected at os.write."""
    root = tmp_path / "archive"
    make_archive(root, 30)
    real, count = storage._write_all, [0]

    def write_all(fd: int, data: bytes) -> None:
        count[0] += 1
        if count[0] > 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd, data)

    monkeypatch.setattr(storage, "_write_all", write_all)
    plan = bulk.plan(root, sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md")), add("tags", ["x"]))
    report = bulk.run(plan)
    assert len(report.failed) == 1 and "the disk is full" in report.failed[0][1]  # the first failure only
    assert len(report.changed) == 5 and len(report.skipped) == 24  # the others: "not written"
    assert all("not written: the disk is full" in why for _, why in report.skipped)
    monkeypatch.setattr(storage, "_write_all", real)
    assert report.journal is not None and not bulk.undo(report.journal).failed


def test_a_journal_that_cannot_be_marked_finished_is_said_and_stays_recoverable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from masthead.core import journal
    from masthead.core.errors import DiskFullError

    root = tmp_path / "archive"
    make_archive(root, 10)
    real = journal.write

    def full_at_the_end(path: Path, data: dict[str, object]) -> None:
        if data.get("state") == "done":
            raise DiskFullError("could not write the operation's journal: the disk is full", path)
        real(path, data)

    monkeypatch.setattr(journal, "write", full_at_the_end)
    code, _, err = run_cli(capsys, "tag", "add", str(root), "tags", "late", "--all")
    assert code == 1 and "10 changed" in err and "the files were written, but the journal could not" in err
    monkeypatch.setattr(journal, "write", real)
    assert all("late" in p.read_text(encoding="utf-8") for p in root.rglob("*.md"))
    code, _, err = run_cli(capsys, "recover", str(root), "--complete")
    assert code == 0 and "0 file(s) written, 10 already done" in err


def test_no_space_for_the_temporary_file_is_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from masthead.core import tempfiles

    root = tmp_path / "archive"
    make_archive(root, 30)

    def no_space(folder: Path) -> tuple[int, Path]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfiles, "create", no_space)
    report = bulk.run(
        bulk.plan(root, sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md")), add("t", ["x"]))
    )
    assert len(report.failed) == 1 and "the disk is full" in report.failed[0][1] and not report.changed


def test_checking_who_holds_the_archive_never_makes_an_operation_fail(tmp_path: Path) -> None:
    """Another process asking who holds the archive (every command's warning, the window's recovery offer)
    holds its lock for an instant: an operation starting then still goes ahead."""
    from masthead.core import archive_lock

    root = tmp_path / "archive"
    root.mkdir()
    prober = child(
        "end = time.time() + 4\nprint('ready', flush=True)\nwhile time.time() < end:\n    archive_lock.holder(root)\n",
        root,
    )
    try:
        for _ in range(300):
            with archive_lock.hold(root, "testing"):
                pass
    finally:
        prober.wait(timeout=30)


def test_damaged_journals_are_kept_and_a_finished_one_is_not_rolled_back(
    tagged: tuple[Path, Path, dict[Path, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from masthead.core import journal
    from masthead.core.errors import MastheadError

    root, path, _ = tagged
    path.write_text("{", encoding="utf-8")
    monkeypatch.setattr(journal, "KEEP", 1)
    for tag in ("one", "two"):
        bulk.run(
            bulk.plan(root, sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md")), add("tags", [tag]))
        )
    assert path.exists() and old_bytes_path(path).exists()  # pruning drops finished journals, never damaged ones
    newest = Path(bulk.history(root)[0]["_path"])
    with pytest.raises(MastheadError, match="no longer interrupted"):
        bulk.roll_back(newest)


def test_another_users_operation_holds_the_archive_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two users (two data folders) share an archive: the archive folder's own lock keeps them apart."""
    root = tmp_path / "archive"
    make_archive(root, 5)
    before = {p: p.read_bytes() for p in root.rglob("*.md")}
    env = {**os.environ, "MASTHEAD_DATA_DIR": str(tmp_path / "other-user-data")}
    other = child(HOLD, root, env)
    try:
        code, _, err = run_cli(capsys, "tag", "add", str(root), "tags", "mine", "--all")
        assert code == 1 and "another user's" in err
        assert {p: p.read_bytes() for p in before} == before
    finally:
        other.kill()
        other.wait()
    code, _, err = run_cli(capsys, "tag", "add", str(root), "tags", "mine", "--all")
    assert code == 0, err


@pytest.mark.slow
def test_an_undo_cannot_run_while_a_bulk_command_plans(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The command holds the archive from its plan to its last write (a trial saw an undo run in between)."""
    from masthead.core import archive_lock

    root = tmp_path / "archive"
    make_archive(root, 1500)
    run_cli(capsys, "tag", "add", str(root), "tags", "first", "--all")  # (one generated file is broken: exit 1)
    running = masthead("tag", "add", str(root), "tags", "second", "--all")
    deadline, seen = time.monotonic() + 60, None
    while time.monotonic() < deadline and not str((seen := archive_lock.holder(root) or {}).get("what")).startswith(
        "planning"
    ):
        time.sleep(0.002)
    assert str(seen.get("what")).startswith("planning"), seen  # held while it plans, before any write
    code, _, err = run_cli(capsys, "undo", str(root))
    running.wait(timeout=120)
    assert code == 1 and "another Masthead" in err
    states = [e["state"] for e in bulk.history(root)]
    assert states == ["done", "done"]  # nothing was undone under it, and it wrote its files
