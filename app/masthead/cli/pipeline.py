"""The command line's side of a bulk change (``tag``, ``field``, ``publish``, ``unpublish``): one function, so
that every change command warns, previews, reports and exits the same way."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

from masthead.cli.common import fail, warn_unfinished
from masthead.core import archive_lock, bulk
from masthead.core.errors import MastheadError
from masthead.core.operations import Edit


def run_change(
    args: argparse.Namespace,
    root: Path,
    rels: list[str],
    edit: Edit,
    then: Callable[[bulk.Plan, bulk.Report], int] | None = None,
) -> int:
    """Plan ``edit`` on ``rels``, show the diffs (``--diff``), write what can be written (``bulk.run``; nothing
    with ``--dry-run``) and report every file that was not changed. Exit status: 0 when every file was
    changed or already as asked, 1 when any was skipped or failed (each is named), 2 for bad arguments."""
    warn_unfinished(root)
    dry_run = bool(getattr(args, "dry_run", False))
    try:
        # held from the plan to the last write: an undo or another command cannot change files in between
        with contextlib.nullcontext() if dry_run else archive_lock.hold(root, f"planning {edit.describe()}"):
            plan = bulk.plan(root, rels, edit)
            if getattr(args, "diff", False):
                for change in plan.changes:
                    sys.stdout.write(change.diff)
            report = bulk.run(plan, dry_run=dry_run)
    except MastheadError as exc:  # the archive is busy, the journal could not be written: nothing changed
        fail(str(exc))
        return 1
    refused = f"not {args.command}ed" if args.command in ("publish", "unpublish") else "not changed"
    for rel, reason in report.skipped + report.failed:
        fail(f"{root / rel}: {refused}: {reason}")
    undo = f"; undo with: masthead undo {root} {report.journal.stem}" if report.journal else ""
    counts = f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped, {len(report.failed)} failed"
    if report.dry_run:
        summary = f"would change {len(report.changed)} of {len(rels)} file(s) ({counts})"
    else:
        summary = f"{len(report.changed)} changed, {counts} of {len(rels)} file(s){undo}"
    print(f"{plan.description}: {summary}", file=sys.stderr)
    if report.warning:
        fail(report.warning)
    after = then(plan, report) if then is not None and not report.dry_run and report.changed else 0
    return after or (0 if report.complete else 1)
