"""The git layer on real repositories: where the archive sits, status, commit, pull, push, history, setup."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from tests.support.gitrepo import commit_all, git, init, needs_git, remote_and_clones

from masthead.core import git_ops, git_setup
from masthead.core.git_run import GitCancelled, GitError, run
from masthead.core.git_status import Repo, locate, status

pytestmark = needs_git

DOC = b"---\ntitle: One\ndraft: true\ntags:\n  - a\n---\n\n### Part\n\n**[Host]**: hello\n"
DOC_ZH = "---\ntitle: 访谈\ndraft: false\n---\n\n正文\n".encode()


def repo_of(path: Path) -> Repo:
    found = locate(path)
    assert isinstance(found, Repo), found
    return found


def test_locate_outside_a_repository_says_why(tmp_path: Path) -> None:
    assert "not in a git repository" in str(locate(tmp_path))


def test_locate_an_archive_in_a_subfolder(tmp_path: Path) -> None:
    init(tmp_path / "site", {"content/posts/a.md": DOC, "README.md": b"site\n"})
    repo = repo_of(tmp_path / "site" / "content" / "posts")
    assert repo.prefix == "content/posts/"
    assert repo.to_archive("content/posts/a.md") == "a.md"
    assert repo.to_archive("README.md") is None


def test_git_missing_is_a_reason_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    init(tmp_path / "a", {"a.md": DOC})
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert "git is not installed" in str(locate(tmp_path / "a"))


def test_status_names_each_state(tmp_path: Path) -> None:
    root = init(
        tmp_path / "site", {"posts/clean.md": DOC, "posts/edit.md": DOC, "posts/staged.md": DOC, "posts/gone.md": DOC}
    )
    posts = root / "posts"
    (posts / "edit.md").write_bytes(DOC.replace(b"One", b"Two"))
    (posts / "staged.md").write_bytes(DOC.replace(b"One", b"Three"))
    git(root, "add", "posts/staged.md")
    (posts / "gone.md").unlink()
    (posts / "新.md").write_bytes(DOC_ZH)
    (posts / "added.md").write_bytes(DOC)
    git(root, "add", "posts/added.md")
    (root / "outside.md").write_bytes(DOC)
    st = status(repo_of(posts))
    assert {rel: st.state_of(rel) for rel in ["clean.md", "edit.md", "staged.md", "gone.md", "新.md", "added.md"]} == {
        "clean.md": "clean",
        "edit.md": "modified",
        "staged.md": "staged",
        "gone.md": "deleted",
        "新.md": "untracked",
        "added.md": "new",
    }
    assert "outside.md" not in st.files and "../outside.md" not in st.files
    assert st.branch == "main" and st.summary() == "main · 5 changed"


def test_commit_takes_exactly_the_chosen_files(tmp_path: Path) -> None:
    root = init(tmp_path / "a", {"a.md": DOC, "b.md": DOC})
    (root / "a.md").write_bytes(DOC.replace(b"One", b"A"))
    (root / "b.md").write_bytes(DOC.replace(b"One", b"B"))
    (root / "c 新.md").write_bytes(DOC_ZH)
    repo = repo_of(root)
    head = git_ops.commit(repo, ["a.md", "c 新.md"], "Tag: two files")
    assert git(root, "rev-parse", "HEAD").strip() == head
    assert sorted(git(root, "show", "--name-only", "--format=", "HEAD").splitlines()) == ["a.md", "c 新.md"]
    assert status(repo).state_of("b.md") == "modified"
    assert git(root, "log", "-1", "--format=%s") == "Tag: two files\n"


def test_a_file_named_like_a_pattern_is_that_file(tmp_path: Path) -> None:
    root = init(tmp_path / "a", {"a.md": DOC, "b.md": DOC})
    (root / "*.md").write_bytes(DOC)
    (root / "a.md").write_bytes(DOC.replace(b"One", b"A"))
    git_ops.commit(repo_of(root), ["*.md"], "only the star")
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == ["*.md"]


def test_a_hook_that_refuses_shows_its_message(tmp_path: Path) -> None:
    root = init(tmp_path / "a", {"a.md": DOC})
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'summary lines must be short (house rule)' >&2\nexit 1\n")
    hook.chmod(0o755)
    (root / "a.md").write_bytes(DOC.replace(b"One", b"A"))
    with pytest.raises(GitError, match="house rule"):
        git_ops.commit(repo_of(root), ["a.md"], "edit")
    assert git(root, "rev-list", "--count", "HEAD").strip() == "1"


def test_push_rejected_as_non_fast_forward_is_explained(tmp_path: Path) -> None:
    _remote, one, two = remote_and_clones(tmp_path, {"a.md": DOC, "b.md": DOC})
    (one / "a.md").write_bytes(DOC.replace(b"One", b"A"))
    commit_all(one, "one")
    git_ops.push(repo_of(one))
    (two / "b.md").write_bytes(DOC.replace(b"One", b"B"))
    commit_all(two, "two")
    with pytest.raises(GitError) as caught:
        git_ops.push(repo_of(two))
    assert caught.value.message.startswith("The remote has commits this copy does not have yet: Pull first")
    assert "[rejected]" in caught.value.message  # git's own words follow
    pulled = git_ops.pull(repo_of(two))
    assert pulled.conflicts == []
    assert (two / "a.md").read_bytes() == DOC.replace(b"One", b"A")
    git_ops.push(repo_of(two))
    st = status(repo_of(two))
    assert (st.ahead, st.behind) == (0, 0)


def test_push_of_a_new_branch_sets_its_upstream(tmp_path: Path) -> None:
    remote, one, _two = remote_and_clones(tmp_path, {"a.md": DOC})
    git(one, "switch", "-q", "-c", "topic")
    (one / "a.md").write_bytes(DOC.replace(b"One", b"T"))
    commit_all(one, "topic")
    git_ops.push(repo_of(one))
    assert git(remote, "log", "-1", "--format=%s", "topic") == "topic\n"
    assert status(repo_of(one)).upstream == "origin/topic"


def test_history_follows_the_file_and_gives_each_version(tmp_path: Path) -> None:
    root = init(tmp_path / "a", {"old.md": DOC})
    git(root, "mv", "old.md", "new.md")
    commit_all(root, "rename")
    (root / "new.md").write_bytes(DOC.replace(b"One", b"Two"))
    commit_all(root, "retitle")
    repo = repo_of(root)
    versions = git_ops.history(repo, "new.md")
    assert [v.subject for v in versions] == ["retitle", "rename", "first"]
    assert versions[-1].path == "old.md"
    assert git_ops.version(repo, versions[0]) == DOC.replace(b"One", b"Two")
    assert git_ops.version(repo, versions[-1]) == DOC
    assert git_ops.blob(repo, "new.md") == DOC.replace(b"One", b"Two")
    assert git_ops.blob(repo, "never.md") is None


def test_a_slow_git_is_cancelled(tmp_path: Path) -> None:
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    start = time.monotonic()
    with pytest.raises(GitCancelled):
        run(["-c", "alias.wait=!sleep 30", "wait"], tmp_path, cancel=cancel)
    assert time.monotonic() - start < 10


def test_setup_is_explained_then_written_once(tmp_path: Path) -> None:
    root = init(tmp_path / "site", {"posts/a.md": DOC, "posts/.gitattributes": b"*.png binary"})
    repo = repo_of(root / "posts")
    plan = git_setup.plan(repo, "masthead")
    text = plan.describe()
    assert "*.md merge=masthead" in text and "merge.masthead.driver = masthead merge-file %O %A %B" in text
    assert not git_setup.is_set_up(repo)
    git_setup.apply(plan, repo)
    assert (
        root / "posts" / ".gitattributes"
    ).read_bytes() == b"*.png binary\n*.md merge=masthead\n*.markdown merge=masthead\n"
    assert git_setup.is_set_up(repo)
    assert not git_setup.plan(repo, "masthead").needed
    assert "merge-file" in git(root, "config", "--local", "merge.masthead.driver")


def test_marker_line_finds_only_real_conflict_markers() -> None:
    from masthead.core.git_conflicts import marker_line

    assert marker_line(b"---\ntitle: a\n---\n\nbody <<<<<<< not at a line start\n") is None
    assert marker_line(b"a\r\n<<<<<<< ours\r\nx\r\n=======\r\ny\r\n>>>>>>> theirs\r\n") == 2
    assert marker_line(b"a\nb\n>>>>>>>\n") == 3
    assert marker_line(b"<<<<<<<< eight is not a marker\n") is None
