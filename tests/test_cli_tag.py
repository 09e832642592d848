"""masthead tag / history / undo, as a user runs them; and a kill -9 halfway through."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.conftest import copy_fixtures, interrupt_after, run_cli
from tests.support.archive import make_archive

from masthead.core import bulk
from masthead.core.document import Document

NAMES = ["english-null.md", "indent2-cjk.md", "pyyaml-sorted-cjk.md", "crlf.md", "chunks-en.md"]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return copy_fixtures(tmp_path / "archive", NAMES)


run = run_cli


def tags(root: Path, name: str) -> list[str]:
    return list(Document((root / name).read_bytes()).data.get("tags", []))


def test_add_with_query_history_and_undo(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {n: (archive / n).read_bytes() for n in NAMES}
    code, _, err = run(capsys, "tag", "add", str(archive), "tags", "weekly", "--query", "draft:true")
    assert code == 0 and "add “weekly” to tags: 3 changed" in err
    assert tags(archive, "english-null.md")[-1] == "weekly" and "weekly" not in tags(archive, "crlf.md")
    code, out, _ = run(capsys, "history", str(archive))
    assert code == 0 and out.count("\n") == 1 and "\tdone\t3 file(s)\tadd “weekly” to tags" in out
    code, _, err = run(capsys, "undo", str(archive))
    assert code == 0 and "3 restored" in err
    assert {n: (archive / n).read_bytes() for n in NAMES} == before
    assert "\tundone\t" in run(capsys, "history", str(archive))[1]


def test_undo_and_redo_around_a_later_edit(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Tagged, then someone adds a paragraph to one transcript: undo takes the tag out of it too and keeps
    the paragraph; redo puts it back; the counts say so."""
    before = (archive / "crlf.md").read_bytes()
    assert run(capsys, "tag", "add", str(archive), "tags", "weekly", "--all")[0] == 0
    tagged = (archive / "crlf.md").read_bytes()
    (archive / "crlf.md").write_bytes(tagged + b"\r\nA paragraph added later.\r\n")
    code, _, err = run(capsys, "undo", str(archive))
    assert code == 0 and "5 restored (1 around later changes)" in err and "0 left alone" in err
    assert (archive / "crlf.md").read_bytes() == before + b"\r\nA paragraph added later.\r\n"
    code, _, err = run(capsys, "redo", str(archive))
    assert code == 0 and "5 written (1 around later changes)" in err
    assert (archive / "crlf.md").read_bytes() == tagged + b"\r\nA paragraph added later.\r\n"


def test_rename_merge_delete_dry_run_and_diff(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "tag", "rename", str(archive), "*", "Northwind Labs", "Northwind", "--all", "--dry-run", "--diff"
    )
    assert code == 0 and '-  - "Northwind Labs"' in out and "would change 2 of 5 file(s)" in err
    assert "Northwind Labs" in (archive / "chunks-en.md").read_text()
    assert run(capsys, "tag", "merge", str(archive), "tags", "streaming", "scheduling", "--all")[0] == 0
    assert tags(archive, "chunks-en.md") == ["streaming"]
    assert run(capsys, "tag", "delete", str(archive), "tags", "streaming", "--files", "chunks-en.md")[0] == 0
    assert tags(archive, "chunks-en.md") == [] and "streaming" in tags(archive, "english-null.md")
    old = tags(archive, "english-null.md")
    replaced = run(capsys, "tag", "replace", str(archive), "tags", "--remove", "streaming", "--add", "live", "--all")
    assert replaced[0] == 0 and "replace “streaming” with “live” in tags: 5 changed" in replaced[2]
    assert tags(archive, "english-null.md") == [("live" if t == "streaming" else t) for t in old]
    assert tags(archive, "chunks-en.md") == ["live"]


def test_field_set_and_clear_then_redo(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "field", "set", str(archive), "series", "Weekly Talks", "--all", "--diff")
    assert code == 0 and "set series to “Weekly Talks”: 5 changed" in err and out.count("+series: ") == 5
    assert all(Document((archive / n).read_bytes()).data["series"] == "Weekly Talks" for n in NAMES)
    code, _, err = run(capsys, "field", "set", str(archive), "draft", "false", "--yaml", "--files", "crlf.md")
    assert code == 0 and "0 changed, 1 unchanged" in err  # crlf.md is published already: draft stays false
    code, _, err = run(capsys, "field", "set", str(archive), "draft", "false", "--yaml", "--query", "draft:true")
    assert code == 0 and "3 changed" in err
    assert Document((archive / "english-null.md").read_bytes()).data["draft"] is False
    cleared = run(capsys, "field", "clear", str(archive), "series", "--all")
    assert cleared[0] == 0 and "5 changed" in cleared[2]
    assert all("series" not in Document((archive / n).read_bytes()).data for n in NAMES)
    after_clear = {n: (archive / n).read_bytes() for n in NAMES}
    assert run(capsys, "undo", str(archive))[0] == 0
    assert all("series" in Document((archive / n).read_bytes()).data for n in NAMES)
    code, _, err = run(capsys, "redo", str(archive))
    assert code == 0 and "5 written" in err and {n: (archive / n).read_bytes() for n in NAMES} == after_clear
    assert run(capsys, "redo", str(archive))[2].strip() == "masthead: nothing to redo"


def test_recover_completes_an_interrupted_operation(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = interrupt_after(archive, NAMES, 2)
    code, _, err = run(capsys, "tag", "add", str(archive), "tags", "other", "--all", "--dry-run")
    assert "an operation was interrupted" in err and f"masthead recover {archive} --complete" in err
    code, out, _ = run(capsys, "recover", str(archive))
    assert code == 0 and "5 file(s)\tadd “weekly” to tags" in out
    code, _, err = run(capsys, "recover", str(archive), "--complete")
    assert code == 0 and "3 file(s) written, 2 already done" in err
    assert {n: (archive / n).read_bytes() for n in NAMES} == expected
    assert run(capsys, "recover", str(archive))[2].strip() == "no interrupted operation"


def test_selection_is_required_and_a_read_only_file_is_skipped_and_named(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "tag", "add", str(archive), "tags", "x")
    assert code == 2 and "exactly one of --files F..., --query Q or --all" in err
    before = {n: (archive / n).read_bytes() for n in NAMES}
    (archive / "crlf.md").chmod(0o444)
    code, _, err = run(capsys, "tag", "add", str(archive), "tags", "x", "--all")
    assert code == 1 and "crlf.md: not changed: the file or its folder is read-only" in err
    after = {n: (archive / n).read_bytes() for n in NAMES}
    assert after["crlf.md"] == before["crlf.md"]
    assert [n for n in NAMES if after[n] != before[n]] and "1 skipped" in err  # the others were written


def test_kill_9_halfway_leaves_every_file_old_or_new_and_recovery_works(tmp_path: Path) -> None:
    root = tmp_path / "big"
    make_archive(root, 400)
    files = sorted(root.rglob("*.md"))
    before = {p: p.read_bytes() for p in files}
    env = {**os.environ}
    journals = Path(env["MASTHEAD_DATA_DIR"])
    proc = subprocess.Popen(
        [sys.executable, "-m", "masthead", "tag", "add", str(root), "tags", "killed", "--all"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(journals.rglob("*.json")):
        time.sleep(0.005)
    written = 0
    while time.monotonic() < deadline and written < 20:  # let some files be written, then kill it
        written = sum(1 for p in files if b"killed" in p.read_bytes())
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    journal_files = list(journals.rglob("*.json"))
    assert len(journal_files) == 1
    journal = json.loads(journal_files[0].read_text())
    assert journal["state"] == "applying"
    new_sha = {e["rel"]: e["new_sha"] for e in journal["files"]}
    done = 0
    for path in files:  # every file is exactly its old or its new bytes
        data = path.read_bytes()
        rel = path.relative_to(root).as_posix()
        assert data == before[path] or hashlib.sha256(data).hexdigest() == new_sha[rel]
        done += data != before[path]
    assert 0 < done < len(new_sha)
    assert [p.stem for p in bulk.unfinished(root)] == [journal["id"]]
    offered = subprocess.run(  # the next run offers recovery
        [sys.executable, "-m", "masthead", "recover", str(root)], env=env, capture_output=True, text=True
    )
    assert offered.returncode == 0 and offered.stdout.startswith(journal["id"])
    result = subprocess.run(
        [sys.executable, "-m", "masthead", "undo", str(root)], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0 and f"{done} restored" in result.stderr
    assert {p: p.read_bytes() for p in files} == before and bulk.unfinished(root) == []


def test_tagging_a_single_value_field_says_why_nothing_changed(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = NAMES[0]
    before = (archive / name).read_bytes()
    code, _, err = run(capsys, "tag", "add", str(archive), "title", "v", "--files", str(archive / name))
    assert code == 1 and "title holds a single value here, not a list of text" in err
    assert (archive / name).read_bytes() == before


def test_a_value_added_across_the_archive_skips_a_file_without_front_matter(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``tag add --all`` gave the archive's README a front-matter block of its own (a new-user trial): a file
    with no front matter is left alone and named, with the reason; the others get the value."""
    readme = archive / "README.md"
    readme.write_bytes(b"# About this archive\n\nOne file per talk.\n")
    code, _, err = run(capsys, "tag", "add", str(archive), "tags", "weekly", "--all")
    assert readme.read_bytes() == b"# About this archive\n\nOne file per talk.\n"
    assert "README.md: not changed: it has no front matter" in err and "1 skipped" in err
    assert code == 1  # (a file was left alone: named, as every skipped file is)
    assert all("weekly" in tags(archive, name) for name in NAMES)
    code, _, _ = run(capsys, "tag", "rename", str(archive), "tags", "weekly", "monthly", "--all")
    assert code == 0 and readme.read_bytes() == b"# About this archive\n\nOne file per talk.\n"
