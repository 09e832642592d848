"""Merge three versions of a front-matter file key by key (``masthead merge-file``, a git merge driver).

Keys changed on one side only are taken; lists of values changed on both sides merge as sets (ours' order,
then theirs' additions; a removal on either side removes); a value both sides changed differently is a
conflict, marked around that key's lines only. The result is OURS with those keys spliced in by ``Document``
(every other byte as in OURS, the edit verified like any save); the body is merged by ``git merge-file``.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from masthead.core.document import Document
from masthead.core.git_run import program
from masthead.core.merge import ABSENT_KEY
from masthead.core.split import split
from masthead.core.values import Value, same

ABSENT: object = ABSENT_KEY  # "the key is not there" (in a conflict, or as a resolution: remove the key)
BodyMerge = Callable[[bytes, bytes, bytes], tuple[bytes, bool]]


@dataclass(frozen=True)
class KeyConflict:
    key: str
    base: object  # a Value, or ABSENT
    ours: object
    theirs: object


@dataclass(frozen=True)
class MergeResult:
    data: bytes
    conflicts: list[KeyConflict] = field(default_factory=list)
    body_conflict: bool = False
    fallback: str | None = None  # why the file was merged line by line instead (a side that cannot be read)

    @property
    def clean(self) -> bool:
        return not self.conflicts and not self.body_conflict


def _eq(a: object, b: object) -> bool:
    if a is ABSENT or b is ABSENT:
        return a is b
    return same(a, b)


def _is_list(value: object) -> bool:
    return isinstance(value, list) and all(not isinstance(v, dict | list) for v in value)


def _has(items: list[Value], item: Value) -> bool:
    return any(same(item, x) for x in items)


def set_merge(base: list[Value], ours: list[Value], theirs: list[Value]) -> list[Value]:
    """Ours' order without what theirs removed, then theirs' additions."""
    out = [x for x in ours if not (_has(base, x) and not _has(theirs, x))]
    for x in theirs:
        if not _has(base, x) and not _has(out, x):
            out.append(x)
    return out


def git_merge_body(labels: tuple[str, str, str], marker_size: int = 7) -> BodyMerge:
    """A body merge by git's own ``git merge-file`` (without git: a differing body is one conflict)."""

    def merge(base: bytes, ours: bytes, theirs: bytes) -> tuple[bytes, bool]:
        git = program()
        if git is None:
            eol = b"\r\n" if b"\r\n" in ours else b"\n"
            marks = [f"{c * marker_size} {name}".encode() + eol for c, name in zip("<=>", labels, strict=True)]
            sep = b"" if not ours or ours.endswith((b"\n", b"\r")) else eol
            end = b"" if not theirs or theirs.endswith((b"\n", b"\r")) else eol
            return marks[0] + ours + sep + b"=" * marker_size + eol + theirs + end + marks[2], True
        with tempfile.TemporaryDirectory(prefix="masthead-merge-") as folder:
            names = []
            for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
                path = os.path.join(folder, name)
                with open(path, "wb") as f:
                    f.write(data)
                names.append(path)
            args = [git, "merge-file", "-p", f"--marker-size={marker_size}"]
            for label in labels:
                args += ["-L", label]
            res = subprocess.run([*args, *names], capture_output=True, check=False)
        if res.returncode < 0 or res.returncode > 127:
            raise RuntimeError(f"git merge-file failed: {res.stderr.decode('utf-8', 'replace').strip()}")
        return res.stdout, res.returncode > 0

    return merge


def _why_not(doc: Document, side: str) -> str | None:
    if doc.error is not None:
        return f"{side} cannot be read ({doc.error.message})"
    if doc.readonly_reason is not None:
        return f"{side}: {doc.readonly_reason}"
    if doc.kind not in ("yaml", "none"):
        return f"{side} has {doc.kind.upper()} front matter"
    return None


def merge_files(
    base: bytes,
    ours: bytes,
    theirs: bytes,
    *,
    resolutions: Mapping[str, object] | None = None,
    labels: tuple[str, str, str] = ("ours", "base", "theirs"),
    marker_size: int = 7,
    merge_body: BodyMerge | None = None,
) -> MergeResult:
    """Merge THEIRS' changes since BASE into OURS. ``resolutions``: the chosen value (or ABSENT) of keys that
    conflicted, which then no longer conflict (the window's conflict form saves through this)."""
    body_merge = merge_body or git_merge_body(labels, marker_size)
    docs = [Document(x) for x in (base, ours, theirs)]
    for doc, side in zip(docs, ("the common version", "ours", "theirs"), strict=True):
        why = _why_not(doc, side)
        if why is not None:
            data, conflicted = body_merge(base, ours, theirs)
            return MergeResult(data, [], conflicted, why)
    b, o, t = (d.data for d in docs)
    chosen = dict(resolutions or {})
    edits: dict[str, object] = {}
    conflicts: list[KeyConflict] = []
    for key in [*o, *(k for k in t if k not in o), *(k for k in b if k not in o and k not in t)]:
        bv, ov, tv = (d.get(key, ABSENT) for d in (b, o, t))
        if key in chosen:
            if not _eq(chosen[key], ov):
                edits[key] = chosen[key]
            continue
        if _eq(bv, tv) or _eq(ov, tv):
            continue  # theirs did not change it, or both made the same change
        if _eq(bv, ov):
            edits[key] = tv
            continue
        if _is_list(ov) and _is_list(tv) and (bv is ABSENT or _is_list(bv)):
            merged = set_merge([] if bv is ABSENT else bv, ov, tv)
            if not same(merged, ov):
                edits[key] = merged
            continue
        conflicts.append(KeyConflict(key, bv, ov, tv))
    out = docs[1]
    for key, value in edits.items():
        if value is ABSENT:
            out.delete(key)
        else:
            out.set(key, value)
    data = out.to_bytes()
    bodies = [d.body for d in docs]
    body_conflict = False
    if bodies[0] != bodies[2] and bodies[1] != bodies[2]:
        if bodies[0] == bodies[1]:
            body = bodies[2]
        else:
            body, body_conflict = body_merge(*bodies)
        data = data[: len(data) - len(bodies[1])] + body
    if conflicts:
        data = _mark(data, conflicts, docs[2], labels, marker_size)
    return MergeResult(data, conflicts, body_conflict)


def _mark(data: bytes, conflicts: list[KeyConflict], theirs: Document, labels: tuple[str, ...], size: int) -> bytes:
    """Put conflict markers around each conflicting key's lines (ours' lines, then theirs')."""
    doc = Document(data)
    parts = split(data)
    eol = doc.eol
    block = parts.block.decode("utf-8")
    if block and not block.endswith(("\n", "\r")):
        block += eol
    for conflict in conflicts:
        mine = doc.source_of(conflict.key) or ""
        other = theirs.source_of(conflict.key) or ""
        if other and not other.endswith(("\n", "\r")):
            other += eol
        other = other.replace("\r\n", "\n").replace("\n", eol)
        mine_text = mine if not mine or mine.endswith(("\n", "\r")) else mine + eol
        marked = f"{'<' * size} {labels[0]}{eol}{mine_text}{'=' * size}{eol}{other}{'>' * size} {labels[2]}{eol}"
        at = _line_start(block, mine) if mine else -1
        if at < 0:
            block += marked
        else:
            block = block[:at] + marked + block[at + len(mine) :]
    opening = parts.opening or f"---{eol}".encode()
    closing = parts.closing or f"---{eol}".encode()
    return parts.bom + opening + block.encode("utf-8") + closing + parts.body


def _line_start(text: str, piece: str) -> int:
    at = text.find(piece)
    while at > 0 and text[at - 1] not in "\n\r":
        at = text.find(piece, at + 1)
    return at
