"""Front matter built to hurt a reader (issue 13's first items): alias bombs, an alias inside itself, deep
nesting. Each is refused with a clear reason, by the editor's reader and by the index alike, and nothing
else in the archive is lost; ordinary anchors and aliases still read."""

from __future__ import annotations

from pathlib import Path

import pytest

from masthead.core import storage, yamlguard, yamlread
from masthead.core.errors import ParseError
from masthead.core.index import ArchiveIndex


def bomb(levels: int = 9) -> str:
    """The billion laughs: 10 ** levels values from a few hundred bytes."""
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "bomb.md": ("title: 爆弾\n" + bomb(), "aliases expand to more than"),
    "self.md": ("title: Self\ntags: &t [x, *t]\n", "an alias is used inside the value it names"),
    "deep.md": ("title: Deep\nx: " + "[" * 300 + "]" * 300 + "\n", "nested more than"),
    "deep-map.md": (
        "title: Deep\n" + "".join("  " * i + f"k{i}:\n" for i in range(150)) + "  " * 150 + "v\n",
        "nested",
    ),
}


def write(folder: Path, name: str, front: str) -> Path:
    path = folder / name
    path.write_text(f"---\n{front}---\n\n### Part\n\n**[Host]**: body\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_editor_refuses_it_with_the_reason_and_writes_nothing(tmp_path: Path, name: str) -> None:
    front, words = HOSTILE[name]
    path = write(tmp_path, name, front)
    before = path.read_bytes()
    doc = storage.load(path)
    assert doc.error is not None and not doc.editable and words in doc.error.message
    assert str(doc.error).startswith(f"{path}:2: the front matter cannot be read safely")
    with pytest.raises(ParseError):  # the index reads with the same reader: no data there either
        yamlread.values(front)
    assert storage.save(doc).raw == before and path.read_bytes() == before


def test_the_index_lists_them_as_errors_and_keeps_the_rest(tmp_path: Path) -> None:
    for name, (front, _) in HOSTILE.items():
        write(tmp_path, name, front)
    write(tmp_path, "fine.md", "title: Fine\nbase: &b [p, q]\nother: *b\n")
    index = ArchiveIndex(tmp_path, use_cache=False, workers=1).open()
    assert sorted(index.records) == sorted([*HOSTILE, "fine.md"])
    assert all(index.records[name].error for name in HOSTILE)
    fine = index.records["fine.md"]
    assert fine.error is None and fine.meta["other"] == ["p", "q"] == fine.meta["base"]


def test_ordinary_anchors_and_a_bomb_just_under_the_limit_still_read(tmp_path: Path) -> None:
    doc = storage.load(write(tmp_path, "small.md", "title: Small\n" + bomb(4)))  # 10,000 values: fine
    assert doc.error is None and len(doc.data["l3"]) == 10  # type: ignore[arg-type]


def test_sizes_are_counted_with_aliases_followed_once_per_target() -> None:
    import yaml

    node = yaml.compose(bomb(4))
    assert yamlguard.refusal(node) is None  # about 12,350 nodes with its aliases followed
    assert "expand" in (yamlguard.refusal(yaml.compose(bomb(5))) or "")  # about 123,460
    old = yamlguard.EXPANSION_LIMIT
    yamlguard.EXPANSION_LIMIT = 5_000
    try:
        assert "expand" in (yamlguard.refusal(node) or "")
    finally:
        yamlguard.EXPANSION_LIMIT = old


@pytest.mark.parametrize("depth", [yamlguard.DEPTH_LIMIT - 1, yamlguard.DEPTH_LIMIT, yamlguard.DEPTH_LIMIT + 1])
def test_the_depth_line_is_drawn_at_the_limit(tmp_path: Path, depth: int) -> None:
    front = "title: Edge\nx: " + "[" * depth + "]" * depth + "\n"  # the list's innermost level is depth + 1 - 1
    doc = storage.load(write(tmp_path, "edge.md", front))
    assert (doc.error is None) == (depth <= yamlguard.DEPTH_LIMIT)
