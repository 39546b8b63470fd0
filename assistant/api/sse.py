"""Server-Sent Events for an answer: the text as it comes, then the citations, then the whole."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

from assistant.answering.models import Answer
from assistant.api.schemas import AskResponse
from assistant.errors import AssistantError


def event(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def answer_events(
    stream: Iterator[str | Answer], started: float, log: Callable[[Answer], str]
) -> Iterator[str]:
    """`answer` events carry text deltas (a grounded sentence and its markers each) as the generator
    produces them, `citations` the sources, and `done` the same JSON as the non-streaming reply.
    A failure after the stream began can no longer change the status code: it becomes an `error`.
    `log` records the finished answer and returns the id a rating of it will name."""
    separator = ""
    try:
        for item in stream:
            if isinstance(item, Answer):
                reply = AskResponse.of(item, (time.perf_counter() - started) * 1000, log(item))
                yield event("citations", [c.model_dump() for c in reply.citations])
                yield event("done", reply.model_dump())
            else:
                yield event("answer", {"delta": separator + item})
                separator = " "
    except AssistantError as exc:
        yield event("error", {"detail": str(exc)})
