"""The callback endpoint: URL check (GET) and encrypted messages (POST).

Everything here is on the ingress hot path: verify, decrypt, parse, persist, answer. No logging
on success, one inbox write (group-committed with concurrent callbacks), an empty 200.
"""

from __future__ import annotations

import logging

from aiohttp import StreamReader, web

from bot.channels.base import ChannelDeps
from bot.channels.wecom.crypto import CallbackRejected, WecomCrypto
from bot.channels.wecom.xmlparse import parse_envelope, to_event
from bot.config.channels import WecomApp

log = logging.getLogger(__name__)


async def read_capped(stream: StreamReader, limit: int) -> bytes | None:
    """The whole body, or None as soon as it grows past ``limit`` (the rest is never read)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await stream.readany()
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)


class CallbackEndpoint:
    def __init__(self, app: WecomApp, crypto: WecomCrypto, deps: ChannelDeps) -> None:
        self.app = app
        self.crypto = crypto
        self.deps = deps
        self._agent = str(app.agent_id) if app.agent_id else ""

    def routes(self) -> list[web.RouteDef]:
        path = self.app.callback_path
        return [web.get(path, self.url_check), web.post(path, self.receive)]

    def _reject(self, request: web.Request, exc: CallbackRejected) -> web.Response:
        self.deps.metrics.rejected.labels("wecom", exc.reason).inc()
        log.warning(
            "wecom callback rejected",
            extra={
                "app": self.app.name,
                "reason": exc.reason,
                "status": exc.status,
                "peer": request.remote or "",
            },
        )
        return web.Response(status=exc.status)

    def _query(self, request: web.Request, *names: str) -> list[str]:
        values = [request.query.get(n, "") for n in names]
        if not all(values):
            raise CallbackRejected(400, "bad_query")
        return values

    async def url_check(self, request: web.Request) -> web.Response:
        try:
            sig, ts, nonce, echostr = self._query(
                request, "msg_signature", "timestamp", "nonce", "echostr"
            )
            # The query decoder turns a '+' that WeCom did not percent-encode into a space;
            # base64 never contains spaces, so putting it back is always right.
            plain = self.crypto.open(sig, ts, nonce, echostr.replace(" ", "+"))
        except CallbackRejected as exc:
            return self._reject(request, exc)
        return web.Response(text=plain, content_type="text/plain")

    async def receive(self, request: web.Request) -> web.Response:
        try:
            limit = self.app.max_body_bytes
            if request.content_length is not None and request.content_length > limit:
                raise CallbackRejected(413, "too_large")
            sig, ts, nonce = self._query(request, "msg_signature", "timestamp", "nonce")
            if not ts.isdecimal():
                raise CallbackRejected(400, "bad_query")
            if abs(self.deps.clock.ms() // 1000 - int(ts)) > self.app.replay_window_s:
                raise CallbackRejected(403, "stale")
            body = await read_capped(request.content, limit)
            if body is None:
                raise CallbackRejected(413, "too_large")
            envelope = parse_envelope(body)
            plain = self.crypto.open(sig, ts, nonce, envelope.encrypt)
            event = to_event(plain, self.app.name)
            if (
                event is not None
                and self._agent
                and event.raw.get("AgentID") not in ("", self._agent)
            ):
                raise CallbackRejected(403, "wrong_agent")
        except CallbackRejected as exc:
            return self._reject(request, exc)
        if event is not None:
            try:
                # A replay or WeCom's own retry is a duplicate key: acknowledged, nothing new.
                await self.deps.inbox.put(event)
            except Exception:
                # Not persisted, so not acknowledged: WeCom's retry gets another chance.
                log.exception("wecom callback could not be stored", extra={"app": self.app.name})
                return web.Response(status=503)
        return web.Response()
