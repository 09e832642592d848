"""The transcript preview: rendered Markdown that never navigates, never loads from outside the archive,
with an outline of headings and find-in-preview."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QKeySequence,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from masthead.core.render import HEAD_CHARS, Rendered, renumbered, split_head
from masthead.ui.preview_page import FIRST_CHUNK, PreviewBrowser, append_html, html_chunks, stylesheet
from masthead.ui.search_marks import SearchMarks, find_in
from masthead.ui.tasks import foreground, render_elsewhere, run_in_background

ANCHOR_ROLE = Qt.ItemDataRole.UserRole + 1


REST_PIECE = 2 * HEAD_CHARS  # characters of a long transcript's rest rendered per call of the render process


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
