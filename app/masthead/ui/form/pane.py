"""The front-matter form: layout, one editor per key, and the wiring to the document controller. The form
never parses YAML or touches files: edits go to the ``DocumentController``, which owns the document, its undo
history, saving and conflicts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from masthead.core.document import Document
from masthead.core.fieldinfo import field_kind
from masthead.core.schema import LIST_KINDS, Kind
from masthead.core.values import Value
from masthead.core.workflow import Schema
from masthead.ui.chips import ChipsEditor
from masthead.ui.commands import ABSENT
from masthead.ui.completion import FieldValues, Vocabularies, warm_all
from masthead.ui.document_controller import DocumentController
from masthead.ui.form.code_view import CodeView
from masthead.ui.form.conflict_bar import ConflictBar
from masthead.ui.form.editors import make_editor
from masthead.ui.form.field_row import field_row, remove_button
from masthead.ui.form.labels import field_label, parse_problem
from masthead.ui.form.merge_bar import MergeBar
from masthead.ui.form.spare_rows import SpareRows, place
from masthead.ui.form.state import ControllerState
from masthead.ui.form.status import StatusView, ask_new_field, ask_remove_field, empty_value
from masthead.ui.form.suggestions import SuggestionsPanel
from masthead.ui.form.tab_order import FieldsWidget
from masthead.ui.tasks import run_in_background
from masthead.ui.widgets import named

DIM_AFTER_MS = 150  # a file still loading after this long greys out the fields of the one shown


class FormPane(ControllerState, QWidget):
    """Edits the current file's front matter (the controller's document)."""

    saved = Signal(str)  # path
    dirty_changed = Signal(bool)
    save_failed = Signal(str)
    state_changed = Signal()  # badge / problems changed: publish actions may change
    status_message = Signal(str)  # for the status bar (e.g. after Publish)
    loaded = Signal()  # a file asked for with open() is shown (or could not be read)
    reloaded = Signal(str)  # Reload theirs: my edits dropped for the version on disk (not a save)

    def __init__(self, parent: Any = None, controller: DocumentController | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formPane")
        self.controller = controller or DocumentController(self)
        c = self.controller
        c.document_changed.connect(self._rebuild)
        c.value_changed.connect(self._on_value_changed)
        c.dirty_changed.connect(self.dirty_changed)
        c.saved.connect(self._on_saved)
        c.save_failed.connect(self._on_save_failed)
        c.status.connect(self.status_message)
        c.loaded.connect(self._on_loaded)
        c.reloaded.connect(self.reloaded)
        c.opening.connect(self._on_opening)
        c.resolution_changed.connect(self._update_title)
        self.vocabularies = Vocabularies()
        self._vocabulary: Mapping[str, Mapping[str, int]] = {}
        self.editors: dict[str, QWidget] = {}
        self.spare = SpareRows()  # rows of keys the shown file lacks, for the next file
        self._keys: list[str] = []  # the fields shown, in order
        self._kinds: dict[str, Kind] = {}

        self.title = named(QLabel("No file selected"), "formTitle", "Front matter")
        self.title.setWordWrap(True)
        self.status = StatusView(self.focus_field, self)
        self.badge, self.problems_box = self.status.badge, self.status.problems_box
        self.conflict_bar, self.merge_bar = ConflictBar(c, self), MergeBar(c, self.focus_field, self)
        self.fields = FieldsWidget()
        self.fields.setObjectName("formFields")
        self._dim = QTimer(self, singleShot=True, interval=DIM_AFTER_MS)
        self._dim.timeout.connect(lambda: self.fields.setEnabled(not self.controller.pending_open))
        self.rows = QFormLayout(self.fields)
        self.rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # label above when a row is too wide
        self.add_button = named(QPushButton("Add field…"), "addField", "Add a field")
        self.add_button.clicked.connect(self.ask_add_field)
        self.suggestions = SuggestionsPanel(lambda s: self.controller.append(s.field, s.value))
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.fields)
        inner_layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        inner_layout.addWidget(self.suggestions)
        inner_layout.addStretch(1)
        self.scroll_area = named(QScrollArea(), "formScroll", "Fields")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(inner)
        self.yaml_view = named(CodeView(), "frontMatterView", "Front matter as YAML (read-only)")
        self.tabs = named(QTabWidget(), "formTabs", "Form or YAML")
        self.tabs.addTab(self.scroll_area, "Fields")
        self.tabs.addTab(self.yaml_view, "YAML")
        self.tabs.currentChanged.connect(lambda _index: self._refresh_yaml())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)
        layout.addWidget(self.problems_box)
        layout.addWidget(self.conflict_bar)
        layout.addWidget(self.merge_bar)
        layout.addWidget(self.tabs)
        self._message = ""

    @property
    def vocabulary(self) -> Mapping[str, Mapping[str, int]]:
        return self._vocabulary

    @vocabulary.setter
    def vocabulary(self, vocabulary: Mapping[str, Mapping[str, int]]) -> None:
        """A new (or changed) vocabulary: the pickers' values of changed fields are replaced in place, their
        indexes built off the GUI thread (the previous ones serve meanwhile)."""
        self._vocabulary = vocabulary
        stale = self.vocabularies.update(vocabulary)
        if stale:
            run_in_background(lambda: warm_all(stale), self._on_warm, self)

    def _on_warm(self, _result: object, _error: BaseException | None) -> None:
        for editor in [e for e in self.editors.values() if isinstance(e, ChipsEditor)]:
            editor.refresh_flags()

    # ------------------------------------------------------------------ loading
    def open(self, root: Path, rel: str, discard: bool = True) -> bool:
        """Read and show ``root / rel`` (off the GUI thread); ``loaded`` follows. The window asks about unsaved
        edits first (Save / Discard / Cancel), hence ``discard``; False: unsaved edits kept, nothing opened."""
        return self.controller.open(root, rel, discard)

    def _on_opening(self, pending: bool) -> None:
        """While another file loads, the one shown takes no edits (the controller drops them); its fields grey
        out if that takes a while (toggling ~200 widgets costs more than opening most files, and flickers)."""
        self.add_button.setEnabled(not pending and self.controller.editable)
        if pending:
            self._dim.start()
        else:
            self._dim.stop()
            self.fields.setEnabled(True)

    def _on_loaded(self) -> None:
        if self.controller.doc is None:
            self._message = self.controller.load_error or ""
            self._update_title()
        self.loaded.emit()

    def show_document(
        self,
        doc: Document | None,
        root: Path | None,
        rel: str | None,
        vocabulary: Mapping[str, Mapping[str, int]] | None = None,
        message: str = "",
        schema: Schema | None = None,
        discard: bool = True,
    ) -> None:
        """Show a file. The same file with the same bytes (e.g. re-read after a save) changes nothing: the
        form, the focus and the undo history stay. Unsaved edits are replaced only with ``discard`` (the
        window asked Save / Discard / Cancel before)."""
        if schema is not None:
            self.schema = schema
        if vocabulary is not None:
            self.vocabulary = vocabulary
        self._message = message
        if not self.controller.set_document(doc, root, rel, discard):
            self._refresh_state()
        self._update_title()

    def _update_title(self) -> None:
        doc, rel = self.controller.doc, self.controller.rel
        if doc is None:
            self.title.setText(self._message or "No file selected")
        elif doc.error is not None:
            self.title.setText(parse_problem(str(rel), doc.error.line, doc.error.message))
        elif doc.readonly_reason:
            self.title.setText(f"{rel}: {doc.readonly_reason}")
        elif self.controller.save_blocker:  # said now, not only at Ctrl+S (found by a new-user trial)
            self.title.setText(f"{rel} — ⚠ {self.controller.save_blocker}: edits cannot be saved until that changes")
        else:
            self.title.setText(str(rel))

    def _rebuild(self) -> None:
        """Show the current document's fields. Rows of keys the previous file also had (of the same kind) are
        kept, moved to their new place and given the new value: opening the next file creates few widgets."""
        doc = self.controller.doc
        editable = doc is not None and doc.editable
        self.add_button.setEnabled(editable)
        data = doc.data if doc is not None else {}
        kinds = {k: self.kind(k, v) for k, v in data.items()}
        if self.spare.schema is not self.schema:
            self.spare.clear(self.schema)  # labels, kinds and choices of another schema
        kept: dict[str, tuple[QWidget, QWidget]] = {}  # key -> (label, row)
        for index in reversed(range(self.rows.rowCount())):
            key = self._keys[index]
            taken = self.rows.takeRow(index)
            label = taken.labelItem.widget() if taken.labelItem is not None else None
            row = taken.fieldItem.widget() if taken.fieldItem is not None else None
            if (
                label is not None
                and row is not None
                and kinds.get(key, Kind.COMPLEX) == self._kinds.get(key, Kind.COMPLEX) != Kind.COMPLEX
            ):
                kept[key] = (label, row)
                continue
            editor, kind = self.editors.pop(key, None), self._kinds.pop(key, Kind.COMPLEX)
            if label is not None and row is not None and editor is not None and kind != Kind.COMPLEX:
                self.spare.keep(key, kind, label, row, editor)  # for the next file that has this key
                continue
            for widget in (label, row):
                if widget is not None:
                    widget.hide()
                    widget.deleteLater()
        for index, (key, value) in enumerate(data.items()):
            spare = self.spare.take(key, kinds[key]) if key not in kept else None
            if spare is not None:
                label, row, self.editors[key] = spare
                self._kinds[key], kept[key] = kinds[key], (label, row)
            if key not in kept:
                self._add_row(index, key, value, editable)
                continue
            label, row = kept[key]
            place(self.rows, index, label, row)
            editor = self.editors[key]
            editor.set_value(value)  # type: ignore[attr-defined]
            if isinstance(editor, ChipsEditor):  # nothing half-typed for another file; flags may be stale
                editor.start_over()
            editor.setEnabled(editable)
            remove = remove_button(row, key)
            if remove is not None:
                remove.setEnabled(editable)
        self._keys = list(data)
        self._update_title()
        self._refresh_yaml()
        self._refresh_suggestions()
        self._refresh_state()

    def choices(self, key: str) -> FieldValues:
        return self.vocabularies.choices(key, self.schema)

    def kind(self, key: str, value: Value) -> Kind:
        """How ``key`` is edited: ``fieldinfo.field_kind`` (the schema's kind, when the value fits it); a value
        the document cannot write back (``!!set``, a custom tag...) is shown as written, read-only."""
        doc = self.controller.doc
        if doc is not None and key in doc.readonly_keys:
            return Kind.COMPLEX
        return field_kind(key, value, self.schema)

    def _add_row(self, index: int, key: str, value: Value, editable: bool) -> None:
        label, row, self.editors[key], self._kinds[key] = self._make_row(key, value, editable)
        self.rows.insertRow(index, label, row)

    def prepare_rows(self) -> None:
        """Make the schema's rows ahead of the first file, a row per turn of the event loop (else the first
        file shown creates them all at once)."""
        if self.spare.schema is not self.schema:
            self.spare.clear(self.schema)
        wanted = {k: empty_value(rule.kind) for k, rule in self.schema.fields.items() if rule.kind != Kind.COMPLEX}
        self.spare.fill(self, list(wanted), lambda k: self._make_row(k, wanted[k], False), self.editors.__contains__)

    def _make_row(self, key: str, value: Value, editable: bool) -> tuple[QWidget, QWidget, QWidget, Kind]:
        kind = self.kind(key, value)
        rule = self.schema.rule(key)
        allow_new = rule is None or rule.new_values
        nested = self.controller.entry_text(key) if kind == Kind.COMPLEX else ""
        needs = kind in LIST_KINDS or kind == Kind.CHOICE
        editor = make_editor(key, kind, value, self.choices(key) if needs else {}, allow_new, nested)
        editor.value_edited.connect(lambda new, typing, k=key: self.controller.edit(k, new, typing))  # type: ignore[attr-defined]
        if rule is not None and rule.help:
            editor.setToolTip(rule.help)
        doc = self.controller.doc
        if doc is not None and key in doc.readonly_keys:
            editor.setToolTip(f"Read-only: {doc.readonly_keys[key]}")
        editor.setEnabled(editable or kind == Kind.COMPLEX)
        label, row = field_row(key, editor, field_label(key, self.schema), editable, self.ask_remove_field)
        label.setParent(self.fields)  # hidden until placed in the layout
        row.setParent(self.fields)
        return label, row, editor, kind

    # ------------------------------------------------------------------ editing
    def edit(self, key: str, new: Value, typing: bool = False) -> None:
        self.controller.edit(key, new, typing)

    def _on_value_changed(self, key: str) -> None:
        doc = self.controller.doc
        if doc is None:
            return
        data = doc.data
        if list(data) != self._keys:  # a field came or went: rebuild, then show the new one
            added = [k for k in data if k not in self._keys]
            self._rebuild()
            if added:
                QTimer.singleShot(0, lambda k=added[0]: self._show_field(k) if not self.isHidden() else None)
            return
        keys = [key] if key else list(data)
        for k in keys:
            editor = self.editors.get(k)
            if editor is not None:
                value = self.controller.entry_text(k) if self.kind(k, data.get(k)) == Kind.COMPLEX else data.get(k)
                editor.set_value(value)  # type: ignore[attr-defined]
        self._refresh_yaml()
        self._refresh_state()
        if key == "" or self.kind(key, data.get(key)) in LIST_KINDS:
            self._refresh_suggestions()

    def ask_remove_field(self, key: str) -> None:
        if ask_remove_field(self, key):
            self.controller.edit(key, ABSENT)

    def ask_add_field(self) -> None:
        doc = self.controller.doc
        if doc is None or not doc.editable:
            return
        answer = ask_new_field(self, list(doc.data))
        if answer is None:
            return
        name, kind = answer
        if not kind:
            self.focus_field(name)
            return
        self.controller.edit(name, empty_value(kind))  # the new row is then focused and shown

    # ------------------------------------------------------------------ publication status
    def _refresh_state(self) -> None:
        """The badge (Draft / Published / Has problems) and the problems."""
        doc = self.controller.doc
        if doc is None or doc.error is not None:
            self.status.clear()
        else:
            problems = self.problems
            self.status.show(
                "problems" if problems else "draft" if self.controller.is_draft() else "published", problems
            )
        self.state_changed.emit()

    def focus_field(self, key: str) -> None:
        """Show and focus a field's editor (adding the field when the schema wants it and it is missing)."""
        doc = self.controller.doc
        if key not in self.editors and doc is not None and doc.editable:
            rule = self.schema.rule(key)
            self.controller.edit(key, empty_value(rule.kind if rule else Kind.TEXT))
        self._show_field(key)

    def _show_field(self, key: str) -> None:
        editor = self.editors.get(key)
        if editor is None:
            return
        self.tabs.setCurrentIndex(0)
        QApplication.sendPostedEvents()  # lay the new row out now, so that scrolling goes to the right place
        self.scroll_area.ensureWidgetVisible(editor)
        QTimer.singleShot(0, self._ensure_focused_visible)  # again once the pickers have fitted their chips
        editor.focus_target().setFocus()  # type: ignore[attr-defined]

    def _ensure_focused_visible(self) -> None:
        focused = QApplication.focusWidget()
        if focused is not None and self.fields.isAncestorOf(focused):
            self.scroll_area.ensureWidgetVisible(focused)

    # ------------------------------------------------------------------ YAML tab and suggestions
    def set_head_diff(self, rel: str, text: str | None) -> None:
        """The file against its last commit (from git), shown in the YAML tab below the pending changes."""
        self.controller.head_diff = (rel, text) if text else None
        self._refresh_yaml()

    def _refresh_yaml(self) -> None:
        if self.tabs.currentIndex() == 1:
            self.yaml_view.show_text(*self.controller.yaml_text())

    def _refresh_suggestions(self) -> None:
        self.suggestions.refresh(self.controller.doc, self.vocabularies.snapshot, self.schema)

    # ------------------------------------------------------------------ saving
    def save(self, on_done: Callable[[bool], None] | None = None) -> None:
        """Save through the application's writer; the form stays as it is (focus and undo history too)."""
        self.controller.save(on_done)

    def _on_saved(self, rel: str) -> None:
        self._update_title()
        self._refresh_yaml()
        self._refresh_state()
        self.saved.emit(rel)

    def _on_save_failed(self, message: str) -> None:
        QMessageBox.warning(self, "Save failed", message)
        self.save_failed.emit(message)

    def file_vanished(self) -> None:
        """The current file was deleted or moved on disk (the window's watcher says so)."""
        self.controller.file_vanished()
