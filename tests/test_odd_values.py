"""Values front matter seldom holds but files do (issue 13): sets, binary data, lone surrogates, big numbers,
merges, custom tags, flow lists with comments. Every command and the index survive them; such values are
read, shown read-only, and never rewritten; the keys around them stay editable."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot
from tests.conftest import run_cli
from tests.support.form import open_form

from masthead.core import storage
from masthead.core.errors import ReadOnlyError
from masthead.core.fieldinfo import FileState, file_state
from masthead.core.index import ArchiveIndex
from masthead.core.query import parse_query
from masthead.core.workflow import load_schema
from masthead.ui.writer import writer

BODY = "\n### 第一部分\n\n**[主持人]**: 你好。\n"


def write(folder: Path, name: str, front: str) -> Path:
    path = folder / name
    path.write_bytes(f"---\n{front}---\n{BODY}".encode())
    return path


ODD = {
    "set.md": ("title: 集合\nthings: !!set {a, b}\ntags: [x]\n", "things", ["a", "b"], "!!set"),
    "binary.md": ("title: Bin\nblob: !!binary aGVsbG8=\ntags: [x]\n", "blob", "aGVsbG8=", "!!binary"),
    "surrogate.md": ('title: "\\ud83d"\ntags: [x]\n', "title", "\ufffd", "escaped surrogate"),
    "custom.md": ("title: Custom\nwhen: !hugo-date now\ntags: [x]\n", "when", "now", "tagged !hugo-date"),
    "merge.md": ("title: Merge\nbase: &b {a: 1}\nmore:\n  <<: *b\n  c: 2\ntags: [x]\n", "more",
                 {"a": 1, "c": 2}, "merges"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(ODD))
def test_the_value_is_read_and_shown_read_only_and_other_keys_stay_editable(tmp_path: Path, name: str) -> None:
    front, key, value, words = ODD[name]
    path = write(tmp_path, name, front)
    before = path.read_bytes()
    doc = storage.load(path)
    assert doc.error is None and doc.editable and doc.data[key] == value
    assert words in doc.readonly_keys[key]
    with pytest.raises(ReadOnlyError, match=words):
        doc.set(key, "replaced")
    doc.set(key, value)  # its own value: nothing to render
    assert not doc.dirty
    doc.set("tags", ["x", "新"])
    storage.save(doc)
    after = path.read_bytes()
    assert after == before.replace(b"tags: [x]", "tags: [x, 新]".encode())


def test_every_command_and_the_index_survive_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, (front, *_) in ODD.items():
        write(tmp_path, name, front)
    write(tmp_path, "numbers.md", "title: N\nbig: 123456789012345678901234567890\nodd: .nan\ninf: -.inf\n")
    index = ArchiveIndex(tmp_path, use_cache=False, workers=1).open()
    assert not [r.path for r in index.records.values() if r.error]
    assert index.records["numbers.md"].meta["big"] == 123456789012345678901234567890
    assert math.isnan(index.records["numbers.md"].meta["odd"])
    for name in [*ODD, "numbers.md"]:
        code, out, err = run_cli(capsys, "get", str(tmp_path / name))
        assert code == 0, err
        json.loads(out)
    code, out, err = run_cli(capsys, "index", str(tmp_path), "--json")
    assert code == 0, err
    assert len([json.loads(line) for line in out.splitlines()]) == len(ODD) + 1  # a record per line
    code, out, err = run_cli(capsys, "check", str(tmp_path))
    assert code == 0, err + out
    code, _, err = run_cli(capsys, "tag", "add", str(tmp_path), "tags", "新", "--all")
    assert code == 0, err
    assert "tags: [x, 新]" in (tmp_path / "set.md").read_text(encoding="utf-8")


def test_a_merge_at_the_top_makes_the_file_read_only_with_the_reason(tmp_path: Path) -> None:
    path = write(tmp_path, "top.md", "base: &b {title: Base}\n<<: *b\ntags: [x]\n")
    doc = storage.load(path)
    assert doc.error is None and not doc.editable
    assert "merges another mapping" in (doc.readonly_reason or "")
    assert doc.data["title"] == "Base"
    index = ArchiveIndex(tmp_path, use_cache=False, workers=1).open()
    assert index.records["top.md"].error is None and index.records["top.md"].meta["title"] == "Base"


def test_a_flow_list_keeps_its_comment_and_each_item_its_quotes(tmp_path: Path) -> None:
    path = write(tmp_path, "flow.md", "title: Flow\ntags: [ \"ai\", 'ml', plain ]  # my tags\ndraft: true\n")
    doc = storage.load(path)
    doc.set("tags", ["ai", "ml", "plain", "新的"])
    storage.save(doc)
    assert b'tags: [ "ai", \'ml\', plain, "\xe6\x96\xb0\xe7\x9a\x84" ]  # my tags\n' in path.read_bytes()
    doc = storage.load(path)
    doc.set("tags", ["ml", "新的"])
    storage.save(doc)
    assert "tags: [ 'ml', \"新的\" ]  # my tags\n" in path.read_text(encoding="utf-8")
    doc = storage.load(path)
    doc.set("tags", [])
    storage.save(doc)
    assert "tags: []  # my tags\ndraft: true\n" in path.read_text(encoding="utf-8")


def test_a_custom_tag_on_a_list_is_kept_when_the_list_is_edited(tmp_path: Path) -> None:
    path = write(tmp_path, "tagged.md", "title: T\ntags: !mylist [a, b]\npeople: !who\n  - Ann\n")
    doc = storage.load(path)
    assert doc.readonly_keys == {} and doc.data["tags"] == ["a", "b"]
    doc.set("tags", ["a", "b", "c"])
    doc.set("people", ["Ann", "Bo"])
    storage.save(doc)
    assert "tags: !mylist [a, b, c]\npeople: !who\n  - Ann\n  - Bo\n" in path.read_text(encoding="utf-8")
    doc = storage.load(path)
    with pytest.raises(ReadOnlyError, match="cannot keep the tag"):
        doc.set("people", "one person")
        doc.to_bytes()


def test_a_no_op_save_of_a_template_file_changes_nothing(tmp_path: Path) -> None:
    """A Hugo archetype: the title is a {{ }} template, which YAML reads as a mapping with a mapping key."""
    path = write(tmp_path, "archetype.md", 'title: {{ replace .Name "-" " " | title }}\ndate: 2025-01-01\n')
    before = path.read_bytes()
    doc = storage.load(path)
    assert doc.error is None
    for key, value in doc.data.items():
        doc.set(key, value)
    assert not doc.dirty and storage.save(doc).raw == before == path.read_bytes()
    doc.set("date", dt.date(2025, 2, 2))
    storage.save(doc)
    assert path.read_bytes() == before.replace(b"2025-01-01", b"2025-02-02")


def test_the_readers_agree_on_a_tab_after_a_colon_and_an_explicit_bool(tmp_path: Path) -> None:
    path = write(tmp_path, "odd.md", "title:\tTabbed\ndraft: !!bool yes\n")
    doc = storage.load(path)
    assert doc.error is None and doc.data == {"title": "Tabbed", "draft": True}
    index = ArchiveIndex(tmp_path, use_cache=False, workers=1).open()
    assert index.records["odd.md"].meta == {"title": "Tabbed", "draft": True}
    doc.set("draft", False)
    storage.save(doc)
    assert path.read_text(encoding="utf-8").startswith("---\ntitle:\tTabbed\ndraft: false\n")


def test_the_form_shows_such_a_value_as_written_read_only_and_saves_the_rest(qtbot: QtBot, tmp_path: Path) -> None:
    front = "title: 集合\nthings: !!set {a, b}  # kept\nseries: old\n"
    path = write(tmp_path, "set.md", front)
    before = path.read_bytes()
    form = open_form(qtbot, tmp_path, "set.md")
    things = form.editors["things"]
    assert isinstance(things, QPlainTextEdit) and things.isReadOnly()
    assert things.toPlainText() == "things: !!set {a, b}  # kept\n" and "!!set" in things.toolTip()
    series = form.editors["series"]
    assert isinstance(series, QLineEdit) and series.isEnabled()
    series.setFocus()
    series.selectAll()
    qtbot.keyClicks(series, "Second season")
    form.save()
    qtbot.waitUntil(lambda: not form.saving and not writer().busy, timeout=5000)
    assert path.read_bytes() == before.replace(b"series: old", b"series: Second season")


FENCES = {
    "named-yaml.md": ("---yaml\ntitle: 命名\ntags: [x]\n---\n", "yaml", True),
    "named-json.md": ('---json\n{"title": "JSON", "tags": ["x"]}\n---\n', "json", False),
    "named-toml.md": ('---toml\ntitle = "TOML"\ntags = ["x"]\n---\n', "toml", False),
}


@pytest.mark.parametrize("name", sorted(FENCES))
def test_gray_matter_fences_are_recognised_and_never_get_a_second_block(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    head, kind, editable = FENCES[name]
    path = tmp_path / name
    path.write_bytes((head + BODY).encode())
    before = path.read_bytes()
    doc = storage.load(path)
    assert doc.error is None and doc.kind == kind and doc.editable is editable
    assert doc.data["tags"] == ["x"] and doc.data["title"] in ("命名", "JSON", "TOML")
    code, _, err = run_cli(capsys, "tag", "add", str(tmp_path), "tags", "z", "--all")
    after = path.read_bytes()
    assert code == (0 if editable else 1)  # a file that cannot be edited is skipped, named, and the exit says so
    if editable:
        assert after == before.replace(b"tags: [x]", b"tags: [x, z]")
    else:
        assert f"{name}: not changed: {kind.upper()} front matter" in err and after == before


def test_a_fence_in_another_language_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "coffee.md"
    path.write_bytes(b"---coffee\ntitle: 'x'\n---\nbody\n")
    doc = storage.load(path)
    assert doc.error is not None and "'coffee'" in doc.error.message and not doc.editable
    index = ArchiveIndex(tmp_path, use_cache=False, workers=1).open()
    assert "'coffee'" in (index.records["coffee.md"].error or "")


YES_DRAFT = (
    "title: 是草稿\ndate: 2025-03-01\nsummary: A summary.\nsource: https://example.org/1\ncategory: tech\n"
    "tags: [ai]\nfeatured: On\ndraft: yes\n"
)


def test_yes_in_a_boolean_field_is_true_for_the_index_query_form_and_publish(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "masthead.yaml").write_text("fields:\n  featured:\n    kind: bool\n", encoding="utf-8")
    path = write(tmp_path, "yes.md", YES_DRAFT)
    write(tmp_path, "no.md", YES_DRAFT.replace("draft: yes", "draft: no").replace("On", "off"))
    index = ArchiveIndex(tmp_path, use_cache=False, workers=1).open()
    schema = load_schema(tmp_path)
    assert file_state(index.records["yes.md"], schema) == FileState.DRAFT
    assert file_state(index.records["no.md"], schema) == FileState.PUBLISHED
    for text, hits in [("draft:true", ["yes.md"]), ("draft:false", ["no.md"]), ("featured:true", ["yes.md"])]:
        query = parse_query(text, schema)
        assert [r for r in sorted(index.records) if query.matches(index.records[r])] == hits, text
    form = open_form(qtbot, tmp_path, "yes.md")
    box = form.editors["draft"]
    assert isinstance(box, QCheckBox) and box.isChecked() and "yes" in box.text()
    form.save()  # nothing changed: the word stays
    assert path.read_bytes().count(b"draft: yes\n") == 1
    code, _, err = run_cli(capsys, "publish", str(path))
    assert code == 0, err
    assert "featured: On\ndraft: false\n" in path.read_text(encoding="utf-8")


def test_clicking_the_box_writes_the_yaml_1_2_word(qtbot: QtBot, tmp_path: Path) -> None:
    path = write(tmp_path, "yes.md", YES_DRAFT)
    before = path.read_bytes()
    form = open_form(qtbot, tmp_path, "yes.md")
    box = form.editors["draft"]
    assert isinstance(box, QCheckBox)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)  # as a keyboard user toggles it
    assert not box.isChecked() and form.dirty
    form.save()
    qtbot.waitUntil(lambda: not form.saving and not writer().busy, timeout=5000)
    assert path.read_bytes() == before.replace(b"draft: yes", b"draft: false")


@pytest.mark.parametrize("value", ["hello", "''", "12", "2024-13-45"])
def test_a_timestamp_tag_on_what_is_not_a_date_is_an_error_for_that_file_only(tmp_path: Path, value: str) -> None:
    write(tmp_path, "bad.md", f"title: T\nwhen: !!timestamp {value}\n")
    write(tmp_path, "good.md", "title: G\n")
    index = ArchiveIndex(tmp_path, use_cache=False, workers=1).open()
    assert "!!timestamp" in (index.records["bad.md"].error or "") and index.records["good.md"].error is None
    assert storage.load(tmp_path / "bad.md").error is not None


BREAKS = ["\u2028", "\u2029", "\x85"]


@pytest.mark.parametrize("char", BREAKS)
def test_a_line_separator_inside_a_value_is_a_character_not_a_line_break(tmp_path: Path, char: str) -> None:
    """YAML 1.2 breaks lines at LF and CR only; libyaml (1.1) also at U+2028, U+2029 and U+0085."""
    path = write(
        tmp_path, "ls.md", f'title: "Intro{char}more"\nplain: a{char}b\ntags:\n- a\nsummary: old\ndraft: true\n'
    )
    doc = storage.load(path)
    assert doc.error is None and doc.data["title"] == f"Intro{char}more" and doc.data["plain"] == f"a{char}b"
    before = path.read_bytes()
    for key, value in (("summary", "new"), ("tags", ["a", "b"]), ("draft", False), ("title", "Fixed")):
        doc = storage.load(path)
        doc.set(key, value)
        storage.save(doc)
        assert storage.load(path).data[key] == value
    after = path.read_bytes().decode()
    assert f"plain: a{char}b\n" in after and after.count("\n") == before.decode().count("\n") + 1


def test_a_line_separator_in_a_comment_does_not_end_it(tmp_path: Path) -> None:
    path = write(tmp_path, "c.md", "a: 1 # note\u2028hidden: 2\nc: 3\n")
    doc = storage.load(path)
    assert doc.error is None and doc.data == {"a": 1, "c": 3}
    doc.set("c", 4)
    storage.save(doc)
    assert "a: 1 # note\u2028hidden: 2\nc: 4\n" in path.read_text(encoding="utf-8")


def test_a_pasted_line_separator_can_be_saved_and_every_later_key_edited(tmp_path: Path) -> None:
    path = write(tmp_path, "p.md", "title: t\nsummary: old\ndraft: true\n")
    doc = storage.load(path)
    doc.set("summary", "pasted\u2028text")
    storage.save(doc)
    doc = storage.load(path)
    assert doc.data["summary"] == "pasted\u2028text"
    doc.set("draft", False)
    storage.save(doc)
    assert storage.load(path).data == {"title": "t", "summary": "pasted\u2028text", "draft": False}
