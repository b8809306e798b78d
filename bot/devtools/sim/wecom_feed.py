"""What each simulated WeCom user sees: a feed of messages, cards kept current as they update.

This is the model a sandbox page renders: ``items(user)`` in order, each card item pointing at
the live card (its latest content, whether its buttons are greyed, its update history).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.devtools.sim.feed import BaseFeed


@dataclass
class HeldCard:
    """One user's copy of a template card (one task id), as WeCom's client would show it."""

    task_id: str
    user: str
    body: dict[str, Any]  # the current template_card JSON
    response_code: str  # the code the send returned
    greyed: str | None = None  # replace_name once the buttons were greyed
    history: list[dict[str, Any]] = field(default_factory=list)  # earlier states, oldest first

    @property
    def card_type(self) -> str:
        return str(self.body.get("card_type", ""))

    @property
    def version(self) -> int:
        return len(self.history) + 1

    @property
    def button_keys(self) -> list[str]:
        if self.card_type == "button_interaction":
            return [b["key"] for b in self.body.get("button_list", [])]
        submit = self.body.get("submit_button")
        return [submit["key"]] if submit else []

    def button(self, text_or_key: str) -> dict[str, Any] | None:
        buttons = list(self.body.get("button_list", []))
        if self.body.get("submit_button"):
            buttons.append(self.body["submit_button"])
        return next((b for b in buttons if text_or_key in (b.get("key"), b.get("text"))), None)

    def snapshot(self) -> dict[str, Any]:
        return {"body": copy.deepcopy(self.body), "greyed": self.greyed}

    def to_dict(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "card_type": self.card_type,
            "body": self.body,
            "greyed": self.greyed,
            "version": self.version,
        }


@dataclass
class FeedItem:
    seq: int
    at: datetime
    user: str
    kind: str  # text | markdown | image | file | voice | template_card
    msgid: str
    text: str = ""
    media_id: str | None = None
    filename: str | None = None
    card: HeldCard | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "kind": self.kind,
            "msgid": self.msgid,
            "text": self.text,
            "media_id": self.media_id,
            "filename": self.filename,
            "card": self.card.to_dict() if self.card else None,
        }


class Feed(BaseFeed[FeedItem]):
    def add(self, user: str, kind: str, at: datetime, msgid: str, **fields: Any) -> FeedItem:
        return self._append(user, FeedItem(self._next_seq(), at, user, kind, msgid, **fields))
