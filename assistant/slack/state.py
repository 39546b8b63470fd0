"""What the bot must remember between Slack's deliveries, in the data directory (several workers or
a restart must agree): events already answered, and which conversation each thread is."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from ingest.sqlite_files import open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (event_id TEXT PRIMARY KEY, at REAL);
CREATE TABLE IF NOT EXISTS threads (
    channel TEXT, thread_ts TEXT, conversation_id TEXT, at REAL, PRIMARY KEY (channel, thread_ts));
"""
# Slack retries an event for about an hour at most; a day is a safe memory.
EVENT_MEMORY_SECONDS = 24 * 3600


class SlackState:
    def __init__(self, path: Path) -> None:
        self._db = open_database(path, _SCHEMA)
        self._lock = threading.Lock()

    def first_delivery(self, event_id: str) -> bool:
        """True once per event id: a retried delivery (X-Slack-Retry-Num) must not answer twice."""
        now = time.time()
        with self._lock, self._db:
            self._db.execute("DELETE FROM events WHERE at < ?", (now - EVENT_MEMORY_SECONDS,))
            inserted = self._db.execute("INSERT OR IGNORE INTO events VALUES (?, ?)", (event_id, now))
            return inserted.rowcount == 1

    def conversation(self, channel: str, thread_ts: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT conversation_id FROM threads WHERE channel = ? AND thread_ts = ?",
                (channel, thread_ts),
            ).fetchone()
        return row[0] if row else None

    def remember(self, channel: str, thread_ts: str, conversation_id: str) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO threads VALUES (?, ?, ?, ?)",
                (channel, thread_ts, conversation_id, time.time()),
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()
