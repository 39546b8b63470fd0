"""Slack's HTTP mode inside the FastAPI app: bolt checks the signature and timestamp (401 when
forged or stale), acknowledges, and answers on its own worker threads."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response

from assistant.settings import Settings
from assistant.slack.bot import build_slack_app
from assistant.slack.state import SlackState
from assistant.wiring import Assistant


@dataclass
class SlackEndpoint:
    app: App
    state: SlackState

    @classmethod
    def start(cls, settings: Settings, assistant: Assistant) -> SlackEndpoint:
        state = SlackState(settings.data_dir / "slack.sqlite")
        try:
            return cls(build_slack_app(settings, assistant, state), state)
        except Exception:
            state.close()
            raise

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        # dispatch blocks until the listener acknowledges: off the event loop.
        response = await run_in_threadpool(self.app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(response)

    def close(self) -> None:
        self.state.close()
