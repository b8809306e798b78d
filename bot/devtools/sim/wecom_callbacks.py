"""Callbacks as WeCom sends them: plaintext XML, encrypted and signed, posted with its timing.

Encryption uses wechatpy's PrpCrypto (not the bot's own code path), and the signature is
computed here, so the simulator checks the bot rather than agreeing with it by construction.
WeCom waits 5 s for an answer and resends the identical request on a timeout or a non-200,
three tries in all; the pause between tries is undocumented, so it is a setting.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
from wechatpy.enterprise.crypto import PrpCrypto
from yarl import URL


def cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def message_xml(fields: dict[str, Any], selected: dict[str, list[str]] | None = None) -> str:
    """WeCom's plaintext layout: strings in CDATA, numbers bare, SelectedItems nested."""
    parts = ["<xml>"]
    for name, value in fields.items():
        text = str(value) if isinstance(value, int) else cdata(str(value))
        parts.append(f"<{name}>{text}</{name}>")
    if selected is not None:
        parts.append("<SelectedItems>")
        for key, options in selected.items():
            ids = "".join(f"<OptionId>{cdata(o)}</OptionId>" for o in options)
            parts.append(
                f"<SelectedItem><QuestionKey>{cdata(key)}</QuestionKey>"
                f"<OptionIds>{ids}</OptionIds></SelectedItem>"
            )
        parts.append("</SelectedItems>")
    parts.append("</xml>")
    return "".join(parts)


@dataclass(frozen=True)
class SignedRequest:
    """One callback exactly as it goes on the wire; resending it resends these bytes."""

    query: str
    body: bytes
    plaintext: str


@dataclass
class CallbackResult:
    request: SignedRequest
    statuses: list[int | None] = field(default_factory=list)  # None: timed out / no connection
    seconds: list[float] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. the media id of a voice note

    @property
    def ok(self) -> bool:
        return bool(self.statuses) and self.statuses[-1] == 200

    @property
    def attempts(self) -> int:
        return len(self.statuses)


class Signer:
    def __init__(self, token: str, key: bytes, corp_id: str, agent_id: int) -> None:
        self.token = token
        self.corp_id = corp_id
        self.agent_id = agent_id
        self._prp = PrpCrypto(key)

    def signature(self, timestamp: str, nonce: str, encrypt: str) -> str:
        joined = "".join(sorted([self.token, timestamp, nonce, encrypt]))
        return hashlib.sha1(joined.encode()).hexdigest()

    def encrypt(self, plaintext: str) -> str:
        return self._prp.encrypt(plaintext, self.corp_id).decode()

    def sign_message(self, plaintext: str, timestamp: int) -> SignedRequest:
        encrypt = self.encrypt(plaintext)
        ts, nonce = str(timestamp), str(secrets.randbelow(10**10))
        body = (
            f"<xml><ToUserName>{cdata(self.corp_id)}</ToUserName>"
            f"<Encrypt>{cdata(encrypt)}</Encrypt>"
            f"<AgentID>{cdata(str(self.agent_id))}</AgentID></xml>"
        ).encode()
        query = urlencode(
            {"msg_signature": self.signature(ts, nonce, encrypt), "timestamp": ts, "nonce": nonce}
        )
        return SignedRequest(query, body, plaintext)

    def sign_url_check(self, echo: str, timestamp: int) -> SignedRequest:
        encrypt = self.encrypt(echo)
        ts, nonce = str(timestamp), str(secrets.randbelow(10**10))
        query = urlencode(
            {
                "msg_signature": self.signature(ts, nonce, encrypt),
                "timestamp": ts,
                "nonce": nonce,
                "echostr": encrypt,
            }
        )
        return SignedRequest(query, b"", echo)


class Poster:
    """Posts callbacks to the bot with WeCom's timeout and retries."""

    def __init__(self, *, timeout_s: float, retry_interval_s: float, tries: int = 3) -> None:
        self.timeout_s = timeout_s
        self.retry_interval_s = retry_interval_s
        self.tries = tries
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession()

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def deliver(
        self, url: str, request: SignedRequest, tries: int | None = None
    ) -> CallbackResult:
        result = CallbackResult(request)
        for attempt in range(tries or self.tries):
            if attempt:
                await asyncio.sleep(self.retry_interval_s)
            status = await self.post_once(url, request, result)
            if status == 200:
                break
        return result

    async def post_once(
        self, url: str, request: SignedRequest, result: CallbackResult
    ) -> int | None:
        await self.start()
        assert self._session is not None
        started = time.perf_counter()
        status: int | None = None
        try:
            async with self._session.post(
                URL(f"{url}?{request.query}", encoded=True),  # the bytes as signed, unchanged
                data=request.body,
                headers={"Content-Type": "text/xml"},
                timeout=aiohttp.ClientTimeout(total=self.timeout_s),
            ) as resp:
                await resp.read()
                status = resp.status
        except (TimeoutError, aiohttp.ClientError):
            status = None  # WeCom drops the connection and tries again
        result.statuses.append(status)
        result.seconds.append(time.perf_counter() - started)
        return status

    async def get(self, url: str, request: SignedRequest) -> tuple[int, str]:
        await self.start()
        assert self._session is not None
        async with self._session.get(
            URL(f"{url}?{request.query}", encoded=True),
            timeout=aiohttp.ClientTimeout(total=self.timeout_s),
        ) as resp:
            return resp.status, await resp.text()
