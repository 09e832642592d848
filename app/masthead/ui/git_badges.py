"""How a file's git state looks in the documents table: a word, a coloured dot, and a sort rank."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

LABELS = {
    "conflict": "Conflict",
    "modified": "Modified",
    "staged": "Staged",
    "new": "New",
    "untracked": "Untracked",
    "deleted": "Deleted",
    "clean": "",
    "": "",
}
TIPS = {
    "conflict": "Both sides of a merge changed this file: open it to choose the values",
    "modified": "Changed since the last commit",
    "staged": "Changed since the last commit and staged (git add)",
    "new": "Added to git, not committed yet",
    "untracked": "Not in git yet",
    "deleted": "Deleted since the last commit",
}
_COLOURS = {
    "conflict": "#d0312d",
    "modified": "#d08a00",
    "staged": "#2f7d32",
    "new": "#1f6fd0",
    "untracked": "#7a7a7a",
    "deleted": "#8e44ad",
}
RANK = {
    state: i for i, state in enumerate(("conflict", "modified", "staged", "new", "untracked", "deleted", "clean", ""))
}
_icons: dict[str, QIcon] = {}


def icon(state: str) -> QIcon | None:
    colour = _COLOURS.get(state)
    if colour is None:
        return None
    if state not in _icons:
        pixmap = QPixmap(12, 12)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor(colour))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()
        _icons[state] = QIcon(pixmap)
    return _icons[state]
