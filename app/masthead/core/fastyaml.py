"""The fast YAML reader: PyYAML's C loader, made to read front matter as the editor (ruamel.yaml) does.

It takes ruamel's own YAML 1.2 implicit resolvers, reads integers and floats by the YAML 1.2 rules (``012`` is
12, ``no`` is a string), builds timestamps with ruamel's constructor, and refuses duplicate keys, merge keys
and anything else unusual (the caller then lets ruamel decide). Used by the index reader and by the
document's read-back check; it depends on neither.
"""

from __future__ import annotations

from typing import Any, ClassVar

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.resolver import implicit_resolvers

from masthead.core import yamlio
from masthead.core.values import Value
from masthead.core.yamlguard import DEPTH_LIMIT, refusal

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ruamel_constructor = YAML(typ="rt").constructor


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


def _build(node: Any, depth: int = 0) -> Any:
    """Plain value of a composed node, for the tags front matter uses; others (and nesting deeper than the
    editor reads, ``yamlguard``) raise _Unsupported."""
    if depth > DEPTH_LIMIT:
        raise _Unsupported("too deep")
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
        return [_build(item, depth + 1) for item in node.value]
    elif kind is yaml.MappingNode and tag == _MAP:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _build(key_node, depth + 1)
            if key_node.tag == _MERGE or not isinstance(key, str | int | float | bool) or key in out:
                raise _Unsupported("duplicate, merge or complex key")
            out[key] = _build(value_node, depth + 1)
        return out
    raise _Unsupported(tag)


def load_block(text: str) -> Any:
    """Load one YAML front-matter block the way the editor reads it (raises on anything unusual)."""
    node = yaml.compose(text, Loader=IndexLoader)
    if node is not None and "*" in text and refusal(node) is not None:  # no alias: nothing can expand
        raise _Unsupported("unsafe")  # the editor's reader says why (depth is checked by _build)
    return None if node is None else _build(node)


def read_block(text: str) -> dict[str, Value] | None:
    """A YAML block read by the fast path, or None when it declines (then ruamel, the reference, decides)."""
    if yamlio.has_tab_indent(text) or "<<" in text:
        return None
    try:
        data = load_block(text) if text.strip() else None
    except Exception:
        return None
    if data is None:  # empty, or comments only: no keys
        data = {}
    if isinstance(data, dict) and all(isinstance(k, str) for k in data):
        return data
    return None
