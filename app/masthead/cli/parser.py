"""The argument parser: every command, its options and help."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Sequence

from masthead import __version__
from masthead.cli.common import assignment
from masthead.core.text_edit import TRANSFORMS


def _command(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    """A command's function, imported when it runs: ``masthead index`` loads no editing or bulk code."""

    def run(args: argparse.Namespace) -> int:
        func: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(f"masthead.cli.{module}"), name)
        return func(args)

    return run


cmd_index, cmd_query = _command("archive", "cmd_index"), _command("archive", "cmd_query")
cmd_search, cmd_vocab = _command("archive", "cmd_search"), _command("archive", "cmd_vocab")
cmd_history, cmd_recover = _command("changes", "cmd_history"), _command("changes", "cmd_recover")
cmd_redo, cmd_tag, cmd_undo = (
    _command("changes", "cmd_redo"),
    _command("changes", "cmd_tag"),
    _command("changes", "cmd_undo"),
)
cmd_check, cmd_get, cmd_set = _command("files", "cmd_check"), _command("files", "cmd_get"), _command("files", "cmd_set")
cmd_init_schema, cmd_publish = _command("workflow", "cmd_init_schema"), _command("workflow", "cmd_publish")
cmd_validate = _command("workflow", "cmd_validate")
cmd_git_status, cmd_git_setup = _command("gitcmd", "cmd_git_status"), _command("gitcmd", "cmd_git_setup")
cmd_commit, cmd_merge_file = _command("gitcmd", "cmd_commit"), _command("gitcmd", "cmd_merge_file")
cmd_pull, cmd_push = _command("gitcmd", "cmd_pull"), _command("gitcmd", "cmd_push")
cmd_resolve = _command("gitcmd", "cmd_resolve")
cmd_replace = _command("changes", "cmd_replace")
cmd_view, cmd_export = _command("tables", "cmd_view"), _command("tables", "cmd_export")
cmd_import_csv = _command("tables", "cmd_import_csv")


class _Parser(argparse.ArgumentParser):
    """An argument parser for which a positional given after an option is still that positional: argparse
    fills an optional one (``QUERY``, ``FILE...``) at the first option, with what came before it, so ``masthead
    query A --json Q`` failed with "unrecognized arguments: Q". Its subcommands' parsers are of this class too."""

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        namespace = parsed or argparse.Namespace()  # (never None: typeshed's overloads cannot tell)
        for action in self._actions:
            late = [a for a in extras if not a.startswith("-")]
            if action.option_strings or action.nargs not in ("?", "*") or not late:
                continue
            given = getattr(namespace, action.dest, None)
            if action.nargs == "*":  # FILE... on both sides of an option: all of them
                setattr(namespace, action.dest, [*(given or []), *late])
            elif given is None or given == action.default:  # (a second QUERY stays unrecognized)
                setattr(namespace, action.dest, late[0])
                late = late[:1]
            else:
                continue
            for value in late:
                extras.remove(value)
        return namespace, extras


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
        type=lambda t: assignment(t, as_yaml=True),
        help="set KEY to VALUE read as YAML",
    )
    st.add_argument(
        "--set-str",
        action="append",
        metavar="KEY=TEXT",
        type=lambda t: assignment(t, as_yaml=False),
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
    qy.add_argument("query", metavar="QUERY", nargs="?")
    qy.add_argument("--view", metavar="NAME", help="a saved view: its query (and QUERY too), sort and columns")
    qy.add_argument("--json", action="store_true", help="JSON lines, one record per file (as index)")
    qy.set_defaults(func=cmd_query)

    se = archive_command(
        "search",
        "find text in the transcripts (full-text index)",
        (
            "Print path, title and the words around the first match of every file whose transcript contains "
            "TEXT, a word or a phrase (quotes around it are not searched for), ignoring case and full-width or "
            "half-width forms; Chinese and English alike. The full-text index lives beside the index "
            "cache and is brought up to date first: only changed files are read again."
        ),
    )
    se.add_argument("text", metavar="TEXT")
    se.add_argument("--limit", type=int, metavar="N", help="at most N files")
    se.add_argument("--json", action="store_true", help="JSON lines: path, title, before, match, after")
    se.set_defaults(func=cmd_search)

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
        pb.add_argument(
            "--commit",
            action="store_true",
            help="commit exactly the files changed, as one commit (message from masthead.yaml's git: templates)",
        )
        pb.set_defaults(func=cmd_publish)

    _git_commands(sub)

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
        help="set, clear, copy, move, rename, split or join fields across files",
        description=(
            "Set or clear a single-value field, copy or move a field into another, rename a key, split a text into "
            "a list or join a list into a text, in many files as one operation: planned and checked first, "
            "journaled, undoable with 'masthead undo'. Clearing removes the key. A file the edit cannot apply to "
            "(set where the field holds a list, rename where the new key exists) is skipped and named."
        ),
    )
    fld_sub = fld.add_subparsers(dest="action", metavar="ACTION", required=True)

    def field_command(name: str, help_text: str, description: str | None = None) -> argparse.ArgumentParser:
        cmd = fld_sub.add_parser(name, help=help_text, description=description or help_text)
        cmd.add_argument("archive", metavar="ARCHIVE")
        cmd.add_argument("field", metavar="FIELD")
        return cmd

    cmd = field_command("set", "set FIELD to VALUE", "Set FIELD to VALUE (text, or YAML with --yaml).")
    cmd.add_argument("value", metavar="VALUE")
    cmd.add_argument("--yaml", action="store_true", help="read VALUE as YAML (false, 3, 2025-01-02)")
    selection(cmd)
    selection(field_command("clear", "remove FIELD", "Remove FIELD from the files."))
    for name, text in (
        ("copy", "copy FIELD's value into TARGET (replacing it, or --append to TARGET's list)"),
        ("move", "move FIELD's value into TARGET (replacing it, or --append to TARGET's list); FIELD is removed"),
    ):
        cmd = field_command(name, text, text[:1].upper() + text[1:] + ".")
        cmd.add_argument("target", metavar="TARGET")
        cmd.add_argument("--append", action="store_true", help="add to TARGET's list instead of replacing it")
        selection(cmd)
    cmd = field_command(
        "rename",
        "rename the key FIELD to NEW, where it stands",
        "Rename the key FIELD to NEW: only the key's text changes; its value, comments and position "
        "stay byte for byte. A file that already has NEW is skipped.",
    )
    cmd.add_argument("target", metavar="NEW")
    selection(cmd)
    cmd = field_command(
        "split",
        "split FIELD's text into a list at a separator",
        "Split FIELD's text at SEP (default ',') into a list, each part trimmed, empty parts and repeats "
        "dropped; written to FIELD, or to --into TARGET (FIELD is kept). A value that is already a list is left alone.",
    )
    cmd.add_argument("--separator", "-s", metavar="SEP", default=",", help="where to cut (default ',')")
    cmd.add_argument("--into", metavar="TARGET", help="write the list to TARGET")
    cmd.add_argument("--append", action="store_true", help="add to TARGET's list instead of replacing it")
    selection(cmd)
    cmd = field_command(
        "join",
        "join FIELD's list into one text value",
        "Join the items of FIELD's list with SEP (default ', ') into one text value; written to FIELD, "
        "or to --into TARGET (FIELD is kept).",
    )
    cmd.add_argument("--separator", "-s", metavar="SEP", default=", ", help="put between items (default ', ')")
    cmd.add_argument("--into", metavar="TARGET", help="write the text to TARGET")
    selection(cmd)

    rp = sub.add_parser(
        "replace",
        help="find and replace text in fields across files",
        description=(
            "Replace PATTERN by REPLACEMENT in the text values and list items of FIELD (several separated by "
            "commas; * for every field) as one operation: planned, journaled, undoable with 'masthead undo'. "
            "Plain text and case-insensitive unless --regex (groups as \\1 or \\g<name>) and --case. "
            "--transform then applies trim, collapse, lower, upper, title or halfwidth. A list item that becomes "
            "empty is dropped, and a duplicate keeps its first place."
        ),
    )
    rp.add_argument("archive", metavar="ARCHIVE")
    rp.add_argument("field", metavar="FIELD")
    rp.add_argument("pattern", metavar="PATTERN")
    rp.add_argument("replacement", metavar="REPLACEMENT")
    rp.add_argument("--regex", action="store_true", help="PATTERN is a regular expression")
    rp.add_argument("--case", action="store_true", help="match case")
    rp.add_argument("--transform", choices=TRANSFORMS, help="then transform the text")
    selection(rp)
    rp.set_defaults(func=cmd_replace)

    vw = sub.add_parser(
        "view",
        help="list, save or delete the archive's saved views",
        description="A view is a query, columns and a sort, saved by name under 'views:' in the archive's "
        "masthead.yaml (only those lines change). Use one with 'masthead query ARCHIVE --view NAME' or "
        "'masthead export ARCHIVE --view NAME'.",
    )
    vw_sub = vw.add_subparsers(dest="action", metavar="ACTION", required=True)
    cmd = vw_sub.add_parser("list", help="list the saved views", description="Print name, query and columns.")
    cmd.add_argument("archive", metavar="ARCHIVE")
    cmd = vw_sub.add_parser("save", help="save a view (replacing one of that name)", description="Save a view.")
    cmd.add_argument("archive", metavar="ARCHIVE")
    cmd.add_argument("name", metavar="NAME")
    cmd.add_argument("--query", metavar="Q", help="the files it shows (default: every file)")
    cmd.add_argument("--columns", metavar="F,F...", help="its columns, by field name")
    cmd.add_argument("--sort", metavar="FIELD", help="sort by this column")
    cmd.add_argument("--descending", action="store_true", help="sort in descending order")
    cmd = vw_sub.add_parser("delete", help="delete a saved view", description="Delete a saved view.")
    cmd.add_argument("archive", metavar="ARCHIVE")
    cmd.add_argument("name", metavar="NAME")
    vw.set_defaults(func=cmd_view)

    ex = archive_command(
        "export",
        "export files and fields as a CSV table",
        "Write a CSV table (UTF-8, with a BOM for spreadsheets): a header row with 'path' and the fields, then "
        "one row per file of --view or --query (every file without either), lists joined with --separator. "
        "Edit it and apply it back with 'masthead import-csv'.",
    )
    ex.add_argument("--view", metavar="NAME", help="a saved view: its files, order and columns")
    ex.add_argument("--query", metavar="Q", help="the files matching this query")
    ex.add_argument("--fields", metavar="F,F...", help="the columns (default: the view's, or title, date, draft...)")
    ex.add_argument("--separator", metavar="SEP", default="; ", help="between list items (default '; ')")
    ex.add_argument("--csv", metavar="OUT", required=True, help="the CSV file to write ('-' for standard output)")
    ex.set_defaults(func=cmd_export)

    im = archive_command(
        "import-csv",
        "apply an edited CSV table back as one bulk operation",
        "Read a CSV table (as 'masthead export' writes it) and set every cell that differs from its file's "
        "value, as one operation: planned, journaled, undoable with 'masthead undo'. Cells equal to the file's "
        "value change nothing; a list cell is split at --separator; a boolean, date or number cell must be one. "
        "Rows whose --key names no file (or several) are reported and left out.",
    )
    im.add_argument("table", metavar="FILE.csv")
    im.add_argument("--key", metavar="FIELD", default="path", help="the column naming each file (default: path)")
    im.add_argument("--separator", metavar="SEP", default="; ", help="between list items (default '; ')")
    im.add_argument("--dry-run", action="store_true", help="change nothing on disk")
    im.add_argument("--diff", action="store_true", help="print a unified diff of each file")
    im.set_defaults(func=cmd_import_csv)

    def journal_command(name: str, help_text: str, description: str, with_op: bool) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text, description=description)
        cmd.add_argument("archive", metavar="ARCHIVE")
        if with_op:
            cmd.add_argument("op", nargs="?", metavar="OP")
            cmd.add_argument(
                "--commit",
                action=argparse.BooleanOptionalAction,
                default=None,
                help=("commit the files it restores" if name == "undo" else "commit the files it writes")
                + " as a new commit (default: only for a publish, with masthead.yaml's git: commit_on_publish)",
            )
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


def _git_commands(sub: argparse._SubParsersAction[_Parser]) -> None:
    gt = sub.add_parser("git", help="the archive's git repository: status, setup of the merge driver")
    gsub = gt.add_subparsers(dest="git_command", metavar="SUBCOMMAND", required=True)
    gs = gsub.add_parser(
        "status",
        help="branch, ahead/behind and every changed file of the archive",
        description="Print the branch (with commits ahead/behind its upstream) and one line per changed file of "
        "ARCHIVE: modified, staged, new, untracked, deleted or conflict. --json prints one object.",
    )
    gs.add_argument("archive", metavar="ARCHIVE")
    gs.add_argument("--json", action="store_true", help="one JSON object")
    gs.set_defaults(func=cmd_git_status)
    gu = gsub.add_parser(
        "setup",
        help="make git merge front matter key by key (this repository only)",
        description="Add '*.md merge=masthead' (and *.markdown) to ARCHIVE/.gitattributes and set the "
        "merge.masthead.driver in the repository's own config, after saying what it will write.",
    )
    gu.add_argument("archive", metavar="ARCHIVE")
    gu.add_argument("--yes", action="store_true", help="write without asking")
    gu.set_defaults(func=cmd_git_setup)

    cm = sub.add_parser(
        "commit",
        help="commit changed files of the archive",
        description="Commit each FILE (by default every changed file of ARCHIVE) as it is on disk; other staged "
        "changes stay staged. Hooks run; what git says is shown as git wrote it.",
    )
    cm.add_argument("archive", metavar="ARCHIVE")
    cm.add_argument("files", nargs="*", metavar="FILE")
    cm.add_argument("-m", "--message", metavar="MSG", help="the commit message")
    cm.set_defaults(func=cmd_commit)
    for name, text in (("pull", "pull the archive's branch (merging front matter by key)"), ("push", "push it")):
        cmd = sub.add_parser(name, help=text, description=f"{text[0].upper()}{text[1:]}, with git's progress.")
        cmd.add_argument("archive", metavar="ARCHIVE")
        cmd.set_defaults(func=cmd_pull if name == "pull" else cmd_push)

    mf = sub.add_parser(
        "merge-file",
        help="merge three versions of a file by front-matter key (a git merge driver)",
        description="Merge BASE, OURS and THEIRS into OURS: keys changed on one side are taken, lists merge as "
        "sets, a scalar changed on both sides gets conflict markers around that key's lines only; the body is "
        "merged by git merge-file. Exit status 0 when clean, 1 with conflicts. As git's driver: "
        "masthead merge-file %%O %%A %%B --path %%P --marker-size %%L (masthead git setup writes it).",
    )
    mf.add_argument("base", metavar="BASE")
    mf.add_argument("ours", metavar="OURS")
    mf.add_argument("theirs", metavar="THEIRS")
    mf.add_argument("--path", metavar="P", help="the file's path in the repository (for messages)")
    mf.add_argument("--marker-size", type=int, default=7, metavar="N", help="conflict marker length (7)")
    mf.add_argument("-L", "--label", action="append", metavar="LABEL", help="ours, base, theirs labels (in order)")
    mf.add_argument("-p", "--stdout", action="store_true", help="print the result instead of writing OURS")
    mf.set_defaults(func=cmd_merge_file)

    rs = sub.add_parser(
        "resolve",
        help="resolve a file a merge left in conflict, key by key",
        description="Without choices, list each key of FILE both sides changed (ours, then theirs) and exit 1. "
        "With a choice for every such key, write the merge (every other key merged as the driver does) and "
        "stage it with git add; a transcript that still has conflict markers is written but not staged.",
    )
    rs.add_argument("archive", metavar="ARCHIVE")
    rs.add_argument("file", metavar="FILE", help="the file, relative to ARCHIVE (or a path inside it)")
    rs.add_argument("--ours", nargs="+", default=[], metavar="KEY", help="keep our value of these keys")
    rs.add_argument("--theirs", nargs="+", default=[], metavar="KEY", help="take their value of these keys")
    rs.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="give KEY this value (read as YAML)"
    )
    rs.add_argument("--json", action="store_true", help="list the conflicts as JSON")
    rs.set_defaults(func=cmd_resolve)
