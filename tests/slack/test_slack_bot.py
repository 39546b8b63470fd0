"""The Slack bot, driven through the real slack-bolt app mounted in the real FastAPI server on
loopback: requests are signed with a real signing secret, and the bot's Web API calls go to a
loopback server speaking Slack's Web API (tests/slack_api.py)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx
import pytest
from pydantic import SecretStr
from slack_sdk.signature import SignatureVerifier

from assistant.answering.generation_queue import GenerationQueue
from assistant.answering.openai_chat import OpenAIChatWriter
from assistant.api.app import create_app
from assistant.settings import AnswerSettings, ApiSettings, OpenAISettings, Settings, SlackSettings
from assistant.wiring import Assistant
from tests import client
from tests.assistant.test_openai_writer import PROMPTS, ChatServer
from tests.model_line import model_held
from tests.net import serve
from tests.slack_api import SlackApi, slack_api

pytestmark = pytest.mark.slow

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
PUBLIC_URL = "https://assistant.example.org"
ANSWERABLE = "How is SEGIB's South-South cooperation programme funded?"
UNANSWERABLE = "How much did the Antarctic Penguin Research Fund give to Bolivia in 2019?"


@dataclass
class Bot:
    url: str
    slack: SlackApi
    assistant: Assistant

    def post(
        self, body: str, content_type: str, timestamp: int | None = None, **headers: str
    ) -> httpx.Response:
        stamp = str(timestamp or int(time.time()))
        signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature,
            **headers,
        }
        return client.post(f"{self.url}/slack/events", content=body, headers=sent, timeout=30)

    def event(self, event: dict, event_id: str, **headers: str) -> httpx.Response:
        body = {"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event": event}
        body |= {"event_id": event_id, "event_time": int(time.time())}
        return self.post(json.dumps(body), "application/json", **headers)

    def form(self, fields: dict[str, str]) -> httpx.Response:
        return self.post(urlencode(fields), "application/x-www-form-urlencoded")


def slack_settings(base: Settings, api_url: str) -> Settings:
    slack = SlackSettings(bot_token=SecretStr("xoxb-test"), signing_secret=SecretStr(SECRET), api_url=api_url)
    return base.model_copy(update={"slack": slack, "api": ApiSettings(public_url=PUBLIC_URL)})


@pytest.fixture(scope="module")
def bot(sample: Assistant) -> Iterator[Bot]:
    with slack_api() as api, serve(create_app(slack_settings(sample.settings, api.base_url), sample)) as url:
        yield Bot(url, api, sample)


def mention(text: str, ts: str, thread_ts: str | None = None) -> dict:
    event = {"type": "app_mention", "user": "U1", "text": f"<@UBOT> {text}", "ts": ts, "channel": "C1"}
    return event | ({"thread_ts": thread_ts} if thread_ts else {})


def texts(blocks: list[dict]) -> str:
    """Every mrkdwn/plain text in the blocks, in order."""
    found = []
    for block in blocks:
        if "text" in block:
            found.append(block["text"]["text"])
        for element in block.get("elements", []):
            found.append(element["text"]["text"] if element.get("type") == "button" else element["text"])
    return "\n".join(found)


def updates_of(slack: SlackApi, ts: str, count: int = 1) -> list[dict]:
    """The answers (chat.update of the placeholder) posted in the thread that `ts` opened."""
    deadline = time.time() + 60
    while time.time() < deadline:
        calls = list(slack.calls)
        placeholders = {
            c.reply["ts"] for c in calls if c.method == "chat.postMessage" and c.params.get("thread_ts") == ts
        }
        answers = [c.params for c in calls if c.method == "chat.update" and c.params["ts"] in placeholders]
        if len(answers) >= count:
            return [{**a, "blocks": _blocks(a)} for a in answers]
        time.sleep(0.05)
    raise AssertionError(f"no answer in thread {ts}: {slack.calls}")


def _blocks(params: dict) -> list[dict]:
    """slack_sdk sends blocks as JSON in a form field or as a JSON body; either way, a list here."""
    blocks = params.get("blocks", [])
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def test_mention_is_answered_in_its_thread_with_citations_and_feedback_buttons(bot: Bot) -> None:
    response = bot.event(mention(ANSWERABLE, "1690000000.000001"), "Ev-answer")
    assert response.status_code == 200
    (update,) = updates_of(bot.slack, "1690000000.000001")
    assert update["channel"] == "C1"
    blocks = update["blocks"]
    shown = texts(blocks)
    assert "[1]" in blocks[0]["text"]["text"]
    assert f"<{PUBLIC_URL}/sources/" in shown and "p. " in shown  # a source a person can open, with its page
    buttons = blocks[-1]
    assert buttons["type"] == "actions"
    assert {b["action_id"] for b in buttons["elements"]} == {"feedback_up", "feedback_down"}
    assert buttons["elements"][0]["value"]

    # A 👍 click is stored as feedback, with who gave it, and thanked privately.
    payload = {
        "type": "block_actions",
        "user": {"id": "U1"},
        "team": {"id": "T1"},
        "api_app_id": "A1",
        "channel": {"id": "C1"},
        "container": {"type": "message", "message_ts": update["ts"], "channel_id": "C1"},
        "message": {"text": update["text"], "ts": update["ts"]},
        "response_url": bot.slack.response_url("click"),
        "trigger_id": "t1",
        "actions": [{**buttons["elements"][0], "block_id": "feedback", "action_ts": "1"}],
    }
    assert bot.form({"payload": json.dumps(payload)}).status_code == 200
    thanks = bot.slack.wait_for("response:click")[-1].params
    assert thanks["response_type"] == "ephemeral" and "Thank you" in thanks["text"]
    rated = [row for row in bot.assistant.feedback.export() if row["channel"] == "slack"]
    assert rated and rated[-1]["rating"] == 1 and rated[-1]["user"] == "U1"
    assert rated[-1]["question"] == ANSWERABLE


def test_with_a_language_model_the_thread_shows_writing_then_the_written_answer(bot: Bot) -> None:
    chat = ChatServer()
    chat.reply = (
        "SEGIB's South-South cooperation programme is funded by participant country contributions [1]."
    )
    with serve(chat.app) as url:
        options = AnswerSettings(
            generator="openai", prompts_dir=PROMPTS, openai=OpenAISettings(base_url=f"{url}/v1", model="m")
        )
        bot.assistant.responder.writer = OpenAIChatWriter(options)
        try:
            bot.event(mention(ANSWERABLE, "1690000000.000009"), "Ev-writing")
            writing, final = updates_of(bot.slack, "1690000000.000009", count=2)
        finally:
            bot.assistant.responder.writer = None
    assert "Writing a short answer…" in texts(writing["blocks"])
    assert "one percent of the SEGIB cooperation" in texts(writing["blocks"])
    assert "Writing" not in texts(final["blocks"])
    assert final["blocks"][0]["text"]["text"].startswith(
        "SEGIB's South-South cooperation programme is funded"
    )


def test_when_the_model_s_line_is_full_the_thread_gets_the_quoted_answer(bot: Bot) -> None:
    responder = bot.assistant.responder
    # A writer at an address nothing listens on: asking it would fail, so it must not be asked.
    nowhere = OpenAISettings(base_url="http://127.0.0.1:9/v1", model="m")
    options = AnswerSettings(generator="openai", prompts_dir=PROMPTS, openai=nowhere)
    responder.writer, responder.queue = OpenAIChatWriter(options), GenerationQueue(size=0)
    try:
        with model_held(responder.queue):  # another question's
            bot.event(mention(ANSWERABLE, "1690000000.000010"), "Ev-busy")
            (update,) = updates_of(bot.slack, "1690000000.000010")
    finally:
        responder.writer, responder.queue = None, None
    assert "Sorry" not in update["text"] and "Writing" not in texts(update["blocks"])
    assert "one percent of the SEGIB cooperation" in texts(update["blocks"])


def test_a_retried_event_is_answered_once(bot: Bot) -> None:
    event = mention(ANSWERABLE, "1690000000.000002")
    assert bot.event(event, "Ev-retry").status_code == 200
    updates_of(bot.slack, "1690000000.000002")
    again = bot.event(event, "Ev-retry", **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert again.status_code == 200
    time.sleep(2)
    posted = [c for c in bot.slack.calls if c.params.get("thread_ts") == "1690000000.000002"]
    assert len(posted) == 1


def test_follow_up_in_the_thread_continues_the_conversation(bot: Bot) -> None:
    first_ts = "1690000000.000003"
    bot.event(mention(ANSWERABLE, first_ts), "Ev-first")
    updates_of(bot.slack, first_ts)
    bot.event(
        mention("And which other contributions does it receive?", "1690000000.000004", first_ts), "Ev-2"
    )
    updates_of(bot.slack, first_ts, count=2)
    from assistant.slack.state import SlackState

    state = SlackState(bot.assistant.settings.data_dir / "slack.sqlite")
    try:
        conversation = state.conversation("C1", first_ts)
    finally:
        state.close()
    assert conversation is not None
    conversations = bot.assistant.responder.conversations
    assert conversations is not None
    assert [t.question for t in conversations.history(conversation)][-2:] == [
        ANSWERABLE,
        "And which other contributions does it receive?",
    ]


def test_unanswerable_question_gets_the_not_in_corpus_reply(bot: Bot) -> None:
    bot.event(mention(UNANSWERABLE, "1690000000.000005"), "Ev-abstain")
    (update,) = updates_of(bot.slack, "1690000000.000005")
    shown = texts(update["blocks"])
    assert "Not in the corpus" in shown and "/sources/" not in shown


def test_direct_message_is_answered(bot: Bot) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "user": "U1",
        "text": ANSWERABLE,
        "ts": "1690000000.000006",
    }
    event["channel"] = "D1"
    bot.event(event, "Ev-dm")
    (update,) = updates_of(bot.slack, "1690000000.000006")
    assert update["channel"] == "D1"
    # The bot's own messages come back as events too: they are not answered.
    own = {**event, "ts": "1690000000.000007", "bot_id": "BBOT", "subtype": "bot_message"}
    bot.event(own, "Ev-own")
    time.sleep(1)
    assert not [c for c in bot.slack.calls if c.params.get("thread_ts") == "1690000000.000007"]


def test_slash_command_acknowledges_in_time_then_answers(bot: Bot) -> None:
    started = time.perf_counter()
    response = bot.form(
        {
            "command": "/ask",
            "text": ANSWERABLE,
            "user_id": "U1",
            "channel_id": "C1",
            "team_id": "T1",
            "response_url": bot.slack.response_url("command"),
            "trigger_id": "t2",
        }
    )
    assert response.status_code == 200 and time.perf_counter() - started < 3
    assert "Searching" in response.text
    (answer,) = bot.slack.wait_for("response:command")
    assert answer.params["response_type"] == "ephemeral"
    assert "[1]" in texts(_blocks(answer.params))


def test_a_failing_assistant_becomes_a_polite_message(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the index is on fire")

    monkeypatch.setattr(bot.assistant.responder, "ask_stream", broken)
    bot.event(mention(ANSWERABLE, "1690000000.000008"), "Ev-broken")
    (update,) = updates_of(bot.slack, "1690000000.000008")
    assert "Sorry, something went wrong" in update["text"]


@pytest.mark.parametrize("forgery", ["signature", "stale"])
def test_forged_or_stale_requests_are_rejected(bot: Bot, forgery: str) -> None:
    body = json.dumps(
        {"type": "event_callback", "event_id": "Ev-forged", "event": mention(ANSWERABLE, "1.2")}
    )
    if forgery == "stale":
        response = bot.post(body, "application/json", timestamp=int(time.time()) - 600)
    else:
        signature = SignatureVerifier("not-the-secret").generate_signature(
            timestamp=str(int(time.time())), body=body
        )
        headers = {"X-Slack-Signature": signature, "X-Slack-Request-Timestamp": str(int(time.time()))}
        response = client.post(f"{bot.url}/slack/events", content=body, headers=headers)
    assert response.status_code == 401
