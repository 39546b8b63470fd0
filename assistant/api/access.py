"""The web side of access control: read the key, origin and client address from a request and let
the `Gate` decide; answer CORS preflights from the same allowlists."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

from assistant.access.gate import Gate
from assistant.access.keys import ApiKey


class KeyedCORS(CORSMiddleware):
    """CORS that also lets in the origins listed by live public keys, so a key created while the
    server runs works at once from its site. With keys switched off (local development), any origin."""

    def __init__(self, app: ASGIApp, /, gate: Gate, **options: Any) -> None:
        super().__init__(app, **options)
        self.gate = gate

    def is_allowed_origin(self, origin: str) -> bool:
        if not self.gate.settings.require_keys or super().is_allowed_origin(origin):
            return True
        return self.gate.keys.origin_allowed(origin)


def _gate(request: Request) -> Gate:
    gate: Gate = request.app.state.gate
    return gate


def _token(request: Request) -> str | None:
    bearer = request.headers.get("authorization", "")
    if bearer.lower().startswith("bearer "):
        return bearer[7:].strip() or None
    return request.headers.get("x-api-key") or None


def ask_key(request: Request) -> ApiKey | None:
    return _gate(request).admit(_token(request), "ask", request.headers.get("origin"))


def admin_key(request: Request) -> ApiKey | None:
    return _gate(request).admit(_token(request), "admin", request.headers.get("origin"))


def spend(request: Request, key: ApiKey | None, conversation_id: str | None = None) -> None:
    """Charge one question to the caller's quotas (429 with Retry-After when one is spent)."""
    client = request.client.host if request.client else "unknown"
    _gate(request).spend(key, client, conversation_id)


AskKey = Annotated[ApiKey | None, Depends(ask_key)]
AdminKey = Annotated[ApiKey | None, Depends(admin_key)]
