"""The form's pickers and combos follow the archive's vocabulary and the schema (masthead.yaml).

The vocabulary is the live ``Vocabulary.by_field`` (changed in place by ``update`` after a save): the form
copies only the fields that changed, on the GUI thread, and indexes them off it; no keystroke builds an index.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from masthead.core.fieldinfo import archive_vocabulary
from masthead.core.records import Record
from masthead.core.vocabulary import build_vocabulary
from masthead.core.workflow import load_schema
from masthead.ui.chips import ChipsEditor
from masthead.ui.completion import FieldValues, Vocabularies
from masthead.ui.form import FormPane

SCHEMA = "fields:\n  format: {kind: choice, values: [video, podcast, article]}\n"
TEXT = "---\ntitle: One\nformat: video\ncategory: talks\ntags:\n  - alpha\n---\nBody\n"


def record(path: str, **meta: object) -> Record:
    return Record(path=path, size=1, mtime_ns=1, meta=dict(meta))


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    (tmp_path / "masthead.yaml").write_text(SCHEMA)
    (tmp_path / "f.md").write_text(TEXT)
    (tmp_path / "g.md").write_text(TEXT.replace("One", "Two"))
    return tmp_path


@pytest.fixture
def form(qtbot: QtBot) -> Iterator[FormPane]:
    pane = FormPane()
    pane.resize(600, 800)
    qtbot.addWidget(pane)
    pane.show()
    qtbot.waitExposed(pane)
    yield pane
    pane.show_document(None, None, None)


def open_file(qtbot: QtBot, form: FormPane, root: Path, rel: str) -> None:
    with qtbot.waitSignal(form.loaded, timeout=5000):
        form.open(root, rel)


def warmed(qtbot: QtBot, form: FormPane) -> None:
    qtbot.waitUntil(lambda: all(v.ready for v in form.vocabularies.fields.values()), timeout=5000)


def offered(qtbot: QtBot, chips: ChipsEditor, text: str) -> list[str]:
    chips.input.setFocus()
    chips.input.clear()
    qtbot.keyClicks(chips.input, text)
    model = chips.completer.model()
    return [str(model.index(i, 0).data()) for i in range(model.rowCount())]


def test_a_value_added_to_the_live_vocabulary_is_offered(qtbot: QtBot, form: FormPane, archive: Path) -> None:
    old = record("g.md", tags=["alpha"])
    vocab = build_vocabulary([old])
    form.vocabulary = vocab.by_field
    open_file(qtbot, form, archive, "f.md")
    warmed(qtbot, form)
    vocab.update([old], [record("g.md", tags=["alpha", "beta"])])  # after a save of g.md
    form.vocabulary = vocab.by_field  # the same live counts, changed in place
    warmed(qtbot, form)
    tags = form.editors["tags"]
    assert isinstance(tags, ChipsEditor)
    assert any(entry.startswith("beta") for entry in offered(qtbot, tags, "be"))


def test_pickers_hold_snapshots_not_the_live_counters() -> None:
    vocab = build_vocabulary([record("a.md", tags=["alpha"], people=["Ann"])])
    fields = Vocabularies()
    fields.update(vocab.by_field)
    tags, people = fields.field("tags"), fields.field("people")
    seen = tags.snapshot()
    assert seen is not vocab.lists["tags"]
    before = people.snapshot()
    stale = fields.update(vocab.by_field)  # nothing changed: nothing copied
    assert stale == [] and people.snapshot() is before
    vocab.update([record("a.md", tags=["alpha"], people=["Ann"])], [record("a.md", tags=["beta"], people=["Ann"])])
    assert dict(seen) == {"alpha": 1}  # a worker reading it meanwhile sees a dict nobody mutates
    assert fields.update(vocab.by_field) == [tags] and people.snapshot() is before  # only the changed field
    snapshot = fields.snapshot()  # what the transcript suggestions read on their thread
    assert all(not isinstance(counts, Counter) for counts in snapshot.values())


def test_another_archives_vocabulary_is_taken_though_its_versions_are_the_same() -> None:
    fields = Vocabularies()
    first = build_vocabulary([record("a.md", tags=["alpha"])])
    fields.update(first.by_field)
    other = build_vocabulary([record("b.md", tags=["gamma"])])
    assert other.version("tags") == first.version("tags")
    assert fields.update(other.by_field) == [fields.field("tags")] and dict(fields.field("tags")) == {"gamma": 1}


def test_typing_never_builds_an_index_on_the_gui_thread() -> None:
    values = FieldValues({"Open AI": 2, "OpenAI": 9})
    assert values.matches("open") == [("OpenAI", 9), ("Open AI", 2)] and values.exact("openai") == "OpenAI"
    assert not values.ready  # a plain scan until warm() has run (off the GUI thread)
    values.warm()
    assert values.replace({"OpenAI": 10, "Open AI": 2, "beta": 1}) and not values.ready
    assert values.matches("open") == [("OpenAI", 10), ("Open AI", 2)]  # the previous index, the new counts
    assert values.matches("be") == [("beta", 1)] and not values.ready  # and the values added since
    values.warm()
    assert values.ready and values.matches("be") == [("beta", 1)]


def test_a_declared_choice_field_is_a_combo_with_the_schemas_and_the_archives_values(
    qtbot: QtBot, form: FormPane, archive: Path
) -> None:
    schema = load_schema(archive)
    records = [record("f.md", format="video"), record("g.md", format="webinar")]
    form.schema = schema
    form.vocabulary = archive_vocabulary(records, schema).by_field
    open_file(qtbot, form, archive, "f.md")
    combo = form.editors["format"]
    assert isinstance(combo, QComboBox)
    items = {combo.itemText(i) for i in range(combo.count())}
    assert {"video", "podcast", "article", "webinar"} <= items and combo.currentText() == "video"


def test_a_reused_combo_shows_values_new_since_it_was_made(qtbot: QtBot, form: FormPane, archive: Path) -> None:
    old = record("g.md", category="talks")
    vocab = build_vocabulary([old])
    form.vocabulary = vocab.by_field
    open_file(qtbot, form, archive, "f.md")
    combo = form.editors["category"]
    assert isinstance(combo, QComboBox)
    vocab.update([old], [record("g.md", category="workshops")])  # saved elsewhere
    form.vocabulary = vocab.by_field
    open_file(qtbot, form, archive, "g.md")
    assert form.editors["category"] is combo  # the row is reused
    combo.showPopup()
    items = [combo.itemText(i) for i in range(combo.count())]
    combo.hidePopup()
    assert "workshops" in items and combo.currentText() == "talks"


WORDS_FOR_INDEX = ["Open AI", "OpenAI", "open-ai", "ＯｐｅｎＡＩ", "星河", "星 河", "Ada", "ada", "Beta", "β", "x"]


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.sampled_from(WORDS_FOR_INDEX), st.integers(1, 5), max_size=12),
    st.dictionaries(st.sampled_from(WORDS_FOR_INDEX), st.integers(0, 5), max_size=6),
)
def test_an_index_updated_in_steps_equals_one_built_whole(before: dict[str, int], edits: dict[str, int]) -> None:
    after = {**before, **edits}
    after = {v: c for v, c in after.items() if c}
    stepped = FieldValues()
    stepped.replace(before)
    stepped.warm()
    stepped.replace(after)
    stepped.warm()
    whole = FieldValues(after)
    whole.warm()
    assert stepped._index == whole._index and stepped._groups == whole._groups
    assert stepped.ready and stepped.others("Open AI") == whole.others("Open AI")
