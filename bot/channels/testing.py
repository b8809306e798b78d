"""A channel with no platform behind it: it records what the bot sends.

Tests use it to drive the pipeline without crypto; demo mode exposes it on 127.0.0.1 so
``/帮助`` can be tried with curl.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from bot.channels.base import Delivered, DeliveryResult, MediaError, RateLimit
from bot.clock import Clock
from bot.events import Event, TextEvent
from bot.pipeline.inbox import Inbox
from bot.replies import CardMessage, CardUpdate, Reply
from cards.store import CardStore


@dataclass(frozen=True)
class SentMessage:
    recipient: str
    reply: Reply
    card: dict[str, Any] | None = None


class TestChannel:
    platform = "test"
    max_text_bytes = 2048

    def __init__(
        self,
        inbox: Inbox,
        cards: CardStore,
        clock: Clock,
        *,
        name: str = "test",
        rate_limit: RateLimit | None = None,
    ) -> None:
        self.name = name
        self.inbox = inbox
        self.cards = cards
        self.clock = clock
        self.rate_limit = rate_limit
        self.sent: list[SentMessage] = []
        self.media: dict[str, bytes] = {}
        self._changed = asyncio.Condition()

    def routes(self) -> list[web.RouteDef]:
        return [web.post("/test/messages", self._post), web.get("/test/sent", self._get_sent)]

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def inject(self, event: Event) -> bool:
        return await self.inbox.put(event)

    def text_event(self, user: str, text: str, msg_id: str | None = None) -> TextEvent:
        mid = msg_id or f"t-{uuid.uuid4().hex}"  # unique across processes sharing a database
        return TextEvent(
            platform=self.platform,
            app=self.name,
            user_id=user,
            msg_id=mid,
            dedupe_key=mid,
            time=self.clock.now(),
            text=text,
        )

    async def deliver(self, recipient: str, reply: Reply) -> DeliveryResult:
        card = None
        if isinstance(reply, CardMessage | CardUpdate):
            instance = await self.cards.get(reply.card_id)
            card = instance.state["card"] if instance else None
        async with self._changed:
            self.sent.append(SentMessage(recipient, reply, card))
            self._changed.notify_all()
        return Delivered(f"test-{len(self.sent)}")

    async def fetch_media(self, event: Event) -> bytes:
        media_id = getattr(event, "media_id", "")
        if media_id not in self.media:
            raise MediaError("unknown media", "文件已过期或不存在，请重新发送。")
        return self.media[media_id]

    async def wait_for(self, count: int) -> list[SentMessage]:
        """Wait until at least ``count`` messages were sent (tests bound it with a timeout)."""
        async with self._changed:
            await self._changed.wait_for(lambda: len(self.sent) >= count)
        return list(self.sent)

    async def _post(self, request: web.Request) -> web.Response:
        body = await request.json()
        user, text = str(body.get("user", "")), str(body.get("text", ""))
        if not user or not text:
            return web.json_response({"error": "需要 user 和 text"}, status=400)
        event = self.text_event(user, text)
        await self.inbox.put(event)
        return web.json_response({"msg_id": event.msg_id, "at": datetime.now(UTC).isoformat()})

    async def _get_sent(self, request: web.Request) -> web.Response:
        user = request.query.get("user")
        out = [
            {"to": m.recipient, "kind": m.reply.kind, "reply": m.reply.__dict__, "card": m.card}
            for m in self.sent
            if user is None or m.recipient == user
        ]
        return web.json_response(out)
