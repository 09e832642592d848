"""The preview's page: the browser that never navigates nor loads from outside the archive, its style
sheet, and a long transcript's HTML cut into pieces that are appended one at a time."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QAbstractSlider, QTextBrowser

from masthead.ui.theme import readable, tint

SAFE_SCHEMES = {"http", "https", "mailto"}


def stylesheet(palette: QPalette) -> str:
    """Preview CSS in the current palette's colours (so dark themes read well), every text colour adjusted to
    reach 4.5:1 contrast on the page and on the panel of original-language passages."""
    base = QColor(palette.color(QPalette.ColorRole.Base).name())
    panel = tint(base, palette.color(QPalette.ColorRole.Text))  # not AlternateBase: some palettes leave it light
    grounds = [base, panel]

    def text_colour(role: QPalette.ColorRole) -> str:
        return readable(palette.color(role), grounds).name()

    text = text_colour(QPalette.ColorRole.Text)
    muted = text_colour(QPalette.ColorRole.PlaceholderText)
    accent = text_colour(QPalette.ColorRole.Highlight)
    link = text_colour(QPalette.ColorRole.Link)
    return f"""
        body {{ color: {text}; }}
        a {{ color: {link}; }}
        p {{ margin-top: 4px; margin-bottom: 8px; }}
        .turn {{ margin-top: 8px; }}
        .speaker {{ font-weight: bold; color: {accent}; }}
        .entity {{ color: {link}; }}
        .original {{ background-color: {panel.name()}; color: {muted}; margin-left: 16px; }}
        .original-label {{ font-size: small; font-style: italic; color: {muted}; margin-bottom: 2px; }}
        .english-text {{ color: {muted}; }}
        .blocked-image {{ color: {muted}; font-style: italic; }}
        h1, h2, h3, h4 {{ margin-top: 14px; margin-bottom: 6px; }}
        table {{ border-color: {muted}; }}
    """


CHUNK = 60_000  # characters of HTML shown per turn of the event loop (about 30 ms of layout)
FIRST_CHUNK = 12_000  # characters of HTML in the first piece (a few screens of text)


_CUT = re.compile(r"\n(?=<p>|<p |<a name=|<h)")  # where a top-level paragraph or heading starts


def html_chunks(html: str, size: int = CHUNK, first: int | None = None) -> list[str]:
    """``html`` cut into pieces of about ``size`` characters (the first of about ``first``), only before a
    top-level paragraph or heading (the renderer writes each on a line of its own). One search from each cut
    to the next (a search per kind of tag read to the end of a 10 MB page each time: 1.7 s)."""
    chunks: list[str] = []
    start = 0
    while len(html) - start > (step := size if chunks or first is None else first):
        found = _CUT.search(html, start + step)
        if found is None:
            break
        cut = found.start()
        chunks.append(html[start : cut + 1])
        start = cut + 1
    chunks.append(html[start:])
    return chunks


def append_html(document: QTextDocument, html: str) -> None:
    """Add ``html`` (top-level paragraphs and headings) at the end of ``document``, its first paragraph a
    block of its own, with its own format. (``insertHtml`` at the end joins the first inserted paragraph to
    the last one: in a long transcript a heading or a turn ran on in the paragraph before, at every piece.)
    An empty paragraph would be dropped, so a zero-width space leads, taken out once inserted."""
    cursor = QTextCursor(document)
    cursor.movePosition(QTextCursor.MoveOperation.End)
    end = cursor.position()
    cursor.insertHtml(f"<p>{_LEAD}</p>" + html.rstrip())  # (the lead joins the last paragraph, not the piece)
    cursor.setPosition(end)
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor)
    if cursor.selectedText() == _LEAD:
        cursor.removeSelectedText()


_LEAD = "\u200b"


class PreviewBrowser(QTextBrowser):
    """A QTextBrowser that opens only http(s)/mailto links, in the system browser, and stays on its page."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.archive_root: Path | None = None
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme().lower() in SAFE_SCHEMES:
            QDesktopServices.openUrl(url)
        elif not url.scheme() and url.hasFragment() and not url.path():
            self.scrollToAnchor(url.fragment())
        # anything else (javascript:, file:, relative pages...) is ignored: the preview never navigates

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Ctrl+Home / Ctrl+End go to the top / the end, as in any document (Qt's read-only browser ignored
        them: a new-user trial); the rest as Qt's."""
        bar = self.verticalScrollBar()
        if event.matches(QKeySequence.StandardKey.MoveToStartOfDocument):
            bar.triggerAction(QAbstractSlider.SliderAction.SliderToMinimum)
        elif event.matches(QKeySequence.StandardKey.MoveToEndOfDocument):
            bar.triggerAction(QAbstractSlider.SliderAction.SliderToMaximum)
        else:
            super().keyPressEvent(event)

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        """Only images, only from files inside the archive; nothing remote, nothing else."""
        name = QUrl(name) if isinstance(name, str) else name
        if kind != int(QTextDocument.ResourceType.ImageResource.value) or self.archive_root is None:
            return None
        if name.scheme() not in ("", "file"):
            return None
        path = os.path.realpath(name.toLocalFile() if name.scheme() == "file" else name.path())
        root = os.path.realpath(self.archive_root)
        if not (path.startswith(root + os.sep) and os.path.isfile(path)):
            return None
        image = QImage(path)
        return None if image.isNull() else image
