"""The form and its document controller, driven through the widgets; the file on disk is checked."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QToolButton
from pytestqt.qtbot import QtBot
from tests.conftest import FIXTURES, open_window
from tests.support.form import open_form

from masthead.core.document import Document
from masthead.ui.chips import ChipsEditor
from masthead.ui.form import FormPane
from masthead.ui.main_window import MainWindow

NAME = "english-null.md"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    root.mkdir()
    shutil.copy(FIXTURES / "good" / NAME, root / NAME)
    return root


@pytest.fixture
def form(qtbot: QtBot, archive: Path) -> Iterator[FormPane]:
    pane = open_form(qtbot, archive, NAME)
    yield pane
    pane.show_document(None, None, None)


def title(form: FormPane) -> QLineEdit:
    editor = form.editors["title"]
    assert isinstance(editor, QLineEdit)
    return editor


def test_saving_keeps_the_form_the_focus_and_the_undo_history(qtbot: QtBot, tmp_path: Path, archive: Path) -> None:
    window: MainWindow = open_window(qtbot, tmp_path, archive)
    assert window.select_path(NAME)
    qtbot.waitUntil(lambda: window.form.rel == NAME, timeout=3000)
    window.activateWindow()
    editor = title(window.form)
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClicks(editor, " (2)")
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.archive._refreshing, timeout=5000)  # the window re-read the saved file
    path = archive / NAME
    assert Document(path.read_bytes()).data["title"].endswith("Labs (2)")
    assert window.form.editors["title"] is editor and QApplication.focusWidget() is editor  # not rebuilt
    assert not window.form.dirty and window.form.undo_stack.canUndo()
    window.undo_action.trigger()
    assert editor.text().endswith("Northwind Labs") and window.form.dirty
    window.form.show_document(None, None, None)


def test_a_vanished_file_can_be_saved_again(qtbot: QtBot, form: FormPane, archive: Path) -> None:
    qtbot.keyClicks(title(form), "X")
    (archive / NAME).unlink()
    form.save()  # the save meets the missing file
    bar = form.conflict_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert "deleted or moved" in bar.label.text() and "unsaved edits are still here" in bar.label.text()
    assert bar.save_again_button.isVisible() and bar.save_as_button.isVisible() and bar.discard_button.isVisible()
    assert not bar.keep_button.isVisible() and not bar.merge_button.isVisible()
    with qtbot.waitSignal(form.saved, timeout=5000):
        qtbot.mouseClick(bar.save_again_button, Qt.MouseButton.LeftButton)
    assert Document((archive / NAME).read_bytes()).data["title"].startswith("X")
    assert not form.dirty and not bar.isVisible()


def test_a_vanished_file_can_be_saved_as(
    qtbot: QtBot, form: FormPane, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.keyClicks(title(form), "Y")
    (archive / NAME).rename(archive / "moved.md")
    form.file_vanished()  # the window's watcher says so
    bar = form.conflict_bar
    assert bar.isVisible() and bar.save_as_button.isVisible()
    target = archive / "rescued.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(form.saved, timeout=5000):
        qtbot.mouseClick(bar.save_as_button, Qt.MouseButton.LeftButton)
    assert Document(target.read_bytes()).data["title"].startswith("Y") and form.rel == "rescued.md"


def test_a_vanished_file_can_be_discarded(qtbot: QtBot, form: FormPane, archive: Path) -> None:
    qtbot.keyClicks(title(form), "Z")
    (archive / NAME).unlink()
    form.file_vanished()
    qtbot.mouseClick(form.conflict_bar.discard_button, Qt.MouseButton.LeftButton)
    assert form.doc is None and not form.dirty and not (archive / NAME).exists()


def test_add_then_remove_a_field_is_clean_again_and_the_new_field_is_focused(
    qtbot: QtBot, form: FormPane, monkeypatch: pytest.MonkeyPatch
) -> None:
    form.resize(600, 300)  # the new field is below the fold
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("episode_note", True))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("text", True))
    dirty: list[bool] = []
    form.dirty_changed.connect(dirty.append)
    form.window().activateWindow()
    qtbot.mouseClick(form.add_button, Qt.MouseButton.LeftButton)
    assert form.dirty and dirty == [True]
    editor = form.editors["episode_note"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor, timeout=3000)
    viewport = form.scroll_area.viewport()
    qtbot.waitUntil(lambda: viewport.rect().contains(editor.mapTo(viewport, editor.rect().center())), timeout=3000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    remove = form.findChild(QToolButton, "remove_episode_note")
    assert remove is not None
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert not form.dirty and dirty == [True, False]


def test_publish_is_one_undoable_step_with_a_message(qtbot: QtBot, form: FormPane, archive: Path) -> None:
    messages: list[str] = []
    form.status_message.connect(messages.append)
    assert form.can_publish
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.controller.publish()
    assert Document((archive / NAME).read_bytes()).data["draft"] is False
    assert messages and "Published english-null.md" in messages[0] and "Undo" in messages[0]
    assert form.undo_stack.undoText() == "Publish"
    form.undo_stack.undo()
    assert form.doc is not None and form.doc.data["draft"] is True and form.dirty
    assert form.badge.text() == "Draft"


def test_no_empty_badge_and_readable_labels(qtbot: QtBot, form: FormPane) -> None:
    label = form.findChild(type(form.title), "label_companies_orgs")
    assert label is not None and label.text() == "Companies / orgs"
    assert form.findChild(type(form.title), "label_source").text() == "Source"  # type: ignore[union-attr]
    assert form.badge.isVisible()
    form.show_document(None, None, None)
    assert not form.badge.isVisible()


def test_every_chip_and_the_input_are_shown_after_set_values_and_adding(qtbot: QtBot, form: FormPane) -> None:
    form.resize(360, 800)
    tags = form.editors["tags"]
    assert isinstance(tags, ChipsEditor)
    values = ["streaming", "data-platform", "migrations", "a-rather-long-tag-name", "another-long-one-here"]
    form.controller.edit("tags", values)
    QApplication.processEvents()

    def all_shown() -> None:
        box = tags.rect()
        for widget in (*tags._chips, tags.input):
            geometry = widget.geometry()
            assert widget.isVisible() and box.contains(geometry), (widget, geometry, box)
        for chip in tags._chips:
            assert not chip.geometry().intersects(tags.input.geometry())

    all_shown()
    tags.input.setFocus()
    qtbot.keyClicks(tags.input, "one-more-value")
    tags.completer.popup().hide()
    qtbot.keyClick(tags.input, Qt.Key.Key_Down)
    qtbot.keyClick(QApplication.activePopupWidget() or tags.input, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert tags.values[-1] == "one-more-value"
    all_shown()


def test_remove_buttons_are_not_in_the_tab_chain(qtbot: QtBot, form: FormPane) -> None:
    form.window().activateWindow()
    editor = title(form)
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused is not None and not focused.objectName().startswith("remove_")
    assert focused is not editor


def test_a_later_open_supersedes_an_earlier_one(qtbot: QtBot, form: FormPane, archive: Path) -> None:
    shutil.copy(archive / NAME, archive / "second.md")
    loaded: list[str | None] = []
    form.loaded.connect(lambda: loaded.append(form.rel))
    form.open(archive, NAME)
    form.open(archive, "second.md")
    qtbot.waitUntil(lambda: bool(loaded), timeout=5000)
    QApplication.processEvents()
    assert loaded == ["second.md"] and form.rel == "second.md"


def test_the_next_file_reuses_rows_in_its_own_order_and_values(qtbot: QtBot, form: FormPane, archive: Path) -> None:
    other = archive / "other.md"
    other.write_bytes(b"---\ntags:\n- zebra\ntitle: Other\ndraft: false\nstatus: archived\n---\nBody\n")
    tags_before = form.editors["tags"]
    with qtbot.waitSignal(form.loaded, timeout=5000):
        form.open(archive, "other.md")
    assert form.editors["tags"] is tags_before  # kept, not rebuilt
    labels = [form.rows.itemAt(i, form.rows.ItemRole.LabelRole) for i in range(form.rows.rowCount())]
    order = [item.widget().objectName() for item in labels if item is not None]
    assert order == ["label_tags", "label_title", "label_draft", "label_status"]
    assert title(form).text() == "Other" and form.editors["tags"].values == ["zebra"]  # type: ignore[attr-defined]
    status = form.editors["status"]
    assert status.currentText() == "archived"  # type: ignore[attr-defined]
    qtbot.keyClick(title(form), Qt.Key.Key_End)
    qtbot.keyClicks(title(form), " too")
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save()
    assert b"title: Other too\n" in other.read_bytes()


def test_typing_while_a_save_runs_is_kept(qtbot: QtBot, form: FormPane, archive: Path) -> None:
    editor = title(form)
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClicks(editor, " one")
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save()
        qtbot.keyClicks(editor, " two")  # before the writer's answer arrives
    assert Document((archive / NAME).read_bytes()).data["title"].endswith("Labs one")
    assert form.dirty and form.doc is not None and form.doc.data["title"].endswith("Labs one two")
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save()
    assert Document((archive / NAME).read_bytes()).data["title"].endswith("Labs one two") and not form.dirty
