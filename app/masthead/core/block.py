"""The front-matter block of a file parsed for editing: YAML (round-trip, with its nodes and lines), or TOML
and JSON (read-only), with the line of any error."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from typing import Any

from masthead.core import yamlread
from masthead.core.errors import ParseError
from masthead.core.split import Parts, split_lines
from masthead.core.values import Value


@dataclass
class Block:
    """What a block holds: its plain data, and for YAML its lines, root node and the keys shown read-only."""

    original: dict[str, Value]
    readonly_reason: str | None = None
    lines: list[str] = field(default_factory=list)
    root: Any = None  # yamlread.MappingNode
    readonly_keys: dict[str, str] = field(default_factory=dict)


def parse_block(parts: Parts, lines: bool = True) -> Block:
    """Parse the block of ``parts`` (and split it into ``lines`` for editing); raises ParseError (or another
    MastheadError) if it cannot be read."""
    kind, first = parts.kind, parts.block_first_line
    block = parts.block
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first + block.count(b"\n", 0, exc.start)
        raise ParseError("the front matter is not valid UTF-8 text", line=line) from None
    if kind == "toml":
        try:
            return Block(dict(tomllib.loads(text)), "TOML front matter (+++) is shown read-only")
        except tomllib.TOMLDecodeError as exc:
            raise ParseError(f"invalid TOML front matter: {exc}", line=first) from None
    if kind == "json":
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            line = first + exc.lineno - 1
            raise ParseError(f"invalid JSON front matter: {exc.msg}", line=line) from None
        if not isinstance(loaded, dict):
            raise ParseError("the JSON front matter is not an object", line=first)
        return Block(loaded, "JSON front matter is shown read-only")
    parsed = yamlread.read(text, first)
    reason = parsed.readonly_reason
    if parsed.root is not None and parsed.root.flow_style:
        reason = "front matter written as one {…} mapping is shown read-only"
    return Block(parsed.data, reason, split_lines(text) if lines else [], parsed.root, parsed.readonly)
