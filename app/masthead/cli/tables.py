"""Views and tables: ``view`` (list, save, delete), ``export`` (CSV) and ``import-csv``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from masthead.cli.archive import matching, query_text
from masthead.cli.common import fail, open_index
from masthead.cli.pipeline import run_change
from masthead.core import storage
from masthead.core.csv_table import read_table, sort_records, table_bytes
from masthead.core.errors import MastheadError
from masthead.core.views import TABLE_COLUMNS, View, delete_view, load_views, save_view
from masthead.core.workflow import load_schema

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
    root = Path(args.archive)
    asked = query_text(args, root)
    if asked is None:
        return 2
    text, view = asked
    index = open_index(args)
    if index is None:
        return 2
    hits = matching(index, text, load_schema(root))
    if hits is None:
        return 2
    if view is not None and view.sort not in TABLE_COLUMNS - {"path"}:
        hits = sort_records(hits, view.sort, view.descending)
    fields = list(_names(args.fields) or (view.columns if view and view.columns else DEFAULT_FIELDS))
    fields = [f for f in fields if f not in TABLE_COLUMNS]
    data = table_bytes(hits, fields, args.separator)
    if args.csv == "-":
        sys.stdout.write(data.decode("utf-8-sig"))
    else:
        out = Path(args.csv)
        try:
            storage.write_atomic(out, data, storage.read_bytes(out)[1] if out.exists() else None)
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
