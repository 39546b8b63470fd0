"""Feedback on answers: stored by answer id over HTTP, refused for unknown ids, exported as JSONL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from assistant.api.app import create_app
from assistant.wiring import Assistant
from tests import client
from tests.net import serve

pytestmark = pytest.mark.slow


@pytest.fixture
def base_url(indexed: Assistant) -> Iterator[str]:
    with serve(create_app(indexed.settings, indexed)) as url:
        yield url


def test_rating_is_stored_with_the_answer_and_exported(base_url: str, indexed: Assistant) -> None:
    question = "What did Brazil agree with Paraguay?"
    answer = client.post(f"{base_url}/v1/ask", json={"question": question}).json()
    assert answer["answer_id"]
    for rating, comment in ((1, ""), (-1, "It missed the date")):  # a second rating replaces the first
        response = client.post(
            f"{base_url}/v1/feedback",
            json={"answer_id": answer["answer_id"], "rating": rating, "comment": comment},
        )
        assert response.status_code == 201, response.text
    exported = subprocess.run(
        [sys.executable, "-m", "assistant", "feedback", "export"],
        env={**os.environ, "SSC_DATA_DIR": str(indexed.settings.data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(rows) == 1
    row = rows[0]
    assert row["rating"] == -1 and row["comment"] == "It missed the date"
    assert row["question"] == question and row["answer"] == answer["answer"]
    assert row["citations"][0]["quote"] == answer["citations"][0]["quote"]


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"answer_id": "never-given", "rating": 1}, 404),
        ({"answer_id": "x", "rating": 5}, 422),
        ({"answer_id": "x"}, 422),
        ({"answer_id": "../../etc", "rating": 1}, 422),
        ({"answer_id": "x", "rating": 1, "comment": "c" * 5000}, 422),
    ],
)
def test_bad_feedback_gets_4xx_with_a_message(base_url: str, payload: dict, status: int) -> None:
    response = client.post(f"{base_url}/v1/feedback", json=payload)
    assert response.status_code == status
    assert response.json()["detail"]
