"""Saved views in masthead.yaml (only the ``views:`` lines change), ``masthead query --view``, cells read back
as values, and CSV export/import: an unchanged table changes nothing, an edited one exactly its cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import run_cli

from masthead.core.cells import UNCHANGED, CellsEdit, cell_change, cell_text, cell_value, cells_for
from masthead.core.errors import NotApplicable, ParseError
from masthead.core.operations import edit_from_spec
from masthead.core.schema import Kind
from masthead.core.views import View, delete_view, load_views, save_view

SETTINGS = (
    "# archive settings\r\nfields:\r\n  series: {kind: choice, values: [A, B]}   # keep\r\n"
    "\r\ngit:\r\n  push_after_commit: false"
)

ONE = (
    "---\n"
    "title: 第一次访谈：芯片\n"
    "date: 2025-03-04\n"
    "draft: true\n"
    "source: https://example.com/1\n"
    "tags:\n"
    "  - 芯片\n"
    "  - edge-ai\n"
    "people: [Li Wei, 'Ada, Countess']  # speakers\n"
    "---\n\n### 第一部分\n\n**[Li Wei]**: 你好\n"
)
TWO = "---\r\ntitle: 'An English talk'\r\ndraft: false\r\nsource: https://example.com/2\r\ntags: []\r\n---\r\nBody"


def test_a_view_round_trips_and_the_file_keeps_its_other_bytes(tmp_path: Path) -> None:
    settings = tmp_path / "masthead.yaml"
    settings.write_bytes(SETTINGS.encode())
    view = View("Drafts to check", "draft:true tag:芯片", ("title", "date", "tags"), (320, 90, 200), "date", True)
    save_view(tmp_path, view)
    text = settings.read_bytes().decode()
    assert text.startswith(SETTINGS + "\r\nviews:\r\n  Drafts to check:\r\n")  # CRLF kept, nothing above moved
    assert load_views(tmp_path) == (view,)
    other = View("All", "")
    save_view(tmp_path, other)
    assert load_views(tmp_path) == (view, other)
    delete_view(tmp_path, "Drafts to check")
    delete_view(tmp_path, "All")
    assert settings.read_bytes() == SETTINGS.encode()  # even the missing final newline


def test_bad_views_are_named(tmp_path: Path) -> None:
    (tmp_path / "masthead.yaml").write_text("views:\n  mine:\n    query: x\n    colour: red\n")
    with pytest.raises(ParseError, match="view 'mine': unknown setting 'colour'"):
        load_views(tmp_path)
    (tmp_path / "masthead.yaml").write_text("fields:\n  series: {kind: choice, values: [A]}\nviews: [a, b]\n")
    with pytest.raises(ParseError, match="'views' must be a mapping"):
        load_views(tmp_path)
    from masthead.core.workflow import load_schema

    schema = load_schema(tmp_path)  # a bad view does not cost the archive its schema
    assert schema.warning is None and schema.fields["series"].values == ("A",)


def test_cells_read_back_in_the_form_of_the_value() -> None:
    assert cell_value("a, b ,", ["x"]) == ["a", "b"]
    assert cell_value("yes", None, Kind.BOOL) is True
    assert cell_value("2025-01-02", "2025-01-01") == "2025-01-02"  # text stays text (the document keeps its form)
    assert cell_value("2025-01-02", dt.date(2025, 1, 1)) == dt.date(2025, 1, 2)
    assert cell_value("3", 1) == 3 and cell_value("2.5", 1) == 2.5
    assert cell_change("", None) is UNCHANGED and cell_change("", "") is UNCHANGED
    assert cell_change("a; b", ["a", "b"], separator="; ") is UNCHANGED
    with pytest.raises(NotApplicable, match="not true or false"):
        cell_value("maybe", False)
    with pytest.raises(NotApplicable, match="not a date"):
        cell_value("soon", dt.date(2025, 1, 1))
    with pytest.raises(NotApplicable, match="an item holds ','"):
        cell_change("Smith, John, Doe", ["Smith, John"])  # split at commas, it would become three people
    assert cell_change("Smith, John", ["Smith, John"]) is UNCHANGED
    with pytest.raises(NotApplicable, match="other values than text"):
        cell_change("1, 2, 3", [1, 2])
    edit = CellsEdit({"a.md": {"title": "x"}}, "; ", "import t.csv")
    assert edit_from_spec(edit.spec) == edit


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 1000),
    st.dates(),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.lists(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=";"), min_size=1), max_size=4),
)


@given(VALUES)
def test_a_cell_shown_as_it_is_changes_nothing(value: object) -> None:
    assert cell_change(cell_text(value, "; "), value, separator="; ") is UNCHANGED  # type: ignore[arg-type]


def _archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "one.md").write_bytes(ONE.encode())
    (root / "two.md").write_bytes(TWO.encode())
    return root


def test_query_with_a_saved_view(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _archive(tmp_path)
    code, _, err = run_cli(capsys, "view", "save", str(root), "by title", "--columns", "title,draft", "--sort", "title")
    assert code == 0, err
    code, out, _ = run_cli(capsys, "query", str(root), "--view", "by title")
    assert code == 0
    assert out.splitlines() == ["two.md\tAn English talk\tfalse", "one.md\t第一次访谈：芯片\ttrue"]
    code, out, _ = run_cli(capsys, "query", str(root), "draft:true", "--view", "by title")
    assert out.splitlines() == ["one.md\t第一次访谈：芯片\ttrue"]  # the view's query and QUERY together
    code, _, err = run_cli(capsys, "query", str(root), "--view", "nope")
    assert code == 2 and "no view named 'nope' (saved views: by title)" in err


def test_csv_export_then_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _archive(tmp_path)
    table = tmp_path / "t.csv"
    fields = "title,date,draft,tags,people"
    assert run_cli(capsys, "export", str(root), "--fields", fields, "--csv", str(table))[0] == 0
    data = table.read_bytes()
    assert data.startswith("\ufeffpath,title,date,draft,tags,people\r\n".encode())
    assert 'one.md,第一次访谈：芯片,2025-03-04,true,芯片; edge-ai,"Li Wei; Ada, Countess"\r\n' in data.decode()

    (root / "broken.md").write_text("---\ntags: [a, b\n---\n")  # exported with empty cells: not an edit
    assert run_cli(capsys, "export", str(root), "--fields", fields, "--csv", str(table))[0] == 0
    data = table.read_bytes()
    code, _, err = run_cli(capsys, "import-csv", str(root), str(table))
    assert code == 0, err
    assert "0 changed, 3 unchanged" in err
    (root / "broken.md").unlink()
    data = data.replace(b"broken.md,,,,,\r\n", b"")
    assert (root / "one.md").read_bytes() == ONE.encode() and (root / "two.md").read_bytes() == TWO.encode()

    edited = (
        data.decode("utf-8-sig")
        .replace("芯片; edge-ai", "芯片; edge-ai; 推理")
        .replace("two.md,An English talk,,false", "two.md,An English talk,,true")
    )
    table.write_bytes(edited.encode())  # no BOM this time
    code, _, err = run_cli(capsys, "import-csv", str(root), str(table))
    assert code == 0, err
    assert (root / "one.md").read_text() == ONE.replace("  - edge-ai\n", "  - edge-ai\n  - 推理\n")
    assert (root / "two.md").read_bytes() == TWO.replace("draft: false", "draft: true").encode()
    assert run_cli(capsys, "undo", str(root))[0] == 0
    assert (root / "one.md").read_bytes() == ONE.encode() and (root / "two.md").read_bytes() == TWO.encode()


def test_csv_import_by_another_key_and_bad_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _archive(tmp_path)
    table = tmp_path / "t.csv"
    table.write_text(
        "source,draft,title\n"
        "https://example.com/2,maybe,An English talk\n"
        "https://example.com/1,true,新标题\n"
        "https://example.com/9,true,x\n"
        "https://example.com/1,true\n"
    )
    code, _, err = run_cli(capsys, "import-csv", str(root), str(table), "--key", "source")
    assert code == 1
    assert "row 4: no file has source 'https://example.com/9'" in err
    assert "row 5: 2 cells, the header has 3" in err
    assert "two.md: not changed: draft: 'maybe' is not true or false" in err
    assert (root / "one.md").read_text() == ONE.replace("第一次访谈：芯片", "新标题")
    assert (root / "two.md").read_bytes() == TWO.encode()


def test_csv_import_of_a_spreadsheets_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """As a spreadsheet saves it: empty columns without a name, Excel's TRUE/FALSE (also for a ``draft: yes``),
    and fields of neither the schema nor the profile, which a file without them gets in the archive's form."""
    root = _archive(tmp_path)
    (root / "one.md").write_bytes(ONE.replace("draft: true\n", "draft: yes\nhosts: [Ann, Bob]\nepisode: 7\n").encode())
    (root / "three.md").write_bytes(b"---\ntitle: Three\ndraft: no\nfeatured: true\n---\n")
    table = tmp_path / "t.csv"
    table.write_bytes(
        b"path,draft,hosts,episode,featured,,\r\n"
        b"one.md,TRUE,Ann; Bob,7,,,\r\n"  # as it is: nothing written (yes is true)
        b"two.md,FALSE,Cy; Di,8,TRUE,,\r\n"
        b"three.md,TRUE,,,FALSE,,\r\n"
    )
    code, _, err = run_cli(capsys, "import-csv", str(root), str(table))
    assert code == 0, err
    assert (root / "one.md").read_bytes() == ONE.replace(
        "draft: true\n", "draft: yes\nhosts: [Ann, Bob]\nepisode: 7\n"
    ).encode()
    two = (root / "two.md").read_bytes().decode()
    assert two.startswith("---\r\ntitle: 'An English talk'\r\ndraft: false\r\n")
    assert "hosts:\r\n  - Cy\r\n  - Di\r\n" in two and "episode: 8\r\n" in two and "featured: true\r\n" in two
    assert (root / "three.md").read_text() == "---\ntitle: Three\ndraft: true\nfeatured: false\n---\n"


def test_a_cell_typed_against_an_older_value_is_refused_unless_the_file_now_holds_it() -> None:
    edit = CellsEdit({"a.md": {"title": "Mine", "speaker": "Same"}}, bases={"a.md": {"title": "Old", "speaker": "Old"}})
    with pytest.raises(NotApplicable, match="title: another program changed it since the cell was typed"):
        cells_for("a.md", {"title": "Theirs", "speaker": "Same"}, edit)
    assert cells_for("a.md", {"title": "Old", "speaker": "Same"}, edit) == {"title": "Mine"}
