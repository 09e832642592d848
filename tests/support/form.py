"""A front-matter pane on its own, showing one file (for tests of the form without the window)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from masthead.ui.form import FormPane


def open_form(qtbot: QtBot, root: Path, rel: str) -> FormPane:
    """A shown FormPane (600x800) that has read ``root / rel`` (off the GUI thread, as the window does)."""
    pane = FormPane()
    pane.resize(600, 800)
    qtbot.addWidget(pane)
    pane.show()
    qtbot.waitExposed(pane)
    with qtbot.waitSignal(pane.loaded, timeout=5000):
        pane.open(root, rel)
    return pane
