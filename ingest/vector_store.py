"""Chunk vectors in Chroma: an embedded PersistentClient by default, a Chroma server by URL.

The collection records which embedding model filled it, so a query with another model fails
loudly instead of returning nonsense."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from assistant.errors import BackendUnavailable, EmbeddingMismatch
from assistant.settings import StoreSettings
from ingest.models import Chunk

_BATCH = 1000


@contextmanager
def _reachable(action: str) -> Iterator[None]:
    """Chroma failures (server down, disk full) become BackendUnavailable: a 503, not a 500."""
    try:
        yield
    except (BackendUnavailable, EmbeddingMismatch):
        raise
    except Exception as exc:  # chromadb raises many types, and httpx ones in server mode
        raise BackendUnavailable(f"the vector store failed to {action}: {type(exc).__name__}: {exc}") from exc


def _client(options: StoreSettings, path: Path) -> Any:
    """A Chroma client: HTTP when a server URL is set, else embedded under `path`."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    logging.getLogger("chromadb.telemetry").setLevel(logging.CRITICAL)
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    with _reachable(f"open the store at {options.chroma_url or path}"):
        if options.chroma_url:
            url = urlparse(options.chroma_url)
            token = options.chroma_token
            client = chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                headers={"Authorization": f"Bearer {token.get_secret_value()}"} if token else None,
                settings=chroma_settings,
            )
            client.heartbeat()
            return client
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def drop_collection(options: StoreSettings, path: Path) -> None:
    """Delete the configured collection (embedded or on the server) for a rebuild."""
    client = _client(options, path)
    with _reachable("drop the collection"):
        if options.collection in [c.name for c in client.list_collections()]:
            client.delete_collection(options.collection)


class ChromaStore:
    def __init__(self, options: StoreSettings, path: Path, model_name: str, dimension: int) -> None:
        self._client = _client(options, path)
        with _reachable("open the collection"):
            self._collection = self._client.get_or_create_collection(
                options.collection,
                metadata={"embedding_model": model_name, "dimension": dimension},
                configuration={
                    "hnsw": {
                        "space": "cosine",
                        "ef_construction": options.hnsw_construction_ef,
                        "ef_search": options.hnsw_search_ef,
                        "max_neighbors": options.hnsw_m,
                    }
                },
                embedding_function=None,
            )
        stored = self._collection.metadata or {}
        if (
            stored.get("embedding_model") != model_name
            or int(stored.get("dimension", dimension)) != dimension
        ):
            raise EmbeddingMismatch(
                f"the index was built with embedding model {stored.get('embedding_model')!r} "
                f"({stored.get('dimension')} dimensions) but {model_name!r} ({dimension}) is configured; "
                "use the same EMBEDDING_MODEL, or rebuild with `ssc-assistant ingest --rebuild`"
            )
        self.model_name = model_name

    def upsert(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        for start in range(0, len(chunks), _BATCH):
            part = chunks[start : start + _BATCH]
            with _reachable("store vectors"):
                self._collection.upsert(
                    ids=[c.chunk_id for c in part],
                    embeddings=vectors[start : start + _BATCH].astype(np.float32),
                    metadatas=[
                        {
                            "document_id": c.document_id,
                            "page": c.page,
                            "page_end": c.page_end,
                            "section": c.section[:500],
                            "kind": c.kind,
                            "language": c.language,
                            "content_hash": c.content_hash,
                        }
                        for c in part
                    ],
                    documents=[c.text for c in part],
                )

    def delete(self, chunk_ids: list[str]) -> None:
        for start in range(0, len(chunk_ids), _BATCH):
            with _reachable("delete vectors"):
                self._collection.delete(ids=chunk_ids[start : start + _BATCH])

    def ids_for_document(self, document_id: str) -> list[str]:
        with _reachable("list vectors"):
            return list(self._collection.get(where={"document_id": document_id}, include=[])["ids"])

    def count(self) -> int:
        with _reachable("count vectors"):
            return int(self._collection.count())

    def query(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """Nearest chunks as (chunk_id, cosine similarity). Chroma returns fewer when the collection
        holds fewer than k (counting first would cost a scan per query)."""
        with _reachable("search"):
            result = self._collection.query(
                query_embeddings=[vector.astype(np.float32).tolist()],
                n_results=k,
                where=where,
                include=["distances"],
            )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[1.0] * len(ids)])[0]
        return [(chunk_id, 1.0 - float(d)) for chunk_id, d in zip(ids, distances, strict=True)]

    def embeddings(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        if not chunk_ids:
            return {}
        with _reachable("read vectors"):
            got = self._collection.get(ids=chunk_ids, include=["embeddings"])
        embeddings = got.get("embeddings")
        if embeddings is None or len(embeddings) == 0:
            return {}
        matrix = np.asarray(embeddings, dtype=np.float32)
        return dict(zip(got["ids"], matrix, strict=True))

    def similarities(self, vector: np.ndarray, chunk_ids: list[str]) -> dict[str, float]:
        """Cosine similarity of stored vectors to `vector`, for candidates found only lexically."""
        query = vector.astype(np.float32)
        return {chunk_id: float(v @ query) for chunk_id, v in self.embeddings(chunk_ids).items()}
