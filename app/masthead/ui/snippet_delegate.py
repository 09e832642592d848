"""The Match column's painter: the words around a transcript match, the match itself marked."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from masthead.core.fulltext import Hit
from masthead.ui.models import SNIPPET_ROLE

MARK = QColor(255, 214, 102)  # a find-in-page highlight: dark text on it reads in light and dark themes
MARK_TEXT = QColor(20, 20, 20)


class SnippetDelegate(QStyledItemDelegate):
    """Paints ``before`` (cut at its start), the match in bold on a highlight, then ``after`` (cut at its end)."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        hit = index.data(SNIPPET_ROLE)
        if not isinstance(hit, Hit):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        colour = opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        rect = opt.rect.adjusted(4, 0, -4, 0)
        bold = QFont(opt.font)
        bold.setBold(True)
        plain_metrics, bold_metrics = QFontMetrics(opt.font), QFontMetrics(bold)
        match = bold_metrics.elidedText(hit.match, Qt.TextElideMode.ElideRight, rect.width())
        match_width = bold_metrics.horizontalAdvance(match) + 4
        room = max(0, rect.width() - match_width)
        before = plain_metrics.elidedText(hit.before, Qt.TextElideMode.ElideLeft, room // 3)
        before_width = plain_metrics.horizontalAdvance(before)
        after = plain_metrics.elidedText(hit.after, Qt.TextElideMode.ElideRight, room - before_width)
        painter.save()
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        x = rect.left()
        painter.setPen(colour)
        painter.setFont(opt.font)
        painter.drawText(QRect(x, rect.top(), before_width, rect.height()), align, before)
        x += before_width
        mark = QRect(x, rect.top() + 2, match_width, rect.height() - 4)
        painter.fillRect(mark, MARK)
        painter.setPen(MARK_TEXT)
        painter.setFont(bold)
        painter.drawText(mark.adjusted(2, 0, -2, 0), align, match)
        x += match_width
        painter.setPen(colour)
        painter.setFont(opt.font)
        painter.drawText(QRect(x, rect.top(), rect.right() - x, rect.height()), align, after)
        painter.restore()
