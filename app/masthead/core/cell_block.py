"""Blocks of cells as spreadsheets put them on the clipboard: cells separated by tabs, rows by line breaks (LF
or CRLF), a line break after the last row, and a cell that holds a tab or a line break in double quotes (its
own quotes doubled). Other cells are as they are, quotes and all: ``"The Talk" with X`` and ``"Hello"`` are that
text. Masthead also quotes a cell that begins with a quote, so that every cell reads back as it was.
"""

from __future__ import annotations

_BREAKS = "\t\r\n"


def parse_block(text: str) -> list[list[str]]:
    """The rows of cells of a clipboard text (one line without a tab: one cell)."""
    rows: list[list[str]] = []
    row: list[str] = []
    at, end = 0, len(text)
    while True:
        cell, at = _cell(text, at)
        row.append(cell)
        if at < end and text[at] == "\t":
            at += 1
            continue
        rows.append(row)
        row = []
        at += 2 if text.startswith("\r\n", at) else 1
        if at >= end:  # (the line break after the last row ends the block)
            return rows


def _cell(text: str, at: int) -> tuple[str, int]:
    """The cell starting at ``at`` and where it ends (at its tab, its line break or the end of the text)."""
    if text.startswith('"', at):
        close = _closing_quote(text, at)
        if close is not None and (close + 1 == len(text) or text[close + 1] in _BREAKS):
            inner = text[at + 1 : close]
            if any(c in inner for c in _BREAKS) or '""' in inner:  # (cells a spreadsheet quotes)
                return inner.replace('""', '"'), close + 1
    stops = [i for i in (text.find("\t", at), text.find("\n", at)) if i >= 0]
    stop = min(stops) if stops else len(text)
    cell = text[at:stop]
    if stop < len(text) and text[stop] == "\n" and cell.endswith("\r"):
        cell = cell[:-1]
    return cell, stop


def _closing_quote(text: str, opening: int) -> int | None:
    at = opening + 1
    while True:
        at = text.find('"', at)
        if at < 0:
            return None
        if text.startswith('""', at):
            at += 2
            continue
        return at


def block_text(rows: list[list[str]]) -> str:
    """Rows of cells as a spreadsheet puts them on the clipboard (``parse_block`` reads them back)."""
    return "".join("\t".join(_quoted(cell) for cell in row) + "\n" for row in rows)


def _quoted(cell: str) -> str:
    quote = cell.startswith('"') or any(c in cell for c in _BREAKS)
    return '"' + cell.replace('"', '""') + '"' if quote else cell
