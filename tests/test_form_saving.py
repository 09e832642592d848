"""Saving and conflicts, driven through the form: a save asked for while one runs, Save As that fails, Keep mine
and Merge both against the disk version the user was shown, Reload, opening another file."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit, QMessageBox, QTextEdit
from pytestqt.qtbot import QtBot
from tests.support.form import open_form

from masthead.core.document import Document
from masthead.ui.form import FormPane
from masthead.ui.writer import writer

TEXT = "---\ntitle: Hello\nsummary: old summary\nrating: 3\ntags:\n  - a\n---\nBody text\n"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "arch"
    root.mkdir()
    (root / "f.md").write_text(TEXT)
    (root / "g.md").write_text(TEXT.replace("Hello", "Other file"))
    return root


@pytest.fixture
def failures(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a, **k: said.append(text))
    return said


@pytest.fixture
def form(qtbot: QtBot, archive: Path, failures: list[str]) -> Iterator[FormPane]:
    pane = open_form(qtbot, archive, "f.md")
    yield pane
    settle(qtbot, pane)
    pane.show_document(None, None, None)


def settle(qtbot: QtBot, form: FormPane) -> None:
    qtbot.waitUntil(lambda: not form.saving and not writer().busy, timeout=5000)


def type_title(qtbot: QtBot, form: FormPane, text: str) -> None:
    editor = form.editors["title"]
    assert isinstance(editor, QLineEdit)
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, text)


def on_disk(archive: Path, name: str = "f.md") -> dict[str, object]:
    return Document((archive / name).read_bytes()).data


def conflict_after_save(qtbot: QtBot, form: FormPane, archive: Path, theirs: str) -> None:
    (archive / "f.md").write_text(theirs)
    form.save()
    qtbot.waitUntil(form.conflict_bar.isVisible, timeout=5000)


def test_a_save_asked_for_while_one_runs_waits_and_saves_again(qtbot: QtBot, form: FormPane, archive: Path) -> None:
    type_title(qtbot, form, "One")
    form.save()
    qtbot.keyClicks(form.editors["title"], " more")  # typing while the first save runs
    results: list[bool] = []
    form.save(results.append)  # Save in the Save/Discard/Cancel prompt, Quit > Save, Publish
    settle(qtbot, form)
    assert results == [True] and not form.dirty and on_disk(archive)["title"] == "One more"


def test_saved_is_said_for_the_file_written_when_another_is_shown_by_then(
    qtbot: QtBot, form: FormPane, archive: Path
) -> None:
    saved: list[str] = []
    form.saved.connect(saved.append)
    type_title(qtbot, form, "Mine")
    form.save()
    with qtbot.waitSignal(form.loaded, timeout=5000):
        form.open(archive, "g.md")  # the window asked about unsaved edits first
    settle(qtbot, form)
    assert on_disk(archive)["title"] == "Mine" and saved == ["f.md"] and form.rel == "g.md"


def test_the_form_takes_no_edits_while_another_file_loads(
    qtbot: QtBot, form: FormPane, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from masthead.core import storage

    slow, load = threading.Event(), storage.load
    monkeypatch.setattr(storage, "load", lambda *a, **k: (slow.wait(10), load(*a, **k))[1])  # a slow disk
    form.open(archive, "g.md")
    assert form.fields.isEnabled() and not form.add_button.isEnabled()  # no flicker for a quick load
    qtbot.keyClicks(form.editors["title"], "lost")  # typed while g.md loads
    form.controller.edit("title", "lost")  # and what an editor would send
    assert form.doc is not None and form.doc.data["title"] == "Hello" and not form.dirty
    qtbot.waitUntil(lambda: not form.fields.isEnabled(), timeout=5000)  # greyed out: it takes a while
    slow.set()
    qtbot.waitUntil(lambda: form.rel == "g.md", timeout=5000)
    assert form.fields.isEnabled() and form.doc is not None and form.doc.data["title"] != "lost"


def test_unsaved_edits_are_replaced_only_when_discarded(qtbot: QtBot, form: FormPane, archive: Path) -> None:
    type_title(qtbot, form, "Mine")
    assert not form.controller.open(archive, "g.md")  # no discard=True: refused, nothing lost
    other = Document((archive / "g.md").read_bytes(), archive / "g.md")
    assert not form.controller.set_document(other, archive, "g.md")
    assert form.rel == "f.md" and form.dirty and form.editors["title"].value() == "Mine"  # type: ignore[attr-defined]
    assert form.controller.set_document(other, archive, "g.md", discard=True) and form.rel == "g.md"


def test_keep_mine_overwrites_only_the_version_shown(
    qtbot: QtBot, form: FormPane, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    type_title(qtbot, form, "Mine")
    conflict_after_save(qtbot, form, archive, TEXT.replace("old summary", "theirs 1"))
    shown: list[str] = []

    def answer(box: QMessageBox) -> QMessageBox.StandardButton:
        shown.append(box.detailedText())
        (archive / "f.md").write_text(TEXT.replace("old summary", "theirs 2"))  # while the dialog is open
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "exec", answer)
    with qtbot.waitSignal(form.controller.conflict_found, timeout=5000):  # refused: shown again
        qtbot.mouseClick(form.conflict_bar.keep_button, Qt.MouseButton.LeftButton)
    assert "theirs 1" in shown[0] and on_disk(archive)["summary"] == "theirs 2"
    assert form.conflict_bar.isVisible() and form.dirty
    with qtbot.waitSignal(form.saved, timeout=5000):  # the second one is shown, then overwritten
        qtbot.mouseClick(form.conflict_bar.keep_button, Qt.MouseButton.LeftButton)
    assert "theirs 2" in shown[1] and on_disk(archive)["title"] == "Mine"


def test_merge_meets_a_newer_change_to_the_same_field(qtbot: QtBot, form: FormPane, archive: Path) -> None:
    type_title(qtbot, form, "Mine")
    theirs = TEXT.replace("old summary", "their summary")
    conflict_after_save(qtbot, form, archive, theirs)
    bar = form.conflict_bar
    assert bar.merge_button.isEnabled()
    (archive / "f.md").write_text(theirs.replace("Hello", "Their title"))  # after the bar was shown
    with qtbot.waitSignal(form.controller.conflict_found, timeout=5000):
        qtbot.mouseClick(bar.merge_button, Qt.MouseButton.LeftButton)
    assert on_disk(archive)["title"] == "Their title"  # not overwritten
    assert bar.isVisible() and not bar.merge_button.isEnabled() and "“title”" in bar.label.text()


def test_a_failed_save_as_keeps_the_file_where_it_was(
    qtbot: QtBot, form: FormPane, archive: Path, failures: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    type_title(qtbot, form, "Mine")
    (archive / "f.md").unlink()
    form.file_vanished()
    asked: list[object] = []

    def choose(*_a: object, **k: object) -> tuple[str, str]:
        asked.append(k.get("options"))
        return str(archive / "g.md"), ""  # an existing file

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    qtbot.mouseClick(form.conflict_bar.save_as_button, Qt.MouseButton.LeftButton)
    settle(qtbot, form)
    assert asked == [QFileDialog.Option.DontConfirmOverwrite]  # no "Replace?" whose Yes would be refused
    assert failures and "already exists" in failures[0]
    assert form.rel == "f.md" and form.doc is not None and form.doc.path == archive / "f.md" and form.dirty
    assert on_disk(archive, "g.md")["title"] == "Other file"


def test_reload_is_not_a_save(qtbot: QtBot, form: FormPane, archive: Path) -> None:
    type_title(qtbot, form, "Mine")
    conflict_after_save(qtbot, form, archive, TEXT.replace("Hello", "Theirs"))
    saved: list[str] = []
    form.saved.connect(saved.append)
    with qtbot.waitSignal(form.reloaded, timeout=5000):
        qtbot.mouseClick(form.conflict_bar.reload_button, Qt.MouseButton.LeftButton)
    assert saved == [] and form.editors["title"].value() == "Theirs" and not form.dirty  # type: ignore[attr-defined]


def test_save_in_the_unsaved_changes_prompt_while_a_save_runs(
    qtbot: QtBot, tmp_path: Path, archive: Path, failures: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import open_window

    from masthead.ui.main_window import MainWindow

    window: MainWindow = open_window(qtbot, tmp_path, archive)
    assert window.select_path("f.md")
    qtbot.waitUntil(lambda: window.form.rel == "f.md", timeout=3000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    editor = window.form.editors["title"]
    assert isinstance(editor, QLineEdit)
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClicks(editor, " one")
    window.save_action.trigger()  # Ctrl+S: the writer runs...
    qtbot.keyClicks(editor, " two")  # ...while the user types on
    window.select_path("g.md")  # Save / Discard / Cancel -> Save, while the first save runs
    qtbot.waitUntil(lambda: window.form.rel == "g.md", timeout=5000)
    settle(qtbot, window.form)
    assert on_disk(archive)["title"] == "Hello one two" and failures == []
    window.form.show_document(None, None, None)


def test_keep_mine_over_front_matter_another_program_broke_keeps_their_transcript(
    qtbot: QtBot, form: FormPane, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a trial: Keep mine wrote my whole file, dropping the line another program had added to the body, and
    its question said their changes stayed."""
    type_title(qtbot, form, "Mine")
    theirs = TEXT.replace("rating: 3", "rating: [3").replace("Body text\n", "Body text\nTheir new line\n")
    conflict_after_save(qtbot, form, archive, theirs)
    assert "Keep mine puts your front matter in place of theirs" in form.conflict_bar.label.text()
    asked: list[tuple[str, str, int]] = []

    def answer(box: QMessageBox) -> QMessageBox.StandardButton:
        (details,) = box.findChildren(QTextEdit)
        asked.append((box.text(), box.detailedText(), details.minimumHeight()))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "exec", answer)
    with qtbot.waitSignal(form.saved, timeout=5000):
        qtbot.mouseClick(form.conflict_bar.keep_button, Qt.MouseButton.LeftButton)
    ((text, diff, height),) = asked
    assert "Their front matter cannot be read: yours takes its place" in text and height >= 200
    assert "-rating: [3" in diff and "Their new line" not in diff
    assert (archive / "f.md").read_text() == TEXT.replace("Hello", "Mine").replace(
        "Body text\n", "Body text\nTheir new line\n"
    )
    assert not form.dirty and not form.conflict_bar.isVisible()
