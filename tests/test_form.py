"""The front-matter form, driven through its widgets; the file on disk shows exactly the edits."""

from __future__ import annotations

import difflib
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QMessageBox, QPushButton, QToolButton
from pytestqt.qtbot import QtBot
from tests.conftest import FIXTURES, copy_fixtures, open_window
from tests.support.fidelity import file_lines, key_spans
from tests.test_bulk_ui import type_value

from masthead.core.document import Document
from masthead.ui.chips import ChipsEditor
from masthead.ui.main_window import MainWindow

NAMES = ["indent2-cjk.md", "pyyaml-sorted-cjk.md", "crlf.md", "comments.md", "english-null.md"]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return copy_fixtures(tmp_path / "archive", NAMES, {"duplicate-key.md": "broken.md"})


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, archive: Path) -> Iterator[MainWindow]:
    win: MainWindow = open_window(qtbot, tmp_path, archive)
    yield win
    win.form.show_document(None, None, None)  # drop unsaved edits: closing would ask about them


def open_file(qtbot: QtBot, window: MainWindow, name: str) -> None:
    assert window.select_path(name)
    qtbot.waitUntil(lambda: window.form.rel == name, timeout=3000)


def line_edit(window: MainWindow, key: str) -> QLineEdit:
    editor = window.form.editors[key]
    return editor if isinstance(editor, QLineEdit) else editor.findChild(QLineEdit)


def chips(window: MainWindow, key: str) -> ChipsEditor:
    editor = window.form.editors[key]
    assert isinstance(editor, ChipsEditor)
    return editor


def save(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        window.save_action.trigger()


def changed_keys_only(before: bytes, after: bytes, keys: set[str]) -> bool:
    """Every line that differs lies within the lines of one of ``keys`` (found independently)."""
    spans = [key_spans(before)[k] for k in keys]
    old, new = file_lines(before), file_lines(after)
    for op, i1, i2, _, _ in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "insert":  # new lines between i1-1 and i1: inside a key, or right after its last line
            if not any(start < i1 <= stop for start, stop in spans):
                return False
        elif not any(start <= i1 and i2 <= stop for start, stop in spans):
            return False
    return True


@pytest.mark.parametrize("name", ["indent2-cjk.md", "pyyaml-sorted-cjk.md", "crlf.md", "comments.md"])
def test_edit_title_tags_entities_draft_then_save(qtbot: QtBot, window: MainWindow, archive: Path, name: str) -> None:
    path = archive / name
    before = path.read_bytes()
    original = Document(before).data
    open_file(qtbot, window, name)
    # type a title
    title = line_edit(window, "title")
    title.selectAll()
    qtbot.keyClicks(title, "Edited title")
    # add a tag through the completer: "data-pl" finds "data-platform", used by another file
    tags = chips(window, "tags")
    qtbot.keyClicks(tags.input, "data-pl")
    popup = tags.completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    assert popup.model().index(0, 0).data().startswith("data-platform")
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert tags.values[-1] == "data-platform"
    # toggle draft
    draft = window.form.editors["draft"]
    assert isinstance(draft, QCheckBox)
    draft.setFocus()
    qtbot.keyClick(draft, Qt.Key.Key_Space)
    assert draft.isChecked() != original["draft"]
    assert window.isWindowModified() and window.model.records[window.model.row_of(name)].path == name
    # undo the draft toggle, then redo it
    window.undo_action.trigger()
    assert draft.isChecked() == original["draft"]
    window.redo_action.trigger()
    assert draft.isChecked() != original["draft"]
    save(qtbot, window)
    after = path.read_bytes()
    data = Document(after).data
    assert data["title"] == "Edited title" and data["tags"] == [*original["tags"], "data-platform"]
    assert data["draft"] is (not original["draft"])
    assert {k: v for k, v in data.items() if k not in ("title", "tags", "draft")} == {
        k: v for k, v in original.items() if k not in ("title", "tags", "draft")
    }
    assert changed_keys_only(before, after, {"title", "tags", "draft"})
    assert after.endswith(before[-20:])  # the body (and its final newline, or none) untouched
    if b"\r\n" in before:
        assert after.count(b"\n") == after.count(b"\r\n")
    assert not window.isWindowModified()


def test_remove_an_entity_chip_and_typing_is_one_undo_step(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    path = archive / "pyyaml-sorted-cjk.md"
    before = path.read_bytes()
    open_file(qtbot, window, "pyyaml-sorted-cjk.md")
    people = chips(window, "people")
    assert people.values == ["林望舒", "周岚"]
    qtbot.mouseClick(people._chips[0], Qt.MouseButton.LeftButton)  # its ✕
    assert people.values == ["周岚"]
    series = line_edit(window, "series")
    qtbot.keyClicks(series, "Edge Talks")
    assert window.form.undo_stack.count() == 2  # the chip, and all the typing as one step
    window.undo_action.trigger()
    assert series.text() == ""
    save(qtbot, window)
    after = path.read_bytes()
    assert after == before.replace("people:\n- 林望舒\n- 周岚\n".encode(), "people:\n- 周岚\n".encode())


def test_unknown_value_needs_create(qtbot: QtBot, window: MainWindow) -> None:
    open_file(qtbot, window, "english-null.md")
    tags = chips(window, "tags")
    qtbot.keyClicks(tags.input, "brand-new-tag")
    qtbot.keyClick(tags.input, Qt.Key.Key_Return)
    assert "brand-new-tag" not in tags.values  # Enter alone does not invent a tag
    popup = tags.completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    entries = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert entries[-1] == "Create “brand-new-tag”"
    tags.completer.activated.emit(entries[-1])
    assert tags.values[-1] == "brand-new-tag"
    qtbot.keyClick(tags.input, Qt.Key.Key_Backspace)  # empty field: removes the last chip
    assert "brand-new-tag" not in tags.values


def test_near_duplicates_are_flagged(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    (archive / "dup.md").write_text("---\ntitle: Dup\ntags:\n  - Data Platform\n---\nbody\n")
    window.rescan_now()
    qtbot.waitUntil(lambda: window.model.row_of("dup.md") is not None, timeout=5000)
    qtbot.waitUntil(lambda: "Data Platform" in window.vocabulary.get("tags", {}), timeout=5000)
    open_file(qtbot, window, "english-null.md")
    flagged = [c for c in chips(window, "tags")._chips if c.property("nearDuplicate")]
    assert [c.value for c in flagged] == ["data-platform"] and "Data Platform" in flagged[0].toolTip()


def test_suggestions_add_to_the_right_list(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    open_file(qtbot, window, "english-null.md")

    def shown() -> list[QPushButton]:
        return [b for b in window.form.suggestions.findChildren(QPushButton) if b.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()), timeout=3000)
    buttons = shown()
    labels = [b.text() for b in buttons]
    assert "+ Devon Pike → People" in labels  # a speaker not yet in people
    target = buttons[labels.index("+ Devon Pike → People")]
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    assert chips(window, "people").values == ["Devon Pike"]


def test_suggestions_are_only_for_lists_this_file_can_take(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    """A value of a single-value field (category) or of a list this file holds as one value (project: alpha)
    is never suggested: its button replaced "robotics" with the list [Policy Review] (a new-user look at the
    realistic archive: "+ policy → category"). Buttons name the field as the form does."""
    (archive / "other.md").write_text(
        "---\ntitle: Other\ncategory: Policy Review\nproject:\n  - Gamma Launch\n"
        "products_models:\n  - Rivka Engine\n---\nbody\n"
    )
    (archive / "talk.md").write_text(
        "---\ntitle: Talk\ncategory: robotics\nproject: alpha\n---\n\n"
        "We went over the Policy Review, the Gamma Launch and the Rivka Engine.\n"
    )
    window.rescan_now()
    qtbot.waitUntil(lambda: "Rivka Engine" in window.vocabulary.get("products_models", {}), timeout=5000)
    open_file(qtbot, window, "talk.md")

    def labels() -> list[str]:
        return [b.text() for b in window.form.suggestions.findChildren(QPushButton) if b.isVisible()]

    qtbot.waitUntil(lambda: bool(labels()), timeout=3000)
    assert labels() == ["+ Rivka Engine → Products / models"]
    qtbot.mouseClick(window.form.suggestions.findChildren(QPushButton)[0], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        window.save_action.trigger()
    text = (archive / "talk.md").read_text()
    assert "category: robotics\nproject: alpha\n" in text and "Rivka Engine" in text
    window.form.controller.append("project", "beta")  # (added to a value held alone: kept, now the list's first)
    assert window.form.controller.doc is not None and window.form.controller.doc.data["project"] == ["alpha", "beta"]


def test_suggestions_for_a_file_left_for_another_stop(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    """The search of a file's transcript for known values (a second of work for a long one) stops when another
    file is opened meanwhile: it used to run to its end, competing with the window's work for the GIL."""
    import threading

    from masthead.core import pacing

    people = "".join(f"  - Alex Person {n:04}\n" for n in range(3000))  # one start ("alex"), 3,000 values
    (archive / "people.md").write_text(f"---\ntitle: People\npeople:\n{people}---\nbody\n")
    (archive / "long.md").write_text("---\ntitle: Long\n---\n\n" + "Alex Person 0042 met Alex Person 2999.\n" * 200)
    (archive / "short.md").write_text("---\ntitle: Short\n---\n\nNothing known here.\n")
    window.rescan_now()
    qtbot.waitUntil(lambda: len(window.vocabulary.get("people", {})) >= 3000, timeout=10000)

    def labels() -> list[str]:
        return [b.text() for b in window.form.suggestions.findChildren(QPushButton) if b.isVisible()]

    worker_pauses: list[int] = []
    gate, waiting = threading.Event(), threading.Event()
    gate.set()

    def pause() -> None:
        if threading.current_thread() is not threading.main_thread():
            worker_pauses.append(1)
            waiting.set()
            gate.wait(10)

    before = pacing._pause
    pacing.install(pause)
    try:
        open_file(qtbot, window, "long.md")  # (also builds the vocabulary's index, kept for the next files)
        qtbot.waitUntil(lambda: "+ Alex Person 0042 → People" in labels(), timeout=10000)
        open_file(qtbot, window, "short.md")
        qtbot.waitUntil(lambda: not labels(), timeout=5000)
        worker_pauses.clear()
        open_file(qtbot, window, "long.md")
        qtbot.waitUntil(lambda: "+ Alex Person 0042 → People" in labels(), timeout=10000)
        whole = len(worker_pauses)  # the pauses of one whole search of long.md (its index already built)
        open_file(qtbot, window, "short.md")
        qtbot.waitUntil(lambda: not labels(), timeout=5000)
        waiting.clear()
        gate.clear()
        open_file(qtbot, window, "long.md")
        qtbot.waitUntil(waiting.is_set, timeout=10000)  # its search is under way (held at a pause)
        worker_pauses.clear()
        open_file(qtbot, window, "short.md")  # another file before it ends
        gate.set()
        assert QThreadPool.globalInstance().waitForDone(10000)  # (long.md's search ended, however it ended)
    finally:
        pacing.install(before)
        gate.set()
    assert whole >= 3000 // pacing.EVERY
    assert len(worker_pauses) < 6, (len(worker_pauses), whole)
    assert not labels()


def test_conflict_bar_merge(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    path = archive / "english-null.md"
    open_file(qtbot, window, "english-null.md")
    title = line_edit(window, "title")
    title.selectAll()
    qtbot.keyClicks(title, "Mine")
    theirs = path.read_bytes().replace(b"status: evergreen", b"status: archived")
    path.write_bytes(theirs)
    window.save_action.trigger()
    bar = window.form.conflict_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert path.read_bytes() == theirs  # nothing was overwritten
    assert bar.merge_button.isEnabled() and "different fields" in bar.label.text()
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        qtbot.mouseClick(bar.merge_button, Qt.MouseButton.LeftButton)
    data = Document(path.read_bytes()).data
    assert data["title"] == "Mine" and data["status"] == "archived"


def test_conflict_bar_overlap_and_reload(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    path = archive / "english-null.md"
    open_file(qtbot, window, "english-null.md")
    title = line_edit(window, "title")
    title.selectAll()
    qtbot.keyClicks(title, "Mine")
    theirs = path.read_bytes().replace(b"title: Rebuilding", b"title: Theirs, rebuilding")
    path.write_bytes(theirs)
    window.save_action.trigger()
    bar = window.form.conflict_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert not bar.merge_button.isEnabled() and "both of you changed “title”" in bar.label.text()
    qtbot.mouseClick(bar.reload_button, Qt.MouseButton.LeftButton)
    assert line_edit(window, "title").text().startswith("Theirs, rebuilding") and not window.form.dirty
    assert path.read_bytes() == theirs


@pytest.mark.parametrize("answer", ["cancel", "discard", "save"])
def test_unsaved_changes_prompt(
    qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    path = archive / "crlf.md"
    before = path.read_bytes()
    buttons = {
        "cancel": QMessageBox.StandardButton.Cancel,
        "discard": QMessageBox.StandardButton.Discard,
        "save": QMessageBox.StandardButton.Save,
    }
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or buttons[answer])
    open_file(qtbot, window, "crlf.md")
    series = window.form.editors["summary"]
    series.setFocus()
    qtbot.keyClicks(series, "More. ")
    window.select_path("english-null.md")
    assert asked == ["Save your changes to crlf.md?"]
    if answer == "cancel":
        assert window.current == "crlf.md" and window.form.dirty
        qtbot.waitUntil(lambda: window.selected_paths() == ["crlf.md"], timeout=2000)  # (on the next turn)
    elif answer == "discard":
        qtbot.waitUntil(lambda: window.form.rel == "english-null.md", timeout=3000)
        assert path.read_bytes() == before
    else:
        qtbot.waitUntil(lambda: window.form.rel == "english-null.md", timeout=5000)
        assert Document(path.read_bytes()).data["summary"].startswith("More. ")


def test_read_only_file_reports_and_keeps_bytes(
    qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = archive / "comments.md"
    before = path.read_bytes()
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    open_file(qtbot, window, "comments.md")
    title = window.form.title.text()  # said when opened, not only at Ctrl+S (a new-user trial)
    assert title.startswith("comments.md") and "read-only" in title and "cannot be saved" in title
    draft = window.form.editors["draft"]
    draft.setFocus()
    qtbot.keyClick(draft, Qt.Key.Key_Space)
    with qtbot.waitSignal(window.form.save_failed, timeout=5000):
        window.save_action.trigger()
    assert warnings and "read-only" in warnings[0] and str(path) in warnings[0]
    assert path.read_bytes() == before and window.form.dirty
    path.chmod(stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP)  # permissions fixed: the edit is still there
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        window.save_action.trigger()
    assert path.read_bytes() != before and window.form.title.text() == "comments.md"


def test_broken_file_is_read_only(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    before = (archive / "broken.md").read_bytes()
    open_file(qtbot, window, "broken.md")
    assert "cannot be edited" in window.form.title.text()
    assert window.form.editors == {} and not window.form.add_button.isEnabled()
    window.save_action.trigger()
    assert (archive / "broken.md").read_bytes() == before and not window.form.dirty


def test_save_is_enabled_only_with_unsaved_edits(qtbot: QtBot, window: MainWindow) -> None:
    open_file(qtbot, window, "broken.md")
    assert not window.save_action.isEnabled()
    open_file(qtbot, window, "english-null.md")
    assert not window.save_action.isEnabled()
    qtbot.keyClicks(line_edit(window, "author"), " Jr.")
    assert window.save_action.isEnabled()
    row = window.model.row_of("english-null.md")
    assert row is not None and window.model.index(row, 0).data().startswith("● ")  # the dirty row
    save(qtbot, window)
    assert not window.save_action.isEnabled() and not window.model.index(row, 0).data().startswith("● ")


def test_yaml_tab_shows_block_and_pending_diff(qtbot: QtBot, window: MainWindow) -> None:
    open_file(qtbot, window, "comments.md")
    window.form.tabs.setCurrentIndex(1)
    text = window.form.yaml_view.toPlainText()
    assert text.startswith("---\n# Episode metadata") and "changes not saved" not in text
    window.form.tabs.setCurrentIndex(0)
    status = line_edit(window, "status")
    qtbot.keyClick(status, Qt.Key.Key_End)  # (a field not being typed in shows its start)
    qtbot.keyClicks(status, "-ish")
    window.form.tabs.setCurrentIndex(1)
    text = window.form.yaml_view.toPlainText()
    assert "-status: draft  # not evergreen yet" in text and "+status: draft-ish  # not evergreen yet" in text
    assert window.form.yaml_view.isReadOnly()


def test_add_and_remove_fields(
    qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    path = archive / "crlf.md"
    before = path.read_bytes()
    open_file(qtbot, window, "crlf.md")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("reviewer", True))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("text", True))
    qtbot.mouseClick(window.form.add_button, Qt.MouseButton.LeftButton)
    assert "reviewer" in window.form.editors
    qtbot.keyClicks(line_edit(window, "reviewer"), "Kim")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    remove = window.form.findChild(QToolButton, "remove_people")
    assert remove is not None
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert "people" not in window.form.editors
    save(qtbot, window)
    assert path.read_bytes() == before.replace(b"people:\r\n  - Sam Reyes\r\n", b"").replace(
        b"status: evergreen\r\n---", b"status: evergreen\r\nreviewer: Kim\r\n---"
    )


def test_date_keeps_its_form_and_complex_values_are_read_only(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QDateEdit, QPlainTextEdit

    path = archive / "nested.md"
    shutil.copy(FIXTURES / "good" / "nested.md", path)
    window.rescan_now()
    qtbot.waitUntil(lambda: window.model.row_of("nested.md") is not None, timeout=5000)
    open_file(qtbot, window, "nested.md")
    episode = window.form.editors["episode"]
    assert isinstance(episode, QPlainTextEdit) and episode.isReadOnly() and "number: 42" in episode.toPlainText()
    open_file(qtbot, window, "indent2-cjk.md")  # date written as a quoted string
    date = window.form.editors["date"]
    assert isinstance(date, QDateEdit)
    date.setDate(QDate(2026, 3, 1))
    save(qtbot, window)
    assert b"date: '2026-03-01'\n" in (archive / "indent2-cjk.md").read_bytes()


def test_keep_mine_overwrites_after_showing_the_diff(
    qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = archive / "english-null.md"
    open_file(qtbot, window, "english-null.md")
    title = line_edit(window, "title")
    title.selectAll()
    qtbot.keyClicks(title, "Mine")
    path.write_bytes(path.read_bytes().replace(b"title: Rebuilding", b"title: Theirs"))
    window.save_action.trigger()
    qtbot.waitUntil(window.form.conflict_bar.isVisible, timeout=5000)
    shown: list[str] = []

    def answer(box: QMessageBox) -> QMessageBox.StandardButton:
        shown.append(box.detailedText())
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "exec", answer)
    with qtbot.waitSignal(window.form.saved, timeout=5000):  # written by the writer thread, then reloaded
        qtbot.mouseClick(window.form.conflict_bar.keep_button, Qt.MouseButton.LeftButton)
    assert "-title: Theirs" in shown[0] and "+title: Mine" in shown[0]
    assert Document(path.read_bytes()).data["title"] == "Mine" and not window.form.dirty


def test_keep_mine_keeps_their_changes_to_fields_i_did_not_edit(
    qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both changed the title; they also changed the status: Keep mine writes my title and leaves their status
    (it wrote my whole version: their status was lost, and the bar named only the title; a new-user trial)."""
    path = archive / "english-null.md"
    open_file(qtbot, window, "english-null.md")
    title = line_edit(window, "title")
    title.selectAll()
    qtbot.keyClicks(title, "Mine")
    theirs = path.read_bytes().replace(b"title: Rebuilding", b"title: Theirs").replace(b"evergreen", b"archived")
    path.write_bytes(theirs)
    window.save_action.trigger()
    bar = window.form.conflict_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert "“title”" in bar.label.text() and "They also changed “status”" in bar.label.text()
    shown: list[str] = []

    def answer(box: QMessageBox) -> QMessageBox.StandardButton:
        shown.append(box.detailedText())
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "exec", answer)
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        qtbot.mouseClick(bar.keep_button, Qt.MouseButton.LeftButton)
    assert "+title: Mine" in shown[0] and "archived" not in "".join(
        line for line in shown[0].splitlines() if line.startswith(("-", "+"))
    )
    data = Document(path.read_bytes()).data
    assert data["title"] == "Mine" and data["status"] == "archived" and not window.form.dirty
    line = theirs[theirs.index(b"title:") : theirs.index(b"\n", theirs.index(b"title:"))]
    assert path.read_bytes() == theirs.replace(line, b"title: Mine")  # nothing else changed


def test_drag_a_chip_to_reorder(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    from masthead.ui.chips import CHIP_MIME

    path = archive / "english-null.md"
    open_file(qtbot, window, "english-null.md")
    tags = chips(window, "tags")
    assert tags.values == ["streaming", "data-platform", "migrations"]
    data = QMimeData()
    data.setData(CHIP_MIME, b"migrations")
    first = tags._chips[0].geometry()
    at = QPointF(first.left() + 2, first.center().y())
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(at.toPoint(), Qt.DropAction.MoveAction, data, buttons, mods)
    QApplication.sendEvent(tags, enter)  # as a real drag does: Qt delivers the drop to whoever accepted it
    assert enter.isAccepted()
    QApplication.sendEvent(tags, QDropEvent(at, Qt.DropAction.MoveAction, data, buttons, mods))
    assert tags.values == ["migrations", "streaming", "data-platform"]
    save(qtbot, window)
    assert b"tags:\n- migrations\n- streaming\n- data-platform\n" in path.read_bytes()


def test_keyboard_moves_between_chips(qtbot: QtBot, window: MainWindow) -> None:
    open_file(qtbot, window, "english-null.md")
    tags = chips(window, "tags")
    tags.input.setFocus()
    qtbot.keyClick(tags.input, Qt.Key.Key_Left)  # from the empty field onto the last chip
    assert tags._chips[-1].hasFocus()
    qtbot.keyClick(tags._chips[-1], Qt.Key.Key_Left)
    assert tags._chips[1].hasFocus()
    qtbot.keyClick(tags._chips[1], Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # move it left
    assert tags.values == ["data-platform", "streaming", "migrations"]
    focused = next(c for c in tags._chips if c.hasFocus())
    qtbot.keyClick(focused, Qt.Key.Key_Delete)
    assert tags.values == ["streaming", "migrations"]


def test_closing_with_unsaved_edits_asks(
    qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_file(qtbot, window, "english-null.md")
    author = line_edit(window, "author")
    qtbot.keyClick(author, Qt.Key.Key_End)
    qtbot.keyClicks(author, " Jr.")
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel
    )
    window.close()
    assert asked == ["Save your changes to english-null.md?"] and window.isVisible() and window.form.dirty
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    with qtbot.waitSignal(window.form.saved, timeout=5000):
        window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert Document((archive / "english-null.md").read_bytes()).data["author"] == "Maya Ortiz Jr."


def test_listed_entities_are_highlighted_in_the_preview(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.preview.rendered, timeout=5000):
        open_file(qtbot, window, "pyyaml-sorted-cjk.md")
    browser = window.preview.browser

    def colour_of(text: str) -> str:
        cursor = browser.document().find(text)
        assert not cursor.isNull()
        return cursor.charFormat().foreground().color().name()

    link = browser.palette().color(browser.palette().ColorRole.Link).name()
    assert colour_of("林望舒") == link  # in people: marked
    assert colour_of("端侧模型") != link  # bold, but in no list


def archive_of(folder: Path, fronts: dict[str, str]) -> Path:
    """An archive of files ``name -> front matter`` (each with a one-line body)."""
    folder.mkdir()
    for name, front in fronts.items():
        (folder / name).write_text(f"---\n{front}---\nbody\n", encoding="utf-8")
    return folder


def test_a_picker_of_a_key_the_next_file_lacks_is_kept_for_the_file_after(qtbot: QtBot, tmp_path: Path) -> None:
    fronts = {"a.md": "title: A\npeople:\n  - 甲\n", "b.md": "title: B\ntags: [x]\n"}
    archive = archive_of(tmp_path / "spare", {**fronts, "c.md": "title: C\npeople:\n  - Ada Lovelace\n  - 乙\n"})
    window: MainWindow = open_window(qtbot, tmp_path, archive)
    open_file(qtbot, window, "a.md")
    picker = chips(window, "people")
    open_file(qtbot, window, "b.md")
    assert "people" not in window.form.editors and not picker.isVisible()
    open_file(qtbot, window, "c.md")
    assert chips(window, "people") is picker and picker.isVisible()  # the same widgets, not new ones
    assert picker.values == ["Ada Lovelace", "乙"] and [c.value for c in picker._chips] == picker.values
    type_value(qtbot, picker, "Grace Hopper")
    save(qtbot, window)
    assert (archive / "c.md").read_text(encoding="utf-8") == (
        "---\ntitle: C\npeople:\n  - Ada Lovelace\n  - 乙\n  - Grace Hopper\n---\nbody\n"
    )
    assert (archive / "a.md").read_text(encoding="utf-8") == "---\ntitle: A\npeople:\n  - 甲\n---\nbody\n"


def test_the_first_file_shown_uses_rows_made_while_the_window_was_idle(qtbot: QtBot, tmp_path: Path) -> None:
    archive = archive_of(tmp_path / "prepared", {"a.md": "title: A\ntags:\n- x\n"})
    window: MainWindow = open_window(qtbot, tmp_path, archive)
    spare = window.form.spare
    qtbot.waitUntil(lambda: "tags" in spare._rows and "title" in spare._rows, timeout=5000)
    made = spare._rows["tags"][3]
    assert not made.isVisible()
    open_file(qtbot, window, "a.md")
    picker = chips(window, "tags")
    assert picker is made and picker.isVisible() and picker.isEnabled() and picker.values == ["x"]
    type_value(qtbot, picker, "zed")
    save(qtbot, window)
    assert (archive / "a.md").read_text(encoding="utf-8") == "---\ntitle: A\ntags:\n- x\n- zed\n---\nbody\n"


def test_a_reused_picker_keeps_nothing_half_typed_from_another_file(qtbot: QtBot, tmp_path: Path) -> None:
    fronts = {"a.md": "title: A\ntopics:\n  - alpha\n", "b.md": "title: B\n", "c.md": "title: C\ntopics:\n  - gamma\n"}
    archive = archive_of(tmp_path / "typed", fronts)
    window: MainWindow = open_window(qtbot, tmp_path, archive)
    open_file(qtbot, window, "a.md")
    picker = chips(window, "topics")
    qtbot.keyClicks(picker.input, "half-typed")  # not added (no Enter)
    open_file(qtbot, window, "b.md")
    open_file(qtbot, window, "c.md")
    assert chips(window, "topics") is picker and picker.values == ["gamma"] and picker.input.text() == ""


def test_the_preview_header_shows_the_title_as_saved(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    name = "english-null.md"
    open_file(qtbot, window, name)
    qtbot.waitUntil(lambda: window.preview.header.text() != "No file selected", timeout=5000)
    title = line_edit(window, "title")
    title.selectAll()
    qtbot.keyClicks(title, "A brand new title")
    save(qtbot, window)
    assert window.preview.header.text() == "A brand new title"  # not the index's title from before the save


def test_a_field_is_removed_from_the_keyboard(
    qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+Shift+Backspace (Document ▸ Remove This Field) in a field asks, then removes that field; saved,
    only its lines are gone (each ✕ is out of the Tab chain and nothing else removed a field: a trial)."""
    path = archive / "english-null.md"
    before = path.read_bytes()
    open_file(qtbot, window, "english-null.md")
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    summary = window.form.editors["summary"]
    window.activateWindow()
    summary.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is summary, timeout=2000)
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(summary, Qt.Key.Key_Backspace, mods)
    assert asked == ["Remove “summary” from this file's front matter?"]
    assert "summary" not in window.form.editors and window.form.dirty
    save(qtbot, window)
    assert "summary" not in Document(path.read_bytes()).data
    assert changed_keys_only(before, path.read_bytes(), {"summary"})


def test_the_conflict_bar_does_not_widen_a_narrow_form(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    """Its buttons wrap: in one row they were wider than a narrow form pane, and the panes jumped when the bar
    came (a new-user trial). Screenshot looked at."""
    path = archive / "english-null.md"
    open_file(qtbot, window, "english-null.md")
    window.splitter.setSizes([560, 300, 420])
    qtbot.wait(50)
    sizes = window.splitter.sizes()
    title = line_edit(window, "title")
    title.selectAll()
    qtbot.keyClicks(title, "Mine")
    path.write_bytes(path.read_bytes().replace(b"title: Rebuilding", b"title: Theirs"))
    window.save_action.trigger()
    bar = window.form.conflict_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    qtbot.wait(50)
    assert window.splitter.sizes() == sizes
    for button in (bar.reload_button, bar.keep_button, bar.merge_button):
        assert bar.rect().contains(button.geometry()) and button.isVisible()
