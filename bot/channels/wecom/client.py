"""A small async client for the WeCom endpoints the bot uses.

One ClientSession per app (opened in ``start``), a timeout on every call, the access token cached
and refreshed before it expires. WeCom may revoke a token early: a token error refreshes once and
retries once. ``-1`` (busy) is retried a few times with backoff. Tokens never reach a log line or
an exception message.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from bot.channels.base import DeliveryResult, RetryLater, Undeliverable
from bot.clock import Clock
from bot.config.channels import WecomApp

log = logging.getLogger(__name__)

TOKEN_ERRORS = frozenset({40014, 42001, 41001})
BUSY = -1
BUSY_RETRIES = 3
BUSY_BACKOFF_S = (0.2, 0.5, 1.0)
REFRESH_MARGIN_S = 300  # renew five minutes before WeCom's expiry
ALL_INVALID = 81013
RATE_LIMITED = 45009
# Configuration problems an admin can fix (bad secret/corp id, server IP not trusted): retry
# slowly rather than bury the message.
CONFIG_ERRORS = frozenset({40001, 40013, 40056, 60020, 48002})


class WecomApiError(Exception):
    def __init__(self, errcode: int, errmsg: str, data: dict[str, Any] | None = None) -> None:
        super().__init__(f"errcode {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg
        self.data = data or {}


class WecomTransportError(Exception):
    """The request did not get a usable answer (network, timeout, HTTP error, not JSON)."""


FormFactory = Callable[[], aiohttp.FormData]


class WecomClient:
    def __init__(
        self,
        app: WecomApp,
        clock: Clock,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.app = app
        self.clock = clock
        self._sleep = sleep
        self._session: aiohttp.ClientSession | None = None
        self._token: str | None = None
        self._token_until_ms = 0
        self._token_lock = asyncio.Lock()

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(
            base_url=self.app.api_base,
            timeout=aiohttp.ClientTimeout(total=self.app.timeout_s),
        )

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("WecomClient is not started")
        return self._session

    # ------------------------------------------------------------------ token
    async def token(self, stale: str | None = None) -> str:
        """The cached token; a new one when it is about to expire or ``stale`` was rejected."""
        async with self._token_lock:
            now = self.clock.ms()
            current = self._token
            if current is not None and now < self._token_until_ms and current != stale:
                return current
            params = {
                "corpid": self.app.corp_id,
                "corpsecret": self.app.secret.get_secret_value(),
            }
            _, _, body = await self._http("GET", "gettoken", params=params)
            data = _json(body)
            if data.get("errcode", 0) != 0:
                raise WecomApiError(int(data["errcode"]), str(data.get("errmsg", "")))
            self._token = str(data["access_token"])
            lifetime = int(data.get("expires_in", 7200))
            self._token_until_ms = now + max(lifetime - REFRESH_MARGIN_S, lifetime // 2) * 1000
            return self._token

    # ------------------------------------------------------------------ calls
    async def call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
        form: FormFactory | None = None,
    ) -> dict[str, Any]:
        result = await self._call(method, path, params=params, body=body, form=form, raw=False)
        assert isinstance(result, dict)
        return result

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None,
        body: dict[str, Any] | None,
        form: FormFactory | None,
        raw: bool,
    ) -> dict[str, Any] | tuple[bytes, str]:
        token = await self.token()
        refreshed, busy = False, 0
        while True:
            query = {**(params or {}), "access_token": token}
            _, ctype, content = await self._http(
                method, path, params=query, body=body, form=form() if form else None
            )
            if raw and not _is_json(ctype):
                return content, ctype
            data = _json(content)
            code = int(data.get("errcode", 0))
            if code == 0:
                return data
            if code in TOKEN_ERRORS and not refreshed:
                refreshed = True
                token = await self.token(stale=token)
                continue
            if code == BUSY and busy < BUSY_RETRIES:
                await self._sleep(BUSY_BACKOFF_S[busy])
                busy += 1
                continue
            raise WecomApiError(code, str(data.get("errmsg", "")), data)

    async def _http(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str],
        body: dict[str, Any] | None = None,
        form: aiohttp.FormData | None = None,
    ) -> tuple[int, str, bytes]:
        payload: Any = form
        headers = None
        if body is not None:
            payload = json.dumps(body, ensure_ascii=False).encode()
            headers = {"Content-Type": "application/json; charset=utf-8"}
        try:
            async with self.session.request(
                method, path, params=params, data=payload, headers=headers
            ) as resp:
                content = await resp.read()
                if resp.status != 200:
                    raise WecomTransportError(f"HTTP {resp.status} from {path}")
                return resp.status, resp.headers.get("Content-Type", ""), content
        except (aiohttp.ClientError, TimeoutError) as exc:
            # Only the path: the full URL carries the access token.
            raise WecomTransportError(f"{type(exc).__name__} calling {path}") from None

    # ------------------------------------------------------------------ endpoints
    async def send(self, message: dict[str, Any]) -> dict[str, Any]:
        return await self.call("POST", "message/send", body=message)

    async def send_to(self, recipient: str, msgtype: str, body: dict[str, Any]) -> dict[str, Any]:
        """message/send of one ``msgtype`` message to one member, from this app."""
        return await self.send(
            {"touser": recipient, "msgtype": msgtype, "agentid": self.app.agent_id, msgtype: body}
        )

    async def update_template_card(self, update: dict[str, Any]) -> dict[str, Any]:
        return await self.call("POST", "message/update_template_card", body=update)

    async def upload(self, kind: str, filename: str, content_type: str, data: bytes) -> str:
        def form() -> aiohttp.FormData:
            # Unquoted: WeCom shows the filename as sent, and "%E6%BC%8F…" is not a name.
            fd = aiohttp.FormData(quote_fields=False)
            fd.add_field("media", data, filename=filename, content_type=content_type)
            return fd

        result = await self.call("POST", "media/upload", params={"type": kind}, form=form)
        return str(result["media_id"])

    async def get_media(self, media_id: str) -> tuple[bytes, str]:
        """The file's bytes and content type; WeCom answers errors as JSON with HTTP 200."""
        result = await self._call(
            "GET", "media/get", params={"media_id": media_id}, body=None, form=None, raw=True
        )
        if isinstance(result, dict):  # errcode 0 yet JSON: there is no file in it
            raise WecomApiError(0, "media/get answered JSON without a file", result)
        return result

    async def user(self, userid: str) -> dict[str, Any]:
        return await self.call("GET", "user/get", params={"userid": userid})

    async def departments(self, department_id: int | None = None) -> list[dict[str, Any]]:
        params = {"id": str(department_id)} if department_id is not None else None
        result = await self.call("GET", "department/list", params=params)
        return list(result.get("department", []))


def invalid_users(answer: dict[str, Any]) -> set[str]:
    """The members message/send could not reach (``invaliduser``: "a|b", or a list)."""
    value = answer.get("invaliduser") or ""
    if isinstance(value, list):
        return {str(v) for v in value}
    return {v for v in str(value).split("|") if v}


def failure_of(exc: WecomApiError) -> DeliveryResult:
    """What a refused send means for the outbox: wait and retry, or give up."""
    code = exc.errcode
    if code == RATE_LIMITED:
        return RetryLater(60, "WeCom API rate limit (45009)")
    if code == BUSY or code in TOKEN_ERRORS:
        return RetryLater(10, str(exc))
    if code in CONFIG_ERRORS:
        return RetryLater(300, f"WeCom configuration problem: {exc}")
    if code == ALL_INVALID:
        return Undeliverable("every recipient is invalid (81013)")
    return Undeliverable(str(exc))


def _is_json(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind in ("application/json", "text/plain", "text/json")


def _json(content: bytes) -> dict[str, Any]:
    try:
        data = json.loads(content)
    except ValueError:
        raise WecomTransportError("answer is not JSON") from None
    if not isinstance(data, dict):
        raise WecomTransportError("answer is not a JSON object")
    return data
