"""The documents table's filter: the rows the proxy shows are always the records its filters accept (and
the pinned file), across the model's changes; a large archive's filter is computed in the background and a
result for an older filter never replaces a newer one."""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from masthead.core.query import parse_query
from masthead.core.records import Record
from masthead.ui import browser as browser_module
from masthead.ui import models
from masthead.ui.browser import BrowserPane
from masthead.ui.documents_proxy import DocumentsProxy, Filters
from masthead.ui.folder_model import FolderModel
from masthead.ui.models import Column, DocumentsModel

TAGS = st.lists(st.sampled_from(["ai", "ml", "访谈"]), max_size=2, unique=True)
OPERATION = st.one_of(
    st.tuples(st.just("update"), st.integers(0, 40), TAGS),
    st.tuples(st.just("add"), st.integers(0, 1000), TAGS),
    st.tuples(st.just("remove"), st.integers(0, 40), st.just([])),
    st.tuples(st.just("pin"), st.integers(0, 40), st.just([])),
    st.tuples(st.just("sort"), st.sampled_from([0, 1]), st.just([])),
    st.tuples(st.just("filter"), st.sampled_from(["tags:ai", "-tags:ml", "tags:访谈 OR tags:ml", ""]), st.just([])),
    st.tuples(st.just("folder"), st.sampled_from(["", "a", "b"]), st.just([])),
    st.tuples(st.just("late"), st.integers(0, 40), TAGS),  # a file changes while its filter is judged
)


def shown(proxy: DocumentsProxy) -> list[str]:
    return [str(proxy.index(row, Column.PATH).data()) for row in range(proxy.rowCount())]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(TAGS, min_size=1, max_size=25), st.lists(OPERATION, max_size=14), st.booleans())
def test_shown_rows_are_those_the_filters_accept(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tags: list[list[str]], operations: list[Any], precomputed: bool
) -> None:
    monkeypatch.setattr(models, "BACKGROUND_SORT", 10**9)  # sorted inline: the test looks right after
    model = DocumentsModel()
    model.reset([Record(f"{'ab'[i % 2]}/f{i:03}.md", 1, 1, {"title": f"T{i}", "tags": t}) for i, t in enumerate(tags)])
    proxy = DocumentsProxy()
    proxy.setSourceModel(model)
    proxy.set_filters(parse_query("tags:ai"))
    query_text, folder, stamp = "tags:ai", "", 1
    for kind, number, values in operations:
        records = model.records
        if kind == "update" and records:
            stamp += 1
            model.update([dataclasses.replace(records[number % len(records)], mtime_ns=stamp, meta={"tags": values})])
        elif kind == "add":
            model.add([Record(f"{'ab'[number % 2]}/n{number:04}.md", 1, 1, {"tags": values})])
        elif kind == "remove" and records:
            model.remove([records[number % len(records)].path])
        elif kind == "pin":
            proxy.pin(records[number % len(records)].path if records and number % 5 else None)
        elif kind == "sort":
            model.sort(Column.TITLE if number else Column.PATH, Qt.SortOrder.DescendingOrder)
        elif kind == "late" and records:
            query = proxy.prepared(parse_query(query_text)) if query_text else None
            verdicts = Filters(query, folder).verdicts(records, None, None) if precomputed else None
            stamp += 1
            model.update([dataclasses.replace(records[number % len(records)], mtime_ns=stamp, meta={"tags": values})])
            proxy.set_filters(query, folder, verdicts=verdicts)
        elif kind in ("filter", "folder"):
            query_text, folder = (str(number), folder) if kind == "filter" else (query_text, str(number))
            query = proxy.prepared(parse_query(query_text)) if query_text else None
            verdicts = Filters(query, folder).verdicts(model.records, None, None) if precomputed else None
            proxy.set_filters(query, folder, verdicts=verdicts)
    filters = Filters(proxy.prepared(parse_query(query_text)) if query_text else None, folder)
    expected = [r.path for r in model.records if filters.accepts(r, None, None) or r.path == proxy.pinned]
    assert shown(proxy) == expected


def test_verdicts_judged_in_the_background_keep_the_pinned_file_shown(qtbot: QtBot) -> None:
    """Verdicts judged on the model's very records are read in one go (a search over 10,000 rows called
    ``_verdict`` 10,000 times on the GUI thread): the file being edited stays shown all the same."""
    model = DocumentsModel()
    model.reset([Record(f"f{i}.md", 1, 1, {"tags": ["ai"] if i != 1 else []}) for i in range(3)])
    proxy = DocumentsProxy()
    proxy.setSourceModel(model)
    proxy.pin("f1.md")
    query = proxy.prepared(parse_query("tags:ai"))
    proxy.set_filters(query, verdicts=Filters(query).verdicts(model.records, None, None))
    assert shown(proxy) == ["f0.md", "f1.md", "f2.md"]
    proxy.pin("f0.md")
    assert shown(proxy) == ["f0.md", "f2.md"]


def make_browser(qtbot: QtBot, count: int) -> BrowserPane:
    model = DocumentsModel()
    pane = BrowserPane(model, FolderModel())
    qtbot.addWidget(pane)
    pane.loading(True)
    tags = [["ai"] if i % 3 == 0 else [] for i in range(count)]
    model.reset([Record(f"f{i:03}.md", 1, 1, {"title": f"T{i}", "tags": tags[i]}) for i in range(count)])
    pane.loaded()
    pane.show()
    return pane


def type_search(qtbot: QtBot, pane: BrowserPane, text: str) -> None:
    pane.search.setFocus()
    pane.search.selectAll()
    qtbot.keyClicks(pane.search, text) if text else qtbot.keyClick(pane.search, Qt.Key.Key_Backspace)
    pane.search_timer.stop()
    pane.apply_search()


def test_a_large_archive_is_filtered_in_the_background(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser_module, "BACKGROUND_FILTER", 10)
    pane = make_browser(qtbot, 30)
    type_search(qtbot, pane, "tags:ai")
    assert pane._waiting is not None  # judged on a worker thread
    qtbot.waitUntil(lambda: pane.proxy.rowCount() == 10)
    assert pane.count_label.text() == "10 of 30"
    record = pane.model.records[pane.model.row_of("f001.md") or 0]
    pane.model.update([dataclasses.replace(record, mtime_ns=5, meta={"tags": ["ai"]})])  # saved: judged again
    assert pane.proxy.rowCount() == 11


def test_down_pressed_while_the_filter_is_computed_goes_to_its_first_result(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browser_module, "BACKGROUND_FILTER", 10)
    pane = make_browser(qtbot, 30)
    pane.search.setFocus()
    qtbot.keyClicks(pane.search, "tags:ai")
    qtbot.keyClick(pane.search, Qt.Key.Key_Down)  # the typed search starts; its results are not known yet
    assert pane.table.currentIndex().isValid() is False
    qtbot.waitUntil(lambda: pane.table.currentIndex().isValid())
    assert pane.proxy.rowCount() == 10
    assert pane.table.currentIndex().data(models.PATH_ROLE) in {f"f{i:03}.md" for i in range(0, 30, 3)}


def test_a_transcript_search_finishing_late_does_not_replace_a_newer_filter(qtbot: QtBot) -> None:
    pane = make_browser(qtbot, 12)
    release = threading.Event()

    def body(path: str) -> str:
        release.wait(10)  # a slow disk: the transcripts are still being read
        return "nothing here"

    pane.body = body
    type_search(qtbot, pane, "body:agent")
    type_search(qtbot, pane, "")  # cleared before the transcript search ends
    assert pane.proxy.rowCount() == 12
    release.set()
    qtbot.wait(300)
    QApplication.processEvents()
    assert pane.proxy.rowCount() == 12
    assert pane.count_label.text() == "12 of 12"


def shown_paths(pane: BrowserPane) -> list[str]:
    return [str(pane.proxy.index(r, 0).data(models.PATH_ROLE)) for r in range(pane.proxy.rowCount())]


def test_a_git_change_while_a_git_filter_is_computed_is_not_lost(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by review: files' git states changing while ``git:modified`` was judged in the background
    (a save, a refresh) were lost: the stale verdicts replaced the new ones."""
    monkeypatch.setattr(browser_module, "BACKGROUND_FILTER", 10)
    pane = make_browser(qtbot, 30)
    paths = frozenset(r.path for r in pane.model.records)
    pane.model.set_git_states({"f000.md": "modified"}, paths)
    computed, release = threading.Event(), threading.Event()
    judge = Filters.verdicts

    def slow(self: Filters, *args: Any) -> Any:  # judged every record, then slow to return
        out = judge(self, *args)
        computed.set()
        release.wait(10)
        return out

    monkeypatch.setattr(Filters, "verdicts", slow)
    type_search(qtbot, pane, "git:modified")
    assert computed.wait(10)
    moved = pane.model.set_git_states({"f000.md": "modified", "f001.md": "modified"}, paths)
    pane.proxy.git_changed(moved)  # as the window does
    release.set()
    qtbot.waitUntil(lambda: pane._waiting is None and sorted(shown_paths(pane)) == ["f000.md", "f001.md"])


def test_a_down_pressed_long_ago_never_takes_the_focus_back(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by review: Down pressed during a slow transcript search, then the user working elsewhere: the
    table took the focus (and opened a file) when the result came; after a failed filter, at any later one."""
    pane = make_browser(qtbot, 12)
    other = QLineEdit(pane)  # the form's editor, say
    pane.layout().addWidget(other)
    other.show()
    release = threading.Event()
    pane.body = lambda path: (release.wait(10), "agent" if path == "f005.md" else "nothing")[1]
    pane.search.setFocus()
    qtbot.keyClicks(pane.search, "body:agent")
    qtbot.keyClick(pane.search, Qt.Key.Key_Down)  # the results are not known yet
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    release.set()
    qtbot.waitUntil(lambda: pane._waiting is None and pane.proxy.rowCount() == 1)
    QApplication.processEvents()
    assert other.hasFocus() and not pane.table.currentIndex().isValid()

    monkeypatch.setattr(browser_module, "BACKGROUND_FILTER", 10)
    judge = Filters.verdicts
    failing = [True]

    def flaky(self: Filters, *args: Any) -> Any:
        if failing[0]:
            raise RuntimeError("a failure")
        return judge(self, *args)

    monkeypatch.setattr(Filters, "verdicts", flaky)
    type_search(qtbot, pane, "tags:ai")
    pane.search.setFocus()
    qtbot.keyClick(pane.search, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: pane._waiting is None)
    failing[0] = False
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    pane.apply_filters()  # later, for another reason (a folder picked, a rerun)
    qtbot.waitUntil(lambda: pane._waiting is None)
    assert other.hasFocus() and not pane.table.hasFocus()


def test_searching_transcripts_is_no_longer_said_once_the_search_is_changed(qtbot: QtBot) -> None:
    """Found by review: the status kept "Searching transcripts…" after the search was cleared."""
    pane = make_browser(qtbot, 12)
    messages: list[str] = []
    pane.status.connect(messages.append)
    release = threading.Event()
    pane.body = lambda path: (release.wait(10), "nothing")[1]
    type_search(qtbot, pane, "body:agent")
    assert messages[-1].startswith("Searching transcripts")
    type_search(qtbot, pane, "")
    release.set()
    qtbot.wait(200)
    assert messages[-1] == ""


def test_a_filter_removing_many_runs_of_rows_counts_them_once(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found with bench_gui: Qt signals each run of rows a filter removes apart (thousands for a search over
    10,000 files), and the count was made again at each: tens of ms of the GUI thread."""
    pane = make_browser(qtbot, 30)  # every third file is tagged ai: 20 runs of rows go
    texts: list[str] = []
    real = pane.count_label.setText
    monkeypatch.setattr(pane.count_label, "setText", lambda text: (texts.append(text), real(text)))
    type_search(qtbot, pane, "tags:ai")
    qtbot.wait(50)
    assert pane.proxy.rowCount() == 10 and texts[-1] == "10 of 30" and len(texts) <= 2


def test_verdicts_judged_in_the_background_pause_for_the_gui_thread() -> None:
    """The worker judging 10,000 records pauses as it goes (``pacing``: the window makes it wait while the GUI
    thread is busy): without a pause it ran beside the table's refilter, whose 10,000 calls into Python each
    waited for the GIL (a body:e search held the GUI thread 160 ms)."""
    from masthead.core import pacing

    records = [Record(f"f{i:05}.md", 1, 1, {"tags": ["ai"] if i % 3 else []}) for i in range(5000)]
    pauses: list[int] = []
    before = pacing._pause
    pacing.install(lambda: pauses.append(1))
    try:
        verdicts = Filters(parse_query("tag:ai")).verdicts(records, None, None)
    finally:
        pacing.install(before)
    assert [v for _, v in verdicts.values()] == [bool(i % 3) for i in range(5000)]
    assert len(pauses) >= 5000 // pacing.EVERY


def test_a_view_gets_each_cell_in_one_call_with_the_same_values(qtbot: QtBot) -> None:
    """A view asks the roles of a cell together (``multiData``: one call into Python, not seven, each taking
    the GIL): what it draws is what ``data`` gives, through the filter too (the open file in italics, an
    error's icon and tooltip)."""
    from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTableView

    class Counted(DocumentsModel):
        asked = 0

        def multiData(self, index: Any, roles: Any) -> None:
            Counted.asked += 1
            super().multiData(index, roles)

    model = Counted()
    model.reset(
        [
            Record("a.md", 1, 1, {"title": "Alpha", "tags": ["ai"], "date": "2025-01-02"}),
            Record("b.md", 1, 1, {"title": "Beta", "tags": ["ml"]}, error="bad YAML", error_line=3),
            Record("c.md", 1, 1, {"title": "Gamma", "tags": ["ai", "ml"], "status": "draft"}),
        ]
    )
    proxy = DocumentsProxy()
    proxy.setSourceModel(model)
    proxy.pin("b.md")
    proxy.set_filters(parse_query("tags:ai"))
    model.set_outside("b.md")  # shown only because it is open: in italics
    view = QTableView()
    view.setModel(proxy)
    qtbot.addWidget(view)
    delegate = QStyledItemDelegate()
    roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.DecorationRole]
    assert shown(proxy) == ["a.md", "b.md", "c.md"]
    seen = []
    Counted.asked = 0
    for row in range(proxy.rowCount()):
        for column in range(proxy.columnCount()):
            index = proxy.index(row, column)
            option = QStyleOptionViewItem()
            delegate.initStyleOption(option, index)  # (Qt's delegates ask through multiData)
            text, font, icon = (index.data(role) for role in roles)
            assert option.text == (text or "")
            assert option.font.italic() == bool(font is not None and font.italic())
            assert option.icon.isNull() == (icon is None)
            seen.append((row, option.text, option.font.italic(), not option.icon.isNull()))
    assert (0, "Alpha", False, False) in seen and (1, "Beta", True, True) in seen
    assert Counted.asked == len(seen)  # one call a cell (the filter passes it on)
