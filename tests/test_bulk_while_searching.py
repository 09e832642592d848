"""From a new-user trial: while a transcript search was still being answered, the table kept the last search's
rows, and Tag Selected or Shown Files offered to tag those (9,700 files for a search that matched 3,051). Now the
count says the rows are the last search's, and the bulk dialogs wait for the result."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from tests.conftest import open_window

from masthead.ui.bulk_dialog import BulkTagDialog
from masthead.ui.main_window import MainWindow

FILES = {
    "a.md": "---\ntitle: A\ntags: [x]\n---\nThe pipeline runs.\n",
    "b.md": "---\ntitle: B\n---\n流水线 pipeline 第二\n",
    "c.md": "---\ntitle: C\n---\nOnly quality agents here.\n",
}


def _search(qtbot: QtBot, win: MainWindow, text: str) -> None:
    win.search.setFocus()
    win.search.selectAll()
    qtbot.keyClicks(win.search, text)
    qtbot.keyClick(win.search, Qt.Key.Key_Return)


def _dialogs(win: MainWindow) -> list[BulkTagDialog]:
    return [d for d in win.findChildren(BulkTagDialog) if d.isVisible()]


def _window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    """The window on FILES, once "body:pipeline" shows its two files."""
    root = tmp_path / "archive"
    root.mkdir()
    for name, text in FILES.items():
        (root / name).write_text(text)
    win: MainWindow = open_window(qtbot, tmp_path, root)
    _search(qtbot, win, "body:pipeline")
    qtbot.waitUntil(lambda: not win.browser.pending and win.browser.count_label.text() == "2 of 3", timeout=10000)
    return win


def _held_search(qtbot: QtBot, win: MainWindow, text: str) -> threading.Event:
    """Type a transcript search whose reading waits until the event returned is set (as before the
    full-text index is built: the transcripts are read), once it is being answered."""
    browser = win.browser
    release = threading.Event()
    reader = browser.body
    assert reader is not None
    browser.text_search = None
    browser.body = lambda rel: (release.wait(10), reader(rel))[1]
    _search(qtbot, win, text)
    qtbot.waitUntil(lambda: browser.pending, timeout=5000)  # (the search starts once typing pauses)
    return release


def test_bulk_tag_waits_for_a_transcript_search_still_running(
    qtbot: QtBot, tmp_path: Path, no_modal_dialogs: list[tuple[str, str]]
) -> None:
    win = _window(qtbot, tmp_path)
    win.activateWindow()
    browser = win.browser
    release = _held_search(qtbot, win, 'body:"quality agents"')
    assert browser.count_label.text() == "Searching… (shown: 2 of 3, the last search's)"
    qtbot.keyClick(win.search, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not _dialogs(win)
    assert no_modal_dialogs[-1][0] == "information" and "still the last search's" in no_modal_dialogs[-1][1]

    release.set()
    qtbot.waitUntil(lambda: not browser.pending and browser.count_label.text() == "1 of 3", timeout=10000)
    qtbot.keyClick(win.search, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    (dialog,) = _dialogs(win)
    assert dialog.rels == ["c.md"]
    dialog.close()


def test_the_table_stays_in_place_while_a_search_is_answered(qtbot: QtBot, tmp_path: Path) -> None:
    """ "Searching… (shown: N of M, the last search's)" takes two lines where the count takes one: the row
    grew, then shrank, at every search, and the table's relayout of 10,000 rows held the GUI thread 30-60 ms
    each time. The count keeps room for two lines."""
    win = _window(qtbot, tmp_path)
    win.resize(1280, 800)
    browser = win.browser
    qtbot.wait(50)
    where = browser.table.geometry()
    release = _held_search(qtbot, win, 'body:"quality agents"')
    assert browser.count_label.text().startswith("Searching…")
    assert browser.count_label.heightForWidth(browser.count_label.width()) > browser.count_label.fontMetrics().height()
    qtbot.wait(50)
    assert browser.table.geometry() == where
    release.set()
    qtbot.waitUntil(lambda: not browser.pending and browser.count_label.text() == "1 of 3", timeout=10000)
    qtbot.wait(50)
    assert browser.table.geometry() == where
