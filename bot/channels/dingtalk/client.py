"""The DingTalk OpenAPI (v1.0) as the bot uses it: token, robot messages, files, cards.

Errors come back as HTTP 4xx/5xx with ``{code, message, requestid}``; :class:`ApiError` keeps
them so the channel can tell a permanent refusal from a reason to retry.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.clock import Clock

log = logging.getLogger(__name__)

BATCH_LIMIT = 20  # oToMessages/batchSend takes at most 20 users a call
TOKEN_MARGIN_MS = 5 * 60_000  # refresh five minutes before DingTalk says the token expires
_THROTTLE_HINTS = ("qpslimit", "throttl", "too.fast", "toofast", "flowcontrol", "ratelimit")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"HTTP {status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message

    @property
    def throttled(self) -> bool:
        text = f"{self.code} {self.message}".lower()
        return self.status == 429 or any(h in text for h in _THROTTLE_HINTS)

    @property
    def transient(self) -> bool:
        # 401 here means a fresh token was refused too: a credential problem worth retrying later.
        return self.status >= 500 or self.status in (408, 401) or self.throttled

    @property
    def already_exists(self) -> bool:
        return "exist" in f"{self.code} {self.message}".lower() and self.status < 500


@dataclass
class BatchResult:
    invalid: set[str] = field(default_factory=set)
    flow_controlled: set[str] = field(default_factory=set)
    keys: list[str] = field(default_factory=list)


class OpenApi:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base: str,
        oapi_base: str,
        app_key: str,
        app_secret: str,
        robot_code: str,
        clock: Clock,
    ) -> None:
        self.session = session
        self.base = base
        self.oapi_base = oapi_base
        self.app_key = app_key
        self.app_secret = app_secret
        self.robot_code = robot_code
        self.clock = clock
        self._token: str | None = None
        self._token_until_ms = 0
        self._token_lock = asyncio.Lock()

    # --- token ------------------------------------------------------------------------------

    async def token(self) -> str:
        if self._token and self.clock.ms() < self._token_until_ms:
            return self._token
        async with self._token_lock:  # one refresh for all callers waiting on it
            if self._token and self.clock.ms() < self._token_until_ms:
                return self._token
            body = await self._json(
                "POST",
                f"{self.base}/v1.0/oauth2/accessToken",
                {"appKey": self.app_key, "appSecret": self.app_secret},
            )
            token = str(body.get("accessToken") or "")
            if not token:
                raise ApiError(502, "noToken", "accessToken missing from the answer")
            expires_in_ms = int(body.get("expireIn") or 7200) * 1000
            self._token = token
            self._token_until_ms = self.clock.ms() + max(expires_in_ms - TOKEN_MARGIN_MS, 0)
            return token

    def forget_token(self, token: str) -> None:
        if self._token == token:
            self._token = None

    # --- plumbing ---------------------------------------------------------------------------

    async def _json(
        self,
        method: str,
        url: str,
        body: dict[str, Any] | None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        async with self.session.request(method, url, json=body, headers=headers) as resp:
            text = await resp.text()
            try:
                data = json.loads(text) if text else {}
            except json.JSONDecodeError:
                data = {"message": text[:200]}
            if not isinstance(data, dict):
                data = {"result": data}
            if resp.status >= 400:
                raise ApiError(
                    resp.status, str(data.get("code") or ""), str(data.get("message") or "")
                )
            errcode = data.get("errcode")
            if errcode not in (None, 0, "0"):
                # The legacy envelope: HTTP 200 yet a failure. -1 is "system busy" (retry);
                # taking it for success would lose the message.
                status = 503 if str(errcode) == "-1" else 400
                raise ApiError(status, str(errcode), str(data.get("errmsg") or ""))
            return data

    async def call(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """A v1.0 call with the token; a 401 refetches the token once and tries again."""
        for attempt in (1, 2):
            token = await self.token()
            try:
                return await self._json(
                    method,
                    f"{self.base}{path}",
                    body,
                    {"x-acs-dingtalk-access-token": token},
                )
            except ApiError as exc:
                if exc.status != 401 or attempt == 2:
                    raise
                log.warning("DingTalk rejected the access token; fetching a new one")
                self.forget_token(token)
        raise AssertionError("unreachable")

    # --- robot messages ---------------------------------------------------------------------

    async def batch_send(
        self, user_ids: Sequence[str], msg_key: str, msg_param: dict[str, Any]
    ) -> BatchResult:
        """1:1 messages; msgParam travels as a JSON *string*; ≤ 20 users per call."""
        result = BatchResult()
        param = json.dumps(msg_param, ensure_ascii=False)
        for i in range(0, len(user_ids), BATCH_LIMIT):
            body = await self.call(
                "POST",
                "/v1.0/robot/oToMessages/batchSend",
                {
                    "robotCode": self.robot_code,
                    "userIds": list(user_ids[i : i + BATCH_LIMIT]),
                    "msgKey": msg_key,
                    "msgParam": param,
                },
            )
            result.invalid |= {str(u) for u in body.get("invalidStaffIdList") or []}
            result.flow_controlled |= {str(u) for u in body.get("flowControlledStaffIdList") or []}
            result.keys.append(str(body.get("processQueryKey") or ""))
        return result

    async def group_send(
        self, open_conversation_id: str, msg_key: str, msg_param: dict[str, Any]
    ) -> str:
        body = await self.call(
            "POST",
            "/v1.0/robot/groupMessages/send",
            {
                "robotCode": self.robot_code,
                "openConversationId": open_conversation_id,
                "msgKey": msg_key,
                "msgParam": json.dumps(msg_param, ensure_ascii=False),
            },
        )
        return str(body.get("processQueryKey") or "")

    async def session_send(self, webhook: str, body: dict[str, Any]) -> bool:
        """Reply through a sessionWebhook; HTTP 200 can still carry a failure in ``errcode``."""
        try:
            data = await self._json("POST", webhook, body)
        except ApiError as exc:
            log.info("sessionWebhook refused (%s); using the OpenAPI", exc.status)
            return False
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.info("sessionWebhook unreachable (%s); using the OpenAPI", type(exc).__name__)
            return False
        if int(data.get("errcode") or 0) != 0:
            log.info("sessionWebhook errcode %s; using the OpenAPI", data.get("errcode"))
            return False
        return True

    # --- files ------------------------------------------------------------------------------

    async def download(self, download_code: str, limit: int) -> bytes:
        body = await self.call(
            "POST",
            "/v1.0/robot/messageFiles/download",
            {"downloadCode": download_code, "robotCode": self.robot_code},
        )
        url = str(body.get("downloadUrl") or "")
        if not url:
            raise ApiError(502, "noDownloadUrl", "downloadUrl missing from the answer")
        async with self.session.get(url) as resp:  # a temporary URL: fetch it at once
            if resp.status != 200:
                raise ApiError(resp.status, "download", "file download failed")
            data = await resp.content.read(limit + 1)
        if len(data) > limit:
            raise ApiError(413, "tooLarge", f"file larger than {limit} bytes")
        return data

    async def upload(self, data: bytes, filename: str, kind: str, content_type: str) -> str:
        """Upload through the legacy media API (the only one robots can send from) → media_id."""
        for attempt in (1, 2):
            token = await self.token()
            form = aiohttp.FormData()
            form.add_field("type", kind)
            form.add_field("media", data, filename=filename, content_type=content_type)
            url = f"{self.oapi_base}/media/upload"
            params = {"access_token": token, "type": kind}
            async with self.session.post(url, data=form, params=params) as resp:
                body = await resp.json(content_type=None)
            errcode = int(body.get("errcode") or 0)
            if resp.status == 200 and errcode == 0 and body.get("media_id"):
                return str(body["media_id"])
            if errcode in (40014, 42001) and attempt == 1:  # invalid / expired token
                self.forget_token(token)
                continue
            raise ApiError(resp.status if resp.status >= 400 else 400, str(errcode), str(body))
        raise AssertionError("unreachable")

    # --- cards ------------------------------------------------------------------------------

    async def create_and_deliver(self, body: dict[str, Any]) -> dict[str, Any]:
        return await self.call("POST", "/v1.0/card/instances/createAndDeliver", body)

    async def deliver_card(self, body: dict[str, Any]) -> dict[str, Any]:
        return await self.call("POST", "/v1.0/card/instances/deliver", body)

    async def update_card(self, body: dict[str, Any]) -> dict[str, Any]:
        return await self.call("PUT", "/v1.0/card/instances", body)
