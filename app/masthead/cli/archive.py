"""The archive: ``index``, ``query``, ``search``, ``vocab``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from masthead.cli.common import ProgressBar, fail, one_line, open_index, print_record, records_sorted
from masthead.core.cells import cell_text
from masthead.core.csv_table import sort_records
from masthead.core.errors import MastheadError
from masthead.core.fieldinfo import archive_vocabulary
from masthead.core.fulltext import DamagedIndex, Hit, snippet
from masthead.core.index import ArchiveIndex
from masthead.core.query import QueryError, parse_query
from masthead.core.records import Record
from masthead.core.views import View, find_view
from masthead.core.workflow import Schema, load_schema

T = TypeVar("T")


def cmd_index(args: argparse.Namespace) -> int:
    index = open_index(args)
    if index is None:
        return 2
    schema = load_schema(index.root)
    for record in records_sorted(index):
        if args.json:
            print(json.dumps(record.to_json(), ensure_ascii=False))
        else:
            print_record(record, schema)
    return 0


def query_text(args: argparse.Namespace, root: Path) -> tuple[str, View | None] | None:
    """The query to run: ``--view``'s and QUERY's together (None after saying why the view is unknown)."""
    view = None
    if getattr(args, "view", None):
        try:
            view = find_view(root, args.view)
        except MastheadError as exc:
            fail(str(exc))
            return None
    parts = [view.query if view else "", getattr(args, "query", None) or ""]
    return " ".join(p for p in parts if p.strip()), view


def matching(index: ArchiveIndex, text: str, schema: Schema) -> list[Record] | None:
    """The records ``text`` matches, by path (None after printing where the query is wrong)."""
    try:
        query = parse_query(text, schema)
    except QueryError as exc:
        fail(f"bad query: {exc}")
        print(f"  {text}\n  {' ' * exc.position}{'^' * exc.length}", file=sys.stderr)
        return None
    found = text_hits(index, query.body_texts) if query.needs_body else None
    paths = query.matching_paths(index.records.values(), index.body, found)
    return [r for r in records_sorted(index) if r.path in paths]


def shown(args: argparse.Namespace) -> tuple[list[Record], View | None, ArchiveIndex] | None:
    """The records of ``--view`` and QUERY (or ``--query``), in the view's order; None after saying why not."""
    root = Path(args.archive)
    asked = query_text(args, root)
    if asked is None:
        return None
    text, view = asked
    index = open_index(args)
    if index is None:
        return None
    hits = matching(index, text, load_schema(root))
    if hits is None:
        return None
    if view is not None:
        hits = sort_records(hits, view.sort_field, view.descending)
    return hits, view, index


def cmd_query(args: argparse.Namespace) -> int:
    if args.query is None and not args.view:
        fail("give a QUERY or --view NAME")
        return 2
    found = shown(args)
    if found is None:
        return 2
    hits, view, index = found
    schema = load_schema(index.root)
    for record in hits:
        if args.json:
            print(json.dumps(record.to_json(), ensure_ascii=False))
        elif view is not None and view.fields:
            print("\t".join([record.path, *(one_line(cell_text(record.meta.get(c))) for c in view.fields)]))
        else:
            print_record(record, schema)
    print(f"{len(hits):,} of {len(index.records):,} files match", file=sys.stderr)
    return 0


def update_text(index: ArchiveIndex) -> None:
    """Bring the full-text index up to date, saying so when that takes a while (the first time)."""
    todo, _ = index.text_index().stale((r.path, r.size, r.mtime_ns) for r in index.records.values())
    if len(todo) > 500:
        print(
            f"indexing {len(todo):,} transcripts for full-text search (only changed files, next time)", file=sys.stderr
        )
        bar = ProgressBar()  # (on a terminal: it takes about a minute for 10,000 transcripts)
        try:
            index.update_text(bar)
        finally:
            bar.close()
        return
    index.update_text()


def answered(index: ArchiveIndex, ask: Callable[[], T]) -> T | None:
    """``ask()`` of the up-to-date full-text index; a part found damaged is rebuilt and asked again (None if it
    still cannot answer: the caller reads the files)."""
    for _ in range(2):
        update_text(index)  # (rebuilds a part a search found damaged)
        try:
            return ask()
        except DamagedIndex as exc:
            print(f"warning: {exc}", file=sys.stderr)
    return None


def text_hits(index: ArchiveIndex, texts: list[str]) -> dict[str, set[str]] | None:
    """For each text, the paths whose transcript contains it (from the full-text index; None: read them)."""
    return answered(index, lambda: {text: index.text_index().paths(text) for text in texts})


def cmd_search(args: argparse.Namespace) -> int:
    index = open_index(args)
    if index is None:
        return 2
    if args.limit is not None and args.limit < 1:
        fail("--limit must be 1 or more")
        return 2
    text_index = index.text_index()
    if len(args.text) > 2 and args.text[0] == args.text[-1] == '"':  # "a phrase", as in a query: the phrase
        args.text = args.text[1:-1]

    def ask() -> tuple[int | None, list[Hit]]:
        total = len(text_index.paths(args.text)) if args.limit is not None else None
        return total, text_index.search(args.text, index.body, args.limit)

    answer = answered(index, ask)
    if answer is None:  # the index cannot answer: every transcript is read
        every = [snippet(path, index.body(path), args.text) for path in sorted(index.records)]
        found_all = [hit for hit in every if hit is not None]
        answer = len(found_all), found_all[: args.limit]
    total, hits = answer
    for hit in hits:
        record = index.records.get(hit.path)
        title = record.text("title") if record is not None else ""
        if args.json:
            item = {"path": hit.path, "title": title, "before": hit.before, "match": hit.match, "after": hit.after}
            print(json.dumps(item, ensure_ascii=False))
        else:
            print(f"{hit.path}\t{one_line(title)}\t{hit.before}[{hit.match}]{hit.after}")
    found = total if total is not None else len(hits)
    shown = f" (the first {len(hits):,} shown)" if found > len(hits) else ""
    print(f"{found:,} of {len(index.records):,} transcripts contain it{shown}", file=sys.stderr)
    return 0


def cmd_vocab(args: argparse.Namespace) -> int:
    index = open_index(args)
    if index is None:
        return 2
    vocab = archive_vocabulary(index.records.values(), load_schema(index.root))
    fields = [args.field] if args.field else vocab.fields
    groups = vocab.near_duplicates(args.field)
    if args.json:
        print(
            json.dumps(
                {
                    "fields": {f: dict(vocab.values(f)) for f in fields},
                    "near_duplicates": [{"field": g.field, "values": dict(g.values)} for g in groups],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for name in fields:
        print(f"{name}:")
        for value, count in vocab.values(name):
            print(f"  {count:6d}  {value}")
    if groups:
        print("near-duplicates:")
        for group in groups:
            print(f"  {group.field}: " + " | ".join(f"{v} ({c})" for v, c in group.values))
    return 0
