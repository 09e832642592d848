"""The values a picker offers, shared by every picker of a field across files.

One ``FieldValues`` per field lives as long as the form; a new vocabulary replaces its counts in place
(editors keep their reference: nothing is rebuilt). Its normalized index is built lazily, off the GUI
thread when ``warm()`` is run there, and matching is done only when the user types, capped.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from masthead.core.vocabulary import normalize
from masthead.core.workflow import FieldRule

EMPTY: Mapping[str, int] = {}


class FieldValues(Mapping[str, int]):
    """Value -> file count of one field (a read-only mapping), with fast matching and near-duplicates."""

    def __init__(self, counts: Mapping[str, int] = EMPTY) -> None:
        self._counts: Mapping[str, int] = counts
        self._index: list[tuple[int, str, str]] | None = None  # (-count, value, normalized), most used first
        self._groups: dict[str, list[str]] | None = None  # normalized -> spellings (only those with several)
        self._norms: dict[str, str] = {}  # value -> normalized, kept across vocabularies (normalizing is slow)

    def replace(self, counts: Mapping[str, int]) -> bool:
        """New counts (not copied: never mutate them afterwards). False when nothing changed (the index stays)."""
        if counts is self._counts:
            return False
        if counts == self._counts:
            self._counts = counts
            return False
        self._counts, self._index, self._groups = counts, None, None
        return True

    def __getitem__(self, key: str) -> int:
        return self._counts[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)

    @property
    def ready(self) -> bool:
        return self._index is not None

    def warm(self) -> None:
        """Build the normalized index (safe on a worker thread: it only assigns finished objects)."""
        counts, known = self._counts, self._norms
        norms = {v: known.get(v) or normalize(v) for v in counts}  # only new values are normalized
        index = sorted([(-c, v, norms[v]) for v, c in counts.items()])  # most used first (tuples sort in C)
        groups: dict[str, list[str]] = {}
        for _, value, key in index:
            groups.setdefault(key, []).append(value)
        if counts is self._counts:
            self._groups = {k: v for k, v in groups.items() if len(v) > 1}
            self._norms = norms
            self._index = index

    def matches(
        self, text: str, exclude: set[str] | frozenset[str] = frozenset(), limit: int = 50
    ) -> list[tuple[str, int]]:
        """Values containing ``text`` (normalized), those starting with it first, most used first; all values
        (most used first) for an empty ``text``."""
        if self._index is None:
            self.warm()
        assert self._index is not None
        key = normalize(text)
        starts: list[tuple[str, int]] = []
        contains: list[tuple[str, int]] = []
        for negative, value, norm in self._index:
            if key not in norm or value in exclude:
                continue
            (starts if norm.startswith(key) else contains).append((value, -negative))
            if len(starts) >= limit:
                break
        return (starts + contains)[:limit]

    def exact(self, text: str) -> str | None:
        """The archive's spelling of ``text`` (case, width and spacing ignored), most used one."""
        if self._index is None:
            self.warm()
        key = normalize(text)
        if not key:
            return None
        if text in self._counts:
            return text
        assert self._index is not None
        return next((value for _, value, norm in self._index if norm == key), None)

    def others(self, value: str) -> list[tuple[str, int]]:
        """Other spellings of ``value`` in the archive (empty until the index is built)."""
        groups = self._groups
        if groups is None:
            return []
        return [(v, self._counts.get(v, 0)) for v in groups.get(normalize(value), []) if v != value]


class Vocabularies:
    """The form's ``FieldValues``, one per vocabulary name, kept for the form's lifetime."""

    def __init__(self) -> None:
        self.fields: dict[str, FieldValues] = {}

    def field(self, name: str) -> FieldValues:
        values = self.fields.get(name)
        if values is None:
            values = self.fields[name] = FieldValues()
        return values

    def choices(self, key: str, rule: FieldRule | None) -> FieldValues:
        """The values a picker or combo of ``key`` offers: a vocabulary (the field's own, or the one the
        schema names), restricted to / extended by the schema's fixed list."""
        shared = self.field(rule.vocabulary if rule and rule.vocabulary else key)
        if rule is None or not rule.values:
            return shared
        counts = {v: shared.get(v, 0) for v in rule.values}
        if rule.new_values:
            counts = {**shared, **counts}
        return FieldValues(counts)

    def update(self, vocabulary: Mapping[str, Mapping[str, int]]) -> list[FieldValues]:
        """Take a new vocabulary; returns the fields whose counts changed (to warm off the GUI thread)."""
        stale = []
        for name, counts in vocabulary.items():
            if self.field(name).replace(counts):
                stale.append(self.fields[name])
        for name, values in self.fields.items():
            if name not in vocabulary and values.replace(EMPTY):
                stale.append(values)
        return stale
