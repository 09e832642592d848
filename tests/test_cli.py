"""The command line: get, set, check, driven as a user would (exit codes, stdout, stderr, files)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import run_cli

from masthead.cli import main

run = run_cli


def test_get_prints_json_with_iso_dates(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "get", str(good / "english-null.md"))
    data = json.loads(out)
    assert code == 0 and data["date"] == "2025-09-08" and data["guest"] is None
    assert data["tags"] == ["streaming", "data-platform", "migrations"]


def test_get_one_key(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bom = str(good / "bom.md")
    assert run(capsys, "get", bom, "--key", "title")[1] == "数据中心的冷却革命\n"
    assert run(capsys, "get", bom, "--key", "title", "--json")[1] == '"数据中心的冷却革命"\n'
    assert json.loads(run(capsys, "get", str(good / "bom.md"), "--key", "draft")[1]) is True
    code, _, err = run(capsys, "get", str(good / "bom.md"), "--key", "nope")
    assert code == 1 and "no key 'nope'" in err


def test_get_broken_file(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "get", str(broken / "duplicate-key.md"))
    assert code == 1 and out == "" and f"{broken / 'duplicate-key.md'}:4: found duplicate key" in err


def test_set_values_are_yaml(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = good / "indent2-cjk.md"
    before = path.read_bytes()
    code, _, err = run(
        capsys,
        "set",
        str(path),
        "--set",
        "draft=true",
        "--set",
        "tags=[a, b]",
        "--set",
        "title='no'",
        "--set-str",
        "series=2025-01-01",
        "--delete",
        "layout",
    )
    assert code == 0 and "changed 1 of 1" in err
    after = path.read_bytes()
    old_tags = b"  - semiconductor\n  - supply-chain\n  - ai-infrastructure\n"
    old_title = "title: 芯片供应链的新格局：从晶圆厂扩产到先进封装的瓶颈".encode()
    assert after == (
        before.replace(b"draft: false", b"draft: true")
        .replace(old_tags, b"  - a\n  - b\n")
        .replace(old_title, b"title: 'no'")
        .replace(b"series: ''", b"series: '2025-01-01'")
        .replace(b"layout: post.njk\n", b"")
    )


def test_set_dry_run_and_diff(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = good / "crlf.md"
    before = path.read_bytes()
    code, out, err = run(capsys, "set", str(path), "--set", "draft=true", "--diff", "--dry-run")
    assert code == 0 and "would change 1 of 1" in err
    assert "-draft: false" in out and "+draft: true" in out
    assert path.read_bytes() == before


def test_set_reports_failures_and_writes_the_rest(good: Path, broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok, bad, toml = good / "bom.md", broken / "tab-indent.md", good / "toml.md"
    bad_before, toml_before = bad.read_bytes(), toml.read_bytes()
    code, _, err = run(capsys, "set", str(bad), str(ok), str(toml), "--set", "status=evergreen")
    assert code == 1
    assert f"{bad}:4: cannot edit: a tab is used for indentation" in err
    assert f"{toml}: TOML front matter" in err
    assert "changed 1 of 3 file(s); 2 failed" in err
    assert b"status: evergreen\n" in ok.read_bytes()
    assert bad.read_bytes() == bad_before and toml.read_bytes() == toml_before


def test_set_bad_arguments(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["set", str(good / "bom.md"), "--set", "novalue"])
    assert info.value.code == 2 and "expected KEY=VALUE" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["set", str(good / "bom.md"), "--set", "tags=[a, b"])
    assert "is not valid YAML" in capsys.readouterr().err
    assert run(capsys, "set", str(good / "bom.md"))[0] == 2


def test_set_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "set", str(tmp_path / "gone.md"), "--set", "a=1")
    assert code == 1 and "gone.md: the file does not exist" in err


def test_check_folder(good: Path, broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(good))
    assert code == 0 and out == "" and "checked 15 file(s): 0 with problems" in err
    code, out, err = run(capsys, "check", str(good), str(broken / "unclosed.md"))
    assert (
        code == 1 and out == f"{broken / 'unclosed.md'}:1: the front matter opened by '---' on line 1 is never closed\n"
    )


def test_entry_point_and_help() -> None:
    result = subprocess.run([sys.executable, "-m", "masthead", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("masthead ")
    for command in ("get", "set", "check"):
        result = subprocess.run([sys.executable, "-m", "masthead", command, "--help"], capture_output=True, text=True)
        assert result.returncode == 0 and "usage: masthead " + command in result.stdout


def test_window_dispatch_refuses_what_is_not_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(tmp_path / "nowhere"))
    assert code == 2 and "not a folder, and not a command" in err
    code, _, err = run(capsys, str(tmp_path), "extra")
    assert code == 2 and "unknown command" in err


def test_a_mistyped_command_is_named_so_without_a_display(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``masthead rename-tag --help`` over ssh answered that there was no display for the window (a new-user
    trial): the words are checked first, and only a window that can open looks for a display."""
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    code, _, err = run(capsys, "rename-tag", "--help")
    assert code == 2 and "unknown command 'rename-tag'" in err and "display" not in err
    code, _, err = run(capsys, "rename-tag")
    assert code == 2 and "rename-tag: not a folder, and not a command" in err
    if sys.platform.startswith("linux"):
        code, _, err = run(capsys, str(tmp_path))  # a folder: the window, which needs a display
        assert code == 3 and "no display" in err
