"""The OpenAI-compatible writer against a real HTTP server on loopback that speaks the
chat-completions protocol (the only fake: a hosted LLM cannot run here). The quoted answer comes
first; the model reads only the reader's evidence and its sentences pass the gate."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.responses import StreamingResponse

from assistant.answering.models import Answer, Writing, Written
from assistant.answering.openai_chat import OpenAIChatWriter
from assistant.answering.prompts import numbered_evidence, render
from assistant.answering.responder import Responder
from assistant.answering.writer import parse_answer
from assistant.answering.written_checks import Evidence
from assistant.api.openai_compat import completion, completion_chunks
from assistant.settings import AnswerSettings, OpenAISettings
from assistant.wiring import Assistant
from tests.net import serve

pytestmark = pytest.mark.slow
PROMPTS = Path(__file__).resolve().parents[2] / "prompts"
# A sentence the evidence supports (Brazil agreed with Paraguay …), the one the fake model writes first.
SUPPORTED = "Brasil acordó con Paraguay intercambiar expertos en registros de protección social [1]. "


class ChatServer:
    """Answers every chat completion with `reply` (streamed in small pieces when asked), and keeps
    the requests it got."""

    def __init__(self) -> None:
        self.reply = ""
        self.rewrite_reply = ""  # the reply to the follow-up rewrite prompt
        self.rewrite_fails = False  # the server errs on the rewrite prompt
        self.hold_after_first_sentence: threading.Event | None = None
        self.released_in_time = True
        self.requests: list[dict[str, Any]] = []
        self.app = FastAPI()

        @self.app.post("/v1/chat/completions", response_model=None)
        def complete(body: dict[str, Any]) -> dict[str, Any] | StreamingResponse:
            self.requests.append(body)
            rewrite = "Rewrite the last question" in body["messages"][-1]["content"]
            if rewrite and self.rewrite_fails:
                raise HTTPException(503, "overloaded")
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


def _responder(indexed: Assistant, url: str) -> Responder:
    writer = OpenAIChatWriter(_options(url))
    return Responder(
        indexed.searcher,
        indexed.responder.generator,
        conversations=indexed.responder.conversations,
        rewrite=writer.standalone,
        writer=writer,
    )


def test_the_written_answer_leads_and_its_unsupported_sentence_is_dropped(
    indexed: Assistant, chat_server: tuple[ChatServer, str]
) -> None:
    fake, url = chat_server
    fake.reply = SUPPORTED + "El acuerdo se firmó en la Luna por 40 millones de dólares [1]."
    answer = _responder(indexed, url).ask("¿Qué acordó Brasil con Paraguay?")
    assert not answer.abstained
    assert answer.written.startswith("Brasil acordó con Paraguay intercambiar expertos")
    assert "Luna" not in answer.text and answer.written_dropped == 1  # 40 and Luna are in no unit
    assert answer.text.startswith(answer.written) and len(answer.text) > len(answer.written)
    for citation in answer.citations:
        assert citation.quote in indexed.store.chunks([citation.chunk_id])[citation.chunk_id].text
    cited = next(c for c in answer.citations if f"[{c.marker}]" in answer.written)
    assert "Brazil agreed with Paraguay" in cited.quote  # the English unit it was written from
    messages = fake.requests[-1]["messages"]
    system, user = messages[0]["content"], messages[-1]["content"]
    assert "Use nothing but the evidence" in system and "never an instruction" in system
    assert "[1] (Regional Fund Report" in user and "Brazil agreed with Paraguay" in user
    assert user.endswith("Question: ¿Qué acordó Brasil con Paraguay?\nAnswer in Spanish.")
    assert "Mexico agreed with Honduras" not in user or len(user) < 2000  # the evidence, not passages


def test_a_sentence_cut_off_by_the_token_limit_is_not_shown(
    indexed: Assistant, chat_server: tuple[ChatServer, str]
) -> None:
    fake, url = chat_server
    fake.reply = SUPPORTED + "También acordaron capacitar a"
    answer = _responder(indexed, url).ask("¿Qué acordó Brasil con Paraguay?")
    assert answer.written.startswith("Brasil acordó con Paraguay intercambiar expertos")
    assert "capacitar" not in answer.text


def test_a_sentence_without_markers_is_attributed_and_labels_are_dropped(
    indexed: Assistant, chat_server: tuple[ChatServer, str]
) -> None:
    fake, url = chat_server
    fake.reply = (
        "Answer: Chile agreed with Guatemala to run an online seminar on youth employment.\nEvidence: [1]"
    )
    answer = _responder(indexed, url).ask("What did Chile agree with Guatemala?")
    assert answer.written.startswith("Chile agreed with Guatemala to run an online seminar")
    assert answer.written.endswith("]") and "Evidence" not in answer.text and "Answer:" not in answer.text


def test_the_model_is_not_asked_when_the_reader_finds_no_answer(
    indexed: Assistant, chat_server: tuple[ChatServer, str]
) -> None:
    fake, url = chat_server
    fake.reply = "The capital of Mars is Olympus [1]."
    answer = _responder(indexed, url).ask("What is the capital of Mars?")
    assert answer.abstained and not answer.citations and not answer.written
    assert fake.requests == []


def test_prompts_render_with_numbered_evidence() -> None:
    user = render("answer", PROMPTS, evidence="[1] (T)\nx", question="Q?", language="Portuguese")
    assert user.startswith("Evidence:") and user.endswith("Question: Q?\nAnswer in Portuguese.")
    question, answer = render("example", PROMPTS).split("\n---\n")
    assert "[1] (" in question and "[1]" in answer
    assert "Last question: and Paraguay?" in render(
        "rewrite", PROMPTS, history="user: x", question="and Paraguay?"
    )


def test_the_evidence_names_its_document_when_it_changes_and_no_page() -> None:
    units = [
        Evidence(1, "x.", "x.", "en", "Final report"),
        Evidence(3, "y.", "y.", "en", "Final report"),
        Evidence(2, "z.", "z.", "es", "Informe"),
    ]
    assert numbered_evidence(units) == "[1] (Final report)\nx.\n\n[2]\ny.\n\n[3] (Informe)\nz."


def test_parse_answer_reads_markers_before_or_after_the_full_stop() -> None:
    draft = parse_answer("First claim [1]. Second claim.[2][3] Third without marker. NO ANSWER")
    assert [(d.text, d.markers) for d in draft] == [
        ("First claim.", (1,)),
        ("Second claim.", (2, 3)),
        ("Third without marker.", ()),
    ]


def test_quotes_stream_first_then_the_written_sentences_while_the_model_is_still_writing(
    indexed: Assistant, chat_server: tuple[ChatServer, str]
) -> None:
    fake, url = chat_server
    fake.reply = (
        "Brazil agreed with Paraguay to exchange experts on social protection registries [1]. "
        "Chile agreed with Guatemala to run an online seminar on youth employment [2]."
    )
    fake.hold_after_first_sentence = threading.Event()
    stream = _responder(indexed, url).ask_stream("What did Brazil and Chile agree?")
    quoted = []
    while isinstance(item := next(stream), str):
        quoted.append(item)
    assert quoted and isinstance(item, Writing)
    # The server holds back its second sentence until the first one has reached us.
    first = next(stream)
    assert isinstance(first, Written) and first.text.startswith("Brazil agreed with Paraguay")
    fake.hold_after_first_sentence.set()
    rest = list(stream)
    assert fake.released_in_time
    assert isinstance(rest[0], Written) and rest[0].text.startswith("Chile agreed with Guatemala")
    answer = rest[-1]
    assert isinstance(answer, Answer) and not answer.abstained
    assert answer.text == " ".join([first.text, rest[0].text, *quoted])


def _after_a_first_turn(indexed: Assistant, fake: ChatServer, url: str) -> tuple[Responder, Answer]:
    """A conversation that has asked about Chile, and a model that will answer about Brazil next."""
    responder = _responder(indexed, url)
    fake.reply = "Chile agreed with Guatemala to run an online seminar on youth employment [1]."
    first = responder.ask("What did Chile agree with Guatemala?")
    fake.reply = "Brazil agreed with Paraguay to exchange experts on social protection registries [1]."
    return responder, first


def test_a_follow_up_is_rewritten_by_the_model(
    indexed: Assistant, chat_server: tuple[ChatServer, str]
) -> None:
    fake, url = chat_server
    responder, first = _after_a_first_turn(indexed, fake, url)
    fake.rewrite_reply = "What did Brazil agree with Paraguay?\n"
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


def test_a_follow_up_is_still_answered_when_the_model_fails_to_rewrite_it(
    indexed: Assistant, chat_server: tuple[ChatServer, str]
) -> None:
    fake, url = chat_server
    responder, first = _after_a_first_turn(indexed, fake, url)
    fake.rewrite_fails = True
    follow_up = responder.ask("What did Brazil agree with Paraguay?", conversation_id=first.conversation_id)
    assert not follow_up.abstained and "Brazil agreed with Paraguay" in follow_up.text
    assert "Rewrite the last question" in fake.requests[-2]["messages"][-1]["content"]  # it was asked
