"""The documents model's background sort gives what a stable Python sort gives, reusing known keys."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from masthead.core.records import Record
from masthead.ui import models
from masthead.ui.models import Column, DocumentsModel

titles = st.lists(st.sampled_from(["Alpha", "alpha", "Beta", "访谈", "", "Zed"]), min_size=6, max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(titles, st.booleans())
def test_background_sort_is_stable_and_follows_changes(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, names: list[str], descending: bool
) -> None:
    monkeypatch.setattr(models, "BACKGROUND_SORT", 5)
    records = [Record(f"f{i:02}.md", 10, 1, {"title": t}) for i, t in enumerate(names)]
    model = DocumentsModel()
    model.reset(records)
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder

    def expected(rs: list[Record]) -> list[str]:
        return [r.path for r in sorted(rs, key=lambda r: model._sort_key(r, Column.TITLE), reverse=descending)]

    with qtbot.waitSignal(model.sorted):
        model.sort(Column.TITLE, order)
    assert [r.path for r in model.records] == expected(records)
    changed = dataclasses.replace(model.records[0], mtime_ns=2, meta={"title": "Middle"})
    with qtbot.waitSignal(model.sorted):
        model.update([changed])  # a changed file gets a new key; the others' keys are reused
    now = [changed if r.path == changed.path else r for r in records]
    assert [r.path for r in model.records] == expected(now)
