"""Files Masthead cannot edit safely: a clear error naming file and line, and never a write."""

from __future__ import annotations

from pathlib import Path

import pytest

from masthead.core import storage
from masthead.core.document import Document
from masthead.core.errors import ReadOnlyError

CASES = {
    "invalid-yaml.md": (2, "flow sequence that starts on line 2; seen on line 3"),
    "duplicate-key.md": (4, 'duplicate key "title"'),
    "several-documents.md": (3, "several YAML documents"),
    "list-root.md": (2, "is a list"),
    "scalar-root.md": (2, "single value"),
    "tab-indent.md": (4, "tab is used for indentation"),
    "invalid-utf8.md": (2, "not valid UTF-8"),
    "unclosed.md": (1, "never closed"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_refused_with_a_clear_message_and_never_written(broken: Path, name: str) -> None:
    path = broken / name
    before = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    doc = storage.load(path)
    line, words = CASES[name]
    assert doc.error is not None and not doc.editable
    assert doc.error.line == line
    assert words in doc.error.message
    assert str(doc.error).startswith(f"{path}:{line}: ")
    with pytest.raises(ReadOnlyError, match="cannot edit"):
        doc.set("title", "Fixed")
    with pytest.raises(ReadOnlyError):
        doc.delete("title")
    assert storage.save(doc).raw == before  # nothing pending: nothing written
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime


def test_every_broken_fixture_is_covered(broken: Path) -> None:
    assert sorted(p.name for p in broken.glob("*.md")) == sorted(CASES)


def test_broken_document_still_shows_its_body(broken: Path) -> None:
    doc = storage.load(broken / "duplicate-key.md")
    assert "Body." in doc.body_text and doc.data == {}


def test_an_alias_edit_reads_back_or_is_refused() -> None:
    raw = b"---\nbase: &b\n  x: 1\ncopy: *b\ntitle: t\n---\n"
    doc = Document(raw)
    assert doc.data["copy"] == {"x": 1}
    doc.set("title", "u")
    out = doc.to_bytes()
    assert out == raw.replace(b"title: t", b"title: u")
    doc = Document(raw)
    doc.set("copy", {"x": 2})
    assert Document(doc.to_bytes()).data == {"base": {"x": 1}, "copy": {"x": 2}, "title": "t"}
