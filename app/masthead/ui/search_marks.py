"""A search's text marked in the transcript preview: every place it matches (as the archive's search
matches: case, full-width forms), the first selected and scrolled to. Found off the GUI thread.

Only the places in and around the part of the transcript in view are given to the browser (as extra
selections), again as it scrolls: each one costs the GUI thread its layout (a search for "the" in a 2 MB
transcript held it 160 ms with 2,000 marks over the whole text)."""

from __future__ import annotations

import bisect
import contextlib
import re
import time
from typing import Any

from PySide6.QtCore import QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QTextEdit

from masthead.core.fulltext import spans
from masthead.ui.snippet_delegate import MARK, MARK_TEXT
from masthead.ui.tasks import foreground, run_in_background

MARKS = 20_000  # places of a search's text marked in one transcript, at most ("the": 4,758 in the largest)
SHOWN = 400  # of those, given to the browser at once: the ones in view and around
GROWN_EVERY = 0.25  # seconds between two refreshes while a long transcript's pieces are shown
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def qt_spans(raw: str, text: str) -> list[tuple[int, int]]:
    """Where the document's raw text (``QTextDocument.toRawText``: blocks end in U+2029) holds ``text`` as
    the archive's search matches, in the document's positions (UTF-16: a character past U+FFFF counts two)."""
    found = spans(raw.replace("\u2029", "\n").replace("\u2028", "\n"), text, MARKS + 1)  # (one more: are there?)
    astral = [m.start() for m in _ASTRAL.finditer(raw)] if found else []
    if not astral:
        return found
    return [(a + bisect.bisect_left(astral, a), b + bisect.bisect_left(astral, b)) for a, b in found]


class SearchMarks(QObject):
    """The marks of ``text`` in ``browser``'s document; ``refresh`` after the document grows or changes."""

    capped = Signal(str)  # a message: the text is in more places than are marked

    def __init__(self, browser: QTextBrowser, parent: Any = None) -> None:
        super().__init__(parent)
        self.browser = browser
        self.text: str | None = None
        self.marks: list[tuple[int, int]] = []  # in the document's positions
        self._generation = 0
        self._scrolled = False  # the first mark was shown (not again as the rest of the transcript comes)
        self._selected: tuple[int, int] | None = None  # the match this selected in the browser
        self._starts: list[int] = []  # where each of ``marks`` starts
        self._ends: list[int] = []  # and ends
        self._finding = False  # marks are being found (for the latest refresh)
        self._full = False  # the latest marks are the first MARKS places: the document growing adds none
        self._found_at = 0.0  # when the latest refresh began (time.monotonic)
        self._raw: tuple[QTextDocument | None, str | None] = (None, None)  # a document and its raw text
        self._shown: tuple[int, int] = (0, 0)  # the slice of ``marks`` given to the browser
        self._look = QTextCharFormat()
        self._look.setBackground(MARK)
        self._look.setForeground(MARK_TEXT)
        self._selections: list[QTextEdit.ExtraSelection] = []  # kept and reused: see _show_in_view
        self._follow = QTimer(self, singleShot=True, interval=0)  # after a scroll or a resize: the marks in view
        self._follow.timeout.connect(self._show_in_view)
        # (not ``connect(self._follow.start)``: the bar's value would be taken for the timer's interval in ms)
        browser.verticalScrollBar().valueChanged.connect(self._moved)
        browser.horizontalScrollBar().valueChanged.connect(self._moved)
        browser.verticalScrollBar().rangeChanged.connect(self._moved)

    def _moved(self, *_: int) -> None:
        if self.marks:
            self._follow.start()

    def set_text(self, text: str | None) -> bool:
        """Mark ``text`` from now on (None: nothing); whether it changed."""
        if text == self.text:
            return False
        self.text, self._scrolled, self._full = text, False, False
        return True

    def new_document(self) -> None:
        """Another transcript is shown: its first mark is scrolled to; marks found for the old one are dropped."""
        self._generation += 1
        self._scrolled = self._finding = self._full = False
        self.marks, self._starts, self._ends = [], [], []

    def grown(self) -> None:
        """More of the document is shown (a piece of a long transcript): mark it too, now and then while the
        pieces come (the rest of a 2 MB transcript, a second's worth, was shown unmarked: a new-user trial)."""
        if self._full:  # (pieces only come after the end: the first MARKS places stay where they are)
            return
        if self.text and not self._finding and time.monotonic() - self._found_at >= GROWN_EVERY:
            self.refresh()

    def refresh(self) -> None:
        self._generation += 1
        self._full = False
        text, generation = self.text, self._generation
        document = self.browser.document()
        if not text or document.isEmpty():
            self._finding = False
            self._show([])
            return
        raw = self._raw_text(document)
        self._finding, self._found_at = True, time.monotonic()

        def work() -> tuple[list[tuple[int, int]], list[int], list[int], bool]:
            found = qt_spans(raw, text)
            more, found = len(found) > MARKS, found[:MARKS]
            return found, [start for start, _ in found], [end for _, end in found], more

        def done(found: tuple[list[tuple[int, int]], list[int], list[int], bool] | None, error: object) -> None:
            if generation == self._generation:  # (not another text or file meanwhile)
                self._finding = False
                if found is not None:
                    self._show(*found)

        run_in_background(work, done, self, foreground())

    def _raw_text(self, document: QTextDocument) -> str:
        """``document.toRawText()``, kept until the document changes (a 2 MB one took 11 ms for each search)."""
        held, raw = self._raw
        if document is not held:  # (the first, or another: follow this one's changes)
            if held is not None:
                with contextlib.suppress(RuntimeError):
                    held.contentsChanged.disconnect(self._forget_raw)
            document.contentsChanged.connect(self._forget_raw)
            raw = None
        if raw is None:
            raw = document.toRawText()
        self._raw = (document, raw)
        return raw

    def _forget_raw(self) -> None:
        self._raw = (self._raw[0], None)

    def step(self, backward: bool = False) -> bool:
        """Select the next mark after the cursor (or the one before), going round; False if there is none."""
        if not self.marks:
            return False
        cursor = self.browser.textCursor()
        if backward:  # the last ending before the selection, or the last of all (-1)
            start, end = self.marks[bisect.bisect_right(self._ends, cursor.selectionStart()) - 1]
        else:  # the first starting after it, or the first of all
            at = bisect.bisect_left(self._starts, cursor.selectionEnd())
            start, end = self.marks[at if at < len(self.marks) else 0]
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.browser.setTextCursor(cursor)
        self._selected = (start, end)
        show_cursor(self.browser)
        return True

    def _show(
        self,
        found: list[tuple[int, int]],
        starts: list[int] | None = None,
        ends: list[int] | None = None,
        more: bool = False,
    ) -> None:
        """Mark ``found`` (their ``starts`` and ``ends``, in order: none overlap); ``more``: there are more."""
        self.marks, self._full = found, more
        if more:
            self.capped.emit(f"“{self.text}” is in this transcript more than {MARKS:,} times: the first are marked")
        self._starts = starts if starts is not None else [start for start, _ in found]
        self._ends = ends if ends is not None else [end for _, end in found]
        document = self.browser.document()
        cursor = self.browser.textCursor()
        if not found and cursor.hasSelection() and (cursor.selectionStart(), cursor.selectionEnd()) == self._selected:
            cursor.clearSelection()  # the old search's match, selected by us: not this search's
            self.browser.setTextCursor(cursor)
        if found and not self._scrolled:
            self._scrolled = True
            cursor = QTextCursor(document)
            cursor.setPosition(found[0][0])
            cursor.setPosition(found[0][1], QTextCursor.MoveMode.KeepAnchor)
            self.browser.setTextCursor(cursor)  # (F3 goes on from here)
            self._selected = found[0]
            show_cursor(self.browser)
        self._shown = (-1, -1)  # (other marks, whatever their slice)
        self._show_in_view()

    def _around_view(self, screens: float) -> tuple[int, int]:
        """The slice of ``marks`` that start in view or up to ``screens`` times its length before or after it
        (a length in the document's positions)."""
        viewport = self.browser.viewport()
        top = self.browser.cursorForPosition(QPoint(0, 0)).position()
        bottom = self.browser.cursorForPosition(QPoint(viewport.width(), viewport.height())).position()
        margin = int(max(bottom - top, 1) * screens)
        return (bisect.bisect_left(self._starts, top - margin), bisect.bisect_right(self._starts, bottom + margin))

    def _show_in_view(self) -> None:
        """Give the browser the marks from two screens above the view to two below it (at most ``SHOWN``,
        centred on the view), unless those given already reach half a screen past it on both sides."""
        near = self._around_view(0.5)
        if self._shown[0] <= near[0] and near[1] <= self._shown[1] and self._shown != (-1, -1):
            return
        first, last = self._around_view(2)
        if last - first > SHOWN:
            first = max((near[0] + near[1]) // 2 - SHOWN // 2, 0)
            last = min(first + SHOWN, len(self.marks))
        self._shown = (first, last)
        # One cursor, moved to each mark, and selections made once and kept (each takes a copy of the cursor).
        # Making a cursor, and letting go of a selection, each release the GIL: 400 of each, with a worker busy,
        # waited to get it back every time (20-130 ms of the GUI thread in all, for every scroll or new piece).
        cursor, selections = QTextCursor(self.browser.document()), self._selections
        while len(selections) < last - first:
            selection = QTextEdit.ExtraSelection()
            selection.format = self._look
            selections.append(selection)
        for selection, (start, end) in zip(selections, self.marks[first:last], strict=False):
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
        self.browser.setExtraSelections(selections[: last - first])


def show_cursor(browser: QTextBrowser) -> None:
    """Scroll the browser's cursor (a match) to a third of the way down, where it is seen in its context."""
    bar = browser.verticalScrollBar()
    bar.setValue(bar.value() + browser.cursorRect().top() - browser.viewport().height() // 3)


def find_in(browser: QTextBrowser, text: str, flags: QTextDocument.FindFlag) -> bool:
    """Find ``text`` from the cursor on (``flags``: backward, ...), going round at the end; shown a third down."""
    found = browser.find(text, flags)
    if not found:  # round from the other end
        cursor = browser.textCursor()
        backward = bool(flags & QTextDocument.FindFlag.FindBackward)
        cursor.movePosition(cursor.MoveOperation.End if backward else cursor.MoveOperation.Start)
        browser.setTextCursor(cursor)
        found = browser.find(text, flags)
    if found:
        show_cursor(browser)  # (not at the very bottom edge, where Qt leaves it)
    return found
