"""Saved views: a query, the visible columns (order and widths) and a sort, kept by name under ``views:``
in the archive's ``masthead.yaml`` so that they travel with the archive and its repository.

Saving a view edits ``masthead.yaml`` through ``Document`` (the file wrapped in ``---`` fences as if it were
front matter), so only the ``views:`` lines change: every other byte of the file, comments included, stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from masthead.core.errors import MastheadError, ParseError

SCHEMA_FILE = "masthead.yaml"
SETTINGS = ("query", "columns", "widths", "sort", "descending")
TABLE_COLUMNS = frozenset({"state", "path", "git", "match"})  # the window's own columns: no front-matter field


@dataclass(frozen=True)
class View:
    """``columns`` are field names (``state``, ``path`` and ``git`` for the table's own columns); ``sort``
    is one of them, or None for the archive's order."""

    name: str
    query: str = ""
    columns: tuple[str, ...] = ()
    widths: tuple[int, ...] = ()
    sort: str | None = None
    descending: bool = False

    @property
    def fields(self) -> list[str]:
        """The columns that are front-matter fields (not the window's own state, path, git, match)."""
        return [c for c in self.columns if c not in TABLE_COLUMNS]

    @property
    def sort_field(self) -> str | None:
        """The sort as a field (or path) the command line can order by; None for the window's own columns."""
        return self.sort if self.sort and self.sort not in TABLE_COLUMNS - {"path"} else None

    def as_yaml(self) -> dict[str, Any]:
        """The view as written under ``views:`` (settings left at their defaults are not written)."""
        out: dict[str, Any] = {"query": self.query}
        if self.columns:
            out["columns"] = list(self.columns)
        if self.widths:
            out["widths"] = list(self.widths)
        if self.sort:
            out["sort"] = self.sort
            out["descending"] = self.descending
        return out


def parse_views(value: Any, path: Path | None = None, line: int | None = None) -> tuple[View, ...]:
    """The views of a ``views:`` mapping; ParseError naming the view and the setting that is wrong."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise ParseError("'views' must be a mapping of names to views ({query: ..., columns: [...]})", path, line)
    views = []
    for name, spec in value.items():
        where = f"view {name!r}"
        if not isinstance(spec, dict):
            raise ParseError(f"{where}: expected a mapping like {{query: 'draft:true', columns: [title]}}", path, line)
        extra = set(spec) - set(SETTINGS)
        if extra:
            raise ParseError(
                f"{where}: unknown setting {sorted(extra)[0]!r} (one of {', '.join(SETTINGS)})", path, line
            )
        columns, widths = spec.get("columns") or [], spec.get("widths") or []
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            raise ParseError(f"{where}: 'columns' must be a list of field names", path, line)
        if not isinstance(widths, list) or not all(isinstance(w, int) and not isinstance(w, bool) for w in widths):
            raise ParseError(f"{where}: 'widths' must be a list of whole numbers (pixels)", path, line)
        sort = spec.get("sort")
        views.append(
            View(
                str(name),
                str(spec.get("query") or ""),
                tuple(columns),
                tuple(widths),
                str(sort) if sort else None,
                bool(spec.get("descending", False)),
            )
        )
    return tuple(views)


def settings_file(root: Path) -> Path:
    return root / SCHEMA_FILE


def load_views(root: Path) -> tuple[View, ...]:
    """The archive's saved views (none when it has no masthead.yaml); ParseError when the file is wrong."""
    from masthead.core.yamlread import values

    path = settings_file(root)
    if not path.is_file():
        return ()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MastheadError(f"cannot be read: {exc.strerror}", path) from None
    try:
        data = values(raw.decode("utf-8-sig", errors="replace"))
    except ParseError as exc:
        raise exc.with_path(path) from None
    return parse_views(data.get("views"), path)


def find_view(root: Path, name: str) -> View:
    for view in load_views(root):
        if view.name == name:
            return view
    names = ", ".join(v.name for v in load_views(root)) or "none yet"
    raise MastheadError(f"no view named {name!r} (saved views: {names})", settings_file(root))


def save_view(root: Path, view: View) -> Path:
    """Add the view, or replace the one of that name; returns the settings file written."""
    return _edit_views(root, lambda views: {**views, view.name: view.as_yaml()})


def delete_view(root: Path, name: str) -> Path:
    return _edit_views(root, lambda views: {k: v for k, v in views.items() if k != name})


def _edit_views(root: Path, change: Any) -> Path:
    from masthead.core import storage  # here: reading views needs no editing code
    from masthead.core.document import Document

    path = settings_file(root)
    snapshot = None
    raw = b""
    if path.exists():
        raw, snapshot = storage.read_bytes(path)
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    text = raw[len(bom) :]
    if text.lstrip().startswith((b"---", b"%")):
        raise MastheadError("the file starts with a YAML document marker: add the view by hand", path)
    eol = b"\r\n" if b"\r\n" in text else b"\n"
    ends = text.endswith((b"\n", b"\r"))
    fence = b"---" + eol
    doc = Document(fence + text + (b"" if ends or not text else eol) + fence, path)
    if not doc.editable:
        why = doc.error.message if doc.error else doc.readonly_reason
        raise MastheadError(f"cannot add the view: {why}", path)
    views = doc.get("views") or {}
    if not isinstance(views, dict):
        raise MastheadError("'views' is not a mapping: fix it by hand", path)
    new_views = change(dict(views))
    if new_views:
        doc.set("views", new_views)
    else:
        doc.delete("views")
    out = doc.to_bytes()[len(fence) : -len(fence)]
    if text and not ends and out.endswith(eol):
        out = out[: -len(eol)]
    if out != text:
        storage.write_atomic(path, bom + out, snapshot)
    return path
