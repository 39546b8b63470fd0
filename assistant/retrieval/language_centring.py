"""Cosine similarity with each language's centre taken out, so that a question scores passages of
every language on one scale.

A multilingual embedder puts texts of one language near each other whatever they say: a Spanish
question is closer to an unrelated Spanish passage than to the English passage that answers it.
Subtracting part of each language's mean passage vector, from the question (its detected language)
and from each passage (its language), leaves more of what the text says and less of which language
it is in. The means come from the corpus itself, so nothing is tied to one embedder or language.
With a single language in the corpus there is no such bias to remove, and scores are plain cosines."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ingest.document_store import DocumentStore
from ingest.vector_store import ChromaStore

SAMPLE = 2000  # passages per language for its mean: ample for a 384-768-d average
MIN_PASSAGES = 20  # a language with fewer passages gets no centre (too few for a mean)


@dataclass
class LanguageCentres:
    store: DocumentStore
    vectors: ChromaStore
    _cached: tuple[int, dict[str, np.ndarray]] | None = field(default=None, repr=False)

    def centres(self) -> dict[str, np.ndarray]:
        """language -> mean passage vector, for languages with enough passages for a mean; empty
        when fewer than two languages have one. Recomputed when the number of chunks changes."""
        count = self.store.chunk_count()
        if self._cached is None or self._cached[0] != count:
            self._cached = (count, self._compute())
        return self._cached[1]

    def _compute(self) -> dict[str, np.ndarray]:
        sample = self.store.chunk_ids_by_language(SAMPLE)
        centres: dict[str, np.ndarray] = {}
        for language, (size, ids) in sample.items():
            if size >= MIN_PASSAGES:
                vectors = list(self.vectors.embeddings(ids).values())
                if vectors:
                    centres[language] = np.mean(vectors, axis=0).astype(np.float32)
        return centres if len(centres) >= 2 else {}


def centred_similarities(
    query: np.ndarray,
    query_language: str,
    passages: dict[str, tuple[np.ndarray, str]],
    centres: dict[str, np.ndarray],
    weight: float,
) -> dict[str, float] | None:
    """chunk id -> cosine of (query - weight x its language's centre) and (passage - weight x its
    language's centre); None when the question's language has no centre (plain cosines apply)."""
    if weight <= 0 or query_language not in centres:
        return None
    q = query - weight * centres[query_language]
    q = q / (np.linalg.norm(q) or 1.0)
    scores = {}
    for chunk_id, (vector, language) in passages.items():
        p = vector - weight * centres[language] if language in centres else vector
        scores[chunk_id] = float(q @ p) / float(np.linalg.norm(p) or 1.0)
    return scores
