"""A table of files and fields as CSV: exported from the index, and read back as one ``CellsEdit``.

The first column is the file's path (or, on import, any field that names each file once, ``--key``); the
others are fields, one cell per file, lists joined with a separator. Files are written as UTF-8 with a BOM
so that spreadsheets open Chinese text correctly; a BOM is optional on import. Importing a table that was
not edited changes nothing: a cell equal to the text of the file's value is not an edit.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from masthead.core.cells import CellsEdit, archive_kinds, cell_text
from masthead.core.records import Record

PATH_COLUMN = "path"
CSV_SEPARATOR = "; "  # between list items in a cell: commas are common inside entity names


def sort_records(records: Iterable[Record], column: str | None, descending: bool = False) -> list[Record]:
    """Records by one column's text (case-insensitive; empty values last), or by path."""
    rows = sorted(records, key=lambda r: r.path)
    if not column:
        return rows
    if column == PATH_COLUMN:
        return sorted(rows, key=lambda r: r.path, reverse=descending)
    filled = [r for r in rows if cell_text(r.meta.get(column)) != ""]
    empty = [r for r in rows if cell_text(r.meta.get(column)) == ""]
    filled.sort(key=lambda r: cell_text(r.meta.get(column)).casefold(), reverse=descending)
    return filled + empty


def table_text(records: Iterable[Record], fields: list[str], separator: str = CSV_SEPARATOR) -> str:
    """The CSV text: a header row (``path`` and the fields), then one row per record."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([PATH_COLUMN, *fields])
    for record in records:
        writer.writerow([record.path, *(cell_text(record.meta.get(f), separator) for f in fields)])
    return out.getvalue()


def table_bytes(records: Iterable[Record], fields: list[str], separator: str = CSV_SEPARATOR) -> bytes:
    return table_text(records, fields, separator).encode("utf-8-sig")


def write_table(path: Path, records: list[Record], fields: list[str], separator: str = CSV_SEPARATOR) -> int:
    """Write the table to ``path`` atomically (replacing a file that is there); returns the number of rows."""
    from masthead.core import storage  # here: reading and sorting tables needs no saving code

    expected = storage.read_bytes(path)[1] if path.exists() else None
    storage.write_atomic(path, table_bytes(records, fields, separator), expected)
    return len(records)


@dataclass
class Imported:
    """What a CSV file asks for: the cells of the files it names, and the rows it could not place."""

    edit: CellsEdit
    problems: list[str] = field(default_factory=list)  # "row 4: no file has path x.md"


def read_table(
    data: bytes,
    records: dict[str, Record],
    key: str = PATH_COLUMN,
    separator: str = CSV_SEPARATOR,
    label: str = "",
) -> Imported:
    """The cells of a CSV file as one edit. ``key`` is the column that names each file: its path, or a field
    whose value is unique to each file (``source``); a row whose key names no file, or several, is a problem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (byte {exc.start}): save the table as CSV UTF-8") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise ValueError("the file is empty: expected a header row (path, then field names)")
    header = [h.strip() for h in rows[0]]
    if key not in header:
        raise ValueError(f"no column {key!r} in the header ({', '.join(header)})")
    named = [h for h in header if h]  # (columns without a name are left out: a spreadsheet's empty ones)
    if len(set(named)) != len(named):
        raise ValueError(f"a column is named twice in the header ({', '.join(header)})")
    at = header.index(key)
    fields = [(i, name) for i, name in enumerate(header) if i != at and name and name != PATH_COLUMN]
    by_key: dict[str, list[str]] = {}
    if key != PATH_COLUMN:
        for rel, record in records.items():
            value = cell_text(record.meta.get(key), separator)
            if value:
                by_key.setdefault(value, []).append(rel)
    cells: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"row {number}: {len(row)} cells, the header has {len(header)}")
            continue
        name = row[at].strip()
        rels = ([name] if name in records else []) if key == PATH_COLUMN else by_key.get(name, [])
        if len(rels) != 1:
            why = "no file has" if not rels else f"{len(rels)} files have"
            problems.append(f"row {number}: {why} {key} {name!r}")
            continue
        if rels[0] in cells:
            problems.append(f"row {number}: {rels[0]} is named by an earlier row too")
            continue
        cells[rels[0]] = {field_name: row[i] for i, field_name in fields}
    kinds = archive_kinds(records.values(), [name for _, name in fields])
    return Imported(CellsEdit(cells, separator, label, kinds), problems)
