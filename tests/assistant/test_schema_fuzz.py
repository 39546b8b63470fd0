"""schemathesis against the app's own OpenAPI spec: every check, every phase (examples, coverage,
fuzzing, and stateful runs that follow the spec's links), at least 1,500 generated requests across
every route with an admin key, in a throwaway data directory; not one failure."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.access.keys import KeyStore
from assistant.api.app import create_app
from assistant.settings import AccessSettings
from assistant.wiring import Assistant
from tests.net import serve

pytestmark = pytest.mark.slow

CONFIG = Path(__file__).with_name("schemathesis.toml")


def test_generated_requests_get_no_server_error_and_match_the_schema(
    indexed: Assistant, tmp_path: Path
) -> None:
    settings = indexed.settings.model_copy(
        update={"access": AccessSettings(require_keys=True, ip_per_minute=0)}
    )
    keys = KeyStore(settings.keys_path)
    _, admin = keys.create("fuzzer", "admin")
    keys.close()
    with serve(create_app(settings, indexed)) as url:
        run = subprocess.run(
            [
                str(Path(sys.executable).with_name("schemathesis")),
                "--config-file",
                str(CONFIG),
                "run",
                f"{url}/openapi.json",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--max-examples",
                "80",
                "--seed",
                "4242",
                "--continue-on-failure",
                "--header",
                f"X-API-Key: {admin}",
            ],
            capture_output=True,
            text=True,
            timeout=900,
            cwd=tmp_path,  # schemathesis writes its cache beside it
        )
    summary = run.stdout[-3000:]
    assert run.returncode == 0, summary
    generated = re.search(r"(\d+) generated, (\d+) passed", run.stdout)
    assert generated, summary
    assert int(generated.group(1)) >= 1500 and generated.group(1) == generated.group(2), summary
    assert "Stateful" in run.stdout and "unexpected failure" not in run.stderr, summary
    print(generated.group(0))  # the case count, for the record (pytest -s shows it)
