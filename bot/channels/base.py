"""The narrow interface every platform adapter implements.

An adapter verifies and parses what its platform sends, persists it to the inbox, answers the
platform, and later delivers neutral replies. Nothing else: no business logic lives here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from aiohttp import web

    from bot.clock import Clock
    from bot.events import Event
    from bot.metrics import Metrics
    from bot.pipeline.inbox import Inbox
    from bot.replies import Reply
    from cards.store import CardStore


@dataclass(frozen=True)
class RateLimit:
    """Per-recipient limits the platform enforces (WeCom silently drops the excess)."""

    per_minute: int
    per_hour: int


@dataclass(frozen=True)
class Delivered:
    ref: str = ""
    # Platform messages it took (a long text goes out in parts): what rate windows count.
    messages: int = 1


@dataclass(frozen=True)
class RetryLater:
    after_s: float
    reason: str
    # False when only this recipient must wait (flow control for one user, a card update still
    # pending): it says nothing about the platform, so it does not count towards its circuit.
    platform_down: bool = True


@dataclass(frozen=True)
class Undeliverable:
    reason: str


DeliveryResult = Delivered | RetryLater | Undeliverable


class MediaError(Exception):
    """A platform file could not be fetched; ``message_zh`` is what the user is told."""

    def __init__(self, reason: str, message_zh: str) -> None:
        super().__init__(reason)
        self.message_zh = message_zh


class Channel(Protocol):
    # Read-only members: an adapter may declare them as plain attributes or constants.
    @property
    def platform(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def rate_limit(self) -> RateLimit | None: ...

    @property
    def max_text_bytes(self) -> int: ...

    def routes(self) -> list[web.RouteDef]: ...

    async def start(self) -> None: ...

    async def stop(self) -> None:
        """Stop taking in events (the outbox may still deliver through the channel)."""

    async def close(self) -> None:
        """Release what sending needs; called after the outbox has drained."""

    async def deliver(self, recipient: str, reply: Reply) -> DeliveryResult: ...

    async def fetch_media(self, event: Event) -> bytes: ...


@dataclass(frozen=True)
class ChannelDeps:
    """What every adapter may use; handed over by the app factory."""

    inbox: Inbox
    cards: CardStore
    clock: Clock
    metrics: Metrics
    public_url: str
    link_secret: str = ""  # server.link_secret: signs links the bot sends (approval pages)
