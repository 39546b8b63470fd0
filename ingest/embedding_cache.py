"""Embeddings cached by (model, content hash), so unchanged text is never embedded twice."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ingest.embedders import Embedder


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Ingest and the answerer's unit vectors may share it across server threads.
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS embeddings (model TEXT, content_hash TEXT, vector BLOB, "
            "PRIMARY KEY (model, content_hash))"
        )

    def get_many(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(hashes), 500):
            batch = hashes[start : start + 500]
            marks = ",".join("?" * len(batch))
            with self._lock:
                rows = self._db.execute(
                    "SELECT content_hash, vector FROM embeddings "
                    f"WHERE model = ? AND content_hash IN ({marks})",
                    [model, *batch],
                ).fetchall()
            for content_hash, blob in rows:
                found[content_hash] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)",
                [(model, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items.items()],
            )

    def embed(
        self,
        embedder: Embedder,
        texts: list[str],
        batch_size: int,
        on_batch: Callable[[int], None] | None = None,
    ) -> tuple[np.ndarray, int]:
        """Passage vectors, from the cache where the same text was embedded before (by this model);
        and how many had to be computed now."""
        hashes = [hashlib.sha256(t.encode()).hexdigest()[:32] for t in texts]
        cached = self.get_many(embedder.name, hashes)
        missing = [i for i, h in enumerate(hashes) if h not in cached]
        fresh: dict[str, np.ndarray] = {}
        for start in range(0, len(missing), batch_size):
            batch = missing[start : start + batch_size]
            vectors = embedder.embed_passages([texts[i] for i in batch])
            fresh.update({hashes[i]: v for i, v in zip(batch, vectors, strict=True)})
            if on_batch:
                on_batch(len(batch))
        if fresh:
            self.put_many(embedder.name, fresh)
        cached.update(fresh)
        return np.stack([cached[h] for h in hashes]), len(fresh)

    def close(self) -> None:
        self._db.close()
