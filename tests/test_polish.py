"""Preferences, the keyboard shortcuts sheet, About, and following the system palette."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from tests.conftest import open_window

from masthead import __version__
from masthead.ui.bulk_dialog import BulkTagDialog
from masthead.ui.main_window import MainWindow
from masthead.ui.preferences import PreferencesDialog
from masthead.ui.shortcuts import ShortcutsDialog
from masthead.ui.theme import is_dark


def make_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    win: MainWindow = open_window(qtbot, tmp_path, confirm_bulk=None)
    return win


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "bare.md").write_text("---\ntitle: Bare\ndraft: true\n---\n### Hello\n\n**[Ana]**: Hi.\n", encoding="utf-8")
    return root


def test_preferences_are_edited_saved_and_applied(qtbot: QtBot, tmp_path: Path, archive: Path) -> None:
    window = make_window(qtbot, tmp_path)
    window.preferences_action.trigger()
    dialog = window.findChild(PreferencesDialog)
    assert isinstance(dialog, PreferencesDialog) and dialog.isVisible()
    dialog.font_size.setValue(17)
    dialog.indent.setCurrentIndex(dialog.indent.findData(0))
    dialog.confirm.setChecked(False)
    dialog.findChild(object, "preferencesOK").click()  # type: ignore[union-attr]
    assert window.preview.browser.font().pointSize() == 17
    assert window.prefs.list_indent == 0 and not window.prefs.confirm_bulk
    # remembered: a new window reads them back
    again = make_window(qtbot, tmp_path)
    assert (again.prefs.preview_font_pt, again.prefs.list_indent, again.prefs.confirm_bulk) == (17, 0, False)
    # the list indent is used for a file that has no list of its own
    with qtbot.waitSignal(again.archive_loaded, timeout=20000):
        again.open_archive(archive)
    again.table.selectAll()
    tagger = again.bulk_tag()
    assert isinstance(tagger, BulkTagDialog) and not tagger.confirm
    tagger.add_picker.edited.emit(["weekly"])
    tagger.preview()
    qtbot.waitUntil(tagger.apply_button.isEnabled, timeout=10000)
    with qtbot.waitSignal(tagger.applied, timeout=10000):
        tagger.apply_button.click()
    assert (
        (archive / "bare.md")
        .read_text(encoding="utf-8")
        .startswith("---\ntitle: Bare\ndraft: true\ntags:\n- weekly\n---\n")
    )
    again.form.show_document(None, None, None)


def test_keyboard_shortcuts_sheet_lists_the_windows_actions(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    assert window.shortcuts_action.shortcut().toString() == "F1"
    window.shortcuts_action.trigger()
    dialog = window.findChild(ShortcutsDialog)
    assert isinstance(dialog, ShortcutsDialog)
    rows = {dialog.table.item(r, 2).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert rows["Save"] == "Ctrl+S" and rows["Tag Selected or Shown Files"] == "Ctrl+Shift+T"
    assert rows["Taxonomy"] == "Ctrl+Shift+Y" and rows["rename the selected value"] == "F2"
    assert "Ctrl+Z" in rows["Undo"]


def test_about_shows_the_version(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    box = window.show_about()
    assert isinstance(box, QMessageBox) and box.isVisible() and __version__ in box.text()
    box.close()


def test_the_preview_follows_a_dark_palette(qtbot: QtBot, tmp_path: Path, archive: Path) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    light = app.palette()
    window = make_window(qtbot, tmp_path)
    with qtbot.waitSignal(window.archive_loaded, timeout=20000):
        window.open_archive(archive)
    with qtbot.waitSignal(window.preview.rendered, timeout=5000):
        window.select_path("bare.md")
    dark = QPalette(light)
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#17181a"),
        (QPalette.ColorRole.Text, "#e8eaed"),
    ):
        dark.setColor(role, QColor(colour))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: "#e8eaed" in window.preview.browser.document().defaultStyleSheet(), timeout=3000)
        assert is_dark() and "Ana" in window.preview.browser.toPlainText()
        window.grab().save(str(tmp_path / "dark.png"))
    finally:
        app.setPalette(light)
    qtbot.waitUntil(lambda: "#e8eaed" not in window.preview.browser.document().defaultStyleSheet(), timeout=3000)
    assert not is_dark()
    window.form.show_document(None, None, None)


def test_bulk_actions_wait_for_the_whole_archive(qtbot: QtBot, tmp_path: Path, archive: Path) -> None:
    window = make_window(qtbot, tmp_path)
    assert not window.bulk_tag_action.isEnabled() and not window.history_action.isEnabled()  # no archive
    window.open_archive(archive)
    assert not window.bulk_tag_action.isEnabled()  # still reading: "every file shown" would be a part
    qtbot.waitUntil(window.bulk_tag_action.isEnabled, timeout=20000)
    assert window.set_field_action.isEnabled() and window.bulk_publish_action.isEnabled()


def test_file_menu_opens_the_sample_archive(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    with qtbot.waitSignal(window.archive_loaded, timeout=20000):
        window.sample_action.trigger()
    assert window.index is not None and window.index.root.name == "Sample"  # MASTHEAD_SAMPLE_DIR (conftest)
    assert len(window.model.records) == 14
