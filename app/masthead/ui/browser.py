"""The archive browser: search field, quick filters, folder tree and documents table, and the filtering
they drive. It reads no files: a transcript (``body:``) search gets the bodies from a callable."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from masthead.core.fulltext import Hit, snippet
from masthead.core.query import Query, QueryError, parse_query
from masthead.core.records import Record
from masthead.ui.documents_proxy import BACKGROUND_FILTER, DocumentsProxy, Filters, Verdicts
from masthead.ui.folder_model import FolderModel
from masthead.ui.models import PATH_ROLE, Column, DocumentsModel
from masthead.ui.snippet_delegate import SnippetDelegate
from masthead.ui.tasks import run_in_background
from masthead.ui.theme import error_colour
from masthead.ui.widgets import named

DEFAULT_HIDDEN = (Column.STATUS, Column.CATEGORY, Column.PATH, Column.MATCH)
QUICK = (("drafts", "Drafts"), ("published", "Published"), ("errors", "Has errors"))


class BrowserPane(QWidget):
    """Emits ``open_requested`` from the welcome page's button; the table's selection is read by the window."""

    open_requested = Signal()
    status = Signal(str)
    matches_changed = Signal(object)  # the text a search wants found in transcripts (None: none)

    def __init__(self, model: DocumentsModel, folders: FolderModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("browserPane")
        self.model = model
        self.proxy = DocumentsProxy(self)
        self.proxy.setSourceModel(model)
        self.body: Callable[[str], str] | None = None  # reads a transcript, for body: queries
        # gives, when the full-text index is ready, a function to run off the GUI thread: text -> paths
        self.text_search: Callable[[], Callable[[list[str]], dict[str, set[str]] | None] | None] | None = None
        self.query: Query | None = None
        self._generation = 0
        self._waiting: int | None = None  # the generation of a filter being computed in the background
        self._focus_first = False  # Down was pressed in the search field while it was
        self._searching = False  # "Searching transcripts…" is shown
        # Transcript searches have threads of their own: on the global pool they waited behind a file's
        # suggestions and its pickers' warm-up (the first search after opening a file took 40 s).
        self._search_pool = QThreadPool(self)
        self._search_pool.setMaxThreadCount(2)
        self._rerun = QTimer(self)  # a transcript search runs again once files changed (after a pause)
        self._rerun.setSingleShot(True)
        self._rerun.setInterval(300)
        self._rerun.timeout.connect(self._rerun_body_search)
        self._loaded = False
        self.snippet_text: str | None = None  # what the Match column shows the words around
        self._snippets_wanted: set[str] = set()
        self.snippet_timer = QTimer(self)
        self.snippet_timer.setSingleShot(True)
        self.snippet_timer.setInterval(30)
        self.snippet_timer.timeout.connect(self._fetch_snippets)
        model.snippet_wanted = self._want_snippet

        self.search = named(QLineEdit(), "searchField", "Search the archive")
        self.search.setPlaceholderText('Search: tag:ai-ml draft:true people:"Elon Musk" date>=2025-01 words')
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_text)
        self.search.installEventFilter(self)  # Down: to the results
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(200)
        self.search_timer.timeout.connect(self.apply_search)
        self.search_error = named(QLabel(""), "searchError", "Search error")
        self.search_error.setWordWrap(True)
        self.search_error.setStyleSheet(f"color: {error_colour()};")
        self.search_error.hide()

        self.quick_group = QButtonGroup(self)
        self.quick_group.setExclusive(False)
        quick_row = QHBoxLayout()
        quick_row.setContentsMargins(0, 0, 0, 0)
        self.quick_buttons: dict[str, QToolButton] = {}
        for key, label in QUICK:
            button = named(QToolButton(), f"quickFilter_{key}", f"Show only: {label}")
            button.setText(label)
            button.setCheckable(True)
            button.setProperty("quickKey", key)
            button.toggled.connect(self._on_quick_toggled)
            self.quick_group.addButton(button)
            self.quick_buttons[key] = button
            quick_row.addWidget(button)
        self.count_label = named(QLabel("No archive"), "countLabel", "Files shown")
        self.count_label.setWordWrap(True)  # a long "why nothing is shown" wraps: it widened the pane to 770 px,
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # crushing the
        self.count_label.setMinimumWidth(90)  # form and the preview (a new-user trial)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Room for two lines whatever it says: "Searching… (shown: …, the last search's)" takes two where the
        # count takes one, and the row growing and shrinking at every search moved the table, whose relayout
        # held the GUI thread 30-60 ms each time on 10,000 rows.
        self.count_label.setMinimumHeight(2 * self.count_label.fontMetrics().lineSpacing())
        quick_row.addWidget(self.count_label, 1)

        self.folder_view = named(QTreeView(), "folderTree", "Folders")
        self.folder_view.setModel(folders)
        self.folder_view.setHeaderHidden(True)
        self.folder_view.selectionModel().currentChanged.connect(self._on_folder)

        self.table = self._make_table()
        self.welcome_button = named(QPushButton("Open an archive folder…"), "welcomeOpen", "Open an archive folder")
        self.welcome_button.clicked.connect(self.open_requested)
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

        self.splitter = named(QSplitter(Qt.Orientation.Vertical), "browserSplitter", "Folders and documents")
        self.splitter.addWidget(self.folder_view)
        self.splitter.addWidget(self.stack)
        self.splitter.setSizes([150, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.search_error)
        layout.addLayout(quick_row)
        layout.addWidget(self.splitter)
        model.reordering.connect(self._on_reordering)
        # Rows came, went or changed: counted once the event loop is back (a filter change signals each run
        # of rows apart, thousands of them: counting at each held the GUI thread for tens of ms).
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(0)
        self._count_timer.timeout.connect(self.update_count)
        for model_signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
            model.dataChanged,  # (the open file saved out of the filter)
        ):
            model_signal.connect(self._count_soon)
        self._kept: tuple[str | None, list[str]] = (None, [])

    def _make_table(self) -> QTableView:
        table = named(QTableView(), "documentsTable", "Documents")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(Column.DATE, Qt.SortOrder.DescendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)  # Tab leaves the table for the next pane
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # no bold headings for selected columns: to know, every paint of the header asked the models about
        # every selected row (1,000 selected rows: ~50 ms on the GUI thread per repaint)
        header.setHighlightSections(False)
        header.resizeSection(Column.TITLE, 240)
        header.resizeSection(Column.DATE, 88)
        header.resizeSection(Column.STATE, 76)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.setSectionsMovable(True)
        for column in DEFAULT_HIDDEN:
            table.setColumnHidden(column, True)
        table.setItemDelegateForColumn(Column.MATCH, SnippetDelegate(table))
        return table

    # ------------------------------------------------------------------ archive lifecycle
    def loading(self, new_archive: bool) -> None:
        """An archive starts loading: another archive starts with no search, quick filter or folder (the
        old one's would hide files for no visible reason); rows arrive unsorted, so no sort indicator."""
        self._loaded = False
        if new_archive:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.search_timer.stop()
            self.query = None
            self.show_matches(None)  # no Match column, no marks in the preview: the old search is gone
            self.search_error.hide()
            self.search.setStyleSheet("")
            for button in self.quick_buttons.values():
                button.blockSignals(True)
                button.setChecked(False)
                button.blockSignals(False)
        self._supersede()  # a filter still being computed was for the old rows
        self._focus_first = False
        self.proxy.set_filters(self.query, "", self._quick())  # drops cached verdicts of the old archive
        self.table.horizontalHeader().setSortIndicatorShown(False)
        self.stack.setCurrentIndex(1)

    def loaded(self) -> None:
        self._loaded = True
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.folder_view.expandToDepth(0)
        if self.query is not None and self.query.needs_body:
            self.apply_filters()  # the transcript search ran on part of the archive: run it again
        self.update_count()

    # ------------------------------------------------------------------ filtering
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def show_query(self, text: str) -> None:
        self.search.setText(text)
        self.search_timer.stop()
        self.apply_search()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down (or Page Down) in the search field goes to the results, on their first row if none is current;
        to those of the search typed, once they are known (a large archive's are found in the background)."""
        key = event.key() if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress else None
        if watched is self.search and key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            if self.search_timer.isActive():  # the typed search first
                self.search_timer.stop()
                self.apply_search()
            if self._waiting is not None:
                self._focus_first = True
                return True
            if self.proxy.rowCount():
                self._to_results()
                return True
        return super().eventFilter(watched, event)

    def _to_results(self) -> None:
        """To the table: on its current row, shown, if that is a result; else on the first result (the open
        file kept listed though the search leaves it out is not one)."""
        if not self.proxy.rowCount():
            return
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        current = self.table.currentIndex()
        outside = self.proxy.pinned_outside()
        if current.isValid() and current.data(PATH_ROLE) != outside:
            self.table.scrollTo(current)
            return
        first = next((r for r in range(self.proxy.rowCount()) if self.proxy.index(r, 0).data(PATH_ROLE) != outside), 0)
        self.table.setCurrentIndex(self.proxy.index(first, 0))
        self.table.scrollTo(self.proxy.index(first, 0))

    def _on_search_text(self, _text: str) -> None:
        self._focus_first = False  # typing again: a Down pressed before is for the old text
        self.search_timer.start()

    def _on_quick_toggled(self, on: bool) -> None:
        key = str(self.sender().property("quickKey"))
        if on:
            for other, button in self.quick_buttons.items():
                if other != key and button.isChecked():
                    button.setChecked(False)
        self.apply_filters()

    def _on_folder(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self.apply_filters()

    def _quick(self) -> str | None:
        return next((k for k, b in self.quick_buttons.items() if b.isChecked()), None)

    def apply_search(self) -> None:
        text = self.search.text().strip()
        try:
            self.query = parse_query(text) if text else None
        except QueryError as exc:
            rest, part = _without_bad_part(text, exc.position)
            if rest is not None:  # the rest of the search, not whatever an unfinished keystroke last gave
                self.query, shown = rest, f"the search without “{part}”"
            else:
                shown = "the last search that could be read" if self.query is not None else "every file"
            self.search_error.setText(f"⚠ {exc.message} (at column {exc.position + 1}). Showing {shown}.")
            self.search_error.show()
            self.search.setStyleSheet(f"QLineEdit {{ border: 1px solid {error_colour()}; }}")
            if rest is not None:
                self.apply_filters()
            return
        self.search_error.hide()
        self.search.setStyleSheet("")
        self.apply_filters()

    def apply_filters(self) -> None:
        quick = self._quick()
        folder = self.folder_view.currentIndex().data(PATH_ROLE) or ""
        query = self.proxy.prepared(self.query)
        wanted = query.wanted_texts if query is not None else []
        self.show_matches(wanted[0] if wanted else None)  # (-body:x: a file without the text has nothing to show)
        self._supersede()
        if query is not None and query.needs_body and self.body is not None:
            self._search_bodies(query, folder, quick, self.body)
            return
        filters = Filters(query, folder, quick)
        if filters.everything or self.model.rowCount() < BACKGROUND_FILTER:
            self.proxy.set_filters(query, folder, quick)
            self._filtered()
            return
        self._filter_in_background(filters)

    def _filter_in_background(
        self, filters: Filters, allowed: Callable[[list[Record]], set[str]] | None = None
    ) -> None:
        """Judge every record on a worker thread (first finding the ``allowed`` files: a transcript search),
        then filter by those verdicts: a query over 10,000 records held the GUI thread for ~100 ms."""
        generation = self._waiting = self._generation
        self.update_count()  # (says the rows shown are not this search's yet)
        records, schema, git_state = list(self.model.records), self.model.schema, self.model.git_state
        git_version = self.model.git_version

        def work() -> tuple[Filters, Verdicts]:
            chosen = replace(filters, allowed=allowed(records)) if allowed is not None else filters
            return chosen, chosen.verdicts(records, schema, git_state)

        def done(result: tuple[Filters, Verdicts] | None, error: BaseException | None) -> None:
            if generation != self._generation:
                return
            self._waiting = None
            if result is None:
                self._focus_first = False
                self._searching = False
                self.status.emit(f"The search failed: {error}")
                return
            if filters.query is not None and filters.query.needs_git and self.model.git_version != git_version:
                self.apply_filters()  # files' git states changed meanwhile: judged on the old ones
                return
            chosen, verdicts = result
            self.proxy.set_filters(chosen.query, chosen.folder, chosen.quick, chosen.allowed, verdicts)
            self._end_searching()
            self._filtered()

        run_in_background(work, done, self, self._search_pool)

    def _supersede(self) -> None:
        """A newer filter: a result still being computed for an older one is dropped when it comes."""
        self._generation += 1
        self._waiting = None
        self._end_searching()

    def _end_searching(self) -> None:
        """A transcript search ended, or was superseded: its "Searching transcripts…" goes."""
        if self._searching:
            self._searching = False
            self.status.emit("")

    def _filtered(self) -> None:
        """A filter was applied: the count says so, and a Down pressed meanwhile goes to the first result."""
        self.update_count()
        if self._focus_first:
            self._focus_first = False
            if self.window().focusWidget() is self.search:  # (not if the user went elsewhere meanwhile)
                self._to_results()

    def _search_bodies(self, query: Query, folder: str, quick: str | None, body: Callable[[str], str]) -> None:
        """A ``body:`` query reads transcripts: do it in the background, then filter by its result."""
        hits = self.text_search() if self.text_search is not None else None
        self.status.emit("Searching transcripts…" if hits is not None else "Searching transcripts (reading them all)…")
        self._searching = True

        def allowed(records: list[Record]) -> set[str]:
            found = hits(query.body_texts) if hits is not None else None  # the full-text index, when ready
            return query.matching_paths(records, body, found, self.model.git_state)

        self._filter_in_background(Filters(query, folder, quick), allowed)

    def records_changed(self) -> None:
        """Files changed (a save, a bulk operation, another program): a transcript search's answer may have
        changed too, so it runs again (until then a changed file keeps its verdict: its path in the answer)."""
        if self.query is not None and self.query.needs_body:
            self._rerun.start()

    def _rerun_body_search(self) -> None:
        if self.query is not None and self.query.needs_body:
            self.apply_filters()

    # ------------------------------------------------------------------ the Match column
    def show_matches(self, text: str | None) -> None:
        """Show the Match column with the words around ``text`` in each transcript (None: hide it)."""
        if text != self.snippet_text:
            self.snippet_text = text
            self._snippets_wanted.clear()
            self.model.clear_snippets()
            self.matches_changed.emit(text)
        appears = text is not None and self.table.isColumnHidden(Column.MATCH)
        self.table.setColumnHidden(Column.MATCH, text is None)
        if appears:  # beside the title, where it is seen without scrolling
            header = self.table.horizontalHeader()
            header.moveSection(header.visualIndex(Column.MATCH), header.visualIndex(Column.TITLE) + 1)
            header.resizeSection(Column.MATCH, 320)

    def _want_snippet(self, path: str) -> None:
        """A shown row's snippet is not known yet: gather such rows and read them together, off this thread."""
        if self.snippet_text is not None and self.body is not None:
            self._snippets_wanted.add(path)
            if not self.snippet_timer.isActive():
                self.snippet_timer.start()

    def _fetch_snippets(self) -> None:
        text, body, paths = self.snippet_text, self.body, sorted(self._snippets_wanted)
        if text is None or body is None or not paths:
            return

        def read() -> dict[str, Hit | None]:
            return {path: snippet(path, body(path), text) for path in paths}

        def done(found: dict[str, Hit | None] | None, error: BaseException | None) -> None:
            self._snippets_wanted.difference_update(paths)
            if found is not None and text == self.snippet_text:
                self.model.set_snippets(found)

        run_in_background(read, done, self, self._search_pool)

    def _count_soon(self, *_: Any) -> None:
        self._count_timer.start()

    def update_count(self, *_: Any) -> None:
        """ "N of M" (the open file, listed though the filters reject it, is not counted: it is in italics)."""
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if self.stack.currentIndex() == 0:
            self.count_label.setText("No archive")
            return
        outside = self.proxy.pinned_outside()
        self.model.set_outside(outside)
        shown -= 1 if outside else 0
        text = f"{shown:,} of {total:,}"
        filters = [w for w, on in (("search", self.query), ("quick filter", self._quick())) if on]
        if self.folder_view.currentIndex().data(PATH_ROLE):
            filters.append("folder")
        if total and not shown and filters:  # say why nothing is shown
            text += " match the " + " and ".join(filters)
            if self.query is not None and any(t.kind == "text" and not t.negated for t in self.query.terms):
                text += " (words: titles and summaries; body:word searches transcripts)"
        if outside:
            text += " (+ the open file)"
        if not self._loaded and total:
            text = f"{text} — loading"
        if self.pending:
            text = f"Searching… (shown: {text}, the last search's)"
        self.count_label.setText(text)
        self.count_label.setToolTip(text)

    @property
    def pending(self) -> bool:
        """Whether a search is being answered (off the GUI thread): the rows shown are the last search's."""
        return self._waiting is not None

    # ------------------------------------------------------------------ selection
    def shown_paths(self) -> list[str]:
        """The files the filters show, in table order: not the open file listed only because it is open (it
        was a bulk operation's target, counted in "The 183 files shown" beside "182 of 10,001": a trial)."""
        outside = self.proxy.pinned_outside()
        return [p for p in self._paths(range(self.proxy.rowCount())) if p != outside]

    def selected_paths(self) -> list[str]:
        """The selected files, in table order. From the selection's ranges: ``selectedRows()`` asks the models
        about every cell of every selected row (1,000 selected rows cost the GUI thread ~90 ms)."""
        rows: set[int] = set()
        selection = self.table.selectionModel().selection()
        for i in range(selection.count()):
            selected = selection.at(i)
            rows.update(range(selected.top(), selected.bottom() + 1))
        return self._paths(sorted(rows))

    def _paths(self, rows: Iterable[int]) -> list[str]:
        records = self.model.records
        return [records[row].path for row in self.proxy.source_rows(rows) if 0 <= row < len(records)]

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

    def step(self, offset: int) -> None:
        """Select the next (1) or previous (-1) file shown."""
        rows = self.proxy.rowCount()
        if not rows:
            return
        current = self.table.currentIndex()
        row = current.row() + offset if current.isValid() else (0 if offset > 0 else rows - 1)
        row = max(0, min(rows - 1, row))
        index = self.proxy.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)

    def _on_reordering(self, before: bool) -> None:
        """Keep the current row and the selection across the model's reorder-as-reset."""
        if before:
            current = self.table.currentIndex()
            self._kept = (str(current.data(PATH_ROLE)) if current.isValid() else None, self.selected_paths())
            return
        current_path, selected = self._kept
        self._kept = (None, [])
        selection = self.table.selectionModel()
        selection.blockSignals(True)  # the same file stays current: nothing to load again
        try:
            if current_path is not None:
                self.select_path(current_path)
            rows = sorted(
                self.proxy.mapFromSource(self.model.index(r, 0)).row()
                for r in (self.model.row_of(p) for p in selected if p != current_path)
                if r is not None
            )
            ranges = QItemSelection()  # one selection of contiguous ranges, not one call per row
            last = self.proxy.columnCount() - 1
            for _, group in itertools.groupby(enumerate(r for r in rows if r >= 0), lambda x: x[1] - x[0]):
                span = [r for _, r in group]
                ranges.select(self.proxy.index(span[0], 0), self.proxy.index(span[-1], last))
            selection.select(ranges, QItemSelectionModel.SelectionFlag.Select)
        finally:
            selection.blockSignals(False)
        self.table.viewport().update()

    def next_file(self) -> None:
        self.step(1)

    def previous_file(self) -> None:
        self.step(-1)

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.scroll_to_current()  # (a filter may have moved it out of sight)

    def scroll_to_current(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            self.table.scrollTo(current)


def _without_bad_part(text: str, at: int) -> tuple[Query | None, str]:
    """The search without the word (between spaces) a parse error points into, if the rest reads: typing
    ``date>=2025-13`` after ``people:"Sean"`` showed the files of whatever the last keystroke that parsed
    gave (``people:"Sean" date``: none), where the search without that word is what the user means."""
    start = text.rfind(" ", 0, at) + 1
    end = text.find(" ", at)
    end = len(text) if end < 0 else end
    rest = (text[:start] + text[end:]).strip()
    try:
        return (parse_query(rest) if rest else None), text[start:end]
    except QueryError:
        return None, text[start:end]
