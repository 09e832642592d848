"""Colours that follow the palette (light or dark), for the few places that need a colour of their own."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the palette (the application's by default) has light text on a dark window."""
    palette = palette or QApplication.palette()
    return (
        palette.color(QPalette.ColorRole.Window).lightness() < palette.color(QPalette.ColorRole.WindowText).lightness()
    )


def error_colour(palette: QPalette | None = None) -> str:
    """Red that reads on the palette's background."""
    return "#ef9a9a" if is_dark(palette) else "#c62828"


def highlight_tint(palette: QPalette | None = None) -> QColor:
    """A translucent amber for rows that deserve a second look (near-duplicates)."""
    return QColor(255, 200, 60, 70) if is_dark(palette) else QColor(240, 180, 0, 60)


def notice_style(palette: QPalette | None = None) -> str:
    """Background and text colours of a notice bar (the conflict bar)."""
    return "background: #4a3b00; color: #ffe8a3;" if is_dark(palette) else "background: #fff3cd; color: #5c4400;"
