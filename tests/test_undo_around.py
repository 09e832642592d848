"""Undo and redo of a bulk operation in files changed since it ran: the operation's change is taken back
(or made again) around the later change, byte for byte as if only the later change had been made, or the
file is left alone; never anything in between."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from masthead.core import bulk
from masthead.core.document import Document
from masthead.core.errors import MastheadError
from masthead.core.operations import Edit, add, remove, set_field

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
