"""The front-matter form: one editor per key, every edit an undoable command, saved through core.

The form never parses YAML or touches files: it edits a core ``Document`` (``set``/``delete``) and asks
core to save it, off the GUI thread, through the one writer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from masthead.core import storage, yamlio
from masthead.core.document import DEFAULT_SEQ_OFFSET, Document
from masthead.core.errors import ConflictError, MastheadError
from masthead.core.schema import LIST_KINDS, Kind, kind_of
from masthead.core.suggest import Suggestion, suggest
from masthead.core.values import Value, same
from masthead.core.workflow import Problem, Schema, builtin_schema, is_draft, publish_edits, validate
from masthead.ui.chips import ChipsEditor
from masthead.ui.tasks import run_in_background
from masthead.ui.theme import error_colour, notice_style
from masthead.ui.widgets import named

ABSENT: Any = object()  # "the key is not in the front matter"
WRITER = QThreadPool()
WRITER.setMaxThreadCount(1)  # one writer for the whole window: two saves never race


class SetField(QUndoCommand):
    """Set (or remove, with ABSENT) one key. Consecutive typing in the same field merges into one step."""

    ID = 1

    def __init__(self, form: FormPane, key: str, old: Value, new: Value, typing: bool) -> None:
        super().__init__(f"{'Remove' if new is ABSENT else 'Edit'} {key}")
        self.form, self.key, self.old, self.new, self.typing = form, key, old, new, typing

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if isinstance(other, SetField) and self.typing and other.typing and other.key == self.key:
            self.new = other.new
            return True
        return False

    def redo(self) -> None:
        self.form.apply(self.key, self.new)

    def undo(self) -> None:
        self.form.apply(self.key, self.old)


class ConflictBar(QFrame):
    """Shown when the file changed on disk while it was being edited."""

    def __init__(self, form: FormPane) -> None:
        super().__init__(form)
        self.setObjectName("conflictBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(f"#conflictBar {{ {notice_style()} }}")
        self.label = named(QLabel(""), "conflictMessage", "Conflict")
        self.label.setWordWrap(True)
        self.reload_button = named(QPushButton("Reload (discard mine)"), "conflictReload", "Reload from disk")
        self.keep_button = named(QPushButton("Keep mine…"), "conflictKeepMine", "Keep my version")
        self.merge_button = named(QPushButton("Merge"), "conflictMerge", "Merge both changes")
        self.reload_button.clicked.connect(form.reload_from_disk)
        self.keep_button.clicked.connect(form.keep_mine)
        self.merge_button.clicked.connect(form.merge)
        row = QHBoxLayout()
        row.addWidget(self.reload_button)
        row.addWidget(self.keep_button)
        row.addWidget(self.merge_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addLayout(row)
        self.hide()


class FormPane(QWidget):
    """Edits the selected file's front matter."""

    saved = Signal(str)  # path
    dirty_changed = Signal(bool)
    save_failed = Signal(str)
    state_changed = Signal()  # badge / problems changed: publish actions may change

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("formPane")
        self.doc: Document | None = None
        self.root: Path | None = None
        self.rel: str | None = None
        self.vocabulary: Mapping[str, Mapping[str, int]] = {}
        self.editors: dict[str, QWidget] = {}
        self._updating = False
        self.saving = False
        self.list_indent = DEFAULT_SEQ_OFFSET  # a new list's dash indent where the file has none (Preferences)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("formUndoStack")
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)

        self.title = named(QLabel("No file selected"), "formTitle", "Front matter")
        self.title.setWordWrap(True)
        self.schema: Schema = builtin_schema()
        self.badge = named(QLabel(""), "formBadge", "Publication status")
        self.problems_box = QFrame()
        self.problems_box.setObjectName("formProblems")
        self.problems_rows = QVBoxLayout(self.problems_box)
        self.problems_rows.setContentsMargins(0, 0, 0, 0)
        self.problems_rows.setSpacing(2)
        self.conflict_bar = ConflictBar(self)
        self.fields = QWidget()
        self.fields.setObjectName("formFields")
        self.rows = QFormLayout(self.fields)
        self.rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # label above when a row is too wide
        self.add_button = named(QPushButton("Add field…"), "addField", "Add a field")
        self.add_button.clicked.connect(self.ask_add_field)
        self.suggestions = QWidget()
        self.suggestions.setObjectName("formSuggestions")
        self.suggestion_rows = QVBoxLayout(self.suggestions)
        self.suggestion_rows.setContentsMargins(0, 6, 0, 0)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.fields)
        inner_layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        inner_layout.addWidget(self.suggestions)
        inner_layout.addStretch(1)
        scroll = named(QScrollArea(), "formScroll", "Fields")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        self.yaml_view = named(QPlainTextEdit(), "frontMatterView", "Front matter as YAML (read-only)")
        self.yaml_view.setReadOnly(True)
        self.yaml_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.tabs = named(QTabWidget(), "formTabs", "Form or YAML")
        self.tabs.addTab(scroll, "Fields")
        self.tabs.addTab(self.yaml_view, "YAML")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)
        layout.addWidget(self.problems_box)
        layout.addWidget(self.conflict_bar)
        layout.addWidget(self.tabs)

    # slots are bound methods, never lambdas holding self (a child's signal would keep the form alive)
    def _on_clean_changed(self, clean: bool) -> None:
        self.dirty_changed.emit(not clean)

    def _on_tab_changed(self, _index: int) -> None:
        self._refresh_yaml()

    # ------------------------------------------------------------------ loading
    @property
    def dirty(self) -> bool:
        return self.doc is not None and self.doc.dirty

    def show_document(
        self,
        doc: Document | None,
        root: Path | None,
        rel: str | None,
        vocabulary: Mapping[str, Mapping[str, int]] | None = None,
        message: str = "",
        schema: Schema | None = None,
    ) -> None:
        """Show a file (its undo history starts afresh)."""
        if schema is not None:
            self.schema = schema
        self.doc, self.root, self.rel = doc, root, rel
        self.vocabulary = vocabulary or {}
        self.undo_stack.clear()
        self.dirty_changed.emit(False)
        self.conflict_bar.hide()
        self._rebuild()
        if doc is None:
            self.title.setText(message or "No file selected")
        elif doc.error is not None:
            line = f"line {doc.error.line}: " if doc.error.line else ""
            self.title.setText(f"⚠ {rel} cannot be edited: {line}{doc.error.message}")
        elif doc.readonly_reason:
            self.title.setText(f"{rel}: {doc.readonly_reason}")
        else:
            self.title.setText(str(rel))

    def _rebuild(self) -> None:
        while self.rows.rowCount():
            self.rows.removeRow(0)
        self.editors = {}
        doc = self.doc
        editable = doc is not None and doc.editable
        self.add_button.setEnabled(editable)
        if doc is not None:
            for key, value in doc.data.items():
                self._add_row(key, value, editable)
        self._refresh_yaml()
        self._refresh_suggestions()
        self._refresh_state()

    def _choices(self, key: str) -> dict[str, int]:
        """The values a picker or combo offers: the schema's fixed list, or a vocabulary (the field's own, or
        the one the schema names), with file counts."""
        rule = self.schema.rule(key)
        counts = dict(self.vocabulary.get(rule.vocabulary if rule and rule.vocabulary else key, {}))
        for value in rule.values if rule else ():
            counts.setdefault(value, 0)
        if rule is not None and rule.values and not rule.new_values:
            counts = {v: c for v, c in counts.items() if v in rule.values}
        return counts

    def _add_row(self, key: str, value: Value, editable: bool) -> None:
        kind = kind_of(key, value)
        editor = self._editor(key, kind, value)
        rule = self.schema.rule(key)
        if rule is not None and rule.help:
            editor.setToolTip(rule.help)
        editor.setEnabled(editable or kind == Kind.COMPLEX)
        remove = named(QToolButton(), f"remove_{key}", f"Remove field {key}")
        remove.setText("✕")
        remove.setEnabled(editable)
        remove.clicked.connect(lambda _=False, k=key: self.ask_remove_field(k))
        row = QWidget()
        row.setObjectName(f"row_{key}")
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(editor, 1)
        box.addWidget(remove, 0, Qt.AlignmentFlag.AlignTop)
        label = QLabel(rule.label if rule is not None and rule.label else key)
        label.setObjectName(f"label_{key}")
        if rule is not None and rule.label:
            label.setToolTip(key)
        label.setBuddy(editor)
        self.rows.addRow(label, row)
        self.editors[key] = editor

    def _editor(self, key: str, kind: Kind, value: Value) -> QWidget:
        def push(new: Value, typing: bool = False) -> None:
            self.edit(key, new, typing)

        if kind == Kind.BOOL:
            box = named(QCheckBox(), f"field_{key}", key)
            box.setChecked(bool(value))
            box.toggled.connect(lambda on: push(bool(on)))
            return box
        if kind == Kind.DATE:
            edit = named(QDateEdit(), f"field_{key}", key)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumDate(QDate(1, 1, 1))
            edit.setSpecialValueText("—")
            self._set_date(edit, value)
            edit.dateChanged.connect(lambda d: push(None if d == edit.minimumDate() else d.toPython()))
            return edit
        if kind in LIST_KINDS:
            rule = self.schema.rule(key)
            chips = ChipsEditor(key, self._choices(key), allow_new=rule is None or rule.new_values)
            chips.set_values(list(value or []))
            chips.edited.connect(lambda values: push(list(values)))
            return chips
        if kind == Kind.CHOICE:
            combo = named(QComboBox(), f"field_{key}", key)
            rule = self.schema.rule(key)
            combo.setEditable(rule is None or rule.new_values)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            counts = self._choices(key)
            items = [v for v, _ in sorted(counts.items(), key=lambda item: -item[1])]
            if value and str(value) not in items:
                items.insert(0, str(value))  # what the file says is always shown, allowed or not
            combo.addItems(items)
            if combo.isEditable():
                combo.setEditText(str(value or ""))
            else:
                combo.setCurrentText(str(value or ""))
            inner = combo.lineEdit()
            if inner is not None:
                named(inner, f"fieldText_{key}", key)
            combo.currentTextChanged.connect(lambda text: push(text, typing=True))
            return combo
        if kind == Kind.LONGTEXT:
            text = named(QPlainTextEdit(), f"field_{key}", key)
            text.setPlainText(str(value or ""))
            text.setTabChangesFocus(True)
            text.setFixedHeight(96)
            text.textChanged.connect(lambda: push(text.toPlainText(), typing=True))
            return text
        if kind == Kind.COMPLEX:
            view = named(QPlainTextEdit(), f"field_{key}", f"{key} (read-only)")
            view.setReadOnly(True)
            view.setPlainText("".join(yamlio.render_entry(key, yamlio.to_node(value), yamlio.Style())))
            view.setFixedHeight(80)
            return view
        line = named(QLineEdit(), f"field_{key}", key)
        line.setText("" if value is None else str(value))
        line.setCursorPosition(0)  # show the start of a long value (a URL's host, a title's beginning)
        line.setMinimumWidth(60)
        if kind == Kind.NUMBER:
            line.textEdited.connect(lambda text: self._push_number(key, text, line))
        else:
            line.textEdited.connect(lambda text: push(text, typing=True))
        if kind != Kind.URL:
            return line
        url_box = QWidget()
        row = QHBoxLayout(url_box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(line, 1)
        opener = named(QToolButton(), f"open_{key}", f"Open {key} in the browser")
        opener.setText("↗")
        opener.clicked.connect(lambda: self._open_url(line.text()))
        row.addWidget(opener)
        url_box.setObjectName(f"urlBox_{key}")
        return url_box

    def _push_number(self, key: str, text: str, line: QLineEdit) -> None:
        try:
            number: Value = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                line.setStyleSheet(f"QLineEdit {{ border: 1px solid {error_colour()}; }}")
                return
        line.setStyleSheet("")
        self.edit(key, number, typing=True)

    @staticmethod
    def _set_date(edit: QDateEdit, value: Value) -> None:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value[:10])
            except ValueError:
                value = None
        edit.setDate(QDate(value.year, value.month, value.day) if isinstance(value, dt.date) else edit.minimumDate())

    @staticmethod
    def _open_url(text: str) -> None:
        url = QUrl(text.strip())
        if url.scheme().lower() in ("http", "https"):
            QDesktopServices.openUrl(url)

    # ------------------------------------------------------------------ editing
    def edit(self, key: str, new: Value, typing: bool = False) -> None:
        """A user edit: pushed on the undo stack (which applies it)."""
        if self._updating or self.doc is None or not self.doc.editable or self.saving:
            return
        old = self.doc.data.get(key, ABSENT)
        if old is not ABSENT and new is not ABSENT and same(old, new):
            return
        self.undo_stack.push(SetField(self, key, old, new, typing))

    def apply(self, key: str, value: Value) -> None:
        """Change the document (from a command) and bring the editors up to date."""
        assert self.doc is not None
        had = key in self.doc.data
        if value is ABSENT:
            self.doc.delete(key)
        else:
            self.doc.set(key, value)
        if had != (key in self.doc.data):
            self._rebuild()  # a field came or went
        else:
            self._sync_editor(key)
            self._refresh_yaml()
            self._refresh_state()
            if kind_of(key, self.doc.data.get(key)) in LIST_KINDS:
                self._refresh_suggestions()

    def _sync_editor(self, key: str) -> None:
        """Show the document's value in the key's editor (without emitting edits)."""
        assert self.doc is not None
        editor, value = self.editors.get(key), self.doc.data.get(key)
        if editor is None:
            return
        self._updating = True
        try:
            if isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QDateEdit):
                self._set_date(editor, value)
            elif isinstance(editor, ChipsEditor):
                editor.set_values(list(value or []))
            elif isinstance(editor, QComboBox):
                if editor.currentText() != str(value or ""):
                    if editor.isEditable():
                        editor.setEditText(str(value or ""))
                    else:
                        editor.setCurrentText(str(value or ""))
            elif isinstance(editor, QPlainTextEdit):
                if editor.toPlainText() != str(value or ""):
                    editor.setPlainText(str(value or ""))
            else:
                line = editor if isinstance(editor, QLineEdit) else editor.findChild(QLineEdit)
                if line is not None and line.text() != ("" if value is None else str(value)):
                    line.setText("" if value is None else str(value))
        finally:
            self._updating = False

    def ask_remove_field(self, key: str) -> None:
        answer = QMessageBox.question(self, "Remove field", f"Remove “{key}” from this file's front matter?")
        if answer == QMessageBox.StandardButton.Yes:
            self.edit(key, ABSENT)

    def ask_add_field(self) -> None:
        if self.doc is None or not self.doc.editable:
            return
        name, ok = QInputDialog.getText(self, "Add field", "Name of the new field:")
        name = name.strip()
        if not ok or not name:
            return
        if name in self.doc.data:
            QMessageBox.information(self, "Add field", f"“{name}” is already a field of this file.")
            return
        kinds = ["text", "long text", "date", "true/false", "list"]
        kind, ok = QInputDialog.getItem(self, "Add field", f"Kind of “{name}”:", kinds, 0, False)
        if ok:
            defaults: dict[str, Value] = {
                "text": "",
                "long text": "",
                "date": dt.date.today(),
                "true/false": False,
                "list": [],
            }
            self.edit(name, defaults[kind])

    # ------------------------------------------------------------------ publication status
    @property
    def problems(self) -> list[Problem]:
        doc = self.doc
        return validate(doc.data, self.schema) if doc is not None and doc.error is None else []

    @property
    def can_publish(self) -> bool:
        doc = self.doc
        return bool(doc and doc.editable and is_draft(doc.data, self.schema) and not self.problems)

    @property
    def can_unpublish(self) -> bool:
        doc = self.doc
        return bool(doc and doc.editable and not is_draft(doc.data, self.schema))

    def _refresh_state(self) -> None:
        """The badge (Draft / Published / Has problems) and the list of problems, each a button to its field."""
        while self.problems_rows.count():
            old = self.problems_rows.takeAt(0)
            widget = old.widget() if old is not None else None
            if widget is not None:
                widget.deleteLater()
        doc = self.doc
        if doc is None or doc.error is not None:
            self.badge.setText("")
            self.state_changed.emit()
            return
        problems = self.problems
        draft = is_draft(doc.data, self.schema)
        label, colour = (
            ("Has problems", "#c62828") if problems else (("Draft", "#8a6d00") if draft else ("Published", "#2e7d32"))
        )
        self.badge.setText(label)
        self.badge.setStyleSheet(
            f"QLabel {{ color: white; background: {colour}; border-radius: 3px; padding: 1px 6px; }}"
        )
        for problem in problems:
            button = named(QPushButton(f"⚠ {problem}"), "problem", f"Problem: {problem}; go to the field")
            button.setFlat(True)
            button.setStyleSheet(f"QPushButton {{ text-align: left; color: {error_colour()}; }}")
            button.clicked.connect(lambda _=False, key=problem.field: self.focus_field(key))
            self.problems_rows.addWidget(button)
        self.state_changed.emit()

    def focus_field(self, key: str) -> None:
        """Show and focus a field's editor (adding the field when the schema wants it and it is missing)."""
        if key not in self.editors and self.doc is not None and self.doc.editable:
            rule = self.schema.rule(key)
            kind = rule.kind if rule else Kind.TEXT
            self.edit(key, [] if kind in LIST_KINDS else (dt.date.today() if kind == Kind.DATE else ""))
        editor = self.editors.get(key)
        if editor is None:
            return
        self.tabs.setCurrentIndex(0)
        scroll = self.findChild(QScrollArea, "formScroll")
        if scroll is not None:
            scroll.ensureWidgetVisible(editor)
        target = editor.input if isinstance(editor, ChipsEditor) else editor
        target.setFocus()

    def publish_current(self) -> None:
        """Apply the publish rules as one undoable step, then save."""
        if not self.can_publish or self.doc is None:
            return
        self.undo_stack.beginMacro("Publish")
        for key, value in publish_edits(self.doc.data, self.schema).items():
            self.edit(key, value)
        self.undo_stack.endMacro()
        self.save()

    def unpublish_current(self) -> None:
        if not self.can_unpublish:
            return
        self.undo_stack.beginMacro("Unpublish")
        for key, value in self.schema.publish.unpublish_set.items():
            self.edit(key, value)
        self.undo_stack.endMacro()
        self.save()

    # ------------------------------------------------------------------ YAML tab and suggestions
    def _refresh_yaml(self) -> None:
        if self.tabs.currentIndex() != 1:
            return
        doc = self.doc
        if doc is None:
            self.yaml_view.clear()
            return
        text = doc.block_text if doc.kind != "none" else "(no front matter yet)"
        if doc.dirty:
            try:
                text += "\n# ---- changes not saved yet ----\n" + doc.diff()
            except MastheadError as exc:
                text += f"\n# ---- the changes cannot be saved: {exc.message}\n"
        self.yaml_view.setPlainText(text)

    def _refresh_suggestions(self) -> None:
        while self.suggestion_rows.count():
            old = self.suggestion_rows.takeAt(0)
            widget = old.widget() if old is not None else None
            if widget is not None:
                widget.deleteLater()
        doc = self.doc
        if doc is None or not doc.editable:
            return
        lists = {k: v for k, v in doc.data.items() if isinstance(v, list) and all(isinstance(x, str) for x in v)}
        found = suggest(doc.body_text, lists, self.vocabulary)[:12]
        if not found:
            return
        self.suggestion_rows.addWidget(QLabel("Suggested by the transcript:"))
        for item in found:
            button = named(
                QPushButton(f"+ {item.value} → {item.field}"), "suggestion", f"Add {item.value} to {item.field}"
            )
            button.setToolTip(f"{item.reason}, {item.count}× in the transcript")
            button.clicked.connect(lambda _=False, s=item: self.accept_suggestion(s))
            self.suggestion_rows.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)

    def accept_suggestion(self, item: Suggestion) -> None:
        assert self.doc is not None
        current = self.doc.data.get(item.field)
        values = list(current) if isinstance(current, list) else []
        self.edit(item.field, [*values, item.value])

    # ------------------------------------------------------------------ saving
    def save(self, on_done: Callable[[bool], None] | None = None) -> None:
        """Save through core (splice, verify, atomic write) on the writer thread."""
        doc = self.doc
        if doc is None or not doc.dirty or self.saving:
            if on_done:
                on_done(doc is None or not doc.dirty)
            return
        self.saving = True
        self.setEnabled(False)

        def done(saved: Document | None, error: BaseException | None) -> None:
            self.saving = False
            self.setEnabled(True)
            if saved is not None and doc is self.doc:
                self.doc = saved
                self.undo_stack.setClean()
                self._refresh_yaml()
                self._refresh_state()
                self.saved.emit(str(self.rel))
            elif isinstance(error, ConflictError):
                self.show_conflict(str(error))
            elif error is not None:
                QMessageBox.warning(self, "Save failed", str(error))
                self.save_failed.emit(str(error))
            if on_done:
                on_done(saved is not None)

        run_in_background(lambda: storage.save(doc), done, self, pool=WRITER)

    def show_conflict(self, message: str) -> None:
        overlap = self._overlap()
        text = f"{message}. "
        text += (
            "Your edits and the other program's touch different fields: Merge keeps both."
            if overlap is not None and not overlap
            else "Both changed " + ", ".join(sorted(overlap or [])) + ": choose which version to keep."
        )
        self.conflict_bar.label.setText(text)
        self.conflict_bar.merge_button.setEnabled(overlap is not None and not overlap)
        self.conflict_bar.show()

    def _disk_document(self) -> Document | None:
        if self.doc is None or self.doc.path is None:
            return None
        try:
            return storage.load(self.doc.path, self.list_indent)
        except MastheadError:
            return None

    def _overlap(self) -> set[str] | None:
        """Keys both I and the other program changed (None when the file is gone or unreadable)."""
        disk = self._disk_document()
        if disk is None or disk.error is not None or self.doc is None:
            return None
        before, now = self.doc.original, disk.data
        theirs = {k for k in set(before) | set(now) if k not in before or k not in now or not same(before[k], now[k])}
        return theirs & set(self.doc.changed_keys)

    def reload_from_disk(self) -> None:
        disk = self._disk_document()
        self.conflict_bar.hide()
        if disk is not None:
            self.show_document(disk, self.root, self.rel, self.vocabulary)
            self.saved.emit(str(self.rel))

    def keep_mine(self) -> None:
        doc, disk = self.doc, self._disk_document()
        if doc is None or disk is None or disk.snapshot is None or doc.path is None:
            return
        mine = doc.to_bytes()
        import difflib

        diff = "".join(
            difflib.unified_diff(
                disk.raw.decode("utf-8", "replace").splitlines(True),
                mine.decode("utf-8", "replace").splitlines(True),
                "on disk",
                "mine",
            )
        )
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Keep my version",
            "Overwrite the file on disk with your version? The other program's changes shown below will be lost.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDetailedText(diff)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        path, snapshot = doc.path, disk.snapshot

        def done(_: object, error: BaseException | None) -> None:
            if error is not None:
                QMessageBox.warning(self, "Save failed", str(error))
                self.save_failed.emit(str(error))
                return
            self.reload_from_disk()

        run_in_background(lambda: storage.write_atomic(path, mine, snapshot), done, self, pool=WRITER)

    def merge(self) -> None:
        doc, disk = self.doc, self._disk_document()
        if doc is None or disk is None or disk.error is not None:
            return
        for key in doc.changed_keys:
            if key in doc.data:
                disk.set(key, doc.data[key])
            else:
                disk.delete(key)
        self.conflict_bar.hide()
        self.doc = disk
        self.save()
