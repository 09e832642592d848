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


def _luminance(colour: QColor) -> float:
    """WCAG relative luminance."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two opaque colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` of the way to ``b`` (opaque)."""
    first, second = (a.redF(), a.greenF(), a.blueF()), (b.redF(), b.greenF(), b.blueF())
    return QColor.fromRgbF(*(x + (y - x) * t for x, y in zip(first, second, strict=True)))


def opaque(colour: QColor, background: QColor) -> QColor:
    """A translucent colour as it shows on ``background``."""
    return _mix(background, colour, colour.alphaF())


def readable(colour: QColor, backgrounds: list[QColor], minimum: float = 4.5) -> QColor:
    """``colour`` (made opaque on the first background), moved towards black or white just enough to reach
    ``minimum`` contrast on every background (WCAG AA for text is 4.5)."""
    colour = QColor(opaque(colour, backgrounds[0]).name())

    def worst(c: QColor) -> float:
        return min(contrast(c, b) for b in backgrounds)

    if worst(colour) >= minimum:
        return colour
    target = max((QColor("#000000"), QColor("#ffffff")), key=worst)
    for step in range(1, 41):
        mixed = QColor(_mix(colour, target, step / 40).name())  # as written in CSS: 8 bits a channel
        if worst(mixed) >= minimum:
            return mixed
    return target


def tint(background: QColor, towards: QColor, amount: float = 0.07) -> QColor:
    """A background a little towards another colour (a panel that stands out from the page, in any palette)."""
    return QColor(_mix(background, towards, amount).name())
