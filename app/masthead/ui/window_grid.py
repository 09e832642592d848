"""The window's grid and saved views: View ▸ Grid, Grid Columns…, Save View…, the Views picker above the
table, File ▸ Export View as CSV…, and column summaries in the header's menu. The grid controller owns the
unsaved cells, the views controller the ``views:`` of masthead.yaml; this mixin only joins them to widgets."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QVBoxLayout,
)

from masthead.core.views import View
from masthead.core.wording import plural
from masthead.ui.grid import GridController
from masthead.ui.models import Column
from masthead.ui.tasks import run_in_background
from masthead.ui.views_controller import ViewsController
from masthead.ui.widgets import named, named_combo

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLineEdit, QTableView

    from masthead.ui.archive_controller import ArchiveController
    from masthead.ui.browser import BrowserPane
    from masthead.ui.bulk_controller import BulkController
    from masthead.ui.documents_proxy import DocumentsProxy
    from masthead.ui.form import FormPane
    from masthead.ui.models import DocumentsModel

NO_VIEW = "(no saved view)"
_PLAIN_NAME = re.compile(r"[A-Za-z_][\w-]*\Z")


FILL_DOWN = QKeySequence("Ctrl+D")


def clear_keys(fill: QKeySequence, deletes: list[QKeySequence]) -> list[QKeySequence]:
    """The keys that clear the grid's selected cells: the platform's Delete bindings but fill down's. On X11
    they are Del and Ctrl+D, and two shortcuts on one key are ambiguous: neither fires (Ctrl+D filled
    nothing, and said nothing: a new-user trial under X11)."""
    return [key for key in deletes if key != fill] or [QKeySequence(Qt.Key.Key_Delete)]


class WindowGrid(QMainWindow if TYPE_CHECKING else object):  # type: ignore[misc]
    """A mixin of MainWindow."""

    archive: ArchiveController
    model: DocumentsModel
    proxy: DocumentsProxy
    browser: BrowserPane
    bulk: BulkController
    form: FormPane
    table: QTableView
    search: QLineEdit
    save_action: QAction

    def build_grid(self) -> None:
        self.grid = GridController(self)
        self.views = ViewsController(self)
        table = self.table
        deletes = clear_keys(FILL_DOWN, QKeySequence.keyBindings(QKeySequence.StandardKey.Delete))
        for key, slot in (
            *((paste, self.grid.paste) for paste in QKeySequence.keyBindings(QKeySequence.StandardKey.Paste)),
            (FILL_DOWN, self.grid.fill_down),
            *((delete, self.grid.clear_selection) for delete in deletes),
        ):
            shortcut = QShortcut(key, table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)  # line edits keep their own paste
            shortcut.activated.connect(slot)
        self.grid.changed.connect(self._grid_changed)
        self.archive.files_moved.connect(self.grid.moved)
        self.archive.files_removed.connect(self.grid.gone)
        self.view_picker = named_combo(QComboBox(), "viewPicker", "Saved views")
        self.view_picker.addItem(NO_VIEW, "")
        self.view_picker.activated.connect(self._view_picked)
        self.view_picker.currentIndexChanged.connect(self.update_view_actions)
        row = QHBoxLayout()
        label = QLabel("&View:")
        label.setBuddy(self.view_picker)
        row.addWidget(label)
        row.addWidget(self.view_picker, 1)
        layout = self.browser.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(1, row)
        self.views.changed.connect(self._views_changed)
        self.views.failed.connect(lambda message: self.statusBar().showMessage(message, 8000))

    # ------------------------------------------------------------------ grid
    def toggle_grid(self, on: bool) -> None:
        self.grid.set_editing(on)

    def _grid_changed(self) -> None:
        self.save_action.setEnabled(self.form.dirty or self.grid.count > 0)
        if self.grid.count:
            self.statusBar().showMessage(f"{plural(self.grid.count, 'grid cell')} not saved (Ctrl+S saves them)")

    def choose_grid_columns(self) -> QDialog:
        """View ▸ Grid Columns…: the fields shown as columns, from the schema and the keys the archive uses."""
        dialog = QDialog(self)
        dialog.setObjectName("gridColumnsDialog")
        dialog.setWindowTitle("Grid columns")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        fields = named(QListWidget(), "gridColumnsList", "Fields shown as columns")
        shown = set(self.model.fields)
        for name in self.bulk.field_names():
            if name in ("title", "date", "status", "category", "tags"):
                continue  # the table's own columns (shown or hidden from the header's menu)
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in shown else Qt.CheckState.Unchecked)
            fields.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel("Fields to show as columns (Space ticks one):"))
        layout.addWidget(fields)
        layout.addWidget(buttons)

        def accepted() -> None:
            items = [fields.item(i) for i in range(fields.count())]
            self.grid.set_fields([i.text() for i in items if i.checkState() == Qt.CheckState.Checked])

        dialog.accepted.connect(accepted)
        dialog.open()
        fields.setFocus()
        return dialog

    # ------------------------------------------------------------------ views
    def _views_changed(self) -> None:
        picker, chosen = self.view_picker, self.view_picker.currentData()
        picker.blockSignals(True)
        picker.clear()
        picker.addItem(NO_VIEW, "")
        for view in self.views.views:
            count = self.views.counts.get(view.name)
            picker.addItem(f"{view.name} ({count:,})" if count is not None else view.name, view.name)
        at = picker.findData(chosen)
        picker.setCurrentIndex(max(at, 0))
        picker.blockSignals(False)

    def update_view_actions(self, *_: object) -> None:
        """View ▸ Delete Saved View only with a saved view chosen (it did nothing without: a new-user trial)."""
        action = getattr(self, "acts", {}).get("deleteView")
        if action is not None:
            action.setEnabled(bool(self.view_picker.currentData()))

    def _view_picked(self, at: int) -> None:
        name = self.view_picker.itemData(at)
        view = self.views.view(name) if name else None
        if view is not None:
            self.apply_view(view)

    def current_view(self, name: str) -> View:
        """What the table shows now, as a view: the search, the visible columns in order with widths, the sort."""
        header, model = self.table.horizontalHeader(), self.model
        columns = sorted(
            (c for c in range(model.columnCount()) if not header.isSectionHidden(c) and c != Column.MATCH),
            key=header.visualIndex,
        )
        sort = header.sortIndicatorSection() if header.isSortIndicatorShown() else -1
        return View(
            name,
            self.search.text().strip(),
            tuple(model.column_name(c) for c in columns),
            tuple(header.sectionSize(c) for c in columns),
            model.column_name(sort) if 0 <= sort < model.columnCount() else None,
            header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder,
        )

    def apply_view(self, view: View) -> None:
        model, table, header = self.model, self.table, self.table.horizontalHeader()
        if view.columns:
            own = set(model.column_name(c) for c in range(len(Column)))
            self.grid.set_fields([c for c in view.columns if c not in own])
            for column in range(model.columnCount()):
                table.setColumnHidden(column, model.column_name(column) not in view.columns and column != Column.TITLE)
            for place, name in enumerate(view.columns):
                found = model.column_of(name)
                if found is not None:
                    header.moveSection(header.visualIndex(found), place)
                    if place < len(view.widths):
                        header.resizeSection(found, view.widths[place])
        sort = model.column_of(view.sort) if view.sort else None
        if sort is not None:
            table.sortByColumn(sort, Qt.SortOrder.DescendingOrder if view.descending else Qt.SortOrder.AscendingOrder)
        self.browser.show_query(view.query)
        at = self.view_picker.findData(view.name)
        if at >= 0:
            self.view_picker.setCurrentIndex(at)

    def save_view(self) -> QInputDialog:
        """View ▸ Save View…: the table as it is now, by name (a name already saved is replaced)."""
        ask = QInputDialog(self)
        ask.setObjectName("saveViewDialog")
        ask.setWindowTitle("Save view")
        ask.setLabelText("Name of the view (saved in the archive's masthead.yaml):")
        ask.setTextValue(str(self.view_picker.currentData() or ""))
        ask.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ask.textValueSelected.connect(self.save_view_as)
        ask.open()
        return ask

    def save_view_as(self, name: str) -> bool:
        name = name.strip()
        if not name:
            return False
        saved = self.views.save(self.current_view(name))
        if saved:
            self.view_picker.setCurrentIndex(max(self.view_picker.findData(name), 0))
            self.statusBar().showMessage(f"Saved view “{name}” in masthead.yaml", 5000)
        return saved

    def delete_view(self) -> None:
        name = self.view_picker.currentData()
        if name and self.views.delete(str(name)):
            self.statusBar().showMessage(f"Deleted view “{name}”", 5000)

    # ------------------------------------------------------------------ CSV
    def export_view_csv(self) -> QFileDialog:
        """File ▸ Export View as CSV…: the shown files, in table order, with the visible field columns."""
        ask = QFileDialog(self, "Export view as CSV", str(self.archive.root or ""), "CSV files (*.csv)")
        ask.setObjectName("exportCsvDialog")
        ask.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        ask.setDefaultSuffix("csv")
        ask.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ask.fileSelected.connect(lambda path: self.export_csv_to(Path(path)))
        ask.open()
        return ask

    def export_csv_to(self, path: Path) -> None:
        header, model = self.table.horizontalHeader(), self.model
        columns = sorted(
            (c for c in range(model.columnCount()) if not header.isSectionHidden(c)), key=header.visualIndex
        )
        fields = [f for f in (model.column_field(c) for c in columns) if f is not None]
        records = [model.records[r] for r in self.proxy.source_rows(range(self.proxy.rowCount()))]
        views = self.views

        def done(count: int | None, error: BaseException | None) -> None:
            message = f"Exported {plural(count or 0, 'file')} to {path}" if error is None else f"Not exported: {error}"
            self.statusBar().showMessage(message, 8000)

        run_in_background(lambda: views.export(path, records, fields), done, self)

    # ------------------------------------------------------------------ column summaries
    def add_summary(self, menu: QMenu, column: int) -> None:
        """At the top of the header's menu: empty and distinct counts of the shown rows; a value to filter by."""
        field = self.model.column_field(column)
        if field is None:
            return
        empty, values = self.grid.summary(column)
        title = menu.addAction(f"{field}: {plural(empty, 'empty value')}, {plural(len(values), 'distinct value')}")
        title.setEnabled(False)
        if values and _PLAIN_NAME.match(field):
            show = menu.addMenu("Show Only")
            show.setObjectName("columnValues")
            for value, count in values.most_common(25):
                action = show.addAction(f"{value} ({count:,})")
                quoted = '"' + value.replace('"', '""') + '"'
                action.triggered.connect(lambda _=False, q=f"{field}:{quoted}": self.browser.show_query(q))
        menu.addSeparator()
