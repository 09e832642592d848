"""The git commands as a user runs them, on real repositories: status, commit, pull, push, setup, and
``publish --commit``."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import copy_fixtures, run_cli
from tests.support.gitrepo import commit_all, committed, git, needs_git, remote_and_clones

from masthead.core.document import Document
from masthead.core.errors import ParseError
from masthead.core.workflow import parse_schema

pytestmark = needs_git
NAMES = ["english-null.md", "indent2-cjk.md", "pyyaml-sorted-cjk.md", "crlf.md", "chunks-en.md"]
run = run_cli


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return committed(copy_fixtures(tmp_path / "archive", NAMES))


def commits(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD"))


def files_of(root: Path, rev: str = "HEAD") -> list[str]:
    return sorted(git(root, "show", "--name-only", "--format=", rev).split())


def test_status_lists_changed_files(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "crlf.md").write_bytes((repo / "crlf.md").read_bytes().replace(b"draft: false", b"draft: true"))
    (repo / "new 新.md").write_bytes(b"---\ntitle: x\n---\n")
    code, out, _ = run(capsys, "git", "status", str(repo))
    assert code == 0
    assert out.splitlines() == ["main · 2 changed", "modified   crlf.md", "untracked  new 新.md"]
    code, out, _ = run(capsys, "git", "status", str(repo), "--json")
    assert '"files": [{"path": "crlf.md", "state": "modified"}, {"path": "new 新.md", "state": "untracked"}]' in out


def test_outside_a_repository_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_fixtures(tmp_path / "plain", NAMES[:1])
    code, _, err = run(capsys, "git", "status", str(root))
    assert code == 2 and "not in a git repository" in err


def test_commit_named_files_or_every_change(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("crlf.md", "chunks-en.md"):
        (repo / name).write_bytes((repo / name).read_bytes() + b"\n")
    code, _, err = run(capsys, "commit", str(repo), "crlf.md", "-m", "One file")
    assert code == 0 and "committed 1 file(s)" in err
    assert files_of(repo) == ["crlf.md"] and git(repo, "log", "-1", "--format=%s") == "One file\n"
    code, _, err = run(capsys, "commit", str(repo))
    assert code == 0 and files_of(repo) == ["chunks-en.md"]
    code, _, err = run(capsys, "commit", str(repo))
    assert code == 0 and "nothing to commit" in err and commits(repo) == 3


def test_publish_commit_makes_one_commit_of_exactly_the_published_files(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "crlf.md").write_bytes((repo / "crlf.md").read_bytes() + b"\n")  # changed, but not published
    code, _, err = run(capsys, "publish", "--commit", *(str(repo / n) for n in NAMES))
    assert code == 1  # two files could not be published (no source): named, and still one commit of the others
    assert "chunks-en.md: not published" in err
    assert commits(repo) == 2 and files_of(repo) == ["english-null.md", "pyyaml-sorted-cjk.md"]
    assert git(repo, "log", "-1", "--format=%s") == "Publish: 2 files\n"
    assert Document((repo / "english-null.md").read_bytes()).get("draft") is False
    assert "crlf.md" in git(repo, "status", "--porcelain")


def test_commit_on_publish_uses_the_archive_template(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "masthead.yaml").write_text(
        "git:\n  commit_on_publish: true\n  commit_message:\n    publish: 'Published {title}'\n"
    )
    commit_all(repo, "settings")
    title = Document((repo / "english-null.md").read_bytes()).get("title")
    code, _, err = run(capsys, "publish", str(repo / "english-null.md"))
    assert code == 0, err
    assert git(repo, "log", "-1", "--format=%s") == f"Published {title}\n"
    assert files_of(repo) == ["english-null.md"]


def test_undo_of_a_committed_publish_is_a_new_commit(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "masthead.yaml").write_text("git:\n  commit_on_publish: true\n")
    commit_all(repo, "settings")
    before = (repo / "english-null.md").read_bytes()
    assert run(capsys, "publish", str(repo / "english-null.md"))[0] == 0
    published = git(repo, "rev-parse", "HEAD")
    code, _, err = run(capsys, "undo", str(repo))
    assert code == 0, err
    assert (repo / "english-null.md").read_bytes() == before
    assert commits(repo) == 4 and files_of(repo) == ["english-null.md"]
    assert git(repo, "log", "-1", "--format=%s") == f"Undo: Publish: {_title(repo)}\n"
    assert git(repo, "rev-parse", "HEAD~1") == published  # a new commit: history is not rewritten
    assert git(repo, "status", "--porcelain") == ""
    code, _, err = run(capsys, "redo", str(repo), "--no-commit")
    assert code == 0 and commits(repo) == 4 and "english-null.md" in git(repo, "status", "--porcelain")


def _title(repo: Path) -> str:
    return str(Document((repo / "english-null.md").read_bytes()).get("title"))


def test_undo_commit_is_asked_for_by_flag(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "tag", "add", str(repo), "tags", "fresh", "--files", str(repo / "crlf.md"))[0] == 0
    assert run(capsys, "undo", str(repo))[0] == 0
    assert commits(repo) == 1 and git(repo, "status", "--porcelain") == ""  # no flag: nothing to commit, none made
    assert run(capsys, "redo", str(repo), "--commit")[0] == 0
    assert commits(repo) == 2 and files_of(repo) == ["crlf.md"]
    assert git(repo, "log", "-1", "--format=%s").startswith("Add “fresh” to tags")


def test_a_rejected_commit_leaves_the_files_published_and_says_so(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hook = repo / ".git" / "hooks" / "commit-msg"
    hook.write_text("#!/bin/sh\necho 'messages need a ticket number' >&2\nexit 1\n")
    hook.chmod(0o755)
    code, _, err = run(capsys, "publish", "--commit", str(repo / "english-null.md"))
    assert code == 1 and "published but not committed" in err and "messages need a ticket number" in err
    assert commits(repo) == 1


def test_push_rejected_then_pull_then_push(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = b"---\ntitle: A\ntags:\n  - x\n---\nbody\n"
    _remote, one, two = remote_and_clones(tmp_path, {"a.md": doc, "b.md": doc})
    (one / "a.md").write_bytes(doc.replace(b"title: A", b"title: One"))
    commit_all(one, "one")
    assert run(capsys, "push", str(one))[0] == 0
    (two / "b.md").write_bytes(doc.replace(b"title: A", b"title: Two"))
    commit_all(two, "two")
    code, _, err = run(capsys, "push", str(two))
    assert code == 1 and "Pull first, then Push" in err
    assert run(capsys, "pull", str(two))[0] == 0
    assert run(capsys, "push", str(two))[0] == 0
    code, out, _ = run(capsys, "git", "status", str(two))
    assert out.splitlines()[0] == "main · no changes"


def test_setup_explains_and_needs_consent(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "git", "setup", str(repo))
    assert code == 1 and "*.md merge=masthead" in out and "--yes" in err
    assert not (repo / ".gitattributes").exists()
    code, out, _ = run(capsys, "git", "setup", str(repo), "--yes")
    assert code == 0 and (repo / ".gitattributes").read_text() == "*.md merge=masthead\n*.markdown merge=masthead\n"
    assert "merge-file %O %A %B --path %P" in git(repo, "config", "merge.masthead.driver")
    code, out, _ = run(capsys, "git", "setup", str(repo), "--yes")
    assert code == 0 and "nothing to change" in out


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("git: yes\n", "'git' must be a mapping"),
        ("git:\n  commit_on_publish: sometimes\n", "commit_on_publish must be true or false"),
        ("git:\n  commit_message:\n    publish: 'Publish {name}'\n", "unknown placeholder {name}"),
        ("git:\n  commit_message:\n    deploy: x\n", "unknown kind 'deploy'"),
        ("git:\n  push: true\n", "unknown setting 'push'"),
    ],
)
def test_bad_git_settings_are_named(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(ParseError, match=problem.replace("{", r"\{").replace("}", r"\}")) as caught:
        parse_schema(text, tmp_path / "masthead.yaml")
    assert caught.value.line == 1


def test_git_settings_defaults_and_templates(tmp_path: Path) -> None:
    schema = parse_schema(
        "git:\n  push_after_commit: true\n  commit_message:\n    bulk: 'Tag: add {values} to {count} files'\n",
        tmp_path / "m.yaml",
    )
    assert schema.git.push_after_commit and not schema.git.commit_on_publish
    assert schema.git.message("bulk", values="ai", count=3) == "Tag: add ai to 3 files"
    assert schema.git.message("publish", title="Hello") == "Publish: Hello"


def test_resolve_lists_then_resolves_a_pulled_conflict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = "---\ntitle: 基础\ndraft: true\ntags:\n  - a\n---\n\nBody\n".encode()
    _remote, one, two = remote_and_clones(tmp_path, {"c.md": base})
    assert run(capsys, "git", "setup", str(two), "--yes")[0] == 0
    (one / "c.md").write_bytes(base.replace("基础".encode(), "一".encode()).replace(b"  - a\n", b"  - a\n  - b\n"))
    commit_all(one, "one")
    git(one, "push", "-q")
    (two / "c.md").write_bytes(base.replace("基础".encode(), "二".encode()).replace(b"draft: true", b"draft: false"))
    commit_all(two, "two")
    assert run(capsys, "pull", str(two))[0] == 1
    code, out, err = run(capsys, "resolve", str(two), "c.md")
    assert code == 1 and out == "title\tours: 二\ttheirs: 一\n", err
    code, out, _ = run(capsys, "resolve", str(two), "c.md", "--json")
    assert '"conflicts": [{"key": "title", "ours": "二", "theirs": "一"}]' in out
    code, _, err = run(capsys, "resolve", str(two), "c.md", "--ours", "draft")
    assert code == 2 and "draft is not in conflict (conflicts: title)" in err
    code, _, err = run(capsys, "resolve", str(two), "c.md", "--theirs", "title")
    assert code == 0, err
    assert (two / "c.md").read_bytes() == "---\ntitle: 一\ndraft: false\ntags:\n  - a\n  - b\n---\n\nBody\n".encode()
    assert git(two, "status", "--short", "c.md") == "M  c.md\n"
