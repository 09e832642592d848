"""The archive watcher, its files spread over several watchers: in-place edits, atomic replaces (re-watched
afterwards) and new files are all reported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from masthead.ui import watcher as watcher_module
from masthead.ui.watcher import ArchiveWatcher


def test_changes_are_reported_from_every_shard(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watcher_module, "SHARD", 3)
    rels = [f"sub/ep{i}.md" for i in range(10)]
    (tmp_path / "sub").mkdir()
    for rel in rels:
        (tmp_path / rel).write_text("---\ntitle: x\n---\n")
    watcher = ArchiveWatcher(delay_ms=20)
    watcher.watch(tmp_path, rels)
    qtbot.waitUntil(lambda: watcher.pending == 0)
    assert len(watcher._shards) == 4 and watcher.watched_files() == {str(tmp_path / r) for r in rels}
    seen: list[str] = []
    watcher.files_changed.connect(seen.extend)
    with open(tmp_path / rels[7], "a", encoding="utf-8") as fh:  # in place
        fh.write("more\n")
    replaced = tmp_path / rels[2]
    (tmp_path / "sub/.tmp").write_text("---\ntitle: y\n---\n")
    os.replace(tmp_path / "sub/.tmp", replaced)  # atomically: the old watch is lost
    qtbot.waitUntil(lambda: {str(tmp_path / rels[7]), str(replaced)} <= set(seen))
    qtbot.waitUntil(lambda: str(replaced) in watcher.watched_files())  # watched again
    with qtbot.waitSignal(watcher.folders_changed):
        (tmp_path / "sub/new.md").write_text("new")
    watcher.clear()
    assert watcher.watched_files() == set()
