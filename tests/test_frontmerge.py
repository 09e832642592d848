"""Merging front matter by key: unit cases in real files' shapes, properties, and git itself using the
driver between two clones of a bare remote."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import run_cli
from tests.support.gitrepo import commit_all, git, needs_git, remote_and_clones

from masthead.core.document import Document
from masthead.core.frontmerge import ABSENT, merge_files

BASE = (
    "---\ntitle: 一次访谈\ndate: 2025-09-08\ndraft: true\ntags:\n  - ai\n  - chips\npeople: [Ada Park, 'Li Wei']\n"
    "# editor's note\nsummary: 'First take'\n---\n\n### 开场\n\n**[Host]**: Hello.\n\n### Later\n\n**[Guest]**: Bye.\n"
).encode()


def change(data: bytes, *pairs: tuple[str, str]) -> bytes:
    text = data.decode()
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode()


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.ndiff(before.decode().splitlines(), after.decode().splitlines())
    return [line for line in diff if line[:1] in "+-"]


def test_different_keys_merge_and_only_those_lines_change() -> None:
    ours = change(BASE, ("title: 一次访谈", "title: 一次长访谈"))
    theirs = change(BASE, ("summary: 'First take'", "summary: 'Second take'"), ("draft: true", "draft: false"))
    result = merge_files(BASE, ours, theirs)
    assert result.clean
    assert changed_lines(ours, result.data) == [
        "- draft: true",
        "+ draft: false",
        "- summary: 'First take'",
        "+ summary: 'Second take'",
    ]


def test_the_same_list_one_adds_one_removes() -> None:
    ours = change(BASE, ("  - chips\n", "  - chips\n  - robots\n"))
    theirs = change(BASE, ("  - ai\n", ""), ("people: [Ada Park, 'Li Wei']", "people: [Ada Park, 'Li Wei', Sam Oduya]"))
    result = merge_files(BASE, ours, theirs)
    assert result.clean
    assert Document(result.data).get("tags") == ["chips", "robots"]
    assert Document(result.data).get("people") == ["Ada Park", "Li Wei", "Sam Oduya"]
    assert "people: [Ada Park, 'Li Wei', Sam Oduya]" in result.data.decode()  # the flow list keeps its quoting


def test_the_same_scalar_is_a_conflict_around_that_key_only() -> None:
    ours = change(BASE, ("title: 一次访谈", "title: Ours"), ("  - chips\n", "  - chips\n  - robots\n"))
    theirs = change(BASE, ("title: 一次访谈", "title: Theirs"), ("draft: true", "draft: false"))
    result = merge_files(BASE, ours, theirs)
    assert not result.clean and [c.key for c in result.conflicts] == ["title"]
    text = result.data.decode()
    assert "<<<<<<< ours\ntitle: Ours\n=======\ntitle: Theirs\n>>>>>>> theirs\ndate: 2025-09-08\ndraft: false\n" in text
    assert "  - robots\n" in text
    resolved = merge_files(BASE, ours, theirs, resolutions={"title": "Both"})
    assert resolved.clean and Document(resolved.data).data["title"] == "Both"
    assert Document(resolved.data).data["draft"] is False


def test_deleted_on_one_side() -> None:
    theirs = change(BASE, ("summary: 'First take'\n", ""))
    assert "summary" not in Document(merge_files(BASE, BASE, theirs).data).data
    ours = change(BASE, ("summary: 'First take'", "summary: 'Mine'"))
    result = merge_files(BASE, ours, theirs)
    assert [(c.key, c.theirs is ABSENT) for c in result.conflicts] == [("summary", True)]
    assert "=======\n>>>>>>> theirs" in result.data.decode()


def test_crlf_bom_and_no_final_newline_stay_as_ours() -> None:
    base = b'\xef\xbb\xbf---\r\ntitle: "Quoted"\r\ntags:\r\n- a\r\n---\r\nBody without end'
    ours = base.replace(b"Body without end", b"Body edited, without end")
    theirs = base.replace(b"- a\r\n", b"- a\r\n- b\r\n")
    result = merge_files(base, ours, theirs)
    assert result.clean
    assert (
        result.data == b'\xef\xbb\xbf---\r\ntitle: "Quoted"\r\ntags:\r\n- a\r\n- b\r\n---\r\nBody edited, without end'
    )


def test_bodies_merge_with_git_or_conflict() -> None:
    ours = change(BASE, ("Hello.", "Hello there."))
    theirs = change(BASE, ("Bye.", "Goodbye."))
    result = merge_files(BASE, ours, theirs)
    assert result.clean and b"Hello there." in result.data and b"Goodbye." in result.data
    clash = merge_files(BASE, ours, change(BASE, ("Hello.", "Hi.")))
    assert clash.body_conflict and b"<<<<<<< ours" in clash.data and not clash.conflicts


def test_a_side_that_cannot_be_read_is_merged_line_by_line() -> None:
    theirs = change(BASE, ("people: [Ada Park, 'Li Wei']", "people: [Ada Park"))
    result = merge_files(BASE, BASE, theirs)
    assert result.fallback is not None and "theirs cannot be read" in result.fallback
    assert result.data == theirs  # only theirs changed: git's merge takes it


keys = st.sampled_from(["title", "summary", "status", "tags", "people", "series"])
scalars = st.one_of(
    st.text(alphabet="abcxyz 访谈", min_size=1, max_size=8).map(str.strip).filter(bool), st.integers(0, 99)
)
values = st.one_of(scalars, st.lists(st.text(alphabet="abcxyz", min_size=1, max_size=5), max_size=4, unique=True))
front = st.dictionaries(keys, values, min_size=1, max_size=5)


def render(data: dict[str, object]) -> bytes:
    doc = Document(b"---\nx: 1\n---\nbody\n")
    for key, value in data.items():
        doc.set(key, value)  # type: ignore[arg-type]
    doc.delete("x")
    return Document(doc.to_bytes()).to_bytes()


@settings(max_examples=60, deadline=None)
@given(front, front)
def test_one_sided_changes_are_taken_exactly(base_data: dict[str, object], other: dict[str, object]) -> None:
    base, changed = render(base_data), render(other)
    assert merge_files(base, changed, base).data == changed  # theirs did not change: ours, byte for byte
    merged = merge_files(base, base, changed)
    assert merged.clean and Document(merged.data).data == Document(changed).data


@settings(max_examples=60, deadline=None)
@given(front, front, front)
def test_merging_is_symmetric_when_clean(
    base_data: dict[str, object], a: dict[str, object], b: dict[str, object]
) -> None:
    base, one, two = render(base_data), render(a), render(b)
    ab, ba = merge_files(base, one, two), merge_files(base, two, one)
    assert ab.clean == ba.clean
    if ab.clean:
        left, right = Document(ab.data).data, Document(ba.data).data
        assert set(left) == set(right)
        for key in left:
            if isinstance(left[key], list):
                assert sorted(map(str, left[key])) == sorted(map(str, right[key]))  # type: ignore[arg-type]
            else:
                assert left[key] == right[key]


@needs_git
def test_two_editors_through_the_driver(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {"a.md": BASE, "b.md": BASE, "c.md": BASE}
    _remote, one, two = remote_and_clones(tmp_path, files)
    assert run_cli(capsys, "git", "setup", str(one), "--yes")[0] == 0
    commit_all(one, "setup")  # .gitattributes travels with the repository; the driver's config is per clone
    git(one, "push", "-q")
    git(two, "pull", "-q", "--no-rebase")
    assert run_cli(capsys, "git", "setup", str(two), "--yes")[0] == 0
    (one / "a.md").write_bytes(change(BASE, ("title: 一次访谈", "title: One's title")))
    (two / "a.md").write_bytes(change(BASE, ("summary: 'First take'", "summary: 'Two wrote this'")))
    (one / "b.md").write_bytes(change(BASE, ("  - chips\n", "  - chips\n  - robots\n")))
    (two / "b.md").write_bytes(change(BASE, ("  - ai\n", "")))
    (one / "c.md").write_bytes(change(BASE, ("title: 一次访谈", "title: One's title"), ("draft: true", "draft: false")))
    (two / "c.md").write_bytes(change(BASE, ("title: 一次访谈", "title: Two's title"), ("draft: true", "draft: false")))
    commit_all(one, "one")
    git(one, "push", "-q")
    commit_all(two, "two")
    code, _, _ = run_cli(capsys, "pull", str(two))
    assert code == 1  # c.md: both changed the title
    a = (two / "a.md").read_bytes()
    assert changed_lines(BASE, a) == [
        "- title: 一次访谈",
        "+ title: One's title",
        "- summary: 'First take'",
        "+ summary: 'Two wrote this'",
    ]
    assert Document((two / "b.md").read_bytes()).get("tags") == ["chips", "robots"]
    assert changed_lines(BASE, (two / "b.md").read_bytes()) == ["-   - ai", "+   - robots"]
    code, out, _ = run_cli(capsys, "git", "status", str(two), "--json")
    assert '{"path": "c.md", "state": "conflict"}' in out
    c = (two / "c.md").read_text()
    assert "title: Two's title\n=======\ntitle: One's title\n>>>>>>> " in c
    assert c.count("<<<<<<<") == 1 and "draft: false" in c.split(">>>>>>>")[1]  # only the title is marked
