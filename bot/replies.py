"""Neutral outgoing messages. Handlers return these; channels render them for their platform."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar


@dataclass(frozen=True)
class Text:
    kind: ClassVar[str] = "text"
    text: str


@dataclass(frozen=True)
class Markdown:
    kind: ClassVar[str] = "markdown"
    title: str
    text: str


@dataclass(frozen=True)
class Image:
    kind: ClassVar[str] = "image"
    media_id: int  # storage.models.Media
    caption: str = ""


@dataclass(frozen=True)
class File:
    kind: ClassVar[str] = "file"
    media_id: int
    filename: str


@dataclass(frozen=True)
class CardMessage:
    """Show a stored card (cards.store) to the recipient."""

    kind: ClassVar[str] = "card"
    card_id: str


@dataclass(frozen=True)
class CardUpdate:
    """Redraw a stored card in place for everyone who holds it."""

    kind: ClassVar[str] = "card_update"
    card_id: str


Reply = Text | Markdown | Image | File | CardMessage | CardUpdate

REPLY_TYPES: dict[str, type[Reply]] = {
    cls.kind: cls for cls in (Text, Markdown, Image, File, CardMessage, CardUpdate)
}
# Text-like replies to one person may be merged into one message when the platform throttles.
MERGEABLE = frozenset({Text.kind, Markdown.kind})


def reply_to_json(reply: Reply) -> str:
    return json.dumps(asdict(reply), ensure_ascii=False, separators=(",", ":"))


def reply_from_json(kind: str, payload: str) -> Reply:
    cls = REPLY_TYPES[kind]
    data: dict[str, Any] = json.loads(payload)
    known = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in known})


def reply_text(reply: Reply) -> str:
    """Plain text of a text-like reply (used when merging and for logs)."""
    if isinstance(reply, Text):
        return reply.text
    if isinstance(reply, Markdown):
        return reply.text
    return ""
