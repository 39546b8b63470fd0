"""Server-Sent Events for an answer: the text as it comes, then the citations, then the whole."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator

import anyio

from assistant.answering.models import Answer, AnswerEvent, Writing, Written
from assistant.api.schemas import AskResponse
from assistant.errors import AssistantError


def event(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def answer_events(
    stream: Iterator[AnswerEvent], started: float, log: Callable[[Answer], str]
) -> Iterator[str]:
    """`answer` events carry text deltas (a grounded sentence and its markers each) as the generator
    produces them; with a language model, `writing` says it has started and `written` events carry
    its checked sentences, which lead the final text; `citations` the sources, and `done` the same
    JSON as the non-streaming reply.
    A failure after the stream began can no longer change the status code: it becomes an `error`.
    `log` records the finished answer and returns the id a rating of it will name."""
    separator = ""
    try:
        for item in stream:
            if isinstance(item, Answer):
                reply = AskResponse.of(item, (time.perf_counter() - started) * 1000, log(item))
                yield event("citations", [c.model_dump() for c in reply.citations])
                yield event("done", reply.model_dump())
            elif isinstance(item, Writing):
                yield event("writing", {})
            elif isinstance(item, Written):
                yield event("written", {"delta": item.text})
            else:
                yield event("answer", {"delta": separator + item})
                separator = " "
    except AssistantError as exc:
        yield event("error", {"detail": str(exc)})


async def until_gone(events: Iterator[str], cancelled: threading.Event) -> AsyncIterator[str]:
    """The events, until the client goes away: then `cancelled` stops the language model, which
    would otherwise go on writing for no one while others wait for it.

    Each event is taken in a worker thread that the server may abandon: a client that leaves while
    the answer waits for the model's turn is let go at once, not when the wait ends. The events are
    then closed in a thread of their own, once no thread is inside them, so that the answer's
    generators end and the model's queue slot is given back without waiting for the garbage
    collector."""
    reading = threading.Lock()  # held while a worker thread is inside the events

    def step() -> str | None:
        with reading:
            return None if cancelled.is_set() else next(events, None)

    try:
        while (item := await anyio.to_thread.run_sync(step, abandon_on_cancel=True)) is not None:
            yield item
    finally:
        cancelled.set()
        threading.Thread(target=_close, args=(events, reading), name="close-events", daemon=True).start()


def _close(events: Iterator[str], reading: threading.Lock) -> None:
    with reading:
        close = getattr(events, "close", None)
        if close is not None:
            close()
