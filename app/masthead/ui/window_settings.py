"""The window's remembered state: geometry, splitters, columns, visible panes and recent archives; and
the small widgets around the panes (status bar, column menu, helper names)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QPoint, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStatusBar,
    QTableView,
    QToolButton,
)

from masthead.ui.models import Column, DocumentsModel
from masthead.ui.theme import error_colour
from masthead.ui.widgets import named

if TYPE_CHECKING:
    from masthead.ui.browser import BrowserPane
    from masthead.ui.preview import PreviewPane

MAX_RECENT = 10


class WindowSettings(QMainWindow if TYPE_CHECKING else object):  # type: ignore[misc]
    """A mixin of MainWindow."""

    settings: QSettings
    splitter: QSplitter
    browser: BrowserPane
    preview: PreviewPane
    table: QTableView
    model: DocumentsModel
    pane_actions: dict[str, QAction]
    recent_menu: QMenu

    def build_status_bar(self) -> None:
        bar = QStatusBar(self)  # made here, not by statusBar(): its Python wrapper is of its own type (a bar
        self.setStatusBar(bar)  # made in C++ was once given a stale QWidget wrapper of a freed object's address)
        bar.setObjectName("statusBar")
        self.progress = named(QProgressBar(), "indexProgress", "Indexing progress")
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = named(QPushButton("Cancel"), "cancelIndexing", "Cancel indexing")
        self.cancel_button.clicked.connect(self.cancel_indexing)
        self.cancel_button.hide()
        self.schema_warning = named(QLabel(""), "schemaWarning", "Schema warning")
        self.schema_warning.setStyleSheet(f"color: {error_colour()};")
        self.schema_warning.hide()
        bar.addPermanentWidget(self.schema_warning)  # a temporary message would hide a normal widget
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)

    def cancel_indexing(self) -> None:  # overridden by MainWindow
        raise NotImplementedError

    def open_archive(self, root: Path) -> None:  # overridden by MainWindow
        raise NotImplementedError

    def name_helpers(self) -> None:
        """Give Qt's helper widgets (headers, the search field's clear button) names for tests and screen readers."""
        headers = (
            (self.table.horizontalHeader(), "documentsTableHeader", "Documents columns"),
            (self.browser.folder_view.header(), "folderTreeHeader", "Folders column"),
            (self.preview.outline.header(), "previewOutlineHeader", "Outline column"),
        )
        for header, name, label in headers:
            named(header, name, label)
        self.table.verticalHeader().setObjectName("documentsTableRows")
        self.table.verticalHeader().setAccessibleName("Document rows")
        for button in self.browser.search.findChildren(QToolButton):
            button.setObjectName("searchClear")
            button.setAccessibleName("Clear search")

    def restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        for key, action in self.pane_actions.items():  # before the splitters, which keep hidden panes' sizes
            visible = self.settings.value(f"view/{key}", True)
            action.setChecked(visible not in (False, "false"))
        for key, splitter in self._splitters():
            state = self.settings.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
        header_state = self.settings.value("table/header")
        if isinstance(header_state, QByteArray) and not header_state.isEmpty():
            self.table.horizontalHeader().restoreState(header_state)
            self.table.setColumnHidden(Column.MATCH, True)  # shown by a transcript search only

    def _splitters(self) -> tuple[tuple[str, QSplitter], ...]:
        return (
            ("window/splitter", self.splitter),
            ("window/browserSplitter", self.browser.splitter),
            ("window/previewSplitter", self.preview.splitter),
        )

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        for key, splitter in self._splitters():
            self.settings.setValue(key, splitter.saveState())
        self.settings.setValue("table/header", self.table.horizontalHeader().saveState())
        for key, action in self.pane_actions.items():
            self.settings.setValue(f"view/{key}", action.isChecked())
        self.settings.sync()

    def recent_archives(self) -> list[str]:
        value = self.settings.value("archives/recent", [])
        items: list[object] = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
        return [str(v) for v in items if v]

    def remember(self, root: Path) -> None:
        recent = [str(root)] + [r for r in self.recent_archives() if r != str(root)]
        self.settings.setValue("archives/recent", recent[:MAX_RECENT])
        self.settings.setValue("archives/last", str(root))
        self.refresh_recent_menu()

    def refresh_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_archives():
            action = self.recent_menu.addAction(path)
            action.setData(path)
            action.triggered.connect(self._open_recent)
        self.recent_menu.setEnabled(bool(self.recent_archives()))

    def _open_recent(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.open_archive(Path(str(action.data())))  # asks about unsaved edits first

    def column_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setObjectName("columnMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        table = self.table  # not self: a slot holding the window would keep it alive
        self.add_summary(menu, table.horizontalHeader().logicalIndexAt(pos))
        for column in (c for c in Column if c != Column.MATCH):  # the Match column follows the search
            action = menu.addAction(self.model.headerData(column, Qt.Orientation.Horizontal))
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.setEnabled(column != Column.TITLE)
            action.toggled.connect(lambda on, c=column: table.setColumnHidden(c, not on))
        menu.popup(self.table.horizontalHeader().mapToGlobal(pos))
