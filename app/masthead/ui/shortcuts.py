"""Help ▸ Keyboard Shortcuts: a sheet built from the window's own actions (so it is always right), plus
the keys that belong to single widgets (pickers, preview search, taxonomy)."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QMenu, QTableWidget, QTableWidgetItem, QVBoxLayout

from masthead.ui.widgets import named

WIDGET_KEYS = (
    ("Tag and entity pickers", "Enter", "add the value typed (a new value needs “Create …”)"),
    ("Tag and entity pickers", "Backspace", "remove the last value (in the empty field)"),
    ("Tag and entity pickers", "Left / Right", "move between values; Delete removes one"),
    ("Tag and entity pickers", "Alt+Left / Alt+Right", "move a value earlier or later"),
    ("Preview", "Enter / Shift+Enter, F3 / Shift+F3", "next / previous match of the find bar"),
    ("Preview", "Esc", "close the find bar"),
    ("Taxonomy", "F2", "rename the selected value"),
    ("Taxonomy", "Del", "delete the selected values"),
    ("Taxonomy", "Double-click", "show the files using the value"),
)


def _typed(text: str) -> bool:
    """A key one presses on an ordinary keyboard (not a dedicated 'Save' or 'Open' media key)."""
    return "+" in text or bool(re.fullmatch(r"F\d+|Del|Delete|Esc|Backspace", text))


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str, str]]:
    """(where, keys, what) for every action with a shortcut, then the widgets' own keys."""
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
        keys = [k for k in keys if _typed(k)]
        if keys:
            what = action.text().replace("&", "").rstrip("…").split("“")[0].strip()
            menus = [m.title().replace("&", "") for m in action.associatedObjects() if isinstance(m, QMenu)]
            rows.append((f"{menus[0]} menu" if menus else "Window", " or ".join(dict.fromkeys(keys)), what))
    order = ["File menu", "Edit menu", "Go menu", "Document menu", "View menu", "Help menu"]
    rows.sort(key=lambda r: (order.index(r[0]) if r[0] in order else len(order), r[2].casefold()))
    return rows + list(WIDGET_KEYS)


class ShortcutsDialog(QDialog):
    def __init__(self, actions: list[QAction], parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        rows = shortcut_rows(actions)
        self.table = named(QTableWidget(len(rows), 3), "shortcutsTable", "Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Where", "Keys", "Action"])
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.verticalHeader().setVisible(False)
        named(self.table.verticalHeader(), "shortcutsRows", "Rows")
        named(self.table.horizontalHeader(), "shortcutsHeader", "Columns")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            named(button, "shortcutsClose", "Close")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(860, 560)
