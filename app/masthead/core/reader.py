"""Fast front-matter reading for the index: PyYAML's C loader, made to read values as the editor does.

The editor (ruamel.yaml round-trip, YAML 1.2) is the reference. This loader takes ruamel's own YAML 1.2
implicit resolvers, reads integers and floats by the YAML 1.2 rules (``012`` is 12, ``no`` is a string),
builds timestamps with ruamel's constructor, and refuses duplicate keys. Files are split by the same
byte splitter as the editor. When the fast path fails, the editor's parser decides, so a broken file
gets the very message the editor shows.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any, ClassVar

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.resolver import implicit_resolvers

from masthead.core import records, yamlio
from masthead.core.document import Document
from masthead.core.errors import MastheadError, ParseError
from masthead.core.records import Record, gc_paused
from masthead.core.split import split

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ruamel_constructor = YAML(typ="rt").constructor
HEAD = 16384  # bytes read first: the front matter nearly always fits; the body is not needed


class _Unsupported(Exception):
    """Something the fast path does not handle; the editor's parser decides."""


_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT, _TS = (_TAG + t for t in ("str", "null", "bool", "int", "float", "timestamp"))
_SEQ, _MAP, _MERGE = _TAG + "seq", _TAG + "map", _TAG + "merge"


class IndexLoader(_Base):  # type: ignore[misc]
    """PyYAML (C where available) loader resolving plain scalars by ruamel.yaml's YAML 1.2 rules."""

    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, Any]]]] = {}

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None  # no path resolvers: skip PyYAML's bookkeeping

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: Any, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:  # plain scalar: YAML 1.2 resolution
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return str(tag)
            return _STR  # quoted, or plain text that is nothing else
        return _SEQ if kind is yaml.SequenceNode else _MAP


for _versions, _tag, _regexp, _first in implicit_resolvers:
    if (1, 2) in _versions and not _tag.endswith((":value", ":yaml")):
        for _ch in _first:
            IndexLoader.yaml_implicit_resolvers.setdefault(_ch, []).append((_tag, _regexp))


def _int(text: str) -> int:
    text = text.replace("_", "")
    sign = -1 if text[0] == "-" else 1
    text = text.lstrip("+-")
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if text.startswith(prefix):
            return sign * int(text[2:], base)
    return sign * int(text)


def _float(text: str) -> float:
    text = text.replace("_", "").lower()
    sign = -1.0 if text[0] == "-" else 1.0
    text = text.lstrip("+-")
    if text == ".inf":
        return sign * float("inf")
    if text == ".nan":
        return float("nan")
    return sign * float(text)


def _build(node: Any) -> Any:
    """Plain value of a composed node, for the tags front matter uses; others raise _Unsupported."""
    tag = node.tag
    if tag == _STR:
        return node.value
    kind = type(node)
    if kind is yaml.ScalarNode:
        value = node.value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return value in ("true", "True", "TRUE")
        if tag == _INT:
            return _int(value)
        if tag == _FLOAT:
            return _float(value)
        if tag == _TS:
            return yamlio.to_plain(_ruamel_constructor.construct_yaml_timestamp(node))
    elif kind is yaml.SequenceNode and tag == _SEQ:
        return [_build(item) for item in node.value]
    elif kind is yaml.MappingNode and tag == _MAP:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _build(key_node)
            if key_node.tag == _MERGE or not isinstance(key, str | int | float | bool) or key in out:
                raise _Unsupported("duplicate, merge or complex key")
            out[key] = _build(value_node)
        return out
    raise _Unsupported(tag)


def load_block(text: str) -> Any:
    """Load one YAML front-matter block the way the editor reads it (raises on anything unusual)."""
    node = yaml.compose(text, Loader=IndexLoader)
    return None if node is None else _build(node)


def read_meta(raw: bytes) -> tuple[str, dict[str, Any]]:
    """(kind, front matter) of a file's bytes; raises MastheadError exactly where the editor would."""
    parts = split(raw)
    if parts.kind == "none":
        return "none", {}
    try:
        text = parts.block.decode("utf-8")
        if parts.kind == "toml":
            return "toml", tomllib.loads(text)
        if parts.kind == "json":
            data = json.loads(text)
        elif yamlio.has_tab_indent(text) or "<<" in text:
            raise ValueError("let the editor decide")
        else:
            data = (load_block(text) if text.strip() else None) or {}
        if isinstance(data, dict) and all(isinstance(k, str) for k in data):
            return parts.kind, data
    except Exception:
        pass
    return _read_as_editor(raw)


def _read_as_editor(raw: bytes) -> tuple[str, dict[str, Any]]:
    doc = Document(raw)
    if doc.error is not None:
        raise doc.error
    return doc.kind, doc.data


def read_record(root: str, relpath: str, size: int = -1, mtime_ns: int = -1) -> Record:
    """Read one file of the archive into a record; problems become the record's error, never raise."""
    full = os.path.join(root, relpath)
    try:
        with open(full, "rb") as fh:
            if size < 0:
                st = os.fstat(fh.fileno())
                size, mtime_ns = st.st_size, st.st_mtime_ns
            raw = fh.read(HEAD)
            if len(raw) == HEAD and not _head_is_enough(raw):
                raw += fh.read()
    except OSError as exc:
        return Record(
            relpath,
            max(size, 0),
            max(mtime_ns, 0),
            {},
            "none",
            f"cannot read the file: {exc.strerror or exc}",
        )
    try:
        kind, meta = read_meta(raw)
    except MastheadError as exc:
        return Record(relpath, size, mtime_ns, {}, split_kind(raw), exc.message, exc.line)
    return Record(relpath, size, mtime_ns, meta, kind)


def split_kind(raw: bytes) -> str:
    try:
        return split(raw).kind
    except ParseError:
        return "yaml"


def _head_is_enough(head: bytes) -> bool:
    """Whether the first bytes read hold the whole front matter (its closing line ends before the end)."""
    try:
        parts = split(head)
    except ParseError:
        return False
    return parts.kind == "none" or len(parts.body) > 0


def read_records(root: str, items: list[tuple[str, int, int]]) -> list[Record]:
    """Worker entry point: read a chunk of (relative path, size, mtime_ns)."""
    with gc_paused():
        return [read_record(root, rel, size, mtime) for rel, size, mtime in items]


def read_rows(root: str, items: list[tuple[str, int, int]]) -> list[tuple[str, int, int, bytes]]:
    """Like ``read_records``, but each record already in its cache form (what workers send back)."""
    return [(r.path, r.size, r.mtime_ns, records.encode(r)) for r in read_records(root, items)]


def read_path(path: Path) -> Record:
    """A record for one file given by its full path (relative path = its name)."""
    return read_record(str(path.parent), path.name)
