"""The main window driven as a user drives it: open an archive, search, sort, select, watch the disk."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QWidget,
)
from pytestqt.qtbot import QtBot
from tests.conftest import FIXTURES
from tests.support.archive import make_archive

from masthead.core.fulltext import Hit
from masthead.ui.main_window import MainWindow
from masthead.ui.models import SNIPPET_ROLE, Column


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    for sub, names in {
        "2025/01": ["english-null.md", "indent2-cjk.md", "crlf.md"],
        "2025/02": ["pyyaml-sorted-cjk.md", "comments.md", "chunks-en.md"],
        "drafts": ["literal-title.md"],
    }.items():
        (root / sub).mkdir(parents=True)
        for name in names:
            shutil.copy(FIXTURES / "good" / name, root / sub / name)
    shutil.copy(FIXTURES / "broken" / "duplicate-key.md", root / "drafts" / "broken.md")
    shutil.copy(FIXTURES / "unsafe" / "unsafe.md", root / "unsafe.md")
    return root


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot: QtBot, settings: QSettings) -> MainWindow:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    return win


def open_and_wait(qtbot: QtBot, window: MainWindow, root: Path) -> None:
    with qtbot.waitSignal(window.archive_loaded, timeout=20000):
        window.open_archive(root)


def titles(window: MainWindow) -> list[str]:
    proxy = window.proxy
    return [proxy.index(r, Column.TITLE).data() for r in range(proxy.rowCount())]


def open_only_result(qtbot: QtBot, window: MainWindow, archive: Path, title: str, lines: list[str], query: str) -> None:
    """Write a transcript of ``lines`` titled ``title``, open the archive, type ``query`` in the search field,
    and press Down to open its one result (until the preview has shown all of it)."""
    (archive / "long.md").write_text(f"---\ntitle: {title}\ntags: []\n---\n\n" + "\n\n".join(lines) + "\n")
    open_and_wait(qtbot, window, archive)
    window.search.setFocus()
    qtbot.keyClicks(window.search, query)
    qtbot.waitUntil(lambda: titles(window) == [title], timeout=5000)
    with qtbot.waitSignal(window.preview.rendered, timeout=10000):
        qtbot.keyClick(window.search, Qt.Key.Key_Down)  # to the result, which opens


def click_row(qtbot: QtBot, window: MainWindow, row: int) -> None:
    rect = window.table.visualRect(window.proxy.index(row, Column.TITLE))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def select_title(qtbot: QtBot, window: MainWindow, title: str) -> None:
    row = titles(window).index(title)
    with qtbot.waitSignal(window.preview.rendered, timeout=5000):
        click_row(qtbot, window, row)


def type_search(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.search.clear()
    qtbot.keyClicks(window.search, text)
    qtbot.waitUntil(lambda: not window._search_timer.isActive(), timeout=3000)


def test_open_archive_shows_every_file_and_folder_counts(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    open_and_wait(qtbot, window, archive)
    assert window.model.rowCount() == 9 and window.count_label.text() == "9 of 9"
    folders = window.folders
    root = folders.item(0)
    assert root.text() == "archive (9)"
    labels = {root.child(i).text() for i in range(root.rowCount())}
    assert labels == {"2025 (6)", "drafts (2)"}
    assert window.windowTitle().replace("[*]", "").endswith("archive — Masthead")
    assert window.settings.value("archives/last") == str(archive.resolve())


def test_search_filters_and_bad_query_shows_inline_error(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    open_and_wait(qtbot, window, archive)
    type_search(qtbot, window, "tag:streaming")
    assert sorted(titles(window)) == [
        "Inside the Kestrel Scheduler",
        "Rebuilding a Data Platform Without Downtime at Northwind Labs",
    ]
    assert window.count_label.text() == "2 of 9" and window.search_error.isHidden()
    type_search(qtbot, window, "date>>2025")
    assert window.search_error.isVisible() and "not an operator" in window.search_error.text()
    assert window.count_label.text() == "2 of 9"  # the last good filter stays, and says so (trial)
    assert window.search_error.text().endswith("Showing the last search that could be read.")
    type_search(qtbot, window, "error:yes")
    assert window.search_error.isHidden() and window.count_label.text() == "1 of 9"
    type_search(qtbot, window, 'body:"hear the ice"')  # searched off the GUI thread
    qtbot.waitUntil(lambda: titles(window) == ["Field Notes: Listening to Glaciers"], timeout=5000)
    assert window.count_label.text() == "1 of 9"


def test_quick_filters_and_folder_tree(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    open_and_wait(qtbot, window, archive)
    qtbot.mouseClick(window.quick_buttons["errors"], Qt.MouseButton.LeftButton)
    assert window.count_label.text() == "1 of 9"
    qtbot.mouseClick(window.quick_buttons["published"], Qt.MouseButton.LeftButton)
    assert not window.quick_buttons["errors"].isChecked()
    assert window.count_label.text() == "2 of 9"  # crlf.md and indent2-cjk.md have draft: false
    qtbot.mouseClick(window.quick_buttons["published"], Qt.MouseButton.LeftButton)
    assert window.proxy.rowCount() == 9  # no filter left: every row, without asking the filter for each
    drafts_folder = window.folders.item(0).child(1)
    window.folder_view.setCurrentIndex(drafts_folder.index())
    assert window.count_label.text() == "2 of 9"
    assert "broken.md" in " ".join(window.proxy.index(r, Column.PATH).data() for r in range(2))


def test_sort_by_clicking_the_date_header(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    open_and_wait(qtbot, window, archive)
    header = window.table.horizontalHeader()
    x = header.sectionViewportPosition(Column.DATE) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    dates = [window.proxy.index(r, Column.DATE).data() for r in range(window.proxy.rowCount())]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) or dated == sorted(dated, reverse=True)
    first = dated[0]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    dates = [d for d in (window.proxy.index(r, Column.DATE).data() for r in range(window.proxy.rowCount())) if d]
    assert dates[0] != first and dates == sorted(dates, reverse=dates[0] > dates[-1])


def test_selecting_a_file_shows_front_matter_and_preview(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    open_and_wait(qtbot, window, archive)
    select_title(qtbot, window, "Rebuilding a Data Platform Without Downtime at Northwind Labs")
    text = window.preview.browser.toPlainText()
    assert "Maya Ortiz: Thanks for joining us." in text and "<!-- chunk -->" not in text
    html = window.preview.browser.toHtml()
    assert "Maya Ortiz" in html and "Phase" in text  # the table rendered
    outline = [
        window.preview.outline_model.item(i).text().strip() for i in range(window.preview.outline_model.rowCount())
    ]
    assert outline == ["Opening", "The migration"]
    assert window.form.editors["title"].text().startswith("Rebuilding a Data Platform")  # type: ignore[attr-defined]
    assert window.windowTitle().replace("[*]", "").startswith("english-null.md — archive")
    assert window.selected_paths() == ["2025/01/english-null.md"]


def test_outline_click_and_find(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    open_and_wait(qtbot, window, archive)
    select_title(qtbot, window, "端侧推理的下一站：与星河半导体林望舒聊芯片、功耗与生态")
    window.preview.browser.resize(400, 150)
    bar = window.preview.browser.verticalScrollBar()
    bar.setValue(0)
    second = window.preview.outline_model.index(1, 0)
    rect = window.preview.outline.visualRect(second)
    qtbot.mouseClick(window.preview.outline.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert bar.value() > 0
    window.find_action.trigger()
    assert window.preview.find_bar.isVisible() and window.preview.find_field.hasFocus()
    window.preview.find_field.setText("功耗")  # CJK arrives through an input method, not as key events
    qtbot.keyClick(window.preview.find_field, Qt.Key.Key_Return)
    assert window.preview.browser.textCursor().selectedText() == "功耗"
    window.preview.find_field.setText("nowhere-to-be-found")
    qtbot.keyClick(window.preview.find_field, Qt.Key.Key_Return)
    assert window.preview.find_status.text() == "Not found"


def test_broken_file_shows_its_error(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    open_and_wait(qtbot, window, archive)
    row = next(r for r in range(window.proxy.rowCount()) if window.proxy.index(r, Column.STATE).data() == "Error")
    index = window.proxy.index(row, Column.TITLE)
    assert 'duplicate key "title"' in index.data(Qt.ItemDataRole.ToolTipRole)
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    with qtbot.waitSignal(window.preview.rendered, timeout=5000):
        click_row(qtbot, window, row)
    assert "problem on line 4: the field “title” appears twice" in window.form.title.text()
    assert "⚠" in window.preview.header.text()
    # the YAML tab numbers the lines from the file's first line (the ---) and highlights line 4
    qtbot.mouseClick(
        window.form.tabs.tabBar(), Qt.MouseButton.LeftButton, pos=window.form.tabs.tabBar().tabRect(1).center()
    )
    view = window.form.yaml_view
    assert view.isVisible() and view.toPlainText().startswith("---\n")
    assert view.highlighted_line() == 4 and view.textCursor().block().text() == "title: Second"
    assert view.gutter.width() > 0


def test_external_changes_show_up(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    open_and_wait(qtbot, window, archive)
    target = archive / "2025/01/crlf.md"
    select_title(qtbot, window, "Quiet Infrastructure")
    time.sleep(0.01)
    target.write_bytes(target.read_bytes().replace(b"Quiet Infrastructure", b"Loud Infrastructure"))
    qtbot.waitUntil(lambda: "Loud Infrastructure" in titles(window), timeout=5000)
    qtbot.waitUntil(lambda: window.form.editors["title"].text() == "Loud Infrastructure", timeout=5000)  # type: ignore[attr-defined]
    # an atomic replace (write a temp file, rename over): the watch survives it
    tmp = archive / "2025/01/.crlf.tmp"
    tmp.write_bytes(target.read_bytes().replace(b"Loud Infrastructure", b"Replaced Infrastructure"))
    tmp.replace(target)
    qtbot.waitUntil(lambda: "Replaced Infrastructure" in titles(window), timeout=5000)
    target.write_bytes(target.read_bytes().replace(b"Replaced", b"Again"))
    qtbot.waitUntil(lambda: "Again Infrastructure" in titles(window), timeout=5000)
    (archive / "drafts" / "new.md").write_text("---\ntitle: Arrived Later\n---\nbody\n")
    qtbot.waitUntil(lambda: "Arrived Later" in titles(window), timeout=5000)
    (archive / "drafts" / "new.md").rename(archive / "drafts" / "renamed.md")
    qtbot.waitUntil(lambda: window.model.row_of("drafts/renamed.md") is not None, timeout=5000)
    assert window.model.row_of("drafts/new.md") is None
    (archive / "unsafe.md").unlink()
    qtbot.waitUntil(lambda: "Hostile Markup" not in titles(window), timeout=5000)
    assert window.model.rowCount() == 9


def test_preview_is_inert(qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    open_and_wait(qtbot, window, archive)
    select_title(qtbot, window, "Hostile Markup")
    browser = window.preview.browser
    text = browser.toPlainText()
    assert "<script>document.title = 'pwned'</script>" in text  # shown as text, not run
    assert '<img src="file:///etc/passwd">' in text and "<iframe" in text
    assert "[image: remote tracker]" in text and "[image: escaping image]" in text
    assert "pwned" not in window.windowTitle()
    html = browser.toHtml()
    assert 'href="javascript' not in html and "javascript link" in text  # shown as text, never a link
    assert 'href="https://example.org/page"' in html and "onclick" not in html
    image = int(QTextDocument.ResourceType.ImageResource.value)
    assert browser.loadResource(image, QUrl("file:///etc/passwd")) is None
    assert browser.loadResource(image, QUrl("https://tracker.example.com/pixel.png")) is None
    assert browser.loadResource(image, QUrl("../../../../etc/passwd")) is None
    source = browser.source()
    for url in ("javascript:alert(1)", "file:///etc/passwd", "other.md", "https://example.org/page"):
        browser.anchorClicked.emit(QUrl(url))
    assert [u.toString() for u in opened] == ["https://example.org/page"]
    assert browser.source() == source and "Nothing below may run" in browser.toPlainText()


def test_every_interactive_widget_is_named(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    open_and_wait(qtbot, window, archive)
    window.prefs.confirm_bulk = False
    window.taxonomy_action.trigger()
    qtbot.waitUntil(lambda: window.taxonomy.proxy.rowCount() > 0, timeout=5000)
    window.taxonomy.table.selectRow(0)
    dialogs = [
        window.bulk_tag(),
        window.bulk_set_field(),
        window.bulk_publish(),
        window.show_preferences(),
        window.show_shortcuts(),
        window.taxonomy.rename_selected(),
        window.show_history(),
    ]
    kinds = (
        QAbstractButton,
        QLineEdit,
        QAbstractItemView,
        QTextBrowser,
        QPlainTextEdit,
        QSplitter,
        QComboBox,
        QAbstractSpinBox,
    )
    unnamed = [
        f"{type(w).__name__} {w.objectName()!r} in {w.parent().objectName()!r}"
        for w in window.findChildren(QWidget)
        if isinstance(w, kinds)
        and w.parent() is not None
        and not type(w).__name__.startswith("QScroll")
        and w.objectName() != "qt_scrollarea_viewport"
        and (not w.objectName() or not w.accessibleName())
        and not w.objectName().startswith("qt_")
    ]
    assert unnamed == [], unnamed
    for dialog in dialogs:
        assert dialog is not None
        dialog.close()
    shortcuts = {a.objectName(): a.shortcut().toString() for a in window.actions() if not a.shortcut().isEmpty()}
    assert shortcuts["openArchive"] == "Ctrl+O" and shortcuts["quit"] == "Ctrl+Q"
    assert shortcuts["searchArchive"] == "Ctrl+F" and shortcuts["findInPreview"] == "Ctrl+Shift+F"


def test_layout_is_remembered(qtbot: QtBot, settings: QSettings, archive: Path) -> None:
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.show()
    open_and_wait(qtbot, first, archive)
    first.resize(760, 560)  # within the offscreen platform's 800x600 screen, to which geometry is clamped
    first.splitter.setSizes([300, 100, 300])
    first.table.setColumnHidden(Column.PATH, False)
    first.pane_actions["form"].setChecked(False)
    qtbot.waitUntil(lambda: first.splitter.sizes()[1] == 0)
    sizes = first.splitter.sizes()
    first.close()
    second = MainWindow(settings)
    qtbot.addWidget(second)
    second.show()
    assert not second.table.isColumnHidden(Column.PATH)
    assert second.form.isHidden() and not second.pane_actions["form"].isChecked()
    assert second.size().width() == 760 and second.splitter.sizes()[0] == sizes[0]
    assert second.recent_archives() == [str(archive.resolve())]
    assert [a.text() for a in second.recent_menu.actions()] == [str(archive.resolve())]


def test_cancel_indexing(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    root = tmp_path / "big"
    make_archive(root, 900)
    first_batch = []

    def on_rows(*_: object) -> None:
        if not first_batch:
            first_batch.append(window.model.rowCount())
            qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)

    window.model.rowsInserted.connect(on_rows)
    assert window.progress.isHidden()
    with qtbot.waitSignal(window.archive_loaded, timeout=20000):
        window.open_archive(root)
        assert window.progress.isVisible() and window.cancel_button.isVisible()
    assert window.last_stats is not None and window.last_stats.cancelled
    assert window.model.rowCount() < 900 and window.progress.isHidden()
    assert "Indexing cancelled" in window.statusBar().currentMessage()


def test_opening_another_archive_moves_the_watch(
    qtbot: QtBot, window: MainWindow, archive: Path, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, archive)
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(FIXTURES / "good" / "bom.md", other / "bom.md")
    open_and_wait(qtbot, window, other)
    assert titles(window) == ["数据中心的冷却革命"]
    (archive / "2025/01/crlf.md").write_text("---\ntitle: Not Watched Any More\n---\n")
    (other / "bom.md").write_bytes((other / "bom.md").read_bytes().replace("冷却革命".encode(), "冷却新篇".encode()))
    qtbot.waitUntil(lambda: titles(window) == ["数据中心的冷却新篇"], timeout=5000)
    assert window.model.rowCount() == 1


def test_selected_and_shown_paths_follow_the_table_with_and_without_a_filter(
    qtbot: QtBot, window: MainWindow, archive: Path
) -> None:
    open_and_wait(qtbot, window, archive)
    table = window.table

    def click(row: int, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        table.scrollTo(window.proxy.index(row, Column.TITLE))
        rect = table.visualRect(window.proxy.index(row, Column.TITLE))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())

    def in_table(rows: list[int]) -> list[str]:
        return [window.proxy.index(r, Column.PATH).data() for r in rows]

    click(3)
    click(1, Qt.KeyboardModifier.ControlModifier)
    click(5, Qt.KeyboardModifier.ControlModifier)
    assert window.selected_paths() == in_table([1, 3, 5])  # in table order
    assert window.shown_paths() == in_table(list(range(9)))
    qtbot.mouseClick(window.quick_buttons["drafts"], Qt.MouseButton.LeftButton)
    click(0)  # (the file shown before, kept in the table until another is picked, leaves it now)
    shown = window.proxy.rowCount()
    assert 1 < shown < 9 and window.shown_paths() == in_table(list(range(shown)))
    for row in range(2, shown):
        click(row, Qt.KeyboardModifier.ControlModifier)
    assert window.selected_paths() == in_table([0, *range(2, shown)])


def test_transcript_search_uses_the_full_text_index_and_follows_changes(
    qtbot: QtBot, window: MainWindow, archive: Path
) -> None:
    open_and_wait(qtbot, window, archive)
    qtbot.waitUntil(lambda: window.archive.text_search() is not None, timeout=10000)  # built in the background
    text_index = window.archive.index.text_index()  # type: ignore[union-attr]
    assert text_index.paths("hear the ice") == {"2025/02/comments.md"}
    type_search(qtbot, window, "text:glaciers")  # the title says it; so does no transcript
    qtbot.waitUntil(lambda: titles(window) == ["Field Notes: Listening to Glaciers"], timeout=5000)
    changed = archive / "2025" / "01" / "crlf.md"
    changed.write_bytes(changed.read_bytes().replace(b"Pager duty", b"Glaciers calving"))
    window.archive.refresh(["2025/01/crlf.md"])
    size = changed.stat().st_size
    qtbot.waitUntil(  # the refresh lands in the table
        lambda: any(r.path == "2025/01/crlf.md" and r.size == size for r in window.model.records), timeout=5000
    )
    type_search(qtbot, window, "body:glaciers")
    qtbot.waitUntil(lambda: titles(window) == ["Quiet Infrastructure"], timeout=5000)
    assert text_index.paths("glaciers calving") == {"2025/01/crlf.md"}  # indexed again, that file only


def test_a_transcript_search_shows_the_words_around_each_match_with_the_match_marked(
    qtbot: QtBot, window: MainWindow, archive: Path, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, archive)
    assert window.table.isColumnHidden(Column.MATCH)  # no transcript search: no Match column
    type_search(qtbot, window, 'body:"HEAR the"')
    qtbot.waitUntil(lambda: titles(window) == ["Field Notes: Listening to Glaciers"], timeout=5000)
    assert not window.table.isColumnHidden(Column.MATCH)
    header = window.table.horizontalHeader()
    assert header.visualIndex(Column.MATCH) == header.visualIndex(Column.TITLE) + 1  # seen without scrolling
    cell = window.proxy.index(0, Column.MATCH)
    window.table.scrollTo(cell)
    qtbot.waitUntil(lambda: isinstance(cell.data(SNIPPET_ROLE), Hit), timeout=5000)  # read when shown
    hit = cell.data(SNIPPET_ROLE)
    assert hit.match == "hear the" and hit.before.endswith("You learn to ") and hit.after.startswith(" ice before")
    assert cell.data() == hit.before + hit.match + hit.after
    window.resize(1400, 700)
    window.grab().save(str(tmp_path / "match.png"))  # looked at: the match is marked in the row
    type_search(qtbot, window, "tag:ai")
    qtbot.waitUntil(lambda: window.table.isColumnHidden(Column.MATCH), timeout=5000)


def test_an_opened_transcript_search_result_shows_its_matches_marked_far_down(
    qtbot: QtBot, window: MainWindow, archive: Path, tmp_path: Path
) -> None:
    """A result opened from ``body:`` shows where it matched: every place marked, the first scrolled to,
    as the search matches (case and full-width forms alike); F3 goes on to the next."""
    lines = [f"**[Host]**: Line {i} about the weather and 其他话题 😀." for i in range(300)]
    lines[180] = "**[Guest]**: We measured the ＬＡＴＥＮＣＹ budget twice, then the Latency again."
    open_only_result(qtbot, window, archive, "Long Talk", lines, "body:latency")
    preview = window.preview
    qtbot.waitUntil(lambda: len(preview.search_marks.marks) == 2, timeout=5000)
    document = preview.browser.document()

    def text_at(span: tuple[int, int]) -> str:
        cursor = QTextCursor(document)
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText()

    assert [text_at(s) for s in preview.search_marks.marks] == [
        "ＬＡＴＥＮＣＹ",
        "Latency",
    ]  # (past emoji: UTF-16 positions)
    assert len(preview.browser.extraSelections()) == 2
    assert preview.browser.textCursor().selectedText() == "ＬＡＴＥＮＣＹ"
    assert preview.browser.verticalScrollBar().value() > 0  # scrolled down to it
    assert preview.browser.viewport().rect().contains(preview.browser.cursorRect())  # on screen
    window.grab().save(str(tmp_path / "marks.png"))  # looked at: marked, the first selected, a third down
    qtbot.keyClick(preview.browser, Qt.Key.Key_F3)  # find next: the search's text
    assert preview.browser.textCursor().selectedText() == "Latency"
    third = preview.browser.viewport().height() // 3  # shown in its context, not at the bottom edge (trial)
    assert abs(preview.browser.cursorRect().top() - third) < 40
    qtbot.keyClick(preview.browser, Qt.Key.Key_F3)  # round to the first
    assert preview.browser.textCursor().selectedText() == "ＬＡＴＥＮＣＹ"
    shift = Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(preview.browser, Qt.Key.Key_F3, shift)  # find previous: round to the last
    assert preview.browser.textCursor().selectedText() == "Latency"
    qtbot.keyClick(preview.browser, Qt.Key.Key_F3, shift)
    assert preview.browser.textCursor().selectedText() == "ＬＡＴＥＮＣＹ"
    type_search(qtbot, window, "body:nowhere-in-it")  # the old match no longer looks selected (trial)
    qtbot.waitUntil(lambda: not preview.browser.textCursor().hasSelection(), timeout=5000)
    type_search(qtbot, window, "tag:ai")  # no transcript text: no marks
    qtbot.waitUntil(lambda: not preview.browser.extraSelections(), timeout=5000)


def test_a_search_marking_thousands_of_places_gives_the_browser_those_in_view_as_it_scrolls(
    qtbot: QtBot, window: MainWindow, archive: Path
) -> None:
    """Each mark given to the preview costs the GUI thread its layout (2,000 over a 2 MB transcript held it
    160 ms): the ones in and around the view are given, again after a scroll; F3 still goes through all."""
    from masthead.ui.search_marks import MARKS, SHOWN

    lines = [f"**[Host]**: Turn {i}: one valve, the valve cover, a valve seat." for i in range(1500)]
    open_only_result(qtbot, window, archive, "Many Marks", lines, "body:valve")
    preview = window.preview
    marks = preview.search_marks
    qtbot.waitUntil(lambda: len(marks.marks) == 3 * 1500 <= MARKS, timeout=5000)
    browser = preview.browser

    def given() -> list[tuple[int, int]]:
        return [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in browser.extraSelections()]

    def in_view() -> list[tuple[int, int]]:
        top = browser.cursorForPosition(QPoint(0, 0)).position()
        bottom = browser.cursorForPosition(QPoint(browser.viewport().width(), browser.viewport().height())).position()
        return [m for m in marks.marks if top <= m[0] <= bottom]

    qtbot.waitUntil(lambda: bool(given()), timeout=5000)
    assert 0 < len(given()) <= SHOWN and set(in_view()) <= set(given())
    bar = browser.verticalScrollBar()
    last = marks.marks[-1]  # far down: not given until scrolled to
    assert last not in given()
    cursor = QTextCursor(browser.document())
    cursor.setPosition(last[1])
    browser.setTextCursor(cursor)
    browser.ensureCursorVisible()
    assert bar.value() > 0
    qtbot.waitUntil(lambda: last in given(), timeout=5000)
    assert set(in_view()) <= set(given()) and len(given()) <= SHOWN
    qtbot.keyClick(browser, Qt.Key.Key_F3)  # past the last mark given: round to the first of all
    assert browser.textCursor().selectionStart() == marks.marks[0][0]
    qtbot.waitUntil(lambda: marks.marks[0] in given(), timeout=5000)


def test_a_search_in_more_places_than_are_marked_says_so(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    """Past the marks' limit the rest of the transcript was shown unmarked, and nothing said why (a trial)."""
    from masthead.ui.search_marks import MARKS

    lines = ["**[Host]**: " + "zq " * 100 for _ in range(MARKS // 100 + 5)]
    open_only_result(qtbot, window, archive, "Many", lines, "body:zq")
    qtbot.waitUntil(lambda: len(window.preview.search_marks.marks) == MARKS, timeout=10000)
    qtbot.waitUntil(lambda: "more than 20,000 times" in window.statusBar().currentMessage(), timeout=5000)
    assert "“zq”" in window.statusBar().currentMessage()


def test_a_transcript_marked_to_the_limit_is_not_searched_again_as_it_grows(
    qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the first MARKS places are marked, a long transcript's later pieces (which only come after its
    end) cannot change them: searching the whole text again for each was ~50 ms of a worker's time holding the
    GIL, every quarter of a second while a 2 MB transcript was shown."""
    from masthead.ui import search_marks
    from masthead.ui.search_marks import MARKS

    searched: list[int] = []
    plain = search_marks.qt_spans

    def counted(raw: str, text: str) -> list[tuple[int, int]]:
        found = plain(raw, text)
        searched.append(len(found))
        return found

    monkeypatch.setattr(search_marks, "qt_spans", counted)
    monkeypatch.setattr(search_marks, "GROWN_EVERY", 0.0)  # (every piece would refresh the marks)
    lines = ["**[Host]**: " + "zq " * 100 for _ in range(MARKS // 100 + 5)]
    open_only_result(qtbot, window, archive, "Many", lines, "body:zq")
    marks = window.preview.search_marks
    qtbot.waitUntil(lambda: len(marks.marks) == MARKS, timeout=10000)
    qtbot.waitUntil(lambda: not marks._finding, timeout=5000)
    assert searched and searched[-1] > MARKS
    generation = marks._generation
    marks.grown()  # another piece shown (as the preview calls it): no search starts
    assert marks._generation == generation and not marks._finding and len(marks.marks) == MARKS
    before = len(searched)
    marks.set_text("zq zq")  # another search: searched again, whole
    marks.refresh()
    qtbot.waitUntil(lambda: len(searched) > before, timeout=5000)


def test_a_long_count_message_does_not_widen_the_browser(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    """A search matching nothing explains itself at length: the text wraps in the browser pane; the panes
    keep their widths (the pane grew to 770 of 1280 px, crushing the form and the preview: a new-user trial)."""
    open_and_wait(qtbot, window, archive)
    window.resize(1280, 800)
    qtbot.wait(50)
    sizes = window.splitter.sizes()
    type_search(qtbot, window, "zz-nothing-matches-this")
    qtbot.waitUntil(lambda: "match the search" in window.count_label.text(), timeout=5000)
    qtbot.wait(50)
    assert window.splitter.sizes() == sizes
    assert window.count_label.toolTip() == window.count_label.text()


def test_a_search_with_an_unreadable_word_shows_the_rest_of_it(qtbot: QtBot, window: MainWindow, archive: Path) -> None:
    """``people:"Sam Reyes" date>=2025-13``: the bad date is pointed out and the files of the rest are shown
    (it showed whatever the last keystroke that parsed gave: ``people:"Sam Reyes" date``, no file: a trial)."""
    open_and_wait(qtbot, window, archive)
    type_search(qtbot, window, 'people:"Sam Reyes"')
    qtbot.waitUntil(lambda: window.proxy.rowCount() >= 1, timeout=5000)
    wanted = titles(window)
    type_search(qtbot, window, 'people:"Sam Reyes" date>=2025-13')
    qtbot.waitUntil(lambda: titles(window) == wanted, timeout=5000)
    assert window.browser.search_error.isVisible()
    assert "Showing the search without “date>=2025-13”" in window.browser.search_error.text()


def test_an_unclosed_bracket_is_marked_where_it_opens(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """The YAML tab highlights the line of the unclosed ``[``, not the later line where the parser gave up (a
    new-user trial's eye went to the wrong line); the message names both."""
    root = tmp_path / "unclosed"
    root.mkdir()
    (root / "a.md").write_text(
        "---\ntitle: 访谈\ntags: [unclosed, oops\nsummary: 一句\nproject: []\n---\n正文\n", encoding="utf-8"
    )
    open_and_wait(qtbot, window, root)
    with qtbot.waitSignal(window.preview.rendered, timeout=5000):
        click_row(qtbot, window, 0)
    assert "problem on line 3" in window.form.title.text() and "seen on line" in window.form.title.text()
    window.form.tabs.setCurrentIndex(1)
    view = window.form.yaml_view
    assert view.highlighted_line() == 3 and view.textCursor().block().text() == "tags: [unclosed, oops"


def test_files_changed_elsewhere_after_masthead_was_updated_are_shown_and_it_says_to_restart(
    qtbot: QtBot, window: MainWindow, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Masthead's code changed on disk while the window ran (an upgrade): more than AWAY_MIN changed files are
    read by worker processes, which run the new code and refused. The refresh was dropped without a word:
    the table, the taxonomy and the open form stayed as before (a new-user trial: a rename of 38 files, then
    a search for the new tag found nothing). Now they are read here, and the status bar says to restart."""
    from masthead.core import workers
    from masthead.core.index import AWAY_MIN

    for i in range(AWAY_MIN + 5):
        (archive / f"n{i:02}.md").write_text(f"---\ntitle: New {i}\ntags: [old]\n---\nbody\n")
    open_and_wait(qtbot, window, archive)
    monkeypatch.setattr(workers, "STAMP", "an-older-build")  # this window, as if it ran code replaced since
    for i in range(AWAY_MIN + 5):  # another program changes them all
        (archive / f"n{i:02}.md").write_text(f"---\ntitle: New {i}\ntags: [renamed]\n---\nbody, longer\n")
    try:
        window.rescan_now()
        qtbot.waitUntil(lambda: "renamed" in window.vocabulary.get("tags", {}), timeout=20000)
        qtbot.waitUntil(lambda: "updated while it was running" in window.statusBar().currentMessage(), timeout=5000)
        records = [window.model.record(window.model.row_of(f"n{i:02}.md")) for i in range(AWAY_MIN + 5)]
        assert all(r.meta["tags"] == ["renamed"] for r in records)
        assert "old" not in window.vocabulary.get("tags", {})
    finally:
        workers._other_code.clear()


def test_field_actions_are_offered_only_with_an_editable_file_open(
    qtbot: QtBot, window: MainWindow, archive: Path
) -> None:
    """Document ▸ Add Field… and Remove This Field… (Ctrl+Shift+Backspace) were enabled with no file open (a
    new-user trial): they follow the open file, and a file that cannot be read is not edited either."""
    add, remove = window.acts["addField"], window.acts["removeField"]
    assert not add.isEnabled() and not remove.isEnabled()  # (no archive yet)
    open_and_wait(qtbot, window, archive)
    assert not add.isEnabled() and not remove.isEnabled()
    assert window.select_path("2025/01/english-null.md")
    qtbot.waitUntil(lambda: add.isEnabled() and remove.isEnabled(), timeout=5000)
    assert window.select_path("drafts/broken.md")
    qtbot.waitUntil(lambda: window.form.rel == "drafts/broken.md", timeout=5000)
    qtbot.waitUntil(lambda: not add.isEnabled() and not remove.isEnabled(), timeout=5000)
