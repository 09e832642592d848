"""The taxonomy panel on its own: it sorts and filters itself, lists near-duplicates side by side, counts what
its filter shows, updates just the changed rows from a vocabulary delta and does nothing while hidden."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from masthead.core.operations import Edit
from masthead.core.records import Record
from masthead.core.vocabulary import build_vocabulary, normalize
from masthead.ui.taxonomy import TaxonomyPanel


class Host:
    """The window's side: records what the panel asks for."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    def open_operation(
        self, rels: list[str], make_edit: Callable[[], Edit | None], title: str, editor: QWidget | None = None
    ) -> Any:
        return None

    def show_query(self, text: str) -> None:
        self.queries.append(text)


def rec(path: str, **meta: object) -> Record:
    return Record(path, 1, 1, dict(meta))


def records() -> list[Record]:
    out = [rec(f"s{i}.md", tags=["streaming", "alpha"]) for i in range(5)]
    out += [rec(f"z{i}.md", tags=["zeta"], people=["Ada"]) for i in range(3)]
    out += [rec("big.md", tags=["Streaming", "beta"], people=["ada", "Bob"])]
    return out


@pytest.fixture
def panel(qtbot: QtBot) -> Iterator[TaxonomyPanel]:
    widget = TaxonomyPanel(Host())
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.set_data(build_vocabulary(records()), records())
    widget.show()
    qtbot.waitUntil(lambda: widget.ready, timeout=5000)
    yield widget


def shown(panel: TaxonomyPanel) -> list[tuple[str, str, str]]:
    model = panel.table.model()
    return [
        (model.index(r, 0).data(), model.index(r, 1).data(), model.index(r, 2).data()) for r in range(model.rowCount())
    ]


def test_near_duplicates_sit_side_by_side_and_the_count_honours_the_filter(qtbot: QtBot, panel: TaxonomyPanel) -> None:
    values = [v for v, _, _ in shown(panel)]  # most used first: streaming (5) before zeta (3), Streaming (1) with it
    assert values.index("Streaming") == values.index("streaming") + 1
    assert values.index("ada") == values.index("Ada") + 1
    assert panel.status.text() == "8 values in 2 fields; 2 near-duplicate groups"
    qtbot.keyClicks(panel.filter, "stream")
    assert [v for v, _, _ in shown(panel)] == ["streaming", "Streaming"]
    assert panel.status.text() == "2 of 8 values in 2 fields; 2 near-duplicate groups"
    panel.filter.clear()
    QTest.mouseClick(panel.near_only, Qt.MouseButton.LeftButton)
    assert [v for v, _, _ in shown(panel)] == ["streaming", "Streaming", "Ada", "ada"]
    assert panel.status.text().startswith("4 of 8 values")


def test_clicking_a_header_sorts_in_place_and_keeps_the_selection(qtbot: QtBot, panel: TaxonomyPanel) -> None:
    resets: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    assert panel.select_value("tags", "zeta")
    header = panel.table.horizontalHeader()
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(header.sectionViewportPosition(0) + 5, 5))
    keys = [normalize(v) for v, _, _ in shown(panel)]
    assert keys in (sorted(keys), sorted(keys, reverse=True)) and keys[0] != keys[-1]
    assert panel.selected() == [("tags", "zeta", 3)] and not resets


def test_a_delta_updates_just_the_changed_rows(qtbot: QtBot, panel: TaxonomyPanel) -> None:
    events: list[str] = []
    model = panel.model
    model.modelReset.connect(lambda: events.append("reset"))
    model.rowsInserted.connect(lambda _p, first, last: events.append(f"inserted {model.index(first, 0).data()}"))
    model.rowsAboutToBeRemoved.connect(lambda _p, first, last: events.append(f"removed {model.index(first, 0).data()}"))
    assert panel.select_value("people", "Bob")
    vocab, files = panel.vocabulary, records()
    old = [files[-1]]  # big.md: Streaming, beta -> gamma, beta
    new = [rec("big.md", tags=["gamma", "beta"], people=["ada", "Bob"])]
    delta = vocab.update(old, new)
    panel.apply_delta(vocab, delta, files[:-1] + new)
    assert "reset" not in events
    assert "removed Streaming" in events and "inserted gamma" in events
    assert ("gamma", "tags", "1") in shown(panel) and "Streaming" not in [v for v, _, _ in shown(panel)]
    assert panel.model.index([v for v, _, _ in shown(panel)].index("streaming"), 3).data() == ""  # no longer a pair
    assert panel.selected() == [("people", "Bob", 1)]
    assert panel.status.text() == "8 values in 2 fields; 1 near-duplicate group"


def test_nothing_happens_while_hidden_and_it_catches_up_when_shown(qtbot: QtBot, panel: TaxonomyPanel) -> None:
    panel.hide()
    events: list[str] = []
    panel.model.rowsInserted.connect(lambda *_: events.append("inserted"))
    panel.model.modelReset.connect(lambda *_: events.append("reset"))
    vocab, files = panel.vocabulary, records()
    new = rec("new.md", tags=["omega"])
    panel.apply_delta(vocab, vocab.update([], [new]), [*files, new])
    assert not events and panel.pending == {("tags", "omega")}
    panel.show()
    assert events == ["inserted"] and ("omega", "tags", "1") in shown(panel)


def test_clear_forgets_the_archive(qtbot: QtBot, panel: TaxonomyPanel) -> None:
    panel.clear()
    assert shown(panel) == [] and panel.status.text() == "0 values in 0 fields; 0 near-duplicate groups"
    assert panel.field.count() == 1


def test_a_large_vocabulary_is_listed_off_the_gui_thread(qtbot: QtBot) -> None:
    files = [rec(f"{i}.md", tags=[f"tag-{i}", f"Tag {i % 50}"], people=[f"person {i}"]) for i in range(6000)]
    widget = TaxonomyPanel(Host())
    qtbot.addWidget(widget)
    widget.set_data(build_vocabulary(files), files)
    assert widget.model.rowCount() == 0  # hidden: nothing built
    widget.show()
    assert not widget.ready and widget.status.text().startswith("Listing 12,050 values")
    qtbot.waitUntil(lambda: widget.ready, timeout=20000)
    assert widget.model.rowCount() == 12050
    assert widget.status.text() == "12,050 values in 2 fields; 50 near-duplicate groups"
    header = widget.table.horizontalHeader()
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(header.sectionViewportPosition(0) + 5, 5))
    assert widget.model.sorting  # off the GUI thread; a change meanwhile is placed once it is sorted
    new = rec("new.md", tags=["Tag 7", "0000 first"])
    widget.apply_delta(widget.vocabulary, widget.vocabulary.update([], [new]), [*files, new])
    qtbot.waitUntil(lambda: not widget.model.sorting, timeout=20000)
    model = widget.model
    keys = [normalize(model.index(r, 0).data()) for r in range(model.rowCount())]
    assert keys in (sorted(keys), sorted(keys, reverse=True)) and model.rowCount() == 12051
    assert "0000 first" in {model.index(r, 0).data() for r in (0, model.rowCount() - 1)}


def test_a_new_vocabulary_keeps_the_selected_values_selected(qtbot: QtBot, panel: TaxonomyPanel) -> None:
    assert panel.select_value("people", "Bob") and panel.select_value("tags", "zeta", extend=True)
    panel.set_data(build_vocabulary(records()), records())  # as after a full rebuild by the window
    qtbot.waitUntil(lambda: panel.ready, timeout=5000)
    assert panel.selected() == [("tags", "zeta", 3), ("people", "Bob", 1)]
