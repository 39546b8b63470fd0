"""Background ingest jobs: one at a time (the stores take one writer), status kept in SQLite so
that `GET /v1/jobs/{id}` answers from any worker and after a restart."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import NotFound
from ingest.sqlite_files import open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY, kind TEXT, subject TEXT, status TEXT, result TEXT, error TEXT,
    created REAL, finished REAL);
"""


@dataclass(frozen=True)
class Job:
    job_id: str
    kind: str  # "ingest" or "delete"
    subject: str  # the file name or document id it works on
    status: str  # queued, running, done, failed
    result: dict[str, Any] | None
    error: str | None
    created: float
    finished: float | None


class JobRunner:
    def __init__(self, path: Path) -> None:
        self._db = open_database(path, _SCHEMA)
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-job")
        with self._lock, self._db:
            # Jobs a previous process left unfinished: the next ingest of the corpus completes them.
            self._db.execute(
                "UPDATE jobs SET status = 'failed', error = 'interrupted by a restart; upload or ingest "
                "again' WHERE status IN ('queued', 'running')"
            )

    def submit(self, kind: str, subject: str, work: Callable[[], dict[str, Any]]) -> Job:
        job_id = uuid.uuid4().hex
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO jobs VALUES (?, ?, ?, 'queued', NULL, NULL, ?, NULL)",
                (job_id, kind, subject, time.time()),
            )
        self._pool.submit(self._run, job_id, work)
        return self.get(job_id)

    def get(self, job_id: str) -> Job:
        with self._lock:
            row = self._db.execute("SELECT * FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        if row is None:
            raise NotFound(f"no job {job_id!r}")
        job_id, kind, subject, status, result, error, created, finished = row
        return Job(
            job_id, kind, subject, status, json.loads(result) if result else None, error, created, finished
        )

    def pending(self, kind: str) -> set[str]:
        """The subjects of the jobs of this kind that are queued or running."""
        with self._lock:
            rows = self._db.execute(
                "SELECT subject FROM jobs WHERE kind = ? AND status IN ('queued', 'running')", (kind,)
            ).fetchall()
        return {subject for (subject,) in rows}

    def close(self) -> None:
        self._pool.shutdown(
            wait=True, cancel_futures=True
        )  # the running job finishes; queued ones do not start
        with self._lock:
            self._db.close()

    def _run(self, job_id: str, work: Callable[[], dict[str, Any]]) -> None:
        self._set(job_id, "running")
        try:
            result = work()
        except Exception as exc:  # a job's failure is its status, never the server's
            self._set(job_id, "failed", error=f"{type(exc).__name__}: {str(exc)[:300]}")
        else:
            self._set(job_id, "done", result=result)

    def _set(
        self, job_id: str, status: str, result: dict[str, Any] | None = None, error: str | None = None
    ) -> None:
        finished = time.time() if status in ("done", "failed") else None
        with self._lock, self._db:
            self._db.execute(
                "UPDATE jobs SET status = ?, result = ?, error = ?, finished = ? WHERE job_id = ?",
                (status, json.dumps(result) if result is not None else None, error, finished, job_id),
            )
