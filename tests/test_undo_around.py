"""Undo and redo of a bulk operation in files changed since it ran: the operation's change is taken back
(or made again) around the later change, byte for byte as if only the later change had been made, or the
file is left alone; never anything in between."""

from __future__ import annotations

import base64
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from masthead.core import bulk, journal
from masthead.core.document import Document
from masthead.core.errors import MastheadError
from masthead.core.operations import Edit, add, remove, rename, set_field

SHAPES = [  # front matter as found in the wild: list styles, quoting, CRLF, BOM, no final newline
    "---\ntitle: A talk\ndate: 2024-01-02\ntags:\n- ai\n- ml\nsummary: ''\n---\n\n### One\n\nBody.\n",
    "---\ntitle: '访谈'\ntags:\n  - 人工智能\n  - 芯片\npeople:\n  - 周明\ndraft: true\n---\n正文\n",
    "---\ntags: [ai, 'ml']  # mine\ntitle: \"Flow\"\nstatus: draft\n---\nbody",
    "\ufeff---\r\ntitle: BOM\r\nseries: null\r\ntags:\r\n    - one\r\n"
    "summary: >-\r\n  folded\r\n  text\r\n---\r\nx\r\n",
    "---\ntitle: No tags yet\nspeaker: Dana\n---\n\n**[Dana]**: hello\n",
]
LATER = ["title", "summary", "speaker", "body"]
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=24)
edits = st.sampled_from(
    [add("tags", ["weekly"]), add("tags", ["周刊", "ml"]), remove("tags", ["ai"]), set_field("status", "published")]
)


def later_edit(raw: bytes, key: str, value: str) -> bytes:
    """Someone's change after the operation: a field set in the window, or a line added to the body."""
    if key == "body":
        return raw + ("\n" + value + "\n").encode("utf-8")
    doc = Document(raw)
    doc.set(key, value)
    return doc.to_bytes()


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SHAPES), edits, st.sampled_from(LATER), texts)
def test_undo_around_a_later_change_is_as_if_only_that_change_was_made(
    shape: str, edit: Edit, key: str, value: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / "a.md"
        old = shape.encode("utf-8")
        path.write_bytes(old)
        report = bulk.apply(bulk.plan(root, ["a.md"], edit))
        if not report.changed:
            return  # the edit does not apply to this file
        assert report.journal is not None
        new = path.read_bytes()
        try:
            later = later_edit(new, key, value)
            expected = later_edit(old, key, value)
        except (MastheadError, ValueError):  # a value the document refuses: not this test's concern
            return
        path.write_bytes(later)
        undone = bulk.undo(report.journal)
        result = path.read_bytes()
        note(f"{result!r}")
        if undone.merged:
            assert result == expected  # exactly the later change, on the old file
            redone = bulk.redo(report.journal)
            assert redone.merged == ["a.md"] and path.read_bytes() == later
        else:
            assert undone.skipped == [("a.md", bulk.LEFT_ALONE)] and result == later


def test_a_later_change_away_from_the_operation_is_undone_around() -> None:
    """(The property above allows leaving a file alone: here the change is far enough to be undone.)"""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / "a.md"
        old = SHAPES[1].encode("utf-8")
        path.write_bytes(old)
        report = bulk.apply(bulk.plan(root, ["a.md"], add("tags", ["周刊"])))
        assert report.journal is not None
        path.write_bytes(path.read_bytes() + "补充一句。\n".encode())
        assert bulk.undo(report.journal).merged == ["a.md"]
        assert path.read_bytes() == old + "补充一句。\n".encode()


def one_file(tmp: str, raw: bytes, edit: Edit) -> tuple[Path, Path]:
    """An archive of one file and the journal of ``edit`` applied to it."""
    path = Path(tmp) / "a.md"
    path.write_bytes(raw)
    report = bulk.apply(bulk.plan(Path(tmp), ["a.md"], edit))
    assert report.changed == ["a.md"] and report.journal is not None
    return path, report.journal


def test_a_file_whose_line_endings_were_converted_since_is_left_alone() -> None:
    """Items with a long common prefix: the change's context lies inside one line, so it is found after the
    file went from LF to CRLF; the old bytes it would put back hold an LF (found by a review)."""
    prefix = "https://example.org/archive/talks/2024/"
    raw = f"---\ntitle: T\nlinks:\n  - {prefix}keynote-on-evaluation\n  - {prefix}panel-on-open-weights\n---\nB.\n"
    with tempfile.TemporaryDirectory() as tmp:
        path, journal_path = one_file(tmp, raw.encode(), remove("links", [f"{prefix}keynote-on-evaluation"]))
        later = path.read_bytes().replace(b"\n", b"\r\n")
        path.write_bytes(later)
        assert bulk.undo(journal_path).skipped == [("a.md", bulk.LEFT_ALONE)] and path.read_bytes() == later


def test_a_damaged_copy_of_the_change_is_never_used() -> None:
    """The journal's copy is checked before the change is taken back around a later one (a damaged old
    middle gave a value the file never had)."""
    raw = b"---\ntitle: Interview with Dana\nstatus: draft\ntags: [ai]\n---\n\nBody one.\n"
    with tempfile.TemporaryDirectory() as tmp:
        path, journal_path = one_file(tmp, raw, set_field("status", "published"))
        copies = journal.old_bytes_path(journal_path)
        stored = json.loads(copies.read_text(encoding="utf-8"))
        parts = stored["a.md"].split(":")
        parts[4] = base64.b64encode(b"retracted").decode()
        copies.write_text(json.dumps({"a.md": ":".join(parts)}), encoding="utf-8")
        later = path.read_bytes() + b"A paragraph added later.\n"
        path.write_bytes(later)
        assert bulk.undo(journal_path).skipped == [("a.md", bulk.CHANGED_SINCE)] and path.read_bytes() == later


def test_the_change_is_not_taken_back_in_a_key_the_operation_did_not_change() -> None:
    """A rename everywhere; then the user copies the list into a new key and drops the renamed value from
    the first: the only copy of the change's context is in the user's new key, which stays as written."""
    items = "history, politics, economy, media, {}, science, culture, books, film, music"
    raw = f"---\ntitle: Weekly notes\ntags: [{items.format('ai')}]\n---\nBody.\n".encode()
    with tempfile.TemporaryDirectory() as tmp:
        path, journal_path = one_file(tmp, raw, rename("ai", "AI"))
        later = path.read_bytes().replace(b"---\nBody", f"topics: [{items.format('AI')}]\n---\nBody".encode())
        later = later.replace(b"media, AI, science", b"media, science", 1)
        path.write_bytes(later)
        assert bulk.undo(journal_path).skipped == [("a.md", bulk.LEFT_ALONE)] and path.read_bytes() == later


def test_a_copy_that_is_not_text_is_reported_and_the_others_are_undone() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = {f"{i}.md": f"---\ntitle: T{i}\ntags: [ai]\n---\nBody {i}.\n".encode() for i in range(4)}
        for name, data in files.items():
            (root / name).write_bytes(data)
        report = bulk.apply(bulk.plan(root, sorted(files), add("tags", ["ml"])))
        assert report.journal is not None
        copies = journal.old_bytes_path(report.journal)
        stored = json.loads(copies.read_text(encoding="utf-8"))
        stored["1.md"] = stored["2.md"] = None
        copies.write_text(json.dumps(stored), encoding="utf-8")
        (root / "2.md").write_bytes((root / "2.md").read_bytes() + b"later\n")  # (the around path)
        undone = bulk.undo(report.journal)
        assert sorted(undone.changed) == ["0.md", "3.md"] and [rel for rel, _ in undone.failed] == ["1.md"]
        assert "damaged" in undone.failed[0][1] and undone.skipped == [("2.md", bulk.CHANGED_SINCE)]
        assert (root / "0.md").read_bytes() == files["0.md"]
