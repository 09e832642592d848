"""One Markdown file with front matter: read it, edit its keys, and render the edit by splicing.

Only the lines of the keys that changed are rendered again, in the file's own style; every other byte of
the file (other keys, comments, blank lines, delimiters, the body) is copied as it was. Every rendering is
parsed again and compared with the intended data before anyone may write it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from masthead.core import splice, yamlio, yamlread
from masthead.core.block import parse_block
from masthead.core.errors import MastheadError, ParseError, ReadOnlyError, VerifyError
from masthead.core.splice import Region, dash_col
from masthead.core.split import Parts, split
from masthead.core.values import Value, is_plain, looks_like_iso_date, same
from masthead.core.yamlread import MappingNode, Node, ScalarNode, SequenceNode

DEFAULT_SEQ_OFFSET = 2
_DELETE: Any = object()
_EOL_COMMENT = re.compile(r"[ \t]+#")


@dataclass(frozen=True)
class Snapshot:
    """What was read from disk: used to notice that the file changed before it is overwritten."""

    size: int
    mtime_ns: int
    sha256: str
    real: str | None = None  # the file's real path when read (a link later pointed elsewhere is noticed)


def unified_diff(old: bytes, new: bytes, name: str, context: int = 3) -> str:
    """Unified diff of two versions of a file (as text, undecodable bytes replaced)."""
    before = old.decode("utf-8", errors="replace").splitlines(keepends=True)
    after = new.decode("utf-8", errors="replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, name, f"{name} (edited)", n=context))


class Document:
    """A file's bytes, its parsed front matter, and the pending edits to it."""

    def __init__(
        self,
        raw: bytes,
        path: Path | str | None = None,
        snapshot: Snapshot | None = None,
        default_seq_offset: int = DEFAULT_SEQ_OFFSET,
    ) -> None:
        self.raw = raw
        self.path = Path(path) if path is not None else None
        self.snapshot = snapshot
        self.error: MastheadError | None = None
        self.readonly_reason: str | None = None
        self._default_seq_offset = default_seq_offset
        self._original: dict[str, Value] = {}
        self._changes: dict[str, Value] = {}
        self._renames: dict[str, str] = {}  # old key -> new name, in place
        self._lines: list[str] = []
        self._root: MappingNode | None = None
        self._readonly_keys: dict[str, str] = {}
        self._region_list: list[Region] | None = None
        # how earlier versions of this file (saved from this document's forebears) wrote keys' values:
        # a key set back to such a value is written as it was (edit, save, undo, save: the bytes come back)
        self.earlier: dict[str, list[tuple[Value, str]]] = {}
        self._use_earlier = True
        try:
            self.parts = split(raw)
        except ParseError as exc:
            self.parts = Parts(b"", "none", b"", b"", b"", raw, b"\n")
            self.error = exc.with_path(self.path)
            return
        try:
            block = parse_block(self.parts)
        except MastheadError as exc:
            self.error = exc.with_path(self.path)
            return
        self._original, self.readonly_reason = block.original, block.readonly_reason
        self._lines, self._root, self._readonly_keys = block.lines, block.root, block.readonly_keys

    @property
    def default_seq_offset(self) -> int:
        """How a new list is indented when the file has no list to copy (the user's preference)."""
        return self._default_seq_offset

    # ----------------------------------------------------------------- reading

    @classmethod
    def empty(cls) -> Document:
        return cls(b"")

    @property
    def kind(self) -> str:
        """``yaml``, ``toml``, ``json`` or ``none`` (no front matter yet)."""
        return self.parts.kind

    @property
    def editable(self) -> bool:
        return self.error is None and self.readonly_reason is None

    @property
    def readonly_keys(self) -> dict[str, str]:
        """Keys whose values are shown but cannot be edited (``!!set``, custom tags...), with the reason."""
        return dict(self._readonly_keys)

    @property
    def eol(self) -> str:
        return self.parts.eol.decode("ascii")

    @property
    def original(self) -> dict[str, Value]:
        """The front matter as read from disk (a copy)."""
        return dict(self._original)

    @property
    def data(self) -> dict[str, Value]:
        """The front matter with the pending edits applied, in file order, new keys last."""
        out = {
            self._renames.get(k, k): v for k, v in self._original.items() if self._changes.get(k, None) is not _DELETE
        }
        for key, value in self._changes.items():
            if value is not _DELETE:
                out[key] = value
        return out

    def get(self, key: str, default: Value = None) -> Value:
        return self.data.get(key, default)

    def __contains__(self, key: str) -> bool:
        return key in self.data

    @property
    def body(self) -> bytes:
        return self.parts.body

    @property
    def body_text(self) -> str:
        """The body decoded for reading (never written back from this)."""
        return self.parts.body.decode("utf-8", errors="replace")

    @property
    def block_text(self) -> str:
        """The front-matter block as it is on disk."""
        return self.parts.block.decode("utf-8", errors="replace")

    def source_of(self, key: str) -> str | None:
        """The lines of ``key`` as the file writes them (None for a key the file does not have)."""
        for region in self._regions():
            if region.key == key:
                return "".join(self._lines[region.start : region.end])
        return None

    def key_lines(self) -> tuple[list[str], dict[str, tuple[int, int]]]:
        """The block's lines and each top-level key's lines among them, ``[start, end)`` (as ``source_of``)."""
        return list(self._lines), {r.key: (r.start, r.end) for r in self._regions()}

    # ----------------------------------------------------------------- editing

    def _check_editable(self) -> None:
        if self.error is not None:
            raise ReadOnlyError(f"cannot edit: {self.error.message}", self.path, self.error.line)
        if self.readonly_reason is not None:
            raise ReadOnlyError(self.readonly_reason, self.path)

    @property
    def changed_keys(self) -> list[str]:
        return list(self._changes) + [k for pair in self._renames.items() for k in pair]

    @property
    def dirty(self) -> bool:
        return bool(self._changes or self._renames)

    @property
    def renames(self) -> dict[str, str]:
        """Pending key renames, old name -> new name."""
        return dict(self._renames)

    def _check_not_renamed(self, key: str) -> None:
        if key in self._renames or key in self._renames.values():
            raise ValueError(f"{key!r} is being renamed: save the rename before changing its value")

    def rename(self, old: str, new: str) -> None:
        """Rename the key ``old`` to ``new`` where it stands: only the key's text changes, its value's bytes
        (and comments) stay. ``new`` must not be a key of the file."""
        self._check_editable()
        if not isinstance(new, str) or not new.strip() or any(c in new for c in "\r\n"):
            raise ValueError(f"not a usable key: {new!r}")
        if old not in self._original:
            raise ValueError(f"the file has no key {old!r}")
        if old in self._changes or new in self._changes:
            raise ValueError(f"{old!r} has a pending edit: save it before renaming the key")
        if new in self.data and new != old:
            raise ValueError(f"the file already has a key {new!r}")
        if old in self._readonly_keys:
            raise ReadOnlyError(f"{old} cannot be edited: {self._readonly_keys[old]}", self.path)
        if new == old:
            self._renames.pop(old, None)
        else:
            self._renames[old] = new

    def set(self, key: str, value: Value) -> None:
        """Set ``key`` to a plain value. A date replacing a date written as a string keeps that form."""
        self._check_editable()
        if not isinstance(key, str) or not key.strip() or any(c in key for c in "\r\n"):
            raise ValueError(f"not a usable key: {key!r}")
        self._check_not_renamed(key)
        old = self._original.get(key, _DELETE)
        if old is not _DELETE and same(old, value):  # the value it has: nothing to render, whatever it is
            self._changes.pop(key, None)
            return
        if key in self._readonly_keys:
            raise ReadOnlyError(f"{key} cannot be edited: {self._readonly_keys[key]}", self.path)
        if not is_plain(value):
            raise ValueError(f"cannot write a value of type {type(value).__name__} for {key!r}")
        if isinstance(value, tuple):
            value = list(value)
        if (
            isinstance(value, dt.date)
            and not isinstance(value, dt.datetime)
            and isinstance(old, str)
            and looks_like_iso_date(old)
        ):
            value = value.isoformat()
        if old is not _DELETE and same(old, value):
            self._changes.pop(key, None)
        else:
            self._changes[key] = value

    def delete(self, key: str) -> None:
        """Remove ``key``; comments around it stay where they are."""
        self._check_editable()
        self._check_not_renamed(key)
        if key in self._original:
            self._changes[key] = _DELETE
        else:
            self._changes.pop(key, None)

    def revert(self, key: str | None = None) -> None:
        """Drop the pending edit of ``key`` (or all of them)."""
        if key is None:
            self._changes.clear()
            self._renames.clear()
        else:
            self._changes.pop(key, None)
            for old, new in list(self._renames.items()):
                if key in (old, new):
                    del self._renames[old]

    # ----------------------------------------------------------------- rendering

    def carry_sources(self, before: Document) -> None:
        """``before`` was saved as this document: remember how it wrote the keys it changed (and what it
        remembered), so that setting one back to its old value writes its old lines again."""
        self.earlier = {key: list(entries) for key, entries in before.earlier.items()}
        original = before.original
        for key in before.changed_keys:
            source = before.source_of(key)
            if key in original and source is not None:
                self.earlier.setdefault(key, []).append((original[key], source))

    def to_bytes(self) -> bytes:
        """The file's bytes with the pending edits; raises VerifyError if they would not read back."""
        if not self._changes and not self._renames:
            return self.raw
        self._check_editable()
        try:
            text = self._render_block()
            self._verify(text)
        except VerifyError:
            if not (self._use_earlier and self.earlier):
                raise
            self._use_earlier = False  # an earlier version's lines do not fit here: rendered afresh
            try:
                text = self._render_block()
                self._verify(text)
            finally:
                self._use_earlier = True
        block = text.encode("utf-8")
        parts = self.parts
        if parts.kind == "none":
            opening = closing = b"---" + parts.eol
            out = parts.bom + opening + block + closing + parts.body
        else:
            out = parts.bom + parts.opening + block + parts.closing + parts.body
        again = split(out)
        if (again.block, again.body) != (block, parts.body):
            raise VerifyError("the edit would move the end of the front matter; nothing was written", self.path)
        return out

    def diff(self, context: int = 3) -> str:
        """Unified diff between the file as read and as it would be saved."""
        return unified_diff(self.raw, self.to_bytes(), str(self.path) if self.path else "document", context)

    def _style(self) -> yamlio.Style:
        seq_offset, map_indent = None, None
        for region in self._regions():
            node = region.value
            if seq_offset is None and isinstance(node, SequenceNode) and not node.flow_style and node.value:
                seq_offset = dash_col(self._lines, node) - region.key_col
            if map_indent is None and isinstance(node, MappingNode) and not node.flow_style and node.value:
                map_indent = node.value[0][0].start_mark.column - region.key_col
        if seq_offset is None or seq_offset < 0:
            seq_offset = self._default_seq_offset
        if map_indent is None or map_indent < 1:
            map_indent = 2
        return yamlio.Style(seq_offset=seq_offset, map_indent=map_indent)

    def _regions(self) -> list[Region]:
        if self._region_list is None:
            self._region_list = list(self._find_regions())
        return self._region_list

    def _find_regions(self) -> Iterator[Region]:
        if self._root is None:
            return
        pairs = self._root.value
        for i, (key_node, value_node) in enumerate(pairs):
            start = key_node.start_mark.line
            stop = pairs[i + 1][0].start_mark.line if i + 1 < len(pairs) else len(self._lines)
            end_line, end_col = yamlio.node_end(value_node)
            end = end_line + 1 if end_col > 0 else end_line
            end = max(start + 1, min(end, stop))  # an alias points at its anchor: keep within the key
            if not yamlio.ends_with_keep_chomp(value_node, self._lines):
                while end > start + 1 and not self._lines[end - 1].strip():
                    end -= 1
            key_end = key_node.end_mark.column if key_node.end_mark.line == start else -1
            yield Region(key_node.value, start, end, stop, key_node.start_mark.column, value_node, key_end)

    def _render_block(self) -> str:
        lines, style = self._lines, self._style()
        new_keys = [k for k, v in self._changes.items() if k not in self._original and v is not _DELETE]
        regions = list(self._regions())
        out: list[str] = list(lines[: regions[0].start]) if regions else list(lines)
        if out and not out[-1].endswith(("\n", "\r")):
            out[-1] += self.eol
        indent = regions[0].key_col if regions else 0
        added = [line for k in new_keys for line in self._render_new(k, self._changes[k], style, indent)]
        for i, region in enumerate(regions):
            change = self._changes.get(region.key, None)
            if region.key in self._renames:
                out.extend(self._renamed(region, self._renames[region.key], style))
            elif region.key not in self._changes:
                out.extend(lines[region.start : region.end])
            elif change is not _DELETE:
                out.extend(self._render_changed(region, change, style))
            if i == len(regions) - 1:
                out.extend(added)
            out.extend(lines[region.end : region.stop])
        if not regions:
            out.extend(added)
        return "".join(out)

    def _renamed(self, region: Region, name: str, style: yamlio.Style) -> list[str]:
        """The key's lines with only the key's text replaced."""
        lines = self._lines[region.start : region.end]
        if region.key_end < 0:
            raise ReadOnlyError(f"{region.key} is written over several lines: rename it by hand", self.path)
        text = yamlio.simple_scalar(name) if yamlio.simple_scalar(name) == name else None
        if text is None:
            entry = yamlio.render_entry(name, None, style)
            if len(entry) != 1 or not entry[0].endswith(": null\n"):
                raise ReadOnlyError(f"{name!r} cannot be written as a key on one line", self.path)
            text = entry[0][: -len(": null\n")]
        first = lines[0]
        return [first[: region.key_col] + text + first[region.key_end :], *lines[1:]]

    def _eolify(self, lines: list[str], indent: int) -> list[str]:
        pad = " " * indent
        return [pad + line[:-1] + self.eol if line.endswith("\n") else pad + line for line in lines]

    def _node(self, key: str) -> Node | None:
        for key_node, value_node in self._root.value if self._root is not None else ():
            if key_node.value == key:
                node: Node = value_node
                return node
        return None

    def _render_new(self, key: str, value: Value, style: yamlio.Style, indent: int) -> list[str]:
        node = self._node(key)
        like = yamlio.like(node) if node is not None else None
        styled = yamlio.to_node(value, like)
        simple = yamlio.simple_entry(key, styled) if not isinstance(value, list | dict) else None
        if isinstance(node, ScalarNode) and not node.style and isinstance(like, str):
            simple = yamlio.datetime_entry(key, value, like) or simple  # (a timestamp keeps its form)
        if simple is not None:
            return self._eolify([simple], indent)
        return self._eolify(yamlio.render_entry(key, yamlio.to_node(value, like), style), indent)

    def _render_changed(self, region: Region, value: Value, style: yamlio.Style) -> list[str]:
        for was, source in reversed(self.earlier.get(region.key, []) if self._use_earlier else []):
            lines = source.splitlines(keepends=True)
            if same(was, value) and lines and lines[0][: region.key_col].strip() == "":
                return lines  # as an earlier version wrote this very value (checked by _verify)
        old = self._original[region.key]
        spliced = splice.block_items(self._lines, region, old, value, style, self._eolify)
        if spliced is None:
            spliced = splice.flow_items(self._lines[region.start], region, old, value)
        if spliced is not None:
            return spliced
        if not str(region.value.tag).startswith("tag:yaml.org,2002:"):
            raise ReadOnlyError(
                f"{region.key} is tagged {region.value.tag}: this edit cannot keep the tag; edit the file by hand",
                self.path,
            )
        rendered = self._render_new(region.key, value, style, region.key_col)
        original = self._lines[region.start : region.end]
        node = region.value
        if len(original) == 1 and len(rendered) == 1 and isinstance(node, ScalarNode):
            rest = original[0][node.end_mark.column :].rstrip("\r\n")
            if node.end_mark.line == region.start and _EOL_COMMENT.match(rest):
                rendered[0] = rendered[0][: -len(self.eol)] + rest + self.eol
        return rendered

    def _verify(self, text: str) -> None:
        """Parse the rendered block again: it must give exactly the intended data."""
        try:
            reread = yamlread.values(text)
        except ParseError as exc:
            raise VerifyError(
                f"the edit produced unreadable YAML ({exc.message}); nothing was written", self.path
            ) from None
        intended = self.data
        if not same(reread, intended):
            bad = [k for k in intended if k not in reread or not same(reread[k], intended[k])]
            bad += [k for k in reread if k not in intended]
            raise VerifyError(
                f"the edit of {', '.join(bad) or 'the key order'} would not read back as written; nothing was written",
                self.path,
            )
