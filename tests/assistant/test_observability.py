"""Request ids, JSON logs and /metrics; and the server started exactly as the Docker image starts it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.api.app import create_app
from assistant.settings import AccessSettings
from assistant.wiring import Assistant
from tests import client
from tests.net import free_port, serve

pytestmark = pytest.mark.slow

DOCKERFILE = Path(__file__).resolve().parents[2] / "Dockerfile"


@pytest.fixture
def base_url(indexed: Assistant) -> Iterator[str]:
    access = AccessSettings(require_keys=True, ip_per_minute=0)
    with serve(create_app(indexed.settings.model_copy(update={"access": access}), indexed)) as url:
        yield url


def test_request_ids_are_echoed_or_made(base_url: str) -> None:
    given = client.get(f"{base_url}/healthz", headers={"X-Request-ID": "trace-42"})
    assert given.headers["x-request-id"] == "trace-42"
    made = client.get(f"{base_url}/healthz", headers={"X-Request-ID": "bad id <script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])


def test_metrics_count_requests_answers_and_refusals(base_url: str, indexed: Assistant) -> None:
    assert client.post(f"{base_url}/v1/ask", json={"question": "What did Brazil agree?"}).status_code == 401
    metrics = client.get(f"{base_url}/metrics")
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert 'ssc_requests_total{method="POST",route="/v1/ask",status="401"} 1.0' in text
    assert 'ssc_rejected_total{reason="unauthorized"} 1.0' in text
    assert f"ssc_documents {float(len(indexed.store.list_documents()))}" in text
    assert 'ssc_request_seconds_bucket{le="0.01",route="/healthz"}' in text or "ssc_request_seconds" in text


def dockerfile_command() -> str:
    """The shell command of the image's CMD, read from the Dockerfile itself."""
    cmd = next(line for line in DOCKERFILE.read_text().splitlines() if line.startswith("CMD "))
    argv = json.loads(cmd.removeprefix("CMD "))
    assert argv[:2] == ["sh", "-c"]
    return str(argv[2])


def test_the_image_start_command_serves_with_json_logs(tmp_path: Path, corpus: Path) -> None:
    """What `docker run` would do (there is no Docker engine here): the image's CMD, its env, then
    its HEALTHCHECK URL; keys are required as in the image, and logs are JSON lines."""
    port = free_port()
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "SSC_DATA_DIR": str(tmp_path / "data"),
        "SSC_CORPUS_DIR": str(corpus),
        "SSC_API__HOST": "127.0.0.1",
        "SSC_API__PORT": str(port),
    }
    env.pop("SSC_ACCESS__REQUIRE_KEYS", None)
    server = subprocess.Popen(["sh", "-c", dockerfile_command()], env=env, stderr=subprocess.PIPE, text=True)
    try:
        client.wait_until_healthy(f"http://127.0.0.1:{port}/healthz")
        url = f"http://127.0.0.1:{port}"
        assert client.post(f"{url}/v1/search", json={"query": "fund"}).status_code == 401
        created = subprocess.run(
            [sys.executable, "-m", "assistant", "keys", "create", "ops", "--scope", "admin"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        headers = {"X-API-Key": created.stdout.strip(), "X-Request-ID": "req-7"}
        asked = client.post(
            f"{url}/v1/ask", json={"question": "What did Brazil agree with Paraguay?"}, headers=headers
        )
        assert asked.status_code == 200 and not asked.json()["abstained"]
    finally:
        server.terminate()
        _, logs = server.communicate(timeout=30)
    lines = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
    answered = [line for line in lines if line["message"] == "answered"]
    assert answered and answered[0]["request_id"] == "req-7" and answered[0]["citations"] >= 1
    assert "Paraguay" not in logs  # no question text in logs unless SSC_LOG_QUESTIONS is set
    requests = [line for line in lines if line["message"] == "request" and line["request_id"] == "req-7"]
    assert requests and requests[0]["route"] == "/v1/ask" and requests[0]["status"] == 200
