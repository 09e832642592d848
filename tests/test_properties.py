"""Property tests: random front matter and random edits always read back as intended, nothing else moves."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from tests.support.fidelity import file_lines, key_spans

from masthead.core import bulk
from masthead.core.document import Document
from masthead.core.operations import add, clear_field, remove, rename, replace, set_field
from masthead.core.split import split
from masthead.core.values import same

KEYS = ["title", "date", "summary", "draft", "tags", "people", "status", "category", "source", "guest"]
TRICKY = [
    "no",
    "yes",
    "on",
    "off",
    "y",
    "n",
    "null",
    "~",
    "true",
    "012",
    "0o12",
    "0x1f",
    "1:20",
    "1_000",
    "1e3",
    ".inf",
    "2025-01-01",
    "2025-01-01 10:00:00",
    "- item",
    "key: value",
    "# not a comment",
    "'quoted'",
    '"double"',
    "[a, b]",
    "{a: 1}",
    "&anchor",
    "*alias",
    "!tag",
    "|",
    ">",
    "%",
    "@",
    "`",
    " leading",
    "trailing ",
    "",
    " ",
    "a #b",
    "中文：标题",
    "Ｏｐｅｎ ＡＩ",
    "emoji 🎙️",
    "tab\there",
]

text = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=25),
    st.text(alphabet="abc :#-'\"\n{}[],", max_size=25),
)
scalar = st.one_of(
    text,
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)
value = st.one_of(scalar, st.lists(text, max_size=5))
key = st.one_of(st.sampled_from(KEYS), st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True))
front_matter = st.dictionaries(key, value, max_size=8)
edit = st.tuples(st.sampled_from(["set", "set", "delete"]), key, value)


def write_file(data: dict[str, Any], pyyaml: bool, crlf: bool, bom: bool, body: str) -> bytes:
    if pyyaml:
        block = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=60) if data else ""
    else:
        y = YAML()
        y.indent(mapping=2, sequence=4, offset=2)
        out = io.StringIO()
        if data:
            y.dump(data, out)
        block = out.getvalue()
    text = "---\n" + block + "---\n" + body
    if crlf:
        text = text.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    front_matter,
    st.lists(edit, max_size=5),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.text(max_size=40),
)
def test_random_edits_read_back_and_touch_only_their_keys(
    data: dict[str, Any], edits: list[tuple[str, str, Any]], pyyaml: bool, crlf: bool, bom: bool, body: str
) -> None:
    raw = write_file(data, pyyaml, crlf, bom, body)
    doc = Document(raw)
    assert doc.error is None, doc.error
    assume(same(doc.data, data))  # a YAML 1.1 writer (PyYAML) leaves e.g. 0o12 unquoted; 1.2 reads a number
    touched = set()
    for op, k, v in edits:
        touched.add(k)
        doc.set(k, v) if op == "set" else doc.delete(k)
    out = doc.to_bytes()
    reread = Document(out)
    assert reread.error is None
    assert same(reread.data, doc.data)
    assert reread.body == doc.body
    assert out.startswith(b"\xef\xbb\xbf") == bom
    if crlf:
        assert out.count(b"\n") == out.count(b"\r\n")
    # every key not edited keeps its lines byte for byte
    old_spans, new_spans = key_spans(raw), key_spans(out)
    old_lines, new_lines = file_lines(raw), file_lines(out)
    for k in data:
        if k not in touched and k in old_spans:
            a, b = old_spans[k]
            c, d = new_spans[k]
            assert old_lines[a:b] == new_lines[c:d]
    # a YAML 1.1 reader agrees on every value the edit wrote
    yaml11 = yaml.safe_load(split(out).block.decode("utf-8")) or {}
    for k in touched:
        if k in doc.data and not (k in data and same(data[k], doc.data[k])):
            assert same(yaml11.get(k), doc.data[k]), (k, yaml11.get(k), doc.data[k])


@settings(deadline=None)
@given(front_matter, st.booleans(), st.booleans())
def test_setting_values_to_themselves_changes_nothing(data: dict[str, Any], pyyaml: bool, crlf: bool) -> None:
    raw = write_file(data, pyyaml, crlf, False, "body\n")
    doc = Document(raw)
    assert doc.error is None
    for k, v in doc.original.items():
        doc.set(k, v)
    assert not doc.dirty and doc.to_bytes() == raw


bulk_edit = st.one_of(
    st.builds(lambda f, vs: add(f, vs), st.sampled_from(["tags", "people"]), st.lists(text, min_size=1, max_size=3)),
    st.builds(lambda f, vs: remove(f, vs), st.sampled_from(["tags", "people"]), st.lists(text, min_size=1, max_size=3)),
    st.builds(lambda a, b: rename(a, b), text, text),
    st.builds(
        lambda f, a, b: replace(f, a, b), st.just("tags"), st.lists(text, max_size=2), st.lists(text, max_size=2)
    ),
    st.builds(lambda k, v: set_field(k, v), st.sampled_from(["category", "series", "status"]), scalar),
    st.builds(lambda k: clear_field(k), st.sampled_from(["category", "series", "title"])),
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(front_matter, st.booleans(), st.booleans()), min_size=1, max_size=3), bulk_edit)
def test_bulk_operations_touch_only_their_keys_and_undo_to_the_same_bytes(
    tmp_path_factory: pytest.TempPathFactory, files: list[tuple[dict[str, Any], bool, bool]], edit: Any
) -> None:
    root = tmp_path_factory.mktemp("bulk")
    raws = {}
    for i, (data, pyyaml, crlf) in enumerate(files):
        raw = write_file(data, pyyaml, crlf, False, "### Body\n")
        assume(Document(raw).error is None and same(Document(raw).data, data))
        raws[f"f{i}.md"] = raw
        (root / f"f{i}.md").write_bytes(raw)
    plan = bulk.plan(root, sorted(raws), edit, workers=1)
    report = bulk.apply(plan)
    assert report.failed == [] and sorted(report.changed) == sorted(c.rel for c in plan.changes)
    for name, raw in raws.items():
        out = (root / name).read_bytes()
        before, after = Document(raw), Document(out)
        assert after.error is None and after.body == before.body
        changed = {k for k in set(before.data) | set(after.data) if not same(before.data.get(k), after.data.get(k))}
        changed |= set(before.data) ^ set(after.data)
        old_spans, new_spans = key_spans(raw), key_spans(out)
        for k in before.data:  # every key the operation did not change keeps its lines byte for byte
            if k not in changed and k in old_spans and k in new_spans:
                a, b = old_spans[k]
                c, d = new_spans[k]
                assert file_lines(raw)[a:b] == file_lines(out)[c:d], k
    again = bulk.plan(root, sorted(raws), edit, workers=1)
    assert again.changes == []  # re-running the finished operation changes nothing
    if report.journal is not None:
        bulk.undo(report.journal)
    assert {n: (root / n).read_bytes() for n in raws} == raws
