"""The state behind the simulated DingTalk: one organisation with one robot app."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.clock import Clock
from bot.devtools.sim.dingtalk_feed import Feed, SimCard

TOKEN_TTL_S = 7200
SESSION_TTL_S = 90 * 60  # a sessionWebhook lives about 90 minutes
DOWNLOAD_URL_TTL_S = 3600


def api_error(status: int, code: str, message: str) -> web.Response:
    """DingTalk's v1.0 error shape."""
    return web.json_response(
        {"code": code, "message": message, "requestid": uuid.uuid4().hex.upper()}, status=status
    )


@dataclass
class Upload:
    data: bytes
    filename: str
    kind: str


@dataclass
class Tenant:
    clock: Clock
    app_key: str = field(default_factory=lambda: "ding" + secrets.token_hex(8))
    app_secret: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    base_url: str = ""
    tokens: dict[str, int] = field(default_factory=dict)  # token → expires (ms)
    token_requests: int = 0
    feed: Feed = field(default_factory=Feed)
    invalid_staff: set[str] = field(default_factory=set)
    flow_control: dict[str, int] = field(default_factory=dict)  # staffId → sends to refuse
    files: dict[str, bytes] = field(default_factory=dict)  # downloadCode → bytes
    download_urls: dict[str, tuple[str, int]] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)  # downloadCodes fetched, in order
    uploads: dict[str, Upload] = field(default_factory=dict)
    sessions: dict[str, tuple[str, int]] = field(default_factory=dict)  # id → recipient, expiry
    cards: dict[str, SimCard] = field(default_factory=dict)
    # Published card templates; None accepts any id (most tests do not care which).
    card_templates: set[str] | None = None
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (path, body) log

    @property
    def robot_code(self) -> str:
        return self.app_key  # enterprise-internal robots use the app key

    def issue_token(self) -> str:
        token = secrets.token_hex(16)
        self.tokens[token] = self.clock.ms() + TOKEN_TTL_S * 1000
        self.token_requests += 1
        return token

    def token_ok(self, token: str | None) -> bool:
        return bool(token) and self.tokens.get(token or "", 0) > self.clock.ms()

    def revoke_tokens(self) -> None:
        self.tokens.clear()

    def new_session(self, recipient: str) -> tuple[str, int]:
        sid = secrets.token_urlsafe(24)
        expires = self.clock.ms() + SESSION_TTL_S * 1000
        self.sessions[sid] = (recipient, expires)
        return f"{self.base_url}/robot/sendBySession?session={sid}", expires

    def add_file(self, data: bytes) -> str:
        code = "dc" + secrets.token_urlsafe(24)
        self.files[code] = data
        return code

    def take_flow_control(self, user: str) -> bool:
        left = self.flow_control.get(user, 0)
        if left <= 0:
            return False
        self.flow_control[user] = left - 1
        return True
