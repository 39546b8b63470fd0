"""One way to open the product's small SQLite files: created on first use, WAL so that readers in
other threads and processes never block the writer, a generous busy timeout, the schema applied."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_database(path: Path, schema: str) -> sqlite3.Connection:
    """A connection any thread may use (each store serialises its own calls with a lock)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, check_same_thread=False, timeout=30)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.executescript(schema)
    return connection
