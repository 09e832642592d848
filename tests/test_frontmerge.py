"""Merging front matter by key: unit cases in real files' shapes (Chinese and English), properties, and git
itself using the driver between two clones of a bare remote."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import run_cli
from tests.support.gitrepo import HAVE_GIT, commit_all, git, needs_git, remote_and_clones

from masthead.core.document import Document
from masthead.core.frontmerge import ABSENT, MergeResult, merge_files, set_merge

BASE = (
    "---\ntitle: 一次访谈\ndate: 2025-09-08\ndraft: true\ntags:\n  - ai\n  - chips\npeople: [Ada Park, 'Li Wei']\n"
    "# editor's note\nsummary: 'First take'\n---\n\n### 开场\n\n**[Host]**: Hello.\n\n### Later\n\n**[Guest]**: Bye.\n"
).encode()

ENGLISH = (
    b'---\ntitle: "Pricing developer tools"\ndate: 2025-11-02\ndraft: false\ntags: [pricing, developer-tools]\n'
    b"people:\n  - Ada Park\n  - Sam Oduya\nsummary: >-\n  How two founders price a tool\n  that developers love.\n"
    b"---\n\n### Opening\n\n**[Ada Park]**: Welcome to the show.\n\n**[Sam Oduya]**: Thanks for having me.\n\n"
    b"### Pricing\n\n**[Ada Park]**: How do you price it?\n\n**[Sam Oduya]**: Per seat, for now.\n"
)


def change(data: bytes, *pairs: tuple[str, str]) -> bytes:
    text = data.decode()
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode()


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.ndiff(before.decode().splitlines(), after.decode().splitlines())
    return [line for line in diff if line[:1] in "+-"]


def pick(data: bytes, side: str) -> bytes:
    """Resolve every conflict marker section by hand, keeping ``side`` (ours or theirs)."""
    out, state = [], None
    for line in data.decode().splitlines(keepends=True):
        if line.startswith("<<<<<<< "):
            state = "ours"
        elif line.startswith("=======") and state == "ours":
            state = "theirs"
        elif line.startswith(">>>>>>> ") and state == "theirs":
            state = None
        elif state in (None, side):
            out.append(line)
    return "".join(out).encode()


def test_different_keys_merge_and_only_those_lines_change() -> None:
    ours = change(BASE, ("title: 一次访谈", "title: 一次长访谈"))
    theirs = change(BASE, ("summary: 'First take'", "summary: 'Second take'"), ("draft: true", "draft: false"))
    result = merge_files(BASE, ours, theirs)
    assert result.clean and result.fallback is None
    assert changed_lines(ours, result.data) == [
        "- draft: true",
        "+ draft: false",
        "- summary: 'First take'",
        "+ summary: 'Second take'",
    ]


def test_english_file_different_keys_and_a_date() -> None:
    ours = change(ENGLISH, ("  that developers love.", "  that developers adore."))
    theirs = change(ENGLISH, ("date: 2025-11-02", "date: 2025-11-03"), ("Per seat, for now.", "Per seat."))
    result = merge_files(ENGLISH, ours, theirs)
    assert result.clean
    assert changed_lines(ours, result.data) == [
        "- date: 2025-11-02",
        "+ date: 2025-11-03",
        "- **[Sam Oduya]**: Per seat, for now.",
        "+ **[Sam Oduya]**: Per seat.",
    ]


def test_the_same_list_one_adds_one_removes() -> None:
    ours = change(BASE, ("  - chips\n", "  - chips\n  - robots\n"))
    theirs = change(BASE, ("  - ai\n", ""), ("people: [Ada Park, 'Li Wei']", "people: [Ada Park, 'Li Wei', Sam Oduya]"))
    result = merge_files(BASE, ours, theirs)
    assert result.clean
    assert Document(result.data).get("tags") == ["chips", "robots"]
    assert Document(result.data).get("people") == ["Ada Park", "Li Wei", "Sam Oduya"]
    assert "people: [Ada Park, 'Li Wei', Sam Oduya]" in result.data.decode()  # the flow list keeps its quoting
    assert changed_lines(ours, result.data) == [
        "-   - ai",
        "- people: [Ada Park, 'Li Wei']",
        "+ people: [Ada Park, 'Li Wei', Sam Oduya]",
    ]


def test_flow_lists_changed_on_both_sides_merge_as_sets() -> None:
    ours = change(ENGLISH, ("tags: [pricing, developer-tools]", "tags: [developer-tools, saas, pricing]"))
    theirs = change(ENGLISH, ("tags: [pricing, developer-tools]", "tags: [pricing, 定价, interviews]"))
    result = merge_files(ENGLISH, ours, theirs)
    assert result.clean
    assert Document(result.data).get("tags") == ["saas", "pricing", "定价", "interviews"]
    assert changed_lines(ours, result.data) == [
        "- tags: [developer-tools, saas, pricing]",
        "+ tags: [saas, pricing, 定价, interviews]",
    ]


def test_a_set_merge_giving_ours_writes_nothing_and_same_changes_agree() -> None:
    ours = change(BASE, ("  - ai\n", ""), ("  - chips\n", "  - chips\n  - robots\n"), ("draft: true", "draft: false"))
    theirs = change(BASE, ("  - ai\n", ""), ("draft: true", "draft: false"), ("Bye.", "Goodbye."))
    result = merge_files(BASE, ours, theirs)
    assert result.clean
    assert result.data == change(ours, ("Bye.", "Goodbye."))


def test_set_merge_rules() -> None:
    assert set_merge(["a", "b", "c"], ["c", "a", "x"], ["a", "b", "y", "x", "z"]) == ["a", "x", "y", "z"]
    assert set_merge([], ["1"], [1]) == ["1", 1]  # values compare as front matter: '1' is not 1


def test_the_same_scalar_is_a_conflict_around_that_key_only() -> None:
    ours = change(BASE, ("title: 一次访谈", "title: Ours"), ("  - chips\n", "  - chips\n  - robots\n"))
    theirs = change(BASE, ("title: 一次访谈", "title: Theirs"), ("draft: true", "draft: false"))
    result = merge_files(BASE, ours, theirs)
    assert not result.clean and not result.body_conflict
    assert [(c.key, c.base, c.ours, c.theirs) for c in result.conflicts] == [("title", "一次访谈", "Ours", "Theirs")]
    text = result.data.decode()
    assert (
        "---\n<<<<<<< ours\ntitle: Ours\n=======\ntitle: Theirs\n>>>>>>> theirs\ndate: 2025-09-08\ndraft: false\n"
        in text
    )
    assert "  - robots\n" in text and text.count("<<<<<<<") == 1
    resolved = merge_files(BASE, ours, theirs, resolutions={"title": "Both"})
    assert resolved.clean and Document(resolved.data).error is None
    assert Document(resolved.data).data["title"] == "Both"
    assert Document(resolved.data).data["draft"] is False
    assert merge_files(BASE, ours, theirs, resolutions={"title": "Ours"}).data == pick(result.data, "ours")
    gone = merge_files(BASE, ours, theirs, resolutions={"title": ABSENT})
    assert gone.clean and "title" not in Document(gone.data).data


def test_conflicts_in_several_keys_labels_and_marker_size() -> None:
    ours = change(
        ENGLISH, ('title: "Pricing developer tools"', 'title: "Pricing tools"'), ("draft: false", "draft: true")
    )
    theirs = change(
        ENGLISH, ('title: "Pricing developer tools"', "title: Pricing for developers"), ("draft: false", "draft: null")
    )
    result = merge_files(
        ENGLISH, ours, theirs, labels=("HEAD", "merged common ancestors", "origin/main"), marker_size=9
    )
    assert [c.key for c in result.conflicts] == ["title", "draft"]
    assert (
        '<<<<<<<<< HEAD\ntitle: "Pricing tools"\n=========\ntitle: Pricing for developers\n>>>>>>>>> origin/main\n'
        "date: 2025-11-02\n<<<<<<<<< HEAD\ndraft: true\n=========\ndraft: null\n>>>>>>>>> origin/main\ntags:"
    ) in result.data.decode()


def test_markers_go_around_the_key_not_text_inside_another_value() -> None:
    base = b'---\nsummary: "first\ntitle: Ours\n  more"\ntitle: Base\n---\nbody\n'
    result = merge_files(base, change(base, ("title: Base", "title: Ours")), change(base, ("title: Base", "title: T")))
    assert result.data == (
        b'---\nsummary: "first\ntitle: Ours\n  more"\n'
        b"<<<<<<< ours\ntitle: Ours\n=======\ntitle: T\n>>>>>>> theirs\n---\nbody\n"
    )


def test_a_key_both_added_differently_is_marked_at_the_end_of_the_block() -> None:
    ours = change(ENGLISH, ("date: 2025-11-02\n", "date: 2025-11-02\nseries: Founders\n"))
    theirs = change(ENGLISH, ("  that developers love.\n", "  that developers love.\nseries: 创始人\n"))
    result = merge_files(ENGLISH, ours, theirs)
    assert [c.key for c in result.conflicts] == ["series"]
    assert "date: 2025-11-02\n<<<<<<< ours\nseries: Founders\n=======\nseries: 创始人\n>>>>>>> theirs\n" in (
        result.data.decode()
    )
    theirs_only = merge_files(ENGLISH, ENGLISH.replace(b"Welcome", b"Hello"), theirs)
    assert theirs_only.data == theirs.replace(b"Welcome", b"Hello")
    deleted = change(ENGLISH, ("date: 2025-11-02\n", ""))
    marked = merge_files(ENGLISH, deleted, change(ENGLISH, ("date: 2025-11-02", "date: 2025-12-01")))
    assert [(c.key, c.ours is ABSENT) for c in marked.conflicts] == [("date", True)]
    assert marked.data.decode().endswith(
        "  that developers love.\n<<<<<<< ours\n=======\ndate: 2025-12-01\n>>>>>>> theirs\n---\n\n### Opening"
        + ENGLISH.decode().split("### Opening", 1)[1]
    )


def test_deleted_on_one_side() -> None:
    theirs = change(BASE, ("summary: 'First take'\n", ""))
    ours = change(BASE, ("title: 一次访谈", "title: 二次访谈"))
    merged = merge_files(BASE, ours, theirs)
    assert merged.clean and changed_lines(ours, merged.data) == ["- summary: 'First take'"]
    assert "# editor's note" in merged.data.decode()  # the comment above it stays
    changed = change(BASE, ("summary: 'First take'", "summary: 'Mine'"))
    result = merge_files(BASE, changed, theirs)
    assert [(c.key, c.theirs is ABSENT) for c in result.conflicts] == [("summary", True)]
    assert "<<<<<<< ours\nsummary: 'Mine'\n=======\n>>>>>>> theirs\n---\n" in result.data.decode()


def test_nested_mappings_are_single_values() -> None:
    base = b"---\ntitle: A\nvenue:\n  city: Taipei\n  room: 3\n---\nbody\n"
    ours = change(base, ("room: 3", "room: 4"))
    theirs = change(base, ("city: Taipei", "city: 台北"))
    result = merge_files(base, ours, theirs)
    assert [c.key for c in result.conflicts] == ["venue"]
    assert "<<<<<<< ours\nvenue:\n  city: Taipei\n  room: 4\n=======\nvenue:\n  city: 台北\n  room: 3\n>>>>>>>" in (
        result.data.decode()
    )
    one_side = merge_files(base, change(base, ("title: A", "title: B")), theirs)
    assert one_side.clean and Document(one_side.data).data == {"title": "B", "venue": {"city": "台北", "room": 3}}


def test_crlf_bom_and_no_final_newline_stay_as_ours() -> None:
    base = b"\xef\xbb\xbf---\r\ntitle: \"Quoted\"\r\nnote: 'single'\r\ntags:\r\n- a\r\n---\r\nBody without end"
    ours = base.replace(b"Body without end", b"Body edited, without end")
    theirs = base.replace(b"- a\r\n", b"- a\r\n- b\r\n")
    result = merge_files(base, ours, theirs)
    assert result.clean
    assert result.data == (
        b"\xef\xbb\xbf---\r\ntitle: \"Quoted\"\r\nnote: 'single'\r\ntags:\r\n- a\r\n- b\r\n---\r\n"
        b"Body edited, without end"
    )
    theirs_lf = base.replace(b"\r\n", b"\n").replace(b'"Quoted"', b'"Theirs"')
    clash = merge_files(base, base.replace(b'"Quoted"', b"'Ours'"), theirs_lf)
    assert clash.data.startswith(
        b"\xef\xbb\xbf---\r\n<<<<<<< ours\r\ntitle: 'Ours'\r\n=======\r\ntitle: \"Theirs\"\r\n>>>>>>> theirs\r\nnote:"
    )


def test_bodies_merge_with_git_or_conflict() -> None:
    ours = change(BASE, ("Hello.", "Hello there."), ("title: 一次访谈", "title: 访谈"))
    theirs = change(BASE, ("Bye.", "Goodbye."), ("draft: true", "draft: false"))
    result = merge_files(BASE, ours, theirs)
    assert result.clean
    assert Document(result.data).body == Document(change(BASE, ("Hello.", "Hello there."), ("Bye.", "Goodbye."))).body
    assert Document(result.data).data["draft"] is False and Document(result.data).data["title"] == "访谈"
    clash = merge_files(BASE, ours, change(BASE, ("Hello.", "Hi.")))
    assert clash.body_conflict and not clash.conflicts and not clash.clean
    if HAVE_GIT:  # git marks the turn that both changed, nothing more
        assert b"<<<<<<< ours\n**[Host]**: Hello there.\n=======\n**[Host]**: Hi.\n>>>>>>> theirs\n" in clash.data
        assert clash.data.startswith(ours.split(b"\n### ")[0])


def test_a_body_merge_of_ones_own() -> None:
    calls: list[tuple[bytes, bytes, bytes]] = []

    def merge(base: bytes, ours: bytes, theirs: bytes) -> tuple[bytes, bool]:
        calls.append((base, ours, theirs))
        return b"\nmerged\n", False

    ours = change(ENGLISH, ("Welcome", "Hello"))
    assert merge_files(ENGLISH, ours, change(ENGLISH, ("draft: false", "draft: true")), merge_body=merge).clean
    assert calls == []  # only a body both sides changed is merged
    result = merge_files(ENGLISH, ours, change(ENGLISH, ("Per seat", "Per team")), merge_body=merge)
    assert len(calls) == 1 and calls[0][1] == Document(ours).body
    assert result.data == ours[: len(ours) - len(Document(ours).body)] + b"\nmerged\n"


def test_without_git_a_differing_body_is_one_conflict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MASTHEAD_GIT", "/nonexistent/git")
    ours = change(BASE, ("Hello.", "Hello there."))
    assert merge_files(BASE, ours, change(BASE, ("draft: true", "draft: false"))).clean
    result = merge_files(BASE, ours, change(BASE, ("Bye.", "Goodbye."), ("draft: true", "draft: false")))
    assert result.body_conflict and Document(result.data).data["draft"] is False
    body = Document(result.data).body
    assert (
        body.startswith(b"<<<<<<< ours\n\n### ") and b"\n=======\n\n### " in body and body.endswith(b">>>>>>> theirs\n")
    )
    broken = change(BASE, ("people: [Ada Park, 'Li Wei']", "people: [Ada Park"))
    assert merge_files(BASE, BASE, broken).data == broken  # one side changed: no conflict, even without git


def test_a_side_that_cannot_be_read_is_merged_line_by_line() -> None:
    theirs = change(BASE, ("people: [Ada Park, 'Li Wei']", "people: [Ada Park"))
    assert merge_files(BASE, BASE, theirs) == MergeResult(theirs)  # only theirs changed: theirs, as git would
    ours = change(BASE, ("title: 一次访谈", "title: 访谈"))
    result = merge_files(BASE, ours, theirs)
    assert result.fallback is not None and "theirs cannot be read" in result.fallback
    if HAVE_GIT:
        assert result.clean and result.data == change(ours, ("people: [Ada Park, 'Li Wei']", "people: [Ada Park"))
    toml = b"+++\ntitle = 'x'\n+++\nbody\n"
    assert (merge_files(toml, toml.replace(b"x", b"y"), toml.replace(b"body", b"text")).fallback or "").startswith(
        "the common version has TOML"
    )


def test_a_read_only_value_is_compared_as_written() -> None:
    base = b"---\ntitle: A\nsummary: S\nlevel: !grade 3\n---\nbody\n"
    ours = change(base, ("title: A", "title: O"))
    kept = merge_files(base, ours, change(base, ("summary: S", "summary: T")))
    assert kept.clean and kept.fallback is None and kept.data == change(ours, ("summary: S", "summary: T"))
    removed = merge_files(base, ours, change(base, ("level: !grade 3\n", "")))
    assert removed.clean and removed.data == change(ours, ("level: !grade 3\n", ""))
    retagged = merge_files(base, ours, change(base, ("!grade 3", "!grade 4")))
    assert retagged.fallback is not None and "level" in retagged.fallback
    if HAVE_GIT:  # the line merge keeps the tag (a merge by value would have written level: '4')
        assert retagged.clean and retagged.data == change(ours, ("!grade 3", "!grade 4"))
    both = merge_files(base, change(base, ("!grade 3", "!grade 5")), change(base, ("!grade 3", "!grade 4")))
    assert [c.key for c in both.conflicts] == ["level"]
    assert "<<<<<<< ours\nlevel: !grade 5\n=======\nlevel: !grade 4\n>>>>>>> theirs\n" in both.data.decode()


# ----------------------------------------------------------------- properties

keys = st.sampled_from(["title", "summary", "status", "tags", "people", "series"])
scalars = st.one_of(
    st.text(alphabet="abcxyz 访谈", min_size=1, max_size=8).map(str.strip).filter(bool), st.integers(0, 99)
)
values = st.one_of(scalars, st.lists(st.text(alphabet="abcxyz", min_size=1, max_size=5), max_size=4, unique=True))
front = st.dictionaries(keys, values, min_size=1, max_size=5)
bodies = st.sampled_from(["\n### 开场\n\n**[Host]**: Hello.\n", "\n### Opening\n\n**[Ada]**: Hi.\n\n**[Sam]**: Hey.\n"])
MISSING = object()


def render(data: dict[str, object], body: str = "\nbody\n") -> bytes:
    doc = Document(b"---\nx: 1\n---\n" + body.encode())
    for key, value in data.items():
        doc.set(key, value)
    doc.delete("x")
    return Document(doc.to_bytes()).to_bytes()


def expected(b: dict[str, object], o: dict[str, object], t: dict[str, object]) -> tuple[dict[str, object], set[str]]:
    """The merge by the rules, written independently: the clean keys' values, and the conflicting keys."""
    out: dict[str, object] = {}
    conflicts: set[str] = set()
    for key in {*b, *o, *t}:
        bv, ov, tv = (d.get(key, MISSING) for d in (b, o, t))
        if bv == tv or ov == tv:
            value = ov
        elif bv == ov:
            value = tv
        elif isinstance(ov, list) and isinstance(tv, list) and (bv is MISSING or isinstance(bv, list)):
            old = set(bv) if isinstance(bv, list) else set()
            value = sorted((set(ov) - (old - set(tv))) | (set(tv) - old))
        else:
            conflicts.add(key)
            continue
        if value is not MISSING:
            out[key] = value
    return out, conflicts


def normal(data: dict[str, object]) -> dict[str, object]:
    return {k: sorted(v) if isinstance(v, list) else v for k, v in data.items()}


@settings(max_examples=60, deadline=None)
@given(front, front, bodies)
def test_one_sided_changes_are_taken_exactly(base_data: dict[str, object], other: dict[str, object], body: str) -> None:
    base, changed = render(base_data), render(other)
    assert merge_files(base, changed, base).data == changed  # theirs did not change: ours, byte for byte
    assert merge_files(base, base, changed).data == changed  # ours did not change: theirs, byte for byte
    # the same with the other side's body changed, so that the front matter goes through the key merge
    merged = merge_files(base, changed, render(base_data, body))
    assert merged.clean and merged.data == render(other, body)
    merged = merge_files(base, render(base_data, body), changed)
    assert merged.clean and Document(merged.data).data == Document(changed).data
    assert Document(merged.data).body == body.encode()


@settings(max_examples=100, deadline=None)
@given(front, front, front)
def test_merging_follows_the_rules(b: dict[str, object], o: dict[str, object], t: dict[str, object]) -> None:
    base, ours, theirs = render(b), render(o), render(t)
    result = merge_files(base, ours, theirs)
    want, conflicting = expected(b, o, t)
    assert {c.key for c in result.conflicts} == conflicting and not result.body_conflict
    assert result.data.count(b"<<<<<<< ours\n") == len(conflicting)
    kept = merge_files(base, ours, theirs, resolutions={c.key: c.ours for c in result.conflicts})
    assert kept.clean and pick(result.data, "ours") == kept.data
    assert normal(Document(kept.data).data) == normal({**want, **{k: o[k] for k in conflicting if k in o}})
    taken = merge_files(base, ours, theirs, resolutions={c.key: c.theirs for c in result.conflicts})
    assert taken.clean and Document(pick(result.data, "theirs")).data == Document(taken.data).data
    assert normal(Document(taken.data).data) == normal({**want, **{k: t[k] for k in conflicting if k in t}})
    order = list(Document(kept.data).data)
    from_ours = [k for k in o if k in order]
    if ours != base:  # (when ours did not change, the result is theirs)
        assert order[: len(from_ours)] == from_ours  # ours' keys first, in ours' order


@settings(max_examples=60, deadline=None)
@given(front, front, front)
def test_merging_is_symmetric_when_clean(
    base_data: dict[str, object], a: dict[str, object], b: dict[str, object]
) -> None:
    base, one, two = render(base_data), render(a), render(b)
    ab, ba = merge_files(base, one, two), merge_files(base, two, one)
    assert ab.clean == ba.clean
    assert {c.key for c in ab.conflicts} == {c.key for c in ba.conflicts}
    if ab.clean:
        assert normal(Document(ab.data).data) == normal(Document(ba.data).data)


# ----------------------------------------------------------------- git using the driver


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
