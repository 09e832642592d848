"""Without git installed the window works as ever and says why its git features are absent (this runs on
machines without git too)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from tests.conftest import copy_fixtures

from masthead.ui.main_window import MainWindow
from masthead.ui.models import Column


def test_without_git_the_window_says_why(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_fixtures(tmp_path / "archive", ["english-null.md", "indent2-cjk.md"])
    (root / ".git").mkdir()  # looks like a repository, but there is no git to ask
    monkeypatch.setenv("MASTHEAD_GIT", str(tmp_path / "no" / "git"))
    win = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.archive_loaded, timeout=20000):
        win.open_archive(root)
    qtbot.waitUntil(lambda: "git is not installed" in win.acts["gitCommit"].toolTip(), timeout=5000)
    assert not any(win.acts[n].isEnabled() for n in ("gitCommit", "gitPull", "gitPush", "gitFileHistory"))
    assert win.table.isColumnHidden(Column.GIT) and win.git_label.text() == ""
    assert win.select_path("english-null.md")
    qtbot.waitUntil(lambda: win.form.doc is not None, timeout=5000)  # everything else works as ever
