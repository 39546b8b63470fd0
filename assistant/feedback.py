"""👍/👎 from the widget and Slack, stored with the question, answer and citations they judge.

Every answer served is logged under an `answer_id`, so a rating names that id instead of sending
the answer back: the stored answer is what the assistant said, not what a client claims it said.
The log of unrated answers is bounded; rated ones are kept until exported and deleted by hand."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answering.models import Answer
from assistant.errors import NotFound
from ingest.sqlite_files import open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    answer_id TEXT PRIMARY KEY, at REAL, channel TEXT, conversation_id TEXT,
    question TEXT, answer TEXT, abstained INTEGER, citations TEXT);
CREATE TABLE IF NOT EXISTS ratings (
    answer_id TEXT PRIMARY KEY REFERENCES answers(answer_id), at REAL, rating INTEGER, comment TEXT,
    user TEXT);
CREATE INDEX IF NOT EXISTS answers_at ON answers(at);
"""


@dataclass(frozen=True)
class Rating:
    answer_id: str
    rating: int  # +1 or -1
    comment: str = ""
    user: str = ""  # who rated, when the channel knows (a Slack user id); empty for the widget


class FeedbackStore:
    def __init__(self, path: Path, max_unrated: int = 10_000) -> None:
        self._db = open_database(path, _SCHEMA)
        self._lock = threading.Lock()
        self._max_unrated = max_unrated
        self._logged = 0  # answers logged by this process: the unrated log is pruned every 100

    def log_answer(self, question: str, answer: Answer, channel: str) -> str:
        """Remember an answer a person may rate; returns the id the rating will name."""
        answer_id = uuid.uuid4().hex
        citations = json.dumps([dataclasses.asdict(c) for c in answer.citations], ensure_ascii=False)
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    answer_id,
                    time.time(),
                    channel,
                    answer.conversation_id,
                    question,
                    answer.text,
                    int(answer.abstained),
                    citations,
                ),
            )
            self._logged += 1
            if self._logged % 100:
                return answer_id
            self._db.execute(
                """DELETE FROM answers WHERE answer_id IN (
                    SELECT answer_id FROM answers WHERE answer_id NOT IN (SELECT answer_id FROM ratings)
                    ORDER BY at DESC LIMIT -1 OFFSET ?)""",
                (self._max_unrated,),
            )
        return answer_id

    def rate(self, rating: Rating) -> None:
        """A second rating of the same answer replaces the first (a person changing their mind)."""
        with self._lock, self._db:
            known = self._db.execute("SELECT 1 FROM answers WHERE answer_id = ?", (rating.answer_id,))
            if known.fetchone() is None:
                raise NotFound(f"no answer {rating.answer_id!r} to rate")
            self._db.execute(
                "INSERT OR REPLACE INTO ratings VALUES (?, ?, ?, ?, ?)",
                (rating.answer_id, time.time(), rating.rating, rating.comment, rating.user),
            )

    def export(self) -> Iterator[dict[str, Any]]:
        """Rated answers, oldest rating first, as the JSON objects `feedback export` writes."""
        with self._lock:
            rows = self._db.execute(
                """SELECT r.answer_id, r.at, r.rating, r.comment, r.user, a.channel, a.conversation_id,
                          a.question, a.answer, a.abstained, a.citations
                   FROM ratings r JOIN answers a USING (answer_id) ORDER BY r.at"""
            ).fetchall()
        for row in rows:
            answer_id, at, rating, comment, user, channel, conversation_id = row[:7]
            question, text, abstained, citations = row[7:]
            yield {
                "answer_id": answer_id,
                "rated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at)),
                "rating": rating,
                "comment": comment,
                "user": user,
                "channel": channel,
                "conversation_id": conversation_id,
                "question": question,
                "answer": text,
                "abstained": bool(abstained),
                "citations": json.loads(citations),
            }

    def export_jsonl(self) -> str:
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in self.export())

    def close(self) -> None:
        with self._lock:
            self._db.close()
