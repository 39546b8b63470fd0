"""What a user would otherwise build: the LangChain tutorial RAG and plain BM25, on the same files."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.embedders import Embedder
from ingest.pipeline import discover


def tutorial_chunks(corpus: Path) -> list[str]:
    """RecursiveCharacterTextSplitter(1000, 200) over each file's raw text, as the tutorial does."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    chunks: list[str] = []
    for path in discover([corpus]):
        if path.suffix.lower() in {".txt", ".md"}:
            text = path.read_text(encoding="utf-8", errors="replace")
        else:
            from assistant.errors import IngestError
            from ingest.loaders import load_file

            try:
                text = "\n\n".join(p.text for p in load_file(path).pages)
            except IngestError:  # a scan without a text layer gives the tutorial's loader nothing
                continue
        chunks.extend(splitter.split_text(text))
    return chunks


@dataclass
class TutorialRag:
    """Split 1000/200, embed with all-MiniLM-L6-v2, store in an in-memory Chroma, take the top k."""

    embedder: Embedder
    chunks: list[str] = field(default_factory=list)
    seconds_to_index: float = 0.0

    def index(self, corpus: Path) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        started = time.perf_counter()
        self.chunks = tutorial_chunks(corpus)
        vectors = self.embedder.embed_passages(self.chunks)
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self._collection = client.create_collection(
            f"tutorial-{uuid.uuid4().hex[:8]}",
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=None,
        )
        for start in range(0, len(self.chunks), 1000):
            self._collection.add(
                ids=[str(i) for i in range(start, min(start + 1000, len(self.chunks)))],
                embeddings=vectors[start : start + 1000],
                documents=self.chunks[start : start + 1000],
            )
        self.seconds_to_index = time.perf_counter() - started

    def search(self, query: str, k: int) -> list[str]:
        vector = self.embedder.embed_queries([query])[0]
        result = self._collection.query(query_embeddings=[vector], n_results=k, include=["documents"])
        return list((result.get("documents") or [[]])[0])


@dataclass
class Bm25Baseline:
    """rank_bm25's Okapi BM25 over the tutorial's chunks, lower-cased word tokens."""

    chunks: list[str]

    def __post_init__(self) -> None:
        from rank_bm25 import BM25Okapi

        self._bm25 = BM25Okapi([_tokens(c) for c in self.chunks])

    def search(self, query: str, k: int) -> list[str]:
        scores = self._bm25.get_scores(_tokens(query))
        order = np.argsort(-scores)[:k]
        return [self.chunks[i] for i in order]


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())
