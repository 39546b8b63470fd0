"""Server-Sent Events for an answer: the text as it comes, then the citations, then the whole."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from assistant.api.schemas import AskResponse


def event(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def answer_events(response: AskResponse) -> Iterator[str]:
    """`answer` events carry text deltas (a sentence and its markers each), `citations` the
    sources, and `done` the same JSON as the non-streaming reply."""
    for delta in re.findall(r"\S.*?(?:\[\d+\])+(?=\s|$)|\S.+$", response.answer):
        yield event("answer", {"delta": delta + " "})
    yield event("citations", [c.model_dump() for c in response.citations])
    yield event("done", response.model_dump())
