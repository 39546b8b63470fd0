"""The Slack bot's parts without Slack: message formatting within Slack's limits, refusal to start
unconfigured, and Socket Mode against a loopback WebSocket server speaking Slack's protocol."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pydantic import SecretStr
from websockets.sync.server import ServerConnection, serve

from assistant.answering.models import Answer, Citation
from assistant.errors import NotConfigured
from assistant.settings import Settings, SlackSettings
from assistant.slack.bot import build_slack_app
from assistant.slack.formatting import MESSAGE_BLOCKS, SECTION_CHARS, answer_messages, escape
from assistant.slack.socket_mode import socket_mode_handler
from assistant.slack.state import SlackState
from assistant.wiring import Assistant
from tests.slack_api import slack_api


def citation(marker: int, quote: str = "Brazil agreed with Paraguay.") -> Citation:
    return Citation(marker, f"c{marker}", "report", "Report | <final>", 3, "2. Agreements", quote)


def test_document_text_cannot_ping_or_break_links() -> None:
    text = "Write to <!channel> & <@U123> about <http://evil|this> [1]"
    (message,) = answer_messages(Answer(text, False, [citation(1, "a > b & <c>")]), "a1", "https://x", "en")
    shown = json.dumps(message.blocks)
    assert "<!channel>" not in shown and "<@U123>" not in shown and "<http://evil" not in shown
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
    source = message.blocks[2]["elements"][0]["text"]
    assert "|Report / &lt;final&gt;>" in source  # a title cannot end its link early
    assert "a &gt; b &amp; &lt;c&gt;" in source


def test_the_asked_value_is_bold_in_slack_and_plain_in_the_notification() -> None:
    answer = Answer("A total of **82** agreements were reached. [1]", False, [citation(1)])
    (message,) = answer_messages(answer, "a1", "https://x", "en")
    assert message.blocks[0]["text"]["text"] == "A total of *82* agreements were reached. [1]"
    assert message.text.startswith("A total of 82 agreements")


def test_long_answers_are_split_within_slack_limits() -> None:
    text = " ".join(f"Sentence number {n} says something about cooperation funds [1]." for n in range(400))
    answer = Answer(text, False, [citation(n) for n in range(1, 80)])
    messages = answer_messages(answer, "a1", "https://x", "en")
    assert len(messages) >= 2
    for message in messages:
        assert len(message.blocks) <= MESSAGE_BLOCKS
        for block in message.blocks:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= SECTION_CHARS
    sections = [b["text"]["text"] for m in messages for b in m.blocks if b["type"] == "section"]
    assert " ".join(sections) == escape(text)  # nothing lost in the cutting
    assert messages[-1].blocks[-1]["type"] == "actions"  # 👍/👎 close the answer


def test_abstention_reply_is_localised() -> None:
    answer = Answer("El corpus no responde a esta pregunta.", True, closest_documents=["Informe A"])
    (message,) = answer_messages(answer, "a1", "https://x", "es")
    shown = json.dumps(message.blocks, ensure_ascii=False)
    assert "No está en el corpus" in shown and "Informe A" in shown and "Fuentes" not in shown


def test_the_bot_refuses_to_start_without_its_secrets(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, slack=SlackSettings(bot_token=SecretStr("xoxb-1")))
    state = SlackState(tmp_path / "slack.sqlite")
    with pytest.raises(NotConfigured, match="SSC_SLACK__SIGNING_SECRET"):
        build_slack_app(settings, None, state)  # type: ignore[arg-type]  # refused before it is used
    state.close()
    env = {**os.environ, "SSC_DATA_DIR": str(tmp_path), "SSC_SLACK__BOT_TOKEN": "xoxb-1"}
    env.pop("SSC_SLACK__SIGNING_SECRET", None)
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "slack", "--socket"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "SSC_SLACK__SIGNING_SECRET" in result.stderr and "SSC_SLACK__APP_TOKEN" in result.stderr


@contextmanager
def socket_mode_server(envelope: dict) -> Iterator[tuple[str, list[dict]]]:
    """Slack's side of Socket Mode: greet, deliver one envelope, collect what the client sends."""
    received: list[dict] = []

    def session(connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        connection.send(json.dumps(envelope))
        for message in connection:
            received.append(json.loads(message))

    with serve(session, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        port = server.socket.getsockname()[1]
        try:
            yield f"ws://127.0.0.1:{port}/link", received
        finally:
            server.shutdown()


@pytest.mark.slow
def test_socket_mode_dispatches_an_event(sample: Assistant, tmp_path: Path) -> None:
    event = {"type": "app_mention", "user": "U1", "text": "<@UBOT> How is SEGIB funded?", "ts": "1.5"}
    event["channel"] = "C9"
    payload = {
        "type": "event_callback",
        "team_id": "T1",
        "api_app_id": "A1",
        "event_id": "Ev-s",
        "event": event,
    }
    envelope = {"envelope_id": "env-1", "type": "events_api", "accepts_response_payload": False}
    envelope["payload"] = payload
    with slack_api() as api, socket_mode_server(envelope) as (url, received):
        api.socket_url = url
        slack = SlackSettings(
            bot_token=SecretStr("xoxb-test"),
            signing_secret=SecretStr("s"),
            app_token=SecretStr("xapp-test"),
            api_url=api.base_url,
        )
        settings = sample.settings.model_copy(update={"slack": slack})
        state = SlackState(tmp_path / "slack.sqlite")
        handler = socket_mode_handler(settings, sample, state)
        handler.connect()
        try:
            api.wait_for("apps.connections.open")
            (update,) = api.wait_for("chat.update")
            assert update.params["channel"] == "C9"
            placeholder = next(c for c in api.calls if c.method == "chat.postMessage")
            assert placeholder.params["thread_ts"] == "1.5"
            assert {"envelope_id": "env-1"}.items() <= next(m for m in received if "envelope_id" in m).items()
        finally:
            handler.close()
            state.close()
