"""Words for counts: ``plural(1, "file")`` is "1 file", ``plural(1234, "file")`` is "1,234 files"."""

from __future__ import annotations


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``n`` with thousands separators and the noun in the right number (``many`` for irregular plurals)."""
    return f"{n:,} {noun if n == 1 else (many or noun + 's')}"
