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
from PySide6.QtWidgets import QApplication
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
        else:
            query_text, folder = (str(number), folder) if kind == "filter" else (query_text, str(number))
            query = proxy.prepared(parse_query(query_text)) if query_text else None
            verdicts = Filters(query, folder).verdicts(model.records, None, None) if precomputed else None
            proxy.set_filters(query, folder, verdicts=verdicts)
    filters = Filters(proxy.prepared(parse_query(query_text)) if query_text else None, folder)
    expected = [r.path for r in model.records if filters.accepts(r, None, None) or r.path == proxy.pinned]
    assert shown(proxy) == expected


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
