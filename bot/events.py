"""Platform-neutral events: what every channel turns its callbacks into.

Events are persisted to the inbox as JSON before the platform gets its answer, so they round-trip
through ``to_json``/``event_from_json`` exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, ClassVar


@dataclass(frozen=True, kw_only=True)
class Event:
    kind: ClassVar[str] = "event"
    platform: str  # wecom | dingtalk | test
    app: str  # the configured app (channel instance) it came through
    user_id: str  # the platform's user id of the sender
    msg_id: str  # the platform's message id, or a synthetic one for events without
    dedupe_key: str  # unique per platform: a retry or replay carries the same key
    time: datetime
    conversation_id: str | None = None  # a group chat; None for a 1:1 chat with the bot
    reply_hint: dict[str, Any] = field(default_factory=dict)  # e.g. DingTalk's sessionWebhook
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def user_key(self) -> str:
        return f"{self.platform}:{self.app}:{self.user_id}"

    def to_json(self) -> str:
        # Shallow: json serializes the nested dicts itself; asdict's deep copy cost ~9 % of a
        # WeCom callback on the ingress path.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["time"] = self.time.astimezone(UTC).isoformat()
        data["kind"] = self.kind
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, kw_only=True)
class TextEvent(Event):
    kind: ClassVar[str] = "text"
    text: str


@dataclass(frozen=True, kw_only=True)
class VoiceEvent(Event):
    kind: ClassVar[str] = "voice"
    media_id: str  # WeCom MediaId / DingTalk downloadCode
    format: str | None = None
    duration_s: float | None = None
    recognition: str | None = None  # the platform's own transcript (DingTalk), if any


@dataclass(frozen=True, kw_only=True)
class ImageEvent(Event):
    kind: ClassVar[str] = "image"
    media_id: str
    url: str | None = None


@dataclass(frozen=True, kw_only=True)
class FileEvent(Event):
    kind: ClassVar[str] = "file"
    media_id: str
    filename: str = ""


@dataclass(frozen=True, kw_only=True)
class CardActionEvent(Event):
    kind: ClassVar[str] = "card_action"
    payload: str  # the button key / action id we put on the card
    selections: dict[str, list[str]] = field(default_factory=dict)  # question key -> option ids
    response_code: str | None = None  # WeCom: single-use code to update this card
    card_handle: str | None = None  # WeCom TaskId / DingTalk outTrackId


@dataclass(frozen=True, kw_only=True)
class EnterEvent(Event):
    kind: ClassVar[str] = "enter"


@dataclass(frozen=True, kw_only=True)
class MenuEvent(Event):
    kind: ClassVar[str] = "menu"
    key: str


@dataclass(frozen=True, kw_only=True)
class JobEvent(Event):
    """A scheduled job's tick, stored in the inbox like any event.

    platform ``job``, user id = the job's name (one job's slots run in order, jobs in parallel),
    dedupe key ``job:<name>:<slot>``: replicas ticking the same slot insert one row.
    """

    kind: ClassVar[str] = "job"
    job: str
    slot: str  # the scheduled time in the org's timezone, e.g. 2026-12-03T09:00
    as_of: str  # ISO time the job runs as of: the slot, or the restart time for a late slot
    late: bool = False  # the slot passed while no process was running


EVENT_TYPES: dict[str, type[Event]] = {
    cls.kind: cls
    for cls in (
        TextEvent,
        VoiceEvent,
        ImageEvent,
        FileEvent,
        CardActionEvent,
        EnterEvent,
        MenuEvent,
        JobEvent,
    )
}


def event_from_json(text: str) -> Event:
    data = json.loads(text)
    cls = EVENT_TYPES[data.pop("kind")]
    data["time"] = datetime.fromisoformat(data["time"])
    known = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in known})
