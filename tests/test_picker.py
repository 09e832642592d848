"""The list picker (chips), driven by keys as a user would; the same widget is used in the bulk dialog."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from masthead.ui.chips import ChipsEditor

VOCAB = {"data-platform": 3, "data-lake": 1, "streaming": 5, "Streaming": 1}


@pytest.fixture
def picker(qtbot: QtBot) -> Iterator[ChipsEditor]:
    host = QWidget()
    host.resize(500, 200)
    chips = ChipsEditor("tags", VOCAB)
    chips.edited.connect(chips.set_values)  # as the form does: the document's new value is shown
    QVBoxLayout(host).addWidget(chips)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    chips.input.setFocus()
    yield chips


def press(qtbot: QtBot, key: Qt.Key, fallback: QWidget) -> None:
    """A key goes where the user's key goes: the open completion popup, else the focused widget."""
    target = QApplication.activePopupWidget() or QApplication.focusWidget() or fallback
    qtbot.keyClick(target, key)


def entries(chips: ChipsEditor) -> list[str]:
    model = chips.completer.model()
    return [model.index(i, 0).data() for i in range(model.rowCount())]


def test_create_a_new_value_with_down_and_enter(qtbot: QtBot, picker: ChipsEditor) -> None:
    qtbot.keyClicks(picker.input, "xyz-new")
    press(qtbot, Qt.Key.Key_Down, picker.input)
    press(qtbot, Qt.Key.Key_Return, picker.input)
    assert picker.values == ["xyz-new"]
    assert picker.input.text() == ""


def test_enter_on_a_known_value_clears_the_field(qtbot: QtBot, picker: ChipsEditor) -> None:
    qtbot.keyClicks(picker.input, "data-pl")
    press(qtbot, Qt.Key.Key_Down, picker.input)
    press(qtbot, Qt.Key.Key_Return, picker.input)
    assert picker.values == ["data-platform"]
    assert picker.input.text() == ""
    press(qtbot, Qt.Key.Key_Return, picker.input)  # Enter again: nothing odd offered or added
    assert picker.values == ["data-platform"]
    assert not any("Create “Create" in e for e in entries(picker))


def test_down_opens_the_completions(qtbot: QtBot, picker: ChipsEditor) -> None:
    press(qtbot, Qt.Key.Key_Down, picker.input)
    assert picker.completer.popup().isVisible()
    assert entries(picker)[0].startswith("streaming")


def test_enter_on_an_unknown_value_says_how_to_create_it(qtbot: QtBot, picker: ChipsEditor) -> None:
    qtbot.keyClicks(picker.input, "brand-new")
    picker.completer.popup().hide()
    press(qtbot, Qt.Key.Key_Return, picker.input)
    assert picker.values == []
    assert picker.hint.isVisible() and "Create “brand-new”" in picker.hint.text()


def test_chips_are_not_in_the_tab_chain_and_show_focus(qtbot: QtBot, picker: ChipsEditor) -> None:
    picker.set_values(["streaming", "data-lake"])
    chip = picker._chips[0]
    assert not chip.focusPolicy() & Qt.FocusPolicy.TabFocus
    before = chip.grab().toImage()
    qtbot.keyClick(picker.input, Qt.Key.Key_Left)  # onto the chips by keyboard
    qtbot.keyClick(picker._chips[-1], Qt.Key.Key_Left)
    assert chip.hasFocus()
    assert chip.grab().toImage() != before


def test_the_popup_is_not_wider_than_the_field(qtbot: QtBot) -> None:
    long = {"x" * 300: 2, "xa": 1}
    host = QWidget()
    chips = ChipsEditor("tags", long)
    QVBoxLayout(host).addWidget(chips)
    host.resize(400, 120)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    chips.input.setFocus()
    qtbot.keyClicks(chips.input, "x")
    popup = chips.completer.popup()
    assert popup.isVisible() and popup.width() <= max(chips.width(), 420)


def test_field_values_match_exact_and_near_duplicates() -> None:
    from masthead.ui.completion import FieldValues

    values = FieldValues({"Open AI": 2, "OpenAI": 9, "open-source": 4, "reopen": 7})
    values.warm()  # the form does this off the GUI thread
    assert values.matches("open") == [("OpenAI", 9), ("open-source", 4), ("Open AI", 2), ("reopen", 7)]
    assert values.matches("open", exclude={"OpenAI"})[0] == ("open-source", 4)
    assert values.exact("openai") == "OpenAI" and values.exact("Open AI") == "Open AI" and values.exact("x") is None
    assert values.others("OpenAI") == [("Open AI", 2)]
    same = {"Open AI": 2, "OpenAI": 9, "open-source": 4, "reopen": 7}
    assert not values.replace(same) and values.ready  # equal counts: the index stays
    assert values.replace({"OpenAI": 10}) and not values.ready and values.matches("op") == [("OpenAI", 10)]


def test_enter_with_the_list_open_never_creates_a_value(qtbot: QtBot, picker: ChipsEditor) -> None:
    """Typing an unknown value opens the list with Create “…” as its only entry: Enter says how to create
    it, and only Down then Enter creates it (Create was highlighted, so a typo became a tag with one key:
    a new-user trial)."""
    qtbot.keyClicks(picker.input, "qqxyz")
    qtbot.waitUntil(picker.completer.popup().isVisible, timeout=2000)
    assert entries(picker) == ["Create “qqxyz”"]
    press(qtbot, Qt.Key.Key_Return, picker.input)
    assert picker.values == [] and "Create “qqxyz”" in picker.hint.text()
    qtbot.keyClicks(picker.input, "q")
    qtbot.waitUntil(picker.completer.popup().isVisible, timeout=2000)
    press(qtbot, Qt.Key.Key_Down, picker.input)
    press(qtbot, Qt.Key.Key_Return, picker.input)
    assert picker.values == ["qqxyzq"]


def test_chips_marked_near_duplicates_later_wrap_and_the_field_grows(qtbot: QtBot) -> None:
    """Chips are marked ⚠ once the archive's index is built (off the GUI thread, after the file is shown):
    the marked chips are wider and wrap onto another line, and the field grows to hold them (the last line
    and the typing field were hidden under the next field: a new-user trial on a realistic archive)."""
    from masthead.ui.completion import FieldValues

    values = [f"value-number-{i}" for i in range(6)]
    counts = FieldValues({**{v: 2 for v in values}, **{v.replace("-", " "): 1 for v in values}})
    host = QWidget()
    host.resize(300, 400)  # two chips a line, one once marked
    chips = ChipsEditor("tags", counts)
    QVBoxLayout(host).addWidget(chips)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    chips.set_values(values)
    qtbot.wait(50)
    before = chips.minimumHeight()
    counts.warm()  # the index is ready: near-duplicates are known
    chips.refresh_flags()
    assert all(c.text().startswith("⚠") for c in chips._chips)
    qtbot.waitUntil(lambda: chips.minimumHeight() > before, timeout=2000)
    qtbot.wait(50)
    assert chips.rect().contains(chips.input.geometry()), "the typing field is cut off"
    assert all(chips.rect().contains(c.geometry()) for c in chips._chips), "a chip is cut off"
