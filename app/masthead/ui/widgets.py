"""Small helpers shared by the window's widgets."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QComboBox, QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, accessible: str) -> W:
    """Give a widget its object name and accessible name (every interactive widget has both)."""
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


def named_combo(combo: QComboBox, name: str, accessible: str, editable: bool = False) -> QComboBox:
    """``named`` for a combo box, with its text field (when ``editable``) and its popup list named too."""
    named(combo, name, accessible)
    combo.setEditable(editable)
    line = combo.lineEdit()
    if line is not None:
        named(line, f"{name}Text", f"{accessible}: text")
    named(combo.view(), f"{name}List", f"{accessible}: choices")
    return combo
