"""One file at a time: ``get``, ``set``, ``check``."""

from __future__ import annotations

import argparse
import sys

from masthead.cli.common import check_targets, fail, print_json
from masthead.core import storage
from masthead.core.errors import MastheadError
from masthead.core.values import Value


def cmd_get(args: argparse.Namespace) -> int:
    try:
        doc = storage.load(args.file)
    except MastheadError as exc:
        fail(str(exc))
        return 1
    if doc.error is not None:
        fail(str(doc.error))
        return 1
    data = doc.data
    if args.key is None:
        print_json(data)
        return 0
    if args.key not in data:
        fail(f"{args.file}: no key {args.key!r} in the front matter")
        return 1
    value = data[args.key]
    if isinstance(value, str) and not args.json:
        print(value)
    else:
        print_json(value)
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    edits: list[tuple[str, Value]] = list(args.set or []) + list(args.set_str or [])
    if not edits and not args.delete:
        fail("nothing to do: give --set KEY=VALUE, --set-str KEY=TEXT or --delete KEY")
        return 2
    failed = changed = 0
    for name in args.files:
        try:
            doc = storage.load(name)
            for key, value in edits:
                doc.set(key, value)
            for key in args.delete or []:
                doc.delete(key)
            if args.diff:
                sys.stdout.write(doc.diff())
            if doc.to_bytes() != doc.raw:
                if not args.dry_run:
                    storage.save(doc)
                changed += 1  # counted once written (a refused save is a failure, not a change)
        except (MastheadError, ValueError) as exc:
            failed += 1
            fail(str(exc) if isinstance(exc, MastheadError) else f"{name}: {exc}")
    verb = "would change" if args.dry_run else "changed"
    print(f"{verb} {changed} of {len(args.files)} file(s); {failed} failed", file=sys.stderr)
    return 1 if failed else 0


def cmd_check(args: argparse.Namespace) -> int:
    problems = 0
    files = check_targets(args.paths)
    for path in files:
        try:
            doc = storage.load(path)
        except MastheadError as exc:
            problems += 1
            print(str(exc))
            continue
        if doc.error is not None:
            problems += 1
            print(str(doc.error))
    print(f"checked {len(files)} file(s): {problems} with problems", file=sys.stderr)
    return 1 if problems else 0
