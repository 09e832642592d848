"""Defect 18: the schema's draft field and choice fields decide the state and the vocabulary everywhere.

``masthead.yaml`` here says drafts are marked ``unpublished: true`` (``draft:`` is just another key) and
declares ``format`` a choice field; core/fieldinfo.py answers for every view.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from tests.conftest import open_window

from masthead.core.fieldinfo import (
    FileState,
    archive_vocabulary,
    choice_fields,
    field_kind,
    field_vocabulary,
    file_state,
)
from masthead.core.query import parse_query
from masthead.core.reader import read_path
from masthead.core.records import Record
from masthead.core.schema import Kind
from masthead.core.workflow import load_schema
from masthead.ui.models import Column

SCHEMA = """\
fields:
  format: {kind: choice, values: [video, podcast, article]}
  level: {kind: choice, values: [intro, deep], new_values: false}
publish:
  draft_field: unpublished
  set: {unpublished: false}
unpublish:
  set: {unpublished: true}
"""

COMPLETE = "date: 2025-01-02\nsource: https://example.org/x\nsummary: A summary.\ncategory: science\ntags: [a]\n"


def _file(root: Path, name: str, extra: str) -> None:
    (root / name).write_text(f"---\ntitle: {name[:-3]}\n{COMPLETE}{extra}---\nBody.\n", encoding="utf-8")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "schema-archive"
    root.mkdir()
    (root / "masthead.yaml").write_text(SCHEMA, encoding="utf-8")
    _file(root, "marked-unpublished.md", "unpublished: true\nformat: interview\n")
    _file(root, "old-draft-key.md", "draft: true\nunpublished: false\nformat: video\n")
    _file(root, "plain.md", "format: interview\n")
    (root / "broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    return root


def _records(root: Path) -> list[Record]:
    return [read_path(p) for p in sorted(root.glob("*.md"))]


def test_the_schema_draft_field_decides_the_state(archive: Path) -> None:
    schema = load_schema(archive)
    states = {r.path: file_state(r, schema) for r in _records(archive)}
    assert states == {
        "broken.md": FileState.ERROR,
        "marked-unpublished.md": FileState.DRAFT,
        "old-draft-key.md": FileState.PUBLISHED,
        "plain.md": FileState.PUBLISHED,
    }
    assert file_state(read_path(archive / "old-draft-key.md")) == FileState.DRAFT  # built-in profile: draft: true


def test_the_query_draft_filter_follows_the_schema(archive: Path) -> None:
    schema = load_schema(archive)
    records = _records(archive)
    assert [r.path for r in records if parse_query("draft:true", schema).matches(r)] == ["marked-unpublished.md"]
    assert [r.path for r in records if parse_query("-draft:false", schema).matches(r)] == ["marked-unpublished.md"]
    assert [r.path for r in records if parse_query("draft:true").matches(r)] == ["old-draft-key.md"]


def test_a_declared_choice_field_gets_the_schema_values_and_the_archive_values(archive: Path) -> None:
    schema = load_schema(archive)
    assert "format" in choice_fields(schema) and "level" in choice_fields(schema)
    vocab = archive_vocabulary(_records(archive), schema)
    assert field_vocabulary("format", schema, vocab) == {"interview": 2, "video": 1, "podcast": 0, "article": 0}
    as_dicts = {f: dict(vocab.counts(f)) for f in vocab.fields}
    assert field_vocabulary("format", schema, as_dicts) == field_vocabulary("format", schema, vocab)
    assert field_vocabulary("level", schema, vocab) == {"intro": 0, "deep": 0}  # new_values: false
    assert field_kind("format", "interview", schema) == Kind.CHOICE
    assert field_kind("format", "interview") == Kind.TEXT  # the built-in profile does not know it
    assert field_kind("format", 3, schema) == Kind.NUMBER  # a value the kind cannot hold: edit what is there


def test_the_table_and_the_quick_filters_show_the_schema_state(qtbot: QtBot, tmp_path: Path, archive: Path) -> None:
    window = open_window(qtbot, tmp_path, archive)
    proxy = window.proxy

    def states() -> dict[str, str]:
        rows = range(proxy.rowCount())
        return {proxy.index(r, Column.PATH).data(): proxy.index(r, Column.STATE).data() for r in rows}

    assert states() == {
        "broken.md": "Error",
        "marked-unpublished.md": "Draft",
        "old-draft-key.md": "Published",
        "plain.md": "Published",
    }
    qtbot.mouseClick(window.quick_buttons["drafts"], Qt.MouseButton.LeftButton)
    assert list(states()) == ["marked-unpublished.md"]
    qtbot.mouseClick(window.quick_buttons["published"], Qt.MouseButton.LeftButton)
    assert sorted(states()) == ["old-draft-key.md", "plain.md"]
    qtbot.mouseClick(window.quick_buttons["published"], Qt.MouseButton.LeftButton)
    window.search.setFocus()
    qtbot.keyClicks(window.search, "draft:true")
    qtbot.waitUntil(lambda: list(states()) == ["marked-unpublished.md"], timeout=5000)
