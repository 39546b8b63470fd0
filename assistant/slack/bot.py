"""The bolt app and its listeners. Each listener turns a Slack event into a question for the same
`Responder` the API uses and posts the formatted answer back: no retrieval or prompt logic here."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from assistant.answering.generation_queue import ModelBusy
from assistant.answering.models import Answer, AnswerEvent, Writing
from assistant.errors import NotConfigured, NotFound
from assistant.feedback import Rating
from assistant.settings import Settings
from assistant.slack.formatting import (
    FEEDBACK_DOWN,
    FEEDBACK_UP,
    Message,
    answer_messages,
    labels,
    writing_message,
)
from assistant.slack.state import SlackState
from assistant.wiring import Assistant
from ingest.language import question_language

logger = logging.getLogger(__name__)

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def build_slack_app(settings: Settings, assistant: Assistant, state: SlackState) -> App:
    """The bolt app, verified against Slack (`auth.test`) on creation; refuses to start unconfigured."""
    slack = settings.slack
    require_credentials(settings, socket_mode=False)
    assert slack.bot_token is not None and slack.signing_secret is not None
    token = slack.bot_token.get_secret_value()
    app = App(
        token=token,
        signing_secret=slack.signing_secret.get_secret_value(),
        client=WebClient(token=token, base_url=slack.api_url),
    )
    listeners = SlackListeners(assistant, state, settings.api.base_url)
    app.event("app_mention")(listeners.on_mention)
    app.event("message")(listeners.on_message)
    app.command("/ask")(listeners.on_command)
    app.action(FEEDBACK_UP)(listeners.on_feedback)
    app.action(FEEDBACK_DOWN)(listeners.on_feedback)
    return app


def require_credentials(settings: Settings, socket_mode: bool) -> None:
    """Refuse to start, naming what is missing and where Slack shows it."""
    slack = settings.slack
    missing = [
        f"{name} ({where})"
        for name, value, where in (
            ("SSC_SLACK__BOT_TOKEN", slack.bot_token, "xoxb-…, on the app's 'OAuth & Permissions' page"),
            ("SSC_SLACK__SIGNING_SECRET", slack.signing_secret, "on the app's 'Basic Information' page"),
            (
                "SSC_SLACK__APP_TOKEN",
                slack.app_token if socket_mode else True,
                "xapp-… with connections:write, on 'Basic Information' > 'App-Level Tokens'",
            ),
        )
        if not value
    ]
    if missing:
        raise NotConfigured(
            "the Slack bot cannot start without " + "; ".join(missing) + " (README: Slack bot)"
        )


class SlackListeners:
    def __init__(self, assistant: Assistant, state: SlackState, base_url: str) -> None:
        self.assistant = assistant
        self.state = state
        self.base_url = base_url

    def on_mention(self, event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if self.state.first_delivery(body.get("event_id") or event["ts"]):
            question = _MENTION.sub("", event.get("text", "")).strip()
            self._reply_in_thread(client, event["channel"], event.get("thread_ts") or event["ts"], question)

    def on_message(self, event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        """Direct messages only; channel messages reach the bot as mentions."""
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        if self.state.first_delivery(body.get("event_id") or event["ts"]):
            question = event.get("text", "").strip()
            self._reply_in_thread(client, event["channel"], event.get("thread_ts") or event["ts"], question)

    def on_command(self, ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        """`/ask question`: acknowledged at once (Slack waits 3 s), answered privately when ready."""
        question = command.get("text", "").strip()
        words = labels(question_language(question) if question else "en")
        ack(text=words["working"] if question else words["empty"])
        if question:
            for message in self._answer_or_apology(question, None):
                respond(text=message.text, blocks=message.blocks, response_type="ephemeral")

    def on_feedback(self, ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        rating = Rating(
            answer_id=action["value"],
            rating=1 if action["action_id"] == FEEDBACK_UP else -1,
            user=body.get("user", {}).get("id", ""),
        )
        language = question_language(body.get("message", {}).get("text", "") or "en")
        try:
            self.assistant.feedback.rate(rating)
        except NotFound:
            respond(
                text="This answer is no longer on record.", response_type="ephemeral", replace_original=False
            )
            return
        respond(text=labels(language)["thanks"], response_type="ephemeral", replace_original=False)

    def _reply_in_thread(self, client: WebClient, channel: str, thread_ts: str, question: str) -> None:
        language = question_language(question) if question else "en"
        words = labels(language)
        if not question:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=words["empty"])
            return
        placeholder = client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=words["working"])

        def show_writing(quoted: str) -> None:
            shown = writing_message(quoted, language)
            client.chat_update(channel=channel, ts=placeholder["ts"], text=shown.text, blocks=shown.blocks)

        first, *rest = self._answer_or_apology(question, (channel, thread_ts), show_writing)
        client.chat_update(channel=channel, ts=placeholder["ts"], text=first.text, blocks=first.blocks)
        for message in rest:  # what did not fit in one message's blocks
            client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, text=message.text, blocks=message.blocks
            )

    def _answer_or_apology(
        self, question: str, thread: tuple[str, str] | None, on_writing: Callable[[str], None] | None = None
    ) -> list[Message]:
        """A failure inside the assistant becomes a polite message: never silence in a thread."""
        language = question_language(question)
        try:
            return self._answer(question, thread, language, on_writing)
        except Exception:
            logger.exception("the assistant failed on a Slack question")
            return [Message(labels(language)["failed"])]

    def _answer(
        self,
        question: str,
        thread: tuple[str, str] | None,
        language: str,
        on_writing: Callable[[str], None] | None = None,
    ) -> list[Message]:
        """With a language model, `on_writing` shows the quoted answer while the model writes."""
        conversation = self.state.conversation(*thread) if thread else None
        try:
            stream = _quoted_when_busy(self.assistant.responder.ask_stream, question, conversation)
        except NotFound:  # the thread's history has been pruned: answer it as a new conversation
            stream = _quoted_when_busy(self.assistant.responder.ask_stream, question, None)
        quoted: list[str] = []
        answer = None
        for event in stream:
            if isinstance(event, Answer):
                answer = event
            elif isinstance(event, Writing):
                if on_writing is not None:
                    on_writing(" ".join(quoted))
            elif isinstance(event, str):
                quoted.append(event)
        assert answer is not None
        if thread and answer.conversation_id:
            self.state.remember(*thread, answer.conversation_id)
        answer_id = self.assistant.feedback.log_answer(question, answer, "slack")
        return answer_messages(answer, answer_id, self.base_url, language)


def _quoted_when_busy(
    ask_stream: Callable[..., Iterator[AnswerEvent]], question: str, conversation: str | None
) -> Iterator[AnswerEvent]:
    """The answer, written by the language model when it has room in its line; else the quoted
    answer alone, which needs no model (a thread gets an answer, not an apology)."""
    try:
        return ask_stream(question, conversation_id=conversation)
    except ModelBusy:
        logger.info("language model busy: a Slack question gets the quoted answer alone")
        return ask_stream(question, conversation_id=conversation, write=False)
