"""Issue 12, window part: each defect driven through the widgets as a user would."""

from __future__ import annotations

import itertools
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QRect, Qt, QThreadPool
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot
from tests.conftest import copy_fixtures, open_window
from tests.support.damage import damage

from masthead.core import fulltext
from masthead.ui.bulk_dialog import BulkTagDialog, OperationDialog
from masthead.ui.chips import ChipsEditor
from masthead.ui.folder_model import FolderModel
from masthead.ui.main_window import MainWindow
from masthead.ui.models import PATH_ROLE, Column

NAMES = ["english-null.md", "indent2-cjk.md", "pyyaml-sorted-cjk.md", "crlf.md", "chunks-en.md"]
Button = QMessageBox.StandardButton


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return copy_fixtures(tmp_path / "archive", NAMES)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, archive: Path) -> Iterator[MainWindow]:
    win: MainWindow = open_window(qtbot, tmp_path, archive)
    yield win
    win.form.show_document(None, None, None)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.glob("*.md"))}


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def open_file(qtbot: QtBot, window: MainWindow, name: str) -> None:
    assert window.select_path(name)
    qtbot.waitUntil(lambda: window.form.rel == name, timeout=3000)


def edit_author(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.form.editors["author"]
    line = editor if isinstance(editor, QLineEdit) else editor.findChild(QLineEdit)
    qtbot.keyClick(line, Qt.Key.Key_End)
    qtbot.keyClicks(line, " Jr.")
    assert window.form.dirty


def focus_title(qtbot: QtBot, window: MainWindow, name: str) -> QLineEdit:
    """Open ``name`` and put the keyboard in its title field."""
    open_file(qtbot, window, name)
    editor = window.form.editors["title"]
    title = editor if isinstance(editor, QLineEdit) else editor.findChild(QLineEdit)
    assert isinstance(title, QLineEdit)
    window.activateWindow()
    title.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is title, timeout=2000)
    return title


def table_titles(window: MainWindow) -> list[str]:
    return [window.model.index(r, Column.TITLE).data() for r in range(window.model.rowCount())]


def test_f5_and_open_recent_ask_before_discarding_unsaved_edits(
    qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect 1."""
    before = snapshot(archive)
    open_file(qtbot, window, "english-null.md")
    edit_author(qtbot, window)
    asked = answer(monkeypatch, Button.Cancel)
    qtbot.keyClick(window.table, Qt.Key.Key_F5)
    assert asked == ["Save your changes to english-null.md?"]
    assert window.form.dirty and window.form.rel == "english-null.md"  # kept
    recent = window.recent_menu.actions()[0]
    recent.trigger()
    assert len(asked) == 2 and window.form.dirty
    answer(monkeypatch, Button.Discard)
    with qtbot.waitSignal(window.archive_loaded, timeout=20000):
        qtbot.keyClick(window.table, Qt.Key.Key_F5)
    assert not any(t.startswith("●") for t in table_titles(window))  # no stale marker
    assert snapshot(archive) == before


def test_quit_then_discard_quits(
    qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect 7."""
    before = snapshot(archive)
    open_file(qtbot, window, "english-null.md")
    edit_author(qtbot, window)
    asked = answer(monkeypatch, Button.Discard)
    quit_action = window.findChild(QAction, "quit")
    assert quit_action is not None
    quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert asked and snapshot(archive) == before


def test_a_saved_file_that_leaves_the_filter_stays_on_screen(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    """Defect 4: publish a draft while only drafts are shown."""
    qtbot.mouseClick(window.quick_buttons["drafts"], Qt.MouseButton.LeftButton)
    open_file(qtbot, window, "english-null.md")
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        window.publish_action.trigger()
    row = window.model.row_of("english-null.md")
    assert row is not None
    qtbot.waitUntil(lambda: window.model.index(row, Column.STATE).data() == "Published", timeout=5000)
    qtbot.wait(50)  # let the views settle: nothing else may be shown meanwhile
    assert window.form.rel == "english-null.md" and window.current == "english-null.md"
    assert window.selected_paths() == ["english-null.md"]


def test_another_archive_starts_without_the_old_search(
    qtbot: QtBot, window: MainWindow, archive: Path, tmp_path: Path
) -> None:
    """Defect 10."""
    qtbot.keyClicks(window.search, "tag:nothing-uses-this")
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 0, timeout=3000)
    assert "match the search" in window.count_label.text()  # says why nothing is shown
    other = copy_fixtures(tmp_path / "other", ["crlf.md", "chunks-en.md"])
    with qtbot.waitSignal(window.archive_loaded, timeout=20000):
        window.open_archive(other)
    assert window.search.text() == "" and window.count_label.text() == "2 of 2"


def test_opening_an_archive_clears_the_old_taxonomy_and_sorts_before_showing_the_indicator(
    qtbot: QtBot, window: MainWindow, archive: Path, tmp_path: Path
) -> None:
    """Defect 12."""
    window.taxonomy_action.trigger()
    qtbot.waitUntil(lambda: window.taxonomy.model.rowCount() > 0, timeout=5000)
    other = copy_fixtures(tmp_path / "other", ["crlf.md"])
    header = window.table.horizontalHeader()
    with qtbot.waitSignal(window.archive_loaded, timeout=20000):
        window.open_archive(other)
        assert window.taxonomy.model.rowCount() == 0  # not the previous archive's values
        assert not header.isSortIndicatorShown()  # rows arrive unsorted
    assert header.isSortIndicatorShown()
    assert window.folders.item(0).text() == "other (1)"


def test_folder_counts_grow_while_loading(qtbot: QtBot) -> None:
    """Defect 12: the folder tree counts the files as they arrive, not "(0)" until the end."""
    folders = FolderModel()
    folders.rebuild("archive", [])
    folders.add(["a/x.md", "a/y.md", "z.md"])
    assert folders.item(0).text() == "archive (3)" and folders.item(0).child(0).text() == "a (2)"
    folders.remove(["a/x.md", "a/y.md"])
    assert folders.item(0).text() == "archive (1)" and folders.item(0).rowCount() == 0


def test_keyboard_moves_between_panes_and_files(qtbot: QtBot, window: MainWindow) -> None:
    """Defect 13: Tab leaves the table; Ctrl+F reaches the search; Alt+Down/Alt+Up step through the files."""
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus, timeout=2000)
    qtbot.keyClick(window.table, Qt.Key.Key_Tab)
    assert not window.table.hasFocus()
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.form.rel is not None, timeout=3000)  # read off the GUI thread
    first = window.form.rel
    qtbot.keyClick(window.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.form.rel not in (None, first), timeout=3000)
    qtbot.keyClick(window.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.form.rel == first, timeout=3000)
    sheet = window.show_shortcuts()
    rows = {(sheet.table.item(r, 2).text(), sheet.table.item(r, 1).text()) for r in range(sheet.table.rowCount())}
    assert ("Next File", "Alt+Down") in rows and ("Previous File", "Alt+Up") in rows
    sheet.close()
    focus = QApplication.focusWidget() or window
    qtbot.keyClick(focus, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # the form: its first field
    first = window.form.editors[next(iter(window.form.editors))]
    focused = QApplication.focusWidget()
    assert focused is first or first.isAncestorOf(focused)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # the preview
    assert QApplication.focusWidget() is window.preview.browser  # the transcript, not its outline (a trial)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # the browser
    assert window.table.hasFocus()


def test_the_title_marks_unsaved_edits_with_a_dot(qtbot: QtBot, window: MainWindow) -> None:
    """Defect 14."""
    open_file(qtbot, window, "english-null.md")
    assert not window.windowTitle().startswith("●")
    edit_author(qtbot, window)
    assert window.windowTitle().startswith("● english-null.md — archive")


def bulk_tag(qtbot: QtBot, window: MainWindow, names: list[str], tag: str) -> None:
    window.table.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for name in names:
        row = window.model.row_of(name)
        assert row is not None
        window.table.selectionModel().select(window.proxy.mapFromSource(window.model.index(row, 0)), flags)
    window.bulk_tag_action.trigger()
    dialog = window.findChild(BulkTagDialog)
    assert isinstance(dialog, BulkTagDialog)
    dialog.add_picker.add_value(tag)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.apply_button.isEnabled, timeout=10000)
    with qtbot.waitSignal(dialog.applied, timeout=10000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    dialog.close()


def test_ctrl_z_in_a_tag_input_reaches_undo_and_asks_before_a_bulk_undo(
    qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect 5."""
    original = snapshot(archive)
    bulk_tag(qtbot, window, ["crlf.md", "chunks-en.md", "indent2-cjk.md"], "weekly")
    after_bulk = snapshot(archive)
    open_file(qtbot, window, "english-null.md")
    tags = window.form.editors["tags"]
    assert isinstance(tags, ChipsEditor)
    before_edit = list(tags.values)
    window.activateWindow()
    tags.input.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tags.input, timeout=2000)
    tags.add_value("extra")
    assert tags.values == [*before_edit, "extra"] and window.form.dirty
    assert window.undo_action.text() == "&Undo Edit tags"
    qtbot.keyClick(tags.input, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the input has nothing to undo
    tags = window.form.editors["tags"]
    assert isinstance(tags, ChipsEditor)
    qtbot.waitUntil(lambda: not window.form.dirty, timeout=2000)
    assert "weekly" in window.undo_action.text()  # next: the bulk operation, named
    asked = answer(monkeypatch, Button.Cancel)
    window.undo_action.trigger()  # one step past the form's edits
    assert len(asked) == 1 and "3 files" in asked[0]
    qtbot.wait(100)
    assert snapshot(archive) == after_bulk  # nothing rewritten without a yes
    answer(monkeypatch, Button.Yes)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: snapshot(archive) == original, timeout=10000)
    qtbot.waitUntil(lambda: not window.writing(), timeout=5000)
    # the oldest undone step comes back first: the bulk operation, not hidden behind the form's redo
    assert "weekly" in window.redo_action.text() and window.redo_action.isEnabled()


def test_reveal_says_so_when_no_file_manager_starts(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect 20: Reveal in File Manager never fails silently."""
    from PySide6.QtGui import QDesktopServices

    told: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(str(a[2])) or Button.Ok)
    window.reveal_action.trigger()
    assert told and "No file manager" in told[0]


def test_set_a_field_starts_with_a_single_value_field(qtbot: QtBot, window: MainWindow) -> None:
    """Defect 20: Set a Field defaults to category (a choice field), not title."""
    dialog = window.bulk_set_field()
    assert isinstance(dialog, OperationDialog)
    combo = dialog.findChild(object, "setFieldName")
    assert combo is not None and combo.currentText() in ("category", "status")  # type: ignore[attr-defined]
    dialog.close()


def test_status_messages_use_proper_plurals(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    """Defect 20: "1 file", never "1 file(s)" or "(1 files)", in the window's own messages."""
    dialog = window.bulk_publish()
    assert dialog is not None and dialog.windowTitle() == "Publish 5 files"
    dialog.close()
    window.show_query("Kestrel")
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1, timeout=3000)
    dialog = window.bulk_publish()
    assert dialog is not None and dialog.windowTitle() == "Publish 1 file"
    dialog.close()


def test_saving_keeps_the_undo_history_and_the_form(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    """A save (and the refresh it causes) neither rebuilds the form nor clears its undo history."""
    open_file(qtbot, window, "english-null.md")
    edit_author(qtbot, window)
    editor = window.form.editors["author"]
    with qtbot.waitSignal(window.records_changed, timeout=5000):  # the save, then the index refresh
        window.save_action.trigger()
    assert window.form.editors["author"] is editor  # not rebuilt
    assert window.undo_action.isEnabled() and window.undo_action.text() == "&Undo Edit author"
    window.undo_action.trigger()
    assert window.form.dirty  # back to the saved file's previous author: an unsaved edit again


def test_a_large_archive_keeps_the_selected_row_when_the_final_sort_lands(qtbot: QtBot, tmp_path: Path) -> None:
    """Defect 12: rows selected while loading stay selected, current and in view once the rows are sorted."""
    root = tmp_path / "big"
    root.mkdir()
    for i in range(2100):  # above BACKGROUND_SORT: the order is applied as a reset
        text = f"---\ntitle: File {i}\ndate: 2024-{1 + i % 12:02d}-01\ntags: [t{i % 7}]\n---\nBody\n"
        (root / f"f{i:04d}.md").write_text(text, encoding="utf-8")
    window: MainWindow = open_window(qtbot, tmp_path, root)
    window.table.sortByColumn(Column.TITLE, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: window.model.record(0).path == "f0000.md", timeout=10000)
    window.table.setFocus()
    assert window.select_path("f1234.md")
    qtbot.waitUntil(lambda: window.form.rel == "f1234.md", timeout=3000)
    with qtbot.waitSignal(window.model.sorted, timeout=10000):
        window.table.sortByColumn(Column.DATE, Qt.SortOrder.DescendingOrder)
    assert window.selected_paths() == ["f1234.md"] and window.current == "f1234.md"
    current = window.table.currentIndex()
    assert current.data(0x0103) == "f1234.md"
    assert window.table.viewport().rect().intersects(window.table.visualRect(current))  # scrolled into view


def test_typing_after_a_bulk_operation_is_undone_first(
    qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing merges into one undo step; typed again after a bulk operation, that step is the newest."""
    open_file(qtbot, window, "english-null.md")
    edit_author(qtbot, window)
    bulk_tag(qtbot, window, ["crlf.md", "chunks-en.md"], "weekly")
    open_file(qtbot, window, "english-null.md")  # (still the same file: the bulk operation left it alone)
    assert "weekly" in window.undo_action.text() or window.undo_action.text() == "&Undo Edit author"
    editor = window.form.editors["author"]
    line = editor if isinstance(editor, QLineEdit) else editor.findChild(QLineEdit)
    qtbot.keyClicks(line, "!")  # merges into the author's typing step
    assert window.undo_action.text() == "&Undo Edit author"


def test_the_vocabulary_follows_a_save_without_a_rebuild(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    """After a save the vocabulary is updated in place (the same object, the new value counted)."""
    vocab = window.archive.vocab
    open_file(qtbot, window, "english-null.md")
    tags = window.form.editors["tags"]
    assert isinstance(tags, ChipsEditor)
    tags.add_value("follows-a-save")
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        window.save_current()
    qtbot.waitUntil(lambda: window.vocabulary.get("tags", {}).get("follows-a-save") == 1, timeout=5000)
    assert window.archive.vocab is vocab  # updated, not rebuilt


def test_a_bulk_dialog_on_the_shown_files_says_shown(qtbot: QtBot, window: MainWindow) -> None:
    """Defect 20: with no multiple selection the operation is on the files shown, and says so."""
    for open_dialog in (window.bulk_tag, window.bulk_set_field):
        dialog = open_dialog()
        assert dialog is not None
        assert "shown" in dialog.summary.text() and "selected" not in dialog.summary.text()
        dialog.close()


def test_a_file_deleted_on_disk_with_unsaved_edits_can_be_saved_again(
    qtbot: QtBot, window: MainWindow, archive: Path
) -> None:
    """Defect 6 through the window: the watcher's news reaches the form, which offers Save Again / Save As /
    Discard (not a conflict whose buttons do nothing); Save Again recreates the file with the edits."""
    open_file(qtbot, window, "english-null.md")
    edit_author(qtbot, window)
    (archive / "english-null.md").unlink()
    window.rescan_now()
    bar = window.form.conflict_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert bar.save_again_button.isVisible() and bar.save_as_button.isVisible() and bar.discard_button.isVisible()
    assert not bar.keep_button.isVisible() and not bar.merge_button.isVisible()
    assert window.form.dirty and window.current == "english-null.md"
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        qtbot.mouseClick(bar.save_again_button, Qt.MouseButton.LeftButton)
    assert (archive / "english-null.md").exists() and not window.form.dirty


def test_opening_another_archive_while_the_full_text_index_is_built_does_not_wait_for_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found under Xvfb on the realistic archive: closing it during the index's first build held the GUI
    thread 90-240 ms (it waited for the build's transaction to end)."""
    inside, release = threading.Event(), threading.Event()
    store = fulltext._Shard._store

    def slow_store(shard: fulltext._Shard, *args: Any) -> None:  # a long insert, holding its part's lock
        inside.set()
        release.wait(20)
        store(shard, *args)

    monkeypatch.setattr(fulltext._Shard, "_store", slow_store)
    window = open_window(qtbot, tmp_path, copy_fixtures(tmp_path / "archive", NAMES))
    qtbot.waitUntil(inside.is_set, timeout=10000)  # the build is inside a transaction
    watchdog = threading.Timer(10, release.set)  # (without the fix the GUI thread waits until this fires)
    watchdog.start()
    other = copy_fixtures(tmp_path / "other", ["crlf.md", "chunks-en.md"])
    with qtbot.waitSignal(window.archive_loaded, timeout=20000):
        window.open_archive(other)
    waited = release.is_set()
    release.set()
    watchdog.cancel()
    assert not waited and window.count_label.text() == "2 of 2"
    qtbot.waitUntil(lambda: window.archive.text_ready, timeout=20000)  # the new archive's index is built


def test_a_transcript_search_on_a_damaged_full_text_index_shows_every_match(qtbot: QtBot, tmp_path: Path) -> None:
    """A part of the index whose trigrams cannot be read: the search reads the files (never a partial answer),
    and the next search is answered from the part, rebuilt."""
    root = copy_fixtures(tmp_path / "archive", NAMES)
    for i in range(30):
        (root / f"t{i:02}.md").write_text(f"---\ntitle: T{i}\n---\n\n**[Host]**: needle {i:02}.\n", encoding="utf-8")
    window = open_window(qtbot, tmp_path, root)
    qtbot.waitUntil(lambda: window.archive.text_ready, timeout=20000)
    text_index = window.archive.index.text_index()
    part = text_index.path_of("t00.md")
    db = sqlite3.connect(part)
    damage(db)
    db.commit()
    db.close()
    everything = f"{window.model.rowCount()} of {window.model.rowCount()}"
    for _ in range(2):
        window.search.clear()
        qtbot.waitUntil(lambda: window.count_label.text() == everything, timeout=10000)
        qtbot.keyClicks(window.search, "body:needle")
        qtbot.waitUntil(lambda: window.count_label.text().startswith("30 of"), timeout=10000)
        assert sorted(window.shown_paths()) == [f"t{i:02}.md" for i in range(30)]
    assert text_index.rebuilt and text_index.paths("needle") == {f"t{i:02}.md" for i in range(30)}


def test_a_transcript_search_does_not_wait_for_the_global_pools_background_work(qtbot: QtBot, tmp_path: Path) -> None:
    """Found by a new-user trial: the first search after opening a file waited ~40 s behind the file's
    suggestions and pickers' warm-up, which hold the global pool's threads."""
    root = copy_fixtures(tmp_path / "archive", NAMES)
    (root / "needle.md").write_text("---\ntitle: N\n---\n\n**[Host]**: a needle here.\n", encoding="utf-8")
    window = open_window(qtbot, tmp_path, root)
    qtbot.waitUntil(lambda: window.archive.text_ready, timeout=20000)
    pool, release = QThreadPool.globalInstance(), threading.Event()
    QThreadPool.globalInstance().waitForDone(5000)
    for _ in range(pool.maxThreadCount()):  # long background jobs hold every thread of the global pool
        pool.start(lambda: release.wait(30))
    try:
        qtbot.keyClicks(window.search, "body:needle")
        qtbot.waitUntil(lambda: window.count_label.text().startswith("1 of"), timeout=5000)
    finally:
        release.set()
        pool.waitForDone(5000)
    assert window.shown_paths() == ["needle.md"]


def test_a_transcript_search_follows_files_changed_on_disk(qtbot: QtBot, tmp_path: Path) -> None:
    """Found by a new-user trial: with body:zebracorn shown, a file given the word by another program never
    appeared, and one that lost it stayed listed, until the search was typed again."""
    root = copy_fixtures(tmp_path / "archive", NAMES)
    first, second = root / "a-zebra.md", root / "b-zebra.md"
    first.write_text("---\ntitle: A\n---\n\n**[Host]**: a zebracorn.\n", encoding="utf-8")
    second.write_text("---\ntitle: B\n---\n\n**[Host]**: nothing yet.\n", encoding="utf-8")
    window = open_window(qtbot, tmp_path, root)
    qtbot.waitUntil(lambda: window.archive.text_ready, timeout=20000)
    qtbot.keyClicks(window.search, "body:zebracorn")
    qtbot.waitUntil(lambda: window.shown_paths() == ["a-zebra.md"], timeout=5000)
    second.write_text("---\ntitle: B\n---\n\n**[Host]**: now a zebracorn too.\n", encoding="utf-8")
    first.write_text("---\ntitle: A\n---\n\n**[Host]**: gone.\n", encoding="utf-8")
    window.archive.refresh([str(first), str(second)])  # (what the watcher does when it sees them)
    qtbot.waitUntil(lambda: window.shown_paths() == ["b-zebra.md"], timeout=10000)
    assert window.count_label.text().startswith("1 of")


def test_down_in_the_search_field_goes_to_the_results_and_opens_the_first(qtbot: QtBot, window: MainWindow) -> None:
    """Found by a new-user trial: from the search field neither Enter nor Down reached the results."""
    window.search.setFocus()
    qtbot.keyClicks(window.search, "path:crlf")
    qtbot.keyClick(window.search, Qt.Key.Key_Down)  # (before the search's pause: it is applied first)
    assert window.table.hasFocus() and window.shown_paths() == ["crlf.md"]
    qtbot.waitUntil(lambda: window.form.rel == "crlf.md", timeout=5000)


def test_a_search_that_only_excludes_transcript_text_shows_no_match_column(qtbot: QtBot, window: MainWindow) -> None:
    """Found by a new-user trial: -body:word showed an empty Match column 320 pixels wide."""
    qtbot.keyClicks(window.search, "-body:nothing-has-this")
    qtbot.waitUntil(lambda: window.browser.query is not None, timeout=5000)  # the search is applied
    qtbot.waitUntil(lambda: window.count_label.text().startswith(f"{len(NAMES)} of"), timeout=10000)
    assert window.table.isColumnHidden(Column.MATCH)
    window.search.clear()
    qtbot.keyClicks(window.search, "body:the")
    qtbot.waitUntil(lambda: not window.table.isColumnHidden(Column.MATCH), timeout=10000)


def test_a_word_that_matches_nothing_says_where_words_are_looked_for(qtbot: QtBot, window: MainWindow) -> None:
    """Found by a new-user trial: a plain word found in transcripts only gave '0 match the search'."""
    qtbot.keyClicks(window.search, "zzyzxnowhere")
    qtbot.waitUntil(lambda: window.count_label.text().startswith("0 of"), timeout=5000)
    assert "body:word searches transcripts" in window.count_label.text()


def test_the_open_file_kept_out_of_the_filter_is_shown_apart_and_not_counted(
    qtbot: QtBot, window: MainWindow, archive: Path
) -> None:
    """Found by a new-user trial: a published file stayed listed among the drafts and was counted with them."""
    qtbot.mouseClick(window.quick_buttons["drafts"], Qt.MouseButton.LeftButton)
    open_file(qtbot, window, "english-null.md")
    drafts = window.count_label.text()
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        window.publish_action.trigger()
    row = window.model.row_of("english-null.md")
    assert row is not None
    qtbot.waitUntil(lambda: window.model.index(row, Column.STATE).data() == "Published", timeout=5000)
    shown, total = (int(n) for n in drafts.split(" of "))
    qtbot.waitUntil(lambda: window.count_label.text() == f"{shown - 1} of {total} (+ the open file)", timeout=5000)
    index = window.proxy.mapFromSource(window.model.index(row, Column.TITLE))
    assert index.isValid() and index.data(Qt.ItemDataRole.FontRole).italic()
    assert "does not match" in index.data(Qt.ItemDataRole.ToolTipRole)
    qtbot.mouseClick(window.quick_buttons["drafts"], Qt.MouseButton.LeftButton)  # no filter: counted, upright
    qtbot.waitUntil(lambda: window.count_label.text() == f"{total} of {total}", timeout=5000)
    assert window.proxy.mapFromSource(window.model.index(row, Column.TITLE)).data(Qt.ItemDataRole.FontRole) is None


def test_down_from_the_search_goes_to_the_first_result_not_the_open_file_kept_out(qtbot: QtBot, tmp_path: Path) -> None:
    """Found by a new-user trial: with a file open, Down after a search it does not match went to that file
    (kept listed, in italics) and a second Down was needed to reach the result."""
    root = copy_fixtures(tmp_path / "archive", NAMES)
    (root / "needle.md").write_text("---\ntitle: N\n---\n\n**[Host]**: a needle here.\n", encoding="utf-8")
    window = open_window(qtbot, tmp_path, root)
    open_file(qtbot, window, "english-null.md")
    window.search.setFocus()
    qtbot.keyClicks(window.search, "body:needle")
    qtbot.waitUntil(lambda: window.count_label.text() == "1 of 6 (+ the open file)", timeout=10000)
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.form.rel == "needle.md", timeout=5000)  # the result opened
    assert window.table.hasFocus() and window.table.currentIndex().data(PATH_ROLE) == "needle.md"


def test_down_and_ctrl_1_show_the_current_row_when_a_filter_moved_it_out_of_sight(qtbot: QtBot, tmp_path: Path) -> None:
    """Found by a new-user trial: the current row (the open file) far down the results was not scrolled to:
    the table showed its first rows, none of them selected."""
    root = tmp_path / "archive"
    root.mkdir()
    for i in range(300):
        (root / f"f{i:03}.md").write_text(f"---\ntitle: T{i:03}\ntags: [t{i % 7}]\n---\n\nText {i}.\n")
    window = open_window(qtbot, tmp_path, root)
    window.table.sortByColumn(Column.TITLE, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: window.model.records[0].path == "f000.md", timeout=5000)
    open_file(qtbot, window, "f250.md")
    window.table.scrollToTop()

    def seen() -> bool:
        rect = window.table.visualRect(window.table.currentIndex())
        return window.table.viewport().rect().intersects(rect)

    assert not seen()
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.table.currentIndex().data(PATH_ROLE) == "f250.md" and seen()
    window.table.scrollToTop()
    window.search.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # Go ▸ Browser
    assert window.table.hasFocus() and seen()


def test_another_archive_drops_the_old_transcript_search_everywhere(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """Found by a new-user trial: after a body: search, opening another archive emptied the field but kept
    the Match column and the preview's marks (F3 looked for the old text)."""
    window.search.setFocus()
    qtbot.keyClicks(window.search, "body:the")
    qtbot.waitUntil(lambda: not window.table.isColumnHidden(Column.MATCH), timeout=10000)
    assert window.preview.search_marks.text == "the"
    other = copy_fixtures(tmp_path / "other", ["comments.md"])
    with qtbot.waitSignal(window.archive_loaded, timeout=20000):
        window.open_archive(other)
    assert window.search.text() == "" and window.table.isColumnHidden(Column.MATCH)
    assert window.preview.search_marks.text is None


def test_the_tags_field_one_types_in_stays_in_sight_as_chips_wrap(qtbot: QtBot, tmp_path: Path) -> None:
    """Found by a new-user trial: adding long tags wrapped the chips onto a new line below the form's visible
    part (or past the picker's own height), hiding the field being typed in."""
    root = tmp_path / "archive"
    root.mkdir()
    fields = "".join(f"field{i}: value {i}\n" for i in range(14))  # Tags comes low in the form
    tags = "".join(f"  - tag-number-{i}-long\n" for i in range(6))
    (root / "a.md").write_text(f"---\ntitle: A\n{fields}tags:\n{tags}---\n\nBody.\n", encoding="utf-8")
    known = "".join(f"  - an-added-and-rather-long-tag-{i}\n" for i in range(3))  # the archive knows them
    (root / "b.md").write_text(f"---\ntitle: B\ntags:\n{known}---\n\nBody.\n", encoding="utf-8")
    window = open_window(qtbot, tmp_path, root)
    open_file(qtbot, window, "a.md")
    editor = window.form.editors["tags"]
    scroll = window.form.scroll_area
    editor.input.setFocus()
    for i in range(3):
        qtbot.keyClicks(editor.input, f"an-added-and-rather-long-tag-{i}")
        qtbot.keyClick(editor.input, Qt.Key.Key_Escape)  # (the completions)
        qtbot.keyClick(editor.input, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda i=i: f"an-added-and-rather-long-tag-{i}" in editor.values, timeout=3000)
        qtbot.wait(150)  # (the picker fits its chips, then the form scrolls, on the next turns)
        inside = editor.input.geometry()
        assert editor.rect().contains(inside), f"the field is cut off: {inside} in {editor.rect()}"
        top_left = editor.input.mapTo(scroll.viewport(), editor.input.rect().topLeft())
        seen = scroll.viewport().rect().contains(QRect(top_left, editor.input.size()))
        assert seen, f"the field is out of the form's sight at {top_left}"
    window.form.show_document(None, None, None)  # (as the window fixture leaves it: nothing unsaved)


def test_edit_save_undo_save_gives_the_file_back_byte_for_byte(qtbot: QtBot, tmp_path: Path) -> None:
    """Found by a new-user trial: a summary wrapped over four lines, edited, saved, undone and saved again,
    came back as one line of 500 characters."""
    root = tmp_path / "archive"
    root.mkdir()
    raw = (
        "---\ntitle: 长谈\nsummary: 这是一段很长的摘要，作者在四十个字左右换行，\n  第二行接着写，第三行也是，\n"
        "  一直写到第四行为止。\ntags: [a]\n---\n\n**[主持人]**：你好。\n"
    ).encode()
    (root / "talk.md").write_bytes(raw)
    (root / "other.md").write_text("---\ntitle: B\ntags: [a]\n---\n\nBody.\n", encoding="utf-8")
    window = open_window(qtbot, tmp_path, root)
    open_file(qtbot, window, "talk.md")
    summary = window.form.editors["summary"]
    summary.setFocus()
    qtbot.keyClick(summary, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(summary, " More")
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert (root / "talk.md").read_bytes() != raw
    window.undo_action.trigger()
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert (root / "talk.md").read_bytes() == raw
    window.form.show_document(None, None, None)


def test_ctrl_z_in_a_field_undoes_the_newest_step_not_the_fields_own_older_typing(
    qtbot: QtBot, window: MainWindow, archive: Path
) -> None:
    """Type in the title, save, tick Draft, then Ctrl+Z back in the title: Draft is undone (the newest step),
    then the title typing, and Ctrl+Shift+Z brings them back in order. (The title's own undo went back
    through its typing, already saved, as a new step that Redo could not take back: a new-user trial.)"""
    title = focus_title(qtbot, window, "english-null.md")
    typed = title.text()
    qtbot.keyClick(title, Qt.Key.Key_End)
    qtbot.keyClicks(title, " edited")
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        window.save_action.trigger()
    draft = window.form.editors["draft"]
    assert isinstance(draft, QCheckBox)
    was = draft.isChecked()
    draft.click()
    assert draft.isChecked() is not was and window.form.dirty
    title.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is title, timeout=2000)
    qtbot.keyClick(title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert draft.isChecked() is was and title.text() == typed + " edited" and not window.form.dirty
    qtbot.keyClick(title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert title.text() == typed and window.form.dirty
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(title, Qt.Key.Key_Z, redo)
    assert title.text() == typed + " edited" and not window.form.dirty
    qtbot.keyClick(title, Qt.Key.Key_Z, redo)
    assert draft.isChecked() is not was


@pytest.mark.parametrize("answer", [Button.Discard, Button.Cancel])
def test_the_selected_file_moved_away_under_unsaved_edits_asks_nothing_and_keeps_them(
    qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch, answer: Button
) -> None:
    """The row of the file on screen goes when it is moved away, and the table's current row went to the
    next file: that was taken for a switch, so "Save your changes?" popped up unasked, and Discard dropped
    the edits and opened another file (a new-user trial). Now nothing is asked; the bar says what happened."""
    asked = globals()["answer"](monkeypatch, answer)
    open_file(qtbot, window, "english-null.md")
    assert window.table.currentIndex().isValid()
    edit_author(qtbot, window)
    (archive / "english-null.md").rename(archive.parent / "moved-away.md")
    window.rescan_now()
    bar = window.form.conflict_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    qtbot.wait(50)
    assert asked == [] and bar.save_again_button.isVisible()
    assert window.form.dirty and window.current == "english-null.md" and window.form.rel == "english-null.md"
    assert window.form.editors["author"].value().endswith(" Jr.")  # type: ignore[attr-defined]


def test_the_open_file_kept_out_of_the_filter_is_not_a_target_of_the_shown_files(
    qtbot: QtBot, window: MainWindow, archive: Path
) -> None:
    """Tag the shown files after a search the open file does not match: the dialog counts and tags the files
    the search shows, not the open one (it said "The 183 files shown" beside "182 of 10,001": a trial)."""
    open_file(qtbot, window, "english-null.md")
    window.search.setFocus()
    qtbot.keyClicks(window.search, 'people:"Sam Reyes"')
    qtbot.waitUntil(lambda: window.count_label.text().endswith("(+ the open file)"), timeout=10000)
    assert window.shown_paths() == ["crlf.md"]
    window.bulk_tag_action.trigger()
    dialog = window.findChild(BulkTagDialog)
    assert isinstance(dialog, BulkTagDialog) and dialog.rels == ["crlf.md"]
    assert "The file shown" in dialog.summary.text() or "1 file" in dialog.summary.text()
    dialog.close()


def test_ctrl_z_in_a_field_with_nothing_to_undo_leaves_the_field_alone(
    qtbot: QtBot, window: MainWindow, archive: Path
) -> None:
    """With nothing in the window's history (Edit ▸ Undo off), Ctrl+Z in the title does nothing: the field's
    own undo went back through its typing as a new step (after a merge that started the history over, a
    new-user trial saw an older title edit removed)."""
    title = focus_title(qtbot, window, "english-null.md")
    qtbot.keyClick(title, Qt.Key.Key_End)
    qtbot.keyClicks(title, " edited")
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        window.save_action.trigger()
    window.form.controller.undo_stack.clear()  # (as a history that started over)
    assert not window.undo_action.isEnabled() and title.isUndoAvailable()
    qtbot.keyClick(title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert title.text().endswith(" edited") and not window.form.dirty


def test_cancel_in_the_unsaved_question_puts_the_table_back_on_the_open_file(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Down in the table with unsaved edits asks Save / Discard / Cancel; Cancel keeps the file, and the
    table's highlighted row is that file again (the row asked for stayed highlighted: a new-user trial)."""
    table = window.table
    rect = table.visualRect(window.proxy.index(0, Column.TITLE))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.form.rel is not None and "title" in window.form.editors, timeout=3000)
    first = window.form.rel
    title = window.form.editors["title"].findChild(QLineEdit) or window.form.editors["title"]
    assert isinstance(title, QLineEdit)
    title.setFocus()
    qtbot.keyClicks(title, " (edited)")
    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert asked == [f"Save your changes to {first}?"]
    qtbot.waitUntil(lambda: window.selected_paths() == [first], timeout=3000)
    assert window.form.rel == first and window.form.dirty
    current = table.currentIndex()
    assert current.isValid() and current.data(PATH_ROLE) == first
    assert window.selected_paths() == [first]
    selected = table.selectionModel().selectedRows()
    assert [i.data(PATH_ROLE) for i in selected] == [first]


def test_a_file_with_other_chips_gets_rows_that_fit_them(qtbot: QtBot, tmp_path: Path) -> None:
    """The pickers are kept from file to file: when the next file's chips wrap onto more (or fewer) lines,
    its rows grow (or shrink) to fit. The form kept a picker's old height (asked through the layouts' own
    height-for-width caches): Tags' last line and its typing field were hidden under Project and People had
    an empty line (a new-user trial on a realistic archive)."""
    from masthead.ui.chips import ChipsEditor

    def front(lists: dict[str, list[str]]) -> str:
        return "".join(f"{key}:\n" + "".join(f"  - {v}\n" for v in values) for key, values in lists.items())

    root = tmp_path / "archive"
    root.mkdir()
    a = {
        "tags": [
            "数据监平验",
            "kim-jeackmeargond",
            "LLM能者",
            "chaifon-touxflu",
            "mupour-fil",
            "lunbel-semra",
            "全人况",
        ],
        "people": ["Ziock Quiondraickgear", "Pleagrim Mul", "唐欣桂", "Liolstandtair Shipliol"],
        "companies_orgs": ["信一半导体", "Shioceajeack", "Caitirplel Foundry", "理机大集团"],
        "products_models": ["Ruckneand Pro", "Shelzuck Chat", "挑研云", "Flartjex-70B"],
        "media_books": ["《监资资在程市发》", "The Nondshu Krarroun Staixkouxcaind"],
    }
    b = {
        "tags": [
            "zoundtrem",
            "derheaflort-ai",
            "vaxgrais-policy",
            "ceasbro-policy",
            "云有边验",
            "没挑",
            "shockdind-qui",
        ],
        "project": ["片验一"],
        "people": ["Sean Rondcios", "Zuxdeack Pliortshurt", "Jiortgol Kran"],
        "companies_orgs": ["Caitranlionturtji", "Krestirt Labs", "Plorgundal Robotics", "Raixgrixgros Robotics"],
        "products_models": ["Flixzoxplux-70B", "Grearkeam Pro"],
        "media_books": ["The Pliosshourtrour Griope", "The Grertgrios Grirtrous Furju", "The Baxgain"],
    }
    (root / "a.md").write_text(f"---\ntitle: A\n{front(a)}---\n\nBody.\n", encoding="utf-8")
    (root / "b.md").write_text(f"---\ntitle: B\n{front(b)}---\n\nBody.\n", encoding="utf-8")
    window = open_window(qtbot, tmp_path, root)
    window.resize(1600, 1000)
    for name in ("a.md", "b.md", "a.md"):
        open_file(qtbot, window, name)
        qtbot.wait(200)  # (the pickers fit their chips on the next turns)
        for key, editor in window.form.editors.items():
            if isinstance(editor, ChipsEditor):
                assert editor.rect().contains(editor.input.geometry()), f"{name}: {key}'s typing field is cut off"
                assert editor.height() == editor.minimumHeight(), f"{name}: {key} is not as high as its chips"
        tops = sorted((e.mapTo(window.form, e.rect().topLeft()).y(), k, e) for k, e in window.form.editors.items())
        for (top, key, editor), (next_top, next_key, _) in itertools.pairwise(tops):
            assert top + editor.height() <= next_top, f"{name}: {key} runs under {next_key}"


def test_going_to_a_pane_hidden_with_the_view_menu_shows_it(qtbot: QtBot, window: MainWindow) -> None:
    """With View ▸ Front Matter and Preview off (kept from an earlier session), Ctrl+2 put the keyboard in a
    hidden form, and typing changed a field nobody could see (then Ctrl+S saved it). Ctrl+1, Ctrl+2 and
    Ctrl+3 show their pane first."""
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.form.rel is not None and bool(window.form.editors), timeout=3000)
    for pane in ("form", "preview", "browser"):
        window.pane_actions[pane].trigger()  # View ▸ off
    assert not window.form.isVisible() and not window.preview.isVisible() and not window.browser.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.form.isVisible() and window.pane_actions["form"].isChecked()
    focused = QApplication.focusWidget()
    assert focused is not None and focused.isVisible() and window.form.isAncestorOf(focused)
    qtbot.keyClick(focused, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.preview.isVisible() and QApplication.focusWidget() is window.preview.browser
    qtbot.keyClick(window.preview.browser, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.browser.isVisible() and window.table.hasFocus()
