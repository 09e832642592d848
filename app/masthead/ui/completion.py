"""The values a picker offers, shared by every picker of a field across files.

One ``FieldValues`` per field lives as long as the form; a new vocabulary replaces its counts in place
(editors keep their reference: nothing is rebuilt). The counts are a private snapshot taken on the GUI thread
(only of the fields that changed: a ``Vocabulary.by_field`` says which by a per-field version), so worker
threads never read a mapping the GUI thread mutates. The normalized index is built off the GUI thread by
``warm()``; until the new one is ready the previous one is used (a first index: a plain scan), so no keystroke
ever waits for an index.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterator, Mapping

from masthead.core.fieldinfo import field_vocabulary
from masthead.core.pacing import paced, sorted_paced
from masthead.core.vocabulary import normalize
from masthead.core.workflow import Schema

EMPTY: Mapping[str, int] = {}
INCREMENTAL_MAX = 500  # changed values up to which an index is updated rather than built again


class FieldValues(Mapping[str, int]):
    """Value -> file count of one field (a read-only mapping), with fast matching and near-duplicates."""

    def __init__(self, counts: Mapping[str, int] = EMPTY) -> None:
        self._counts: dict[str, int] = dict(counts)  # a snapshot: replaced whole, never mutated
        self._source: object = None  # the mapping the snapshot was taken of (only compared, never read)
        self._version: int | None = None  # its version then
        self._index: list[tuple[int, str, str]] | None = None  # (-count, value, normalized), most used first
        self._indexed: dict[str, int] | None = None  # the counts the index was built from
        self._groups: dict[str, list[str]] | None = None  # normalized -> spellings (only those with several)
        self._scan: tuple[dict[str, int], list[tuple[int, str, str]]] | None = None  # before any index
        self.generation = 0  # bumped on every change of the counts (editors showing items compare it)
        self._warming = threading.Lock()

    def replace(self, counts: Mapping[str, int], version: int | None = None) -> bool:
        """New counts (copied on this, the GUI, thread). With ``version`` (the source's per-field version) an
        unchanged field costs nothing; without, it is compared. False when nothing changed. The index of the
        old counts stays in use until ``warm()`` has built the new one."""
        if version is not None and version == self._version and counts is self._source:
            return False
        self._source, self._version = counts, version
        if counts is self._counts or (len(counts) == len(self._counts) and counts == self._counts):
            return False
        self._counts = dict(counts)
        self.generation += 1
        return True

    def __getitem__(self, key: str) -> int:
        return self._counts[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)

    def snapshot(self) -> Mapping[str, int]:
        """The counts now, as a mapping nobody mutates (safe to read on a worker thread)."""
        return self._counts

    @property
    def ready(self) -> bool:
        """The index is that of the current counts (nothing to index counts as ready)."""
        return not self._counts or (self._index is not None and self._indexed is self._counts)

    def warm(self) -> None:
        """Build the normalized index (safe on a worker thread: it reads a snapshot, assigns finished objects)."""
        with self._warming:  # one at a time: an update starts from the index the previous one finished
            self._warm()

    def _warm(self) -> None:
        counts = self._counts
        if self._indexed is counts:
            return
        if self._warm_from_previous(counts):
            return
        # most used first (tuples sort in C, in pieces); normalize remembers the keys the vocabulary made
        index = sorted_paced([(-c, v, normalize(v)) for v, c in paced(counts.items())])
        groups: dict[str, list[str]] = {}
        for _, value, key in paced(index, 2000):
            groups.setdefault(key, []).append(value)
        self._groups = {k: v for k, v in groups.items() if len(v) > 1}
        self._index, self._indexed = index, counts

    def _warm_from_previous(self, counts: dict[str, int]) -> bool:
        """The new index from the previous one when few counts changed (a save, a bulk tag): a sort of 15,000
        values is one C call that holds the GIL ~11 ms, these are small steps."""
        before, old_index, old_groups = self._indexed, self._index, self._groups
        if before is None or old_index is None or old_groups is None:
            return False
        changed = [v for v, c in paced(counts.items(), 2000) if before.get(v) != c]
        removed = [v for v in before if v not in counts]
        if len(changed) + len(removed) > INCREMENTAL_MAX:
            return False
        index = list(old_index)
        for value in [*removed, *(v for v in changed if v in before)]:
            entry = (-before[value], value, normalize(value))
            at = bisect.bisect_left(index, entry)
            if at == len(index) or index[at] != entry:
                return False  # not the index of those counts after all: build it whole
            del index[at]
        for value in changed:
            bisect.insort(index, (-counts[value], value, normalize(value)))
        keys = {normalize(v) for v in [*changed, *removed]}
        members: dict[str, list[str]] = {}
        for _, value, key in paced(index, 2000):
            if key in keys:
                members.setdefault(key, []).append(value)
        groups = dict(old_groups)
        for key in keys:
            spellings = members.get(key, [])
            if len(spellings) > 1:
                groups[key] = spellings
            else:
                groups.pop(key, None)
        self._groups = groups
        self._index, self._indexed = index, counts
        return True

    def _entries(self) -> list[tuple[int, str, str]]:
        """The index (maybe of the previous counts, until the new one is warm, then with the values new since
        appended); never built here. Before any index exists: the values, most used first, folded (a plain
        scan, no normalizing)."""
        counts, index, indexed = self._counts, self._index, self._indexed
        if index is not None and (indexed is counts or indexed is None):
            return index
        if self._scan is None or self._scan[0] is not counts:
            if index is None or indexed is None:
                scan = sorted([(-c, v, v.casefold()) for v, c in counts.items()])
            else:  # the previous index and the few values added since (normalized here: they are few)
                added = counts.keys() - indexed.keys()
                fold = normalize if len(added) <= 2000 else str.casefold
                scan = index + sorted([(-counts[v], v, fold(v)) for v in added])
            self._scan = (counts, scan)
        return self._scan[1]

    def matches(
        self, text: str, exclude: set[str] | frozenset[str] = frozenset(), limit: int = 50
    ) -> list[tuple[str, int]]:
        """Values containing ``text`` (normalized), those starting with it first, most used first; all values
        (most used first) for an empty ``text``."""
        key = normalize(text) if self._index is not None else text.strip().casefold()
        counts = self._counts
        starts: list[tuple[str, int]] = []
        contains: list[tuple[str, int]] = []
        for _, value, norm in self._entries():
            if key not in norm or value in exclude or value not in counts:
                continue
            (starts if norm.startswith(key) else contains).append((value, counts[value]))
            if len(starts) >= limit:
                break
        return (starts + contains)[:limit]

    def exact(self, text: str) -> str | None:
        """The archive's spelling of ``text`` (case, width and spacing ignored), most used one."""
        if text in self._counts:
            return text
        indexed = self._index is not None
        key = normalize(text) if indexed else text.strip().casefold()
        if not key:
            return None
        counts = self._counts
        return next((value for _, value, norm in self._entries() if norm == key and value in counts), None)

    def others(self, value: str) -> list[tuple[str, int]]:
        """Other spellings of ``value`` in the archive (empty until the index is built)."""
        groups = self._groups
        if groups is None:
            return []
        counts = self._counts
        return [(v, counts[v]) for v in groups.get(normalize(value), []) if v != value and v in counts]


def warm_all(stale: list[FieldValues]) -> None:
    """Index these (on a worker thread)."""
    for values in stale:
        values.warm()


class Vocabularies:
    """The form's ``FieldValues``, one per vocabulary name, kept for the form's lifetime; plus one per field
    the schema gives values (its values and the archive's, by ``fieldinfo.field_vocabulary``)."""

    def __init__(self) -> None:
        self.fields: dict[str, FieldValues] = {}
        self._derived: dict[str, tuple[Schema, str, FieldValues]] = {}  # key -> (schema, source, values)

    def field(self, name: str) -> FieldValues:
        values = self.fields.get(name)
        if values is None:
            values = self.fields[name] = FieldValues()
        return values

    def choices(self, key: str, schema: Schema) -> FieldValues:
        """The values a picker or combo of ``key`` offers: a vocabulary (the field's own, or the one the
        schema names), restricted to / extended by the schema's fixed list. The same object for a key while
        the schema stays: ``update`` refreshes it."""
        rule = schema.rule(key)
        source = rule.vocabulary if rule is not None and rule.vocabulary else key
        shared = self.field(source)
        if rule is None or not rule.values:
            return shared
        derived = self._derived.get(key)
        if derived is not None and derived[0] is schema:
            return derived[2]
        values = derived[2] if derived is not None else FieldValues()
        values.replace(field_vocabulary(key, schema, {source: shared.snapshot()}))
        self._derived[key] = (schema, source, values)
        return values

    def update(self, vocabulary: Mapping[str, Mapping[str, int]]) -> list[FieldValues]:
        """Take a new vocabulary (or the same live one, changed); returns the fields whose counts changed (to
        warm off the GUI thread). Only changed fields are copied."""
        versions = vocabulary if hasattr(vocabulary, "version") else None
        stale: list[FieldValues] = []
        for name in vocabulary:
            version = versions.version(name) if versions is not None else None
            if self.field(name).replace(vocabulary[name], version):
                stale.append(self.fields[name])
        for name, values in self.fields.items():
            if name not in vocabulary and values.replace(EMPTY):
                stale.append(values)
        changed = {id(values) for values in stale}
        for key, (schema, source, values) in self._derived.items():
            if id(self.fields.get(source)) in changed:
                values.replace(field_vocabulary(key, schema, {source: self.fields[source].snapshot()}))
                stale.append(values)
        return stale

    def snapshot(self) -> dict[str, Mapping[str, int]]:
        """field -> counts, for a worker thread (the transcript suggestions): mappings nobody mutates."""
        return {name: values.snapshot() for name, values in self.fields.items() if len(values)}
