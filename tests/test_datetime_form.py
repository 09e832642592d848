"""A date and time that replaces one keeps the file's form of it: ``T`` or a space, ``Z`` for UTC (it became
``2026-12-05 10:00:00+00:00`` where the file said ``2025-12-05T10:00:00Z``: a review finding)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import run_cli

from masthead.core.document import Document

UTC = dt.UTC


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(
        ["2025-12-05T10:00:00Z", "2025-12-05 10:00:00", "2025-12-05t10:00:00+01:00", "2025-12-05 10:00:00Z"]
    ),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)),
    st.sampled_from([None, UTC, dt.timezone(dt.timedelta(hours=-5))]),
    st.sampled_from(["\n", "\r\n"]),
)
def test_a_new_date_and_time_is_written_in_the_old_ones_form(old: str, new: dt.datetime, tz: object, eol: str) -> None:
    new = new.replace(tzinfo=tz)  # type: ignore[arg-type]
    raw = f"---{eol}title: 芯片{eol}when: {old}  # recorded{eol}tags: [a]{eol}---{eol}body{eol}".encode()
    doc = Document(raw)
    doc.set("when", new)
    out = doc.to_bytes()
    line = out.decode().split(eol)[2]
    value = line.removeprefix("when: ").removesuffix("  # recorded")
    assert (value[10] == "T") == (old[10] in "Tt")
    assert value.endswith("Z") == (old.endswith("Z") and tz is UTC)
    assert Document(out).data["when"] == new
    assert out.replace(line.encode(), f"when: {old}  # recorded".encode()) == raw


def test_the_cli_set_keeps_the_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: A\ndate: 2025-12-05T10:00:00Z\n---\nBody\n")
    code, _, err = run_cli(capsys, "set", str(path), "--set", "date=2026-12-05T10:00:00Z")
    assert code == 0, err
    assert path.read_text() == "---\ntitle: A\ndate: 2026-12-05T10:00:00Z\n---\nBody\n"
