"""Merge three versions of a front-matter file key by key (``masthead merge-file``, a git merge driver).

Keys changed on one side only are taken; lists of values changed on both sides merge as sets (ours' order,
then theirs' additions; a removal on either side removes); a value both sides changed differently is a
conflict, marked around that key's lines only. The result is OURS with those keys spliced in by ``Document``
(every other byte as in OURS, the edit verified like any save); the body is merged by ``git merge-file``.
A side that cannot be read (or a change that cannot be written losslessly) makes the whole file merge line
by line, as git itself would, and ``MergeResult.fallback`` says why.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

from masthead.core.document import Document
from masthead.core.errors import MastheadError
from masthead.core.git_run import program
from masthead.core.merge import ABSENT_KEY
from masthead.core.split import split_lines
from masthead.core.values import Value, same

ABSENT: Final[object] = ABSENT_KEY  # "the key is not there" (in a conflict, or as a resolution: remove the key)
BodyMerge = Callable[[bytes, bytes, bytes], tuple[bytes, bool]]  # (base, ours, theirs) -> (merged, conflicted)
_SIDES: Final = ("the common version", "ours", "theirs")


@dataclass(frozen=True)
class KeyConflict:
    """A key both sides changed differently; each value is a plain Value, or ABSENT."""

    key: str
    base: object
    ours: object
    theirs: object


@dataclass(frozen=True)
class MergeResult:
    """The merged file (with conflict markers where not clean) and what conflicted."""

    data: bytes
    conflicts: list[KeyConflict] = field(default_factory=list)
    body_conflict: bool = False  # the body (or, with ``fallback``, the whole file) holds line conflict markers
    fallback: str | None = None  # why the file was merged line by line instead (naming the side)

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
    """Ours' order without what theirs removed, then theirs' additions (in theirs' order)."""
    out = [x for x in ours if not (_has(base, x) and not _has(theirs, x))]
    for x in theirs:
        if not _has(base, x) and not _has(out, x):
            out.append(x)
    return out


def _marker(char: str, size: int, label: str | None, eol: bytes) -> bytes:
    return (char * size + (f" {label}" if label else "")).encode("utf-8") + eol


def _ended(data: bytes, eol: bytes) -> bytes:
    return data if not data or data.endswith((b"\n", b"\r")) else data + eol


def git_merge_body(labels: tuple[str, str, str] = ("ours", "base", "theirs"), marker_size: int = 7) -> BodyMerge:
    """A line merge by git's own ``git merge-file -p`` (without git: a differing text is one conflict)."""

    def merge(base: bytes, ours: bytes, theirs: bytes) -> tuple[bytes, bool]:
        git = program()
        if git is None:
            eol = b"\r\n" if b"\r\n" in ours else b"\n"
            middle = _ended(ours, eol) + _marker("=", marker_size, None, eol) + _ended(theirs, eol)
            marks = (_marker("<", marker_size, labels[0], eol), _marker(">", marker_size, labels[2], eol))
            return marks[0] + middle + marks[1], True
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
        if res.returncode < 0 or res.returncode > 127:  # killed, or git's -1 (an error)
            raise RuntimeError(f"git merge-file failed: {res.stderr.decode('utf-8', 'replace').strip()}")
        return res.stdout, res.returncode > 0  # the exit status counts the conflicts

    return merge


def _three_way(merge: BodyMerge, base: bytes, ours: bytes, theirs: bytes) -> tuple[bytes, bool]:
    """A side that did not change gives the other (as git does); only both changed needs ``merge``."""
    if base == theirs or ours == theirs:
        return ours, False
    if base == ours:
        return theirs, False
    return merge(base, ours, theirs)


def _why_not(doc: Document, side: str) -> str | None:
    if doc.error is not None:
        return f"{side} cannot be read ({doc.error.message})"
    if doc.kind not in ("yaml", "none"):
        return f"{side} has {doc.kind.upper()} front matter"
    if doc.readonly_reason is not None:
        return f"{side} cannot be edited ({doc.readonly_reason})"
    return None


def _source(doc: Document, key: str) -> str | None:
    text = doc.source_of(key)
    return None if text is None else "".join(line.rstrip("\r\n") + "\n" for line in split_lines(text))


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
    conflicted, which then no longer conflict (the window's conflict form saves through this). ``merge_body``
    merges bodies (and whole files, in a fallback); by default ``git merge-file`` with ``labels``."""
    body_merge = merge_body or git_merge_body(labels, marker_size)
    if not resolutions and (base in (ours, theirs) or ours == theirs):
        return MergeResult(_three_way(body_merge, base, ours, theirs)[0])
    docs = [Document(x) for x in (base, ours, theirs)]
    for doc, side in zip(docs, _SIDES, strict=True):
        why = _why_not(doc, side)
        if why is not None:
            return _line_merge(body_merge, base, ours, theirs, why)
    try:
        edits, conflicts = _plan(docs, dict(resolutions or {}))
    except _CannotWrite as exc:
        return _line_merge(body_merge, base, ours, theirs, str(exc))
    out = docs[1]
    try:
        for key, value in edits.items():
            if value is ABSENT:
                out.delete(key)
            else:
                out.set(key, value)
        data = out.to_bytes()
    except (MastheadError, ValueError) as exc:
        why = exc.message if isinstance(exc, MastheadError) else str(exc)
        return _line_merge(body_merge, base, ours, theirs, f"theirs' changes cannot be written into ours ({why})")
    ours_body = docs[1].body
    body, body_conflict = _three_way(body_merge, docs[0].body, ours_body, docs[2].body)
    if body != ours_body:
        data = data[: len(data) - len(ours_body)] + body
    if conflicts:
        data = _mark(data, conflicts, docs[2], labels, marker_size)
    return MergeResult(data, conflicts, body_conflict)


class _CannotWrite(Exception):
    """A change that Document cannot write without losing something (a read-only key's tag...)."""


def _plan(docs: list[Document], chosen: dict[str, object]) -> tuple[dict[str, object], list[KeyConflict]]:
    """The edits to make to OURS (key -> value, or ABSENT to remove), and the keys in conflict."""
    b, o, t = (d.data for d in docs)
    readonly = {k for d in docs for k in d.readonly_keys}
    edits: dict[str, object] = {}
    conflicts: list[KeyConflict] = []
    keys = dict.fromkeys([*o, *t, *b, *chosen])  # ours' order, then theirs' new keys, in theirs' order
    for key in keys:
        bv, ov, tv = (d.get(key, ABSENT) for d in (b, o, t))
        if key in chosen:
            if not _eq(chosen[key], ov):
                edits[key] = chosen[key]
        elif key in readonly:  # its value as data is not all of it: compare what the files write
            bs, us, ts = (_source(d, key) for d in docs)
            if ts == bs or us == ts:
                continue
            if us != bs:
                conflicts.append(KeyConflict(key, bv, ov, tv))
            elif ts is None:
                edits[key] = ABSENT
            else:
                raise _CannotWrite(f"theirs changed {key}, which cannot be written losslessly: {_readonly(docs, key)}")
        elif _eq(bv, tv) or _eq(ov, tv):
            continue  # theirs did not change it, or both made the same change
        elif _eq(bv, ov):
            edits[key] = tv
        elif _is_list(ov) and _is_list(tv) and (bv is ABSENT or _is_list(bv)):
            merged = set_merge([] if bv is ABSENT else bv, ov, tv)
            if not same(merged, ov):
                edits[key] = merged
        else:
            conflicts.append(KeyConflict(key, bv, ov, tv))
    return edits, conflicts


def _readonly(docs: list[Document], key: str) -> str:
    return next(d.readonly_keys[key] for d in docs if key in d.readonly_keys)


def _line_merge(merge: BodyMerge, base: bytes, ours: bytes, theirs: bytes, why: str) -> MergeResult:
    data, conflicted = _three_way(merge, base, ours, theirs)
    return MergeResult(data, [], conflicted, why)


def _mark(data: bytes, conflicts: list[KeyConflict], theirs: Document, labels: tuple[str, ...], size: int) -> bytes:
    """Put conflict markers around each conflicting key's lines: ours' lines as ours writes them, then
    theirs' as theirs writes them (in ours' line endings); a key ours does not have goes at the block's end."""
    doc = Document(data)
    parts, eol = doc.parts, doc.eol
    lines, spans = doc.key_lines()
    tail: list[str] = []

    def marked(conflict: KeyConflict) -> list[str]:
        mine = split_lines(doc.source_of(conflict.key) or "")
        if mine and not mine[-1].endswith(("\n", "\r")):
            mine[-1] += eol
        other = [line.rstrip("\r\n") + eol for line in split_lines(theirs.source_of(conflict.key) or "")]
        return [f"{'<' * size} {labels[0]}{eol}", *mine, f"{'=' * size}{eol}", *other, f"{'>' * size} {labels[2]}{eol}"]

    placed = sorted((c for c in conflicts if c.key in spans), key=lambda c: spans[c.key], reverse=True)
    for conflict in placed:
        start, end = spans[conflict.key]
        lines[start:end] = marked(conflict)
    for conflict in conflicts:
        if conflict.key not in spans:
            tail += marked(conflict)
    if lines and tail and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += eol
    block = "".join(lines + tail).encode("utf-8")
    opening = parts.opening or f"---{eol}".encode()
    closing = parts.closing or f"---{eol}".encode()
    return parts.bom + opening + block + closing + parts.body
