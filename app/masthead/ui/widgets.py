"""Small helpers shared by the window's widgets."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, accessible: str) -> W:
    """Give a widget its object name and accessible name (every interactive widget has both)."""
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget
