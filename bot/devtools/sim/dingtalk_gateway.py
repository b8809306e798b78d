"""The simulated Stream gateway: connections/open, the websocket, pushes, acks, replays, drops.

Faithful where the bot can go wrong: tickets are single use and expire after 90 s; a push goes to
one random connection subscribed to its topic; a frame whose ack was lost is sent again after the
next connection (a reconnect can replay frames); any delivered frame can be replayed on demand.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.devtools.sim.dingtalk_tenant import Tenant, api_error

TICKET_TTL_S = 90
DISCONNECT_GRACE_S = 2.0


@dataclass
class Connection:
    id: str
    request: web.Request
    ws: web.WebSocketResponse
    topics: set[str]


@dataclass
class Ticket:
    expires_ms: int
    topics: set[str]


@dataclass
class GatewayStats:
    opens_refused: int = 0
    tickets_issued: int = 0
    connections: int = 0
    rejected_tickets: int = 0
    acks: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # messageId → acks


class Gateway:
    def __init__(self, tenant: Tenant, rng: random.Random | None = None) -> None:
        self.t = tenant
        self.rng = rng or random.Random()
        self.stats = GatewayStats()
        self.connections: list[Connection] = []
        self._tickets: dict[str, Ticket] = {}
        self._frames: dict[str, str] = {}  # messageId → frame text, for replays
        self._topic_of: dict[str, str] = {}
        self._waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._lose: set[str] = set()  # the next ack of these is "lost in transit"
        self._unacked: list[str] = []  # to send again on the next connection
        self._changed = asyncio.Condition()
        self.refuse_opens = 0  # the next n connections/open calls fail (gateway trouble)

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/v1.0/gateway/connections/open", self.open),
            web.get("/connect", self.connect),
        ]

    # --- HTTP side --------------------------------------------------------------------------

    async def open(self, request: web.Request) -> web.Response:
        if self.refuse_opens > 0:
            self.refuse_opens -= 1
            self.stats.opens_refused += 1
            return api_error(503, "ServiceUnavailable", "网关繁忙，请稍后重试")
        body = await request.json()
        if body.get("clientId") != self.t.app_key or body.get("clientSecret") != self.t.app_secret:
            return api_error(401, "InvalidAuthentication", "clientId 或 clientSecret 错误")
        subs = body.get("subscriptions") or []
        topics = {str(s.get("topic")) for s in subs if isinstance(s, dict)}
        if not topics:
            return api_error(400, "InvalidParameter.subscriptions", "subscriptions 必填")
        ticket = secrets.token_urlsafe(24)
        self._tickets[ticket] = Ticket(self.t.clock.ms() + TICKET_TTL_S * 1000, topics)
        self.stats.tickets_issued += 1
        scheme, _, rest = self.t.base_url.partition("://")
        endpoint = f"{'wss' if scheme == 'https' else 'ws'}://{rest}/connect"
        return web.json_response({"endpoint": endpoint, "ticket": ticket})

    async def connect(self, request: web.Request) -> web.StreamResponse:
        ticket = self._tickets.pop(request.query.get("ticket", ""), None)  # single use
        if ticket is None or ticket.expires_ms <= self.t.clock.ms():
            self.stats.rejected_tickets += 1
            return web.Response(status=401, text="invalid ticket")
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        conn = Connection(uuid.uuid4().hex, request, ws, ticket.topics)
        self.connections.append(conn)
        self.stats.connections += 1
        await self._notify()
        replay, self._unacked = self._unacked, []
        for mid in replay:
            await self._send(conn, self._frames[mid])
        try:
            async for msg in ws:
                if msg.type == web.WSMsgType.TEXT:
                    self._ack(msg.data)
        finally:
            self.connections.remove(conn)
            await self._notify()
        return ws

    def _ack(self, text: str) -> None:
        try:
            ack = json.loads(text)
            mid = str(ack["headers"]["messageId"])
        except (json.JSONDecodeError, KeyError, TypeError):
            return
        if mid in self._lose:
            self._lose.discard(mid)
            return
        self.stats.acks.setdefault(mid, []).append(ack)
        fut = self._waiting.pop(mid, None)
        if fut is not None and not fut.done():
            fut.set_result(ack)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # --- pushing ----------------------------------------------------------------------------

    async def wait_connected(self, count: int = 1, within: float = 10.0) -> None:
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: len(self.connections) >= count)

    async def _connection(self, topic: str, within: float) -> Connection:
        def eligible() -> list[Connection]:
            return [c for c in self.connections if topic in c.topics and not c.ws.closed]

        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: bool(eligible()))
        return self.rng.choice(eligible())

    async def _send(self, conn: Connection, text: str) -> None:
        with contextlib.suppress(ConnectionError, RuntimeError):
            await conn.ws.send_str(text)

    async def push(
        self,
        topic: str,
        data: dict[str, Any],
        *,
        kind: str = "CALLBACK",
        within: float = 10.0,
        wait_ack: bool = True,
        lose_ack: bool = False,
    ) -> tuple[str, dict[str, Any] | None]:
        """Send one frame to a connection subscribed to ``topic``: (messageId, its ack or None)."""
        mid = uuid.uuid4().hex
        frame = {
            "specVersion": "1.0",
            "type": kind,
            "headers": {
                "appId": self.t.app_key,
                "contentType": "application/json",
                "messageId": mid,
                "time": str(self.t.clock.ms()),
                "topic": topic,
            },
            "data": json.dumps(data, ensure_ascii=False),
        }
        text = json.dumps(frame, ensure_ascii=False)
        self._frames[mid] = text
        self._topic_of[mid] = topic
        if lose_ack:
            self._lose.add(mid)
        return mid, await self._deliver(mid, text, topic, within, wait_ack)

    async def _deliver(
        self, mid: str, text: str, topic: str, within: float, wait_ack: bool
    ) -> dict[str, Any] | None:
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[mid] = fut
        try:
            conn = await self._connection(topic, within)
        except TimeoutError:
            del self._waiting[mid]  # never sent: nothing to replay
            raise
        await self._send(conn, text)
        if not wait_ack:
            return None
        try:
            return await asyncio.wait_for(fut, within)
        finally:
            if self._waiting.get(mid) is fut:
                del self._waiting[mid]

    async def replay(self, message_id: str, within: float = 10.0) -> dict[str, Any] | None:
        """Send an already-delivered frame again, unchanged (same messageId)."""
        return await self._deliver(
            message_id, self._frames[message_id], self._topic_of[message_id], within, True
        )

    async def system(self, topic: str, data: dict[str, Any]) -> list[dict[str, Any]]:
        """A SYSTEM frame to every connection; the acks of those that answered (ping)."""
        results = []
        for conn in list(self.connections):
            mid = uuid.uuid4().hex
            fut: asyncio.Future[dict[str, Any]] | None = None
            if topic == "ping":  # only pings are answered
                fut = self._waiting[mid] = asyncio.get_running_loop().create_future()
            frame = {
                "specVersion": "1.0",
                "type": "SYSTEM",
                "headers": {"contentType": "application/json", "messageId": mid, "topic": topic},
                "data": json.dumps(data),
            }
            await self._send(conn, json.dumps(frame))
            if fut is not None:
                try:
                    results.append(await asyncio.wait_for(fut, 10))
                finally:
                    self._waiting.pop(mid, None)  # unanswered pings leave nothing behind
        return results

    async def ping(self) -> list[dict[str, Any]]:
        return await self.system("ping", {"opaque": uuid.uuid4().hex})

    async def disconnect(self) -> None:
        """Ask every client to reconnect; sockets still open after the grace period are closed."""
        conns = list(self.connections)
        await self.system("disconnect", {"reason": "gateway maintenance"})
        for conn in conns:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(DISCONNECT_GRACE_S):
                    await self._closed(conn)
            if not conn.ws.closed:
                await conn.ws.close()

    async def _closed(self, conn: Connection) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: conn not in self.connections)

    async def drop(self) -> None:
        """Cut every socket without a close frame, as a failing network does.

        Frames whose ack had not arrived are sent again on the next connection.
        """
        self._unacked += [m for m in self._waiting if m in self._frames]
        self._unacked += [m for m in self._lose if m not in self._unacked]
        self._lose.clear()
        for conn in list(self.connections):
            transport = conn.request.transport
            if transport is not None:
                transport.abort()
            await self._closed(conn)
