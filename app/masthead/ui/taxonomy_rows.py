"""The taxonomy's rows, without Qt: every (list field, value) entry with its comparison forms, and their order
for a sort column. ``build_rows`` makes them from a ``snapshot`` of the vocabulary (taken on the GUI thread)
off the GUI thread, yielding the GIL every few hundred steps; the values model keeps them up to date."""

from __future__ import annotations

import heapq
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

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


def let_the_gui_run() -> None:
    """Hand the GIL over (off the GUI thread, every few hundred steps): else each Python call the GUI thread
    makes while painting waits up to the 5 ms switch interval, and a repaint's hundreds of them add up."""
    time.sleep(0)


def sort_gently(items: Iterable[int], keys: list[Key]) -> list[int]:
    """``items`` sorted by ``keys[item]``, in pieces: one ``sorted`` of 41,000 tuples is a single C call holding
    the GIL for 100+ ms (the GUI thread would wait); pieces of 1,000 and a merge in Python never do."""
    get, items = keys.__getitem__, list(items)
    pieces = []
    for i in range(0, len(items), 1000):
        pieces.append(sorted(items[i : i + 1000], key=get))
        let_the_gui_run()
    out: list[int] = []
    for n, item in enumerate(heapq.merge(*pieces, key=get)):
        out.append(item)
        if n % 500 == 0:
            let_the_gui_run()
    return out


def build_rows(snap: Snapshot, column: int) -> Rows:
    """Every entry of ``snap`` sorted ascending by ``column`` (run it off the GUI thread)."""
    entries: list[Entry | None] = []
    keys, folds = [], []
    for fname in sorted(snap.counts):
        field_keys = snap.keys[fname]
        for n, value in enumerate(snap.counts[fname]):
            if n % 500 == 0:
                let_the_gui_run()
            entries.append((fname, value))
            keys.append(field_keys.get(value) or normalize(value))
            folds.append(value.casefold())
    sort_keys, order = sort_entries(entries, keys, folds, snap.counts, snap.tops, column)
    return Rows(entries, keys, folds, sort_keys, order, column, {e: i for i, e in enumerate(entries) if e})


def sort_entries(
    entries: list[Entry | None],
    keys: list[str],
    folds: list[str],
    counts: dict[str, dict[str, int]],
    tops: dict[tuple[str, str], int],
    column: int,
) -> tuple[list[Key], list[int]]:
    """Every entry's key for ``column`` (``()`` for a vanished one) and the entry numbers in that order (off
    the GUI thread: it yields the GIL every few hundred steps)."""
    out: list[Key] = []
    for n, (e, k, fo) in enumerate(zip(entries, keys, folds, strict=True)):
        if n % 500 == 0:
            let_the_gui_run()
        if e is None:
            out.append(())
            continue
        top = tops.get((e[0], k))
        count = counts.get(e[0], {}).get(e[1], 0) if counts else 0
        out.append(sort_key(column, e[0], e[1], k, fo, count, top, int(top is not None)))
    return out, sort_gently((i for i, e in enumerate(entries) if e is not None), out)
