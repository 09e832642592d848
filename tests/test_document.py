"""One document: reading, the data the editor sees, and edits that change only what was edited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from tests.conftest import FIXTURES, SAMPLES
from tests.support.fidelity import check_edit, edits_for, key_spans, measure

from masthead.core import storage
from masthead.core.document import Document
from masthead.core.errors import ReadOnlyError

GOOD = sorted((FIXTURES / "good").glob("*.md"))
EDITABLE = [p for p in GOOD if Document(p.read_bytes()).editable]


def edit(path: Path, **changes: object) -> tuple[bytes, bytes]:
    raw = path.read_bytes()
    doc = Document(raw, path)
    for key, value in changes.items():
        doc.set(key, value)
    return raw, doc.to_bytes()


@pytest.mark.parametrize("path", EDITABLE, ids=lambda p: p.name)
def test_setting_every_key_to_its_value_gives_identical_bytes(path: Path) -> None:
    raw = path.read_bytes()
    doc = Document(raw, path)
    for key, value in doc.original.items():
        doc.set(key, value)
    assert not doc.dirty
    assert doc.to_bytes() == raw


@pytest.mark.parametrize("path", EDITABLE, ids=lambda p: p.name)
def test_each_one_key_edit_touches_only_that_key(path: Path) -> None:
    raw = path.read_bytes()
    doc = Document(raw, path)
    problems = []
    for key, value in doc.original.items():
        for new in edits_for(value):
            problem = check_edit(raw, path, key, new)
            if problem:
                problems.append(f"{key} -> {new!r}: {problem}")
    assert problems == []


def test_fidelity_on_the_real_samples(samples: Path) -> None:
    report = measure(sorted(samples.glob("*.md")))
    assert report.files >= 9
    assert report.failures == []
    assert report.noop_identical == report.noop_total
    assert report.edit_confined == report.edit_total > 500


def test_the_independent_key_scanner_finds_keys() -> None:
    spans = key_spans((FIXTURES / "good" / "comments.md").read_bytes())
    assert list(spans) == ["title", "date", "draft", "tags", "people", "summary", "status"]
    assert spans["tags"] == (7, 12)  # line 0 is the opening ---


def test_data_types() -> None:
    doc = Document((FIXTURES / "good" / "tricky-values.md").read_bytes())
    data = doc.data
    assert data["answer"] == "no" and data["switch"] == "on"  # YAML 1.2: strings
    assert data["octal"] == 12 and data["time"] == "1:20" and data["version"] == 1.1
    assert data["plain_date"] == dt.date(2024, 2, 29) and data["quoted_date"] == "2024-02-29"
    assert data["empty"] is None and data["tilde"] is None
    assert data["sci"] == 1000.0 and data["hexa"] == 31
    nested = Document((FIXTURES / "good" / "nested.md").read_bytes()).data
    assert nested["episode"] == {"number": 42, "season": 3, "runtime": "1:20:15"}
    assert nested["tags"] == ["scaling", "research", "llm"]


def test_list_item_edits_keep_other_items_bytes() -> None:
    raw, out = edit(FIXTURES / "good" / "comments.md", tags=["climate", "acoustics", "glaciers", "fieldwork"])
    assert out.decode() == raw.decode().replace("  - acoustics\n", "  - acoustics\n  - glaciers\n")
    raw, out = edit(FIXTURES / "good" / "comments.md", tags=["acoustics", "fieldwork"])
    # the removed item goes with its own end-of-line comment; the comment line between items stays
    assert out.decode() == raw.decode().replace("  - climate   # primary\n", "")


def test_new_items_follow_the_lists_indent_and_quotes() -> None:
    raw, out = edit(
        FIXTURES / "good" / "pyyaml-sorted-cjk.md",
        tags=["edge-ai", "inference-chips", "on-device-models", "新标签"],
    )
    assert out == raw.replace(b"- on-device-models\n", "- on-device-models\n- 新标签\n".encode())
    raw, out = edit(FIXTURES / "good" / "chunks-en.md", tags=["scheduling", "streaming", "batch"])
    assert out == raw.replace(b'  - "streaming"\n', b'  - "streaming"\n  - "batch"\n')


def test_scalar_edit_keeps_quote_style_and_end_of_line_comment() -> None:
    raw, out = edit(FIXTURES / "good" / "comments.md", title="Listening to Glaciers", status="evergreen")
    text = out.decode()
    assert 'title: "Listening to Glaciers"   # working title\n' in text
    assert "status: evergreen  # not evergreen yet\n" in text
    assert (
        text.replace('"Listening to Glaciers"', '"Field Notes: Listening to Glaciers"').replace(
            "status: evergreen", "status: draft"
        )
        == raw.decode()
    )


def test_date_keeps_its_form() -> None:
    _, out = edit(FIXTURES / "good" / "indent2-cjk.md", date=dt.date(2026, 3, 1))
    assert b"date: '2026-03-01'\n" in out
    _, out = edit(FIXTURES / "good" / "english-null.md", date=dt.date(2026, 3, 1))
    assert b"date: 2026-03-01\n" in out
    _, out = edit(FIXTURES / "good" / "chunks-en.md", date=dt.date(2026, 3, 1))
    assert b'date: "2026-03-01"\n' in out


def test_yaml11_ambiguous_strings_are_quoted() -> None:
    for text in ["no", "on", "yes", "Off", "012", "1:20", "2025-01-01", "y", "0x1F", "1_000", "~", "null"]:
        _, out = edit(FIXTURES / "good" / "english-null.md", guest=text)
        line = next(ln for ln in out.decode().splitlines() if ln.startswith("guest:"))
        assert line == f"guest: '{text}'", line
        block = out.decode().split("---\n")[1]
        assert yaml.safe_load(block)["guest"] == text


def test_null_is_written_as_null_and_new_keys_go_after_the_last_key() -> None:
    raw, out = edit(FIXTURES / "good" / "indent2-cjk.md", insight=None, reviewer="Lin", tags_extra=["a"])
    expected = raw.replace(b"insight: ''\n", b"insight: null\n").replace(
        b"status: evergreen\n---\n", b"status: evergreen\nreviewer: Lin\ntags_extra:\n  - a\n---\n"
    )
    assert out == expected


def test_multiline_text_becomes_a_literal_block() -> None:
    _, out = edit(FIXTURES / "good" / "literal-title.md", title="第一行\n第二行")
    assert "title: |-\n  第一行\n  第二行\ndate:" in out.decode()


def test_delete_keeps_neighbouring_comments() -> None:
    raw = (FIXTURES / "good" / "comments.md").read_bytes()
    doc = Document(raw)
    doc.delete("tags")
    doc.delete("draft")
    text = doc.to_bytes().decode()
    assert "# Lists below are curated by hand.\n" in text
    assert "tags:" not in text and "draft:" not in text and "climate" not in text
    assert text == raw.decode().replace("draft: true\n", "").replace(
        "tags:\n  - climate   # primary\n  # secondary tags follow\n  - acoustics\n  - fieldwork\n", ""
    )


def test_crlf_file_stays_crlf() -> None:
    _, out = edit(
        FIXTURES / "good" / "crlf.md",
        title="Loud Infrastructure",
        tags=["infrastructure", "reliability", "on-call"],
        reviewer="Kim",
    )
    assert out.count(b"\n") == out.count(b"\r\n")
    assert b"title: Loud Infrastructure\r\n" in out and b"  - on-call\r\n" in out
    assert b"reviewer: Kim\r\n---\r\n" in out


def test_bom_and_missing_final_newline_survive() -> None:
    raw, out = edit(FIXTURES / "good" / "bom.md", title="新标题")
    assert out.startswith(b"\xef\xbb\xbf---\n") and out.endswith(raw.split(b"---\n")[-1])
    raw, out = edit(FIXTURES / "good" / "pyyaml-sorted-cjk.md", draft=False)
    assert not out.endswith(b"\n") and out.split(b"\n---\n", 1)[1] == raw.split(b"\n---\n", 1)[1]


def test_adding_the_first_key_creates_front_matter() -> None:
    raw, out = edit(FIXTURES / "good" / "no-frontmatter.md", title="Draft notes", draft=True)
    assert out == b"---\ntitle: Draft notes\ndraft: true\n---\n" + raw
    raw, out = edit(FIXTURES / "good" / "empty-frontmatter.md", title="Now titled")
    assert out == raw.replace(b"---\n---\n", b"---\ntitle: Now titled\n---\n")


def test_nested_values_and_flow_lists() -> None:
    raw, out = edit(FIXTURES / "good" / "nested.md", tags=["scaling", "llm"], draft=True)
    assert b'tags: [scaling, "llm"]\n' in out or b"tags: [scaling, llm]\n" in out
    assert b"episode:\n  number: 42\n" in out and out.endswith(raw.split(b"...\n", 1)[1])
    doc = Document(raw)
    doc.set("episode", {"number": 43, "season": 3, "runtime": "1:20:15"})
    out = doc.to_bytes()
    assert Document(out).data["episode"]["number"] == 43
    assert b"  runtime: '1:20:15'\n" in out or b'  runtime: "1:20:15"\n' in out


def test_body_bytes_are_never_touched(good: Path) -> None:
    for path in EDITABLE:
        raw = path.read_bytes()
        doc = Document(raw)
        doc.set("title", "A new title")
        assert doc.to_bytes().endswith(doc.body)
        assert Document(doc.to_bytes()).body == doc.body


def test_toml_and_json_are_read_only() -> None:
    for name in ("toml.md", "json.md"):
        doc = Document((FIXTURES / "good" / name).read_bytes())
        assert doc.error is None and not doc.editable and "read-only" in (doc.readonly_reason or "")
        assert doc.data["title"].startswith("A ")
        with pytest.raises(ReadOnlyError):
            doc.set("title", "x")


def test_values_that_cannot_be_written_are_rejected() -> None:
    doc = Document(b"---\na: 1\n---\n")
    with pytest.raises(ValueError):
        doc.set("a", object())
    with pytest.raises(ValueError):
        doc.set("bad\nkey", 1)


def test_revert_and_dirty_state() -> None:
    doc = Document(b"---\na: 1\nb: 2\n---\n")
    doc.set("a", 5)
    doc.delete("b")
    assert doc.dirty and doc.changed_keys == ["a", "b"]
    doc.revert("a")
    assert doc.changed_keys == ["b"] and doc.data == {"a": 1}
    doc.revert()
    assert not doc.dirty and doc.to_bytes() == doc.raw


def test_saved_document_is_fresh(good: Path) -> None:
    doc = storage.load(good / "english-null.md")
    doc.set("draft", False)
    saved = storage.save(doc)
    assert not saved.dirty and saved.data["draft"] is False and saved.snapshot is not None
    assert (good / "english-null.md").read_bytes() == saved.raw


def _another(value: object) -> object:
    if isinstance(value, list):
        return [*value, "one-more"]
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    return f"{value} (edited)" if value is not None else "now set"


@pytest.mark.parametrize("path", GOOD + sorted(SAMPLES.glob("*.md")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_key_set_back_to_its_old_value_after_a_save_is_written_as_it_was(path: Path) -> None:
    """Edit, save, undo, save gives back the file's bytes (a new-user trial: a summary wrapped over four
    lines came back as one line of 500 characters). For every editable top-level key of every file."""
    raw = path.read_bytes()
    first = Document(raw)
    if not first.editable:
        return
    for key, value in first.data.items():
        if key in first.readonly_keys or isinstance(value, dict | dt.date):
            continue
        doc = Document(raw)
        doc.set(key, _another(value))
        saved = Document(doc.to_bytes())
        saved.carry_sources(doc)
        saved.set(key, value)  # undone
        assert saved.to_bytes() == raw, f"{path.name}: {key}"
        again = Document(saved.to_bytes())  # and once more: edited again, then undone again
        again.carry_sources(saved)
        again.set(key, _another(value))
        third = Document(again.to_bytes())
        third.carry_sources(again)
        third.set(key, value)
        assert third.to_bytes() == raw, f"{path.name}: {key}, the second time"
