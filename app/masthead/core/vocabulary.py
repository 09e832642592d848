"""Vocabulary: every value of every list field (and of choice-like fields) with its file count, and the
groups of values that are probably the same thing written differently."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from masthead.core.records import CHOICE_FIELDS, Record, is_string_list

_SEPARATORS = re.compile(r"[\s\-_./·・]+")


def normalize(value: str) -> str:
    """The comparison key for near-duplicates: full-width to half-width (NFKC), case folded, spaces,
    hyphens, underscores and dots removed. ``Open AI``, ``OpenAI``, ``ＯｐｅｎＡＩ`` and ``open-ai`` agree."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", value).casefold())


@dataclass(frozen=True)
class NearDuplicates:
    """Values of one field whose normalized forms coincide, most used first."""

    field: str
    values: tuple[tuple[str, int], ...]


@dataclass
class Vocabulary:
    """Counts per field: how many files use each value."""

    lists: dict[str, Counter[str]] = field(default_factory=dict)
    choices: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def fields(self) -> list[str]:
        return sorted(set(self.lists) | set(self.choices))

    def counts(self, name: str) -> Counter[str]:
        return self.lists.get(name) or self.choices.get(name) or Counter()

    def values(self, name: str) -> list[tuple[str, int]]:
        """A field's values, most used first, then alphabetically."""
        return sorted(self.counts(name).items(), key=lambda item: (-item[1], item[0].casefold()))

    def near_duplicates(self, name: str | None = None) -> list[NearDuplicates]:
        groups = []
        for fname in [name] if name else self.fields:
            by_key: dict[str, list[tuple[str, int]]] = {}
            for value, count in self.counts(fname).items():
                by_key.setdefault(normalize(value), []).append((value, count))
            for members in by_key.values():
                if len(members) > 1:
                    members.sort(key=lambda item: (-item[1], item[0]))
                    groups.append(NearDuplicates(fname, tuple(members)))
        return sorted(groups, key=lambda g: (g.field, normalize(g.values[0][0])))


def build_vocabulary(records: Iterable[Record], choice_fields: Iterable[str] = CHOICE_FIELDS) -> Vocabulary:
    """Count every list-of-strings field (tags, entities and any other) and the choice fields (by default the
    usual choice-like keys; ``fieldinfo.archive_vocabulary`` adds the schema's)."""
    vocab = Vocabulary()
    choices = frozenset(choice_fields)
    for record in records:
        for key, value in record.meta.items():
            if is_string_list(value) and value:
                vocab.lists.setdefault(key, Counter()).update(set(value))
            elif key in choices and isinstance(value, str) and value:
                vocab.choices.setdefault(key, Counter())[value] += 1
    return vocab
