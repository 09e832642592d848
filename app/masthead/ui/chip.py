"""One value of a list picker (``chips.ChipsEditor``): a button that removes it when clicked, moves along
the list with Alt+Left/Right, and can be dragged to another place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QDrag, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QToolButton

if TYPE_CHECKING:
    from masthead.ui.chips import ChipsEditor

CHIP_MIME = "application/x-masthead-chip"


class Chip(QToolButton):
    """One value: click ✕ (or press Delete) to remove it."""

    def __init__(self, value: str, picker: ChipsEditor) -> None:
        super().__init__(picker)
        self.picker = picker
        self.set_value(value)
        self.setObjectName(f"chip_{picker.objectName()}")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # reached with Left from the field, not with Tab
        self.setAutoRaise(False)
        self._press: QPoint | None = None

    def set_value(self, value: str) -> None:
        self.value = value
        self.setText(f"{value}  ✕")
        self.setAccessibleName(f"{value} (press Delete to remove)")

    # a click removes the chip: handled here, not with a signal connection per chip (connecting costs more
    # than the whole chip on a big form)
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        clicked = self._press is not None and self.rect().contains(event.position().toPoint())
        self._press = None
        super().mouseReleaseEvent(event)
        if clicked and event.button() == Qt.MouseButton.LeftButton:
            self.picker.remove_value(self.value)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Dragging a chip (beyond the system's drag distance) moves it within the list."""
        start = self._press
        if start is None or not (event.buttons() & Qt.MouseButton.LeftButton):
            return super().mouseMoveEvent(event)
        if (event.position().toPoint() - start).manhattanLength() < QApplication.startDragDistance():
            return None
        self._press = None
        self.setDown(False)
        drag = QDrag(self)
        data = QMimeData()
        data.setData(CHIP_MIME, self.value.encode("utf-8"))
        data.setText(self.value)
        drag.setMimeData(data)
        drag.setPixmap(self.grab())
        drag.exec(Qt.DropAction.MoveAction)
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_Space):
            self.picker.remove_value(self.value, focus_next=True)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = -1 if key == Qt.Key.Key_Left else 1
            if mods & Qt.KeyboardModifier.AltModifier:
                self.picker.move_value(self.value, step)
            else:
                self.picker.focus_chip(self.picker.values.index(self.value) + step)
        else:
            super().keyPressEvent(event)
