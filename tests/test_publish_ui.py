"""The publish workflow in the window: badge, problems panel, Publish/Unpublish actions, schema warning."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from tests.conftest import FIXTURES, open_window

from masthead.core.document import Document
from masthead.ui.main_window import MainWindow
from masthead.ui.models import Column


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    root.mkdir()
    for name in ("english-null.md", "indent2-cjk.md"):
        shutil.copy(FIXTURES / "good" / name, root / name)
    text = (FIXTURES / "good" / "pyyaml-sorted-cjk.md").read_text(encoding="utf-8")
    start = text.index("summary:")
    end = text.index("tags:")
    (root / "no-summary.md").write_text(text[:start] + text[end:], encoding="utf-8")
    return root


def make_window(qtbot: QtBot, tmp_path: Path, archive: Path) -> MainWindow:
    win: MainWindow = open_window(qtbot, tmp_path, archive)
    return win


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, archive: Path) -> Iterator[MainWindow]:
    win = make_window(qtbot, tmp_path, archive)
    yield win
    win.form.show_document(None, None, None)


def open_file(qtbot: QtBot, window: MainWindow, name: str) -> None:
    assert window.select_path(name)
    qtbot.waitUntil(lambda: window.form.rel == name, timeout=3000)


def test_publish_a_valid_draft(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    path = archive / "english-null.md"
    before = path.read_bytes()
    open_file(qtbot, window, "english-null.md")
    assert window.form.badge.text() == "Draft" and window.publish_action.isEnabled()
    assert not window.unpublish_action.isEnabled()
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        window.publish_action.trigger()
    assert path.read_bytes() == before.replace(b"draft: true\n", b"draft: false\n")
    assert window.form.badge.text() == "Published" and window.unpublish_action.isEnabled()
    with qtbot.waitSignal(window.form.saved, timeout=5000):  # publishing was one step, written: so is its undo
        window.undo_action.trigger()
    assert window.form.doc is not None and window.form.doc.data["draft"] is True and not window.form.dirty
    assert path.read_bytes() == before  # (undo left the file published on disk: a new-user trial)
    qtbot.waitUntil(lambda: window.model.index(window.model.row_of("english-null.md") or 0, 2).data() == "Draft")
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        window.redo_action.trigger()
    assert not window.form.dirty and path.read_bytes() == before.replace(b"draft: true\n", b"draft: false\n")


def test_unpublish(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    path = archive / "indent2-cjk.md"
    open_file(qtbot, window, "indent2-cjk.md")
    assert window.form.badge.text() == "Published"
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        window.unpublish_action.trigger()
    assert Document(path.read_bytes()).data["draft"] is True and window.form.badge.text() == "Draft"


def test_problems_block_publishing_and_lead_to_the_field(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    row = window.model.row_of("no-summary.md")
    assert row is not None and window.model.index(row, Column.STATE).data() == "Has problems"
    open_file(qtbot, window, "no-summary.md")
    assert window.form.badge.text() == "Has problems" and not window.publish_action.isEnabled()
    assert "summary: is required to publish" in window.publish_action.toolTip()
    buttons = [b for b in window.form.problems_box.findChildren(QPushButton) if b.objectName() == "problem"]
    qtbot.waitUntil(lambda: all(b.isVisible() for b in buttons), timeout=2000)
    assert [b.text() for b in buttons] == ["⚠ summary: is required to publish"]
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)  # adds the missing field and focuses it
    summary = window.form.editors["summary"]
    assert summary.hasFocus()
    qtbot.keyClicks(summary, "A summary at last.")
    assert window.form.badge.text() == "Draft" and window.publish_action.isEnabled()
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        window.publish_action.trigger()
    data = Document((archive / "no-summary.md").read_bytes()).data
    assert data["summary"] == "A summary at last." and data["draft"] is False


def test_broken_schema_is_a_visible_warning(qtbot: QtBot, tmp_path: Path, archive: Path) -> None:
    (archive / "masthead.yaml").write_text("fields:\n  title: {kind: paragraph}\n")
    win = make_window(qtbot, tmp_path, archive)
    assert win.schema_warning.isVisible() and "masthead.yaml:2" in win.schema_warning.text()
    assert "built-in transcript profile" in win.schema_warning.text()


def test_schema_rules_apply_in_the_window(qtbot: QtBot, tmp_path: Path, archive: Path) -> None:
    (archive / "masthead.yaml").write_text(
        "fields:\n  source: {kind: url, pattern: '^https://', message: needs https}\n"
    )
    win = make_window(qtbot, tmp_path, archive)
    open_file(qtbot, win, "english-null.md")  # its source is https: fine
    assert win.form.badge.text() == "Draft" and not win.schema_warning.isVisible()
    source = win.form.editors["source"].findChildren(type(win.search))[0]
    source.selectAll()
    qtbot.keyClicks(source, "http://plain.example")
    assert win.form.badge.text() == "Has problems" and not win.publish_action.isEnabled()
    win.form.show_document(None, None, None)


def test_bulk_publish_of_the_shown_files(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    blocked_before = (archive / "no-summary.md").read_bytes()
    before = {p.name: p.read_bytes() for p in archive.glob("*.md")}
    dialog = window.bulk_publish()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    items = [dialog.files.item(i) for i in range(dialog.files.count())]
    assert [i.text() for i in items] == ["english-null.md", "⚠ no-summary.md"]
    assert items[1].toolTip() == "summary: is required to publish"
    assert "1 file will change, 1 already right, 1 skipped" in dialog.summary.text()
    dialog.files.setCurrentRow(0)
    assert "-draft: true" in dialog.diff.toPlainText() and "+draft: false" in dialog.diff.toPlainText()
    assert dialog.apply_button.text() == "P&ublish 1 file" and dialog.apply_button.isEnabled()
    assert dialog.apply_button.shortcut().toString() == "Alt+U"  # Alt+P is Preview elsewhere: never Publish here
    with qtbot.waitSignal(dialog.applied, timeout=5000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog.report is not None and dialog.report.changed == ["english-null.md"]
    assert "1 changed, 1 unchanged, 1 skipped, 0 failed" in dialog.summary.text()
    assert Document((archive / "english-null.md").read_bytes()).data["draft"] is False
    assert (archive / "no-summary.md").read_bytes() == blocked_before
    row = window.model.row_of("english-null.md")
    assert row is not None
    qtbot.waitUntil(lambda: window.model.index(row, Column.STATE).data() == "Published", timeout=5000)
    dialog.close()
    assert window.undo_action.text() == "&Undo publish (1 file)"
    window.history.ask = False  # (asking first is tested in test_undo_history.py)
    window.undo_action.trigger()  # a bulk publish is undoable like any bulk operation
    qtbot.waitUntil(lambda: {p.name: p.read_bytes() for p in archive.glob("*.md")} == before, timeout=5000)


def test_bulk_unpublish_of_a_selection(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    window.table.selectAll()
    assert len(window.selected_paths()) == 3
    dialog = window.bulk_unpublish()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    with qtbot.waitSignal(dialog.applied, timeout=5000):
        dialog.apply_button.click()
    assert Document((archive / "indent2-cjk.md").read_bytes()).data["draft"] is True
    dialog.close()


def test_schema_labels_help_and_fixed_values_in_the_form(qtbot: QtBot, tmp_path: Path, archive: Path) -> None:
    from PySide6.QtWidgets import QComboBox, QLabel

    from masthead.ui.chips import ChipsEditor

    (archive / "masthead.yaml").write_text(
        "fields:\n"
        "  title: {kind: text, label: Headline, help: Shown on the front page.}\n"
        "  category: {kind: choice, values: [data-engineering, science], new_values: false}\n"
        "  tags: {kind: tags, values: [streaming, batch], new_values: false}\n"
        "  people: {kind: entities, vocabulary: companies_orgs}\n"
    )
    win = make_window(qtbot, tmp_path, archive)
    qtbot.waitUntil(lambda: bool(win.vocabulary), timeout=5000)
    open_file(qtbot, win, "english-null.md")
    form = win.form
    label = form.findChild(QLabel, "label_title")
    assert (
        label is not None
        and label.text() == "Headline"
        and form.editors["title"].toolTip() == "Shown on the front page."
    )
    category = form.editors["category"]
    assert isinstance(category, QComboBox) and not category.isEditable()
    assert [category.itemText(i) for i in range(category.count())] == ["data-engineering", "science"]
    tags = form.editors["tags"]
    assert isinstance(tags, ChipsEditor) and not tags.allow_new
    tags._update_completions("brand-new")
    assert tags._model.stringList() == []  # no Create entry when new values are not allowed
    tags._update_completions("bat")
    assert tags._model.stringList() == ["batch  (0)"]
    people = form.editors["people"]
    assert isinstance(people, ChipsEditor) and "星河半导体" in people.vocabulary  # drawn from companies_orgs
    form.show_document(None, None, None)


def test_entity_fields_of_the_schema_are_highlighted(qtbot: QtBot, tmp_path: Path, archive: Path) -> None:
    (archive / "masthead.yaml").write_text("fields:\n  guests: {kind: entities}\n")
    (archive / "guests.md").write_text(
        "---\ntitle: G\nguests: [Kofi Mensah]\n---\n**Kofi Mensah** and **Someone Else**\n"
    )
    win = make_window(qtbot, tmp_path, archive)
    with qtbot.waitSignal(win.preview.rendered, timeout=5000):
        open_file(qtbot, win, "guests.md")
    browser = win.preview.browser
    link = browser.palette().color(browser.palette().ColorRole.Link).name()

    def colour_of(text: str) -> str:
        return browser.document().find(text).charFormat().foreground().color().name()

    assert colour_of("Kofi Mensah") == link and colour_of("Someone Else") != link
