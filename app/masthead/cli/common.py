"""Helpers shared by the commands: messages, values, targets, progress, the index."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from masthead.core.fieldinfo import file_state
from masthead.core.index import ArchiveIndex
from masthead.core.query import QueryError, parse_query
from masthead.core.records import Record
from masthead.core.scan import iter_markdown
from masthead.core.values import Value, to_json
from masthead.core.workflow import (
    Schema,
    load_schema,
)

if TYPE_CHECKING:
    from masthead.core import bulk

COMMANDS = (
    "get",
    "set",
    "check",
    "index",
    "query",
    "search",
    "vocab",
    "validate",
    "publish",
    "unpublish",
    "init-schema",
    "tag",
    "field",
    "history",
    "undo",
    "redo",
    "recover",
    "git",
    "commit",
    "pull",
    "push",
    "merge-file",
    "resolve",
    "replace",
    "view",
    "export",
    "import-csv",
)


def print_json(value: Any) -> None:
    print(json.dumps(to_json(value), ensure_ascii=False, indent=2))


def fail(message: str) -> None:
    print(f"masthead: {message}", file=sys.stderr)


def parse_yaml_value(text: str) -> Value:
    """A ``--set`` value, read as YAML 1.2 (``false`` is a boolean, ``'no'`` and ``no`` are strings)."""
    from ruamel.yaml import YAML  # here: a command that reads no --set value does not import it

    loaded = YAML(typ="safe", pure=True).load(text)
    return loaded


def assignment(text: str, as_yaml: bool) -> tuple[str, Value]:
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    if not as_yaml:
        return key.strip(), raw
    try:
        return key.strip(), parse_yaml_value(raw)
    except ruamel_error() as exc:
        raise argparse.ArgumentTypeError(f"the value of {key.strip()!r} is not valid YAML: {exc}") from None


def check_targets(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        files.extend(iter_markdown(path) if path.is_dir() else [path])
    return files


class ProgressBar:
    """A one-line progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        percent = 100 * done // total
        if percent != self.last:
            self.last = percent
            bar = "#" * (percent // 4)
            sys.stderr.write(f"\rindexing [{bar:<25}] {done:,}/{total:,}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.last >= 0:
            sys.stderr.write("\r" + " " * 60 + "\r")


def open_index(args: argparse.Namespace) -> ArchiveIndex | None:
    root = Path(args.archive)
    if not root.is_dir():
        fail(f"{root}: not a folder")
        return None
    bar = ProgressBar()
    started = time.perf_counter()
    index = ArchiveIndex(root, use_cache=not args.no_cache)
    try:
        index.open(progress=bar)
    finally:
        bar.close()
        index.close_cache()
    stats = index.stats
    errors = sum(1 for r in index.records.values() if r.error)
    print(
        f"{stats.total:,} files in {time.perf_counter() - started:.2f} s "
        f"({stats.from_cache:,} from cache, {stats.parsed:,} read); {errors:,} with errors",
        file=sys.stderr,
    )
    return index


def print_record(record: Record, schema: Schema | None = None) -> None:
    if record.error:
        line = f":{record.error_line}" if record.error_line else ""
        print(f"{record.path}{line}: error: {record.error}")
        return
    date = record.date.isoformat() if record.date else "-"
    state = file_state(record, schema).value
    print(f"{record.path}\t{date}\t{state}\t{one_line(record.title)}")


def one_line(text: str) -> str:
    """Text for a one-line-per-file listing: line breaks and tabs as spaces (a ``title: |-`` spans lines)."""
    return " ".join(text.split()) if any(c in text for c in "\n\r\t") else text


def records_sorted(index: ArchiveIndex) -> list[Record]:
    return [index.records[k] for k in sorted(index.records)]


def schema_for(path: Path, warned: set[str]) -> Schema:
    schema = load_schema(path)
    if schema.warning and schema.warning not in warned:
        warned.add(schema.warning)
        print(f"masthead: warning: {schema.warning}", file=sys.stderr)
    return schema


def common_folder(paths: list[Path]) -> Path:
    """The deepest folder holding every one of ``paths`` (where their journal goes)."""
    return Path(os.path.commonpath([str(p.resolve().parent) for p in paths]))


def selection(args: argparse.Namespace, root: Path) -> list[str] | None:
    """The files a change command works on: --files, --query or --all (one is required)."""
    chosen = [bool(args.files), args.query is not None, args.all]
    if sum(chosen) != 1:
        fail("choose the files: exactly one of --files F..., --query Q or --all")
        return None
    if args.files:
        rels = []
        for name in args.files:
            path = Path(name)
            full = path if path.is_absolute() else (root / path if (root / path).exists() else Path.cwd() / path)
            try:
                rels.append(full.resolve().relative_to(root.resolve()).as_posix())
            except ValueError:
                fail(f"{name}: not inside the archive {root}")
                return None
        return rels
    index = ArchiveIndex(root).open()
    index.close()
    if args.all:
        return sorted(index.records)
    try:
        query = parse_query(args.query, load_schema(root))
    except QueryError as exc:
        fail(f"bad query: {exc}")
        return None
    return sorted(r.path for r in index.records.values() if query.matches(r, index.body))


def ruamel_error() -> type[Exception]:
    from ruamel.yaml.error import YAMLError

    return YAMLError


def warn_unfinished(root: Path) -> None:
    from masthead.core import bulk

    for journal in bulk.unfinished(root):
        fail(
            f"warning: an operation was interrupted ({journal.stem}); finish it with "
            f"'masthead recover {root} --complete' or roll it back with 'masthead recover {root} --roll-back'"
        )


def commit_and_report(root: Path, rels: Sequence[str], text: str, push: bool, what: str) -> int:
    """Commit exactly ``rels`` with ``text`` (and push), saying what happened; 1 if git refused the commit or
    the push. ``what``: the state the files are left in, for the refusal ("published", "restored")."""
    from masthead.core.git_commits import commit_change
    from masthead.core.git_run import GitError

    try:
        done = commit_change(root, rels, text, push=push)
    except GitError as exc:
        fail(f"the files are {what} but not committed: {exc.message}")
        return 1
    print(f"committed {len(rels)} file(s) as {done.commit[:10]}: {text}", file=sys.stderr)
    if done.push_error:
        fail(f"committed, but the push failed: {done.push_error}")
        return 1
    return 0


def report_files(root: Path, report: bulk.Report) -> None:
    for rel, reason in report.skipped + report.failed:
        fail(f"{root / rel}: {reason}")


def choose(root: Path, op: str | None, states: tuple[str, ...], nothing: str) -> dict[str, Any] | None:
    from masthead.core import bulk

    entries = bulk.history(root)
    chosen = [e for e in entries if e["id"] == op] if op else [e for e in entries if e["state"] in states][:1]
    if not chosen:
        fail(nothing if not op else f"no operation {op!r} (see masthead history)")
        return None
    return chosen[0]
