"""The taxonomy's rows, without Qt: every (list field, value) entry with its comparison forms, and their order
for a sort column. ``build_rows`` makes them from a ``snapshot`` of the vocabulary (taken on the GUI thread)
off the GUI thread, pausing every few hundred steps (``core.pacing``); the values model keeps them up to date."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from masthead.core.pacing import paced, sorted_paced
from masthead.core.vocabulary import Entry, Vocabulary, normalize

VALUE, FIELD, COUNT, SIMILAR = range(4)  # the columns of the values table
Key = tuple[Any, ...]


@dataclass
class Rows:
    """Entries with their comparison forms, and their order for one sort column (all entries)."""

    entries: list[Entry | None]  # None: a value that vanished (entry numbers stay stable)
    keys: list[str]  # normalized value
    folds: list[str]  # case-folded value
    sort_keys: list[Key]  # for ``column``, as of the last change of each entry
    sorted_all: list[int]
    column: int
    pos: dict[Entry, int] = field(default_factory=dict)  # entry -> its number (made off the GUI thread too)


@dataclass(frozen=True)
class Snapshot:
    """What ``build_rows`` needs, copied on the GUI thread (the vocabulary changes there meanwhile)."""

    counts: dict[str, dict[str, int]]
    keys: dict[str, dict[str, str]]
    tops: dict[tuple[str, str], int]  # (field, near-duplicate key) -> the group's highest count


def snapshot(vocab: Vocabulary) -> Snapshot:
    counts = {f: dict(c) for f, c in vocab.lists.items()}
    return Snapshot(counts, {f: dict(vocab.keys(f)) for f in counts}, near_tops(vocab))


def near_tops(vocab: Vocabulary) -> dict[tuple[str, str], int]:
    return {(g.field, vocab.key(g.field, g.values[0][0])): g.values[0][1] for g in vocab.near_duplicates()}


def sort_key(column: int, fname: str, value: str, key: str, fold: str, count: int, top: int | None, near: int) -> Key:
    """One entry's key for ``column`` (``top``: its near-duplicate group's highest count, if in one)."""
    if column == VALUE:
        return (key, fold, fname, value)
    if column == FIELD:
        return (fname, key, fold, value)
    if column == COUNT:
        return (count if top is None else top, fname, key, count, fold, value)
    return (near, fname, key, fold, value)


def build_rows(snap: Snapshot, column: int) -> Rows:
    """Every entry of ``snap`` sorted ascending by ``column`` (run it off the GUI thread)."""
    entries: list[Entry | None] = []
    keys, folds = [], []
    for fname in sorted(snap.counts):
        field_keys = snap.keys[fname]
        for value in paced(snap.counts[fname], 500):
            entries.append((fname, value))
            keys.append(field_keys.get(value) or normalize(value))
            folds.append(value.casefold())
    sort_keys, order = sort_entries(entries, keys, folds, snap.counts, snap.tops, column)
    pos = {e: i for i, e in paced(enumerate(entries), 2000) if e}
    return Rows(entries, keys, folds, sort_keys, order, column, pos)


def sort_entries(
    entries: list[Entry | None],
    keys: list[str],
    folds: list[str],
    counts: dict[str, dict[str, int]],
    tops: dict[tuple[str, str], int],
    column: int,
) -> tuple[list[Key], list[int]]:
    """Every entry's key for ``column`` (``()`` for a vanished one) and the entry numbers in that order (off
    the GUI thread: it pauses every few hundred steps)."""
    out: list[Key] = []
    for e, k, fo in paced(zip(entries, keys, folds, strict=True), 500):
        if e is None:
            out.append(())
            continue
        top = tops.get((e[0], k))
        count = counts.get(e[0], {}).get(e[1], 0) if counts else 0
        out.append(sort_key(column, e[0], e[1], k, fo, count, top, int(top is not None)))
    return out, sorted_paced([i for i, e in enumerate(entries) if e is not None], key=out.__getitem__)
