"""The form's header parts: the publication badge and the list of problems (each a button to its field)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from masthead.core.schema import LIST_KINDS, Kind
from masthead.core.values import Value
from masthead.core.workflow import Problem
from masthead.ui.theme import error_colour
from masthead.ui.widgets import named

BADGES = {"problems": ("Has problems", "#c62828"), "draft": ("Draft", "#8a6d00"), "published": ("Published", "#2e7d32")}


class StatusView:
    """Owns ``badge`` (hidden when there is nothing to say: no empty coloured box) and ``problems_box``."""

    def __init__(self, go_to: Callable[[str], None], parent: QWidget | None = None) -> None:
        self.go_to = go_to
        self.badge = named(QLabel("", parent), "formBadge", "Publication status")
        self.badge.hide()
        self.problems_box = QFrame(parent)
        self.problems_box.setObjectName("formProblems")
        self.rows = QVBoxLayout(self.problems_box)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(2)

    def clear(self) -> None:
        self._clear_problems()
        self.badge.setText("")
        self.badge.hide()

    def _clear_problems(self) -> None:
        while self.rows.count():
            old = self.rows.takeAt(0)
            widget = old.widget() if old is not None else None
            if widget is not None:
                widget.deleteLater()

    def show(self, state: str, problems: Sequence[Problem]) -> None:
        """``state``: ``problems``, ``draft`` or ``published``."""
        self._clear_problems()
        label, colour = BADGES[state]
        self.badge.setText(label)
        self.badge.setStyleSheet(
            f"QLabel {{ color: white; background: {colour}; border-radius: 3px; padding: 1px 6px; }}"
        )
        self.badge.show()
        for problem in problems:
            button = named(QPushButton(f"⚠ {problem}"), "problem", f"Problem: {problem}; go to the field")
            button.setFlat(True)
            button.setStyleSheet(f"QPushButton {{ text-align: left; color: {error_colour()}; }}")
            button.clicked.connect(lambda _=False, key=problem.field: self.go_to(key))
            self.rows.addWidget(button)


def ask_new_field(parent: QWidget, existing: Sequence[str]) -> tuple[str, str] | None:
    """Ask the name and kind of a new field: (name, kind) or None. An existing name is said so: ("name", "")."""
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    name, ok = QInputDialog.getText(parent, "Add field", "Name of the new field:")
    name = name.strip()
    if not ok or not name:
        return None
    if name in existing:
        QMessageBox.information(parent, "Add field", f"“{name}” is already a field of this file.")
        return name, ""
    kinds = ["text", "long text", "date", "true/false", "list"]
    kind, ok = QInputDialog.getItem(parent, "Add field", f"Kind of “{name}”:", kinds, 0, False)
    return (name, kind) if ok else None


def empty_value(kind: str) -> Value:
    """A new field's first value, by the kind asked for in ``ask_new_field`` or a schema's ``Kind``."""
    if kind == Kind.DATE:
        return dt.date.today()
    if kind in ("true/false", Kind.BOOL):
        return False
    return [] if kind == "list" or kind in LIST_KINDS else ""


def ask_remove_field(parent: QWidget, key: str) -> bool:
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(parent, "Remove field", f"Remove “{key}” from this file's front matter?")
    return answer == QMessageBox.StandardButton.Yes
