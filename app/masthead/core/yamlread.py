"""The one YAML reader, for the editor and the index alike: libyaml composes the node tree (with every value's
exact position, used for splicing), ``yamlguard`` checks it, and plain values are built by ruamel.yaml's YAML
1.2 rules (``012`` is 12, ``no`` is a string; an explicit ``!!bool yes`` is true).

Values an edit could not write back as they are (``!!set``, ``!!binary``, custom-tagged scalars, merges,
text with a lone surrogate, mapping keys that are lists or mappings) are still read, and their top-level key
is named in ``Read.readonly`` with the reason; a merge at the top level makes the whole block read-only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.resolver import implicit_resolvers
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from masthead.core.errors import ParseError
from masthead.core.values import Value
from masthead.core.yamlguard import DEPTH_LIMIT, TOO_DEEP, refusal

__all__ = ["MappingNode", "Node", "Read", "ScalarNode", "SequenceNode", "read", "values"]

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ruamel_constructor = YAML(typ="rt").constructor
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)
_SURROGATE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*(\\u[dD][89a-fA-F][0-9a-fA-F]{2})")

_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT, _TS = (_TAG + t for t in ("str", "null", "bool", "int", "float", "timestamp"))
_SEQ, _MAP, _MERGE, _SET, _BINARY = (_TAG + t for t in ("seq", "map", "merge", "set", "binary"))
_BOOL11 = {"yes": True, "no": False, "on": True, "off": False, "y": True, "n": False, "true": True, "false": False}


class Loader(_Base):  # type: ignore[misc]
    """PyYAML's C loader resolving plain scalars by ruamel.yaml's YAML 1.2 rules."""

    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, Any]]]] = {}

    # No path resolvers: PyYAML's bookkeeping, called around every node, is skipped by C callables that take
    # the same arguments and do nothing of note (a Python method here was 3% of an index read).
    descend_resolver: ClassVar[Any] = {}.get  # (node, index) -> index
    ascend_resolver: ClassVar[Any] = tuple  # () -> ()

    def resolve(self, kind: Any, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return _STR  # quoted: a string
            return _RESOLVED.get(value) or _resolve_plain(value)  # (one call fewer for the many repeated)
        return _SEQ if kind is yaml.SequenceNode else _MAP


def _resolve_plain(value: str) -> str:
    """The tag of a plain scalar by the YAML 1.2 rules (remembered: keys and list values repeat a lot)."""
    tag = _RESOLVED.get(value)
    if tag is None:
        tag = next((str(t) for t, r in Loader.yaml_implicit_resolvers.get(value[:1], ()) if r.match(value)), _STR)
        if len(value) <= 64:  # short ones repeat; a bounded memory of them (a summary is read once)
            if len(_RESOLVED) >= 50_000:
                _RESOLVED.clear()
            _RESOLVED[value] = tag
    return tag


_RESOLVED: dict[str, str] = {}


for _versions, _tag, _regexp, _first in implicit_resolvers:
    if (1, 2) in _versions and not _tag.endswith((":value", ":yaml")):
        for _ch in _first:
            Loader.yaml_implicit_resolvers.setdefault(_ch, []).append((_tag, _regexp))


@dataclass
class Read:
    """A block as read: its root node (None when empty), plain values, and what may not be edited."""

    root: Any
    data: dict[str, Value]
    readonly: dict[str, str] = field(default_factory=dict)  # top-level key -> why it is shown read-only
    readonly_reason: str | None = None  # why the whole block is shown read-only


def has_tab_indent(text: str) -> bool:
    """True if some line is indented with a tab (YAML allows only spaces)."""
    return bool(_TAB_INDENT.search(text))


def read(text: str, first_line: int = 1) -> Read:
    """Read a front-matter block; raise ParseError (with the file's line number) for what cannot be read."""
    tab = _TAB_INDENT.search(text)
    if tab:
        line = first_line + text.count("\n", 0, tab.start())
        raise ParseError("a tab is used for indentation; YAML allows only spaces there", line=line)
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        raise _parse_error(exc, first_line) from None
    except yaml.YAMLError as exc:
        raise ParseError(f"invalid YAML: {exc}", line=first_line) from None
    except RecursionError:
        raise ParseError(f"the front matter cannot be read safely: {TOO_DEEP}", line=first_line) from None
    if root is None:
        return Read(None, {})
    if "*" in text or "<<" in text:  # without aliases nothing can expand; depth is checked while building
        why = refusal(root)
        if why is not None:
            raise ParseError(f"the front matter cannot be read safely: {why}", line=first_line)
    if not isinstance(root, MappingNode) or root.tag != _MAP:
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        if isinstance(root, MappingNode):
            kind = f"a mapping tagged {root.tag}"
        raise ParseError(f"the front matter is {kind}, not a set of 'key: value' lines", line=first_line)
    out = Read(root, {})
    builder = _Builder(first_line)
    lines: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = first_line + key_node.start_mark.line
        if key_node.tag == _MERGE:
            out.readonly_reason = "the front matter merges another mapping into itself (<<:), so it is shown read-only"
            builder.merge(out.data, value_node, 1)
            continue
        if not (isinstance(key_node, ScalarNode) and key_node.tag == _STR):
            raise ParseError("top-level keys must be plain names (found a number, list or tagged key)", line=line)
        key = key_node.value
        if key in lines:
            raise ParseError(f'found duplicate key "{key}" (first on line {lines[key]})', line=line)
        lines[key] = line
        builder.reason = None
        out.data[key] = builder.build(value_node, 1)
        if builder.reason is not None or getattr(key_node, "surrogate", False):
            out.readonly[key] = builder.reason or "its name holds an escaped lone surrogate"
    return out


def plain_is_str(text: str) -> bool:
    """Whether ``text`` written plain reads back as that string by the YAML 1.2 rules."""
    return _resolve_plain(text) == _STR


def values(text: str) -> dict[str, Value]:
    """The plain values of a block (raises ParseError as ``read`` does)."""
    return read(text).data


_BREAKS_11 = "\x85\u2028\u2029"  # line breaks to YAML 1.1 (and libyaml), ordinary characters to YAML 1.2


def _compose(text: str) -> Any:
    """libyaml's node tree, read by the YAML 1.2 rules. U+0085, U+2028 and U+2029 are characters, not line
    breaks: they are read as stand-ins (private-use characters the text does not hold, as long, so every
    position stays) and put back in every value. An escaped surrogate (``"\\ud83d"``, which libyaml
    refuses) reads as U+FFFD: the escape is replaced by ``\\ufffd``, as long; its key is then read-only."""
    if not any(c in text for c in _BREAKS_11):
        return _compose_escapes(text)
    swapped, back = _stand_ins(text)
    root = _compose_escapes(swapped)
    for node in _nodes(root):
        if isinstance(node, ScalarNode):
            node.value = node.value.translate(back)
        if isinstance(node.tag, str):
            node.tag = node.tag.translate(back)
        node.text = text  # what _source slices (the same positions)
    return root


def _stand_ins(text: str) -> tuple[str, dict[int, str]]:
    """``text`` with each YAML 1.1 line break replaced by a private-use character it does not hold, and the
    table that puts them back."""
    spare = (chr(c) for c in range(0xF8FF, 0xE000, -1) if chr(c) not in text)
    back: dict[int, str] = {}
    for char in _BREAKS_11:
        if char in text:
            stand_in = next(spare)
            text = text.replace(char, stand_in)
            back[ord(stand_in)] = char
    return text, back


def _compose_escapes(text: str) -> Any:
    try:
        return yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        if "escape code" not in str(exc.problem) or not _SURROGATE_ESCAPE.search(text):
            raise
    spots = [m.start(1) for m in _SURROGATE_ESCAPE.finditer(text)]
    fixed = _SURROGATE_ESCAPE.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + "\\ufffd", text)
    root = yaml.compose(fixed, Loader=Loader)
    quoted = [n for n in _scalars(root) if n.style == '"']
    for spot in spots:
        holders = [n for n in quoted if n.start_mark.index < spot < n.end_mark.index]
        if not holders:
            raise ParseError(
                "a \\u escape outside double quotes looks like a surrogate; the reader cannot tell it apart"
            )
        holders[0].surrogate = True  # the builder notes it
    return root


def _scalars(node: Any) -> list[Any]:
    return [n for n in _nodes(node) if isinstance(n, ScalarNode)]


def _nodes(node: Any) -> list[Any]:
    """Every node of a tree, each once (aliases share nodes)."""
    out, stack, seen = [], [node], set()
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        out.append(current)
        if not isinstance(current, ScalarNode) and isinstance(current.value, list):
            for item in current.value:
                stack.extend(item if isinstance(item, tuple) else (item,))
    return out


class _Builder:
    """Builds plain values from nodes, noting in ``reason`` why the value just built may not be edited."""

    def __init__(self, first_line: int) -> None:
        self.first_line = first_line
        self.reason: str | None = None

    def _note(self, why: str) -> None:
        if self.reason is None:
            self.reason = why

    def _fail(self, node: Any, why: str) -> ParseError:
        return ParseError(why, line=self.first_line + node.start_mark.line)

    def build(self, node: Any, depth: int) -> Value:
        if depth > DEPTH_LIMIT:
            raise ParseError(f"the front matter cannot be read safely: {TOO_DEEP}", line=self.first_line)
        tag = node.tag
        if isinstance(node, ScalarNode):
            return self._scalar(node, tag)
        if isinstance(node, SequenceNode):
            if tag != _SEQ:
                self._note_tag(tag, scalar=False)
            return [self.build(item, depth + 1) for item in node.value]
        if tag == _SET:
            self._note("it is a !!set, shown read-only")
            return [self._key(k, depth) for k, _ in node.value]
        if tag != _MAP:
            self._note_tag(tag, scalar=False)
        out: dict[Any, Value] = {}
        own: set[Any] = set()
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self._note("it merges another mapping (<<:), shown read-only")
                self.merge(out, value_node, depth + 1, own)
                continue
            key = self._key(key_node, depth)
            if key in own:
                raise self._fail(key_node, f'found duplicate key "{key}" in a mapping')
            own.add(key)
            out[key] = self.build(value_node, depth + 1)
        return out

    def merge(self, out: dict[Any, Value], node: Any, depth: int, own: set[Any] | None = None) -> None:
        """Merge ``<<: *a`` or ``<<: [*a, *b]`` into ``out``: keys of its own and earlier merges win."""
        sources = node.value if isinstance(node, SequenceNode) else [node]
        for source in sources:
            if not isinstance(source, MappingNode):
                raise self._fail(source, "a merge (<<:) must name a mapping or a list of mappings")
            built = self.build(source, depth + 1)
            for key, value in built.items() if isinstance(built, dict) else ():
                if key not in out:
                    out[key] = value

    def _key(self, node: Any, depth: int) -> Any:
        key = self.build(node, depth + 1)
        if isinstance(key, list | dict):
            self._note("a key in it is a list or a mapping, shown read-only")
            return _source(node)
        return key

    def _note_tag(self, tag: str, scalar: bool) -> None:
        shown = tag.replace(_TAG, "!!")
        if scalar or not tag.startswith("!") or tag.startswith(_TAG):
            self._note(f"it is tagged {shown}, kept as written and shown read-only")

    def _scalar(self, node: Any, tag: str) -> Value:
        value: str = node.value
        if tag == _STR:
            if getattr(node, "surrogate", False):
                self._note("it holds an escaped surrogate (\\ud800-\\udfff), which is not a character")
                return value
            return value  # strict UTF-8 text holds no surrogate: only an escape can (see _compose)
        try:
            if tag == _NULL:
                return None
            if tag == _BOOL:  # plain true/false by the 1.2 rules; an explicit !!bool takes YAML 1.1 words too
                return _BOOL11[value.lower()]
            if tag == _INT:
                return _int(value)
            if tag == _FLOAT:
                return _float(value)
            if tag == _TS:
                return _timestamp(_ruamel_constructor.construct_yaml_timestamp(node))
        except (ValueError, KeyError, TypeError, IndexError, RuamelError):
            raise self._fail(node, f"{tag.replace(_TAG, '!!')} {value!r} is not a valid value of that type") from None
        if tag == _BINARY:
            self._note("it is !!binary data, shown read-only")
            return "".join(value.split())
        self._note_tag(tag, scalar=True)
        return value


def _timestamp(value: Any) -> dt.date:
    """ruamel's timestamp as a plain date or datetime, without its bookkeeping."""
    if isinstance(value, dt.datetime):
        return dt.datetime(
            value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond,
            tzinfo=value.tzinfo,
        )  # fmt: skip
    return dt.date(value.year, value.month, value.day)


def _source(node: Any) -> str:
    buffer = getattr(node, "text", None) or node.start_mark.buffer
    if isinstance(buffer, str) and node.start_mark.index < node.end_mark.index:
        return buffer[node.start_mark.index : node.end_mark.index].rstrip("\0")
    return str(node.value)


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


def _parse_error(exc: yaml.MarkedYAMLError, first_line: int) -> ParseError:
    mark = exc.problem_mark or exc.context_mark
    problem = str(exc.problem or exc.context or "invalid YAML").strip()
    if "another document" in str(exc) or "expected a single document" in str(exc):
        problem = "the front matter holds several YAML documents"
    elif exc.context and exc.problem:
        context = str(exc.context).strip()
        if exc.context_mark is not None and exc.context_mark.line != getattr(mark, "line", None):
            context += f" that starts on line {first_line + exc.context_mark.line}"
            if _OPENED.search(context):  # an unclosed [ { or quote: the fix is where it opens, not where the
                mark = exc.context_mark  # parser gave up (the YAML tab marked that line: a new-user trial)
                context += f"; seen on line {first_line + (exc.problem_mark or mark).line}"
        problem = f"{problem} ({context})"
    line = first_line + mark.line if mark is not None else first_line
    return ParseError(problem, line=line)


_OPENED = re.compile(r"flow (sequence|mapping)|quoted scalar")  # contexts that begin where something opens
