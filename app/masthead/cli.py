"""``masthead``: the command line. The same core as the window, one verb per editing feature."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from masthead import __version__
from masthead.core import bulk, storage
from masthead.core.errors import MastheadError
from masthead.core.fieldinfo import archive_vocabulary, file_state
from masthead.core.index import ArchiveIndex
from masthead.core.operations import (
    FieldEdit,
    ListEdit,
    PublishEdit,
    clear_field,
    delete,
    merge,
    rename,
    replace,
    set_field,
)
from masthead.core.query import QueryError, parse_query
from masthead.core.records import Record
from masthead.core.sample import install_sample
from masthead.core.scan import iter_markdown
from masthead.core.values import Value, to_json
from masthead.core.workflow import (
    SCHEMA_FILE,
    Schema,
    infer_schema,
    load_schema,
    validate,
)
from masthead.qtcheck import missing_qt_libraries

COMMANDS = (
    "get",
    "set",
    "check",
    "index",
    "query",
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
)


def _print_json(value: Any) -> None:
    print(json.dumps(to_json(value), ensure_ascii=False, indent=2))


def _fail(message: str) -> None:
    print(f"masthead: {message}", file=sys.stderr)


def parse_yaml_value(text: str) -> Value:
    """A ``--set`` value, read as YAML 1.2 (``false`` is a boolean, ``'no'`` and ``no`` are strings)."""
    loaded = YAML(typ="safe", pure=True).load(text)
    return loaded


def _assignment(text: str, as_yaml: bool) -> tuple[str, Value]:
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    if not as_yaml:
        return key.strip(), raw
    try:
        return key.strip(), parse_yaml_value(raw)
    except YAMLError as exc:
        raise argparse.ArgumentTypeError(f"the value of {key.strip()!r} is not valid YAML: {exc}") from None


def cmd_get(args: argparse.Namespace) -> int:
    try:
        doc = storage.load(args.file)
    except MastheadError as exc:
        _fail(str(exc))
        return 1
    if doc.error is not None:
        _fail(str(doc.error))
        return 1
    data = doc.data
    if args.key is None:
        _print_json(data)
        return 0
    if args.key not in data:
        _fail(f"{args.file}: no key {args.key!r} in the front matter")
        return 1
    value = data[args.key]
    if isinstance(value, str) and not args.json:
        print(value)
    else:
        _print_json(value)
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    edits: list[tuple[str, Value]] = list(args.set or []) + list(args.set_str or [])
    if not edits and not args.delete:
        _fail("nothing to do: give --set KEY=VALUE, --set-str KEY=TEXT or --delete KEY")
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
                changed += 1
                if not args.dry_run:
                    storage.save(doc)
        except (MastheadError, ValueError) as exc:
            failed += 1
            _fail(str(exc) if isinstance(exc, MastheadError) else f"{name}: {exc}")
    verb = "would change" if args.dry_run else "changed"
    print(f"{verb} {changed} of {len(args.files)} file(s); {failed} failed", file=sys.stderr)
    return 1 if failed else 0


def _check_targets(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        files.extend(iter_markdown(path) if path.is_dir() else [path])
    return files


def cmd_check(args: argparse.Namespace) -> int:
    problems = 0
    files = _check_targets(args.paths)
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


class _ProgressBar:
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


def _open_index(args: argparse.Namespace) -> ArchiveIndex | None:
    root = Path(args.archive)
    if not root.is_dir():
        _fail(f"{root}: not a folder")
        return None
    bar = _ProgressBar()
    started = time.perf_counter()
    index = ArchiveIndex(root, use_cache=not args.no_cache)
    try:
        index.open(progress=bar)
    finally:
        bar.close()
        index.close()
    stats = index.stats
    errors = sum(1 for r in index.records.values() if r.error)
    print(
        f"{stats.total:,} files in {time.perf_counter() - started:.2f} s "
        f"({stats.from_cache:,} from cache, {stats.parsed:,} read); {errors:,} with errors",
        file=sys.stderr,
    )
    return index


def _print_record(record: Record, schema: Schema | None = None) -> None:
    if record.error:
        line = f":{record.error_line}" if record.error_line else ""
        print(f"{record.path}{line}: error: {record.error}")
        return
    date = record.date.isoformat() if record.date else "-"
    state = file_state(record, schema).value
    print(f"{record.path}\t{date}\t{state}\t{record.title}")


def _records_sorted(index: ArchiveIndex) -> list[Record]:
    return [index.records[k] for k in sorted(index.records)]


def cmd_index(args: argparse.Namespace) -> int:
    index = _open_index(args)
    if index is None:
        return 2
    schema = load_schema(index.root)
    for record in _records_sorted(index):
        if args.json:
            print(json.dumps(record.to_json(), ensure_ascii=False))
        else:
            _print_record(record, schema)
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    schema = load_schema(Path(args.archive))
    try:
        query = parse_query(args.query, schema)
    except QueryError as exc:
        _fail(f"bad query: {exc}")
        print(f"  {args.query}\n  {' ' * exc.position}{'^' * exc.length}", file=sys.stderr)
        return 2
    index = _open_index(args)
    if index is None:
        return 2
    hits = [r for r in _records_sorted(index) if query.matches(r, index.body)]
    for record in hits:
        if args.json:
            print(json.dumps(record.to_json(), ensure_ascii=False))
        else:
            _print_record(record, schema)
    print(f"{len(hits):,} of {len(index.records):,} files match", file=sys.stderr)
    return 0


def cmd_vocab(args: argparse.Namespace) -> int:
    index = _open_index(args)
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


def run_window(argv: list[str]) -> int:
    """``masthead [ARCHIVE] [--sample] [--smoke-test]``: the window, on ARCHIVE, the sample archive (copied
    to a user folder first), or the last archive opened (the sample on the very first run).
    ``--smoke-test`` quits once the archive is loaded (for packaging checks)."""
    smoke = "--smoke-test" in argv
    use_sample = "--sample" in argv
    argv = [a for a in argv if a not in ("--smoke-test", "--sample")]
    missing = missing_qt_libraries()
    if missing:
        _fail(missing)
        return 3
    if use_sample:
        if argv:
            _fail("--sample opens the sample archive: give no ARCHIVE with it")
            return 2
        try:
            argv = [str(install_sample())]
        except OSError as exc:
            _fail(f"could not copy the sample archive: {exc}")
            return 1
    if len(argv) > 1:
        _fail(f"unknown command {argv[0]!r}; commands: {', '.join(COMMANDS)} (see masthead --help)")
        return 2
    archive = Path(argv[0]) if argv else None
    if archive is not None and not archive.is_dir():
        _fail(f"{archive}: not a folder, and not a command ({', '.join(COMMANDS)}); see masthead --help")
        return 2
    from masthead.ui.app import run

    return run(archive, smoke_test=smoke)


def _schema_for(path: Path, warned: set[str]) -> Schema:
    schema = load_schema(path)
    if schema.warning and schema.warning not in warned:
        warned.add(schema.warning)
        print(f"masthead: warning: {schema.warning}", file=sys.stderr)
    return schema


def cmd_validate(args: argparse.Namespace) -> int:
    files = _check_targets(args.paths)
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
            problems = [str(p) for p in validate(doc.data, _schema_for(path, warned))]
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
            _fail("give FILE... or --query Q --archive DIR")
            return None
        return [Path(f) for f in args.files]
    if args.archive is None:
        _fail("--query needs --archive DIR")
        return None
    try:
        query = parse_query(args.query, load_schema(Path(args.archive)))
    except QueryError as exc:
        _fail(f"bad query: {exc}")
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
        _schema_for(path, warned)  # a broken masthead.yaml is reported once
    root = Path(args.archive) if args.archive else _common_folder(targets)
    rels = [t.resolve().relative_to(root.resolve()).as_posix() for t in targets]
    edit = PublishEdit(args.command, dt.date.today())
    plan = bulk.plan(root, rels, edit)
    if args.diff:
        for change in plan.changes:
            sys.stdout.write(change.diff)
    for rel, reason in plan.skipped:
        _fail(f"{root / rel}: not {args.command}ed: {reason}")
    failed: list[tuple[str, str]] = []
    changed = len(plan.changes)
    journal = ""
    if not args.dry_run and plan.changes:
        problems = bulk.preflight(plan)
        if problems:
            for rel, reason in problems:
                _fail(f"{root / rel}: {reason}")
            _fail("nothing was written")
            return 1
        report = bulk.apply(plan)
        failed = report.failed + [s for s in report.skipped if s not in plan.skipped]
        for rel, reason in failed:
            _fail(f"{root / rel}: {reason}")
        changed = len(report.changed)
        journal = f"; undo with: masthead undo {root} {report.journal.stem}" if report.journal else ""
    verb = ("would " if args.dry_run else "") + args.command
    print(
        f"{verb}: {changed} changed, {len(plan.skipped)} blocked, {len(failed)} failed "
        f"of {len(targets)} file(s){journal}",
        file=sys.stderr,
    )
    return 1 if failed or plan.skipped else 0


def _common_folder(paths: list[Path]) -> Path:
    """The deepest folder holding every one of ``paths`` (where their journal goes)."""
    return Path(os.path.commonpath([str(p.resolve().parent) for p in paths]))


def cmd_init_schema(args: argparse.Namespace) -> int:
    root = Path(args.archive)
    target = root / SCHEMA_FILE
    if target.exists() and not args.force:
        _fail(f"{target} already exists (use --force to replace it)")
        return 1
    index = _open_index(args)
    if index is None:
        return 2
    text = infer_schema(r for r in index.records.values() if r.error is None)
    try:
        if target.exists():
            storage.write_atomic(target, text.encode("utf-8"), storage.read_bytes(target)[1])
        else:
            storage.write_atomic(target, text.encode("utf-8"), None)
    except MastheadError as exc:
        _fail(str(exc))
        return 1
    print(f"wrote {target}", file=sys.stderr)
    return 0


def _selection(args: argparse.Namespace, root: Path) -> list[str] | None:
    """The files a change command works on: --files, --query or --all (one is required)."""
    chosen = [bool(args.files), args.query is not None, args.all]
    if sum(chosen) != 1:
        _fail("choose the files: exactly one of --files F..., --query Q or --all")
        return None
    if args.files:
        rels = []
        for name in args.files:
            path = Path(name)
            full = path if path.is_absolute() else (root / path if (root / path).exists() else Path.cwd() / path)
            try:
                rels.append(full.resolve().relative_to(root.resolve()).as_posix())
            except ValueError:
                _fail(f"{name}: not inside the archive {root}")
                return None
        return rels
    index = ArchiveIndex(root).open()
    index.close()
    if args.all:
        return sorted(index.records)
    try:
        query = parse_query(args.query, load_schema(root))
    except QueryError as exc:
        _fail(f"bad query: {exc}")
        return None
    return sorted(r.path for r in index.records.values() if query.matches(r, index.body))


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


def _field_edit(args: argparse.Namespace) -> FieldEdit | None:
    if args.action == "clear":
        return clear_field(args.field)
    if not args.yaml:
        return set_field(args.field, args.value)
    try:
        value = parse_yaml_value(args.value)
    except YAMLError as exc:
        _fail(f"{args.value!r} is not valid YAML: {exc}")
        return None
    if isinstance(value, (list, dict)):
        _fail("field set takes a single value; use 'masthead tag' for lists")
        return None
    return set_field(args.field, value)


def _warn_unfinished(root: Path) -> None:
    for journal in bulk.unfinished(root):
        _fail(
            f"warning: an operation was interrupted ({journal.stem}); finish it with "
            f"'masthead recover {root} --complete' or roll it back with 'masthead recover {root} --roll-back'"
        )


def cmd_tag(args: argparse.Namespace) -> int:
    edit = _tag_edit(args) if args.command == "tag" else _field_edit(args)
    if edit is None:
        return 2
    root = Path(args.archive)
    if not root.is_dir():
        _fail(f"{root}: not a folder")
        return 2
    _warn_unfinished(root)
    rels = _selection(args, root)
    if rels is None:
        return 2
    plan = bulk.plan(root, rels, edit)
    if args.diff:
        for change in plan.changes:
            sys.stdout.write(change.diff)
    for rel, reason in plan.skipped:
        _fail(f"{root / rel}: skipped: {reason}")
    problems = bulk.preflight(plan)
    if problems:
        for rel, reason in problems:
            _fail(f"{root / rel}: {reason}")
        _fail("nothing was written")
        return 1
    if args.dry_run:
        print(f"would change {len(plan.changes)} of {len(rels)} file(s): {plan.description}", file=sys.stderr)
        return 0
    report = bulk.apply(plan)
    for rel, reason in report.failed + [s for s in report.skipped if s not in plan.skipped]:
        _fail(f"{root / rel}: {reason}")
    op = f"; undo with: masthead undo {root} {report.journal.stem}" if report.journal else ""
    print(
        f"{plan.description}: {len(report.changed)} changed, {len(report.unchanged)} unchanged, "
        f"{len(report.skipped)} skipped, {len(report.failed)} failed{op}",
        file=sys.stderr,
    )
    return 1 if report.failed else 0


def cmd_history(args: argparse.Namespace) -> int:
    root = Path(args.archive)
    for entry in bulk.history(root):
        print(f"{entry['id']}\t{entry['state']}\t{entry['files']} file(s)\t{entry['description']}")
    return 0


def _report_files(root: Path, report: bulk.Report) -> None:
    for rel, reason in report.skipped + report.failed:
        _fail(f"{root / rel}: {reason}")


def _choose(root: Path, op: str | None, states: tuple[str, ...], nothing: str) -> dict[str, Any] | None:
    entries = bulk.history(root)
    chosen = [e for e in entries if e["id"] == op] if op else [e for e in entries if e["state"] in states][:1]
    if not chosen:
        _fail(nothing if not op else f"no operation {op!r} (see masthead history)")
        return None
    return chosen[0]


def cmd_undo(args: argparse.Namespace) -> int:
    root = Path(args.archive)
    entry = _choose(root, args.op, ("done", "applying"), "nothing to undo")
    if entry is None:
        return 1
    report = bulk.undo(Path(entry["_path"]))
    _report_files(root, report)
    print(
        f"undid {entry['description']}: {len(report.changed)} restored, {len(report.unchanged)} already old, "
        f"{len(report.skipped)} left alone, {len(report.failed)} failed",
        file=sys.stderr,
    )
    return 1 if report.failed else 0


def cmd_redo(args: argparse.Namespace) -> int:
    root = Path(args.archive)
    entry = _choose(root, args.op, ("undone",), "nothing to redo")
    if entry is None:
        return 1
    if entry["state"] == "done":
        _fail(f"{entry['id']} is already done")
        return 1
    try:
        report = bulk.redo(Path(entry["_path"]))
    except MastheadError as exc:
        _fail(str(exc))
        return 1
    _report_files(root, report)
    print(
        f"redid {entry['description']}: {len(report.changed)} written, {len(report.unchanged)} already new, "
        f"{len(report.skipped)} left alone, {len(report.failed)} failed",
        file=sys.stderr,
    )
    return 1 if report.failed else 0


def cmd_recover(args: argparse.Namespace) -> int:
    root = Path(args.archive)
    pending = bulk.unfinished(root)
    if not pending:
        print("no interrupted operation", file=sys.stderr)
        return 0
    code = 0
    for journal in pending:
        if not (args.complete or args.roll_back):
            entry = json.loads(journal.read_text(encoding="utf-8"))
            print(f"{journal.stem}\t{len(entry['files'])} file(s)\t{entry['description']}")
            continue
        try:
            report = bulk.complete(journal) if args.complete else bulk.roll_back(journal)
        except MastheadError as exc:
            _fail(str(exc))
            return 1
        _report_files(root, report)
        verb = "completed" if args.complete else "rolled back"
        print(
            f"{verb} {journal.stem}: {len(report.changed)} file(s) written, {len(report.unchanged)} already done, "
            f"{len(report.skipped)} left alone, {len(report.failed)} failed",
            file=sys.stderr,
        )
        code = code or (1 if report.failed else 0)
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="masthead",
        usage="masthead [ARCHIVE | --sample] | masthead COMMAND ...",
        description="Edit the YAML front matter of a Markdown archive without damaging a byte. "
        "Without a command, opens the window on ARCHIVE (or the last archive opened); --sample copies the "
        "sample archive to your Documents folder (once) and opens it.",
    )
    parser.add_argument("--version", action="version", version=f"masthead {__version__}")
    parser.add_argument("--sample", action="store_true", help="open the sample archive (copied to Documents once)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", prog="masthead")

    get = sub.add_parser(
        "get",
        help="print a file's front matter as JSON",
        description=(
            "Print the front matter of FILE as JSON (dates as ISO 8601 strings), or the value of one key: "
            "a string as plain text, anything else as JSON."
        ),
    )
    get.add_argument("file", metavar="FILE")
    get.add_argument("--key", metavar="KEY", help="print only this key's value")
    get.add_argument("--json", action="store_true", help="print the --key value as JSON even if it is text")
    get.set_defaults(func=cmd_get)

    st = sub.add_parser(
        "set",
        help="set or delete front-matter keys in files",
        description=(
            "Set or delete keys in each FILE, changing only those keys' lines. VALUE is read as YAML: "
            "--set draft=false (a boolean), --set 'tags=[a, b]' (a list), --set \"title='no'\" (a string). "
            "--set-str takes the text as it is. A file that fails is reported and left untouched; the others "
            "are still written. Exit status 1 if any file failed."
        ),
    )
    st.add_argument("files", nargs="+", metavar="FILE")
    st.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        type=lambda t: _assignment(t, as_yaml=True),
        help="set KEY to VALUE read as YAML",
    )
    st.add_argument(
        "--set-str",
        action="append",
        metavar="KEY=TEXT",
        type=lambda t: _assignment(t, as_yaml=False),
        help="set KEY to TEXT, always a string",
    )
    st.add_argument("--delete", action="append", metavar="KEY", help="remove KEY")
    st.add_argument("--diff", action="store_true", help="print a unified diff of each file")
    st.add_argument("--dry-run", action="store_true", help="change nothing on disk")
    st.set_defaults(func=cmd_set)

    ck = sub.add_parser(
        "check",
        help="report every file whose front matter cannot be read or edited",
        description="Parse each FILE, and every Markdown file under each FOLDER; print one "
        "line per problem (path:line: message). Exit status 1 if there is any problem.",
    )
    ck.add_argument("paths", nargs="+", metavar="FILE|FOLDER")
    ck.set_defaults(func=cmd_check)

    def archive_command(name: str, help_text: str, description: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text, description=description)
        cmd.add_argument("archive", metavar="ARCHIVE", help="the archive folder")
        cmd.add_argument("--no-cache", action="store_true", help="read every file (the cache is not used)")
        return cmd

    ix = archive_command(
        "index",
        "list every file of an archive with its front matter",
        (
            "Index ARCHIVE (every .md / .markdown file below it, hidden folders skipped) and print one line per "
            "file: path, date, draft/published, title; or, with --json, one JSON record per line. Files that "
            "cannot be parsed are listed with their error. Reopening an unchanged archive uses the cache."
        ),
    )
    ix.add_argument("--json", action="store_true", help="JSON lines, one record per file")
    ix.set_defaults(func=cmd_index)

    qy = archive_command(
        "query",
        "list the files matching a query",
        (
            "Print the files of ARCHIVE that match QUERY, e.g. 'tag:ai-ml -tag:draft-only draft:true "
            'people:"Elon Musk" date>=2025-01 free text\'. See the README for the query language.'
        ),
    )
    qy.add_argument("query", metavar="QUERY")
    qy.add_argument("--json", action="store_true", help="JSON lines, one record per file (as index)")
    qy.set_defaults(func=cmd_query)

    vc = archive_command(
        "vocab",
        "values of the list fields with counts, and near-duplicates",
        (
            "Print every value of every list field (tags, project, people, companies_orgs, products_models, "
            "media_books, any other list of strings) and of category, area, status, layout and speaker, with "
            "the number of files using it; then the groups of near-duplicate values (case, spacing, hyphens, "
            "full-width characters)."
        ),
    )
    vc.add_argument("--field", metavar="F", help="only this field")
    vc.add_argument("--json", action="store_true", help="JSON output")
    vc.set_defaults(func=cmd_vocab)

    va = sub.add_parser(
        "validate",
        help="report what keeps files from being published",
        description=(
            "Check each FILE, and every Markdown file under each FOLDER, against the archive's masthead.yaml (or the "
            "built-in transcript profile: title, date, source, summary, category and at least one tag). One line per "
            "problem, or JSON lines with --json. Exit status 1 if any file has a problem."
        ),
    )
    va.add_argument("paths", nargs="+", metavar="ARCHIVE|FILE")
    va.add_argument("--json", action="store_true", help="one JSON object per file")
    va.set_defaults(func=cmd_validate)
    for name, text in (("publish", "publish drafts that validate"), ("unpublish", "turn files back into drafts")):
        pb = sub.add_parser(
            name,
            help=text,
            description=(
                f"{text[0].upper()}{text[1:]}: apply the {name} rules of masthead.yaml (by default draft: false, or "
                "draft: true to unpublish), changing only those keys. Files that do not validate are reported and left "
                "alone. Exit status 1 if any file was blocked or failed."
            ),
        )
        pb.add_argument("files", nargs="*", metavar="FILE")
        pb.add_argument("--query", metavar="Q", help="the files of --archive matching this query")
        pb.add_argument("--archive", metavar="DIR", help="the archive, for --query")
        pb.add_argument("--diff", action="store_true", help="print a unified diff of each file")
        pb.add_argument("--dry-run", action="store_true", help="change nothing on disk")
        pb.set_defaults(func=cmd_publish)

    ini = archive_command(
        "init-schema",
        "write a starting masthead.yaml inferred from the archive",
        (
            "Write ARCHIVE/masthead.yaml describing every key the archive's files use (its kind, inferred from the "
            "values), the values of choice-like fields, the fields required to publish and the default publish rules."
        ),
    )
    ini.add_argument("--force", action="store_true", help="replace an existing masthead.yaml")
    ini.set_defaults(func=cmd_init_schema)

    tag = sub.add_parser(
        "tag",
        help="add, remove, rename, merge or delete list values across files",
        description=(
            "Change a list field (tags, people, ...) in many files as one operation: planned and checked first, "
            "journaled, undoable with 'masthead undo'. FIELD '*' means every list field (rename, merge, delete)."
        ),
    )
    tag_sub = tag.add_subparsers(dest="action", metavar="ACTION", required=True)

    def tag_command(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = tag_sub.add_parser(name, help=help_text, description=help_text)
        cmd.add_argument("archive", metavar="ARCHIVE")
        cmd.add_argument("field", metavar="FIELD")
        return cmd

    def selection(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--files", nargs="+", metavar="F", help="these files")
        cmd.add_argument("--query", metavar="Q", help="the files matching this query")
        cmd.add_argument("--all", action="store_true", help="every file of the archive")
        cmd.add_argument("--dry-run", action="store_true", help="change nothing on disk")
        cmd.add_argument("--diff", action="store_true", help="print a unified diff of each file")
        cmd.set_defaults(func=cmd_tag)

    for name, text in (("add", "add values to a list field"), ("remove", "remove values from a list field")):
        cmd = tag_command(name, text)
        cmd.add_argument("values", nargs="+", metavar="VALUE")
        selection(cmd)
    cmd = tag_command(
        "replace",
        "remove some values and add others in one step (the added ones take the first removed one's place)",
    )
    cmd.add_argument("--remove", nargs="+", metavar="VALUE", default=[], help="values to remove")
    cmd.add_argument("--add", nargs="+", metavar="VALUE", default=[], help="values to add")
    selection(cmd)
    cmd = tag_command("rename", "rename a value")
    cmd.add_argument("old", metavar="OLD")
    cmd.add_argument("new", metavar="NEW")
    selection(cmd)
    cmd = tag_command("merge", "merge values into one (the survivor keeps the first position)")
    cmd.add_argument("survivor", metavar="SURVIVOR")
    cmd.add_argument("others", nargs="+", metavar="OTHER")
    selection(cmd)
    cmd = tag_command("delete", "delete a value")
    cmd.add_argument("value", metavar="VALUE")
    selection(cmd)

    fld = sub.add_parser(
        "field",
        help="set or clear a single-value field (category, status, series...) across files",
        description=(
            "Set or clear a single-value field in many files as one operation: planned and checked first, journaled, "
            "undoable with 'masthead undo'. Clearing removes the key. Files where the field holds a list are skipped."
        ),
    )
    fld_sub = fld.add_subparsers(dest="action", metavar="ACTION", required=True)
    cmd = fld_sub.add_parser(
        "set", help="set FIELD to VALUE", description="Set FIELD to VALUE (text, or YAML with --yaml)."
    )
    cmd.add_argument("archive", metavar="ARCHIVE")
    cmd.add_argument("field", metavar="FIELD")
    cmd.add_argument("value", metavar="VALUE")
    cmd.add_argument("--yaml", action="store_true", help="read VALUE as YAML (false, 3, 2025-01-02)")
    selection(cmd)
    cmd = fld_sub.add_parser("clear", help="remove FIELD", description="Remove FIELD from the files.")
    cmd.add_argument("archive", metavar="ARCHIVE")
    cmd.add_argument("field", metavar="FIELD")
    selection(cmd)

    def journal_command(name: str, help_text: str, description: str, with_op: bool) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text, description=description)
        cmd.add_argument("archive", metavar="ARCHIVE")
        if with_op:
            cmd.add_argument("op", nargs="?", metavar="OP")
        return cmd

    journal_command(
        "history",
        "the operations that can be undone",
        "List the archive's bulk operations, newest first: id, state (done, undone, or applying when it was "
        "interrupted), files and what it did.",
        with_op=False,
    ).set_defaults(func=cmd_history)
    journal_command(
        "undo",
        "undo a bulk operation",
        "Restore the old bytes of every file that still has the bytes the operation wrote (the newest operation, "
        "or OP); files changed since are left alone and reported. An interrupted operation is rolled back.",
        with_op=True,
    ).set_defaults(func=cmd_undo)
    journal_command(
        "redo",
        "redo an undone bulk operation",
        "Write the operation again (the newest undone one, or OP) on every file that still has the bytes it had "
        "before; files changed since are left alone and reported.",
        with_op=True,
    ).set_defaults(func=cmd_redo)
    rec = journal_command(
        "recover",
        "complete or roll back an interrupted bulk operation",
        "List the archive's interrupted operations (a crash or a kill during a bulk change); with --complete, "
        "write the files they had not written yet; with --roll-back, restore the ones they had.",
        with_op=False,
    )
    how = rec.add_mutually_exclusive_group()
    how.add_argument("--complete", action="store_true", help="finish the operation")
    how.add_argument("--roll-back", action="store_true", help="undo what it had written")
    rec.set_defaults(func=cmd_recover)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--index-worker"]:  # a packaged app starting its own index worker (see index_worker)
        from masthead.core.index_worker import lower_priority, serve

        lower_priority()
        serve(sys.stdin.buffer, sys.stdout.buffer)
        return 0
    window_flags = ("--sample", "--smoke-test")
    if not argv or (argv[0] not in COMMANDS and (not argv[0].startswith("-") or argv[0] in window_flags)):
        return run_window(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `masthead index A | head`: the reader left; that is not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return result


if __name__ == "__main__":
    sys.exit(main())
