"""Request ids, structured logs and Prometheus metrics.

Every log line carries the id of the request it belongs to (from `X-Request-ID`, or a new one, sent
back in the response), so one question can be followed across lines. Question text is never
logged unless `SSC_LOG_QUESTIONS` is set: officials' questions can be sensitive."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id: ContextVar[str] = ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
log = logging.getLogger("ssc_assistant.api")


@dataclass
class Metrics:
    """One registry per app (no process-global collectors): two apps in one process stay apart."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        self.requests = Counter(
            "ssc_requests", "HTTP requests", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "ssc_request_seconds",
            "HTTP request latency (until the last byte of a streamed answer)",
            ["route"],
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=self.registry,
        )
        self.answers = Counter("ssc_answers", "Answers given", ["abstained"], registry=self.registry)
        self.rejected = Counter(
            "ssc_rejected", "Requests refused by access control", ["reason"], registry=self.registry
        )
        self.generation = Histogram(
            "ssc_generation_seconds",
            "A language model's time per answer: waiting for its turn, to its first token, writing",
            ["phase"],
            buckets=(0.1, 0.5, 1, 2.5, 5, 10, 15, 20, 30, 60, 120),
            registry=self.registry,
        )
        self.documents = Gauge("ssc_documents", "Documents in the index", registry=self.registry)
        self.chunks = Gauge("ssc_chunks", "Chunks in the index", registry=self.registry)

    def generation_took(self, phase: str, seconds: float) -> None:
        """A generation queue's report: `wait` for the model's turn, `first_token`, `generation`."""
        self.generation.labels(phase).observe(seconds)


class RequestContext:
    """ASGI middleware: request id, one access-log line and the request metrics per request."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = given if _VALID_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            took = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.latency.labels(route).observe(took)
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "ms": round(took * 1000, 1),
                },
            )
            request_id.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors; `extra` fields become keys."""

    _STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
        }
        line |= {k: v for k, v in vars(record).items() if k not in self._STANDARD}
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def configure_logging(json_lines: bool | None = None, level: str = "INFO") -> None:
    """JSON lines when the output is not a terminal (a container, a service), readable text when it is."""
    as_json = not sys.stderr.isatty() if json_lines is None else json_lines
    handler = logging.StreamHandler()
    if as_json:
        handler.setFormatter(JsonFormatter())
    else:
        handler.addFilter(_RequestIdFilter())
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = name != "uvicorn.access"  # our own line replaces it
