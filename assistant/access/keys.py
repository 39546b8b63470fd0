"""API keys, stored hashed in the data directory.

A key reads `pk_<id>_<secret>` (scope `ask`, safe to put in a web page: it only asks, from the
origins it lists, within its quota) or `sk_<id>_<secret>` (scope `admin`: ingest, deletion,
exports). Only a SHA-256 of the secret is kept: the secrets are 32 random bytes, so a slow password
hash would add nothing but latency to every request."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from assistant.errors import InvalidRequest, NotFound
from ingest.sqlite_files import open_database

Scope = Literal["ask", "admin"]
_PREFIX: dict[str, Scope] = {"pk": "ask", "sk": "admin"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS keys (
    key_id TEXT PRIMARY KEY, name TEXT, scope TEXT, secret_sha256 TEXT, origins TEXT,
    daily_quota INTEGER, created REAL, revoked REAL);
"""


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    name: str
    scope: Scope
    origins: tuple[str, ...]  # empty: any origin (server-to-server use)
    daily_quota: int | None  # questions per day; None: the settings' default
    created: float
    revoked: float | None


class KeyStore:
    def __init__(self, path: Path) -> None:
        self._db = open_database(path, _SCHEMA)
        self._lock = threading.Lock()

    def create(
        self, name: str, scope: Scope, origins: list[str] | None = None, daily_quota: int | None = None
    ) -> tuple[ApiKey, str]:
        """A new key and its secret token, which is shown once and never stored."""
        clean = tuple(_origin(o) for o in origins or [])
        key_id = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        prefix = "pk" if scope == "ask" else "sk"
        key = ApiKey(key_id, name, scope, clean, daily_quota, time.time(), None)
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO keys VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                (key_id, name, scope, _digest(secret), json.dumps(clean), daily_quota, key.created),
            )
        return key, f"{prefix}_{key_id}_{secret}"

    def verify(self, token: str) -> ApiKey | None:
        """The live key this token belongs to; None for a malformed, unknown, wrong or revoked one."""
        prefix, _, rest = token.partition("_")
        key_id, _, secret = rest.partition("_")
        if prefix not in _PREFIX or not key_id or not secret:
            return None
        with self._lock:
            row = self._db.execute("SELECT * FROM keys WHERE key_id = ?", (key_id,)).fetchone()
        if row is None or not hmac.compare_digest(row[3], _digest(secret)):
            return None
        key = _key(row)
        if key.revoked is not None or key.scope != _PREFIX[prefix]:
            return None
        return key

    def revoke(self, key_id: str) -> None:
        with self._lock, self._db:
            changed = self._db.execute(
                "UPDATE keys SET revoked = ? WHERE key_id = ? AND revoked IS NULL", (time.time(), key_id)
            )
        if changed.rowcount == 0:
            raise NotFound(f"no live key {key_id!r}")

    def list(self) -> list[ApiKey]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM keys ORDER BY created").fetchall()
        return [_key(row) for row in rows]

    def origin_allowed(self, origin: str) -> bool:
        """Whether any live public key lists this origin (what CORS preflights are answered by)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT origins FROM keys WHERE revoked IS NULL AND origins LIKE ?",
                (f"%{json.dumps(origin)}%",),
            ).fetchall()
        return any(origin in json.loads(row[0]) for row in rows)

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _key(row: tuple) -> ApiKey:
    key_id, name, scope, _, origins, daily_quota, created, revoked = row[:8]
    return ApiKey(key_id, name, scope, tuple(json.loads(origins)), daily_quota, created, revoked)


def _origin(value: str) -> str:
    """`https://ministry.example.org` exactly as browsers send it in `Origin`: scheme, host, port."""
    origin = value.strip().rstrip("/").lower()  # browsers send scheme and host in lower case
    scheme, sep, host = origin.partition("://")
    if scheme not in ("http", "https") or not sep or not host or "/" in host:
        raise InvalidRequest(f"{value!r} is not an origin like https://ministry.example.org")
    return origin
