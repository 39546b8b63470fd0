"""Hybrid search: dense (Chroma) and lexical (FTS5) candidates, scored by a weighted fusion."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.errors import InvalidRequest
from assistant.retrieval.asked_type import asked_type
from assistant.retrieval.cross_encoder import CrossEncoderReranker
from assistant.retrieval.language_centring import LanguageCentres, centred_similarities
from assistant.retrieval.passages import Passage
from assistant.retrieval.rescoring import QueryTerms, coverage
from assistant.settings import SearchSettings
from ingest.document_store import DocumentStore, Filters
from ingest.embedders import Embedder
from ingest.entities.store import EntityStore
from ingest.language import question_language
from ingest.models import Chunk, indexed_text
from ingest.text_analysis import query_terms
from ingest.vector_store import ChromaStore


@dataclass
class HybridSearcher:
    store: DocumentStore
    vectors: ChromaStore
    embedder: Embedder
    options: SearchSettings
    cross_encoder: CrossEncoderReranker | None = None
    entities: EntityStore | None = None
    centres: LanguageCentres | None = None

    def search(self, query: str, k: int = 8, filters: Filters | None = None) -> list[Passage]:
        query = query.strip()
        if not query:
            raise InvalidRequest("the query is empty")
        filters = filters or Filters()
        vector = self.embedder.embed_queries([query])[0]
        dense = self.vectors.query(vector, self.options.dense_candidates, filters.chroma_where())
        lexical = self.store.lexical_search(query_terms(query), self.options.lexical_candidates, filters)
        candidate_ids = list(dict.fromkeys([i for i, _ in dense] + [i for i, _ in lexical]))
        if filters.entities:
            allowed = self.entities.chunks_mentioning(list(filters.entities)) if self.entities else set()
            # Passages naming the entity compete even if neither list found them.
            candidate_ids = [i for i in candidate_ids if i in allowed] + sorted(allowed - set(candidate_ids))
        chunks = self.store.chunks(candidate_ids)  # ids absent from the store are stale vectors: dropped
        candidate_ids = [i for i in candidate_ids if i in chunks]
        if not candidate_ids:
            return []
        documents = self.store.titles({c.document_id for c in chunks.values()})
        # Title similarity, when it is weighed at all (off by default: see SearchSettings).
        prior = {d: float(v @ vector) for d, (_, v) in documents.items()} if self.options.title_weight else {}
        scores = self._rescore(query, vector, candidate_ids, chunks, dict(dense), dict(lexical), prior)
        self._boost_entities(query, scores)
        self._boost_listed_type(query, scores)
        titles = {d: title for d, (title, _) in documents.items()}
        pool = sorted(candidate_ids, key=lambda i: -scores[i])[: max(self.options.diversity_pool, k)]
        pool_vectors = self.vectors.embeddings(pool) if self.options.diversity else {}
        passages: list[Passage] = []
        covered: set[str] = set()
        chosen: list[np.ndarray] = []
        while pool and len(passages) < k:
            best = max(pool, key=lambda i: scores[i] - self._redundancy(pool_vectors.get(i), chosen))
            pool.remove(best)
            if best in covered:
                continue  # already returned inside a higher-ranked passage's window
            window = self._window(chunks[best], covered)
            covered.update(c.chunk_id for c in window)
            if best in pool_vectors:
                chosen.append(pool_vectors[best])
            passages.append(
                Passage(
                    chunks[best],
                    titles.get(chunks[best].document_id, chunks[best].document_id),
                    round(scores[best], 4),
                    window,
                )
            )
        return passages

    def _boost_entities(self, query: str, scores: dict[str, float]) -> None:
        """Passages that mention the agencies, funds or countries the query names (by any alias,
        in any language) rank higher, in proportion to how many of them they mention."""
        if self.entities is None or not self.options.entity_boost:
            return
        named: set[str] = set(self.entities.named_in(query))
        if not named:
            return
        mentioned = self.entities.entities_in_chunks(list(scores))
        for chunk_id, ids in mentioned.items():
            scores[chunk_id] += self.options.entity_boost * len(ids & named) / len(named)

    def _boost_listed_type(self, query: str, scores: dict[str, float]) -> None:
        """'Which funds finance…': passages naming several catalogue funds rank higher, wherever
        they are, so that a list answer can gather them across documents."""
        kind = asked_type(query)
        if self.entities is None or not self.options.type_boost or kind is None:
            return
        for chunk_id, count in self.entities.typed_in_chunks(list(scores), kind).items():
            scores[chunk_id] += self.options.type_boost * min(count, 3) / 3

    def _redundancy(self, vector: np.ndarray | None, chosen: list[np.ndarray]) -> float:
        """Maximal marginal relevance: a passage much like one already chosen is worth less, so that
        questions whose evidence sits in several places get several places."""
        if vector is None or not chosen:
            return 0.0
        return self.options.diversity * max(float(vector @ c) for c in chosen)

    def _window(self, anchor: Chunk, covered: set[str]) -> tuple[Chunk, ...]:
        """The anchor plus neighbouring chunks of its own section, up to `window_chars`, never a chunk
        an earlier passage already returned.

        Lists and tables split over several chunks come back whole when they are small enough."""
        budget = self.options.window_chars - len(anchor.text)
        if budget <= 0:
            return (anchor,)
        nearby = self.store.neighbours(anchor, before=2, after=2)
        same = {
            c.ordinal: c
            for c in nearby
            if c.section == anchor.section and c.kind == anchor.kind and c.chunk_id not in covered
        }
        window = {anchor.ordinal: anchor}
        for distance in (1, 2):
            for ordinal in (anchor.ordinal + distance, anchor.ordinal - distance):
                neighbour = same.get(ordinal)
                contiguous = all(o in window for o in _between(anchor.ordinal, ordinal))
                if neighbour is not None and contiguous and len(neighbour.text) <= budget:
                    window[ordinal] = neighbour
                    budget -= len(neighbour.text)
        return tuple(window[o] for o in sorted(window))

    def _rescore(
        self,
        query: str,
        vector: np.ndarray,
        ids: list[str],
        chunks: dict[str, Chunk],
        dense: dict[str, float],
        lexical: dict[str, float],
        prior: dict[str, float],
    ) -> dict[str, float]:
        """Each candidate's score, on one scale whatever its language: its (language-centred)
        similarity to the query, plus `title_weight` x its document title's similarity (`prior`),
        plus shares of query words it holds and of BM25, each measured within its own language.

        BM25 is normalised by the best hit of the passage's language: a Spanish question's words
        mostly match Spanish passages, and normalising over all of them would set every English
        passage below every Spanish one. Names, acronyms and numbers match in any language."""
        terms = QueryTerms.of(query)
        query_language = question_language(query)
        centred = None
        if self.centres is not None and (centres := self.centres.centres()):
            stored = self.vectors.embeddings(ids)
            passages = {i: (v, chunks[i].language) for i, v in stored.items()}
            centred = centred_similarities(
                vector, query_language, passages, centres, self.options.language_centring
            )
        if centred is not None:
            dense = centred
        elif missing := [i for i in ids if i not in dense]:
            dense = {**dense, **self.vectors.similarities(vector, missing)}
        best_lexical: dict[str, float] = {}
        for i in ids:
            language = chunks[i].language
            best_lexical[language] = max(best_lexical.get(language, 0.0), lexical.get(i, 0.0))
        passage_stems = self.store.stems(ids)
        scores = {}
        for i in ids:
            chunk = chunks[i]
            score = dense.get(i, 0.0) + self.options.title_weight * prior.get(chunk.document_id, 0.0)
            words = coverage(terms, passage_stems.get(i, set()), chunk.language)
            score += self.options.coverage_boost * words
            score += self.options.lexical_boost * lexical.get(i, 0.0) / (best_lexical[chunk.language] or 1.0)
            scores[i] = score
        if self.cross_encoder is not None:
            # The cross-encoder re-orders the best candidates of the default scoring (it is slow on CPU).
            order = sorted(ids, key=lambda i: -scores[i])
            top = order[: self.options.cross_encoder_candidates]
            reranked = self.cross_encoder.scores(query, [indexed_text(chunks[i]) for i in top])
            floor = min(reranked, default=0.0) - 1.0
            # The rest keep their default order, all below the re-ranked ones.
            scores = {i: floor - rank / len(order) for rank, i in enumerate(order)}
            scores.update(zip(top, reranked, strict=True))
        return scores


def _between(a: int, b: int) -> range:
    """Ordinals strictly between a and b."""
    return range(min(a, b) + 1, max(a, b))
