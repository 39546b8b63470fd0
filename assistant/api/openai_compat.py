"""An OpenAI-compatible chat-completions edge, so that any OpenAI client or chat UI can talk to
the assistant. Citations travel in the reply text (markers plus a sources list) and in an extra
`citations` field."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.answering.conversations import Turn, standalone_question
from assistant.answering.models import Answer
from assistant.errors import InvalidRequest


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | None = Field(None, max_length=20000)


class ChatCompletionRequest(BaseModel):
    # Clients send many optional parameters (temperature, top_p, ...): accepted and ignored.
    model_config = ConfigDict(extra="allow")

    model: str = Field("ssc-assistant", max_length=200)
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
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


def reply_text(answer: Answer) -> str:
    if not answer.citations:
        return answer.text
    sources = "\n".join(f"[{c.marker}] {c.title}, p. {c.page} — “{c.quote}”" for c in answer.citations)
    return f"{answer.text}\n\nSources:\n{sources}"


def completion(answer: Answer, model: str) -> dict:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": reply_text(answer)},
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "citations": [c.__dict__ for c in answer.citations],
        "abstained": answer.abstained,
    }


def completion_chunks(answer: Answer, model: str) -> Iterator[str]:
    """The streamed form: role, then the text in pieces, then the stop, then [DONE]."""
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
    text = reply_text(answer)
    for start in range(0, len(text), 80):
        yield chunk({"content": text[start : start + 80]})
    yield chunk({}, "stop", citations=[c.__dict__ for c in answer.citations])
    yield "data: [DONE]\n\n"
