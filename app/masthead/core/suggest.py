"""Suggestions from the transcript: names it puts in bold, its speakers, and known vocabulary values it
mentions, that the file's lists do not hold yet."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from masthead.core.pacing import paced, pause, sorted_paced
from masthead.core.vocabulary import normalize

_BOLD = re.compile(r"\*\*([^*\n]{2,60}?)\*\*")
_SPEAKER = re.compile(r"^\s*\*\*\[([^\]\n]{1,60})\]\*\*\s*[:：]", re.MULTILINE)
_ROLE = re.compile(  # a speaker label that names a role, not a person: never suggested as one
    r"(?i)(host|co-?host|guest|interviewer|interviewee|moderator|narrator|speaker|audience|q|a|"
    r"主持人?|嘉宾|记者|观众|提问者?|问|答)\s*\d*"
)


@dataclass(frozen=True)
class Suggestion:
    value: str
    field: str  # the list it would go to
    reason: str  # "speaker", "bold", "mentioned"
    count: int  # how often the transcript has it


GRAM = 4  # a mentioned value's first and last GRAM characters must occur in the transcript (exact pre-filter)
STRETCH = 5000  # characters of the transcript taken between pauses


class FieldIndex:
    """One field's values prepared for suggesting: normalized key -> most used spelling, and the values worth
    looking for in a text by their first GRAM characters (case folded). Built from one counts mapping that
    nobody mutates, so it can be kept for as long as that mapping is the field's."""

    def __init__(self, field: str, counts: Mapping[str, int]) -> None:
        self.field = field
        self.counts = counts
        self.home: dict[str, str] = {}
        for value, _ in paced(sorted_paced(counts.items(), key=_by_count)):
            self.home.setdefault(normalize(value), value)
        self.mentions: dict[str, list[tuple[str, str, str]]] = {}
        if field != "tags":
            for key, value in paced(self.home.items(), 1000):
                if len(value) >= 3:
                    folded = value.casefold()
                    self.mentions.setdefault(folded[:GRAM], []).append((key, value, folded))


def _by_count(item: tuple[str, int]) -> int:
    return -item[1]


class Suggester:
    """What the transcripts suggest, for one vocabulary: its per-field indexes are built once (not per file),
    and ``Suggester(vocabulary, previous)`` reuses those of ``previous`` whose counts are the same object."""

    def __init__(self, vocabulary: Mapping[str, Mapping[str, int]], previous: Suggester | None = None) -> None:
        known = {index.field: index for index in previous.fields} if previous is not None else {}
        self.fields: list[FieldIndex] = []
        for field, counts in vocabulary.items():
            index = known.get(field)
            self.fields.append(index if index is not None and index.counts is counts else FieldIndex(field, counts))

    def home(self, key: str) -> tuple[str, str] | None:
        """Where a normalized value lives: the first field that has it, with its most used spelling there."""
        for index in self.fields:
            value = index.home.get(key)
            if value is not None:
                return index.field, value
        return None

    def suggest(
        self,
        body: str,
        current: Mapping[str, Iterable[str]],
        default_field: str = "people",
        cancel: threading.Event | None = None,
    ) -> list[Suggestion]:
        """What ``body`` suggests adding to the lists ``current`` (values a list of it holds already are not
        suggested), most mentioned first. ``cancel``: once set, the search stops at its next pause and
        returns nothing (a file left for another: a long transcript's search was a second of
        work competing with the window's for the GIL)."""

        def stop() -> bool:
            pause()
            return cancel is not None and cancel.is_set()

        have = {normalize(v) for values in current.values() for v in values}
        home = self.home
        found: dict[str, Suggestion] = {}

        def add(raw: str, reason: str, count: int) -> None:
            key = normalize(raw)
            if not key or key in have or key in found or len(key) < 2:
                return
            field, value = home(key) or (default_field, raw.strip())
            found[key] = Suggestion(value, field, reason, count)

        for name, count in Counter(m.group(1) for m in _SPEAKER.finditer(body)).items():  # in order of appearance
            if not _ROLE.fullmatch(name.strip()):
                add(name, "speaker", count)
        bold = Counter(m.group(1) for m in _BOLD.finditer(body) if not m.group(1).startswith("["))
        for name, count in paced(bold.most_common(), 100):  # most frequent first, then in order of appearance
            if home(normalize(name)) is not None:
                add(name, "bold", count)
        lowered = "".join(body[at : at + STRETCH].casefold() for at in range(0, len(body), STRETCH) if not stop())
        if stop():  # (cut short: what it holds is not the transcript)
            return []
        grams: set[str] = set()
        for at in range(0, len(lowered), STRETCH):  # a stretch at a time (a long transcript is 1,000,000 steps)
            if stop():
                return []
            end = at + STRETCH
            grams.update(lowered[i : i + GRAM] for i in range(at, min(end, len(lowered) - GRAM + 1)))
            grams.update(lowered[i : i + GRAM - 1] for i in range(at, min(end, len(lowered) - GRAM + 2)))  # 3-char
        for index in self.fields:
            mentions = index.mentions
            # (paced by value, not by start: one start can hold thousands; 100 starts held the GIL 276 ms)
            for key, value, folded in paced(v for start in mentions.keys() & grams for v in mentions[start]):
                if key in have or key in found or folded[-GRAM:] not in grams:
                    continue
                if home(key) != (index.field, value):
                    continue  # an earlier field holds this value: it is suggested there
                hits = _word_hits(lowered, folded)
                if stop():  # (each search of a 2 MB transcript takes up to 5 ms)
                    return []
                if hits:
                    found[key] = Suggestion(value, index.field, "mentioned", hits)
        return sorted(found.values(), key=lambda s: (-s.count, s.value.casefold()))


def _letter(char: str) -> bool:
    """A letter or digit of an alphabetic script (Latin, Greek, Cyrillic...), where words have boundaries;
    not of CJK, whose words run together."""
    return char.isalnum() and ord(char) < 0x2E80


def _word_hits(text: str, value: str) -> int:
    """How often ``value`` occurs in ``text`` as a word: where its first (last) character is a letter of an
    alphabetic script, the one before (after) it must not be one. ("Chi" is not in "chips"; 芯片 is in 芯片厂.)"""
    left, right, count, at = _letter(value[0]), _letter(value[-1]), 0, text.find(value)
    while at >= 0:
        end = at + len(value)
        if not (left and at and _letter(text[at - 1])) and not (right and end < len(text) and _letter(text[end])):
            count += 1
        at = text.find(value, at + 1)
    return count


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
