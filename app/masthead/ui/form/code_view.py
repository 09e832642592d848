"""A read-only text view with line numbers in a margin and one line that can be highlighted (a parse error)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QResizeEvent, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from masthead.ui.theme import error_colour


class _Gutter(QWidget):
    def __init__(self, view: CodeView) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self) -> QSize:
        return QSize(self.view.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.view.paint_gutter(event)


class CodeView(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.first_line = 1
        self.error_line: int | None = None  # counted like the margin's numbers
        self.gutter = _Gutter(self)
        self.blockCountChanged.connect(self._update_width)
        self.updateRequest.connect(self._on_update)
        self._update_width()

    def show_text(self, text: str, error_line: int | None = None) -> None:
        self.setPlainText(text)
        self.error_line = error_line
        selections = []
        if error_line is not None and error_line >= self.first_line:
            block = self.document().findBlockByNumber(error_line - self.first_line)
            if block.isValid():
                sel = QTextEdit.ExtraSelection()
                colour = QColor(error_colour())
                colour.setAlpha(60)
                sel.format.setBackground(colour)
                sel.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                cursor = QTextCursor(block)
                sel.cursor = cursor
                selections.append(sel)
                self.setTextCursor(cursor)
                self.centerCursor()
        self.setExtraSelections(selections)

    def highlighted_line(self) -> int | None:
        """The line number shown as an error (None if none)."""
        return self.error_line if self.extraSelections() else None

    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount() + self.first_line - 1)))
        return 8 + self.fontMetrics().horizontalAdvance("9") * digits

    def _update_width(self, _count: int = 0) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _on_update(self, rect: QRect, dy: int) -> None:
        if dy:
            self.gutter.scroll(0, dy)
        else:
            self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        inner = self.contentsRect()
        self.gutter.setGeometry(QRect(inner.left(), inner.top(), self.gutter_width(), inner.height()))

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self.gutter)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.alternateBase())
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            number = block.blockNumber() + self.first_line
            painter.setPen(QColor(error_colour()) if number == self.error_line else palette.placeholderText().color())
            painter.drawText(0, top, self.gutter.width() - 4, height, Qt.AlignmentFlag.AlignRight, str(number))
            top += round(self.blockBoundingRect(block).height())
            block = block.next()
        painter.end()
