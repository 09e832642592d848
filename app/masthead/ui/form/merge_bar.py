"""The bar shown while a file a merge left in conflict is resolved in the form: each key both sides changed,
with our value and theirs as buttons (the field's own editor is the third way: type a value). Save writes the
file over the conflicted one, and the window stages it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QButtonGroup, QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from masthead.core.frontmerge import ABSENT as REMOVED
from masthead.core.frontmerge import KeyConflict
from masthead.core.values import as_text, same
from masthead.ui.commands import ABSENT
from masthead.ui.document_controller import DocumentController
from masthead.ui.theme import notice_style
from masthead.ui.widgets import named

SHOWN_CHARS = 60


def shown(value: object) -> str:
    """A side's value on one line, cut to fit a button."""
    text = "(removed)" if value is REMOVED else as_text(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


class MergeBar(QFrame):
    def __init__(
        self, controller: DocumentController, focus_field: Callable[[str], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.focus_field = focus_field
        self.setObjectName("mergeBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(f"#mergeBar {{ {notice_style()} }}")
        self.label = named(QLabel(""), "mergeMessage", "Merge conflict")
        self.label.setWordWrap(True)
        self.grid = QGridLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addLayout(self.grid)
        self.buttons: dict[str, tuple[QPushButton, QPushButton]] = {}
        self.states: dict[str, QLabel] = {}
        self._conflicts: dict[str, KeyConflict] = {}
        controller.resolution_changed.connect(self.refresh)
        controller.value_changed.connect(self._sync)
        self.hide()

    def refresh(self) -> None:
        """Rows for the resolution under way, or hidden when there is none."""
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons.clear()
        self.states.clear()
        resolution = self.controller.resolving
        if resolution is None:
            self._conflicts = {}
            self.hide()
            return
        self._conflicts = {c.key: c for c in resolution.conflicts}
        name = self.controller.rel or "This file"
        if resolution.conflicts:
            text = (
                f"{name} was left in conflict by a merge: both sides changed the fields below. Choose each "
                "value, or type one in its field, then Save (Ctrl+S) to write the file and stage it."
            )
        else:
            text = f"{name} was left in conflict by a merge. Save (Ctrl+S) writes the merged fields and stages it."
        if resolution.body_conflict:
            text += (
                " The transcript conflicts too: its conflict markers stay in the body for you to finish in an "
                "editor; the file is staged once they are gone."
            )
        self.label.setText(text)
        for row, conflict in enumerate(resolution.conflicts):
            self._add_row(row, conflict)
        self.show()

    def _add_row(self, row: int, conflict: KeyConflict) -> None:
        key = conflict.key
        field = named(QPushButton(key), f"mergeField_{key}", f"Go to the field {key}")
        field.setFlat(True)
        field.setStyleSheet("font-weight: bold; text-align: left;")
        field.clicked.connect(lambda _c=False, k=key: self.focus_field(k))
        ours = named(QPushButton(f"Ours: {shown(conflict.ours)}"), f"mergeOurs_{key}", f"Keep our {key}")
        theirs = named(QPushButton(f"Theirs: {shown(conflict.theirs)}"), f"mergeTheirs_{key}", f"Take their {key}")
        group = QButtonGroup(self)
        group.setExclusive(False)  # neither is checked once the field holds a value typed by hand
        for button, value in ((ours, conflict.ours), (theirs, conflict.theirs)):
            button.setCheckable(True)
            button.setToolTip("(removed)" if value is REMOVED else as_text(value))
            button.clicked.connect(lambda _c=False, k=key, v=value: self._choose(k, v))
            group.addButton(button)
        state = named(QLabel(""), f"mergeState_{key}", f"Which {key} is chosen")
        self.grid.addWidget(field, row, 0)
        self.grid.addWidget(ours, row, 1)
        self.grid.addWidget(theirs, row, 2)
        self.grid.addWidget(state, row, 3)
        self.grid.setColumnStretch(4, 1)
        self.buttons[key] = (ours, theirs)
        self.states[key] = state
        self._sync(key)

    def _choose(self, key: str, value: object) -> None:
        self.controller.edit(key, ABSENT if value is REMOVED else value)
        self._sync(key)

    def _sync(self, key: str) -> None:
        conflict, doc = self._conflicts.get(key), self.controller.doc
        if conflict is None or doc is None or key not in self.buttons:
            return
        value = doc.data.get(key, REMOVED)

        def holds(side: object) -> bool:
            return (value is REMOVED) == (side is REMOVED) and (side is REMOVED or same(value, side))

        is_ours, is_theirs = holds(conflict.ours), holds(conflict.theirs)
        ours, theirs = self.buttons[key]
        ours.setChecked(is_ours)
        theirs.setChecked(is_theirs and not is_ours)
        self.states[key].setText("ours" if is_ours else "theirs" if is_theirs else "your value")
