"""Limits on what a front-matter block may make a reader build, checked on the composed node graph before any
value is constructed: aliases expand (a 550-byte "billion laughs" block is gigabytes once its aliases are
followed), an alias may sit inside the value it names, and nesting may go deeper than any front matter does."""

from __future__ import annotations

from typing import Any

EXPANSION_LIMIT = 100_000  # nodes a block may stand for with its aliases followed
DEPTH_LIMIT = 100  # nested lists and mappings
TOO_DEEP = f"lists or mappings are nested more than {DEPTH_LIMIT} deep"


def _children(node: Any) -> list[Any]:
    value = node.value
    if isinstance(value, list):
        return [child for item in value for child in (item if isinstance(item, tuple) else (item,))]
    return []


def refusal(node: Any) -> str | None:
    """Why a composed node graph (PyYAML's or ruamel's nodes) must not be built, or None. Linear in the
    number of distinct nodes: an alias's target is counted once and its size reused."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, int, bool]] = [(node, 0, False)]
    while stack:
        current, depth, finished = stack.pop()
        key = id(current)
        if finished:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(current))
            if sizes[key] > EXPANSION_LIMIT:
                return f"its aliases expand to more than {EXPANSION_LIMIT:,} values"
            continue
        if key in sizes:
            continue
        if depth > DEPTH_LIMIT:
            return TOO_DEEP
        on_path.add(key)
        stack.append((current, depth, True))
        for child in _children(current):
            if id(child) in on_path:
                return "an alias is used inside the value it names"
            if id(child) not in sizes:
                stack.append((child, depth + 1, False))
    return None
