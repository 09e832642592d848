"""Saving: atomic, mode and links kept, conflicts and OS failures reported, the file never damaged."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from masthead.core import storage
from masthead.core.errors import ConflictError, SaveError

NAME = "english-null.md"


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".masthead-tmp")]


def test_save_replaces_atomically_and_keeps_mode(good: Path) -> None:
    path = good / NAME
    path.chmod(0o640)
    doc = storage.load(path)
    doc.set("draft", False)
    saved = storage.save(doc)
    assert path.read_bytes() == saved.raw and b"draft: false\n" in saved.raw
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert saved.snapshot == storage.read_bytes(path)[1]
    assert leftovers(good) == []


def test_unchanged_document_is_not_written(good: Path) -> None:
    path = good / NAME
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    doc = storage.load(path)
    doc.set("draft", doc.data["draft"])
    storage.save(doc)
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_symlink_stays_a_link(good: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(good / NAME)
    doc = storage.load(link)
    doc.set("title", "Through a link")
    storage.save(doc)
    assert link.is_symlink()
    assert b"title: Through a link\n" in (good / NAME).read_bytes()


def test_conflict_when_file_changed_on_disk(good: Path) -> None:
    path = good / NAME
    doc = storage.load(path)
    doc.set("title", "Mine")
    theirs = path.read_bytes().replace(b"status: evergreen", b"status: archived")
    path.write_bytes(theirs)
    with pytest.raises(ConflictError, match="changed on disk") as info:
        storage.save(doc)
    assert info.value.path == path and str(path) in str(info.value)
    assert path.read_bytes() == theirs and leftovers(good) == []


def test_touch_without_content_change_is_not_a_conflict(good: Path) -> None:
    path = good / NAME
    doc = storage.load(path)
    doc.set("title", "Mine")
    os.utime(path, ns=(5_000_000_000, 5_000_000_000))
    storage.save(doc)
    assert b"title: Mine\n" in path.read_bytes()


def test_vanished_file(good: Path) -> None:
    path = good / NAME
    doc = storage.load(path)
    doc.set("title", "Mine")
    path.unlink()
    with pytest.raises(ConflictError, match="deleted or moved"):
        storage.save(doc)
    assert not path.exists() and leftovers(good) == []


def test_read_only_file(good: Path) -> None:
    path = good / NAME
    before = path.read_bytes()
    path.chmod(0o444)
    doc = storage.load(path)
    doc.set("title", "Mine")
    with pytest.raises(SaveError, match="read-only"):
        storage.save(doc)
    assert path.read_bytes() == before and leftovers(good) == []


def test_read_only_folder(good: Path) -> None:
    path = good / NAME
    before = path.read_bytes()
    doc = storage.load(path)
    doc.set("title", "Mine")
    good.chmod(0o555)
    try:
        with pytest.raises(SaveError, match="read-only"):
            storage.save(doc)
    finally:
        good.chmod(0o755)
    assert path.read_bytes() == before and leftovers(good) == []


def test_disk_full_during_write(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = good / NAME
    before = path.read_bytes()
    doc = storage.load(path)
    doc.set("title", "Mine")
    calls = []
    real_write = os.write

    def failing_write(fd: int, data: bytes) -> int:
        calls.append(len(data))
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, bytes(data)[:10])  # a short write first, then the disk is full

    monkeypatch.setattr(os, "write", failing_write)
    with pytest.raises(SaveError, match="disk is full"):
        storage.save(doc)
    monkeypatch.undo()
    assert path.read_bytes() == before and leftovers(good) == []


def test_short_writes_are_completed(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = good / NAME
    doc = storage.load(path)
    doc.set("title", "Written in pieces")
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data)[:7]))
    saved = storage.save(doc)
    monkeypatch.undo()
    assert path.read_bytes() == saved.raw and b"Written in pieces" in saved.raw


def test_failed_replace_leaves_file_and_no_temp(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = good / NAME
    before = path.read_bytes()
    doc = storage.load(path)
    doc.set("title", "Mine")

    def boom(src: object, dst: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(SaveError, match="Input/output error"):
        storage.save(doc)
    monkeypatch.undo()
    assert path.read_bytes() == before and leftovers(good) == []


def test_reading_problems_are_clear(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="does not exist"):
        storage.load(tmp_path / "missing.md")
    with pytest.raises(SaveError, match="folder"):
        storage.load(tmp_path)


def test_create_new_file_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "new.md"
    storage.write_atomic(path, b"---\ntitle: new\n---\n", None)
    assert path.read_bytes() == b"---\ntitle: new\n---\n"
    with pytest.raises(ConflictError, match="already exists"):
        storage.write_atomic(path, b"x", None)


@pytest.mark.parametrize("offset", [0, 4])
def test_the_new_list_indent_preference_survives_a_save(tmp_path: Path, offset: int) -> None:
    """Defect 19: the document ``save`` returns keeps the preference, so a list added after a save (to a file
    with no list to copy the indent from) still follows it."""
    path = tmp_path / "no-lists.md"
    path.write_bytes(b"---\ntitle: First\n---\nBody.\n")
    doc = storage.load(path, default_seq_offset=offset)
    doc.set("title", "Second")
    doc = storage.save(doc)
    doc = storage.save(doc)  # nothing to write: the document returned keeps it as well
    doc.set("tags", ["a", "b"])
    storage.save(doc)
    dash = b" " * offset + b"- "
    assert path.read_bytes() == b"---\ntitle: Second\ntags:\n" + dash + b"a\n" + dash + b"b\n---\nBody.\n"
