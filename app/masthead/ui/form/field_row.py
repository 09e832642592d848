"""One row of the form: the field's label (the buddy of its editor), and its editor with a remove button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from masthead.ui.widgets import named


def field_row(
    key: str, editor: QWidget, label_text: str, editable: bool, on_remove: Callable[[str], None]
) -> tuple[QLabel, QWidget]:
    """The label and the row (``editor`` and the button that calls ``on_remove(key)``) of field ``key``."""
    remove = named(QToolButton(), f"remove_{key}", f"Remove field {key}")
    remove.setText("✕")
    remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not in the Tab chain (the menu can remove fields too)
    remove.setEnabled(editable)
    remove.clicked.connect(lambda _=False, k=key: on_remove(k))
    row = QWidget()
    row.setObjectName(f"row_{key}")
    box = QHBoxLayout(row)
    box.setContentsMargins(0, 0, 0, 0)
    box.addWidget(editor, 1)
    box.addWidget(remove, 0, Qt.AlignmentFlag.AlignTop)
    label = QLabel(label_text)
    label.setObjectName(f"label_{key}")
    label.setToolTip(key)
    label.setBuddy(editor)
    return label, row


def remove_button(row: QWidget, key: str) -> QToolButton | None:
    """The remove button of a row made by ``field_row``."""
    return row.findChild(QToolButton, f"remove_{key}")
