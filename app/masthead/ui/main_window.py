"""The main window: archive browser on the left, front matter in the middle, transcript preview on the right."""

from __future__ import annotations

import datetime as dt
import gc
import platform
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

import PySide6
from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    QUrl,
    Signal,
    qVersion,
)
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from masthead import __version__
from masthead.core import bulk, storage
from masthead.core.errors import MastheadError
from masthead.core.index import ArchiveIndex, BuildStats, Changes
from masthead.core.operations import Edit, PublishEdit
from masthead.core.query import Query, QueryError, parse_query
from masthead.core.records import CHOICE_FIELDS, Record
from masthead.core.sample import install_sample
from masthead.core.schema import Kind
from masthead.core.vocabulary import Vocabulary, build_vocabulary
from masthead.core.workflow import Schema, builtin_schema, load_schema
from masthead.ui.bulk_dialog import BulkTagDialog, OperationDialog, SetFieldDialog
from masthead.ui.form import WRITER, FormPane
from masthead.ui.history_dialog import HistoryDialog
from masthead.ui.models import PATH_ROLE, RECORD_ROLE, Column, DocumentsModel, DocumentsProxy, FolderModel
from masthead.ui.preferences import Preferences, PreferencesDialog
from masthead.ui.preview import PreviewPane
from masthead.ui.shortcuts import ShortcutsDialog
from masthead.ui.tasks import IndexLoader, run_in_background
from masthead.ui.taxonomy import TaxonomyPanel
from masthead.ui.theme import error_colour
from masthead.ui.watcher import ArchiveWatcher
from masthead.ui.widgets import named

MAX_RECENT = 10
D = TypeVar("D", bound=OperationDialog)


DRAIN = 300  # records inserted into the table per event-loop turn while an archive loads
DEFAULT_HIDDEN = (Column.STATUS, Column.CATEGORY, Column.PATH)


class MainWindow(QMainWindow):
    """One archive at a time; every view is fed from the archive index."""

    archive_loaded = Signal()
    records_changed = Signal()
    browser: QWidget
    form: FormPane
    _search_timer: QTimer

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings or QSettings("Masthead", "Masthead")
        self.index: ArchiveIndex | None = None
        self.loader: IndexLoader | None = None
        self.current: str | None = None
        self.last_stats: BuildStats | None = None
        self._refreshing = False
        self._refresh_pending: set[str] | Literal["all"] | None = None  # asked while a refresh was running
        self._loader_done = False
        self._drain_timer = QTimer(self)
        self._drain_timer.setInterval(15)
        self._drain_timer.timeout.connect(self._drain)
        self._query: Query | None = None
        self.vocabulary: dict[str, dict[str, int]] = {}
        self.schema: Schema = builtin_schema()
        self._search_generation = 0
        self._undo_ops: list[tuple[str, str]] = []  # (journal, description) of this session's bulk operations
        self._redo_ops: list[tuple[str, str]] = []
        self._bulk_busy = False
        self._close_when_done = False  # closing waits for a running bulk operation
        self.recovery_box: QMessageBox | None = None

        self.model = DocumentsModel(self)
        self.proxy = DocumentsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.folders = FolderModel(self)
        self.watcher = ArchiveWatcher(self)
        self.watcher.files_changed.connect(self._on_files_changed)
        self.watcher.folders_changed.connect(self._on_folders_changed)

        self._build_browser()
        self.form = FormPane()
        self.form.saved.connect(self._on_saved)
        self.form.dirty_changed.connect(self._on_dirty)
        self.preview = PreviewPane()
        self.splitter = named(QSplitter(Qt.Orientation.Horizontal), "mainSplitter", "Panes")
        for widget in (self.browser, self.form, self.preview):
            self.splitter.addWidget(widget)
        self.splitter.setSizes([430, 400, 450])
        self.setCentralWidget(self.splitter)
        self.taxonomy = TaxonomyPanel(self)
        self.taxonomy_dock = QDockWidget("Taxonomy", self)
        self.taxonomy_dock.setObjectName("taxonomyDock")
        self.taxonomy_dock.setAccessibleName("Taxonomy")
        self.taxonomy_dock.setWidget(self.taxonomy)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.taxonomy_dock)
        self.taxonomy_dock.hide()
        self._build_status_bar()
        self.prefs = Preferences.load(self.settings)
        self._build_actions()
        self._set_bulk_enabled(False)  # no archive yet
        self.apply_preferences()
        self._restore_settings()
        self._update_title()
        self._name_helpers()
        for model_signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            model_signal.connect(self._update_count)

    # ------------------------------------------------------------------ building
    def _build_browser(self) -> None:
        self.search = named(QLineEdit(), "searchField", "Search the archive")
        self.search.setPlaceholderText('Search: tag:ai-ml draft:true people:"Elon Musk" date>=2025-01 words')
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_text)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self._apply_search)
        self.search_error = named(QLabel(""), "searchError", "Search error")
        self.search_error.setWordWrap(True)
        self.search_error.setStyleSheet(f"color: {error_colour()};")
        self.search_error.hide()

        self.quick_group = QButtonGroup(self)
        self.quick_group.setExclusive(False)
        quick_row = QHBoxLayout()
        quick_row.setContentsMargins(0, 0, 0, 0)
        self.quick_buttons: dict[str, QToolButton] = {}
        for key, label in (("drafts", "Drafts"), ("published", "Published"), ("errors", "Has errors")):
            button = named(QToolButton(), f"quickFilter_{key}", f"Show only: {label}")
            button.setText(label)
            button.setCheckable(True)
            button.setProperty("quickKey", key)
            button.toggled.connect(self._on_quick_toggled)
            self.quick_group.addButton(button)
            self.quick_buttons[key] = button
            quick_row.addWidget(button)
        quick_row.addStretch(1)
        self.count_label = named(QLabel("No archive"), "countLabel", "Files shown")
        quick_row.addWidget(self.count_label)

        self.folder_view = named(QTreeView(), "folderTree", "Folders")
        self.folder_view.setModel(self.folders)
        self.folder_view.setHeaderHidden(True)
        self.folder_view.selectionModel().currentChanged.connect(self._on_folder)

        self.table = named(QTableView(), "documentsTable", "Documents")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(Column.TITLE, 240)
        header.resizeSection(Column.DATE, 88)
        header.resizeSection(Column.STATE, 76)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        header.setSectionsMovable(True)
        for column in DEFAULT_HIDDEN:
            self.table.setColumnHidden(column, True)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)

        self.welcome_button = named(QPushButton("Open an archive folder…"), "welcomeOpen", "Open an archive folder")
        self.welcome_button.clicked.connect(self.choose_archive)
        welcome = QWidget()
        welcome_layout = QVBoxLayout(welcome)
        welcome_layout.addStretch(1)
        hint = QLabel("Masthead edits the front matter of a folder of Markdown transcripts.\nOpen a folder to begin.")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        welcome_layout.addWidget(hint)
        welcome_layout.addWidget(self.welcome_button, 0, Qt.AlignmentFlag.AlignCenter)
        welcome_layout.addStretch(2)
        self.stack = QStackedWidget()
        self.stack.setObjectName("browserStack")
        self.stack.addWidget(welcome)
        self.stack.addWidget(self.table)

        self.browser_splitter = named(QSplitter(Qt.Orientation.Vertical), "browserSplitter", "Folders and documents")
        self.browser_splitter.addWidget(self.folder_view)
        self.browser_splitter.addWidget(self.stack)
        self.browser_splitter.setSizes([150, 600])
        self.browser = QWidget()
        self.browser.setObjectName("browserPane")
        layout = QVBoxLayout(self.browser)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.search_error)
        layout.addLayout(quick_row)
        layout.addWidget(self.browser_splitter)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
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

    def _action(self, text: str, slot: Any, shortcut: Any = None, name: str = "", checkable: bool = False) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name or text.replace("…", "").replace("&", "").title().replace(" ", ""))
        if isinstance(shortcut, tuple):  # (standard key, fallback where the platform maps none)
            standard, fallback = shortcut
            keys = QKeySequence.keyBindings(standard)
            action.setShortcuts(keys if keys else [QKeySequence(fallback)])
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        menu = self.menuBar()
        menu.setObjectName("menuBar")
        file_menu = menu.addMenu("&File")
        self.open_action = self._action(
            "&Open Archive…", self.choose_archive, (QKeySequence.StandardKey.Open, "Ctrl+O"), "openArchive"
        )
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.sample_action = self._action("Open &Sample Archive", self.open_sample, None, "openSample")
        file_menu.addAction(self.sample_action)
        self.recent_menu.setObjectName("recentMenu")
        self.reveal_action = self._action("Reveal in File &Manager", self.reveal_current, None, "revealInFileManager")
        file_menu.addAction(self.reveal_action)
        self.reload_action = self._action(
            "Re&load Archive", self.reload_archive, (QKeySequence.StandardKey.Refresh, "F5"), "reloadArchive"
        )
        file_menu.addAction(self.reload_action)
        file_menu.addSeparator()
        quit_action = self._action("&Quit", self.close, (QKeySequence.StandardKey.Quit, "Ctrl+Q"), "quit")
        file_menu.addAction(quit_action)

        self.save_action = self._action("&Save", self.save_current, (QKeySequence.StandardKey.Save, "Ctrl+S"), "save")
        self.save_action.setEnabled(False)  # enabled while the file has unsaved edits (never for read-only files)
        file_menu.insertAction(self.reveal_action, self.save_action)
        edit_menu = menu.addMenu("&Edit")
        self.undo_action = self._action("&Undo", self.undo, (QKeySequence.StandardKey.Undo, "Ctrl+Z"), "undo")
        self.redo_action = self._action("&Redo", self.redo, (QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z"), "redo")
        for action in (self.undo_action, self.redo_action):
            self.addAction(action)
            edit_menu.addAction(action)
        stack = self.form.undo_stack
        for stack_signal in (stack.canUndoChanged, stack.canRedoChanged, stack.undoTextChanged, stack.redoTextChanged):
            stack_signal.connect(self._update_undo_actions)
        self._update_undo_actions()
        edit_menu.addSeparator()
        self.find_action = self._action(
            "&Find in Preview", self.preview.show_find, (QKeySequence.StandardKey.Find, "Ctrl+F"), "findInPreview"
        )
        edit_menu.addAction(self.find_action)
        self.search_action = self._action("&Search Archive", self.focus_search, "Ctrl+Shift+F", "searchArchive")
        edit_menu.addAction(self.search_action)

        document_menu = menu.addMenu("&Document")
        self.publish_action = self._action("&Publish", self.form.publish_current, "Ctrl+Shift+P", "publish")
        self.unpublish_action = self._action("&Unpublish", self.form.unpublish_current, "Ctrl+Shift+U", "unpublish")
        for action in (self.publish_action, self.unpublish_action):
            action.setEnabled(False)
            document_menu.addAction(action)
        document_menu.addSeparator()
        self.bulk_publish_action = self._action(
            "Publish Selected or Shown Files…", self.bulk_publish, None, "bulkPublish"
        )
        self.bulk_unpublish_action = self._action(
            "Unpublish Selected or Shown Files…", self.bulk_unpublish, None, "bulkUnpublish"
        )
        document_menu.addAction(self.bulk_publish_action)
        document_menu.addAction(self.bulk_unpublish_action)
        self.bulk_tag_action = self._action("&Tag Selected or Shown Files…", self.bulk_tag, "Ctrl+Shift+T", "bulkTag")
        document_menu.addAction(self.bulk_tag_action)
        self.set_field_action = self._action(
            "Set a &Field in Selected or Shown Files…", self.bulk_set_field, None, "bulkSetField"
        )
        document_menu.addAction(self.set_field_action)
        toolbar = self.addToolBar("Document")
        toolbar.setObjectName("documentToolbar")
        toolbar.setAccessibleName("Document actions")
        for action in (self.save_action, self.publish_action, self.unpublish_action):
            toolbar.addAction(action)
            button = toolbar.widgetForAction(action)
            if button is not None:
                named(button, f"toolbar_{action.objectName()}", action.text().replace("&", ""))
        self.form.state_changed.connect(self._update_document_actions)

        view_menu = menu.addMenu("&View")
        self.pane_actions: dict[str, QAction] = {}
        for key, label, widget in (
            ("browser", "&Browser", self.browser),
            ("form", "&Front Matter", self.form),
            ("preview", "&Preview", self.preview),
            ("folders", "F&olders", self.folder_view),
        ):
            action = self._action(label, lambda on, w=widget: w.setVisible(on), None, f"show_{key}", checkable=True)
            action.setChecked(True)
            view_menu.addAction(action)
            self.pane_actions[key] = action
        self.taxonomy_action = self.taxonomy_dock.toggleViewAction()
        self.taxonomy_action.setText("&Taxonomy")
        self.taxonomy_action.setObjectName("show_taxonomy")
        self.taxonomy_action.setShortcut(QKeySequence("Ctrl+Shift+Y"))
        view_menu.addAction(self.taxonomy_action)

        self.history_action = self._action("Bulk Operation &History…", self.show_history, None, "bulkHistory")
        edit_menu.addAction(self.history_action)
        edit_menu.addSeparator()
        self.preferences_action = self._action(
            "&Preferences…", self.show_preferences, (QKeySequence.StandardKey.Preferences, "Ctrl+,"), "preferences"
        )
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        edit_menu.addAction(self.preferences_action)
        help_menu = menu.addMenu("&Help")
        self.shortcuts_action = self._action(
            "&Keyboard Shortcuts",
            self.show_shortcuts,
            (QKeySequence.StandardKey.HelpContents, "F1"),
            "keyboardShortcuts",
        )
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self._action("&About Masthead", self.show_about, None, "about"))
        self._refresh_recent_menu()

    def _name_helpers(self) -> None:
        """Give Qt's helper widgets (headers, the search field's clear button) names for tests and screen readers."""
        headers = (
            (self.table.horizontalHeader(), "documentsTableHeader", "Documents columns"),
            (self.folder_view.header(), "folderTreeHeader", "Folders column"),
            (self.preview.outline.header(), "previewOutlineHeader", "Outline column"),
        )
        for header, name, label in headers:
            named(header, name, label)
        self.table.verticalHeader().setObjectName("documentsTableRows")
        self.table.verticalHeader().setAccessibleName("Document rows")
        for button in self.search.findChildren(QToolButton):
            button.setObjectName("searchClear")
            button.setAccessibleName("Clear search")

    # ------------------------------------------------------------------ settings
    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        for key, action in self.pane_actions.items():  # before the splitters, which keep hidden panes' sizes
            visible = self.settings.value(f"view/{key}", True)
            action.setChecked(visible not in (False, "false"))
        for key, splitter in (
            ("window/splitter", self.splitter),
            ("window/browserSplitter", self.browser_splitter),
            ("window/previewSplitter", self.preview.splitter),
        ):
            state = self.settings.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
        header_state = self.settings.value("table/header")
        if isinstance(header_state, QByteArray) and not header_state.isEmpty():
            self.table.horizontalHeader().restoreState(header_state)

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/browserSplitter", self.browser_splitter.saveState())
        self.settings.setValue("window/previewSplitter", self.preview.splitter.saveState())
        self.settings.setValue("table/header", self.table.horizontalHeader().saveState())
        for key, action in self.pane_actions.items():
            self.settings.setValue(f"view/{key}", action.isChecked())
        self.settings.sync()

    def recent_archives(self) -> list[str]:
        value = self.settings.value("archives/recent", [])
        items: list[object] = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
        return [str(v) for v in items if v]

    def _remember(self, root: Path) -> None:
        recent = [str(root)] + [r for r in self.recent_archives() if r != str(root)]
        self.settings.setValue("archives/recent", recent[:MAX_RECENT])
        self.settings.setValue("archives/last", str(root))
        self._refresh_recent_menu()

    def _refresh_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_archives():
            action = self.recent_menu.addAction(path)
            action.setData(path)
            action.triggered.connect(self._open_recent)
        self.recent_menu.setEnabled(bool(self.recent_archives()))

    def _column_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setObjectName("columnMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        table = self.table  # not self: a slot holding the window would keep it alive (see _on_search_text)
        for column in Column:
            action = menu.addAction(self.model.headerData(column, Qt.Orientation.Horizontal))
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.setEnabled(column != Column.TITLE)
            action.toggled.connect(lambda on, c=column: table.setColumnHidden(c, not on))
        menu.popup(self.table.horizontalHeader().mapToGlobal(pos))

    # ------------------------------------------------------------------ archive
    def choose_archive(self) -> None:
        start = self.settings.value("archives/last", str(Path.home()))
        folder = QFileDialog.getExistingDirectory(self, "Open Archive", str(start))
        if folder:
            self.open_archive(Path(folder))

    def open_archive(self, root: Path) -> None:
        """Index ``root`` in the background; rows appear as records arrive."""
        root = Path(root).resolve()
        if not root.is_dir():
            QMessageBox.warning(self, "Open Archive", f"{root} is not a folder.")
            return
        self.close_archive()
        self.index = ArchiveIndex(root)
        self.schema = load_schema(root)
        self.model.schema = self.schema
        self._remember(root)
        self.stack.setCurrentIndex(1)
        self.model.reset([])
        self.model.set_deferred(True)
        gc.disable()  # see _complete_loading
        self.folders.rebuild(root.name, [])
        self.loader = IndexLoader(self.index)
        self.loader.progress.connect(self._on_progress)
        self.loader.finished.connect(self._on_loader_finished)
        self._loader_done = False
        self._drain_timer.start()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.statusBar().showMessage(f"Indexing {root} …")
        self.schema_warning.setText(f"⚠ {self.schema.warning}" if self.schema.warning else "")
        self.schema_warning.setVisible(bool(self.schema.warning))
        self._update_title()
        self.loader.start()
        self._set_bulk_enabled(False)  # until every file is known: "all shown" must mean all
        QTimer.singleShot(0, self.offer_recovery)

    def open_sample(self) -> None:
        """Open the sample archive (copied to the user's Documents the first time)."""
        try:
            self.open_archive(install_sample())
        except OSError as exc:
            QMessageBox.warning(self, "Sample archive", f"Could not copy the sample archive: {exc}")

    def close_archive(self) -> None:
        if self.loader is not None:
            self.loader.stop(wait=True)
            self.loader = None
        gc.enable()
        gc.unfreeze()
        self._drain_timer.stop()
        self._loader_done = False
        if self.index is not None:
            self.index.close()
        self.index = None
        self.current = None
        self.watcher.clear()
        self.model.reset([])
        self.proxy.set_filters(self._query)  # drops cached verdicts of the old archive
        self.preview.clear()
        self.form.show_document(None, None, None)

    def reload_archive(self) -> None:
        if self.index is not None:
            self.open_archive(self.index.root)

    def cancel_indexing(self) -> None:
        if self.loader is not None:
            self.loader.cancel.set()
            self.statusBar().showMessage("Cancelling…")

    @property
    def indexing(self) -> bool:
        """Whether an archive is still loading (being read, or its records still being inserted)."""
        return self.loader is not None

    def _drain(self) -> None:
        """Insert the records that arrived, at most DRAIN per turn of the event loop, so that batches arriving
        back to back never add up to one long stall of the window."""
        loader = self.loader
        if loader is None:
            self._drain_timer.stop()
            return
        batch = loader.take(DRAIN)
        if batch:
            self.model.add(batch)
        elif self._loader_done:
            self._drain_timer.stop()
            self._complete_loading(loader.stats or BuildStats(), loader.error)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done:,} / {total:,}")

    def _on_loader_finished(self) -> None:
        self._loader_done = True  # the drain finishes the job once the inbox is empty

    def _complete_loading(self, stats: BuildStats, error: BaseException | None) -> None:
        # The cyclic garbage collector was off while records arrived: with a large archive alive, one full
        # collection takes hundreds of milliseconds, on whichever thread allocates (often this one). Now
        # the loaded objects are frozen: later collections skip them (reference counting still frees them).
        gc.enable()
        gc.freeze()
        self.last_stats = stats
        self.model.set_deferred(False)
        self.progress.hide()
        self.cancel_button.hide()
        if self.loader is not None:
            self.loader.stop(wait=True)
            self.loader = None
        if self.index is None:
            return
        if error is not None:
            QMessageBox.critical(self, "Indexing failed", f"{self.index.root}: {error}")
        errors = sum(1 for r in self.model.records if r.error)
        state = "Indexing cancelled" if stats.cancelled else "Indexed"
        self.statusBar().showMessage(
            f"{state}: {len(self.model.records):,} files ({stats.from_cache:,} from cache), {errors:,} with errors",
            8000,
        )
        # the rest in later turns of the event loop, so that no single step holds up the window
        QTimer.singleShot(0, self._finish_loading)

    def _set_bulk_enabled(self, on: bool) -> None:
        for action in (
            self.bulk_tag_action,
            self.set_field_action,
            self.bulk_publish_action,
            self.bulk_unpublish_action,
            self.history_action,
        ):
            action.setEnabled(on)

    def _finish_loading(self) -> None:
        if self.index is None:
            return
        self._set_bulk_enabled(True)
        self.folders.rebuild(self.index.root.name, (r.path for r in self.model.records))
        self.folder_view.expandToDepth(0)
        self.watcher.watch(self.index.root, [r.path for r in self.model.records])
        if self._query is not None and self._query.needs_body:
            self._apply_filters()  # the transcript search ran on part of the archive: run it again
        self._update_vocabulary()
        self.archive_loaded.emit()

    # ------------------------------------------------------------------ external changes
    def rescan_now(self) -> None:
        """Compare the archive with the index now (stat only), without waiting for the watcher."""
        self._refresh(None)

    def _on_files_changed(self, paths: list[str]) -> None:
        self._refresh(paths)

    def _on_folders_changed(self) -> None:
        self._refresh(None)

    def _refresh(self, paths: list[str] | None) -> None:
        """Bring the index up to date off the GUI thread: the given files, or a stat-only rescan (None)."""
        index = self.index
        if index is None or self.indexing:
            return
        if self._refreshing:  # one at a time; remember what else is asked, a rescan covering everything
            if paths is None or self._refresh_pending == "all":
                self._refresh_pending = "all"
            else:
                self._refresh_pending = (self._refresh_pending or set()) | set(paths)
            return
        self._refreshing = True

        def work() -> Changes:
            return index.rescan() if paths is None else index.refresh(paths)

        def done(changes: Changes | None, error: BaseException | None) -> None:
            self._refreshing = False
            if changes is not None and index is self.index:
                self._apply_changes(changes)
            pending, self._refresh_pending = self._refresh_pending, None
            if pending is not None:
                self._refresh(None if pending == "all" else sorted(pending))

        run_in_background(work, done, self)

    def _apply_changes(self, changes: Changes) -> None:
        assert self.index is not None
        records = self.index.records
        self.model.remove(changes.removed)
        self.model.add([records[p] for p in changes.added if p in records])
        self.model.update(records[p] for p in changes.updated if p in records)
        self.watcher.add([str(self.index.root / p) for p in changes.added])
        if changes.added or changes.removed:
            self.folders.rebuild(self.index.root.name, (r.path for r in self.model.records))
            self.folder_view.expandToDepth(0)
        if self.current in changes.updated:
            if self.form.dirty:  # keep the editor's work; saving will meet the conflict check
                self.statusBar().showMessage(f"{self.current} changed on disk; your unsaved edits are kept", 8000)
            else:
                self.show_file(self.current)
        elif self.current in changes.removed and not self.form.dirty:
            self.current = None
            self.preview.clear()
            self.form.show_document(None, None, None, message="The file was deleted or renamed on disk.")
        if changes:
            self._update_vocabulary()
        self.records_changed.emit()

    # ------------------------------------------------------------------ filtering
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_search_text(self, _text: str) -> None:
        """Slots are bound methods, never lambdas holding ``self``: Qt keeps a slot as long as its sender,
        and a sender owned by this window would otherwise keep the window alive forever."""
        self._search_timer.start()

    def _on_quick_toggled(self, on: bool) -> None:
        self._on_quick(str(self.sender().property("quickKey")), on)

    def _open_recent(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.open_archive(Path(str(action.data())))

    def _on_quick(self, key: str, on: bool) -> None:
        if on:
            for other, button in self.quick_buttons.items():
                if other != key and button.isChecked():
                    button.setChecked(False)
        self._apply_filters()

    def _on_folder(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._apply_filters()

    def _apply_search(self) -> None:
        text = self.search.text().strip()
        try:
            self._query = parse_query(text) if text else None
        except QueryError as exc:
            self.search_error.setText(f"⚠ {exc.message} (at column {exc.position + 1})")
            self.search_error.show()
            self.search.setProperty("invalid", True)
            self.search.setStyleSheet(f"QLineEdit {{ border: 1px solid {error_colour()}; }}")
            return
        self.search_error.hide()
        self.search.setStyleSheet("")
        self._apply_filters()

    def _apply_filters(self) -> None:
        quick = next((k for k, b in self.quick_buttons.items() if b.isChecked()), None)
        folder = self.folder_view.currentIndex().data(PATH_ROLE) or ""
        query = self._query
        if query is not None and query.needs_body and self.index is not None:
            self._search_bodies(query, folder, quick)
            return
        self.proxy.set_filters(query, folder, quick)
        self._update_count()

    def _search_bodies(self, query: Query, folder: str, quick: str | None) -> None:
        """A ``body:`` query reads transcripts: do it in the background, then filter by its result."""
        index = self.index
        assert index is not None
        self._search_generation += 1
        generation = self._search_generation
        records = list(self.model.records)
        self.statusBar().showMessage("Searching transcripts…")

        def done(allowed: set[str] | None, error: BaseException | None) -> None:
            if generation == self._search_generation and allowed is not None:
                self.proxy.set_filters(query, folder, quick, allowed)
                self.statusBar().clearMessage()
                self._update_count()

        run_in_background(lambda: {r.path for r in records if query.matches(r, index.body)}, done, self)

    def _update_count(self, *_: Any) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        self.count_label.setText(f"{shown:,} of {total:,}" if self.index else "No archive")

    # ------------------------------------------------------------------ the current file
    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record = current.data(RECORD_ROLE) if current.isValid() else None
        if not isinstance(record, Record) or record.path == self.current:
            return
        if self.form.dirty:
            previous = self.current
            self.confirm_unsaved(
                lambda: self.show_file(record.path),
                lambda: self.select_path(previous) if previous else None,
            )
            return
        self.show_file(record.path)

    def confirm_unsaved(self, proceed: Callable[[], Any], cancel: Callable[[], Any]) -> None:
        """Ask Save / Discard / Cancel about unsaved edits, then ``proceed`` (after a successful save)
        or ``cancel``."""
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"Save your changes to {self.current}?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            self.form.save(lambda ok: proceed() if ok else cancel())
        elif answer == QMessageBox.StandardButton.Discard:
            if self.current:
                self.model.set_dirty(self.current, False)
            self.form.show_document(None, None, None)
            proceed()
        else:
            cancel()

    def select_path(self, path: str) -> bool:
        row = self.model.row_of(path)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)
        return True

    def selected_paths(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [str(i.data(PATH_ROLE)) for i in rows]

    def show_file(self, path: str) -> None:
        """Show one file in the front-matter pane and the preview (read through core)."""
        assert self.index is not None
        self.current = path
        full = self.index.root / path
        try:
            doc = storage.load(full, self.prefs.list_indent)
        except MastheadError as exc:
            self.preview.clear()
            self.form.show_document(None, None, None, message=str(exc))
            return
        record = self.index.records.get(path)
        title = (record.title if record else "") or full.name
        entity_fields = [name for name, rule in self.schema.fields.items() if rule.kind == Kind.ENTITIES]
        entities = [v for f in entity_fields for v in (doc.data.get(f) or []) if isinstance(v, str)]
        error = str(doc.error.message) if doc.error else None
        self.form.show_document(doc, self.index.root, path, self.vocabulary, schema=self.schema)
        self.preview.show_text(title.replace("\n", " "), doc.body_text, full.parent, self.index.root, entities, error)
        self._update_title()

    def _update_document_actions(self) -> None:
        self.publish_action.setEnabled(self.form.can_publish)
        self.unpublish_action.setEnabled(self.form.can_unpublish)
        problems = self.form.problems
        self.publish_action.setToolTip(
            "Publish this file" if not problems else "Cannot publish yet: " + "; ".join(str(p) for p in problems)
        )

    def bulk_targets(self) -> list[str]:
        """The selected files when several are selected, else every file the browser shows."""
        selected = self.selected_paths()
        if len(selected) > 1:
            return selected
        return [str(self.proxy.index(r, 0).data(PATH_ROLE)) for r in range(self.proxy.rowCount())]

    def bulk_publish(self, unpublishing: bool = False) -> OperationDialog | None:
        """Publish (or unpublish) the selected files, or every file shown: files that do not validate are
        listed with their problems and left alone; one undoable operation."""
        if self.index is None:
            return None
        edit = PublishEdit("unpublish" if unpublishing else "publish", dt.date.today())
        verb = "Unpublish" if unpublishing else "Publish"
        targets = self.bulk_targets()
        return self.open_operation(targets, lambda: edit, f"{verb} {len(targets):,} file(s)", verb=verb)

    def bulk_unpublish(self) -> OperationDialog | None:
        return self.bulk_publish(unpublishing=True)

    # ------------------------------------------------------------------ bulk operations
    def unsaved_paths(self) -> list[str]:
        """Files with unsaved edits in the window (bulk operations leave them alone)."""
        return [self.current] if self.current and self.form.dirty else []

    def open_operation(
        self,
        rels: list[str],
        make_edit: Callable[[], Edit | None],
        title: str,
        editor: QWidget | None = None,
        verb: str = "Apply to",
    ) -> OperationDialog | None:
        """A preview-then-apply dialog for one bulk edit of ``rels``."""
        if self.index is None:
            return None
        dialog = OperationDialog(self.index.root, rels, make_edit, self.unsaved_paths, title, self, editor, verb)
        return self._launch(dialog)

    def _launch(self, dialog: D) -> D:
        """Open a bulk operation dialog with the preferences, its result landing on the undo history."""
        dialog.confirm = self.prefs.confirm_bulk
        dialog.list_indent = self.prefs.list_indent
        dialog.applied.connect(self._on_operation_applied)
        dialog.finished_work.connect(self._close_if_asked)
        dialog.open()
        return dialog

    def bulk_tag(self) -> BulkTagDialog | None:
        """Add or remove list values in the selected files (or every file shown)."""
        if self.index is None:
            return None
        fields = [f.name for f in self.schema.fields.values() if f.kind in (Kind.TAGS, Kind.ENTITIES)]
        fields += sorted(f for f in self.taxonomy.vocabulary.lists if f not in fields)
        dialog = BulkTagDialog(
            self.index.root, self.bulk_targets(), fields or ["tags"], self.vocabulary, self.unsaved_paths, self
        )
        return self._launch(dialog)

    def bulk_set_field(self) -> SetFieldDialog | None:
        """Set or clear a single-value field (category, status, series...) in the selected or shown files."""
        if self.index is None:
            return None
        fields = [n for n, rule in self.schema.fields.items() if rule.kind in (Kind.CHOICE, Kind.TEXT)]
        fields += [f for f in (*CHOICE_FIELDS, "series") if f not in fields]
        dialog = SetFieldDialog(self.index.root, self.bulk_targets(), fields, self.vocabulary, self.unsaved_paths, self)
        return self._launch(dialog)

    def show_query(self, text: str) -> None:
        """Show the files matching ``text`` in the browser."""
        self.search.setText(text)
        self._search_timer.stop()
        self._apply_search()

    def _on_operation_applied(self, journal: str) -> None:
        dialog = self.sender()
        if not isinstance(dialog, OperationDialog) or dialog.plan is None or dialog.report is None:
            return
        description = dialog.plan.description
        self._undo_ops.append((journal, description))
        self._redo_ops.clear()
        self._after_bulk(dialog.report.changed, f"Done: {description}")

    def _after_bulk(self, rels: list[str], message: str) -> None:
        self._update_undo_actions()
        self.statusBar().showMessage(message, 8000)
        if self.index is not None and rels:
            self._refresh([str(self.index.root / r) for r in rels])

    def undo(self) -> None:
        """Edit ▸ Undo: the current file's edits first; then this session's bulk operations, newest first."""
        if self.form.undo_stack.canUndo():
            self.form.undo_stack.undo()
        elif self._undo_ops and not self._bulk_busy:
            self.run_journal(*self._undo_ops[-1], undoing=True)

    def redo(self) -> None:
        if self.form.undo_stack.canRedo():
            self.form.undo_stack.redo()
        elif self._redo_ops and not self._bulk_busy:
            self.run_journal(*self._redo_ops[-1], undoing=False)

    def run_journal(
        self, journal: str, description: str, undoing: bool, finished: Callable[[], Any] | None = None
    ) -> bool:
        """Undo (or redo) a bulk operation off the GUI thread; False if another one is running."""
        if self._bulk_busy:
            return False
        self._bulk_busy = True
        self._update_undo_actions()
        self.statusBar().showMessage(f"{'Undoing' if undoing else 'Redoing'} {description}…")

        def done(report: bulk.Report | None, error: BaseException | None) -> None:
            self._bulk_busy = False
            self._close_if_asked()
            if report is not None:  # the operation moves to the other list (it may come from History)
                op = (journal, description)
                self._undo_ops = [o for o in self._undo_ops if o[0] != journal]
                self._redo_ops = [o for o in self._redo_ops if o[0] != journal]
                (self._redo_ops if undoing else self._undo_ops).append(op)
            if finished is not None:
                finished()
            if report is None:
                QMessageBox.warning(self, "Undo" if undoing else "Redo", f"{description}: {error}")
                self._update_undo_actions()
                return
            left = report.skipped + report.failed
            verb = "Undid" if undoing else "Redid"
            message = f"{verb} {description}: {len(report.changed):,} file(s)"
            if left:
                message += f"; {len(left):,} left alone"
                QMessageBox.information(
                    self, verb, message + ":\n" + "\n".join(f"{rel}: {why}" for rel, why in left[:20])
                )
            self._after_bulk(report.changed, message)

        work = bulk.undo if undoing else bulk.redo
        run_in_background(lambda: work(Path(journal)), done, self, pool=WRITER)
        return True

    def show_history(self) -> HistoryDialog | None:
        """Edit ▸ Bulk Operation History: every journaled operation of the archive, to undo or redo."""
        if self.index is None:
            return None
        dialog = HistoryDialog(self.index.root, self.run_journal, self)
        dialog.open()
        return dialog

    def _update_undo_actions(self, *_: Any) -> None:
        stack = self.form.undo_stack
        for action, can, text, ops, verb in (
            (self.undo_action, stack.canUndo(), stack.undoText(), self._undo_ops, "Undo"),
            (self.redo_action, stack.canRedo(), stack.redoText(), self._redo_ops, "Redo"),
        ):
            if can:
                action.setText(f"&{verb} {text}".strip())
                action.setEnabled(True)
            elif ops:
                action.setText(f"&{verb} “{ops[-1][1]}”")
                action.setEnabled(not self._bulk_busy)
            else:
                action.setText(f"&{verb}")
                action.setEnabled(False)

    def offer_recovery(self) -> None:
        """An operation interrupted by a crash or kill: offer to complete it or roll it back."""
        if self.index is None or self.recovery_box is not None:
            return
        pending = bulk.unfinished(self.index.root)
        if not pending:
            return
        journal = pending[0]
        entry = bulk.journal_info(journal)
        box = QMessageBox(self)
        box.setObjectName("recoveryBox")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Interrupted operation")
        box.setText(
            f"“{entry['description']}” was interrupted before it finished ({len(entry['files']):,} file(s)). "
            "Every file is either as it was or as the operation left it."
        )
        box.setInformativeText("Complete it, or roll back the files it had already changed?")
        complete = box.addButton("&Complete", QMessageBox.ButtonRole.AcceptRole)
        complete.setObjectName("recoveryComplete")
        roll_back = box.addButton("&Roll Back", QMessageBox.ButtonRole.DestructiveRole)
        roll_back.setObjectName("recoveryRollBack")
        later = box.addButton("&Later", QMessageBox.ButtonRole.RejectRole)
        later.setObjectName("recoveryLater")
        box.setProperty("journal", str(journal))
        box.setProperty("description", str(entry["description"]))
        box.buttonClicked.connect(self._on_recovery_choice)
        self.recovery_box = box
        box.open()

    def _on_recovery_choice(self, button: QAbstractButton) -> None:
        box = self.recovery_box
        self.recovery_box = None
        if box is None or button.objectName() == "recoveryLater":
            return
        # rolling back is undoing what was written; completing is redoing the rest
        self.run_journal(
            str(box.property("journal")),
            str(box.property("description")),
            undoing=button.objectName() == "recoveryRollBack",
            finished=self._recovered,
        )

    def _recovered(self) -> None:
        QTimer.singleShot(0, self.offer_recovery)  # another one?

    def save_current(self) -> None:
        self.form.save()

    def _on_saved(self, path: str) -> None:
        self.model.set_dirty(path, False)
        self.setWindowModified(False)
        self.statusBar().showMessage(f"Saved {path}", 4000)
        if self.index is not None:
            self._refresh([str(self.index.root / path)])

    def _on_dirty(self, dirty: bool) -> None:
        self.setWindowModified(dirty)
        self.save_action.setEnabled(dirty)
        if self.current:
            self.model.set_dirty(self.current, dirty)

    def _update_vocabulary(self) -> None:
        """Value counts for the pickers, computed off the GUI thread."""
        records = list(self.model.records)

        def done(vocab: Vocabulary | None, error: BaseException | None) -> None:
            if vocab is not None:
                self.vocabulary = {
                    **{f: dict(c) for f, c in vocab.choices.items()},
                    **{f: dict(c) for f, c in vocab.lists.items()},
                }
                self.form.vocabulary = self.vocabulary
                self.taxonomy.set_data(vocab, records)

        run_in_background(lambda: build_vocabulary(records), done, self)

    def reveal_current(self) -> None:
        if self.index is None:
            return
        target = self.index.root / self.current if self.current else self.index.root
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target.parent if target.is_file() else target)))

    def _update_title(self) -> None:
        """'file.md[*] — archive — Masthead'; Qt shows [*] as the modified marker when the window is modified."""
        parts = [Path(self.current).name] if self.current else []
        if self.index is not None:
            parts.append(self.index.root.name)
        parts.append("Masthead")
        self.setWindowTitle(parts[0] + "[*]" + "".join(" — " + p for p in parts[1:]))

    def _close_now(self) -> None:
        self.form.show_document(None, None, None)
        self.close()

    def apply_preferences(self) -> None:
        self.preview.set_font_size(self.prefs.preview_font_pt)
        self.form.list_indent = self.prefs.list_indent

    def show_preferences(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self.prefs, self.font().pointSize(), self)
        dialog.accepted.connect(self._on_preferences_accepted)
        dialog.open()
        return dialog

    def _on_preferences_accepted(self) -> None:
        dialog = self.sender()
        if isinstance(dialog, PreferencesDialog):
            self.prefs = dialog.result_preferences()
            self.prefs.save(self.settings)
            self.apply_preferences()

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self.findChildren(QAction), self)
        dialog.open()
        return dialog

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle("About Masthead")
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setText(f"<h3>Masthead {__version__}</h3>")
        box.setInformativeText(
            "<p>Edit the front matter of a Markdown archive without damaging a byte.</p>"
            f"<p>Qt {qVersion()}, PySide6 {PySide6.__version__}, Python {platform.python_version()}</p>"
        )
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.open()
        return box

    # ------------------------------------------------------------------ closing
    def writing(self) -> bool:
        """Whether a bulk operation (or its undo) is writing files right now."""
        return self._bulk_busy or any(d.writing for d in self.findChildren(OperationDialog))

    def _close_if_asked(self) -> None:
        if self._close_when_done and not self.writing():
            self._close_when_done = False
            QTimer.singleShot(0, self.close)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.writing():  # let it finish: every file would be old or new anyway, but the report matters
            event.ignore()
            self._close_when_done = True
            self.statusBar().showMessage("Finishing the bulk operation; Masthead closes when it is done…")
            return
        if self.form.dirty:
            event.ignore()
            self.confirm_unsaved(self._close_now, lambda: None)
            return
        self.save_settings()
        self.close_archive()
        super().closeEvent(event)
