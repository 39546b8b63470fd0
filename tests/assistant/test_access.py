"""API keys, origins and quotas, over HTTP on a real server: who gets in, from where, how often."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from openai import OpenAI

from assistant.access.keys import KeyStore
from assistant.api.app import create_app
from assistant.settings import AccessSettings, Settings
from assistant.wiring import Assistant
from tests import client
from tests.net import serve

pytestmark = pytest.mark.slow

SITE = "https://ministry.example.org"
QUESTION = {"question": "What did Brazil agree with Paraguay?"}


@dataclass
class Api:
    url: str
    keys: KeyStore
    public: str  # an ask key usable from SITE only, two questions a day
    admin: str


@pytest.fixture
def api(indexed: Assistant) -> Iterator[Api]:
    access = AccessSettings(require_keys=True, key_daily_quota=100, ip_per_minute=0)
    settings = indexed.settings.model_copy(update={"access": access})
    keys = KeyStore(settings.keys_path)
    _, public = keys.create("ministry site", "ask", [SITE], daily_quota=2)
    _, admin = keys.create("operator", "admin")
    with serve(create_app(settings, indexed)) as url:
        yield Api(url, keys, public, admin)
    keys.close()


def test_missing_invalid_and_revoked_keys_get_401(api: Api) -> None:
    assert client.post(f"{api.url}/v1/search", json={"query": "fund"}).status_code == 401
    forged = api.public[:-4] + "AAAA"
    for token in ("nonsense", forged, "pk_deadbeef_x"):
        response = client.post(f"{api.url}/v1/search", json={"query": "fund"}, headers={"X-API-Key": token})
        assert response.status_code == 401 and "not valid" in response.json()["detail"]
    key, token = api.keys.create("temporary", "ask")
    assert client.get(f"{api.url}/v1/documents", headers={"X-API-Key": token}).status_code == 200
    api.keys.revoke(key.key_id)  # a running server refuses it from the next request
    assert client.get(f"{api.url}/v1/documents", headers={"X-API-Key": token}).status_code == 401
    # Public pages stay open: the widget script, the demo, health, and the source viewer.
    for path in ("/widget.js", "/", "/healthz"):
        assert client.get(f"{api.url}{path}").status_code == 200


def test_scopes_and_origins_give_403(api: Api) -> None:
    public = {"X-API-Key": api.public, "Origin": SITE}
    assert client.get(f"{api.url}/v1/feedback", headers=public).status_code == 403
    assert client.get(f"{api.url}/v1/feedback", headers={"X-API-Key": api.admin}).status_code == 200
    elsewhere = {"X-API-Key": api.public, "Origin": "https://elsewhere.example.com"}
    refused = client.post(f"{api.url}/v1/search", json={"query": "fund"}, headers=elsewhere)
    assert refused.status_code == 403 and "elsewhere.example.com" in refused.json()["detail"]
    allowed = client.post(f"{api.url}/v1/search", json={"query": "fund"}, headers=public)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == SITE
    # A browser's preflight is answered from the same allowlist.
    preflight = {
        "Origin": SITE,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-api-key",
    }
    assert client.options(f"{api.url}/v1/ask", headers=preflight).status_code == 200
    preflight["Origin"] = "https://elsewhere.example.com"
    assert client.options(f"{api.url}/v1/ask", headers=preflight).status_code == 400


def test_daily_key_quota_gives_429_exactly_when_spent(api: Api) -> None:
    headers = {"X-API-Key": api.public, "Origin": SITE}
    for _ in range(2):
        assert client.post(f"{api.url}/v1/ask", json=QUESTION, headers=headers).status_code == 200
    refused = client.post(f"{api.url}/v1/ask", json=QUESTION, headers=headers)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 86_400
    assert "per day" in refused.json()["detail"]
    # Admin keys have no question quota.
    admin = {"X-API-Key": api.admin}
    assert client.post(f"{api.url}/v1/ask", json=QUESTION, headers=admin).status_code == 200


def _start_of_a_minute_window(room_seconds: float) -> None:
    """Counters use fixed minute windows: six requests that straddle a window boundary would be
    counted in two, so a slow machine waits for a fresh window before it starts."""
    into = time.time() % 60
    if into > 60 - room_seconds:
        time.sleep(60 - into + 0.1)


def test_per_address_and_per_conversation_quotas(indexed: Assistant) -> None:
    access = AccessSettings(require_keys=False, ip_per_minute=5, conversation_daily_quota=2)
    settings = indexed.settings.model_copy(update={"access": access})
    _start_of_a_minute_window(room_seconds=25)
    with serve(create_app(settings, indexed)) as url:
        first = client.post(f"{url}/v1/ask", json=QUESTION).json()
        follow_up = {"question": "And Chile?", "conversation_id": first["conversation_id"]}
        for _ in range(2):
            assert client.post(f"{url}/v1/ask", json=follow_up).status_code == 200
        third = client.post(f"{url}/v1/ask", json=follow_up)
        assert third.status_code == 429 and "conversation" in third.json()["detail"]
        # The refused request was not counted: the address has spent 3 of its 5 per minute.
        for _ in range(2):
            assert client.post(f"{url}/v1/search", json={"query": "fund"}).status_code == 200
        limited = client.post(f"{url}/v1/search", json={"query": "fund"})
        assert limited.status_code == 429 and 0 < int(limited.headers["retry-after"]) <= 60


def test_openai_clients_send_the_key_as_a_bearer_token(api: Api) -> None:
    client = OpenAI(base_url=f"{api.url}/v1", api_key=api.admin, max_retries=0)
    reply = client.chat.completions.create(model="ssc", messages=[{"role": "user", "content": "Brazil?"}])
    assert reply.choices[0].message.content
    wrong = OpenAI(base_url=f"{api.url}/v1", api_key="sk_nope_nope", max_retries=0)
    with pytest.raises(Exception, match="401"):
        wrong.chat.completions.create(model="ssc", messages=[{"role": "user", "content": "Brazil?"}])


def test_keys_cli_creates_lists_and_revokes(settings: Settings) -> None:
    env = {**os.environ, "SSC_DATA_DIR": str(settings.data_dir)}
    cli = [sys.executable, "-m", "assistant", "keys"]
    created = subprocess.run(
        [*cli, "create", "ministry site", "--origin", SITE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    token = created.stdout.strip()
    assert token.startswith("pk_")
    listed = subprocess.run([*cli, "list"], env=env, capture_output=True, text=True, check=True).stdout
    key_id = token.split("_")[1]
    assert key_id in listed and SITE in listed and token not in listed  # the secret is never shown again
    subprocess.run([*cli, "revoke", key_id], env=env, capture_output=True, text=True, check=True)
    keys = KeyStore(settings.keys_path)
    try:
        assert keys.verify(token) is None
    finally:
        keys.close()
    bad = subprocess.run(
        [*cli, "create", "x", "--origin", "not a url"], env=env, capture_output=True, text=True
    )
    assert bad.returncode == 2 and "not an origin" in bad.stderr
