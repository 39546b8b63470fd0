"""Socket Mode: the bot opens a WebSocket to Slack, for workspaces where the API has no public URL."""

from __future__ import annotations

from slack_bolt.adapter.socket_mode import SocketModeHandler

from assistant.settings import Settings
from assistant.slack.bot import build_slack_app, require_credentials
from assistant.slack.state import SlackState
from assistant.wiring import Assistant, build


def socket_mode_handler(settings: Settings, assistant: Assistant, state: SlackState) -> SocketModeHandler:
    require_credentials(settings, socket_mode=True)
    assert settings.slack.app_token is not None
    app = build_slack_app(settings, assistant, state)
    return SocketModeHandler(app, settings.slack.app_token.get_secret_value(), web_client=app.client)


def run_socket_mode(settings: Settings) -> None:
    """Blocks until interrupted. Credentials are checked before the index is opened (minutes saved)."""
    require_credentials(settings, socket_mode=True)
    assistant = build(settings)
    state = SlackState(settings.data_dir / "slack.sqlite")
    try:
        socket_mode_handler(settings, assistant, state).start()
    finally:
        state.close()
        assistant.close()
