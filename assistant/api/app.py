"""Build the FastAPI app; routes parse, call the core, format. Errors are translated here, once."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path as FsPath
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, File, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

from assistant import widget
from assistant.access.gate import Gate
from assistant.access.keys import KeyStore
from assistant.access.quotas import QuotaCounter
from assistant.answering.models import Answer
from assistant.api.access import AdminKey, AskKey, KeyedCORS, ask_key, spend
from assistant.api.body_limit import BodyLimit
from assistant.api.file_snapshot import snapshot_response
from assistant.api.observability import Metrics, RequestContext
from assistant.api.openai_compat import ChatCompletionRequest, answer_chunks, answer_completion, question_of
from assistant.api.schemas import (
    AskRequest,
    AskResponse,
    DocumentDetail,
    DocumentList,
    DocumentSummary,
    EntityDetail,
    EntityList,
    EntitySummary,
    FeedbackRequest,
    JobOut,
    MentionOut,
    PageRange,
    PageText,
    Problem,
    Readiness,
    RelatedEntity,
    SearchRequest,
    SearchResponse,
    SearchResult,
    source_url,
)
from assistant.api.source_viewer import render_page
from assistant.api.sse import answer_events, until_gone
from assistant.documents import ingest_upload, remove
from assistant.errors import (
    AssistantError,
    BackendUnavailable,
    EmbeddingMismatch,
    Forbidden,
    InvalidRequest,
    NotFound,
    RateLimited,
    Unauthorized,
)
from assistant.feedback import Rating
from assistant.jobs import JobRunner
from assistant.settings import Settings
from assistant.slack.http import SlackEndpoint
from assistant.uploads import save_upload, sweep_staged
from assistant.wiring import Assistant, build
from ingest.entities.models import Entity
from ingest.models import DocumentRecord

_STATUS = {
    NotFound: 404,
    InvalidRequest: 400,
    Unauthorized: 401,
    Forbidden: 403,
    RateLimited: 429,
    BackendUnavailable: 503,
    EmbeddingMismatch: 503,
}
log_ = logging.getLogger("ssc_assistant.api")
_MEDIA_TYPES = {
    "pdf": "application/pdf",
    "text": "text/plain; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_ERROR_CODES = (400, 401, 403, 404, 422, 429, 503)
_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": Problem} for code in _ERROR_CODES}
# Errors are JSON even on routes whose success is a page or a file.
_JSON_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    for code in _ERROR_CODES
}


# Uploads and deletions answer 202 with a job: where to follow it, in the header and as a link.
_JOB_ACCEPTED: dict[str, Any] = {
    "responses": {
        "202": {
            "headers": {"Location": {"description": "The job's URL", "schema": {"type": "string"}}},
            "links": {
                "GetJob": {
                    "operationId": "get_job",
                    "parameters": {"job_id": "$response.body#/job_id"},
                    "description": "The job's status; `result.document_id` once it is done.",
                }
            },
        }
    }
}


class NdjsonResponse(PlainTextResponse):
    media_type = "application/x-ndjson"


def create_app(settings: Settings, assistant: Assistant | None = None) -> FastAPI:
    """The app owns the assistant it builds at start-up (or uses the one it is given)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = assistant is None
        app.state.assistant = assistant or await run_in_threadpool(build, settings)
        if (queue := app.state.assistant.responder.queue) is not None:
            queue.observe = metrics.generation_took
        app.state.slack = None
        try:
            if settings.slack.enabled:
                app.state.slack = await run_in_threadpool(SlackEndpoint.start, settings, app.state.assistant)
            yield
        finally:
            jobs.close()  # first: a running ingest job still writes to the stores closed below
            if app.state.slack is not None:
                app.state.slack.close()
            if owned:
                app.state.assistant.close()
            gate.close()

    app = FastAPI(title="ssc-assistant", version="0.1.0", lifespan=lifespan, responses=_ERRORS)
    app.state.metrics = metrics = Metrics()
    jobs = JobRunner(settings.data_dir / "jobs.sqlite")  # marks jobs a stopped process left failed
    sweep_staged(settings.data_dir / "uploads")
    app.state.gate = gate = Gate(
        settings.access,
        KeyStore(settings.keys_path),
        QuotaCounter(settings.data_dir / "quotas.sqlite"),
    )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        """422 in the same shape as every other error: a sentence, then the fields."""
        errors = jsonable_encoder(exc.errors())
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors[:5])
        return JSONResponse({"detail": f"invalid request: {where}", "errors": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        """Starlette's 405 names only the first route on the path: `Allow` lists every method."""
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(sorted(allowed_methods(app, request.scope)))
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)

    @app.exception_handler(AssistantError)
    async def _translate(request: Request, exc: AssistantError) -> JSONResponse:
        status = next((code for kind, code in _STATUS.items() if isinstance(exc, kind)), 400)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        if isinstance(exc, Unauthorized | Forbidden | RateLimited):
            metrics.rejected.labels(type(exc).__name__.lower()).inc()
        return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)

    app.add_middleware(
        BodyLimit,
        default_bytes=1 << 20,
        upload_bytes=(settings.parsing.max_file_mib + 1) * 2**20,
        upload_path="/v1/documents",
    )
    # The widget runs on other sites: the browser must be allowed to call the API from them.
    app.add_middleware(
        KeyedCORS,
        gate=gate,
        allow_origins=settings.api.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "Accept", "X-API-Key", "Authorization"],
        expose_headers=["Retry-After"],
    )
    app.add_middleware(RequestContext, metrics=metrics)  # outermost: sees every request and its status
    _routes(app, settings, metrics, jobs)
    return app


def allowed_methods(app: FastAPI, scope: Scope) -> set[str]:
    """Every method some route serves on this request's path."""
    methods: set[str] = set()
    for route in app.router.routes:
        if isinstance(route, BaseRoute) and route.matches(scope)[0] != Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return methods


def _asset(name: str) -> Response:
    # Short cache: a site embeds the widget by URL, so a new release must reach it within minutes.
    headers = {"Cache-Control": "public, max-age=300"}
    return Response(widget.asset(name), media_type=widget.ASSETS[name], headers=headers)


def _assistant(request: Request) -> Assistant:
    assistant: Assistant = request.app.state.assistant
    return assistant


AssistantDep = Annotated[Assistant, Depends(_assistant)]
DocumentId = Annotated[str, Path(min_length=1, max_length=200)]
EntityId = Annotated[str, Path(min_length=1, max_length=200)]
EntityType = Literal["agency", "fund", "agreement", "programme", "country"]


def _routes(app: FastAPI, settings: Settings, metrics: Metrics, jobs: JobRunner) -> None:
    def existing(assistant: Assistant, document_id: str) -> DocumentRecord:
        """The document, or 404: a document whose deletion is queued is already gone to readers."""
        record = assistant.store.get_document(document_id)
        if record is None or document_id in jobs.pending("delete"):
            raise NotFound(f"no document {document_id!r}")
        return record

    @app.get("/metrics", include_in_schema=False)
    def prometheus(assistant: AssistantDep) -> Response:
        """Prometheus metrics: requests, latencies, answers and abstentions, refusals, index size."""
        metrics.documents.set(len(assistant.store.list_documents()))
        metrics.chunks.set(assistant.vectors.count())
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"], response_model=Readiness, responses={503: {"model": Readiness}})
    def readyz(assistant: AssistantDep) -> JSONResponse:
        documents = len(assistant.store.list_documents())
        chunks = assistant.vectors.count()
        ready = documents > 0 and chunks > 0
        writer = assistant.responder.writer
        body = Readiness(
            status="ready" if ready else "empty index",
            documents=documents,
            chunks=chunks,
            writer=writer.name if writer is not None else "none",
            embedder=f"{assistant.embedder.name} on {assistant.embedder.engine}",
        )
        return JSONResponse(body.model_dump(), status_code=200 if ready else 503)

    @app.post("/v1/search", tags=["search"])
    def search(body: SearchRequest, request: Request, key: AskKey, assistant: AssistantDep) -> SearchResponse:
        spend(request, key)
        started = time.perf_counter()
        passages = assistant.searcher.search(body.query, body.k, body.filters.to_filters())
        took = (time.perf_counter() - started) * 1000
        return SearchResponse(results=[SearchResult.of(p) for p in passages], took_ms=round(took, 1))

    @app.post(
        "/v1/ask",
        tags=["answers"],
        response_model=AskResponse,
        responses={200: {"content": {"text/event-stream": {}}, "description": "JSON, or SSE when asked for"}},
    )
    def ask(body: AskRequest, request: Request, key: AskKey, assistant: AssistantDep) -> Response:
        spend(request, key, body.conversation_id)
        started = time.perf_counter()

        def log(answer: Answer) -> str:
            metrics.answers.labels(str(answer.abstained).lower()).inc()
            took = round((time.perf_counter() - started) * 1000, 1)
            facts: dict[str, object] = {"abstained": answer.abstained, "citations": len(answer.citations)}
            facts["ms"] = took
            if settings.log_questions:
                facts["question"] = body.question
            log_.info("answered", extra=facts)
            return assistant.feedback.log_answer(body.question, answer, "api")

        filters = body.filters.to_filters()
        if "text/event-stream" in request.headers.get("accept", ""):
            cancelled = threading.Event()
            stream = assistant.responder.ask_stream(
                body.question, body.k, filters, body.conversation_id, cancelled
            )
            events = answer_events(stream, started, log)
            return StreamingResponse(until_gone(events, cancelled), media_type="text/event-stream")
        answer = assistant.responder.ask(body.question, body.k, filters, body.conversation_id)
        took = (time.perf_counter() - started) * 1000
        return JSONResponse(AskResponse.of(answer, took, log(answer)).model_dump())

    @app.post("/v1/feedback", tags=["answers"], status_code=201)
    def feedback(body: FeedbackRequest, key: AskKey, assistant: AssistantDep) -> dict[str, str]:
        """👍/👎 (and an optional comment) on an answer, named by the `answer_id` /v1/ask gave."""
        assistant.feedback.rate(Rating(body.answer_id, body.rating, body.comment))
        return {"status": "stored"}

    @app.get("/v1/feedback", tags=["answers"], response_class=NdjsonResponse)
    def feedback_export(key: AdminKey, assistant: AssistantDep) -> NdjsonResponse:
        """Every rated answer as JSONL (admin): what `ssc-assistant feedback export` writes."""
        return NdjsonResponse(assistant.feedback.export_jsonl())

    @app.post(
        "/v1/chat/completions",
        tags=["answers"],
        responses={200: {"content": {"text/event-stream": {}}, "description": "JSON, or SSE chunks"}},
    )
    def chat_completions(
        body: ChatCompletionRequest, request: Request, key: AskKey, assistant: AssistantDep
    ) -> Response:
        spend(request, key)
        if body.stream:
            cancelled = threading.Event()
            stream = assistant.responder.ask_stream(question_of(body), cancelled=cancelled)
            chunks = until_gone(answer_chunks(stream, body.model), cancelled)
            return StreamingResponse(chunks, media_type="text/event-stream")
        return JSONResponse(answer_completion(assistant.responder.ask(question_of(body)), body.model))

    @app.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        """Slack's Events API, interactivity and slash commands (one Request URL for all three)."""
        endpoint: SlackEndpoint | None = request.app.state.slack
        if endpoint is None:
            raise NotFound(
                "the Slack bot is not configured: set SSC_SLACK__BOT_TOKEN and SSC_SLACK__SIGNING_SECRET"
            )
        return await endpoint.handle(request)

    @app.get(
        "/sources/{document_id}", tags=["documents"], response_class=HTMLResponse, responses=_JSON_ERRORS
    )
    def source(
        document_id: DocumentId,
        assistant: AssistantDep,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        quote: Annotated[str, Query(max_length=2000)] = "",
    ) -> HTMLResponse:
        record = existing(assistant, document_id)
        found = assistant.store.page(document_id, page)
        if found is None:
            raise NotFound(f"document {document_id!r} has no page {page}")
        return HTMLResponse(render_page(record, found, quote, record.page_count))

    @app.get(
        "/v1/documents/{document_id}/file",
        tags=["documents"],
        response_class=FileResponse,
        responses={200: {"content": {t: {} for t in _MEDIA_TYPES.values()}}, **_JSON_ERRORS},
    )
    def original(document_id: DocumentId, assistant: AssistantDep) -> Response:
        """The file as it was ingested, when it is still where ingest found it."""
        record = existing(assistant, document_id)
        path = FsPath(record.path)
        try:
            return snapshot_response(path, _MEDIA_TYPES.get(record.source_format))
        except OSError as exc:
            raise NotFound(f"the original file of {document_id!r} is no longer at its ingested path") from exc

    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    def demo() -> HTMLResponse:
        return HTMLResponse(widget.asset("demo.html"))

    @app.get("/widget.js", include_in_schema=False)
    def widget_script() -> Response:
        return _asset("widget.js")

    @app.get("/widget.css", include_in_schema=False)
    def widget_style() -> Response:
        return _asset("widget.css")

    @app.get("/v1/entities", tags=["entities"], dependencies=[Depends(ask_key)])
    def entities(
        assistant: AssistantDep,
        type: Annotated[
            EntityType | None, Query(description="agency, fund, agreement, programme, country")
        ] = None,
        q: Annotated[
            str | None, Query(min_length=1, max_length=200, description="Part of any name or alias")
        ] = None,
        document_id: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> EntityList:
        """The catalogue of what the corpus names, most mentioned first."""
        found, total = assistant.entities.page(type, q, document_id, limit, offset)
        return EntityList(entities=[_summary(e) for e in found], total=total, limit=limit, offset=offset)

    @app.get("/v1/entities/{entity_id}", tags=["entities"], dependencies=[Depends(ask_key)])
    def entity(
        entity_id: Annotated[str, Path(min_length=1, max_length=200)], assistant: AssistantDep
    ) -> EntityDetail:
        found = assistant.entities.get(entity_id)
        if found is None:
            raise NotFound(f"no entity {entity_id!r}")
        mentions = [
            MentionOut(
                document_id=m.document_id,
                page=m.page,
                section=m.section,
                chunk_id=m.chunk_id,
                sentence=m.sentence,
                url=source_url(m.document_id, m.page, m.surface),
            )
            for m in found.mentions
        ]
        related = [
            RelatedEntity(id=e.entity_id, name=e.name, type=e.type, acronym=e.acronym, together=n)
            for e, n in assistant.entities.related(entity_id)
        ]
        return EntityDetail(**_summary(found).model_dump(), mentions_in=mentions, related=related)

    @app.get("/v1/documents", tags=["documents"], dependencies=[Depends(ask_key)])
    def documents(assistant: AssistantDep) -> DocumentList:
        leaving = jobs.pending("delete")
        listed = [r for r in assistant.store.list_documents() if r.document_id not in leaving]
        return DocumentList(documents=[DocumentSummary.of(r) for r in listed])

    @app.post("/v1/documents", tags=["documents"], status_code=202, openapi_extra=_JOB_ACCEPTED)
    def upload(
        file: Annotated[UploadFile, File(json_schema_extra={"minLength": 1})],
        key: AdminKey,
        assistant: AssistantDep,
        response: Response,
    ) -> JobOut:
        """Add or replace a document (PDF, DOCX, TXT, MD; judged by content): ingested in the
        background, through the same path as `ssc-assistant ingest`. The reply is the job, not the
        document: while it is `queued` or `running` the document is being ingested and is not yet
        listed; when it is `done`, `result.document_id` names it."""
        max_bytes = settings.parsing.max_file_mib * 2**20
        staged = save_upload(file.file, settings.data_dir / "uploads", file.filename or "", max_bytes)
        job = JobOut.of(jobs.submit("ingest", staged.target.name, lambda: ingest_upload(assistant, staged)))
        response.headers["Location"] = job.status_url
        return job

    @app.delete(
        "/v1/documents/{document_id}", tags=["documents"], status_code=202, openapi_extra=_JOB_ACCEPTED
    )
    def delete(document_id: DocumentId, key: AdminKey, assistant: AssistantDep, response: Response) -> JobOut:
        """Remove a document from every store (an uploaded file is deleted too; a file still in an
        ingested folder comes back with the next ingest of that folder). The reply is the job."""
        existing(assistant, document_id)
        uploads = settings.data_dir / "uploads"
        work = jobs.submit("delete", document_id, lambda: remove(assistant, document_id, uploads))
        job = JobOut.of(work)
        response.headers["Location"] = job.status_url
        return job

    @app.get("/v1/jobs/{job_id}", tags=["documents"], operation_id="get_job")
    def job(job_id: Annotated[str, Path(min_length=1, max_length=64)], key: AdminKey) -> JobOut:
        return JobOut.of(jobs.get(job_id))

    @app.get("/v1/documents/{document_id}", tags=["documents"], dependencies=[Depends(ask_key)])
    def document(document_id: DocumentId, assistant: AssistantDep) -> DocumentDetail:
        record = existing(assistant, document_id)
        pages = [PageRange(page=p.number, page_end=p.last) for p in assistant.store.pages(document_id)]
        return DocumentDetail(**DocumentSummary.of(record).model_dump(), pages=pages)

    @app.get(
        "/v1/documents/{document_id}/pages/{number}", tags=["documents"], dependencies=[Depends(ask_key)]
    )
    def page(
        document_id: DocumentId, number: Annotated[int, Path(ge=1, le=100_000)], assistant: AssistantDep
    ) -> PageText:
        existing(assistant, document_id)
        found = assistant.store.page(document_id, number)
        if found is None:
            raise NotFound(f"document {document_id!r} has no page {number}")
        return PageText.of(document_id, found)


def _summary(entity: Entity) -> EntitySummary:
    return EntitySummary(
        id=entity.entity_id,
        name=entity.name,
        type=entity.type,
        acronym=entity.acronym,
        aliases=entity.aliases,
        mentions=entity.mention_count,
    )
