"""The decision for one request: which key it carries, whether that key may do this from this
origin, and whether its quotas allow it. Plain values in, an error or a key out: the web layer only
reads the headers."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.access.keys import ApiKey, KeyStore, Scope
from assistant.access.quotas import Quota, QuotaCounter
from assistant.errors import Forbidden, RateLimited, Unauthorized
from assistant.settings import AccessSettings

DAY = 86_400
MINUTE = 60
_WHAT = {
    "ip": "questions per minute from this address",
    "key": "questions per day for this key",
    "conversation": "questions per day in one conversation",
}


@dataclass
class Gate:
    settings: AccessSettings
    keys: KeyStore
    quotas: QuotaCounter

    def admit(self, token: str | None, scope: Scope, origin: str | None) -> ApiKey | None:
        """The caller's key; None only when keys are switched off (local development)."""
        if not self.settings.require_keys:
            return None
        if not token:
            raise Unauthorized("an API key is required: send it as X-API-Key (or Authorization: Bearer)")
        key = self.keys.verify(token)
        if key is None:
            raise Unauthorized("the API key is not valid (unknown, malformed or revoked)")
        if scope == "admin" and key.scope != "admin":
            raise Forbidden("this route needs an admin key (sk_…); this is a public key")
        if key.scope == "ask" and key.origins and origin and origin not in key.origins:
            raise Forbidden(f"this key may not be used from {origin}")
        return key

    def spend(self, key: ApiKey | None, client_ip: str, conversation_id: str | None = None) -> None:
        """Count one question against the client's per-minute, the key's per-day and the
        conversation's quotas; raise RateLimited with the wait when one is spent."""
        limits = self.settings
        quotas = [Quota(f"ip:{client_ip}", limits.ip_per_minute, MINUTE)]
        if key is not None and key.scope == "ask":
            quotas.append(
                Quota(
                    f"key:{key.key_id}",
                    key.daily_quota if key.daily_quota is not None else limits.key_daily_quota,
                    DAY,
                )
            )
        if conversation_id:
            quotas.append(Quota(f"conversation:{conversation_id}", limits.conversation_daily_quota, DAY))
        spent = self.quotas.spend(quotas)
        if spent is not None:
            quota, wait = spent
            what = _WHAT[quota.subject.split(":", 1)[0]]
            raise RateLimited(f"quota of {quota.limit} {what} reached; retry in {wait} s", wait)

    def close(self) -> None:
        self.keys.close()
        self.quotas.close()
