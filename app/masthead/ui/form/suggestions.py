"""Values the transcript suggests adding, computed off the GUI thread, each a button that adds it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from masthead.core.document import Document
from masthead.core.fieldinfo import choice_fields
from masthead.core.suggest import Suggester, Suggestion
from masthead.core.workflow import Schema, builtin_schema
from masthead.ui.form.labels import field_label
from masthead.ui.tasks import run_in_background
from masthead.ui.widgets import named

LIMIT = 12
DELAY_MS = 250


class SuggestionsPanel(QWidget):
    def __init__(self, accept: Callable[[Suggestion], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formSuggestions")
        self.accept = accept
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(0, 6, 0, 0)
        self._generation = 0
        self._request: tuple[str, dict[str, list[str]], Mapping[str, Mapping[str, int]]] | None = None
        self._timer = QTimer(self)  # suggestions wait until the user rests on a file (not while flipping)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self._start)
        self._suggester: Suggester | None = None  # for the last vocabulary (its index is built once)
        self._cancel = threading.Event()  # set when the search running is superseded (it then stops)
        self.shown: list[Suggestion] = []
        self.schema = builtin_schema()  # the form's, once refreshed: fields' labels

    def clear(self) -> None:
        self._generation += 1
        self._cancel.set()
        self._request = None
        self._timer.stop()
        self._show([])

    def refresh(
        self, doc: Document | None, vocabulary: Callable[[], Mapping[str, Mapping[str, int]]], schema: Schema
    ) -> None:
        """Suggestions for an editable document's transcript and string lists (none for another): values of
        the archive's list fields that this file holds as a list or not at all (never a single-value field's,
        nor one this file holds as one value: a value added there would replace it)."""
        if doc is None or not doc.editable:
            self.clear()
            return
        self.schema = schema
        lists = {k: v for k, v in doc.data.items() if isinstance(v, list) and all(isinstance(x, str) for x in v)}
        single = set(choice_fields(schema))
        wanted = {
            field: counts
            for field, counts in vocabulary().items()
            if field not in single and (field in lists or doc.data.get(field) in (None, ""))
        }
        self.compute(doc.body_text, lists, wanted)

    def compute(self, body: str, lists: Mapping[str, list[str]], vocabulary: Mapping[str, Mapping[str, int]]) -> None:
        """Find suggestions on a worker thread, shortly; a later call supersedes an earlier one (and stops it
        if it is running)."""
        self._generation += 1
        self._cancel.set()
        self._request = (body, {k: list(v) for k, v in lists.items()}, vocabulary)
        self._timer.start()

    def _start(self) -> None:
        if self._request is None:
            return
        (body, lists, vocabulary), self._request = self._request, None
        generation = self._generation
        cached = self._suggester
        cancel = self._cancel = threading.Event()

        def job() -> tuple[Suggester, list[Suggestion]]:
            suggester = Suggester(vocabulary, cached)  # only fields whose counts changed are indexed again
            return suggester, suggester.suggest(body, lists, cancel=cancel)[:LIMIT]

        def done(result: tuple[Suggester, list[Suggestion]] | None, _error: BaseException | None) -> None:
            if result is not None:
                self._suggester = result[0]
            if generation == self._generation:
                self._show(result[1] if result is not None else [])

        run_in_background(job, done, self)

    def _show(self, found: list[Suggestion]) -> None:
        while self.rows.count():
            old = self.rows.takeAt(0)
            widget = old.widget() if old is not None else None
            if widget is not None:
                widget.deleteLater()
        self.shown = found
        if not found:
            return
        self.rows.addWidget(QLabel("Suggested by the transcript:"))
        for item in found:
            label = field_label(item.field, self.schema)  # (as the form names it)
            button = named(QPushButton(f"+ {item.value} → {label}"), "suggestion", f"Add {item.value} to {label}")
            button.setToolTip(f"{item.reason}, {item.count}× in the transcript")
            button.clicked.connect(lambda _=False, s=item: self.accept(s))
            self.rows.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
