"""Defect 9: every text colour of the preview reaches WCAG AA (4.5:1) on every background it can sit on,
in light and dark palettes (the dark one that showed speaker names at 1.7:1 among them)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from masthead.ui.preview import PreviewPane

Role = QPalette.ColorRole

PALETTES = {
    # Qt's own light defaults: Highlight #308cc6 (3.6:1 on white), placeholder black at half opacity
    "light": {
        Role.Window: "#efefef", Role.Base: "#ffffff", Role.AlternateBase: "#f7f7f7", Role.Text: "#000000",
        Role.WindowText: "#000000", Role.Highlight: "#308cc6", Role.Link: "#0000ff", Role.PlaceholderText: "#80000000",
    },
    # the reported one (Adwaita-like dark): Highlight #15539e on #2d2d2d is 1.7:1
    "dark": {
        Role.Window: "#353535", Role.Base: "#2d2d2d", Role.AlternateBase: "#383838", Role.Text: "#ffffff",
        Role.WindowText: "#ffffff", Role.Highlight: "#15539e", Role.Link: "#1b6acb", Role.PlaceholderText: "#80ffffff",
    },
    # the usual Fusion dark recipe
    "fusion-dark": {
        Role.Window: "#353535", Role.Base: "#191919", Role.AlternateBase: "#353535", Role.Text: "#ffffff",
        Role.WindowText: "#ffffff", Role.Highlight: "#2a82da", Role.Link: "#2a82da", Role.PlaceholderText: "#7f7f7f",
    },
}  # fmt: skip


def _palette(colours: dict[QPalette.ColorRole, str]) -> QPalette:
    palette = QPalette()
    for role, name in colours.items():
        palette.setColor(role, QColor(name))  # "#AARRGGBB" keeps the alpha
    return palette


def _luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of an opaque #rrggbb colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _colours(css: str) -> tuple[dict[str, str], list[str]]:
    """The text colour of every rule (selector -> #rrggbb) and every background colour the CSS sets."""
    texts: dict[str, str] = {}
    backgrounds: list[str] = []
    for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        for declaration in body.split(";"):
            name, _, value = (part.strip() for part in declaration.partition(":"))
            if name in ("color", "background-color", "background"):
                assert re.fullmatch(r"#[0-9a-f]{6}", value), f"{selector.strip()}: {name}: {value} is not opaque"
                (backgrounds.append(value) if name != "color" else texts.__setitem__(selector.strip(), value))
    return texts, backgrounds


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_every_preview_text_colour_reads_on_every_preview_background(qtbot: QtBot, name: str) -> None:
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.setPalette(_palette(PALETTES[name]))  # as a palette change reaches the pane: it restyles itself
    css = pane.browser.document().defaultStyleSheet()
    texts, backgrounds = _colours(css)
    base = pane.browser.palette().color(Role.Base).name()
    assert {"body", ".speaker", ".entity", ".original", "a"} <= set(texts)
    poor = {
        (selector, colour, background): round(_contrast(colour, background), 2)
        for selector, colour in texts.items()
        for background in [base, *backgrounds]
        if _contrast(colour, background) < 4.5
    }
    assert poor == {}
