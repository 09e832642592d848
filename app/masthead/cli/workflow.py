"""The schema and publishing: ``validate``, ``publish``, ``unpublish``, ``init-schema``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

from masthead.cli.common import check_targets, commit_and_report, common_folder, fail, open_index, schema_for
from masthead.cli.pipeline import run_change
from masthead.core import bulk, storage
from masthead.core.errors import MastheadError
from masthead.core.git_settings import GitSettings
from masthead.core.index import ArchiveIndex
from masthead.core.operations import (
    PublishEdit,
)
from masthead.core.query import QueryError, parse_query
from masthead.core.workflow import (
    SCHEMA_FILE,
    infer_schema,
    load_schema,
    validate,
)


def cmd_validate(args: argparse.Namespace) -> int:
    files = check_targets(args.paths)
    warned: set[str] = set()
    failing = 0
    report = []
    for path in files:
        try:
            doc = storage.load(path)
        except MastheadError as exc:
            report.append({"path": str(path), "problems": [exc.message]})
            failing += 1
            continue
        if doc.error is not None:
            problems = [f"cannot be read: {doc.error.message}"]
        else:
            problems = [str(p) for p in validate(doc.data, schema_for(path, warned))]
        if problems:
            failing += 1
        report.append({"path": str(path), "problems": problems})
    for item in report:
        if args.json:
            print(json.dumps(item, ensure_ascii=False))
        else:
            for problem in item["problems"]:
                print(f"{item['path']}: {problem}")
    print(f"validated {len(files)} file(s): {failing} with problems", file=sys.stderr)
    return 1 if failing else 0


def _publish_targets(args: argparse.Namespace) -> list[Path] | None:
    if args.query is None:
        if not args.files:
            fail("give FILE... or --query Q --archive DIR")
            return None
        return [Path(f) for f in args.files]
    if args.archive is None:
        fail("--query needs --archive DIR")
        return None
    try:
        query = parse_query(args.query, load_schema(Path(args.archive)))
    except QueryError as exc:
        fail(f"bad query: {exc}")
        return None
    index = ArchiveIndex(Path(args.archive)).open()
    index.close()
    return [index.root / r.path for r in index.records.values() if query.matches(r, index.body)]


def cmd_publish(args: argparse.Namespace) -> int:
    targets = _publish_targets(args)
    if targets is None:
        return 2
    warned: set[str] = set()
    for path in targets:
        schema_for(path, warned)  # a broken masthead.yaml is reported once
    root = Path(args.archive) if args.archive else common_folder(targets)
    rels = [t.resolve().relative_to(root.resolve()).as_posix() for t in targets]
    settings = schema_for(root / "x.md", warned).git
    commit = bool(getattr(args, "commit", False)) or settings.commit_on_publish
    return run_change(
        args, root, rels, PublishEdit(args.command, dt.date.today()), _committer(settings) if commit else None
    )


def _committer(settings: GitSettings) -> Callable[[bulk.Plan, bulk.Report], int]:
    """Commit exactly the files a publish changed, as one commit (and push, with push_after_commit)."""

    def commit(plan: bulk.Plan, report: bulk.Report) -> int:
        from masthead.core.document import Document
        from masthead.core.git_commits import message

        changed = set(report.changed)
        titles = {c.rel: str(Document(c.new_head).get("title") or "") for c in plan.changes if c.rel in changed}
        text = message(settings, plan.edit, report.changed, titles)
        return commit_and_report(plan.root, report.changed, text, settings.push_after_commit, "published")

    return commit


def cmd_init_schema(args: argparse.Namespace) -> int:
    root = Path(args.archive)
    target = root / SCHEMA_FILE
    if target.exists() and not args.force:
        fail(f"{target} already exists (use --force to replace it)")
        return 1
    index = open_index(args)
    if index is None:
        return 2
    text = infer_schema(r for r in index.records.values() if r.error is None)
    try:
        if target.exists():
            storage.write_atomic(target, text.encode("utf-8"), storage.read_bytes(target)[1])
        else:
            storage.write_atomic(target, text.encode("utf-8"), None)
    except MastheadError as exc:
        fail(str(exc))
        return 1
    print(f"wrote {target}", file=sys.stderr)
    return 0
