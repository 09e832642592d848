"""core.suggest.Suggester gives exactly what a plain scan of every vocabulary value gives."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from masthead.core.suggest import Suggester
from masthead.core.vocabulary import normalize


def plain_mentions(body: str, vocabulary: dict[str, dict[str, int]]) -> dict[str, int]:
    home: dict[str, tuple[str, str]] = {}
    for field, counts in vocabulary.items():
        for value, _ in sorted(counts.items(), key=lambda item: -item[1]):
            home.setdefault(normalize(value), (field, value))
    lowered = body.casefold()
    counts = {value: words(lowered, value.casefold()) for field, value in home.values() if field != "tags"}
    return {value: n for value, n in counts.items() if len(value) >= 3 and n}


def words(text: str, value: str) -> int:
    """Occurrences of ``value`` not inside a longer word of an alphabetic script (every start, one by one)."""

    def letter(char: str) -> bool:
        return char.isalnum() and ord(char) < 0x2E80

    found = 0
    for at in range(len(text) - len(value) + 1):
        if not text.startswith(value, at):
            continue
        before = text[at - 1] if at else " "
        after = text[at + len(value)] if at + len(value) < len(text) else " "
        found += not ((letter(value[0]) and letter(before)) or (letter(value[-1]) and letter(after)))
    return found


WORDS = [
    "Ada",
    "ada",
    "Straße",
    "STRASSE",
    "星河半导体",
    "Open AI",
    "OpenAI",
    "abc",
    "Northwind Labs",
    "lab",
    "Chi",
    "chips",
]


@given(
    st.lists(st.sampled_from([*WORDS, " ", "\n", "x", "ß", "."]), max_size=40).map("".join),
    st.dictionaries(st.sampled_from(WORDS), st.integers(1, 9), max_size=8),
)
def test_mentions_match_a_plain_scan(body: str, people: dict[str, int]) -> None:
    vocabulary = {"people": people, "tags": {"abc": 3}}
    found = {s.value: s.count for s in Suggester(vocabulary).suggest(body, {}) if s.reason == "mentioned"}
    assert found == plain_mentions(body, vocabulary)


@given(
    st.lists(st.sampled_from([*WORDS, " ", "\n", "x"]), max_size=40).map("".join),
    st.dictionaries(st.sampled_from(WORDS), st.integers(1, 9), max_size=8),
    st.dictionaries(st.sampled_from(WORDS), st.integers(1, 9), max_size=8),
    st.dictionaries(st.sampled_from(WORDS), st.integers(1, 9), max_size=8),
)
def test_a_suggester_built_on_a_previous_one_agrees_with_a_fresh_one(
    body: str, people: dict[str, int], companies: dict[str, int], changed: dict[str, int]
) -> None:
    before = Suggester({"people": people, "companies_orgs": companies})
    after = {"people": people, "companies_orgs": changed}  # one field replaced, one the same object
    reused = Suggester(after, before)
    assert reused.fields[0] is before.fields[0]
    assert reused.suggest(body, {}) == Suggester(after).suggest(body, {})


def test_a_latin_value_is_mentioned_as_a_word_and_a_cjk_one_anywhere() -> None:
    """ "Chi" is not in "chips", "Meas" not in "Measured" (a new-user trial saw seven such); 星河半导体 is in
    星河半导体厂;
    a speaker label naming a role (Host, 主持人) is not suggested as a person."""
    vocabulary = {"products_models": {"Chi": 3, "Meas": 2, "星河半导体": 4, "Kestrel": 5}}
    body = "**[Host]**: We measured chips. 星河半导体厂 uses Kestrel, and Kestrel's chip.\n\n"
    body += "**[主持人]**: 好。\n**[Dana]**: Hi"
    found = {(s.value, s.reason): s.count for s in Suggester(vocabulary).suggest(body, {})}
    assert found == {("星河半导体", "mentioned"): 1, ("Kestrel", "mentioned"): 2, ("Dana", "speaker"): 1}


def test_thousands_of_values_with_one_start_are_looked_for_with_pauses_between() -> None:
    """The window's worker pauses (``core.pacing``) while the GUI thread is busy; values were paced by their
    first characters, and one start can hold thousands of them (100 starts held the GIL 276 ms in a trial on a
    realistic vocabulary and a 2 MB transcript): every value looked for counts towards the next pause."""
    from masthead.core import pacing

    values = {f"Alex Person {n:04}": 1 for n in range(5000)}  # one start ("alex"), 5,000 values
    suggester = Suggester({"people": values})
    calls: list[int] = []
    before = pacing._pause
    pacing.install(lambda: calls.append(1))
    try:
        found = suggester.suggest("Alex said hello to Alex Person 0042 and to Alex Person 4999.", {})
    finally:
        pacing.install(before)
    assert {s.value for s in found} == {"Alex Person 0042", "Alex Person 4999"}
    assert len(calls) >= 5000 // pacing.EVERY


@pytest.mark.parametrize("at", [1, 2, 3, 5])
def test_a_cancelled_search_stops_at_its_next_pause_and_suggests_nothing(at: int) -> None:
    """A file left for another: its transcript's search (a second of work for a long one) stops, rather than
    compete with the window's work for the GIL until it ends."""
    import threading

    from masthead.core import pacing

    values = {f"Alex Person {n:04}": 1 for n in range(5000)}
    suggester = Suggester({"people": values})
    body = "**[Sam Rivers]**: hello\n" + "Alex Person 0042 met Alex Person 4999. " * 50
    assert {s.value for s in suggester.suggest(body, {})} == {"Sam Rivers", "Alex Person 0042", "Alex Person 4999"}
    cancel = threading.Event()
    calls: list[int] = []

    def pause() -> None:
        calls.append(1)
        if len(calls) == at:
            cancel.set()  # (as the panel does when another file is shown)

    before = pacing._pause
    pacing.install(pause)
    try:
        found = suggester.suggest(body, {}, cancel=cancel)
    finally:
        pacing.install(before)
    assert found == []
    assert len(calls) <= at + 1  # it stopped at the pause after the one that cancelled it (not 5,000 later)
