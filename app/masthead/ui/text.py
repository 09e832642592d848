"""Small wording helpers shared by the window's messages."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 file``, ``12 files``, ``1,234 files`` (``many`` for irregular plurals)."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"
