"""Bulk changes and their journal: ``tag``, ``field``, ``history``, ``undo``, ``redo``, ``recover``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

from masthead.cli.common import (
    choose,
    commit_and_report,
    fail,
    parse_yaml_value,
    report_files,
    schema_for,
    selection,
)
from masthead.cli.pipeline import run_change
from masthead.core import archive_lock, bulk
from masthead.core.errors import MastheadError
from masthead.core.key_edit import KEY_ACTIONS, KeyEdit
from masthead.core.operations import (
    Edit,
    FieldEdit,
    ListEdit,
    clear_field,
    delete,
    merge,
    rename,
    replace,
    set_field,
)


def _tag_edit(args: argparse.Namespace) -> ListEdit:
    field = None if args.field == "*" else args.field
    if args.action in ("add", "remove"):
        return ListEdit(args.action, (args.field,), tuple(args.values))
    if args.action == "replace":
        return replace(args.field, args.remove or [], args.add or [])
    if args.action == "rename":
        return rename(args.old, args.new, field)
    if args.action == "merge":
        return merge(args.survivor, args.others, field)
    return delete(args.value, field)


def _field_edit(args: argparse.Namespace) -> FieldEdit | KeyEdit | None:
    if args.action in KEY_ACTIONS:
        try:
            target = getattr(args, "into", None) if args.action in ("split", "join") else args.target
            separator = getattr(args, "separator", ",")
            return KeyEdit(args.action, args.field, target, separator, getattr(args, "append", False))
        except ValueError as exc:
            fail(str(exc))
            return None
    if args.action == "clear":
        return clear_field(args.field)
    if not args.yaml:
        return set_field(args.field, args.value)
    try:
        value = parse_yaml_value(args.value)
    except YAMLError as exc:
        fail(f"{args.value!r} is not valid YAML: {exc}")
        return None
    if isinstance(value, (list, dict)):
        fail("field set takes a single value; use 'masthead tag' for lists")
        return None
    return set_field(args.field, value)


def cmd_tag(args: argparse.Namespace) -> int:
    return _run_on_selection(args, _tag_edit(args) if args.command == "tag" else _field_edit(args))


def _run_on_selection(args: argparse.Namespace, edit: Edit | None) -> int:
    """Run ``edit`` (None: already refused) on the files ``--files``/``--query``/``--all`` choose."""
    if edit is None:
        return 2
    root = Path(args.archive)
    if not root.is_dir():
        fail(f"{root}: not a folder")
        return 2
    rels = selection(args, root)
    if rels is None:
        return 2
    return run_change(args, root, rels, edit)


def cmd_replace(args: argparse.Namespace) -> int:
    from masthead.core.text_edit import TextEdit

    names = tuple(f.strip() for f in args.field.split(",") if f.strip())
    try:
        edit = TextEdit(
            None if "*" in names else names, args.pattern, args.replacement, args.regex, args.case, args.transform
        )
    except ValueError as exc:
        fail(str(exc))
        return 2
    return _run_on_selection(args, edit)


def cmd_history(args: argparse.Namespace) -> int:
    root = Path(args.archive)
    for entry in bulk.history(root):
        print(f"{entry['id']}\t{entry['state']}\t{entry['files']} file(s)\t{entry['description']}")
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    root = Path(args.archive)
    entry = choose(root, args.op, ("done", "applying"), "nothing to undo")
    if entry is None:
        return 1
    try:
        report = bulk.undo(Path(entry["_path"]))
    except MastheadError as exc:
        fail(str(exc))
        return 1
    report_files(root, report)
    print(
        f"undid {entry['description']}: {len(report.changed)} restored{_around(report)}, "
        f"{len(report.unchanged)} already old, "
        f"{len(report.skipped)} left alone, {len(report.failed)} failed",
        file=sys.stderr,
    )
    committed = _commit_step(args, root, entry, report, undo=True)
    return 1 if report.failed or committed else 0


def cmd_redo(args: argparse.Namespace) -> int:
    root = Path(args.archive)
    entry = choose(root, args.op, ("undone",), "nothing to redo")
    if entry is None:
        return 1
    if entry["state"] == "done":
        fail(f"{entry['id']} is already done")
        return 1
    try:
        report = bulk.redo(Path(entry["_path"]))
    except MastheadError as exc:
        fail(str(exc))
        return 1
    report_files(root, report)
    print(
        f"redid {entry['description']}: {len(report.changed)} written{_around(report)}, "
        f"{len(report.unchanged)} already new, "
        f"{len(report.skipped)} left alone, {len(report.failed)} failed",
        file=sys.stderr,
    )
    committed = _commit_step(args, root, entry, report, undo=False)
    return 1 if report.failed or committed else 0


def _around(report: bulk.Report) -> str:
    return f" ({len(report.merged)} around later changes)" if report.merged else ""


def _commit_step(args: argparse.Namespace, root: Path, entry: dict[str, Any], report: bulk.Report, undo: bool) -> int:
    """Commit what an undo (or redo) changed, as a new commit: with --commit, or when the operation was a
    publish made with ``commit_on_publish`` (--no-commit: never). 1 if git refused it."""
    from masthead.core.document import Document
    from masthead.core.git_commits import commits_back, journal_edit, message

    settings = schema_for(root / "x.md", set()).git
    edit = journal_edit(entry)
    wanted = args.commit if args.commit is not None else commits_back(settings, edit)
    if not wanted or not report.changed:
        return 0
    titles = {}
    for rel in report.changed:
        try:
            titles[rel] = str(Document((root / rel).read_bytes()).get("title") or "")
        except (OSError, MastheadError):
            titles[rel] = ""
    text = message(settings, edit, report.changed, titles, undo=undo)
    return commit_and_report(root, report.changed, text, settings.push_after_commit, "restored" if undo else "written")


def cmd_recover(args: argparse.Namespace) -> int:
    root = Path(args.archive)
    busy = archive_lock.holder(root)
    if busy is not None:  # its operation is running, not interrupted: never rolled back under it
        fail(archive_lock.busy_message(busy))
        return 1
    pending = bulk.unfinished(root)
    if not pending:
        print("no interrupted operation", file=sys.stderr)
        return 0
    code = 0
    for journal in pending:
        if not (args.complete or args.roll_back):
            try:
                entry = bulk.journal_info(journal)
            except MastheadError as exc:
                fail(str(exc))
                code = 1
                continue
            print(f"{journal.stem}\t{len(entry['files'])} file(s)\t{entry['description']}")
            continue
        try:
            report = bulk.complete(journal) if args.complete else bulk.roll_back(journal)
        except MastheadError as exc:
            fail(str(exc))
            return 1
        report_files(root, report)
        verb = "completed" if args.complete else "rolled back"
        print(
            f"{verb} {journal.stem}: {len(report.changed)} file(s) written, {len(report.unchanged)} already done, "
            f"{len(report.skipped)} left alone, {len(report.failed)} failed",
            file=sys.stderr,
        )
        code = code or (1 if report.failed else 0)
    return code
