"""core.suggest.Suggester gives exactly what a plain scan of every vocabulary value gives."""

from __future__ import annotations

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
    return {
        value: lowered.count(value.casefold())
        for field, value in home.values()
        if len(value) >= 3 and field != "tags" and lowered.count(value.casefold())
    }


WORDS = ["Ada", "ada", "Straße", "STRASSE", "星河半导体", "Open AI", "OpenAI", "abc", "Northwind Labs", "lab"]


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
