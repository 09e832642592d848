"""View ▸ Grid driven through the widgets: pick field columns, type into a cell, paste a 3x2 block from the
clipboard, fill down, Ctrl+S as one bulk operation (only those lines change), then Edit ▸ Undo; a saved
view round-trips through masthead.yaml and the Views picker, and the shown rows export as CSV."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot
from tests.conftest import open_window

from masthead.core.views import load_views
from masthead.ui.main_window import MainWindow
from masthead.ui.operation_dialog import OperationDialog

FILES = {
    "a.md": "---\ntitle: 第一集\ndate: 2025-04-01\nspeaker: Old Host  # who\n---\n\nBody\n",
    "b.md": "---\r\ntitle: Second\r\ndate: 2025-03-01\r\npeople: [X]\r\n---\r\nBody\r\n",
    "c.md": "---\ntitle: 第三集\ndate: 2025-02-01\npeople:\n    - Y\n    - Z\n---\n",
    "d.md": "---\ntitle: Fourth\ndate: 2025-01-01\n---\nBody",
}


def _archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    root.mkdir()
    for name, text in FILES.items():
        (root / name).write_bytes(text.encode())
    return root


def _choose_columns(qtbot: QtBot, win: MainWindow, names: list[str]) -> None:
    win.acts["gridColumns"].trigger()
    dialog = win.findChild(QDialog, "gridColumnsDialog")
    fields = dialog.findChild(QListWidget, "gridColumnsList")
    for row in range(fields.count()):
        if fields.item(row).text() in names:
            fields.setCurrentRow(row)
            qtbot.keyClick(fields, Qt.Key.Key_Space)
    qtbot.keyClick(fields, Qt.Key.Key_Return)
    assert sorted(win.model.fields) == sorted(names)


def test_grid_type_paste_fill_down_save_and_undo(qtbot: QtBot, tmp_path: Path) -> None:
    root = _archive(tmp_path)
    win: MainWindow = open_window(qtbot, tmp_path, root)
    win.history.ask = False
    win.activateWindow()
    win.acts["gridMode"].trigger()
    assert win.grid.editing
    _choose_columns(qtbot, win, ["people", "speaker"])  # shown in the schema's order: speaker, people
    table, proxy, model = win.table, win.proxy, win.model
    speaker, people = model.column_of("speaker"), model.column_of("people")
    assert speaker is not None and people is not None
    assert [proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 3) for r in range(4)] == ["a.md", "b.md", "c.md", "d.md"]

    # type into the title cell of the first row: F2, the text, Enter (which moves down a row)
    table.setFocus()
    table.setCurrentIndex(proxy.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.findChild(QLineEdit, "gridCellEditor")
    editor.selectAll()
    qtbot.keyClicks(editor, "First")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert table.currentIndex().row() == 1
    assert proxy.index(0, 0).data() == "● First"

    # a 3x2 block pasted from the second row's speaker cell: speaker and people (the next column) of b, c, d
    QApplication.clipboard().setText("S1\tP1, P2\nS2\tQ1\nS3\tR1\n")
    table.setCurrentIndex(proxy.index(1, speaker))
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert win.grid.count == 7

    # fill down: b's people into c and d
    table.selectionModel().clearSelection()
    table.setCurrentIndex(proxy.index(1, people))
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert proxy.index(3, people).data() == "● P1, P2"
    assert win.save_action.isEnabled()

    qtbot.keyClick(table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    (dialog,) = [d for d in win.findChildren(OperationDialog) if d.isVisible()]
    dialog.confirm = False
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    assert dialog.plan is not None and len(dialog.plan.changes) == 4, dialog.plan.skipped
    with qtbot.waitSignal(dialog.applied, timeout=10000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    dialog.close()
    assert win.grid.count == 0
    read = {name: (root / name).read_bytes().decode() for name in FILES}
    assert read["a.md"] == FILES["a.md"].replace("第一集", "First")
    assert read["b.md"] == FILES["b.md"].replace("[X]", "[P1, P2]").replace("---\r\nBody", "speaker: S1\r\n---\r\nBody")
    assert read["c.md"] == FILES["c.md"].replace("    - Y\n    - Z\n", "    - P1\n    - P2\nspeaker: S2\n")
    assert read["d.md"] == FILES["d.md"].replace("---\nBody", "speaker: S3\npeople:\n  - P1\n  - P2\n---\nBody")

    qtbot.waitUntil(win.undo_action.isEnabled, timeout=5000)
    win.undo_action.trigger()
    for name, text in FILES.items():
        qtbot.waitUntil(lambda n=name, t=text: (root / n).read_bytes() == t.encode(), timeout=10000)


def test_saved_view_round_trips_and_exports(qtbot: QtBot, tmp_path: Path) -> None:
    root = _archive(tmp_path)
    (root / "masthead.yaml").write_bytes(b"# settings\ngit:\n  commit_on_publish: false  # keep\n")
    win: MainWindow = open_window(qtbot, tmp_path, root)
    win.activateWindow()
    _choose_columns(qtbot, win, ["speaker"])
    win.browser.show_query("date>=2025-02")
    win.acts["saveView"].trigger()
    ask = win.findChild(QInputDialog, "saveViewDialog")
    ask.setTextValue("Recent")
    ask.accept()
    text = (root / "masthead.yaml").read_text()
    assert text.startswith("# settings\ngit:\n  commit_on_publish: false  # keep\nviews:\n  Recent:\n")
    (view,) = load_views(root)
    assert view.query == "date>=2025-02" and "speaker" in view.columns and view.sort == "date" and view.descending

    picker = win.findChild(QComboBox, "viewPicker")
    qtbot.waitUntil(lambda: picker.findText("Recent (3)") >= 0, timeout=5000)  # counted off the GUI thread
    win.browser.show_query("")
    win.grid.set_fields([])
    picker.setFocus()
    picker.setCurrentIndex(picker.findData(""))
    assert not win.acts["deleteView"].isEnabled()  # no saved view chosen: nothing to delete (trial)
    picker.setCurrentIndex(picker.findData("Recent"))
    picker.activated.emit(picker.currentIndex())
    assert win.search.text() == "date>=2025-02" and win.model.fields == ["speaker"]
    assert win.acts["deleteView"].isEnabled()
    qtbot.waitUntil(lambda: win.proxy.rowCount() == 3, timeout=5000)

    out = tmp_path / "view.csv"
    win.acts["exportCsv"].trigger()  # File ▸ Export View as CSV…
    ask = win.findChild(QFileDialog, "exportCsvDialog")
    ask.selectFile(str(out))
    ask.accept()
    qtbot.waitUntil(out.exists, timeout=5000)
    lines = out.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("path,title,date") and lines[0].endswith(",speaker")
    assert [line.split(",")[0] for line in lines[1:]] == ["a.md", "b.md", "c.md"]


def test_typing_into_a_multi_row_selection_and_column_summary(
    qtbot: QtBot, tmp_path: Path, no_modal_dialogs: list[tuple[str, str]]
) -> None:
    root = _archive(tmp_path)
    win: MainWindow = open_window(qtbot, tmp_path, root)
    win.activateWindow()
    win.acts["gridMode"].trigger()
    _choose_columns(qtbot, win, ["speaker"])
    table, proxy = win.table, win.proxy
    speaker = win.model.column_of("speaker")
    assert speaker is not None
    table.setFocus()
    table.setCurrentIndex(proxy.index(1, speaker))
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.findChild(QLineEdit, "gridCellEditor")
    qtbot.keyClicks(editor, "Guest")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # Tab commits too, and moves across
    assert [proxy.index(r, speaker).data() for r in range(4)] == ["Old Host", "● Guest", "● Guest", "● Guest"]
    assert win.grid.summary(speaker)[0] == 3  # three files have no speaker on disk yet
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the grid's own undo first
    assert [proxy.index(r, speaker).data() for r in range(1, 4)] == ["", "", ""] and win.grid.count == 0
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert win.grid.count == 3

    header = table.horizontalHeader()
    win.column_menu(header.rect().topLeft() + header.sectionViewportPosition(speaker) * QPoint(1, 0) + QPoint(5, 5))
    menu = win.findChild(QMenu, "columnMenu")
    (show,) = [m for m in menu.findChildren(QMenu) if m.objectName() == "columnValues"]
    (only,) = show.actions()
    assert only.text() == "Old Host (1)"
    only.trigger()
    menu.close()
    assert win.search.text() == 'speaker:"Old Host"'
    qtbot.waitUntil(lambda: proxy.rowCount() == 1, timeout=5000)

    win.close()  # asked (and answered Cancel by the no_modal_dialogs fixture): nothing is lost
    assert no_modal_dialogs[-1] == (
        "question",
        "3 grid cells are not saved. Discard them? (Cancel, then Ctrl+S, saves them.)",
    )
    assert win.isVisible() and win.grid.count == 3
    win.grid.discard()


def test_leaving_an_editor_unchanged_sets_nothing_and_skipped_cells_stay(qtbot: QtBot, tmp_path: Path) -> None:
    root = _archive(tmp_path)
    win: MainWindow = open_window(qtbot, tmp_path, root)
    win.history.ask = False
    win.activateWindow()
    win.acts["gridMode"].trigger()
    _choose_columns(qtbot, win, ["draft"])
    table, proxy = win.table, win.proxy
    draft = win.model.column_of("draft")
    assert draft is not None
    table.setFocus()
    table.setCurrentIndex(proxy.index(0, draft))
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(table, Qt.Key.Key_F2)  # a true/false editor on files without draft: opened, then left
    editor = table.findChild(QComboBox, "gridCellChoice")
    assert editor.currentText() == ""
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert win.grid.count == 0

    date = win.model.column_of("date")
    assert date is not None
    table.setCurrentIndex(proxy.index(0, date))
    qtbot.keyClick(table, Qt.Key.Key_F2)  # the form's date editor, on a.md's 2025-04-01
    dates = table.findChild(QWidget, "gridCellDate")
    qtbot.keyClick(dates, Qt.Key.Key_Tab)  # left unchanged: nothing
    assert win.grid.count == 0
    table.setCurrentIndex(proxy.index(0, date))  # (Tab moved on a column)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    (dates,) = [w for w in table.findChildren(QWidget, "gridCellDate") if w.isVisible()]
    qtbot.keyClick(dates, Qt.Key.Key_Up)  # the year section: 2026
    qtbot.keyClick(dates, Qt.Key.Key_Return)
    assert win.grid.pending("a.md", "date") == "2026-04-01"
    win.grid.discard()

    win.grid.set_cells([("a.md", "draft", "maybe"), ("b.md", "title", "B!")])
    dialog = win.grid.save()
    assert dialog is not None
    dialog.confirm = False
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    assert [rel for rel, _ in dialog.plan.skipped] == ["a.md"]
    with qtbot.waitSignal(dialog.applied, timeout=10000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    dialog.close()
    assert "title: B!" in (root / "b.md").read_text()
    assert win.grid.count == 1 and win.grid.pending("a.md", "draft") == "maybe"  # not lost: still unsaved
    assert (root / "a.md").read_bytes() == FILES["a.md"].encode()
    win.grid.discard()
