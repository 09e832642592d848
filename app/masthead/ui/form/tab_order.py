"""The form's fields widget: Tab and Shift+Tab go through the fields in the order they are shown.

Qt's focus chain follows the order widgets were made in, and the form reuses rows made for other files
(kept and spare rows), so the chain went from field to field in another file's order, or left the form
halfway. Here the order comes from the layout itself, every time.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFormLayout, QScrollArea, QWidget


class FieldsWidget(QWidget):
    """Holds the form's rows (a QFormLayout); moves the keyboard between them in their shown order."""

    def stops(self) -> list[list[QWidget]]:
        """Per shown row, in order: the widgets in it that Tab stops at."""
        layout = self.layout()
        if not isinstance(layout, QFormLayout):
            return []
        out: list[list[QWidget]] = []
        for index in range(layout.rowCount()):
            item = layout.itemAt(index, QFormLayout.ItemRole.FieldRole)
            row = item.widget() if item is not None else None
            if row is None or not row.isVisible():
                continue
            out.append([w for w in [row, *row.findChildren(QWidget)] if _stops_here(w)])
        return out

    def focusNextPrevChild(self, next: bool) -> bool:
        focused = QApplication.focusWidget()
        rows = self.stops()
        flat = [w for row in rows for w in row]
        at = flat.index(focused) if focused in flat else None
        if at is None and focused is not None:  # inside a row but no stop itself: from that row's edge
            for row in rows:
                if row and any(w is focused or w.isAncestorOf(focused) or focused.isAncestorOf(w) for w in row):
                    at = flat.index(row[-1] if next else row[0])
                    break
        if at is not None:
            target = at + (1 if next else -1)
            if 0 <= target < len(flat):
                reason = Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
                flat[target].setFocus(reason)
                self._scroll_to(flat[target])
                return True
            return self._leave(next)  # past the last field, or before the first
        return super().focusNextPrevChild(next)

    def _scroll_to(self, widget: QWidget) -> None:
        """Scroll the form to the field Tab went to (the scroll area does so for a Tab it handles itself; this
        widget takes Tab first: typing went on below the visible part, as a new-user trial found)."""
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is not None:
            area.ensureWidgetVisible(widget)

    def _leave(self, next: bool) -> bool:
        """Focus the widget Tab stops at after (or before) the fields in the window's focus chain."""
        widget: QWidget = self
        for _ in range(100_000):  # (the chain is a cycle: it comes back here)
            step = widget.nextInFocusChain() if next else widget.previousInFocusChain()
            if step is None or step is self:
                return False
            widget = step
            if not self.isAncestorOf(widget) and _stops_here(widget) and widget.window() is self.window():
                widget.setFocus(Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason)
                return True
        return False


def _stops_here(widget: QWidget) -> bool:
    return (
        bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and widget.focusProxy() is None
        and widget.isVisible()
        and widget.isEnabled()
    )
