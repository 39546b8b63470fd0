"""The one place that names concrete backends: `build(settings)` returns a ready Assistant."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from assistant.answering.conversations import ConversationStore
from assistant.answering.extractive import ExtractiveGenerator
from assistant.answering.generation_queue import GenerationQueue
from assistant.answering.openai_chat import OpenAIChatWriter
from assistant.answering.responder import Responder
from assistant.answering.writer import ChatWriter
from assistant.errors import BackendUnavailable, EmbeddingMismatch
from assistant.feedback import FeedbackStore
from assistant.retrieval.cross_encoder import CrossEncoderReranker
from assistant.retrieval.hybrid import HybridSearcher
from assistant.retrieval.language_centring import LanguageCentres
from assistant.settings import ParseSettings, Settings
from ingest.document_store import DocumentStore
from ingest.embedders import Embedder, make_embedder
from ingest.embedding_cache import EmbeddingCache
from ingest.entities.store import EntityStore
from ingest.loaders.sandbox import ParseLimits
from ingest.pipeline import Ingestor
from ingest.vector_store import ChromaStore, drop_collection

log = logging.getLogger("ssc_assistant")


@dataclass
class Assistant:
    settings: Settings
    store: DocumentStore
    vectors: ChromaStore
    embedder: Embedder
    searcher: HybridSearcher
    ingestor: Ingestor
    responder: Responder
    entities: EntityStore
    feedback: FeedbackStore

    def close(self) -> None:
        self.feedback.close()
        self.store.close()
        self.entities.close()
        if self.responder.conversations is not None:
            self.responder.conversations.close()
        self.ingestor.cache.close()


def build(settings: Settings, embedder: Embedder | None = None, rebuild: bool = False) -> Assistant:
    """Open (or create) the index under the data directory with the configured models."""
    embedder = embedder or make_embedder(
        settings.embedding_model, settings.embedding_threads, settings.models_dir
    )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = DocumentStore(settings.index_path)
    recorded = store.get_meta("embedding_model")
    if rebuild:
        _reset(settings, store, embedder)
    elif recorded and recorded != embedder.name:
        store.close()
        raise EmbeddingMismatch(
            f"the index in {settings.data_dir} was built with {recorded!r} "
            f"but {embedder.name!r} is configured; "
            "use the same EMBEDDING_MODEL, or rebuild with `ssc-assistant ingest --rebuild`"
        )
    try:
        vectors = ChromaStore(settings.store, settings.chroma_path, embedder.name, embedder.dimension)
        store.set_meta("embedding_model", embedder.name)
        cross_encoder = (
            CrossEncoderReranker(settings.search.cross_encoder_path)
            if settings.search.cross_encoder_path
            else None
        )
    except Exception:
        store.close()
        raise
    entities = EntityStore(settings.data_dir / "entities.sqlite", settings.curated_entities_path)
    searcher = HybridSearcher(
        store, vectors, embedder, settings.search, cross_encoder, entities, LanguageCentres(store, vectors)
    )
    ingestor = Ingestor(
        store=store,
        vectors=vectors,
        embedder=embedder,
        cache=EmbeddingCache(settings.embedding_cache_path),
        chunking=settings.chunking,
        batch_size=settings.embedding_batch_size,
        entities=entities,
        limits=_limits(settings.parsing),
    )
    generator = ExtractiveGenerator(
        embedder, ingestor.cache, entities, min_overlap=settings.answer.min_overlap
    )
    responder = Responder(
        searcher,
        generator,
        k=settings.answer.k,
        conversations=ConversationStore(settings.data_dir / "conversations.sqlite"),
        catalogue_lists=settings.answer.catalogue_lists,
        writer=_writer(settings),
    )
    if responder.writer is not None:
        responder.rewrite = responder.writer.standalone  # a language model rewrites follow-ups better
        if settings.answer.generator == "local":  # one generation at a time on the CPU
            responder.queue = GenerationQueue(settings.answer.local.queue_size)
    feedback = FeedbackStore(settings.feedback_path)
    return Assistant(settings, store, vectors, embedder, searcher, ingestor, responder, entities, feedback)


def _writer(settings: Settings) -> ChatWriter | None:
    """The configured language model, if any. A local model that is missing or does not load
    leaves the product answering with quotes alone, and says so in the log and in /v1/health."""
    match settings.answer.generator:
        case "extractive":
            return None
        case "openai":
            return OpenAIChatWriter(settings.answer)
        case "local":
            from assistant.answering.local_model import LocalModelWriter

            try:
                return LocalModelWriter(settings.answer)
            except BackendUnavailable as exc:
                log.warning("answering with quotes only: %s", exc)
                return None


def _reset(settings: Settings, store: DocumentStore, embedder: Embedder) -> None:
    """Drop every document and the vector collection, keeping the embedding cache."""
    drop_collection(settings.store, settings.chroma_path)
    for record in store.list_documents():
        store.delete_document(record.document_id)
    store.set_meta("embedding_model", embedder.name)


def _limits(parsing: ParseSettings) -> ParseLimits | None:
    if not parsing.isolate:
        return None
    return ParseLimits(**parsing.model_dump(exclude={"isolate"}))
