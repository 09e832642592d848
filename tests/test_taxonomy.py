"""The taxonomy panel on its own: it sorts and filters itself, lists near-duplicates side by side, counts what
its filter shows, updates just the changed rows from a vocabulary delta and does nothing while hidden."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QBrush
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from masthead.core.operations import Edit
from masthead.core.records import Record
from masthead.core.vocabulary import Vocabulary, build_vocabulary, normalize
from masthead.ui.tasks import run_in_background
from masthead.ui.taxonomy import CHUNK, TaxonomyPanel
from masthead.ui.taxonomy_model import ValuesModel
from masthead.ui.taxonomy_rows import COUNT, FIELD, SIMILAR, VALUE, build_rows, snapshot


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


# ---------------------------------------------------------------------- deltas of any size, and no GUI-thread builds
VALUES = ["ai", "AI", "a-i", "Open AI", "OpenAI", "x", "y", "Ｏｐｅｎ ＡＩ", "z z", "zz", "beta", "Beta", "gamma"]
FILTERS = [("", "", False), ("ai", "", False), ("", "tags", False), ("", "", True), ("z", "people", True)]


def random_record(path: str, rnd: random.Random) -> Record:
    meta: dict[str, object] = {}
    if rnd.random() < 0.8:
        meta["tags"] = rnd.sample(VALUES, rnd.randint(0, 5))
    if rnd.random() < 0.5:
        meta["people"] = rnd.sample(VALUES, rnd.randint(1, 3))
    if rnd.random() < 0.1:
        meta["tags"] = rnd.choice(["text", None, []])
    return Record(path, 1, 1, meta)


def model_rows(model: ValuesModel) -> list[tuple[object, ...]]:
    return [(model.entry(r), model.index(r, 2).data(), model.index(r, 3).data()) for r in range(model.rowCount())]


def fresh_model(vocab: Vocabulary, column: int, ascending: bool, flt: tuple[str, str, bool]) -> ValuesModel:
    model = ValuesModel()
    model.sort(column, Qt.SortOrder.AscendingOrder if ascending else Qt.SortOrder.DescendingOrder)
    model.install(vocab, build_rows(snapshot(vocab), column), QBrush())
    model.set_filter(*flt)
    return model


@given(
    st.randoms(use_true_random=False),
    st.sampled_from([VALUE, FIELD, COUNT, SIMILAR]),
    st.booleans(),
    st.sampled_from(FILTERS),
    st.sampled_from([0, 3, 10_000]),  # entries above which a delta is applied in one layout change
)
@settings(deadline=None, max_examples=150)
def test_after_any_deltas_the_rows_are_those_of_a_fresh_build(
    qapp: Any, rnd: random.Random, column: int, ascending: bool, flt: tuple[str, str, bool], batch: int
) -> None:
    files = {f"{i}.md": random_record(f"{i}.md", rnd) for i in range(10)}
    vocab = build_vocabulary(files.values())
    model = fresh_model(vocab, column, ascending, flt)
    model.batch_above = batch
    for _step in range(6):
        old, new = [], []
        for path in rnd.sample(sorted(files), rnd.randint(1, 6)):
            old.append(files[path])
            files[path] = random_record(path, rnd)
            new.append(files[path])
        model.apply(vocab.update(old, new).lists)
        assert model_rows(model) == model_rows(fresh_model(vocab, column, ascending, flt))


def big_archive(n: int = 6000) -> list[Record]:
    return [rec(f"{i}.md", tags=[f"tag-{i}", f"Tag {i % 50}"], people=[f"person {i}"]) for i in range(n)]


def off_the_gui_thread_only(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the threads that run the model's build/sort loops (they pause through core.pacing)."""
    seen: list[str] = []
    from masthead.core import pacing

    def probe() -> None:
        seen.append(threading.current_thread().name)

    monkeypatch.setattr(pacing, "_pause", probe)
    return seen


def test_a_large_delta_on_a_visible_panel_is_applied_as_layout_changes_and_keeps_the_selection(qtbot: QtBot) -> None:
    files = big_archive()
    widget = TaxonomyPanel(Host())
    qtbot.addWidget(widget)
    widget.set_data(build_vocabulary(files), files)
    widget.show()
    qtbot.waitUntil(lambda: widget.ready, timeout=20000)
    assert widget.select_value("tags", "tag-7") and widget.select_value("people", "person 9", extend=True)
    events: list[str] = []
    model = widget.model
    for signal, name in ((model.rowsInserted, "inserted"), (model.rowsRemoved, "removed"), (model.modelReset, "reset")):
        signal.connect(lambda *_a, name=name: events.append(name))
    model.layoutChanged.connect(lambda *_a: events.append("layout"))
    old = files[:1500]  # a bulk edit: every one of them loses its own tag and gains "bulk"
    new = [rec(r.path, tags=["bulk", r.meta["tags"][1]], people=r.meta["people"]) for r in old]  # type: ignore[index]
    delta = widget.vocabulary.update(old, new)
    assert len(delta.lists) > 1500
    widget.apply_delta(widget.vocabulary, delta, new + files[1500:])
    qtbot.waitUntil(lambda: widget.ready, timeout=5000)  # a chunk per turn of the event loop
    assert events == ["layout"] * ((len(delta.lists) + CHUNK - 1) // CHUNK)  # no row-by-row signals
    assert model.rowCount() == 12050 - 1500 + 1 and model.row_of(("tags", "tag-7")) is None
    assert widget.selected() == [("people", "person 9", 1)]
    reference = fresh_model(widget.vocabulary, model.rows.column, model.ascending, ("", "", False))
    assert [model.entry(r) for r in range(model.rowCount())] == [reference.entry(r) for r in range(model.rowCount())]


def test_selecting_on_a_stale_panel_waits_for_the_rows_built_off_the_gui_thread(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = big_archive()
    widget = TaxonomyPanel(Host())
    qtbot.addWidget(widget)
    widget.set_data(build_vocabulary(files), files)
    widget.show()
    seen = off_the_gui_thread_only(monkeypatch)
    widget.set_data(build_vocabulary(files), files)  # a rebuild while shown (and maybe still building)
    assert widget.select_value("people", "person 42")  # it is there: selected once the rows land
    assert not widget.ready
    qtbot.waitUntil(lambda: widget.ready, timeout=20000)
    assert widget.selected() == [("people", "person 42", 1)]
    assert seen and threading.main_thread().name not in seen


def test_a_header_click_during_a_build_sorts_off_the_gui_thread(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    files = big_archive()
    widget = TaxonomyPanel(Host())
    qtbot.addWidget(widget)
    widget.set_data(build_vocabulary(files), files)
    seen = off_the_gui_thread_only(monkeypatch)
    widget.show()
    assert not widget.ready
    header = widget.table.horizontalHeader()
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(header.sectionViewportPosition(0) + 5, 5))
    qtbot.waitUntil(lambda: widget.ready and not widget.model.sorting, timeout=20000)
    model = widget.model
    keys = [normalize(model.index(r, 0).data()) for r in range(model.rowCount())]
    assert model.rowCount() == 12050 and keys in (sorted(keys), sorted(keys, reverse=True))
    assert seen and threading.main_thread().name not in seen


def test_a_vocabulary_diff_made_off_the_gui_thread_then_applied_updates_the_panel(
    qtbot: QtBot, panel: TaxonomyPanel
) -> None:
    vocab, files = panel.vocabulary, records()
    twin = build_vocabulary(files)
    old = files[:5]  # s0..s4: streaming, alpha -> gamma
    new = [rec(r.path, tags=["gamma"]) for r in old]
    got: list[Any] = []
    run_in_background(lambda: vocab.diff(old, new), lambda diff, error: got.append(diff), panel)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert "gamma" not in vocab.lists["tags"]  # a diff changes nothing by itself
    delta = vocab.apply_diff(got[0])
    assert delta == twin.update(old, new) and vocab.lists == twin.lists
    panel.apply_delta(vocab, delta, new + files[5:])
    qtbot.waitUntil(lambda: panel.ready, timeout=5000)
    assert ("gamma", "tags", "5") in shown(panel) and "alpha" not in [v for v, _, _ in shown(panel)]


def test_tab_onto_the_one_value_a_filter_left_selects_it_for_f2_and_the_buttons(
    qtbot: QtBot, panel: TaxonomyPanel
) -> None:
    """Found by a new-user trial: after filtering to one value and Tab to the table, its row was current but
    not selected: F2 did nothing and Rename…/Delete… stayed disabled (Down could not select the only row)."""
    panel.filter.setFocus()
    qtbot.keyClicks(panel.filter, "zeta")
    assert [v for v, _, _ in shown(panel)] == ["zeta"] and not panel.rename_button.isEnabled()
    panel.table.setFocus(Qt.FocusReason.TabFocusReason)
    if not panel.table.currentIndex().isValid():  # (a focus-in makes the first row current where Qt does)
        qtbot.keyClick(panel.table, Qt.Key.Key_Home)
    assert panel.selected() == [("tags", "zeta", 3)]
    assert panel.rename_button.isEnabled() and panel.delete_button.isEnabled()


def test_tab_leaves_the_taxonomy_table(qtbot: QtBot, panel: TaxonomyPanel) -> None:
    """Found by a new-user trial: Tab moved from cell to cell and never left the table."""
    panel.activateWindow()
    panel.table.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(panel.table.hasFocus, timeout=3000)
    qtbot.keyClick(panel.table, Qt.Key.Key_Tab)
    assert not panel.table.hasFocus()


def test_down_from_the_filter_goes_to_the_values_and_f2_renames_the_first(
    qtbot: QtBot, panel: TaxonomyPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As from the archive's search field: Down in the filter goes to the first value, selected, so F2 acts
    on it (it took three Tabs, through the field list and a checkbox: a new-user trial)."""
    panel.activateWindow()
    panel.filter.setFocus()
    qtbot.keyClicks(panel.filter, "zeta")
    qtbot.keyClick(panel.filter, Qt.Key.Key_Down)
    assert panel.table.hasFocus() and panel.selected() == [("tags", "zeta", 3)]
    renamed: list[object] = []
    monkeypatch.setattr(panel, "rename_selected", lambda: renamed.append(panel.selected()))
    qtbot.keyClick(panel.table, Qt.Key.Key_F2)
    assert renamed == [[("tags", "zeta", 3)]]


def test_a_view_gets_each_value_cell_in_one_call_with_the_same_values(qapp: Any) -> None:
    """As the documents table: a delegate asks a cell's roles in one call into Python (the model answers
    ``multiData`` itself, not Qt one role at a time), and draws what ``data`` gives."""
    from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

    from masthead.ui.models import CellsAtOnce

    files = [Record(f"{i}.md", 1, 1, {"tags": ["AI", "ai", "ml"][: i + 1], "people": ["Ada"]}) for i in range(3)]
    vocab = build_vocabulary(files)
    model = ValuesModel()
    model.install(vocab, build_rows(snapshot(vocab), VALUE), QBrush())
    assert type(model).multiData is CellsAtOnce.multiData
    delegate, cells = QStyledItemDelegate(), 0
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            option = QStyleOptionViewItem()
            delegate.initStyleOption(option, index)
            assert option.text == str(index.data() if index.data() is not None else "")
            cells += 1
    assert cells >= 8
