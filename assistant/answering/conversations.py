"""Conversations kept in the data directory (not in process memory), bounded in length, so that a
follow-up ("and what about Paraguay?", "¿y cuándo?") can be made standalone."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import NotFound
from ingest.sqlite_files import open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT, position INTEGER, question TEXT, standalone TEXT, answer TEXT, at REAL,
    PRIMARY KEY (conversation_id, position));
"""


@dataclass(frozen=True)
class Turn:
    question: str
    standalone: str
    answer: str


class ConversationStore:
    def __init__(self, path: Path, max_turns: int = 20) -> None:
        self._db = open_database(path, _SCHEMA)
        self._lock = threading.Lock()
        self._max_turns = max_turns

    def new_id(self) -> str:
        return uuid.uuid4().hex

    def history(self, conversation_id: str) -> list[Turn]:
        """The turns so far, oldest first; an id never seen is a 404, not a silent new thread."""
        with self._lock:
            rows = self._db.execute(
                "SELECT question, standalone, answer FROM turns WHERE conversation_id = ? ORDER BY position",
                (conversation_id,),
            ).fetchall()
        if not rows:
            raise NotFound(f"no conversation {conversation_id!r}")
        return [Turn(*row) for row in rows]

    def append(self, conversation_id: str, turn: Turn) -> None:
        with self._lock, self._db:
            position = self._db.execute(
                "SELECT COALESCE(MAX(position), -1) + 1 FROM turns WHERE conversation_id = ?",
                (conversation_id,),
            ).fetchone()[0]
            self._db.execute(
                "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?)",
                (conversation_id, position, turn.question, turn.standalone, turn.answer, time.time()),
            )
            self._db.execute(
                "DELETE FROM turns WHERE conversation_id = ? AND position < ?",
                (conversation_id, position - self._max_turns + 1),
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()


def standalone_question(question: str, history: list[Turn]) -> str:
    """Without a language model: a follow-up is searched together with the question it follows.

    Short questions, or ones that open with a connective ("and", "y", "e", "what about"), lean on
    the previous one; a long self-contained question is left alone."""
    if not history:
        return question
    words = question.lower().strip("¿¡ ").split()
    opening = " ".join(words[:2])
    connective = bool(words) and (
        words[0] in {"and", "y", "e", "also", "también", "também"} or opening in {"what about", "how about"}
    )
    if len(words) <= 6 or connective:
        return f"{history[-1].standalone} {question}"
    return question
