"""The sample archive shipped in resources/: exactly its deliberate problems, and how it is opened."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from masthead.core.index import ArchiveIndex
from masthead.core.sample import install_sample, resources_dir
from masthead.core.storage import load
from masthead.core.vocabulary import build_vocabulary
from masthead.core.workflow import load_schema, validate

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "sample-archive"


def test_the_sample_has_exactly_its_deliberate_problems(tmp_path: Path) -> None:
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    index = ArchiveIndex(root).open()
    index.close()
    records = index.records
    assert 12 <= len(records) <= 20
    # one broken file, with a message naming the line
    broken = {r.path: (r.error, r.error_line) for r in records.values() if r.error}
    assert (
        list(broken) == ["2026/podcast-launch.md"] and broken["2026/podcast-launch.md"][1] == 9
    )  # (where the [ opens, as the README says)
    # the schema is valid; only one readable file does not validate, for its missing summary
    schema = load_schema(root / "2025")
    assert schema.warning is None and schema.source == root / "masthead.yaml"
    problems = {
        path: [str(p) for p in validate(load(root / path).data, schema)]
        for path, record in records.items()
        if record.error is None
    }
    assert {p: v for p, v in problems.items() if v} == {
        "2025/pricing-developer-tools.md": ["summary: is required to publish"]
    }
    # near-duplicates: one pair of tags and one pair of companies, nothing else
    groups = {(g.field, tuple(v for v, _ in g.values)) for g in build_vocabulary(records.values()).near_duplicates()}
    assert groups == {("tags", ("ai-agents", "AI Agents")), ("companies_orgs", ("OpenAI", "Open AI"))}
    # drafts and published, Chinese and English
    drafts = [r for r in records.values() if r.meta.get("draft") is True]
    assert 3 <= len(drafts) <= len(records) - 3
    assert any("智能体" in str(r.meta.get("title")) for r in records.values())


def test_the_sample_files_come_in_the_shapes_of_real_archives() -> None:
    raw = {p.relative_to(SAMPLE).as_posix(): p.read_bytes() for p in SAMPLE.rglob("*.md")}
    assert any(b"\r\n" in data for data in raw.values())  # CRLF
    assert any(data.startswith(b"\xef\xbb\xbf") for data in raw.values())  # BOM
    assert any(not data.endswith(b"\n") for data in raw.values())  # no final newline
    assert any(b"\n- " in data for data in raw.values()) and any(b"\n  - " in data for data in raw.values())
    assert any(b": null" in data for data in raw.values()) and any(b": ''" in data for data in raw.values())
    assert any(b"<details>" in data for data in raw.values()) and any(
        b"<!-- chunk -->" in data for data in raw.values()
    )


def test_install_sample_copies_once_and_keeps_the_users_copy(tmp_path: Path) -> None:
    dest = tmp_path / "Documents" / "Masthead Sample Archive"
    assert install_sample(dest) == dest
    assert sorted(p.relative_to(dest) for p in dest.rglob("*")) == sorted(
        p.relative_to(SAMPLE) for p in SAMPLE.rglob("*")
    )
    edited = dest / "2025" / "kestrel-scheduler.md"
    edited.write_bytes(edited.read_bytes() + b"\nan editor's note\n")
    install_sample(dest)
    assert edited.read_bytes().endswith(b"an editor's note\n")  # never overwritten
    assert resources_dir() == ROOT / "resources"


def run_masthead(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # a first run: no settings yet
        "MASTHEAD_SAMPLE_DIR": str(tmp_path / "Documents" / "Sample"),
    }
    return subprocess.run(
        [sys.executable, "-m", "masthead", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_masthead_sample_opens_a_copy_and_never_the_installed_files(tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in SAMPLE.rglob("*") if p.is_file()}
    result = run_masthead(tmp_path, "--sample", "--smoke-test")
    assert result.returncode == 0, result.stderr
    assert "14 files, 1 with errors" in result.stdout
    assert (tmp_path / "Documents" / "Sample" / "masthead.yaml").exists()
    assert {p: p.read_bytes() for p in SAMPLE.rglob("*") if p.is_file()} == before


def test_the_first_run_without_an_archive_opens_the_sample(tmp_path: Path) -> None:
    result = run_masthead(tmp_path, "--smoke-test")
    assert result.returncode == 0, result.stderr
    assert "14 files, 1 with errors" in result.stdout
    assert (tmp_path / "Documents" / "Sample" / "2026" / "podcast-launch.md").exists()


def test_the_cli_serves_index_worker_requests_as_a_packaged_app_does(tmp_path: Path) -> None:
    from masthead.core import index_worker, snapshot
    from masthead.core.scan import stat_files

    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    proc = subprocess.Popen(
        [sys.executable, "-m", "masthead", "--index-worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert proc.stdin is not None and proc.stdout is not None
    chunk = stat_files(root)
    index_worker.send(proc.stdin, ("stamp", "", None))
    assert index_worker.receive(proc.stdout) == index_worker.STAMP  # (the same code as this process)
    index_worker.send(proc.stdin, ("read", str(root), chunk, index_worker.STAMP))
    entries = snapshot.unpack(index_worker.receive(proc.stdout))
    index_worker.send(proc.stdin, None)
    assert proc.wait(timeout=30) == 0 and [e[0] for e in entries] == [c[0] for c in chunk]
