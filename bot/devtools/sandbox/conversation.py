"""One persona's chat as the sandbox page shows it: the simulator's feed plus what the page sent.

The simulator's feed is what WeCom delivers to the user (the bot's messages and cards, kept
current). What the user sent lives here, on the client side, as it does in a real WeCom client;
each sent message remembers how far the feed had got, which places it in the conversation.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from bot.clock import Clock
from bot.devtools.sim.wecom import WecomSimulator
from bot.devtools.sim.wecom_feed import FeedItem

Status = Literal["sending", "sent", "failed"]


@dataclass
class Outgoing:
    id: int
    user: str
    kind: Literal["text", "voice"]
    at: datetime
    after_seq: int  # the user's newest feed item when this was sent
    text: str = ""
    seconds: float = 0.0
    label: str = ""  # a sample's title
    audio: bytes = field(default=b"", repr=False)
    audio_type: str = ""
    status: Status = "sending"
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": f"u{self.id}",
            "from": "me",
            "at": self.at.isoformat(),
            "kind": self.kind,
            "text": self.text,
            "seconds": self.seconds,
            "label": self.label,
            "audio_url": f"/sandbox/api/audio/{self.id}?user={self.user}" if self.audio else None,
            "status": self.status,
            "error": self.error,
        }


def bot_item(item: FeedItem) -> dict[str, Any]:
    data = item.to_dict()
    media_url = None
    if item.media_id:
        media_url = f"/sandbox/api/media/{item.media_id}?user={item.user}"
    return {
        "id": f"b{item.seq}",
        "from": "bot",
        "at": data["at"],
        "kind": item.kind,
        "text": item.text,
        "filename": item.filename,
        "media_url": media_url,
        "card": data["card"],
    }


class Conversations:
    def __init__(self, sim: WecomSimulator, clock: Clock) -> None:
        self.sim = sim
        self.clock = clock
        self._sent: dict[str, list[Outgoing]] = {}
        self._next_id = 0
        self._changed = asyncio.Event()  # replaced on every change, so no waiter misses one
        self._closing = False

    # ------------------------------------------------------------------ what the user sent
    def record(self, user: str, kind: Literal["text", "voice"], **fields: Any) -> Outgoing:
        feed = self.sim.inbox_of(user)
        self._next_id += 1
        out = Outgoing(
            self._next_id,
            user,
            kind,
            self.clock.now(),
            feed[-1].seq if feed else 0,
            **fields,
        )
        self._sent.setdefault(user, []).append(out)
        self.touch()
        return out

    def settle(self, out: Outgoing, ok: bool, error: str = "") -> None:
        out.status = "sent" if ok else "failed"
        out.error = "" if ok else error
        self.touch()

    def sent(self, user: str, out_id: int) -> Outgoing | None:
        return next((o for o in self._sent.get(user, []) if o.id == out_id), None)

    def close(self) -> None:
        """The app is stopping: answer every waiting long-poll now instead of holding it up."""
        self._closing = True
        self.touch()

    def touch(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    # ------------------------------------------------------------------ the merged view
    def items(self, user: str) -> list[dict[str, Any]]:
        keyed: list[tuple[tuple[int, int, int], dict[str, Any]]] = [
            ((i.seq, 0, 0), bot_item(i)) for i in self.sim.inbox_of(user)
        ]
        keyed += [((o.after_seq, 1, o.id), o.to_dict()) for o in self._sent.get(user, [])]
        return [view for _, view in sorted(keyed, key=lambda kv: kv[0])]

    def counts(self, users: list[str]) -> dict[str, int]:
        """Messages each persona has received (the page turns these into unread badges)."""
        return {u: len(self.sim.inbox_of(u)) for u in users}

    def snapshot(self, user: str, users: list[str]) -> dict[str, Any]:
        items = self.items(user)
        counts = self.counts(users)
        digest = json.dumps([items, counts], sort_keys=True, ensure_ascii=False, default=str)
        etag = hashlib.sha1(digest.encode()).hexdigest()[:16]
        return {"etag": etag, "items": items, "counts": counts}

    async def wait(self, user: str, users: list[str], etag: str, within: float) -> dict[str, Any]:
        """The snapshot as soon as it differs from ``etag`` (or as it is after ``within`` s)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            # Both change markers are taken before the snapshot: a change after it wakes us.
            own, feed_version = self._changed, self.sim.feed_version
            snap = self.snapshot(user, users)
            left = deadline - loop.time()
            if snap["etag"] != etag or left <= 0 or self._closing:
                return snap
            await self._either_changes(own, feed_version, left)

    async def _either_changes(self, own: asyncio.Event, feed_version: int, within: float) -> None:
        mine = asyncio.ensure_future(own.wait())
        feed = asyncio.ensure_future(self.sim.wait_changed(feed_version, within))
        try:
            await asyncio.wait({mine, feed}, timeout=within, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (mine, feed):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
