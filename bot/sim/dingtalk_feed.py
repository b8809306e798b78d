"""What each simulated DingTalk user sees: messages in order, interactive cards kept current.

A group chat has its own feed under ``chat:<openConversationId>``.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class SimCard:
    """One interactive card instance (one outTrackId) as DingTalk holds it."""

    out_track_id: str
    template_id: str
    params: dict[str, str]
    callback_type: str
    spaces: list[str] = field(default_factory=list)  # staffIds / chat:<cid> it was delivered to
    history: list[dict[str, str]] = field(default_factory=list)  # earlier params, oldest first

    @property
    def version(self) -> int:
        return len(self.history) + 1

    @property
    def buttons(self) -> list[dict[str, str]]:
        return list(json.loads(self.params.get("buttons") or "[]"))

    def button(self, text_or_payload: str) -> dict[str, str] | None:
        return next(
            (b for b in self.buttons if text_or_payload in (b.get("text"), b.get("payload"))),
            None,
        )

    def update(self, params: dict[str, str], *, by_key: bool) -> None:
        self.history.append(copy.deepcopy(self.params))
        self.params = {**self.params, **params} if by_key else dict(params)

    def to_dict(self) -> dict[str, Any]:
        return {
            "out_track_id": self.out_track_id,
            "params": self.params,
            "version": self.version,
        }


@dataclass
class FeedItem:
    seq: int
    at: datetime
    user: str
    kind: str  # text | markdown | image | file | action_card | card
    via: str  # webhook | batchSend | groupMessages | card
    text: str = ""
    title: str = ""
    msg_key: str = ""
    param: dict[str, Any] = field(default_factory=dict)
    links: list[tuple[str, str]] = field(default_factory=list)  # ActionCard (title, url)
    media: bytes | None = None  # what an image/file message carried (from media/upload)
    card: SimCard | None = None  # live: its params change when the card is updated

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "kind": self.kind,
            "via": self.via,
            "text": self.text,
            "title": self.title,
            "msg_key": self.msg_key,
            "links": [{"title": t, "url": u} for t, u in self.links],
            "card": self.card.to_dict() if self.card else None,
        }


class Feed:
    def __init__(self) -> None:
        self._items: dict[str, list[FeedItem]] = defaultdict(list)
        self._seq = 0
        self._waiters: set[asyncio.Event] = set()

    def items(self, user: str) -> list[FeedItem]:
        return list(self._items.get(user, []))

    def add(self, user: str, at: datetime, kind: str, via: str, **fields: Any) -> FeedItem:
        self._seq += 1
        item = FeedItem(self._seq, at, user, kind, via, **fields)
        self._items[user].append(item)
        self.changed()
        return item

    def changed(self) -> None:
        """Something arrived or a held card changed in place: wake every waiter."""
        for waiter in self._waiters:
            waiter.set()

    async def wait_until(self, probe: Callable[[], T | None], within: float) -> T:
        """The first truthy ``probe()``, re-checked after every change, for up to ``within`` s."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            value = probe()
            if value:
                return value
            left = deadline - loop.time()
            if left <= 0:
                raise TimeoutError(f"condition not met within {within} s")
            waiter = asyncio.Event()
            self._waiters.add(waiter)
            try:
                await asyncio.wait_for(waiter.wait(), left)
            except TimeoutError:
                continue  # one last look, then the deadline check ends it
            finally:
                self._waiters.discard(waiter)

    async def wait_for(
        self, user: str, predicate: Callable[[FeedItem], bool], within: float = 10.0
    ) -> FeedItem:
        """The first item of ``user`` matching ``predicate``."""
        try:
            return await self.wait_until(
                lambda: next((i for i in self._items.get(user, []) if predicate(i)), None), within
            )
        except TimeoutError:
            raise TimeoutError(f"nothing matching arrived for {user} within {within} s") from None
