"""Versioned API schemas (v1): thin, bounded, separate from the domain objects."""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from assistant.answering.models import Answer
from assistant.jobs import Job
from assistant.retrieval.passages import Passage
from ingest.document_store import Filters
from ingest.models import DocumentRecord, Page


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SearchFilters(_Strict):
    document_ids: list[str] = Field(default_factory=list, max_length=200)
    languages: list[str] = Field(default_factory=list, max_length=10)
    kinds: list[Literal["text", "table"]] = Field(default_factory=list, max_length=2)
    entities: list[str] = Field(
        default_factory=list, max_length=50, description="Entity ids (see /v1/entities)."
    )

    def to_filters(self) -> Filters:
        return Filters(self.document_ids, self.languages, self.kinds, self.entities)


class SearchRequest(_Strict):
    query: str = Field(min_length=1, max_length=2000)
    k: int = Field(8, ge=1, le=50)
    filters: SearchFilters = Field(default_factory=SearchFilters)


class SearchResult(BaseModel):
    """A hit (`chunk_id`) returned with the window of its section around it (`text`, `page`..`page_end`)."""

    chunk_id: str
    document_id: str
    title: str
    page: int
    page_end: int
    section: str
    kind: str
    language: str
    text: str
    score: float

    @classmethod
    def of(cls, passage: Passage) -> SearchResult:
        c = passage.chunk
        return cls(
            chunk_id=c.chunk_id,
            document_id=c.document_id,
            title=passage.title,
            page=passage.page,
            page_end=passage.page_end,
            section=c.section,
            kind=c.kind,
            language=c.language,
            text=passage.text,
            score=passage.score,
        )


class SearchResponse(BaseModel):
    results: list[SearchResult]
    took_ms: float


class DocumentSummary(BaseModel):
    document_id: str
    title: str
    publisher: str | None
    year: int | None
    kind: str | None
    language: str
    source_format: str
    page_count: int
    chunk_count: int

    @classmethod
    def of(cls, record: DocumentRecord) -> DocumentSummary:
        return cls(
            document_id=record.document_id,
            title=record.title,
            publisher=record.publisher,
            year=record.year,
            kind=record.kind,
            language=record.language,
            source_format=record.source_format,
            page_count=record.page_count,
            chunk_count=record.chunk_count,
        )


class DocumentList(BaseModel):
    documents: list[DocumentSummary]


class PageRange(BaseModel):
    page: int
    page_end: int


class DocumentDetail(DocumentSummary):
    pages: list[PageRange]


class PageText(BaseModel):
    document_id: str
    page: int
    page_end: int
    text: str

    @classmethod
    def of(cls, document_id: str, page: Page) -> PageText:
        return cls(document_id=document_id, page=page.number, page_end=page.last, text=page.text)


class AskRequest(_Strict):
    question: str = Field(min_length=1, max_length=2000)
    conversation_id: str | None = Field(None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    k: int | None = Field(None, ge=1, le=50)
    filters: SearchFilters = Field(default_factory=SearchFilters)


def source_url(document_id: str, page: int, quote_text: str) -> str:
    """The source viewer at that page with the words highlighted."""
    return f"/sources/{quote(document_id)}?page={page}&quote={quote(quote_text[:300])}"


class CitationOut(BaseModel):
    marker: int
    document_id: str
    title: str
    page: int = Field(description="The physical page, 1-based: what `#page=N` links open.")
    page_label: str | None = Field(None, description="The page as printed, when it differs (iv, 12).")
    ocr: bool = Field(False, description="The quote was read by OCR from a scanned page.")
    section: str
    quote: str
    chunk_id: str
    url: str


class EntityOut(BaseModel):
    id: str
    name: str
    type: str
    acronym: str | None


class EntitySummary(EntityOut):
    aliases: list[str]
    mentions: int


class EntityList(BaseModel):
    entities: list[EntitySummary]
    total: int
    limit: int
    offset: int


class MentionOut(BaseModel):
    document_id: str
    page: int
    section: str
    chunk_id: str
    sentence: str
    url: str


class RelatedEntity(EntityOut):
    together: int = Field(description="Sentences or table rows naming both.")


class EntityDetail(EntitySummary):
    mentions_in: list[MentionOut]
    related: list[RelatedEntity]


class AnswerEntity(EntityOut):
    spans: list[tuple[int, int]] = Field(
        description="Where the answer names it: [start, end) offsets in code points, to mark it."
    )


class AskResponse(BaseModel):
    answer: str
    abstained: bool
    written: str = Field(
        "",
        description="The sentences a language model wrote from the quoted evidence, when one is "
        "configured; they lead `answer`.",
    )
    citations: list[CitationOut]
    entities: list[AnswerEntity]
    closest_documents: list[str]
    conversation_id: str | None
    took_ms: float
    answer_id: str | None = Field(None, description="Name this answer in a rating: POST /v1/feedback.")

    @classmethod
    def of(cls, answer: Answer, took_ms: float, answer_id: str | None = None) -> AskResponse:
        return cls(
            answer=answer.text,
            abstained=answer.abstained,
            written=answer.written,
            citations=[
                CitationOut(
                    marker=c.marker,
                    document_id=c.document_id,
                    title=c.title,
                    page=c.page,
                    page_label=c.page_label,
                    ocr=c.ocr,
                    section=c.section,
                    quote=c.quote,
                    chunk_id=c.chunk_id,
                    url=source_url(c.document_id, c.page, c.quote),
                )
                for c in answer.citations
            ],
            entities=[
                AnswerEntity(id=e.id, name=e.name, type=e.type, acronym=e.acronym, spans=list(e.spans))
                for e in answer.entities
            ],
            closest_documents=answer.closest_documents,
            conversation_id=answer.conversation_id,
            took_ms=round(took_ms, 1),
            answer_id=answer_id,
        )


class FeedbackRequest(_Strict):
    answer_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    rating: Literal[1, -1] = Field(description="1 for 👍, -1 for 👎.")
    comment: str = Field("", max_length=2000)


class Readiness(BaseModel):
    status: Literal["ready", "empty index"]
    documents: int
    chunks: int
    writer: str = Field(
        "none", description="The language model that writes answers (local, openai), or none: quotes only."
    )
    embedder: str = Field(
        "", description="The embedding model and what runs it, e.g. 'multilingual-e5-small on onnxruntime'."
    )


class Problem(BaseModel):
    detail: str = Field(description="What was wrong, in words.")
    errors: list[dict[str, Any]] | None = Field(None, description="Each invalid field (422 only).")


class JobOut(BaseModel):
    job_id: str
    kind: Literal["ingest", "delete"]
    subject: str = Field(description="The uploaded file's stored name, or the document id.")
    status: Literal["queued", "running", "done", "failed"] = Field(
        description="queued or running: the document is being ingested (or removed) and the "
        "document routes do not show the change yet; done: `result` says what happened; failed: "
        "`error` says why, and nothing was changed."
    )
    result: dict[str, Any] | None = None
    error: str | None = None
    status_url: str

    @classmethod
    def of(cls, job: Job) -> JobOut:
        return cls(
            job_id=job.job_id,
            kind=job.kind,
            subject=job.subject,
            status=job.status,
            result=job.result,
            error=job.error,
            status_url=f"/v1/jobs/{job.job_id}",
        )
