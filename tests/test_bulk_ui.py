"""Bulk operations in the window: the tag dialog, the taxonomy view, Edit > Undo/Redo, crash recovery."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from tests.conftest import copy_fixtures, interrupt_after
from tests.conftest import open_window as shared_open_window

from masthead.core import bulk
from masthead.core.document import Document
from masthead.core.operations import add
from masthead.ui.bulk_dialog import BulkTagDialog, OperationDialog, SetFieldDialog
from masthead.ui.history_dialog import HistoryDialog
from masthead.ui.main_window import MainWindow

NAMES = ["english-null.md", "indent2-cjk.md", "pyyaml-sorted-cjk.md", "crlf.md", "chunks-en.md"]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return copy_fixtures(tmp_path / "archive", NAMES)


def open_window(qtbot: QtBot, tmp_path: Path, archive: Path) -> MainWindow:
    win: MainWindow = shared_open_window(qtbot, tmp_path, archive)  # asking before bulk writes: tested below
    win.history.ask = False  # Edit > Undo of a bulk operation asks first: tested in test_undo_history.py
    qtbot.waitUntil(lambda: bool(win.vocabulary.get("tags")), timeout=5000)  # (the taxonomy fills when shown)
    return win


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, archive: Path) -> Iterator[MainWindow]:
    win = open_window(qtbot, tmp_path, archive)
    yield win
    win.form.show_document(None, None, None)


def snapshot(root: Path) -> dict[str, bytes]:
    return {n: (root / n).read_bytes() for n in NAMES}


def data(root: Path, name: str) -> dict[str, object]:
    return Document((root / name).read_bytes()).data


def type_value(qtbot: QtBot, picker: object, text: str) -> None:
    """Type into a chips picker and choose the completion that adds ``text`` (or creates it)."""
    entry = picker.input  # type: ignore[attr-defined]
    qtbot.keyClicks(entry, text)
    popup = picker.completer.popup()  # type: ignore[attr-defined]
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    entries = picker._model.stringList()  # type: ignore[attr-defined]
    chosen = next(e for e in entries if e.startswith(f"{text}  (") or e == f"Create “{text}”")
    picker.completer.activated.emit(chosen)  # type: ignore[attr-defined]


def select_rows(window: MainWindow, names: list[str]) -> None:
    window.table.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for name in names:
        row = window.model.row_of(name)
        assert row is not None
        window.table.selectionModel().select(window.proxy.mapFromSource(window.model.index(row, 0)), flags)


def apply_and_wait(qtbot: QtBot, dialog: OperationDialog) -> None:
    qtbot.waitUntil(dialog.apply_button.isEnabled, timeout=10000)
    with qtbot.waitSignal(dialog.applied, timeout=10000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)


def test_bulk_tag_dialog_previews_diffs_applies_and_undoes(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    before = snapshot(archive)
    select_rows(window, ["english-null.md", "crlf.md"])
    window.bulk_tag_action.trigger()
    dialog = window.findChild(BulkTagDialog)
    assert isinstance(dialog, BulkTagDialog) and dialog.isVisible()
    assert set(dialog.rels) == {"english-null.md", "crlf.md"}
    type_value(qtbot, dialog.add_picker, "weekly-digest")
    assert dialog.add_picker.values == ["weekly-digest"]
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    assert dialog.files.count() == 2 and "2 files will change" in dialog.summary.text()
    dialog.files.setCurrentRow(0)
    assert "+" in dialog.diff.toPlainText() and "weekly-digest" in dialog.diff.toPlainText()
    assert snapshot(archive) == before  # previewing writes nothing
    apply_and_wait(qtbot, dialog)
    dialog.files.setCurrentRow(0)  # the report still shows each file's diff
    assert dialog.files.currentItem().text().startswith("✓ ") and "+" in dialog.diff.toPlainText()
    assert "weekly-digest" in dialog.diff.toPlainText()
    assert data(archive, "english-null.md")["tags"][-1] == "weekly-digest"  # type: ignore[index]
    assert data(archive, "crlf.md")["tags"][-1] == "weekly-digest"  # type: ignore[index]
    assert snapshot(archive)["chunks-en.md"] == before["chunks-en.md"]
    assert "weekly-digest" in window.undo_action.text()
    qtbot.waitUntil(lambda: "weekly-digest" in window.vocabulary.get("tags", {}), timeout=5000)
    assert dialog.close_button.isDefault() and dialog.close_button.text() == "Done"  # (a new-user trial)
    qtbot.keyClick(dialog.diff, Qt.Key.Key_Return)  # Enter, wherever one is in the dialog: done
    assert not dialog.isVisible()
    window.undo_action.trigger()  # Edit > Undo reaches the bulk operation
    qtbot.waitUntil(lambda: snapshot(archive) == before, timeout=10000)
    qtbot.waitUntil(lambda: window.redo_action.isEnabled(), timeout=5000)
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: b"weekly-digest" in (archive / "crlf.md").read_bytes(), timeout=10000)


def test_add_and_remove_in_one_step_on_the_shown_files(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    published = (archive / "crlf.md").read_bytes()
    window.show_query("draft:true")
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 3, timeout=5000)
    dialog = window.bulk_tag()
    assert dialog is not None and len(dialog.rels) == 3
    type_value(qtbot, dialog.remove_picker, "streaming")
    type_value(qtbot, dialog.add_picker, "live&q")
    dialog.preview()
    apply_and_wait(qtbot, dialog)
    for name in ("english-null.md", "chunks-en.md"):
        tags = data(archive, name)["tags"]
        assert "live&q" in tags and "streaming" not in tags  # type: ignore[operator]
    assert (archive / "crlf.md").read_bytes() == published  # not shown: untouched
    # Edit ▸ Undo names it without quotes around quotes (“replace “a” with “b””), and shows the & itself
    assert window.undo_action.text() == "&Undo replace “streaming” with “live&&q” in tags (3 files)"


def test_a_file_with_unsaved_edits_is_skipped_and_listed_and_the_others_are_written(
    qtbot: QtBot, window: MainWindow, archive: Path
) -> None:
    assert window.select_path("crlf.md")
    qtbot.waitUntil(lambda: window.form.rel == "crlf.md", timeout=3000)
    editor = window.form.editors["title"]
    title = editor if isinstance(editor, QLineEdit) else editor.findChild(QLineEdit)
    assert isinstance(title, QLineEdit)
    qtbot.keyClicks(title, " edited")
    assert window.form.dirty
    before = snapshot(archive)
    select_rows(window, ["english-null.md", "crlf.md"])
    dialog = window.bulk_tag()
    assert dialog is not None
    type_value(qtbot, dialog.add_picker, "weekly-digest")
    dialog.preview()
    qtbot.waitUntil(dialog.apply_button.isEnabled, timeout=10000)
    previewed = [dialog.files.item(i).text() for i in range(dialog.files.count())]
    assert previewed == ["english-null.md", "⚠ crlf.md"] and "1 file will change" in dialog.summary.text()
    assert dialog.files.item(1).toolTip() == "has unsaved edits in the window"  # said before Apply
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10000)
    assert "1 changed" in dialog.summary.text() and "1 skipped" in dialog.summary.text()
    listed = [dialog.files.item(i).text() for i in range(dialog.files.count())]
    assert "⚠ crlf.md: has unsaved edits in the window" in listed and "✓ english-null.md" in listed
    after = snapshot(archive)
    assert after["crlf.md"] == before["crlf.md"] and "weekly-digest" in after["english-null.md"].decode()
    assert window.form.dirty and " edited" in title.text()  # the edit in the window is still there


def test_taxonomy_shows_counts_and_near_duplicates(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    (archive / "dup.md").write_text("---\ntitle: Dup\ntags:\n- Streaming\n---\nBody\n", encoding="utf-8")
    window.rescan_now()
    qtbot.waitUntil(lambda: "Streaming" in window.vocabulary.get("tags", {}), timeout=5000)
    window.taxonomy_action.trigger()
    panel = window.taxonomy
    assert window.taxonomy_dock.isVisible()
    panel.filter.setText("northwind")
    rows = {(panel.proxy.index(r, 0).data(), panel.proxy.index(r, 1).data()) for r in range(panel.proxy.rowCount())}
    assert ("Northwind Labs", "companies_orgs") in rows
    panel.filter.clear()
    panel.near_only.setChecked(True)
    near = {panel.proxy.index(r, 0).data(): panel.proxy.index(r, 3).data() for r in range(panel.proxy.rowCount())}
    assert near == {"Streaming": "⚠ streaming", "streaming": "⚠ Streaming"}
    assert "1 near-duplicate group" in panel.status.text()
    window.taxonomy.grab().save(str(Path(window.index.root).parent / "taxonomy.png"))  # type: ignore[union-attr]


def test_taxonomy_rename_previews_then_applies_and_undoes(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    before = snapshot(archive)
    window.taxonomy_action.trigger()
    panel = window.taxonomy
    assert panel.select_value("companies_orgs", "Northwind Labs")
    qtbot.mouseClick(panel.rename_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(OperationDialog, "bulkDialog")
    assert dialog is not None
    new_name = dialog.findChild(object, "taxonomyNewName")
    new_name.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(new_name, "Northwind")
    qtbot.keyClick(new_name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    assert dialog.files.count() == 2 and snapshot(archive) == before
    assert '-  - "Northwind Labs"' in dialog.diff.toPlainText() or "-- Northwind Labs" in dialog.diff.toPlainText()
    with qtbot.waitSignal(dialog.applied, timeout=10000):  # Enter again: the change previewed (a new-user trial)
        qtbot.keyClick(new_name, Qt.Key.Key_Return)
    assert data(archive, "chunks-en.md")["companies_orgs"] == ["Northwind"]
    qtbot.waitUntil(lambda: panel.select_value("companies_orgs", "Northwind"), timeout=5000)
    assert not panel.select_value("companies_orgs", "Northwind Labs")
    dialog.close()
    # the same in every list field: "streaming" is a tag; nothing else uses it, so the same files
    assert panel.select_value("tags", "streaming")
    everywhere_dialog = panel.rename_selected()
    everywhere = everywhere_dialog.findChild(QCheckBox, "taxonomyEverywhere")
    everywhere_dialog.findChild(QLineEdit, "taxonomyNewName").setText("live")
    everywhere.setChecked(True)
    qtbot.waitUntil(lambda: everywhere_dialog.plan is not None, timeout=10000)
    assert "in every list field" in everywhere_dialog.summary.text()
    assert set(everywhere_dialog.rels) == {n for n in NAMES if "streaming" in (data(archive, n).get("tags") or [])}
    everywhere_dialog.close()
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: snapshot(archive) == before, timeout=10000)


def test_taxonomy_merge_and_delete_and_show_files(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    window.taxonomy_action.trigger()
    panel = window.taxonomy
    assert panel.select_value("tags", "streaming") and panel.select_value("tags", "scheduling", extend=True)
    assert panel.merge_button.isEnabled() and not panel.rename_button.isEnabled()
    dialog = panel.merge_selected()
    assert isinstance(dialog, OperationDialog)
    survivor = dialog.findChild(object, "taxonomySurvivor")
    survivor.setCurrentIndex(survivor.findData("streaming"))  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: dialog.plan is not None and "merge" in dialog.summary.text().lower(), timeout=10000)
    apply_and_wait(qtbot, dialog)
    assert data(archive, "chunks-en.md")["tags"] == ["streaming"]
    dialog.close()
    qtbot.waitUntil(lambda: panel.select_value("tags", "streaming"), timeout=5000)
    qtbot.waitUntil(lambda: not panel.select_value("tags", "scheduling"), timeout=5000)
    panel.select_value("tags", "streaming")
    qtbot.mouseClick(panel.show_button, Qt.MouseButton.LeftButton)
    assert window.search.text() == "tags:streaming"
    qtbot.waitUntil(lambda: 0 < window.proxy.rowCount() < len(NAMES), timeout=5000)
    panel.select_value("tags", "streaming")
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    delete_dialog = [d for d in window.findChildren(OperationDialog) if d.isVisible()][-1]
    apply_and_wait(qtbot, delete_dialog)
    assert all("streaming" not in (data(archive, n).get("tags") or []) for n in NAMES)  # type: ignore[operator]
    assert window.undo_action.text().startswith("&Undo delete “streaming” from tags (")


def test_interrupted_operation_is_offered_at_start(
    qtbot: QtBot, tmp_path: Path, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = interrupt_after(archive, NAMES, 2)
    window = open_window(qtbot, tmp_path, archive)
    qtbot.waitUntil(lambda: window.recovery_box is not None and window.recovery_box.isVisible(), timeout=5000)
    box = window.recovery_box
    assert isinstance(box, QMessageBox) and "add “weekly” to tags" in box.text()
    complete = box.findChild(object, "recoveryComplete")
    qtbot.mouseClick(complete, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: snapshot(archive) == expected, timeout=10000)
    qtbot.waitUntil(lambda: bulk.unfinished(archive) == [], timeout=5000)
    qtbot.waitUntil(lambda: window.undo_action.isEnabled(), timeout=5000)
    window.form.show_document(None, None, None)


def test_roll_back_from_the_recovery_prompt(qtbot: QtBot, tmp_path: Path, archive: Path) -> None:
    before = snapshot(archive)
    interrupt_after(archive, NAMES, 3)
    window = open_window(qtbot, tmp_path, archive)
    qtbot.waitUntil(lambda: window.recovery_box is not None and window.recovery_box.isVisible(), timeout=5000)
    assert window.recovery_box is not None
    qtbot.mouseClick(window.recovery_box.findChild(object, "recoveryRollBack"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: snapshot(archive) == before, timeout=10000)
    window.form.show_document(None, None, None)


def test_cancel_stops_a_long_run_and_what_was_written_is_undoable(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from tests.support.archive import make_archive

    from masthead.core import storage

    root = tmp_path / "big"
    make_archive(root, 120)
    files = sorted(root.rglob("*.md"))
    before = {p: p.read_bytes() for p in files}
    real = storage.write_atomic

    def slow(path: Path, data: bytes, expected: object, folders: Any = None, tail: int = 0) -> object:
        time.sleep(0.02)  # a slow disk: long enough to press Cancel
        return real(path, data, expected, folders, tail)  # type: ignore[arg-type]

    monkeypatch.setattr(storage, "write_atomic", slow)
    window = open_window(qtbot, tmp_path, root)
    window.table.selectAll()
    dialog = window.bulk_tag()
    assert dialog is not None
    type_value(qtbot, dialog.add_picker, "cancel-me")
    dialog.preview()
    qtbot.waitUntil(dialog.apply_button.isEnabled, timeout=20000)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress.value() >= 5, timeout=20000)
    assert dialog.cancel_button.isVisible()
    with qtbot.waitSignal(dialog.applied, timeout=20000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    report = dialog.report
    assert report is not None and 0 < len(report.changed) < len(dialog.plan.changes if dialog.plan else files)
    assert {reason for _, reason in report.skipped} >= {"cancelled"}
    written = sum(1 for p in files if p.read_bytes() != before[p])
    assert written == len(report.changed)
    dialog.close()
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: all(p.read_bytes() == before[p] for p in files), timeout=20000)
    window.form.show_document(None, None, None)


def test_confirmation_before_writing_when_the_preference_asks_for_it(
    qtbot: QtBot,
    window: MainWindow,
    archive: Path,
    no_modal_dialogs: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = snapshot(archive)
    window.prefs.confirm_bulk = True
    select_rows(window, ["english-null.md", "crlf.md"])
    dialog = window.bulk_tag()
    assert dialog is not None and dialog.confirm
    type_value(qtbot, dialog.add_picker, "weekly-digest")
    dialog.preview()
    qtbot.waitUntil(dialog.apply_button.isEnabled, timeout=10000)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)  # answered Cancel
    assert no_modal_dialogs[-1][0] == "question" and "2 files?" in no_modal_dialogs[-1][1]
    assert snapshot(archive) == before and dialog.apply_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.applied, timeout=10000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert snapshot(archive) != before


def test_set_a_field_then_clear_it_in_the_selected_files(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    before = snapshot(archive)
    select_rows(window, ["english-null.md", "indent2-cjk.md"])
    window.set_field_action.trigger()
    dialog = window.findChild(SetFieldDialog)
    assert isinstance(dialog, SetFieldDialog) and set(dialog.rels) == {"english-null.md", "indent2-cjk.md"}
    dialog.field.setCurrentText("series")
    dialog.value.lineEdit().clear()
    qtbot.keyClicks(dialog.value.lineEdit(), "Weekly Talks")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    assert dialog.summary.text().startswith("Set series to “Weekly Talks”: 2 files will change")
    assert "+series:" in dialog.diff.toPlainText() or "-series:" in dialog.diff.toPlainText()
    apply_and_wait(qtbot, dialog)
    for name in ("english-null.md", "indent2-cjk.md"):
        assert data(archive, name)["series"] == "Weekly Talks"
    assert snapshot(archive)["crlf.md"] == before["crlf.md"]
    dialog.close()
    select_rows(window, ["english-null.md", "indent2-cjk.md"])
    clearing = window.bulk_set_field()
    assert clearing is not None
    clearing.field.setCurrentText("series")
    clearing.clear.setChecked(True)
    assert not clearing.value.isEnabled()
    clearing.preview()
    apply_and_wait(qtbot, clearing)
    assert all("series" not in data(archive, n) for n in ("english-null.md", "indent2-cjk.md"))
    clearing.close()
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: data(archive, "english-null.md").get("series") == "Weekly Talks", timeout=10000)


def test_changing_the_inputs_while_checking_checks_again_with_the_new_ones(qtbot: QtBot, window: MainWindow) -> None:
    window.taxonomy_action.trigger()
    assert window.taxonomy.select_value("companies_orgs", "Northwind Labs")
    dialog = window.taxonomy.rename_selected()
    new_name = dialog.findChild(QLineEdit, "taxonomyNewName")
    new_name.setText("First")
    dialog.preview()
    assert dialog.busy  # still checking (off the GUI thread) when the editor types on
    new_name.setText("Second")
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.plan is not None and not dialog.busy, timeout=10000)
    assert "“Second”" in dialog.plan.description and "“Second”" in dialog.summary.text()
    assert "Second" in dialog.diff.toPlainText() and "First" not in dialog.diff.toPlainText()
    assert dialog.apply_button.isEnabled()
    qtbot.keyClicks(new_name, "!")  # typing on: the plan shown is no longer what the field says
    assert dialog.plan is None and not dialog.apply_button.isEnabled()
    dialog.close()


def test_history_undoes_and_redoes_an_operation_made_on_the_command_line(
    qtbot: QtBot, tmp_path: Path, archive: Path
) -> None:
    before = snapshot(archive)
    bulk.apply(bulk.plan(archive, NAMES, add("tags", ["from-the-cli"])))
    after = snapshot(archive)
    window = open_window(qtbot, tmp_path, archive)
    assert not window.undo_action.isEnabled()  # Edit > Undo is for this session's operations
    window.history_action.trigger()
    dialog = window.findChild(HistoryDialog)
    assert isinstance(dialog, HistoryDialog) and dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "add “from-the-cli” to tags" and dialog.table.item(0, 3).text() == "done"
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.item(0, 3).text() == "undone", timeout=10000)
    assert snapshot(archive) == before
    assert window.redo_action.isEnabled()  # and now Edit > Redo can bring it back too
    qtbot.mouseClick(dialog.redo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.item(0, 3).text() == "done", timeout=10000)
    assert snapshot(archive) == after
    dialog.close()
    window.form.show_document(None, None, None)


def test_history_asks_before_an_undo_and_keeps_the_operation_selected(
    qtbot: QtBot, tmp_path: Path, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Undo in the History dialog asks first, as Edit ▸ Undo does, naming how many files; afterwards the
    operation undone is still the one selected (it rewrote 182 files unasked, then selected the newest
    operation, so a second click undid another one: a new-user trial)."""
    before = snapshot(archive)
    bulk.apply(bulk.plan(archive, NAMES[:2], add("tags", ["older"])))
    tagged = snapshot(archive)
    bulk.apply(bulk.plan(archive, NAMES[2:], add("tags", ["newer"])))
    window = shared_open_window(qtbot, tmp_path, archive)  # (asking first, as a user's window does)
    assert window.history.ask
    window.history_action.trigger()
    dialog = window.findChild(HistoryDialog)
    assert isinstance(dialog, HistoryDialog) and dialog.table.rowCount() == 2
    dialog.table.selectRow(1)
    asked: list[str] = []
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answers.pop(0))
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert asked == ["Undo add “older” to tags? This rewrites 2 files."]  # (no file on screen: none named)
    qtbot.wait(100)
    assert snapshot(archive)["english-null.md"] == tagged["english-null.md"]  # Cancel: nothing rewritten
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.item(1, 3).text() == "undone", timeout=10000)
    assert dialog.selected() is not None and dialog.selected()["description"] == "add “older” to tags"  # type: ignore[index]
    assert dialog.table.item(0, 3).text() == "done" and not dialog.undo_button.isEnabled()
    assert {n: snapshot(archive)[n] for n in NAMES[:2]} == {n: before[n] for n in NAMES[:2]}
    assert window.select_path(NAMES[3])  # a file on screen: the question says it is not only about that one
    qtbot.waitUntil(lambda: window.form.rel == NAMES[3], timeout=5000)
    answers.append(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(dialog.redo_button, Qt.MouseButton.LeftButton)
    assert asked[-1] == "Redo add “older” to tags? This rewrites 2 files (not only the file on screen)."
    dialog.close()
    window.form.show_document(None, None, None)


def test_history_completes_an_interrupted_operation(qtbot: QtBot, tmp_path: Path, archive: Path) -> None:
    expected = interrupt_after(archive, NAMES, 2)
    window = open_window(qtbot, tmp_path, archive)
    qtbot.waitUntil(lambda: window.recovery_box is not None and window.recovery_box.isVisible(), timeout=5000)
    assert window.recovery_box is not None
    qtbot.mouseClick(window.recovery_box.findChild(QPushButton, "recoveryLater"), Qt.MouseButton.LeftButton)
    dialog = window.show_history()
    assert dialog is not None and dialog.table.item(0, 3).text() == "interrupted"
    assert dialog.redo_button.text() == "&Complete" and dialog.undo_button.text() == "&Roll Back"
    qtbot.mouseClick(dialog.redo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.item(0, 3).text() == "done", timeout=10000)
    assert snapshot(archive) == expected
    dialog.close()
    window.form.show_document(None, None, None)


def test_a_near_duplicate_pair_is_merged_in_two_steps(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    (archive / "dup.md").write_text("---\ntitle: Dup\ntags:\n- Streaming\n- extra\n---\nBody\n", encoding="utf-8")
    window.rescan_now()
    qtbot.waitUntil(lambda: "Streaming" in window.vocabulary.get("tags", {}), timeout=5000)
    window.taxonomy_action.trigger()  # the taxonomy fills when shown
    panel = window.taxonomy
    qtbot.waitUntil(lambda: panel.select_value("tags", "Streaming"), timeout=5000)
    assert panel.select_near_duplicates() == 2 and panel.merge_button.isEnabled()
    dialog = panel.merge_selected()
    assert isinstance(dialog, OperationDialog)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    assert dialog.plan.description == "merge “Streaming” into “streaming” in tags"  # the most used survives
    apply_and_wait(qtbot, dialog)
    assert data(archive, "dup.md")["tags"] == ["streaming", "extra"]
    dialog.close()


def test_enter_in_a_picker_never_applies_the_previewed_plan(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    before = snapshot(archive)
    select_rows(window, ["english-null.md", "crlf.md"])
    dialog = window.bulk_tag()
    assert dialog is not None
    type_value(qtbot, dialog.add_picker, "weekly-digest")
    dialog.preview()
    qtbot.waitUntil(dialog.apply_button.isEnabled, timeout=10000)
    dialog.add_picker.input.setFocus()
    qtbot.keyClicks(dialog.add_picker.input, "streaming")
    qtbot.keyClick(dialog.add_picker.input, Qt.Key.Key_Return)  # adds a known value; must not press Apply
    qtbot.wait(200)
    assert dialog.add_picker.values == ["weekly-digest", "streaming"]
    assert dialog.report is None and not dialog.apply_button.isEnabled() and snapshot(archive) == before
    dialog.close()


def test_closing_the_window_waits_for_a_bulk_operation_to_finish(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from tests.support.archive import make_archive

    from masthead.core import storage

    root = tmp_path / "big"
    make_archive(root, 60)
    real = storage.write_atomic

    def slow(path: Path, data: bytes, expected: object, folders: Any = None, tail: int = 0) -> object:
        time.sleep(0.02)
        return real(path, data, expected, folders, tail)  # type: ignore[arg-type]

    monkeypatch.setattr(storage, "write_atomic", slow)
    window = open_window(qtbot, tmp_path, root)
    window.table.selectAll()
    dialog = window.bulk_tag()
    assert dialog is not None
    dialog.add_picker.edited.emit(["closing-time"])
    dialog.preview()
    qtbot.waitUntil(dialog.apply_button.isEnabled, timeout=20000)
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: dialog.progress.value() >= 3, timeout=20000)
    window.close()
    assert window.isVisible() and "Finishing the bulk operation" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20000)
    assert dialog.report is not None and not dialog.report.failed and not dialog.report.skipped
    assert all(b"closing-time" in p.read_bytes() for p in root.rglob("*.md") if b"---" in p.read_bytes()[:4])


def test_ctrl_shift_y_shows_the_taxonomy_with_the_keyboard_in_its_filter(qtbot: QtBot, window: MainWindow) -> None:
    """Found by a new-user trial: the shortcut showed the panel but the keyboard stayed where it was."""
    window.search.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.taxonomy_dock.isVisible() and window.focusWidget() is window.taxonomy.filter
    qtbot.keyClicks(window.taxonomy.filter, "northwind")
    assert window.taxonomy.filter.text() == "northwind"
