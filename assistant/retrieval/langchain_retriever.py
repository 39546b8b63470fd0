"""The hybrid search as a LangChain `BaseRetriever`, for LangChain chains and agents."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.retrieval.hybrid import HybridSearcher
from ingest.document_store import Filters


class HybridRetriever(BaseRetriever):
    """Returns LangChain Documents whose metadata carries what a citation needs."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: HybridSearcher
    k: int = 8
    filters: Filters = Filters()

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        passages = self.searcher.search(query, kwargs.get("k", self.k), self.filters)
        return [
            Document(
                page_content=p.chunk.text,
                id=p.chunk.chunk_id,
                metadata={
                    "chunk_id": p.chunk.chunk_id,
                    "document_id": p.chunk.document_id,
                    "title": p.title,
                    "page": p.chunk.page,
                    "page_end": p.chunk.page_end,
                    "section": p.chunk.section,
                    "kind": p.chunk.kind,
                    "language": p.chunk.language,
                    "score": p.score,
                },
            )
            for p in passages
        ]
