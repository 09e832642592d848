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


def suggest(
    body: str,
    current: Mapping[str, Iterable[str]],
    vocabulary: Mapping[str, Mapping[str, int]],
    default_field: str = "people",
) -> list[Suggestion]:
    """What the transcript suggests adding. ``current``: the file's lists; ``vocabulary``: field -> value ->
    file count (where a known value goes, and which values are worth looking for)."""
    have = {normalize(v) for values in current.values() for v in values}
    home: dict[str, tuple[str, str]] = {}  # normalized -> (field, canonical value), most used wins
    for field, counts in vocabulary.items():
        for value, _ in sorted(counts.items(), key=lambda item: -item[1]):
            home.setdefault(normalize(value), (field, value))
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
    for key, (field, value) in home.items():
        if key not in have and key not in found and len(value) >= 3 and field != "tags":
            hits = lowered.count(value.casefold())
            if hits:
                found[key] = Suggestion(value, field, "mentioned", hits)
    return sorted(found.values(), key=lambda s: (-s.count, s.value.casefold()))
