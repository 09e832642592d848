"""Split a file's bytes into BOM, opening delimiter, front-matter block, closing delimiter and body.

Works on bytes so that the body is never decoded and re-encoded: ``Parts.join()`` gives back the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from masthead.core.errors import ParseError

BOM = b"\xef\xbb\xbf"
Kind = Literal["none", "yaml", "toml", "json"]

_YAML_OPEN = re.compile(rb"---[ \t]*(\r\n|\r|\n)")
# gray-matter's fences name the language: ---yaml, ---json, ---toml (closed by ---)
_NAMED_OPEN = re.compile(rb"---[ \t]*([A-Za-z][A-Za-z0-9_-]*)[ \t]*(\r\n|\r|\n)")
_NAMED_KINDS: dict[bytes, Kind] = {b"yaml": "yaml", b"yml": "yaml", b"json": "json", b"toml": "toml"}
_TOML_OPEN = re.compile(rb"\+\+\+[ \t]*(\r\n|\r|\n)")
_JSON_OPEN = re.compile(rb"\{[ \t]*(\r\n|\r|\n)")
# A closing line follows a line break (\r\n, \r or \n): its marker, then spaces or tabs to the line's end.
_LINE_END = re.compile(rb"[ \t]*(?:\r\n|\r|\n|\Z)")
_YAML_CLOSE = (b"---", b"...")
_TOML_CLOSE = (b"+++",)
_JSON_CLOSE = (b"}",)
_BREAKS = b"\r\n"


def _find_close(data: bytes, start: int, markers: tuple[bytes, ...]) -> tuple[int, int] | None:
    """The span of the first closing line at or after ``start`` (the position after the opening line's break):
    a marker at a line's start and only spaces or tabs after it. Found with ``bytes.find``, which skips
    through a block far faster than a regular expression starting with ``[\r\n]``."""
    best: tuple[int, int] | None = None
    for marker in markers:  # a later marker is looked for only before the closing line found so far
        at = data.find(marker, start, len(data) if best is None else best[0])
        while at != -1:
            if data[at - 1] in _BREAKS:
                end = _LINE_END.match(data, at + len(marker))
                if end is not None:
                    best = (at, end.end())
                    break
            at = data.find(marker, at + 1, len(data) if best is None else best[0])
    return best


@dataclass(frozen=True)
class Parts:
    """The pieces of a Markdown file with optional front matter; ``join()`` restores the exact bytes."""

    bom: bytes
    kind: Kind
    opening: bytes
    block: bytes
    closing: bytes
    body: bytes
    eol: bytes

    def join(self) -> bytes:
        return self.bom + self.opening + self.block + self.closing + self.body

    @property
    def block_first_line(self) -> int:
        """1-based line number, in the file, of the block's first line."""
        return 2 if self.opening else 1


def _first_eol(data: bytes) -> bytes:
    m = re.search(rb"\r\n|\n|\r", data)
    return m.group(0) if m else b"\n"


def split(data: bytes) -> Parts:
    """Split ``data``; raise ParseError for an opening delimiter that is never closed."""
    bom = BOM if data.startswith(BOM) else b""
    start = len(bom)
    openers: tuple[tuple[Kind, re.Pattern[bytes], tuple[bytes, ...]], ...] = (
        ("yaml", _YAML_OPEN, _YAML_CLOSE),
        ("toml", _TOML_OPEN, _TOML_CLOSE),
        ("json", _JSON_OPEN, _JSON_CLOSE),
    )
    named = _NAMED_OPEN.match(data, start)
    if named is not None:
        language = named.group(1).lower()
        if language not in _NAMED_KINDS:
            shown = named.group(1).decode("ascii")
            raise ParseError(
                f"the front matter is written in '{shown}' (---{shown}), which Masthead cannot read", line=1
            )
        eol = named.group(2)
        close = _find_close(data, named.end(), _YAML_CLOSE)
        if close is None:
            shown = data[start : named.end()].strip().decode("ascii")
            raise ParseError(f"the front matter opened by '{shown}' on line 1 is never closed", line=1)
        a, b = close
        return Parts(
            bom, _NAMED_KINDS[language], data[start : named.end()], data[named.end() : a], data[a:b], data[b:], eol
        )
    for kind, opener, closer in openers:
        m = opener.match(data, start)
        if not m:
            continue
        eol = m.group(1)
        close = _find_close(data, m.end(), closer)
        if close is not None:
            a, b = close
            if kind == "json":  # the braces belong to the JSON text itself
                return Parts(bom, "json", b"", data[start:b], b"", data[b:], eol)
            return Parts(bom, kind, data[start : m.end()], data[m.end() : a], data[a:b], data[b:], eol)
        delimiter = data[start : m.end()].strip().decode("ascii")
        raise ParseError(f"the front matter opened by '{delimiter}' on line 1 is never closed", line=1)
    return Parts(bom, "none", b"", b"", b"", data[start:], _first_eol(data[start:]))


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def split_lines(text: str) -> list[str]:
    """Lines with their endings, broken only where YAML breaks lines (``\\r\\n``, ``\\r``, ``\\n``)."""
    return _LINE.findall(text)
