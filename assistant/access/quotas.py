"""Fixed-window request counters in SQLite, so that several server processes share one count."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ingest.sqlite_files import open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (
    subject TEXT, window_start INTEGER, count INTEGER, PRIMARY KEY (subject, window_start));
CREATE INDEX IF NOT EXISTS counters_by_window ON counters (window_start);
"""


@dataclass(frozen=True)
class Quota:
    subject: str  # what is counted: "ip:127.0.0.1", "key:ab12cd34", "conversation:…"
    limit: int  # requests per window; 0 means unlimited
    window_seconds: int


class QuotaCounter:
    def __init__(self, path: Path) -> None:
        self._db = open_database(path, _SCHEMA)
        self._lock = threading.Lock()

    def spend(self, quotas: list[Quota], now: float | None = None) -> tuple[Quota, int] | None:
        """Count one request against every quota, or against none: returns the first spent quota
        and the seconds until its window ends (the `Retry-After`), and then counts nothing."""
        now = time.time() if now is None else now
        live = [(q, int(now // q.window_seconds * q.window_seconds)) for q in quotas if q.limit]
        with self._lock, self._db:
            # Check and count in one write transaction, so that two workers cannot both pass at limit - 1.
            self._db.execute("BEGIN IMMEDIATE")
            for quota, start in live:
                row = self._db.execute(
                    "SELECT count FROM counters WHERE subject = ? AND window_start = ?",
                    (quota.subject, start),
                ).fetchone()
                if row and row[0] >= quota.limit:
                    return quota, max(1, math.ceil(start + quota.window_seconds - now))
            self._db.executemany(
                "INSERT INTO counters VALUES (?, ?, 1) ON CONFLICT (subject, window_start) "
                "DO UPDATE SET count = count + 1",
                [(quota.subject, start) for quota, start in live],
            )
            # Old windows are forgotten as new ones begin (a day is the longest window).
            self._db.execute("DELETE FROM counters WHERE window_start < ?", (int(now) - 2 * 86400,))
        return None

    def close(self) -> None:
        with self._lock:
            self._db.close()
