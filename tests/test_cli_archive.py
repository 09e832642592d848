"""index, query and vocab on a real folder, as a user runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import FIXTURES, run_cli


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    (root / "2025").mkdir(parents=True)
    for name in ("english-null.md", "indent2-cjk.md", "pyyaml-sorted-cjk.md", "crlf.md"):
        shutil.copy(FIXTURES / "good" / name, root / "2025" / name)
    shutil.copy(FIXTURES / "broken" / "tab-indent.md", root / "broken.md")
    (root / "2025" / "dup-tag.md").write_text("---\ntitle: Dup\ntags: [Edge AI]\ndraft: true\n---\n")
    return root


run = run_cli


def test_index_lists_records_and_errors(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "index", str(archive))
    lines = out.splitlines()
    assert code == 0 and len(lines) == 6
    assert lines[0] == f"{'2025/crlf.md'}\t2025-06-30\tpublished\tQuiet Infrastructure"
    assert "broken.md:4: error: a tab is used for indentation" in out
    assert "6 files in" in err and "(0 from cache, 6 read); 1 with errors" in err
    _, _, err = run(capsys, "index", str(archive))
    assert "(6 from cache, 0 read)" in err


def test_index_json_lines(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "index", str(archive), "--json")
    records = [json.loads(line) for line in out.splitlines()]
    english = next(r for r in records if r["path"] == "2025/english-null.md")
    assert english["meta"]["date"] == "2025-09-08" and english["meta"]["guest"] is None
    assert english["error"] is None and english["kind"] == "yaml"
    broken = next(r for r in records if r["path"] == "broken.md")
    assert broken["error_line"] == 4 and broken["meta"] == {}


def test_query(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "query", str(archive), "draft:true tag:edge-ai")
    assert code == 0 and out.splitlines() == [
        "2025/pyyaml-sorted-cjk.md\t2025-11-20\tdraft\t端侧推理的下一站：与星河半导体林望舒聊芯片、功耗与生态"
    ]
    assert "1 of 6 files match" in err
    _, out, _ = run(capsys, "query", str(archive), "error:yes", "--json")
    assert [json.loads(line)["path"] for line in out.splitlines()] == ["broken.md"]


def test_bad_query(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "query", str(archive), "date>=soon")
    assert code == 2 and out == ""
    assert "bad query: column 1: 'date>=' compares dates or numbers" in err
    assert "  date>=soon\n  ^^^^^^^^^^" in err


def test_vocab(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "vocab", str(archive), "--field", "tags")
    assert code == 0 and out.startswith("tags:\n")
    assert "near-duplicates:\n  tags: edge-ai (1) | Edge AI (1)" in out or "tags: Edge AI (1) | edge-ai (1)" in out
    _, out, _ = run(capsys, "vocab", str(archive), "--json")
    data = json.loads(out)
    assert data["fields"]["companies_orgs"]["星河半导体"] == 2
    assert {"field": "tags", "values": {"Edge AI": 1, "edge-ai": 1}} in data["near_duplicates"]


def test_not_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "index", str(tmp_path / "missing"))
    assert code == 2 and "not a folder" in err


def test_piping_into_head_is_not_an_error(archive: Path) -> None:
    for i in range(200):  # well over a pipe's 64 KB buffer of JSON output
        shutil.copy(FIXTURES / "good" / "english-null.md", archive / f"copy-{i}.md")
    proc = subprocess.Popen(
        [sys.executable, "-m", "masthead", "index", str(archive), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate()
    assert proc.returncode == 0 and b"Traceback" not in err


def test_reading_commands_import_no_editing_code(tmp_path: Path) -> None:
    """A warm ``index`` or ``query`` starts fast: it loads no document, journal, bulk or rendering code, and
    (the files all in the cache) no YAML library either."""
    (tmp_path / "a.md").write_text("---\ntitle: A\ntags: [x]\n---\nBody\n", encoding="utf-8")
    yaml_code = {"yaml", "ruamel.yaml", "masthead.core.yamlread", "masthead.core.block"}
    for command in (["index", str(tmp_path)], ["query", str(tmp_path), "tag:x"]) * 2:
        script = (
            "import sys; from masthead.cli import main; main(" + repr(command) + "); "
            "print(' '.join(sorted(m for m in sys.modules"
            " if m.startswith(('masthead', 'markdown_it', 'yaml', 'ruamel')))))"
        )
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
        loaded = set(out.splitlines()[-1].split())
        assert "masthead.core.index" in loaded
        editing = {"masthead.core.document", "masthead.core.bulk", "masthead.core.journal", "masthead.core.storage"}
        assert not loaded & (editing | {"masthead.core.render", "markdown_it"}), loaded & editing
        warm = command[0] == "query"  # (the first index run filled the cache)
        assert not (warm and loaded & yaml_code), loaded & yaml_code


def test_a_query_that_starts_with_a_negated_term_needs_no_double_dash(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``masthead query A '-text:x'`` was taken for an unknown option (argparse), and needed ``--``."""
    _, everything, _ = run(capsys, "query", str(archive), "error:no")
    code, out, err = run(capsys, "query", str(archive), "-tag:edge-ai error:no")
    assert code == 0, err
    assert "2025/pyyaml-sorted-cjk.md" not in out and len(out.splitlines()) == len(everything.splitlines()) - 1
    code, same, _ = run(capsys, "query", str(archive), "-tag:edge-ai error:no", "--json")
    assert code == 0 and len(same.splitlines()) == len(out.splitlines())
    with pytest.raises(SystemExit):  # a real unknown option is still one
        run(capsys, "query", str(archive), "-x")
    assert "unrecognized arguments: -x" in capsys.readouterr().err


def test_a_positional_after_an_option_is_still_that_positional(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``masthead query A --json Q`` said "unrecognized arguments: Q": argparse had filled the optional QUERY
    with nothing at --json. The same for FILE... on both sides of an option."""
    _, expected, _ = run(capsys, "query", str(archive), "tag:edge-ai", "--json")
    code, out, err = run(capsys, "query", str(archive), "--json", "tag:edge-ai")
    assert code == 0, err
    assert out == expected and "pyyaml-sorted-cjk.md" in out
    with pytest.raises(SystemExit):  # a second QUERY is still one too many
        run(capsys, "query", str(archive), "tag:edge-ai", "--json", "draft:true")
    assert "unrecognized arguments: draft:true" in capsys.readouterr().err
    files = [str(archive / "2025" / n) for n in ("dup-tag.md", "english-null.md")]
    code, out, err = run(capsys, "publish", files[0], "--dry-run", files[1])
    assert "dup-tag.md: not published" in err and "of 2 file(s)" in err, (out, err)  # both files, not one
    assert "draft: true" in (archive / "2025" / "dup-tag.md").read_text()  # (a dry run)
