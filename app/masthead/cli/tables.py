"""Views and tables: ``view`` (list, save, delete), ``export`` (CSV) and ``import-csv``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from masthead.cli.archive import shown
from masthead.cli.common import fail, open_index
from masthead.cli.pipeline import run_change
from masthead.core.csv_table import read_table, table_text, write_table
from masthead.core.errors import MastheadError
from masthead.core.views import TABLE_COLUMNS, View, delete_view, load_views, save_view

DEFAULT_FIELDS = ("title", "date", "draft", "status", "category", "tags")


def _names(text: str | None) -> tuple[str, ...]:
    return tuple(f.strip() for f in (text or "").split(",") if f.strip())


def cmd_view(args: argparse.Namespace) -> int:
    root = Path(args.archive)
    if not root.is_dir():
        fail(f"{root}: not a folder")
        return 2
    try:
        if args.action == "list":
            for view in load_views(root):
                columns = ", ".join(view.columns) or "(the table's columns)"
                order = f"; sorted by {view.sort}{' descending' if view.descending else ''}" if view.sort else ""
                print(f"{view.name}\t{view.query or '(every file)'}\t{columns}{order}")
            return 0
        if args.action == "delete":
            if args.name not in {v.name for v in load_views(root)}:
                fail(f"no view named {args.name!r}")
                return 1
            path = delete_view(root, args.name)
        else:
            view = View(args.name, args.query or "", _names(args.columns), (), args.sort, args.descending)
            path = save_view(root, view)
    except MastheadError as exc:
        fail(str(exc))
        return 1
    print(f"{args.action}d view {args.name!r} in {path}", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    found = shown(args)
    if found is None:
        return 2
    hits, view, _ = found
    chosen = _names(args.fields) or (view.fields if view and view.fields else DEFAULT_FIELDS)
    fields = [f for f in chosen if f not in TABLE_COLUMNS]
    if args.csv == "-":
        sys.stdout.write(table_text(hits, fields, args.separator))
    else:
        try:
            write_table(Path(args.csv), hits, fields, args.separator)
        except MastheadError as exc:
            fail(str(exc))
            return 1
    print(f"exported {len(hits):,} file(s), {len(fields)} field(s) to {args.csv}", file=sys.stderr)
    return 0


def cmd_import_csv(args: argparse.Namespace) -> int:
    root = Path(args.archive)
    source = Path(args.table)
    try:
        data = source.read_bytes()
    except OSError as exc:
        fail(f"{source}: {exc.strerror}")
        return 2
    index = open_index(args)
    if index is None:
        return 2
    try:
        imported = read_table(data, index.records, args.key, args.separator, f"import {source.name}")
    except ValueError as exc:
        fail(f"{source}: {exc}")
        return 2
    for problem in imported.problems:
        print(f"masthead: {source}: {problem}", file=sys.stderr)
    if not imported.edit.cells:
        fail(f"{source}: no row names a file of the archive")
        return 1
    code = run_change(args, root, sorted(imported.edit.cells), imported.edit)
    return max(code, 1 if imported.problems else 0)
