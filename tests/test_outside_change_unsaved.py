"""From a new-user trial: another program changed the open file while it had unsaved edits, and nothing said so
until Ctrl+S met the conflict. The conflict bar now shows at once (the edits stay, nothing is written)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from tests.conftest import open_window
from tests.test_form import line_edit, open_file

from masthead.ui.main_window import MainWindow

TEXT = "---\ntitle: 芯片访谈\nauthor: A\nspeaker: Host\ntags: [x]\n---\n\n### 开场\n\n**[Host]**: 你好\n"


def test_an_outside_change_under_unsaved_edits_shows_the_bar_at_once(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "f.md").write_text(TEXT)
    win: MainWindow = open_window(qtbot, tmp_path, root)
    open_file(qtbot, win, "f.md")
    author = line_edit(win, "author")
    author.setFocus()
    author.end(False)
    qtbot.keyClicks(author, "B")
    assert win.form.dirty
    theirs = TEXT.replace("speaker: Host", "speaker: Third")
    (root / "f.md").write_text(theirs)
    bar = win.form.conflict_bar
    qtbot.waitUntil(bar.isVisible, timeout=10000)
    assert "changed by another program since you opened it" in bar.label.text()
    assert (root / "f.md").read_text() == theirs and win.form.dirty and author.text() == "AB"
    with qtbot.waitSignal(win.form.saved, timeout=5000):
        qtbot.mouseClick(bar.merge_button, Qt.MouseButton.LeftButton)
    assert (root / "f.md").read_text() == theirs.replace("author: A\n", "author: AB\n")
    assert not bar.isVisible()
