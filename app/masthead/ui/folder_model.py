"""The folder tree: the archive's folders with the number of files below each, kept up to date in place."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtGui import QStandardItem, QStandardItemModel

from masthead.ui.models import PATH_ROLE


class FolderModel(QStandardItemModel):
    """The archive's folders with the number of files below each; the first row is the whole archive.
    Counts are kept up to date in place as files come and go (``add``/``remove``)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["Folders"])
        self._counts: dict[str, int] = {}
        self._items: dict[str, QStandardItem] = {}
        self._name = ""

    def rebuild(self, name: str, paths: Iterable[str]) -> None:
        self.clear()
        self.setHorizontalHeaderLabels(["Folders"])
        self._name = name
        self._counts = {"": 0}
        root = QStandardItem()
        root.setData("", PATH_ROLE)
        root.setEditable(False)
        self.appendRow(root)
        self._items = {"": root}
        self._label("")
        self.add(paths)

    def _label(self, folder: str) -> None:
        leaf = self._name if not folder else folder.rpartition("/")[2]
        self._items[folder].setText(f"{leaf} ({self._counts.get(folder, 0):,})")

    def _item(self, folder: str) -> QStandardItem:
        item = self._items.get(folder)
        if item is None:
            parent_key = folder.rpartition("/")[0]
            parent = self._item(parent_key)
            item = QStandardItem()
            item.setData(folder, PATH_ROLE)
            item.setEditable(False)
            leaf = folder.rpartition("/")[2]
            row = 0  # children in alphabetical order
            while row < parent.rowCount() and str(parent.child(row).data(PATH_ROLE)).rpartition("/")[2] < leaf:
                row += 1
            parent.insertRow(row, item)
            self._items[folder] = item
        return item

    def _count(self, paths: Iterable[str], sign: int) -> None:
        if not self._items:
            return
        touched: set[str] = set()
        for path in paths:
            parts = path.split("/")[:-1]
            for depth in range(len(parts) + 1):
                key = "/".join(parts[:depth])
                self._counts[key] = self._counts.get(key, 0) + sign
                touched.add(key)
        for folder in sorted(touched, key=len, reverse=sign < 0):  # removing: children first
            if self._counts.get(folder, 0) <= 0 and folder:
                item = self._items.pop(folder, None)
                self._counts.pop(folder, None)
                if item is not None:
                    parent = item.parent() or self.invisibleRootItem()
                    parent.removeRow(item.row())
                continue
            if folder in self._items or sign > 0:
                self._item(folder)
                self._label(folder)

    def add(self, paths: Iterable[str]) -> None:
        """Count new files (creating their folders)."""
        self._count(paths, 1)

    def remove(self, paths: Iterable[str]) -> None:
        """Uncount files gone (an emptied folder disappears)."""
        self._count(paths, -1)
