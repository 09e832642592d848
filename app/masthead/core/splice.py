"""Editing a list in place: the items that did not change keep their lines (a block list) or their text (a
one-line flow list, whose comment after the ``]`` stays too)."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass

from ruamel.yaml.comments import CommentedSeq

from masthead.core import yamlio
from masthead.core.values import Value, to_json
from masthead.core.yamlread import Node, ScalarNode, SequenceNode

Eolify = Callable[[list[str], int], list[str]]  # rendered lines -> lines indented and ending as the file's


@dataclass(frozen=True)
class Region:
    """Lines of one top-level key: ``[start, end)`` is its content, ``[end, stop)`` the gap after it."""

    key: str
    start: int
    end: int
    stop: int
    key_col: int
    value: Node
    key_end: int = -1  # the column after the key's text on line ``start`` (-1: the key goes on past it)


def dash_col(lines: list[str], seq: SequenceNode) -> int:
    """The column of a block list's first dash."""
    item = seq.value[0]
    line = lines[item.start_mark.line]
    return len(line) - len(line.lstrip(" "))


def block_items(
    lines: list[str], region: Region, old: Value, value: Value, style: yamlio.Style, eolify: Eolify
) -> list[str] | None:
    """Edit a block list item by item, keeping untouched items' lines; None when that is not possible."""
    seq = region.value
    if not (
        isinstance(seq, SequenceNode)
        and not seq.flow_style
        and seq.value
        and isinstance(value, list)
        and value
        and all(isinstance(n, ScalarNode) for n in seq.value)
        and all(not isinstance(v, list | dict) for v in value)
    ):
        return None
    starts = [n.start_mark.line for n in seq.value]
    ends = []
    for j, node in enumerate(seq.value):
        end_line, end_col = node.end_mark.line, node.end_mark.column
        end = end_line + 1 if end_col > 0 else end_line
        ends.append(end)
        before = lines[starts[j]][: node.start_mark.column]
        if before.strip() != "-" or (j and starts[j] < ends[j - 1]):
            return None
    if starts[0] < region.start + 1 or ends[-1] > region.end:
        return None
    ends[-1] = region.end
    gaps = [lines[ends[j] : starts[j + 1]] for j in range(len(starts) - 1)] + [[]]
    item_style = yamlio.Style(dash_col(lines, seq) - region.key_col, style.map_indent)
    like = yamlio.to_node(list(value), yamlio.like(seq))

    def render_item(index: int) -> list[str]:
        text = yamlio.simple_scalar(like[index])
        if text is not None:
            return eolify([" " * item_style.seq_offset + "- " + text + "\n"], region.key_col)
        entry = yamlio.render_entry(region.key, CommentedSeq([like[index]]), item_style)
        return eolify(entry[1:], region.key_col)

    old_items = [_token(v) for v in old]
    new_items = [_token(v) for v in value]
    out = list(lines[region.start : starts[0]])
    matcher = difflib.SequenceMatcher(None, old_items, new_items, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        for j in range(j1, j2) if op != "equal" else ():
            out.extend(render_item(j))
        for i in range(i1, i2):
            if op == "equal":
                out.extend(lines[starts[i] : ends[i]])
            out.extend(gaps[i])
    return out


def flow_items(line: str, region: Region, old: Value, value: Value) -> list[str] | None:
    """Edit a one-line flow list (``[a, 'b']``) in place: untouched items keep their text, what follows the
    ``]`` (a comment) stays; None when that is not possible."""
    seq = region.value
    items = seq.value if isinstance(seq, SequenceNode) else []
    if not (
        isinstance(seq, SequenceNode)
        and seq.flow_style
        and isinstance(value, list)
        and region.end == region.start + 1
        and seq.start_mark.line == seq.end_mark.line == region.start
        and all(isinstance(n, ScalarNode) and n.end_mark.line == region.start for n in items)
        and all(not isinstance(v, list | dict) for v in value)
    ):
        return None
    open_at = line.find("[", seq.start_mark.column)
    close_at = seq.end_mark.column - 1
    spans = [(n.start_mark.column, n.end_mark.column) for n in items]
    if open_at < 0 or line[close_at : close_at + 1] != "]":
        return None
    if any(b <= a or line[a] in "&*" for a, b in spans) or any(
        spans[i][1] > spans[i + 1][0] for i in range(len(spans) - 1)
    ):
        return None
    old_text = [line[a:b] for a, b in spans]
    like = yamlio.to_node(list(value), yamlio.like(seq))
    rendered: list[str] = []
    for j in range(len(value)):
        text = yamlio.simple_scalar(like[j], flow=True)
        if text is not None:
            rendered.append(text)
            continue
        one = CommentedSeq([like[j]])
        one.fa.set_flow_style()
        entry = yamlio.render_entry("k", one, yamlio.Style())
        if len(entry) != 1 or not entry[0].startswith("k: [") or not entry[0].endswith("]\n"):
            return None
        rendered.append(entry[0][4:-2])
    matcher = difflib.SequenceMatcher(None, [_token(v) for v in old], [_token(v) for v in value], autojunk=False)
    texts: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        texts.extend(old_text[i1:i2] if op == "equal" else rendered[j1:j2])
    if spans:
        pad, tail = line[open_at + 1 : spans[0][0]], line[spans[-1][1] : close_at]
        sep = line[spans[0][1] : spans[1][0]] if len(spans) > 1 else ", "
    else:
        pad = tail = ""
        sep = ", "
    inner = pad + sep.join(texts) + tail if texts else ""
    return [line[: open_at + 1] + inner + line[close_at:]]


def _token(value: Value) -> tuple[str, str]:
    """A hashable stand-in for a list item, distinguishing types (``'1'`` from ``1``)."""
    return type(value).__name__, json.dumps(to_json(value), sort_keys=True, ensure_ascii=False)
