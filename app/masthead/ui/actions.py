"""The window's actions as one declarative table, from which the menus, the toolbar and the Keyboard
Shortcuts sheet are built (so they can never disagree)."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMenuBar, QToolBar

from masthead.ui.widgets import named

SK = QKeySequence.StandardKey
Key = SK | str | None


@dataclass(frozen=True)
class Spec:
    """One action: ``slot`` is an attribute path on the window (``"form.controller.publish"``); ``key`` a
    standard key (with ``fallback`` where a platform maps none) or a shortcut text."""

    name: str
    text: str
    slot: str
    menu: str
    key: Key = None
    fallback: str = ""
    toolbar: bool = False
    separator: bool = False  # a separator before it
    enabled: bool = True
    checkable: bool = False


MENUS = ("&File", "&Edit", "&Go", "&Document", "&Git", "&View", "&Help")
RECENT = "recentMenu"  # the File ▸ Open Recent submenu goes after the action of this name
RECENT_AFTER = "openArchive"

ACTIONS: tuple[Spec, ...] = (
    Spec("openArchive", "&Open Archive…", "choose_archive", "&File", SK.Open, "Ctrl+O"),
    Spec("openSample", "Open &Sample Archive", "open_sample", "&File"),
    Spec("save", "&Save", "save_current", "&File", SK.Save, "Ctrl+S", toolbar=True, enabled=False),
    Spec("revealInFileManager", "Reveal in File &Manager", "reveal_current", "&File"),
    Spec("reloadArchive", "Re&load Archive", "reload_archive", "&File", SK.Refresh, "F5"),
    Spec("exportCsv", "&Export View as CSV…", "export_view_csv", "&File", separator=True),
    Spec("quit", "&Quit", "close", "&File", SK.Quit, "Ctrl+Q", separator=True),
    Spec("undo", "&Undo", "undo", "&Edit", SK.Undo, "Ctrl+Z", enabled=False),
    Spec("redo", "&Redo", "redo", "&Edit", SK.Redo, "Ctrl+Shift+Z", enabled=False),
    Spec("searchArchive", "&Search Archive", "browser.focus_search", "&Edit", SK.Find, "Ctrl+F", separator=True),
    Spec("findInPreview", "&Find in Preview", "preview.show_find", "&Edit", "Ctrl+Shift+F"),
    Spec("findReplaceFields", "Find and &Replace in Fields…", "find_replace_fields", "&Edit", SK.Replace, "Ctrl+H"),
    Spec("editFields", "Cop&y, Move, Rename, Split or Join Fields…", "edit_fields", "&Edit"),
    Spec("bulkHistory", "Bulk Operation &History…", "show_history", "&Edit"),
    Spec("preferences", "&Preferences…", "show_preferences", "&Edit", SK.Preferences, "Ctrl+,", separator=True),
    Spec("nextFile", "&Next File", "browser.next_file", "&Go", "Alt+Down"),
    Spec("previousFile", "&Previous File", "browser.previous_file", "&Go", "Alt+Up"),
    Spec("focusBrowser", "Go to &Browser", "focus_browser", "&Go", "Ctrl+1", separator=True),
    Spec("focusForm", "Go to &Front Matter", "focus_form", "&Go", "Ctrl+2"),
    Spec("focusPreview", "Go to Pre&view", "focus_preview", "&Go", "Ctrl+3"),
    Spec("publish", "&Publish", "form.controller.publish", "&Document", "Ctrl+Shift+P", toolbar=True, enabled=False),
    Spec(
        "unpublish", "&Unpublish", "form.controller.unpublish", "&Document", "Ctrl+Shift+U", toolbar=True, enabled=False
    ),
    Spec("addField", "&Add Field…", "form.ask_add_field", "&Document", separator=True),
    Spec("removeField", "&Remove This Field…", "remove_focused_field", "&Document", "Ctrl+Shift+Backspace"),
    Spec("bulkPublish", "Publish Selected or Shown Files…", "bulk_publish", "&Document", separator=True),
    Spec("bulkUnpublish", "Unpublish Selected or Shown Files…", "bulk_unpublish", "&Document"),
    Spec("bulkTag", "&Tag Selected or Shown Files…", "bulk_tag", "&Document", "Ctrl+Shift+T"),
    Spec("bulkSetField", "Set a &Field in Selected or Shown Files…", "bulk_set_field", "&Document"),
    Spec("gitCommit", "&Commit…", "git_commit", "&Git", "Ctrl+K", enabled=False),
    Spec("gitPull", "&Pull", "git_pull", "&Git", "Ctrl+Shift+K", enabled=False, separator=True),
    Spec("gitPush", "P&ush", "git_push", "&Git", "Ctrl+Alt+K", enabled=False),
    Spec("gitFileHistory", "File &History…", "git_file_history", "&Git", "Ctrl+Shift+H", separator=True, enabled=False),
    Spec("gitResolve", "&Resolve Conflict…", "resolve_conflict", "&Git", enabled=False),
    Spec("gitSetup", "Merge Front Matter by &Key (Set Up)…", "git_setup", "&Git", enabled=False),
    Spec("gridMode", "&Grid: Edit Cells", "toggle_grid", "&View", "Ctrl+G", checkable=True),
    Spec("gridColumns", "Grid &Columns…", "choose_grid_columns", "&View"),
    Spec("saveView", "Save &View…", "save_view", "&View"),
    Spec("deleteView", "&Delete Saved View", "delete_view", "&View", separator=True),
    Spec("show_browser", "&Browser", "browser.setVisible", "&View", checkable=True),
    Spec("show_form", "&Front Matter", "form.setVisible", "&View", checkable=True),
    Spec("show_preview", "&Preview", "preview.setVisible", "&View", checkable=True),
    Spec("show_folders", "F&olders", "folder_view.setVisible", "&View", checkable=True),
    Spec("keyboardShortcuts", "&Keyboard Shortcuts", "show_shortcuts", "&Help", SK.HelpContents, "F1"),
    Spec("about", "&About Masthead", "show_about", "&Help"),
)


def _keys(spec: Spec) -> list[QKeySequence]:
    if isinstance(spec.key, SK):
        keys = QKeySequence.keyBindings(spec.key)
        return list(keys) if keys else [QKeySequence(spec.fallback)]
    return [QKeySequence(spec.key)] if spec.key else []


def make_action(window: QMainWindow, spec: Spec) -> QAction:
    action = QAction(spec.text, window)
    action.setObjectName(spec.name)
    action.setShortcuts(_keys(spec))
    action.setCheckable(spec.checkable)
    action.setEnabled(spec.enabled)
    slot: Any = operator.attrgetter(spec.slot)(window)
    if spec.checkable:
        action.toggled.connect(slot)
    else:
        action.triggered.connect(slot)
    window.addAction(action)  # shortcuts work even while a menu or the toolbar is hidden
    return action


def build(window: QMainWindow, specs: tuple[Spec, ...] = ACTIONS) -> tuple[dict[str, QAction], dict[str, QMenu]]:
    """Create every action, the menu bar and the document toolbar; (actions by name, menus by title)."""
    bar: QMenuBar = window.menuBar()
    bar.setObjectName("menuBar")
    menus = {title: bar.addMenu(title) for title in MENUS}
    for title, menu in menus.items():
        menu.setObjectName("menu" + title.replace("&", ""))
    actions: dict[str, QAction] = {}
    toolbar = QToolBar("Document", window)
    toolbar.setObjectName("documentToolbar")
    toolbar.setAccessibleName("Document actions")
    window.addToolBar(toolbar)
    for spec in specs:
        action = actions[spec.name] = make_action(window, spec)
        menu = menus[spec.menu]
        if spec.separator:
            menu.addSeparator()
        menu.addAction(action)
        if spec.name == RECENT_AFTER:
            recent = menu.addMenu("Open &Recent")
            recent.setObjectName(RECENT)
            menus[RECENT] = recent
        if spec.toolbar:
            toolbar.addAction(action)
            button = toolbar.widgetForAction(action)
            if button is not None:
                named(button, f"toolbar_{spec.name}", spec.text.replace("&", ""))
    actions["preferences"].setMenuRole(QAction.MenuRole.PreferencesRole)
    return actions, menus
