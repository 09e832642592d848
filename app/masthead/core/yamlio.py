"""Rendering values in a file's own style with ruamel.yaml, and facts about the nodes the reader
(``yamlread``, libyaml's positions) composed: where a value ends, how it is quoted."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarint import ScalarInt
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.timestamp import TimeStamp

from masthead.core.split import split_lines
from masthead.core.values import Value, ambiguous_in_yaml11
from masthead.core.yamlread import MappingNode, Node, ScalarNode, SequenceNode, plain_is_str

WIDTH = 1 << 30  # never fold a line we render
_KEEP_CHOMP = re.compile(r"[|>](?:[1-9]?\+|\+[1-9]?)")


@dataclass(frozen=True)
class Style:
    """How a file writes its YAML: where a list's dash sits under its key, and nested mapping indent."""

    seq_offset: int = 2
    map_indent: int = 2


class _Representer(RoundTripRepresenter):
    """Round-trip representer that writes ``None`` as ``null`` rather than an empty value."""

    def represent_none(self, data: Any) -> Any:
        return self.represent_scalar("tag:yaml.org,2002:null", "null")


_Representer.add_representer(type(None), _Representer.represent_none)


def to_plain(value: Any) -> Value:
    """Convert round-trip data to plain Python values (see ``masthead.core.values``)."""
    if isinstance(value, dict):
        return {to_plain(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [to_plain(v) for v in value]
    if isinstance(value, bool | ScalarBoolean):
        return bool(value)
    if isinstance(value, ScalarInt):
        return int(value)
    if isinstance(value, ScalarFloat):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, TimeStamp):  # a plain datetime, without ruamel's bookkeeping
        return dt.datetime(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            tzinfo=value.tzinfo,
        )
    if hasattr(value, "value") and hasattr(value, "tag"):  # TaggedScalar
        return str(value.value)
    return value


def like(node: Node) -> Any:
    """A round-trip stand-in for the value ``node`` holds, styled as the file writes it (quotes, flow style):
    ``to_node`` renders a new value after it. Only styles matter, so item texts are placeholders."""
    if isinstance(node, ScalarNode):
        if node.style == "'":
            return SingleQuotedScalarString(node.value)
        if node.style == '"':
            return DoubleQuotedScalarString(node.value)
        return node.value
    if isinstance(node, SequenceNode):
        seq = CommentedSeq(like(item) for item in node.value)
        if node.flow_style:
            seq.fa.set_flow_style()
        return seq
    if isinstance(node, MappingNode):
        out = CommentedMap()
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                out[key_node.value] = like(value_node)
        return out
    return None


def node_end(node: Node) -> tuple[int, int]:
    """(line, column) just past a value: a block collection ends where its last child ends."""
    if isinstance(node, SequenceNode | MappingNode) and not node.flow_style and node.value:
        last = node.value[-1]
        return node_end(last[1] if isinstance(node, MappingNode) else last)
    return node.end_mark.line, node.end_mark.column


def ends_with_keep_chomp(node: Node, lines: list[str]) -> bool:
    """True if the value ends in a ``|+`` or ``>+`` block scalar, whose trailing blank lines are content."""
    while isinstance(node, SequenceNode | MappingNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        line = lines[node.start_mark.line] if node.start_mark.line < len(lines) else ""
        return bool(_KEEP_CHOMP.match(line, node.start_mark.column))
    return False


def _quote_like(value: str, like: Any) -> Any:
    """A string rendered the way ``like`` (the value it replaces) was written, quoted when 1.1 is unsure.
    U+0085, U+2028 and U+2029 (line breaks to ruamel.yaml's writer, characters to YAML 1.2) are escaped in
    double quotes (\\N, \\L, \\P): written raw, the writer would fold the line there."""
    if any(c in value for c in "\x85\u2028\u2029"):
        return DoubleQuotedScalarString(value)
    if "\n" in value:
        return LiteralScalarString(value)
    if isinstance(like, SingleQuotedScalarString):
        return SingleQuotedScalarString(value)
    if isinstance(like, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(value)
    if ambiguous_in_yaml11(value):
        return SingleQuotedScalarString(value)
    return value


def _dominant_item(seq: Any) -> Any:
    """The quote style most of a list's string items use, as a sample value (None when plain)."""
    counts: dict[type, int] = {}
    for item in seq if isinstance(seq, list) else []:
        if isinstance(item, str):
            counts[type(item)] = counts.get(type(item), 0) + 1
    if not counts:
        return None
    kind = max(counts, key=lambda t: counts[t])
    return kind("x") if kind in (SingleQuotedScalarString, DoubleQuotedScalarString) else None


def to_node(value: Value, like: Any = None) -> Any:
    """Round-trip object for a plain value, styled after ``like``, the value it replaces (if any)."""
    if isinstance(value, str):
        return _quote_like(value, like)
    if isinstance(value, list | tuple):
        item_like = _dominant_item(like)
        seq = CommentedSeq(to_node(v, item_like) for v in value)
        if isinstance(like, CommentedSeq) and like.fa.flow_style():
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict):
        old = like if isinstance(like, dict) else {}
        return CommentedMap((k, to_node(v, old.get(k))) for k, v in value.items())
    return value


_PLAIN_FIRST_BAD = frozenset("-?:,[]{}#&*!|>'\"%@`.~ ")
_FLOW_BAD = frozenset(",[]{}:")


def simple_scalar(item: Any, flow: bool = False) -> str | None:
    """The text of a string ``to_node`` made, written as ruamel.yaml would write it, when that is obvious: a
    plain word or phrase, or a quoted string that needs no escape; None otherwise (ruamel.yaml renders it).
    Saves ~1 ms a value in bulk edits; every result is read back by the save's check anyway."""
    if not isinstance(item, str) or not item or not item.isprintable() or isinstance(item, LiteralScalarString):
        return None
    if isinstance(item, SingleQuotedScalarString):
        return "'" + str(item).replace("'", "''") + "'"
    if isinstance(item, DoubleQuotedScalarString):
        return f'"{item}"' if '"' not in item and "\\" not in item else None
    if type(item) is not str or item[0] in _PLAIN_FIRST_BAD or item[-1] in " :" or ": " in item or " #" in item:
        return None
    if (flow and not _FLOW_BAD.isdisjoint(item)) or ambiguous_in_yaml11(item) or not plain_is_str(item):
        return None
    return item


def simple_entry(key: str, value: Any) -> str | None:
    """``key: value`` as one line (ending in ``\n``) for a plain key and a simple value, else None."""
    if simple_scalar(key) != key:
        return None
    if value is None or isinstance(value, bool):
        return f"{key}: {'null' if value is None else str(value).lower()}\n"
    if isinstance(value, int):
        return f"{key}: {value}\n"
    text = simple_scalar(value)
    return f"{key}: {text}\n" if text is not None else None


def datetime_entry(key: str, value: Any, old: str) -> str | None:
    """``key: value`` for a date and time written where the file had the plain timestamp ``old``, in its form:
    ``T`` or a space between date and time, ``Z`` for UTC (ruamel.yaml writes a space and ``+00:00``)."""
    if not isinstance(value, dt.datetime) or simple_scalar(key) != key or not _TIMESTAMP.fullmatch(old):
        return None
    text = value.isoformat(sep="T" if old[10:11] in "Tt" else " ")
    if old[-1:] in "Zz" and value.utcoffset() == dt.timedelta(0):
        text = text.removesuffix("+00:00") + "Z"
    return f"{key}: {text}\n"


_TIMESTAMP = re.compile(r"\d{4}-\d\d?-\d\d?([Tt]|[ \t]+)\d\d?:\d\d:\d\d(\.\d*)?([ \t]*(Z|z|[-+]\d\d?(:\d\d)?))?")


def render_entry(key: str, value: Any, style: Style) -> list[str]:
    """``key: value`` rendered as YAML lines (each ending in ``\\n``) in the given style."""
    y = YAML(typ="rt")
    y.Representer = _Representer
    y.width = WIDTH
    y.allow_unicode = True
    y.indent(mapping=style.map_indent, sequence=style.seq_offset + 2, offset=style.seq_offset)
    out = io.StringIO()
    entry = CommentedMap()
    entry[SingleQuotedScalarString(key) if ambiguous_in_yaml11(key) else key] = value  # e.g. `on:`, `no:`
    y.dump(entry, out)
    lines = split_lines(out.getvalue())
    if lines and lines[-1].rstrip("\n") == "...":
        lines.pop()
    return lines
