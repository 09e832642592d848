"""A list-of-strings picker: the values as removable chips, in the file's order, and a field to add more.

Chips can be dragged to another place in the list. Typing offers completions from the archive
vocabulary (case, width and spacing ignored, most used first, with file counts). A value the archive
does not know yet is added only through the explicit "Create 'x'" entry, so a typo never silently
becomes a new tag (Enter on an unknown value says so). Down opens the list. Backspace in the empty
field removes the last chip; Left from the field's start
moves onto the chips, where Left/Right move, Delete removes and Alt+Left/Alt+Right move a chip.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    QRect,
    QSize,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from masthead.core.vocabulary import normalize
from masthead.ui.chip import CHIP_MIME, Chip
from masthead.ui.completion import FieldValues
from masthead.ui.flow_layout import FlowLayout
from masthead.ui.tasks import run_in_background

POPUP_MAX_WIDTH = 420  # the completion list is never wider than this (or the field, if wider)
FOCUS_STYLE = "QToolButton:focus { border: 2px solid palette(highlight); border-radius: 3px; }"  # set on the picker

CREATE = "Create “{}”"


class ChipsEditor(QWidget):
    """Edits one list field; emits ``edited(list)`` with the whole new list after every change."""

    edited = Signal(list)

    def __init__(self, name: str, vocabulary: Mapping[str, int], parent: Any = None, allow_new: bool = True) -> None:
        super().__init__(parent)
        self.allow_new = allow_new  # False: only values of the vocabulary (the schema's new_values: false)
        self.setObjectName(f"chips_{name}")
        self.setAccessibleName(f"{name} values")
        self.field = name
        shared = isinstance(vocabulary, FieldValues)  # the form's: warmed by the form
        self.vocabulary = vocabulary if isinstance(vocabulary, FieldValues) else FieldValues(vocabulary)
        if not shared:  # e.g. a bulk dialog's own values: indexed off the GUI thread
            run_in_background(self.vocabulary.warm, lambda *_: self.refresh_flags(), self)
        self.values: list[str] = []
        self._chips: list[Chip] = []
        self._flow = FlowLayout(spacing=4)
        self.input = QLineEdit(self)
        self.input.setObjectName(f"chipsInput_{name}")
        self.input.setAccessibleName(f"Add to {name}")
        self.input.setPlaceholderText("add…")
        self.input.setMinimumWidth(120)
        self.input.installEventFilter(self)
        self.input.returnPressed.connect(self._on_return)
        self.input.textEdited.connect(self._on_text_edited)
        self._model = QStringListModel(self)
        # The completer is attached with setWidget, not QLineEdit.setCompleter: the line edit must never
        # receive an entry's display text ("x  (3)", "Create “x”"); choosing an entry adds its value.
        self.completer = QCompleter(self._model, self)
        self.completer.setWidget(self.input)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        self.completer.activated.connect(self._on_completion)
        popup = self._popup()
        popup.setObjectName(f"chipsCompletions_{name}")
        popup.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self._entries: dict[str, str] = {}  # completion text -> value to add
        self._just_chosen = False
        self._refit_soon = False
        self.hint = QLabel("", self)
        self.hint.setObjectName(f"chipsHint_{name}")
        self.hint.setWordWrap(True)
        self.hint.hide()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addLayout(self._flow)
        outer.addWidget(self.hint)
        self._flow.addWidget(self.input)
        self.setAcceptDrops(True)
        self.setStyleSheet(FOCUS_STYLE)  # one sheet for all its chips (one per chip costs more than the chip)

    def _popup(self) -> QAbstractItemView:
        popup = self.completer.popup()
        assert popup is not None
        return popup

    # -- showing
    def set_vocabulary(self, vocabulary: Mapping[str, int]) -> None:
        """The values (with file counts) offered while typing."""
        if isinstance(vocabulary, FieldValues):
            self.vocabulary = vocabulary
        else:
            self.vocabulary.replace(dict(vocabulary))
        self.refresh_flags()

    def set_values(self, values: list[str]) -> None:
        """Show ``values`` (from the document); emits nothing."""
        if values == self.values and len(self._chips) == len(values):
            return
        self.values = list(values)
        for chip in self._chips[len(values) :]:
            self._flow.removeWidget(chip)
            chip.deleteLater()
        del self._chips[len(values) :]
        for chip, value in zip(self._chips, values, strict=False):  # chips are reused: creating them is slow
            chip.set_value(value)
        for value in values[len(self._chips) :]:
            chip = Chip(value, self)
            self._chips.append(chip)
            self._flow.insertWidget(self._flow.count() - 1, chip)
            chip.show()
        for chip in self._chips:
            self._flag(chip)
        self._fit()

    def start_over(self) -> None:
        """For another file: no half-typed value or hint left, near-duplicates marked afresh."""
        self.input.clear()
        self.hint.hide()
        self.refresh_flags()

    def refresh_flags(self) -> None:
        """Mark near-duplicates again (the vocabulary's index became ready or changed); a chip marked or no
        longer marked changes width, so the chips may wrap onto more or fewer lines."""
        texts = [chip.text() for chip in self._chips]
        for chip in self._chips:
            self._flag(chip)
        if texts != [chip.text() for chip in self._chips]:
            self._fit()

    def _flag(self, chip: Chip) -> None:
        """Mark a value that the archive also writes differently (a near-duplicate)."""
        others = self.vocabulary.others(chip.value)
        chip.setText(f"⚠ {chip.value}  ✕" if others else f"{chip.value}  ✕")
        chip.setToolTip("Also written as: " + ", ".join(f"“{v}” ({c} files)" for v, c in others) if others else "")
        chip.setProperty("nearDuplicate", bool(others))

    def _fit(self, changed: bool = True, settled: bool = False) -> None:
        """Ask for the height every chip and the field need at the current width (the flow wraps)."""
        width = self.width() if self.width() > 0 else self.sizeHint().width()
        if changed:
            self._flow.invalidate()
        needed = self._flow.heightForWidth(width)
        if self.hint.isVisibleTo(self):
            needed += self.hint.heightForWidth(width) + 2
        if self.minimumHeight() != needed:
            self.setMinimumHeight(needed)
            if self.window().focusWidget() is self.input:  # typing on a line that moved down: keep it in sight
                QTimer.singleShot(0, self, self._show_input)
        elif changed:
            self.updateGeometry()
        if changed and not settled and not self._refit_soon:  # again at the width the layout settles on
            self._refit_soon = True
            QTimer.singleShot(0, self, self._refit)

    def _refit(self) -> None:
        self._refit_soon = False
        self._fit(changed=True, settled=True)

    def _show_input(self, tries: int = 3) -> None:
        """Scroll the form so that the field one types in is seen (it moves down as chips wrap); again a
        little later, as the form's rows and scroll range grow to the new height a few turns after."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is None or self.window().focusWidget() is not self.input:
            return
        parent.ensureWidgetVisible(self.input, 20, 20)
        if tries > 1:
            QTimer.singleShot(30, self, lambda: self._show_input(tries - 1))

    def hasHeightForWidth(self) -> bool:
        """No: the height the chips need at the current width is the minimum height ``_fit`` sets (as the
        width changes too). Asked through the layouts' own height-for-width caches, a form kept a picker's
        height from the file before it (a last line hidden under the next field, or an empty one)."""
        return False

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.minimumHeight())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()  # (chips are polished when first shown: their size can change)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit(changed=False)

    def focus_chip(self, index: int) -> None:
        if 0 <= index < len(self._chips):
            self._chips[index].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.input.setFocus()

    def _say(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))
        self._fit()

    # -- changing (each emits the whole new list)
    def add_value(self, value: str) -> None:
        value = value.strip()
        self.input.clear()
        self._say("")
        if value and value not in self.values:
            self.edited.emit([*self.values, value])

    def remove_value(self, value: str, focus_next: bool = False) -> None:
        if value in self.values:
            index = self.values.index(value)
            self.edited.emit([v for v in self.values if v != value])
            if focus_next:
                self.focus_chip(min(index, len(self.values) - 1))

    def move_value(self, value: str, step: int) -> None:
        index = self.values.index(value)
        target = index + step
        if 0 <= target < len(self.values):
            new = list(self.values)
            new.insert(target, new.pop(index))
            self.edited.emit(new)
            self.focus_chip(target)

    # -- drag and drop within the list
    def _dragged_value(self, event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> str | None:
        data = event.mimeData()
        if data is None or not data.hasFormat(CHIP_MIME):
            return None
        value = bytes(data.data(CHIP_MIME).data()).decode("utf-8")
        return value if value in self.values else None  # only chips of this list

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dragged_value(event) is not None:
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._dragged_value(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        value = self._dragged_value(event)
        if value is None:
            return
        target = self.index_at(event.position().toPoint())
        new = [v for v in self.values if v != value]
        new.insert(min(target, len(new)) if target <= self.values.index(value) else target - 1, value)
        if new != self.values:
            self.edited.emit(new)
        event.acceptProposedAction()

    def index_at(self, pos: QPoint) -> int:
        """Where a chip dropped at ``pos`` goes: before the first chip whose middle is after it."""
        for index, chip in enumerate(self._chips):
            rect = chip.geometry()
            same_line = rect.top() <= pos.y() <= rect.bottom()
            if (same_line and pos.x() < rect.center().x()) or pos.y() < rect.top():
                return index
        return len(self._chips)

    # -- completion
    def matches(self, text: str) -> list[tuple[str, int]]:
        """Vocabulary values containing ``text`` (normalized), most used first, not already in the list."""
        if not normalize(text):
            return []
        return self.vocabulary.matches(text, set(self.values))

    def _on_text_edited(self, text: str) -> None:
        self._say("")
        self._update_completions(text)

    def _update_completions(self, text: str, show_all: bool = False) -> None:
        text = text.strip()
        entries: dict[str, str] = {}
        found = self.vocabulary.matches(text, set(self.values)) if (text or show_all) else []
        exact = False
        for value, count in found:
            entries[f"{value}  ({count})"] = value
            exact = exact or normalize(value) == normalize(text)
        if self.allow_new and text and not exact and text not in self.values:
            entries[CREATE.format(text)] = text
        self._entries = entries
        self._model.setStringList(list(entries))
        if entries:
            width = max(self.input.width(), min(POPUP_MAX_WIDTH, self.width()))
            self._popup().setMaximumWidth(max(width, POPUP_MAX_WIDTH))
            self.completer.complete(QRect(0, 0, width, self.input.height()))
            popup = self._popup()
            if not show_all and popup.currentIndex().data() == CREATE.format(text):  # typing: never chosen by
                popup.setCurrentIndex(QModelIndex())  # a plain Enter; Down highlights it, then Enter creates
        else:
            self._popup().hide()

    def _on_completion(self, entry: str) -> None:
        value = self._entries.get(entry)
        if value is not None:
            self._just_chosen = True
            self.add_value(value)

    def _on_return(self) -> None:
        """Enter adds a value the archive knows (spelled its way); an unknown one needs "Create"."""
        if self._just_chosen:  # the Enter that chose a completion
            self._just_chosen = False
            return
        text = self.input.text().strip()
        if not text:
            return
        if text in self._entries:  # a completion's text got into the field somehow: add its value
            self.add_value(self._entries[text])
            return
        known = self.vocabulary.exact(text)
        if known is not None and known not in self.values:
            self.add_value(known)
        elif text in self.values or known in self.values:
            self._say(f"“{text}” is already in the list.")
        elif self.allow_new:
            self._say(f"“{text}” is not used in this archive yet. Press Down and choose Create “{text}” to add it.")
        else:
            self._say(f"“{text}” is not one of the allowed values. Press Down to see them.")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.input and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            self._just_chosen = False
            if event.key() == Qt.Key.Key_Backspace and not self.input.text() and self.values:
                self.remove_value(self.values[-1])
                return True
            if event.key() == Qt.Key.Key_Left and self.input.cursorPosition() == 0 and self._chips:
                self.focus_chip(len(self._chips) - 1)
                return True
            if event.key() == Qt.Key.Key_Down and not self._popup().isVisible():
                self._update_completions(self.input.text(), show_all=True)
                return True
        return super().eventFilter(watched, event)
