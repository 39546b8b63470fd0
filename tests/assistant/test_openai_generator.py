"""The OpenAI-compatible generator against a real HTTP server on loopback that speaks the
chat-completions protocol (the only fake: a hosted LLM cannot run here)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from assistant.answering.chat_generator import parse_answer
from assistant.answering.models import Answer
from assistant.answering.openai_chat import OpenAIChatGenerator
from assistant.answering.prompts import numbered_passages, render
from assistant.answering.responder import Responder
from assistant.api.openai_compat import completion, completion_chunks
from assistant.settings import AnswerSettings, OpenAISettings
from assistant.wiring import Assistant
from tests.net import serve

pytestmark = pytest.mark.slow
PROMPTS = Path(__file__).resolve().parents[2] / "prompts"


class ChatServer:
    """Answers every chat completion with `reply` (streamed in small pieces when asked), and keeps
    the requests it got."""

    def __init__(self) -> None:
        self.reply = ""
        self.rewrite_reply = ""  # the reply to the follow-up rewrite prompt
        self.hold_after_first_sentence: threading.Event | None = None
        self.released_in_time = True
        self.requests: list[dict[str, Any]] = []
        self.app = FastAPI()

        @self.app.post("/v1/chat/completions", response_model=None)
        def complete(body: dict[str, Any]) -> dict[str, Any] | StreamingResponse:
            self.requests.append(body)
            rewrite = "Rewrite the last question" in body["messages"][-1]["content"]
            reply = self.rewrite_reply if rewrite else self.reply
            if not body.get("stream"):
                return completion(reply, body["model"])
            return StreamingResponse(
                completion_chunks(self._pieces(reply), body["model"]), media_type="text/event-stream"
            )

    def _pieces(self, reply: str) -> Iterator[str]:
        first_end = reply.find(". ") + 2
        for start in range(0, len(reply), 7):
            if self.hold_after_first_sentence and start >= first_end > 1:
                # A client that waits for the whole reply never releases it: that counts as a failure.
                self.released_in_time = self.hold_after_first_sentence.wait(timeout=10)
            yield reply[start : start + 7]


def _options(url: str) -> AnswerSettings:
    return AnswerSettings(
        generator="openai", prompts_dir=PROMPTS, openai=OpenAISettings(base_url=url, model="m")
    )


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
    options = _options(url)
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
    options = _options(url)
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


def _responder(indexed: Assistant, url: str) -> Responder:
    options = _options(url)
    generator = OpenAIChatGenerator(options)
    return Responder(
        indexed.searcher,
        generator,
        conversations=indexed.responder.conversations,
        rewrite=generator.standalone,
    )


def test_sentences_stream_out_while_the_model_is_still_writing(
    indexed: Assistant, chat_server: tuple[ChatServer, str]
) -> None:
    fake, url = chat_server
    fake.reply = (
        "Brazil agreed with Paraguay to exchange experts on social protection registries [1]. "
        "Chile agreed with Guatemala to run an online seminar on youth employment [1]."
    )
    fake.hold_after_first_sentence = threading.Event()
    stream = _responder(indexed, url).ask_stream("What did Brazil and Chile agree?")
    # The server holds back its second sentence until the first one has reached us.
    first = next(stream)
    assert (
        isinstance(first, str) and first.startswith("Brazil agreed with Paraguay") and first.endswith("[1]")
    )
    fake.hold_after_first_sentence.set()
    rest = list(stream)
    assert fake.released_in_time
    assert rest[0].startswith("Chile agreed with Guatemala")
    answer = rest[-1]
    assert isinstance(answer, Answer) and not answer.abstained
    assert answer.text == f"{first} {rest[0]}"


def test_a_follow_up_is_rewritten_by_the_model(
    indexed: Assistant, chat_server: tuple[ChatServer, str]
) -> None:
    fake, url = chat_server
    responder = _responder(indexed, url)
    fake.reply = "Chile agreed with Guatemala to run an online seminar on youth employment [1]."
    first = responder.ask("What did Chile agree with Guatemala?")
    fake.rewrite_reply = "What did Brazil agree with Paraguay?\n"
    fake.reply = "Brazil agreed with Paraguay to exchange experts on social protection registries [1]."
    follow_up = responder.ask("and Brazil?", conversation_id=first.conversation_id)
    assert "Brazil agreed with Paraguay" in follow_up.text
    rewrite_prompt = fake.requests[-2]["messages"][-1]["content"]
    assert (
        "User: What did Chile agree with Guatemala?" in rewrite_prompt
        and "Last question: and Brazil?" in rewrite_prompt
    )
    assert indexed.responder.conversations is not None
    turns = indexed.responder.conversations.history(first.conversation_id or "")
    assert turns[-1].standalone == "What did Brazil agree with Paraguay?"
