"""Undo and Redo of a bulk step that rewrites the file on screen while it has unsaved edits, and a redo
after files were changed outside Masthead: nothing typed is lost, nothing is overwritten silently."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from tests.conftest import copy_fixtures
from tests.test_bulk_ui import NAMES, apply_and_wait, open_window, select_rows, snapshot, type_value
from tests.test_form import chips, line_edit, open_file, save

from masthead.core.document import Document
from masthead.ui.bulk_dialog import BulkTagDialog
from masthead.ui.history_dialog import HistoryDialog
from masthead.ui.main_window import MainWindow


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return copy_fixtures(tmp_path / "archive", NAMES)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, archive: Path) -> Iterator[MainWindow]:
    win = open_window(qtbot, tmp_path, archive)
    yield win
    win.form.show_document(None, None, None)


def tag_two_files(qtbot: QtBot, window: MainWindow) -> None:
    """Tools ▸ Tag: add “weekly-digest” to english-null.md and crlf.md, through the dialog."""
    select_rows(window, ["english-null.md", "crlf.md"])
    window.bulk_tag_action.trigger()
    dialog = window.findChild(BulkTagDialog)
    assert isinstance(dialog, BulkTagDialog)
    type_value(qtbot, dialog.add_picker, "weekly-digest")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    apply_and_wait(qtbot, dialog)
    dialog.close()


def undo_newest_in_history(qtbot: QtBot, window: MainWindow) -> None:
    """Edit ▸ Bulk Operation History…, the newest operation, Undo; until it is undone."""
    window.history_action.trigger()
    history = window.findChild(HistoryDialog)
    assert isinstance(history, HistoryDialog)
    history.table.selectRow(0)
    qtbot.mouseClick(history.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: history.table.item(0, 3).text() == "undone", timeout=10000)
    history.close()


def tags_on_disk(archive: Path, name: str) -> object:
    return Document((archive / name).read_bytes()).data.get("tags")


def test_redo_under_an_unsaved_edit_of_another_field_is_taken_into_the_form(
    qtbot: QtBot, window: MainWindow, archive: Path
) -> None:
    """Tag two files, Edit ▸ Undo, retitle one of them, Edit ▸ Redo: the tag comes back on disk and in the
    form, under the unsaved title; saving writes both. (The form kept its old tags, and saving met a
    conflict bar blaming "another program" for Masthead's own redo.)"""
    tag_two_files(qtbot, window)
    tagged = snapshot(archive)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: window.redo_action.isEnabled(), timeout=10000)
    open_file(qtbot, window, "english-null.md")
    title = line_edit(window, "title")
    title.selectAll()
    qtbot.keyClicks(title, "Mine")
    assert "weekly-digest" in window.redo_action.text()  # the bulk step is what Redo does next
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: snapshot(archive)["crlf.md"] == tagged["crlf.md"], timeout=10000)
    qtbot.waitUntil(lambda: "weekly-digest" in chips(window, "tags").values, timeout=5000)
    assert title.text() == "Mine" and window.form.dirty and not window.form.conflict_bar.isVisible()
    assert "kept on top" in window.statusBar().currentMessage()
    assert snapshot(archive)["english-null.md"] == tagged["english-null.md"]
    save(qtbot, window)
    assert not window.form.conflict_bar.isVisible()
    data = Document((archive / "english-null.md").read_bytes()).data
    assert data["title"] == "Mine" and data["tags"][-1] == "weekly-digest"  # type: ignore[index]


def test_history_undo_under_an_unsaved_edit_of_another_field_keeps_the_edit(
    qtbot: QtBot, window: MainWindow, archive: Path
) -> None:
    tag_two_files(qtbot, window)
    open_file(qtbot, window, "english-null.md")
    title = line_edit(window, "title")
    title.selectAll()
    qtbot.keyClicks(title, "Mine")
    undo_newest_in_history(qtbot, window)
    qtbot.waitUntil(lambda: "weekly-digest" not in chips(window, "tags").values, timeout=5000)
    assert title.text() == "Mine" and window.form.dirty
    save(qtbot, window)
    data = Document((archive / "english-null.md").read_bytes()).data
    assert data["title"] == "Mine" and "weekly-digest" not in data["tags"]  # type: ignore[operator]


def test_history_undo_under_an_unsaved_edit_of_the_same_field_shows_the_conflict_at_once(
    qtbot: QtBot, window: MainWindow, archive: Path
) -> None:
    tag_two_files(qtbot, window)
    open_file(qtbot, window, "english-null.md")
    type_value(qtbot, chips(window, "tags"), "mine")
    mine = chips(window, "tags").values
    undo_newest_in_history(qtbot, window)
    bar = window.form.conflict_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    text = bar.label.text()
    assert "the undo of add “weekly-digest” to tags" in text and "“tags”" in text and "another program" not in text
    assert not bar.merge_button.isEnabled()
    window.archive.files_updated.emit(["english-null.md"])  # the watcher seeing that write, late: the bar stays
    assert bar.label.text() == text
    assert chips(window, "tags").values == mine and window.form.dirty  # my edit is still on screen
    assert "weekly-digest" not in tags_on_disk(archive, "english-null.md")  # type: ignore[operator]


def test_redo_after_files_were_changed_outside_redoes_around_the_change_or_leaves_them_alone(
    qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After Undo, one file is retitled outside Masthead and another gets a tag of its own where the undone
    tag was: Redo puts the tag back in the first (keeping the new title) and leaves the second alone, saying so."""
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    tag_two_files(qtbot, window)
    tagged = snapshot(archive)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: window.redo_action.isEnabled(), timeout=10000)
    retitled = (archive / "english-null.md").read_bytes().replace(b"title: Rebuilding", b"title: Outside", 1)
    (archive / "english-null.md").write_bytes(retitled)
    crlf = (archive / "crlf.md").read_bytes()
    own_tag = crlf.replace(b"  - reliability\r\n", b"  - reliability\r\n  - theirs\r\n", 1)
    assert own_tag != crlf
    (archive / "crlf.md").write_bytes(own_tag)
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=10000)
    assert "crlf.md: changed since the operation, in or next to what it changed: left alone" in told[0]
    assert "1 left alone" in told[0]
    assert (archive / "crlf.md").read_bytes() == own_tag
    expected = tagged["english-null.md"].replace(b"title: Rebuilding", b"title: Outside", 1)
    assert (archive / "english-null.md").read_bytes() == expected  # redone around the new title
    assert "weekly-digest" in window.undo_action.text()


def test_undo_twice_after_a_saved_edit_takes_back_the_edit_and_the_bulk_step(
    qtbot: QtBot, window: MainWindow, archive: Path
) -> None:
    """Tag two files, retitle one and save, then Edit ▸ Undo twice: the title comes back (unsaved), then the
    bulk step is undone on disk around the saved title and the form takes it in; saving gives every file
    as it was at the start. (The retitled file was left alone: "changed since the operation".)"""
    before = snapshot(archive)
    tag_two_files(qtbot, window)
    open_file(qtbot, window, "english-null.md")
    title = line_edit(window, "title")
    title.selectAll()
    qtbot.keyClicks(title, "Mine")
    save(qtbot, window)
    window.undo_action.trigger()  # the title
    assert window.form.dirty and not title.text().startswith("Mine")
    assert "weekly-digest" in window.undo_action.text()
    window.undo_action.trigger()  # the bulk step, under the unsaved title
    qtbot.waitUntil(lambda: snapshot(archive)["crlf.md"] == before["crlf.md"], timeout=10000)
    qtbot.waitUntil(lambda: "weekly-digest" not in chips(window, "tags").values, timeout=5000)
    assert window.form.dirty and not window.form.conflict_bar.isVisible()
    assert "around changes made since" in window.statusBar().currentMessage()
    save(qtbot, window)
    assert not window.form.conflict_bar.isVisible()
    assert snapshot(archive) == before
