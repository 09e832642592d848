"""Damage a full-text index part the same way every time (random bytes were sometimes still readable)."""

from __future__ import annotations

import sqlite3


def damage(db: sqlite3.Connection) -> None:
    """Overwrite every trigram block but the first few with 0xFF bytes (varints no reader can make sense of)."""
    rows = db.execute("SELECT id, length(block) FROM bodies_data WHERE id > 10").fetchall()
    db.executemany("UPDATE bodies_data SET block = ? WHERE id = ?", [(b"\xff" * n, i) for i, n in rows])
