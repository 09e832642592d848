"""The transcript preview: rendered Markdown that never navigates, never loads from outside the archive,
with an outline of headings and find-in-preview."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractSlider,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from masthead.core.render import HEAD_CHARS, Rendered, renumbered, split_head
from masthead.ui.search_marks import SearchMarks, find_in
from masthead.ui.tasks import foreground, render_elsewhere, run_in_background
from masthead.ui.theme import readable, tint

SAFE_SCHEMES = {"http", "https", "mailto"}


ANCHOR_ROLE = Qt.ItemDataRole.UserRole + 1


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
REST_PIECE = 2 * HEAD_CHARS  # characters of a long transcript's rest rendered per call of the render process


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


class PreviewPane(QWidget):
    """Header, outline and rendered transcript of the selected file, with a find bar (Ctrl+F)."""

    rendered = Signal()
    began = Signal()  # the first piece of a transcript is on screen (the rest may still come)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPane")
        self.header = QLabel("No file selected")
        self.header.setObjectName("previewHeader")
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.browser = PreviewBrowser()
        self.browser.setObjectName("previewBrowser")
        self.browser.setAccessibleName("Transcript preview")
        self.outline_model = QStandardItemModel(self)
        self.outline = QTreeView()
        self.outline.setObjectName("previewOutline")
        self.outline.setAccessibleName("Outline of headings")
        self.outline.setModel(self.outline_model)
        self.outline.setHeaderHidden(True)
        self.outline.clicked.connect(self._go_to_heading)
        self.outline.activated.connect(self._go_to_heading)

        self.find_field = QLineEdit()
        self.find_field.setObjectName("previewFind")
        self.find_field.setAccessibleName("Find in preview")
        self.find_field.setPlaceholderText("Find in preview")
        self.find_field.returnPressed.connect(self.find_next)
        self.find_status = QLabel("")
        self.find_status.setObjectName("previewFindStatus")
        prev_button = QToolButton()
        prev_button.setText("↑")
        prev_button.setObjectName("previewFindPrevious")
        prev_button.setAccessibleName("Find previous")
        prev_button.clicked.connect(self.find_previous)
        next_button = QToolButton()
        next_button.setText("↓")
        next_button.setObjectName("previewFindNext")
        next_button.setAccessibleName("Find next")
        next_button.clicked.connect(self.find_next)
        close_button = QToolButton()
        close_button.setText("✕")
        close_button.setObjectName("previewFindClose")
        close_button.setAccessibleName("Close find bar")
        close_button.clicked.connect(self.hide_find)
        self.find_bar = QWidget()
        self.find_bar.setObjectName("previewFindBar")
        bar = QHBoxLayout(self.find_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        for widget in (self.find_field, self.find_status, prev_button, next_button, close_button):
            bar.addWidget(widget)
        self.find_bar.hide()
        QShortcut(QKeySequence(QKeySequence.StandardKey.FindNext), self, self.find_next)
        QShortcut(QKeySequence(QKeySequence.StandardKey.FindPrevious), self, self.find_previous)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.find_field, self.hide_find)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("previewSplitter")
        self.splitter.setAccessibleName("Outline and transcript")
        self.splitter.addWidget(self.outline)
        self.splitter.addWidget(self.browser)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([120, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.splitter)
        # start the render process now (its start and imports take ~0.3 s), not at the first file shown
        run_in_background(lambda: render_elsewhere("", ()), lambda _result, _error: None, self)

        self._generation = 0
        self.html = ""  # the transcript shown, as rendered (restyled when the palette changes)
        self._pending: tuple[str, tuple[str, ...]] | None = None
        self._rest: list[str] = []  # pieces of a long transcript still to be shown
        self._awaiting = False  # the rest of a long transcript is still being rendered
        self._shown: tuple[str, tuple[str, ...]] | None = None  # what the browser shows (or is showing)
        self._busy = False  # a render is in flight (one at a time)
        self.search_marks = SearchMarks(self.browser, self)  # a search's text, marked where it matches
        self.began.connect(self.search_marks.refresh)
        self.rendered.connect(self.search_marks.refresh)
        self.apply_palette()

    def apply_palette(self) -> None:
        self.browser.document().setDefaultStyleSheet(stylesheet(self.palette()))

    def set_font_size(self, points: int) -> None:
        """The transcript's font size in points (0: the system's)."""
        font = self.font()
        if points > 0:
            font.setPointSize(points)
        self.browser.setFont(font)
        self.browser.document().setDefaultFont(font)

    def changeEvent(self, event: QEvent) -> None:
        """Follow the system palette (light/dark) as it changes: restyle and re-lay out the transcript."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()
            if self.html:
                position = self.browser.verticalScrollBar().value()
                self.browser.setHtml(self.html)
                self.browser.verticalScrollBar().setValue(position)

    # -- showing
    def show_text(
        self,
        header: str,
        body: str,
        base: Path | None,
        root: Path | None,
        entities: Iterable[str] = (),
        error: str | None = None,
    ) -> None:
        """Show a file: its header line, and its body rendered shortly after (debounced, off-thread)."""
        self.header.setText(header if error is None else f"{header}\n⚠ {error}")
        self.header.setProperty("error", error is not None)
        self.browser.archive_root = root
        if base is not None:
            self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(base) + "/"))
        request = (body, tuple(entities))
        if request == self._shown and self._pending is None:  # the same text (e.g. re-read after a save)
            if not (self._busy or self._awaiting or self._rest):
                self.rendered.emit()  # kept as it is; else ``rendered`` comes once it is all shown
            return
        if request != self._pending:
            self._generation += 1  # what is in flight is for another text: dropped when it arrives
        self._pending = request
        self._render()

    def clear(self) -> None:
        self._generation += 1
        self._pending = self._shown = None
        self.html = ""
        self.header.setText("No file selected")
        self.search_marks.new_document()
        self.browser.clear()
        self.outline_model.clear()

    def _render(self) -> None:
        """Render the pending text, unless a render is in flight (its end starts the latest pending one: no
        delay when one file is shown, no pile-up while the user flips through files)."""
        if self._pending is None or self._busy:
            return
        body, entities = self._pending
        self._shown, self._pending = self._pending, None
        generation = self._generation
        head, rest = split_head(body)  # a long transcript: its head is shown while the rest renders
        self._awaiting = bool(rest)

        def done(result: Rendered | None, error: BaseException | None) -> None:
            self._busy = False
            if generation != self._generation or result is None:
                self._render()  # another file was asked for meanwhile
                return
            self._show(result)
            self._render_rest(generation, rest, entities)

        self._busy = True
        run_in_background(lambda: render_elsewhere(head, entities), done, self, foreground())

    def _render_rest(self, generation: int, rest: str, entities: tuple[str, ...]) -> None:
        """The rest of a long transcript, a piece at a time (so that another file's head never waits long
        for the render process); given up as soon as another file is asked for."""
        if generation != self._generation or self._pending is not None or not rest:
            self._awaiting = False
            self._render()
            return
        piece, rest = split_head(rest, REST_PIECE)

        def more(result: Rendered | None, error: BaseException | None) -> None:
            self._busy = False
            if generation != self._generation or result is None:
                self._awaiting = False
                if result is None and generation == self._generation and not self._rest:
                    self.rendered.emit()
                self._render()
                return
            self._awaiting = bool(rest)
            self._show_more(renumbered(result, self.outline_model.rowCount()))
            self._render_rest(generation, rest, entities)

        self._busy = True
        run_in_background(lambda: render_elsewhere(piece, entities), more, self, foreground())

    def _show(self, result: Rendered) -> None:
        """Show rendered HTML. A very long transcript goes in pieces, one per turn of the event loop, so that
        the window never waits for all of it (``rendered`` is emitted after the last piece)."""
        self.html = result.html
        chunks = html_chunks(result.html, first=FIRST_CHUNK)  # a screenful or two first: shown sooner
        self.search_marks.new_document()
        self.browser.setHtml(chunks[0].rstrip())  # (a piece's last newline would end its last paragraph in a space)
        self._rest = chunks[1:]
        self.outline_model.clear()
        self._add_outline(result)
        self.began.emit()
        if self._rest:
            QTimer.singleShot(0, partial(self._append_next, self._generation))
        elif not self._awaiting:
            self.rendered.emit()

    def _show_more(self, result: Rendered) -> None:
        """The rest of a long transcript, after its head: appended in pieces like the head's."""
        self.html += result.html
        idle = not self._rest
        self._rest += html_chunks(result.html)
        self._add_outline(result)
        if idle:
            QTimer.singleShot(0, partial(self._append_next, self._generation))

    def _add_outline(self, result: Rendered) -> None:
        for heading in result.outline:
            item = QStandardItem(("  " * max(0, heading.level - 2)) + heading.text)
            item.setData(heading.anchor, ANCHOR_ROLE)
            item.setEditable(False)
            self.outline_model.appendRow(item)
        self.outline.setVisible(self.outline_model.rowCount() > 0)

    def _append_next(self, generation: int) -> None:
        if generation != self._generation or not self._rest:
            return  # another file is shown meanwhile
        append_html(self.browser.document(), self._rest.pop(0))
        self.search_marks.grown()
        if self._rest:
            QTimer.singleShot(0, partial(self._append_next, generation))
        elif not self._awaiting:
            self.rendered.emit()

    def _go_to_heading(self, index: QModelIndex) -> None:
        anchor = index.data(ANCHOR_ROLE)
        if anchor:
            self.browser.scrollToAnchor(anchor)

    # -- a search's matches
    def mark(self, text: str | None) -> None:
        """Mark every place the transcript holds ``text`` (as the archive's search matches) and scroll to
        the first (``search_marks``); None: no marks. F3 then goes on to the next place."""
        if self.search_marks.set_text(text):
            if text:
                self.find_field.setText(text)
            self.search_marks.refresh()

    # -- find
    def show_find(self) -> None:
        self.find_bar.show()
        self.find_field.setFocus()
        self.find_field.selectAll()

    def hide_find(self) -> None:
        self.find_bar.hide()
        self.browser.setFocus()

    def find_next(self) -> bool:
        return self._find(QTextDocument.FindFlag(0))

    def find_previous(self) -> bool:
        return self._find(QTextDocument.FindFlag.FindBackward)

    def _find(self, flags: QTextDocument.FindFlag) -> bool:
        text, backward = self.find_field.text(), bool(flags & QTextDocument.FindFlag.FindBackward)
        if text and text == self.search_marks.text and self.search_marks.marks:  # as the search matched
            return self.search_marks.step(backward)
        found = bool(text) and find_in(self.browser, text, flags)
        self.find_status.setText("" if found or not text else "Not found")
        return found
