"""A loopback server that speaks the part of Slack's Web API the bot uses (the one fake the Slack
tests allow: Slack's servers cannot be reached from here). It records every call."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Call:
    method: str  # "chat.postMessage", …, or "response:NAME" for a post to response_url(NAME)
    params: dict[str, Any]
    reply: dict[str, Any] = field(default_factory=dict)


@dataclass
class SlackApi:
    base_url: str  # what WebClient(base_url=…) takes: ".../api/"
    calls: list[Call] = field(default_factory=list)
    socket_url: str = ""  # what apps.connections.open hands out

    def wait_for(self, method: str, count: int = 1, timeout: float = 60) -> list[Call]:
        """The calls of `method` once there are `count` of them (the bot answers after its ack)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [c for c in self.calls if c.method == method]
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{method} was called {len(found)} times, not {count}: {self.calls}")

    def response_url(self, name: str) -> str:
        return self.base_url.replace("/api/", f"/response/{name}")


@contextmanager
def slack_api() -> Iterator[SlackApi]:
    timestamps = (f"1700000{n:03d}.000100" for n in itertools.count(1))
    api = SlackApi("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            if self.headers.get("Content-Type", "").startswith("application/json"):
                params = json.loads(raw or "{}")
            else:
                params = {k: v[0] for k, v in parse_qs(raw).items()}
            if self.path.startswith("/response/"):
                api.calls.append(Call("response:" + self.path.removeprefix("/response/"), params))
                self._send("ok", "text/plain")
                return
            method = self.path.removeprefix("/api/")
            if self.headers.get("Authorization") != "Bearer xoxb-test" and method != "apps.connections.open":
                self._send(json.dumps({"ok": False, "error": "invalid_auth"}))
                return
            reply = self._reply(method, params)
            api.calls.append(Call(method, params, reply))
            self._send(json.dumps(reply))

        def _reply(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
            if method == "auth.test":
                return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "ssc"}
            if method == "apps.connections.open":
                return {"ok": True, "url": api.socket_url}
            if method in ("chat.postMessage", "chat.update"):
                ts = params.get("ts") or next(timestamps)
                return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": params}
            if method == "chat.postEphemeral":
                return {"ok": True, "message_ts": next(timestamps)}
            return {"ok": False, "error": "unknown_method"}

        def _send(self, body: str, content_type: str = "application/json") -> None:
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    api.base_url = f"http://127.0.0.1:{server.server_address[1]}/api/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
