"""An OpenAI-compatible chat-completions edge, so that any OpenAI client or chat UI can talk to
the assistant. Citations travel in the reply text (markers plus a sources list) and in an extra
`citations` field."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from assistant.answering.conversations import Turn, standalone_question
from assistant.answering.models import Answer, AnswerEvent, Citation, Writing, Written
from assistant.errors import AssistantError, InvalidRequest


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | None = Field(None, max_length=20000)


_USER_MESSAGE: dict[str, JsonValue] = {
    "type": "object",
    "required": ["role", "content"],
    "properties": {"role": {"const": "user"}, "content": {"type": "string", "pattern": r"\S"}},
}


class ChatCompletionRequest(BaseModel):
    # Clients send many optional parameters (temperature, top_p, ...): accepted and ignored. The
    # fields we read are strict: `"stream": 0` is a client's mistake, not a quiet "no".
    model_config = ConfigDict(extra="allow", strict=True)

    model: str = Field("ssc-assistant", max_length=200)
    # A conversation needs a question: at least one user message with text (what the 400 says).
    messages: list[ChatMessage] = Field(
        min_length=1, max_length=100, json_schema_extra={"contains": _USER_MESSAGE}
    )
    stream: bool = False


def question_of(request: ChatCompletionRequest) -> str:
    """The last user message, made standalone with the user messages before it."""
    questions = [
        m.content.strip() for m in request.messages if m.role == "user" and m.content and m.content.strip()
    ]
    if not questions:
        raise InvalidRequest("the conversation has no user message")
    history: list[Turn] = []
    for earlier in questions[:-1]:
        history.append(Turn(earlier, standalone_question(earlier, history), ""))
    return standalone_question(questions[-1], history)


def sources_text(citations: list[Citation]) -> str:
    """The sources list a plain chat UI shows under the answer."""
    if not citations:
        return ""
    lines = "\n".join(f"[{c.marker}] {c.title}, p. {c.page} — “{c.quote}”" for c in citations)
    return f"\n\nSources:\n{lines}"


def completion(content: str, model: str, **extra: object) -> dict:
    """A whole chat.completion object; `extra` fields ride along (clients ignore what they do not know)."""
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        **extra,
    }


def completion_chunks(pieces: Iterable[str], model: str, last: Callable[[], dict] = dict) -> Iterator[str]:
    """The streamed form as Server-Sent Events: the role, each piece of text as it comes, then the
    stop chunk carrying the fields `last()` returns once the text is done, then [DONE]."""
    identity = {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
    }

    def chunk(delta: dict, finish: str | None = None, **extra: object) -> str:
        body = {**identity, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for piece in pieces:
        yield chunk({"content": piece})
    yield chunk({}, "stop", **last())
    yield "data: [DONE]\n\n"


def answer_completion(answer: Answer, model: str) -> dict:
    return completion(answer.text + sources_text(answer.citations), model, **_extra(answer))


def answer_chunks(stream: Iterator[AnswerEvent], model: str) -> Iterator[str]:
    """Grounded sentences as the responder yields them, then the sources list, then the stop. A
    chat client cannot move text it has shown: a written answer follows the quotes, as a new
    paragraph."""
    final: list[Answer] = []

    def pieces() -> Iterator[str]:
        separator = ""
        for item in stream:
            if isinstance(item, Answer):
                final.append(item)
                yield sources_text(item.citations)
            elif isinstance(item, Writing):
                separator = "\n\n"
            elif isinstance(item, Written):
                yield separator + item.text
                separator = " "
            else:
                yield separator + item
                separator = " "

    try:
        yield from completion_chunks(pieces(), model, lambda: _extra(final[-1]) if final else {})
    except AssistantError as exc:  # the status is sent already: the protocol's in-stream error
        yield f"data: {json.dumps({'error': {'message': str(exc), 'type': 'server_error'}})}\n\n"


def _extra(answer: Answer) -> dict:
    return {"citations": [asdict(c) for c in answer.citations], "abstained": answer.abstained}
