"""A small Stream-mode client written from the protocol (not dingtalk-stream; see the spec).

open a connection (single-use ticket) → websocket → read frames → ack every frame. Robot messages
are persisted by the handler before their ack is sent. A SYSTEM ``disconnect`` or a dropped socket
leads to a new connection with a fresh ticket after an exponential, jittered, capped backoff.
Nothing here blocks the event loop, and ``stop`` leaves no task behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

import aiohttp

from bot.channels import safejson

log = logging.getLogger(__name__)

# (topic, data, headers) → the value acknowledged as {"response": ...}; raising → error ack.
FrameHandler = Callable[[str, dict[str, Any], dict[str, Any]], Awaitable[Any]]

DRAIN_S = 2.0  # on stop, in-flight frames get this long to be persisted and acked


class FrameRejected(Exception):
    """The handler refuses a frame for good (malformed): acked with 400, never retried."""


@dataclass(frozen=True)
class Backoff:
    base_s: float = 1.0
    max_s: float = 60.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        # "Equal jitter": at least half the exponential step, so replicas do not stampede.
        step = min(self.max_s, self.base_s * 2 ** min(attempt, 30))
        return step / 2 + rng.uniform(0, step / 2)


def ack_frame(message_id: str, data: Any, code: int = 200, message: str = "OK") -> str:
    return json.dumps(
        {
            "code": code,
            "headers": {"contentType": "application/json", "messageId": message_id},
            "message": message,
            "data": data if isinstance(data, str) else json.dumps(data, ensure_ascii=False),
        },
        ensure_ascii=False,
    )


class StreamClient:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        openapi_base: str,
        client_id: str,
        client_secret: str,
        topics: Sequence[str],
        handler: FrameHandler,
        backoff: Backoff,
        heartbeat_s: float = 30.0,
        name: str = "dingtalk",
        rng: random.Random | None = None,
    ) -> None:
        self.session = session
        self.openapi_base = openapi_base
        self.client_id = client_id
        self.client_secret = client_secret
        self.topics = list(topics)
        self.handler = handler
        self.backoff = backoff
        self.heartbeat_s = heartbeat_s
        self.name = name
        self.rng = rng or random.Random()
        self.connected = asyncio.Event()
        self.connections = 0  # successful websocket connections so far
        self._task: asyncio.Task[None] | None = None
        self._send_lock = asyncio.Lock()
        self._inflight: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"dingtalk-stream-{self.name}")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _run(self) -> None:
        attempt = 0
        while True:
            try:
                endpoint, ticket = await self._open()
                got_frames = await self._session(endpoint, ticket)
                if got_frames:
                    attempt = 0  # a connection that worked resets the backoff
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                log.warning("DingTalk Stream connection failed: %s", _describe(exc))
            except Exception:
                # The loop is the only thing keeping the channel alive: log and go on.
                log.exception("DingTalk Stream connection broke unexpectedly")
            delay = self.backoff.delay(attempt, self.rng)
            attempt += 1
            log.info("DingTalk Stream reconnecting in %.2f s", delay)
            await asyncio.sleep(delay)

    async def _open(self) -> tuple[str, str]:
        body = {
            "clientId": self.client_id,
            "clientSecret": self.client_secret,
            "subscriptions": [{"type": "CALLBACK", "topic": t} for t in self.topics],
            "ua": "salesbot/1 (aiohttp)",
            "localIp": "",  # optional; probing the IP (UDP to 8.8.8.8) is what we avoid
        }
        url = f"{self.openapi_base}/v1.0/gateway/connections/open"
        async with self.session.post(url, json=body) as resp:
            if resp.status != 200:
                raise ValueError(f"connections/open answered HTTP {resp.status}")
            data = await resp.json(content_type=None)
        endpoint, ticket = str(data.get("endpoint") or ""), str(data.get("ticket") or "")
        if not endpoint or not ticket:
            raise ValueError("connections/open gave no endpoint or ticket")
        return endpoint, ticket

    async def _session(self, endpoint: str, ticket: str) -> bool:
        """One websocket connection until it ends; True if it delivered any frame."""
        sep = "&" if "?" in endpoint else "?"
        url = f"{endpoint}{sep}ticket={quote_plus(ticket)}"
        got_frames = False
        ws = await self.session.ws_connect(
            url,
            heartbeat=self.heartbeat_s,
            timeout=aiohttp.ClientWSTimeout(ws_close=1.0),
            autoclose=True,
        )
        self.connections += 1
        self.connected.set()
        log.info("DingTalk Stream connected (%s)", self.name)
        try:
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    continue
                got_frames = True
                if not await self._frame(ws, msg.data):
                    break  # SYSTEM disconnect: the server wants us elsewhere
        finally:
            self.connected.clear()
            try:
                await self._drain()  # in-flight frames get persisted and acked first
            finally:
                with contextlib.suppress(aiohttp.ClientError, ConnectionError, TimeoutError):
                    await ws.close()
        return got_frames

    async def _frame(self, ws: aiohttp.ClientWebSocketResponse, raw: str) -> bool:
        try:
            frame = safejson.loads(raw)
            headers = dict(frame.get("headers") or {})
        except (ValueError, AttributeError, TypeError):
            log.warning("DingTalk Stream sent a frame that is not JSON; ignored")
            return True
        kind = str(frame.get("type") or "")
        topic = str(headers.get("topic") or "")
        message_id = str(headers.get("messageId") or "")
        if kind == "SYSTEM":
            if topic.lower() in ("disconnect", "tag_disconnect"):
                log.info("DingTalk Stream asked us to reconnect")
                return False
            # ping (echo the opaque) and anything else SYSTEM: acknowledge with the same data.
            await self._send(ws, ack_frame(message_id, frame.get("data") or "{}"))
            return True
        # Persisting may take a few milliseconds: run it beside the reader so pings keep flowing.
        # Tasks start in arrival order and enqueue before their first await, so order is kept.
        task = asyncio.create_task(self._handle(ws, kind, topic, message_id, frame.get("data")))
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)
        return True

    async def _handle(
        self,
        ws: aiohttp.ClientWebSocketResponse,
        kind: str,
        topic: str,
        message_id: str,
        raw_data: Any,
    ) -> None:
        try:
            if kind == "EVENT":
                ack = ack_frame(message_id, {"status": "SUCCESS", "message": "success"})
            else:
                data = _frame_data(raw_data)
                response = await self.handler(topic, data, {"messageId": message_id})
                ack = ack_frame(message_id, {"response": response})
        except FrameRejected as exc:
            log.warning("DingTalk Stream frame rejected: %s", exc)
            ack = ack_frame(message_id, {"response": None}, 400, "bad request")
        except Exception:
            # Not persisted (database down …): say so instead of acknowledging a loss.
            log.exception("DingTalk Stream frame could not be handled")
            ack = ack_frame(message_id, {"response": None}, 500, "internal error")
        await self._send(ws, ack)

    async def _send(self, ws: aiohttp.ClientWebSocketResponse, text: str) -> None:
        try:
            async with self._send_lock:
                await ws.send_str(text)
        except (aiohttp.ClientError, ConnectionError, RuntimeError) as exc:
            # The socket went away: what was persisted stays persisted; a replay is deduped.
            log.info("DingTalk Stream ack not sent: %s", _describe(exc))

    async def _drain(self) -> None:
        if not self._inflight:
            return
        pending = set(self._inflight)
        _, late = await asyncio.wait(pending, timeout=DRAIN_S)
        for task in late:
            task.cancel()
        if late:
            await asyncio.gather(*late, return_exceptions=True)


def _frame_data(raw: Any) -> dict[str, Any]:
    """A frame's ``data``: a JSON string holding an object."""
    if isinstance(raw, dict):
        return raw
    try:
        data = safejson.loads(raw) if isinstance(raw, str) and raw else {}
    except ValueError as exc:
        raise FrameRejected("frame data is not JSON") from exc
    if not isinstance(data, dict):
        raise FrameRejected("frame data is not an object")
    return data


def _describe(exc: BaseException) -> str:
    # Exception texts can carry the ticket in a URL; the type and status are enough for a log.
    status = getattr(exc, "status", None)
    return f"{type(exc).__name__}" + (f" (HTTP {status})" if status else "")
