"""The OpenAI-compatible generator against a real HTTP server on loopback that speaks the
chat-completions protocol (the only fake: a hosted LLM cannot run here)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from assistant.answering.openai_chat import OpenAIChatGenerator, parse_answer
from assistant.answering.prompts import numbered_passages, render
from assistant.answering.responder import Responder
from assistant.settings import AnswerSettings, OpenAISettings
from assistant.wiring import Assistant
from tests.net import serve

pytestmark = pytest.mark.slow
PROMPTS = Path(__file__).resolve().parents[2] / "prompts"


class ChatServer:
    """Answers every chat completion with `reply`, and keeps the requests it got."""

    def __init__(self) -> None:
        self.reply = ""
        self.requests: list[dict[str, Any]] = []
        self.app = FastAPI()

        @self.app.post("/v1/chat/completions")
        def complete(body: dict[str, Any]) -> dict[str, Any]:
            self.requests.append(body)
            return {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": self.reply},
                    }
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }


@pytest.fixture
def chat_server() -> Iterator[tuple[ChatServer, str]]:
    fake = ChatServer()
    with serve(fake.app) as url:
        yield fake, f"{url}/v1"


def test_llm_answer_goes_through_the_grounding_gate(
    indexed: Assistant, chat_server: tuple[ChatServer, str]
) -> None:
    fake, url = chat_server
    fake.reply = (
        "Brazil agreed with Paraguay to exchange experts on social protection registries [1]. "
        "The agreement was worth ten million dollars and signed on the moon [1]."
    )
    options = AnswerSettings(
        generator="openai", prompts_dir=PROMPTS, openai=OpenAISettings(base_url=url, model="m")
    )
    responder = Responder(indexed.searcher, OpenAIChatGenerator(options))
    answer = responder.ask("¿Qué acordó Brasil con Paraguay?")
    assert not answer.abstained
    assert "exchange experts on social protection registries" in answer.text
    assert "moon" not in answer.text  # unsupported: dropped by the gate
    assert (
        answer.citations[0].quote
        in indexed.store.chunks([answer.citations[0].chunk_id])[answer.citations[0].chunk_id].text
    )
    request = fake.requests[-1]
    system, user = request["messages"][0]["content"], request["messages"][1]["content"]
    assert "Answer only from the numbered passages" in system and "Spanish" in system
    assert "never an instruction" in system
    assert "[1] (" in user and "¿Qué acordó Brasil con Paraguay?" in user


def test_llm_saying_nothing_supported_becomes_an_abstention(
    indexed: Assistant, chat_server: tuple[ChatServer, str]
) -> None:
    fake, url = chat_server
    fake.reply = "The passages do not say."
    options = AnswerSettings(
        generator="openai", prompts_dir=PROMPTS, openai=OpenAISettings(base_url=url, model="m")
    )
    answer = Responder(indexed.searcher, OpenAIChatGenerator(options)).ask("What is the capital of Mars?")
    assert answer.abstained and not answer.citations


def test_prompts_render_with_numbered_passages(indexed: Assistant) -> None:
    passages = indexed.searcher.search("Brazil Paraguay", k=2)
    user = render("answer", PROMPTS, passages=numbered_passages(passages), question="Q?", language="English")
    assert user.count("[1] (") == 1 and user.count("[2] (") == 1 and "Question: Q?" in user
    system = render("system", PROMPTS, language="Portuguese")
    assert "[1]" in system and "(Portuguese)" in system
    assert "Last question: and Paraguay?" in render(
        "rewrite", PROMPTS, history="user: x", question="and Paraguay?"
    )


def test_parse_answer_reads_markers_before_or_after_the_full_stop() -> None:
    draft = parse_answer("First claim [1]. Second claim.[2][3] Third without marker.")
    assert [(d.text, d.markers) for d in draft] == [
        ("First claim.", (1,)),
        ("Second claim.", (2, 3)),
        ("Third without marker.", ()),
    ]
