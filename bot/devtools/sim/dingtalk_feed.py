"""What each simulated DingTalk user sees: messages in order, interactive cards kept current.

A group chat has its own feed under ``chat:<openConversationId>``.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.devtools.sim.feed import BaseFeed


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


class Feed(BaseFeed[FeedItem]):
    def add(self, user: str, at: datetime, kind: str, via: str, **fields: Any) -> FeedItem:
        return self._append(user, FeedItem(self._next_seq(), at, user, kind, via, **fields))
