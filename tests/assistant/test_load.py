"""The load test command, from a second process against a real server on loopback: concurrent
clients get answers and no errors (the full 32-client, 60-second run is in README, Operations)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.api.app import create_app
from assistant.wiring import Assistant
from tests.net import serve

pytestmark = pytest.mark.slow


def test_concurrent_clients_get_answers_without_errors(indexed: Assistant) -> None:
    with serve(create_app(indexed.settings, indexed)) as url:
        run = subprocess.run(
            [sys.executable, "-m", "assistant", "load", url, "--clients", "8", "--seconds", "8"],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert run.returncode == 0, run.stdout + run.stderr
    figures = json.loads(run.stdout)
    assert figures["errors"] == 0 and figures["requests"] >= 8
    assert figures["outcomes"] == {"200": figures["requests"]}
    assert figures["p95_ms"] is not None and figures["p95_ms"] >= figures["p50_ms"]
