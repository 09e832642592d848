"""Schema file, validation rules, publish/unpublish and their CLI."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from tests.conftest import FIXTURES, run_cli

from masthead.core.document import Document
from masthead.core.errors import ParseError
from masthead.core.schema import Kind
from masthead.core.workflow import builtin_schema, load_schema, parse_schema, publish, unpublish, validate

SCHEMA = """\
fields:
  source: {kind: url, required: true, pattern: '^https://', message: must be an https address}
  category: {kind: choice, values: [data-engineering, ai-ml], new_values: false}
  tags: {kind: tags, min_items: 2, max_items: 3}
  rating: {kind: number, label: Rating}
publish:
  set: {draft: false}
  stamp_date: published
  status: published
unpublish:
  set: {draft: true, status: draft}
"""


def test_parse_schema() -> None:
    schema = parse_schema(SCHEMA, Path("masthead.yaml"))
    assert schema.fields["rating"].kind == Kind.NUMBER and schema.fields["rating"].label == "Rating"
    assert schema.fields["title"].required  # the built-in profile still applies to unnamed fields
    assert schema.publish.stamp_date == "published" and schema.publish.status == "published"
    assert schema.publish.unpublish_set == {"draft": True, "status": "draft"}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("fields:\n  title: [unclosed\n", 3, "invalid YAML"),
        ("fields:\n  title: {kind: paragraph}\n", 2, "unknown kind 'paragraph'"),
        ("fields:\n  title: {kind: text, pattern: '(unclosed'}\n", 2, "not a valid regular expression"),
        ("fields:\n  title: {kind: text, colour: red}\n", 2, "unknown setting 'colour'"),
        ("publish: {}\nextras: 1\n", 2, "unknown section 'extras'"),
        ("- a list\n", 1, "must be a mapping"),
    ],
)
def test_broken_schema_names_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_schema(text, Path("masthead.yaml"))
    assert info.value.line == line and words in info.value.message


def test_broken_schema_file_falls_back_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "masthead.yaml").write_text("fields:\n  title: {kind: paragraph}\n")
    (tmp_path / "sub").mkdir()
    schema = load_schema(tmp_path / "sub" / "a.md")
    assert schema.source is None and schema.warning is not None
    assert "masthead.yaml:2" in schema.warning and "built-in transcript profile" in schema.warning
    (tmp_path / "masthead.yaml").write_text(SCHEMA)
    assert load_schema(tmp_path / "sub" / "a.md").source == tmp_path / "masthead.yaml"


def test_builtin_rules() -> None:
    data = Document((FIXTURES / "good" / "english-null.md").read_bytes()).data
    assert validate(data, builtin_schema()) == []
    missing = {k: v for k, v in data.items() if k not in ("summary", "source")}
    missing["tags"] = []
    assert [str(p) for p in validate(missing, builtin_schema())] == [
        "source: is required to publish",
        "summary: is required to publish",
        "tags: is required to publish",
    ]
    assert [str(p) for p in validate({**data, "date": "soon"}, builtin_schema())] == [
        "date: should be a date like 2025-01-31, not 'soon'"
    ]


def test_schema_rules() -> None:
    schema = parse_schema(SCHEMA, Path("masthead.yaml"))
    data = Document((FIXTURES / "good" / "english-null.md").read_bytes()).data
    problems = [str(p) for p in validate({**data, "source": "http://insecure.example"}, schema)]
    assert problems == ["source: must be an https address"]
    problems = [str(p) for p in validate({**data, "category": "poetry", "tags": ["one"]}, schema)]
    assert problems == ["category: 'poetry' is not one of: data-engineering, ai-ml", "tags: needs at least 2 value(s)"]
    assert [str(p) for p in validate({**data, "tags": ["a", "b", "c", "d"]}, schema)] == [
        "tags: allows at most 3 value(s)"
    ]


def test_publish_changes_only_the_rule_keys_in_the_files_style() -> None:
    raw = (FIXTURES / "good" / "pyyaml-sorted-cjk.md").read_bytes()
    doc = Document(raw)
    assert publish(doc, builtin_schema()) == []
    assert doc.to_bytes() == raw.replace(b"draft: true\n", b"draft: false\n")
    unpublish(doc, builtin_schema())
    assert doc.to_bytes() == raw


def test_publish_stamps_the_date_in_the_files_form() -> None:
    schema = parse_schema(SCHEMA.replace("min_items: 2, ", ""), Path("masthead.yaml"))
    quoted = Document((FIXTURES / "good" / "chunks-en.md").read_bytes())  # date: "2025-12-01"
    quoted.set("source", "https://example.org/kestrel")
    assert publish(quoted, schema, today=dt.date(2026, 1, 2)) == []
    assert quoted.data["published"] == "2026-01-02" and quoted.data["status"] == "published"
    assert b'published: "2026-01-02"\n' in quoted.to_bytes() or b"published: '2026-01-02'\n" in quoted.to_bytes()
    plain = Document((FIXTURES / "good" / "english-null.md").read_bytes())  # date: 2025-09-08
    plain.set("source", "https://example.org/n")
    assert publish(plain, schema, today=dt.date(2026, 1, 2)) == []
    assert b"published: 2026-01-02\n" in plain.to_bytes()


def test_blocked_publish_leaves_the_document_alone() -> None:
    doc = Document((FIXTURES / "good" / "tricky-values.md").read_bytes())
    problems = publish(doc, builtin_schema())
    assert problems and not doc.dirty


run = run_cli


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    root.mkdir()
    for name in ("english-null.md", "pyyaml-sorted-cjk.md", "tricky-values.md"):
        shutil.copy(FIXTURES / "good" / name, root / name)
    return root


def test_cli_validate(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(archive))
    assert code == 1 and "validated 3 file(s): 1 with problems" in err
    assert f"{archive / 'tricky-values.md'}: source: is required to publish" in out
    code, out, _ = run(capsys, "validate", str(archive / "english-null.md"), "--json")
    assert code == 0 and json.loads(out) == {"path": str(archive / "english-null.md"), "problems": []}


def test_cli_publish_some_blocked(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tricky_before = (archive / "tricky-values.md").read_bytes()
    code, _, err = run(capsys, "publish", "--query", "draft:true", "--archive", str(archive))
    assert (
        code == 0 and "publish: 2 changed, 0 unchanged, 0 skipped, 0 failed of 2 file(s)" in err
    )  # tricky has no draft key
    assert Document((archive / "english-null.md").read_bytes()).data["draft"] is False
    code, _, err = run(capsys, "publish", str(archive / "tricky-values.md"))
    assert code == 1 and "not published: source: is required" in err
    assert (archive / "tricky-values.md").read_bytes() == tricky_before
    code, out, err = run(capsys, "unpublish", str(archive / "english-null.md"), "--dry-run", "--diff")
    assert code == 0 and "+draft: true" in out and "would change 1 of 1 file(s)" in err
    code, _, err = run(capsys, "publish", "--query", "draft:true")
    assert code == 2 and "--query needs --archive" in err


def test_init_schema(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "init-schema", str(archive))[0] == 0
    schema = load_schema(archive / "english-null.md")
    assert schema.source == archive / "masthead.yaml" and schema.warning is None
    assert schema.fields["category"].kind == Kind.CHOICE and "data-engineering" in schema.fields["category"].values
    assert schema.fields["answer"].kind == Kind.TEXT and schema.fields["title"].required
    assert schema.fields["tags"].min_items == 1
    code, _, err = run(capsys, "init-schema", str(archive))
    assert code == 1 and "already exists" in err
    assert run(capsys, "init-schema", str(archive), "--force")[0] == 0
