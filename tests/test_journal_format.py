"""The journal's .old file, written one file at a time, is the JSON object it always was."""

from __future__ import annotations

import base64
import json
import tempfile
import zlib
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from masthead.core.journal import write_old

names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20)


@given(st.dictionaries(names, st.binary(max_size=300), max_size=6))
def test_old_bytes_round_trip(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "op.old"
        write_old(path, [(rel, old, b"new") for rel, old in files.items()])
        stored = json.loads(path.read_text(encoding="utf-8"))
        assert {rel: zlib.decompress(base64.b64decode(text)) for rel, text in stored.items()} == files
        assert not path.with_suffix(".tmp").exists()
