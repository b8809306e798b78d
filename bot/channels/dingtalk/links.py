"""Signed, expiring links to the bot's approval page (the fallback without a card template).

A token names one card, one DingTalk user and one nonce; the HMAC key is derived from
``server.link_secret`` for this purpose only. Single use is enforced by the inbox: the tap it
performs carries the nonce as its dedupe key, so a second use is a duplicate.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Literal

from bot.clock import Clock

_PURPOSE = b"salesbot dingtalk card link v1"


@dataclass(frozen=True)
class LinkClaims:
    app: str
    card_id: str
    user_id: str
    expires_ms: int
    nonce: str


LinkProblem = Literal["invalid", "expired"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class LinkSigner:
    def __init__(self, secret: str, clock: Clock) -> None:
        if not secret:
            raise ValueError("a link secret is required")
        self._key = hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()
        self.clock = clock

    def _mac(self, body: str) -> str:
        return _b64(hmac.new(self._key, body.encode(), hashlib.sha256).digest())

    def issue(
        self, *, app: str, card_id: str, user_id: str, ttl_s: float
    ) -> tuple[str, LinkClaims]:
        claims = LinkClaims(
            app, card_id, user_id, self.clock.ms() + int(ttl_s * 1000), secrets.token_urlsafe(12)
        )
        raw = {"a": app, "c": card_id, "u": user_id, "e": claims.expires_ms, "n": claims.nonce}
        body = _b64(json.dumps(raw, separators=(",", ":"), ensure_ascii=False).encode())
        return f"{body}.{self._mac(body)}", claims

    def verify(self, token: str) -> LinkClaims | LinkProblem:
        body, _, mac = token.partition(".")
        if not body or not mac or not hmac.compare_digest(self._mac(body), mac):
            return "invalid"
        try:
            raw = json.loads(_unb64(body))
            claims = LinkClaims(
                str(raw["a"]), str(raw["c"]), str(raw["u"]), int(raw["e"]), str(raw["n"])
            )
        except (ValueError, KeyError, TypeError):
            return "invalid"
        if claims.expires_ms <= self.clock.ms():
            return "expired"
        return claims

    @staticmethod
    def dedupe_key(claims: LinkClaims) -> str:
        return f"{claims.app}:link:{claims.nonce}"
