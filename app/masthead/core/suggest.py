"""Suggestions from the transcript: names it puts in bold, its speakers, and known vocabulary values it
mentions, that the file's lists do not hold yet."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from masthead.core.vocabulary import normalize

_BOLD = re.compile(r"\*\*([^*\n]{2,60}?)\*\*")
_SPEAKER = re.compile(r"^\s*\*\*\[([^\]\n]{1,60})\]\*\*\s*[:：]", re.MULTILINE)


@dataclass(frozen=True)
class Suggestion:
    value: str
    field: str  # the list it would go to
    reason: str  # "speaker", "bold", "mentioned"
    count: int  # how often the transcript has it


GRAM = 4  # a mentioned value's first and last GRAM characters must occur in the transcript (exact pre-filter)


class Suggester:
    """What the transcripts suggest, for one vocabulary: its index is built once (not per file)."""

    def __init__(self, vocabulary: Mapping[str, Mapping[str, int]]) -> None:
        self.vocabulary = vocabulary
        # normalized -> (field, canonical value), most used wins
        self.home: dict[str, tuple[str, str]] = {}
        for field, counts in vocabulary.items():
            for value, _ in sorted(counts.items(), key=lambda item: -item[1]):
                self.home.setdefault(normalize(value), (field, value))
        # the values worth looking for in the text, by their first GRAM characters (case folded)
        self.mentions: dict[str, list[tuple[str, str, str, str]]] = {}
        for key, (field, value) in self.home.items():
            if len(value) >= 3 and field != "tags":
                folded = value.casefold()
                self.mentions.setdefault(folded[:GRAM], []).append((key, field, value, folded))

    def suggest(
        self, body: str, current: Mapping[str, Iterable[str]], default_field: str = "people"
    ) -> list[Suggestion]:
        have = {normalize(v) for values in current.values() for v in values}
        home = self.home
        found: dict[str, Suggestion] = {}

        def add(raw: str, reason: str, count: int) -> None:
            key = normalize(raw)
            if not key or key in have or key in found or len(key) < 2:
                return
            field, value = home.get(key, (default_field, raw.strip()))
            found[key] = Suggestion(value, field, reason, count)

        speakers = [m.group(1) for m in _SPEAKER.finditer(body)]
        for name in dict.fromkeys(speakers):
            add(name, "speaker", speakers.count(name))
        bold = [m.group(1) for m in _BOLD.finditer(body) if not m.group(1).startswith("[")]
        for name in sorted(set(bold), key=lambda n: -bold.count(n)):
            if normalize(name) in home:
                add(name, "bold", bold.count(name))
        lowered = body.casefold()
        grams = {lowered[i : i + GRAM] for i in range(len(lowered) - GRAM + 1)}
        grams.update(lowered[i : i + GRAM - 1] for i in range(len(lowered) - GRAM + 2))  # for 3-character values
        for start in self.mentions.keys() & grams:
            for key, field, value, folded in self.mentions[start]:
                if key in have or key in found or folded[-GRAM:] not in grams:
                    continue
                hits = lowered.count(folded)
                if hits:
                    found[key] = Suggestion(value, field, "mentioned", hits)
        return sorted(found.values(), key=lambda s: (-s.count, s.value.casefold()))


def suggest(
    body: str,
    current: Mapping[str, Iterable[str]],
    vocabulary: Mapping[str, Mapping[str, int]],
    default_field: str = "people",
) -> list[Suggestion]:
    """What the transcript suggests adding. ``current``: the file's lists; ``vocabulary``: field -> value ->
    file count (where a known value goes, and which values are worth looking for). For many files with one
    vocabulary, build a ``Suggester`` once."""
    return Suggester(vocabulary).suggest(body, current, default_field)
