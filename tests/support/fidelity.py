"""Save-fidelity helpers shared by the tests and ``benchmarks/fidelity.py``: an independent scanner of a
file's lines and top-level key spans, realistic edits per value type, and the check that a one-key edit
changes only that key's lines and reads back right (with ruamel.yaml and with a YAML 1.1 reader)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from masthead.core.document import Document
from masthead.core.errors import MastheadError
from masthead.core.values import Value, same

_KEY_LINE = re.compile(r"([^\s#\-][^:]*?):(?:[ \t]|\r?\n|\r|$)")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def file_lines(data: bytes) -> list[str]:
    return _LINE.findall(data.decode("utf-8", errors="replace"))


def key_spans(data: bytes) -> dict[str, tuple[int, int]]:
    """Top-level key -> [first line, first line of the next key or of the closing delimiter)."""
    lines = file_lines(data)
    if not lines or lines[0].lstrip("\ufeff").rstrip() != "---":
        return {}
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), len(lines))
    starts = [(i, m.group(1)) for i in range(1, close) if (m := _KEY_LINE.match(lines[i]))]
    spans = {}
    for n, (line, key) in enumerate(starts):
        spans[key] = (line, starts[n + 1][0] if n + 1 < len(starts) else close)
    return spans


def edits_for(value: Value) -> list[Value]:
    """A few realistic new values for a key that has ``value``."""
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1]
    if isinstance(value, float):
        return [value + 1.5]
    if isinstance(value, dt.datetime):
        return [value + dt.timedelta(hours=1)]
    if isinstance(value, dt.date):
        return [value + dt.timedelta(days=1)]
    if value is None:
        return ["filled in", ["first"]]
    if isinstance(value, str):
        if "\n" in value:
            return [value + "\nand one more line", value.replace("\n", " ")]
        return [value + " (edited)", "", "no", "2026-03-01", "Colon: inside", "新的值"]
    if isinstance(value, list):
        edits: list[Value] = [[*value, "added-item"], [*value, "yes"], []]
        if value:
            edits += [value[1:], value[:-1], ["inserted", *value], value[::-1]]
        return edits
    if isinstance(value, dict):
        return [{**value, "added": "value"}]
    return []


@dataclass
class Report:
    files: int = 0
    noop_total: int = 0
    noop_identical: int = 0
    edit_total: int = 0
    edit_confined: int = 0
    failures: list[str] = field(default_factory=list)


def check_edit(raw: bytes, path: Path, key: str, new: Value) -> str | None:
    """None if setting ``key`` to ``new`` changes only that key's lines and reads back right; else why."""
    doc = Document(raw, path)
    doc.set(key, new)
    intended = doc.data
    try:
        out = doc.to_bytes()
    except MastheadError as exc:
        return f"refused: {exc}"
    reread = Document(out, path)
    if reread.error is not None or not same(reread.data, intended):
        return "does not read back as intended"
    spans = key_spans(raw)
    if key not in spans:
        return "key not found by the independent scanner"
    start, stop = spans[key]
    old_lines, new_lines = file_lines(raw), file_lines(out)
    tail = len(old_lines) - stop
    if new_lines[:start] != old_lines[:start] or new_lines[len(new_lines) - tail :] != old_lines[stop:]:
        return "bytes outside the key's lines changed"
    if same(Document(raw, path).data.get(key), new):
        return None if out == raw else "a no-op edit changed the bytes"
    block = out.decode("utf-8").lstrip("\ufeff").split("\n", 1)[1]
    yaml11 = yaml.safe_load(re.split(r"^(?:---|\.\.\.)[ \t]*\r?$", block, maxsplit=1, flags=re.M)[0])
    if not same(yaml11.get(key), intended[key]):
        return f"a YAML 1.1 reader reads {yaml11.get(key)!r}"
    return None


def measure(paths: Iterable[Path]) -> Report:
    report = Report()
    for path in paths:
        raw = path.read_bytes()
        doc = Document(raw, path)
        if not doc.editable:
            continue
        report.files += 1
        report.noop_total += 1
        for key, value in doc.original.items():
            doc.set(key, value)
        if doc.to_bytes() == raw:
            report.noop_identical += 1
        else:
            report.failures.append(f"{path}: setting every key to its own value changed the bytes")
        for key, value in doc.original.items():
            for new in edits_for(value):
                report.edit_total += 1
                problem = check_edit(raw, path, key, new)
                if problem is None:
                    report.edit_confined += 1
                else:
                    report.failures.append(f"{path}: {key} -> {new!r}: {problem}")
    return report
