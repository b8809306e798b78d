"""Build a configured bot for tests: the real app with the recording test channel."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from bot.app import Runtime, build_runtime
from bot.channels.base import Channel, ChannelDeps
from bot.channels.testing import SentMessage, TestChannel
from bot.clock import Clock
from bot.config import AppConfig, load_config_text
from bot.feature import Feature
from bot.pipeline.router import Router

ROOT = Path(__file__).resolve().parents[2]


def make_config(
    db_url: str, env: dict[str, str] | None = None, *, clock: bool = False, **pipeline: Any
) -> AppConfig:
    """config.yaml on ``db_url``; the scheduler's clock is off unless ``clock`` (tests call jobs
    with a given "now" instead of waiting for wall-clock ticks)."""
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config = load_config_text(text, env={"SALESBOT_DATABASE_URL": db_url, **(env or {})})
    settings = {"poll_seconds": 0.05, "drain_seconds": 5, **pipeline}
    return config.model_copy(
        update={
            "pipeline": config.pipeline.model_copy(update=settings),
            "schedules": config.schedules.model_copy(update={"enabled": clock}),
        }
    )


@dataclass
class Harness:
    runtime: Runtime
    channel: TestChannel
    client: TestClient | None = None
    _seen: int = 0

    async def say(self, user: str, text: str, msg_id: str | None = None) -> bool:
        return await self.channel.inject(self.channel.text_event(user, text, msg_id))

    async def voice(
        self, user: str, *, audio: bytes | None = None, heard: str = "", msg_id: str | None = None
    ) -> bool:
        """A voice note: ``audio`` to download and transcribe, or ``heard`` — the platform's own
        transcript (DingTalk's), with nothing to download or hear."""
        from bot.events import VoiceEvent

        key = msg_id or uuid.uuid4().hex
        if audio is not None:
            self.channel.media[key] = audio
        event = VoiceEvent(
            platform="test",
            app="test",
            user_id=user,
            msg_id=key,
            dedupe_key=key,
            time=self.runtime.clock.now(),
            media_id=key,
            format="amr",
            recognition=heard,
        )
        return await self.channel.inject(event)

    async def tap(
        self, user: str, card_id: str, button: str, selections: dict[str, list[str]] | None = None
    ) -> bool:
        """Tap the button labelled ``button`` on the card as it is stored now."""
        from cards.store import CardStore
        from storage.models import CardInstance

        card = CardStore.card_of(await CardInstance.get(id=card_id))
        buttons = [*card.buttons, *([card.submit] if card.submit else [])]
        match = next((b for b in buttons if b.text == button or b.text.startswith(button)), None)
        if match is None:
            raise AssertionError(f"no button {button!r} on {[b.text for b in buttons]}")
        return await self.tap_payload(user, match.payload, selections)

    async def tap_payload(
        self, user: str, payload: str, selections: dict[str, list[str]] | None = None
    ) -> bool:
        """A tap carrying ``payload`` as it is (an old copy of a card, a forged button)."""
        from bot.events import CardActionEvent

        event = CardActionEvent(
            platform="test",
            app="test",
            user_id=user,
            msg_id=uuid.uuid4().hex,
            dedupe_key=uuid.uuid4().hex,
            time=self.runtime.clock.now(),
            payload=payload,
            selections=selections or {},
        )
        return await self.channel.inject(event)

    async def next_sent(self, count: int = 1, within: float = 20) -> list[SentMessage]:
        """The next ``count`` messages the bot sends from now on."""
        start = self._seen
        sent = await asyncio.wait_for(self.channel.wait_for(start + count), within)
        self._seen = start + count
        return sent[start : start + count]


def build_harness(
    config: AppConfig,
    *,
    clock: Clock | None = None,
    routers: Sequence[Router] | None = None,
    features: Sequence[Feature] | None = None,
    more_channels: Sequence[Channel] = (),
) -> Harness:
    holder: dict[str, TestChannel] = {}

    def extra(deps: ChannelDeps) -> list[Channel]:
        holder["test"] = TestChannel(deps.inbox, deps.cards, deps.clock)
        return [holder["test"], *more_channels]

    runtime = build_runtime(
        config, clock=clock, routers=routers, features=features, extra_channels=extra
    )
    return Harness(runtime, holder["test"])


async def start_harness(
    config: AppConfig,
    aiohttp_client: Any,
    *,
    clock: Clock | None = None,
    routers: Sequence[Router] | None = None,
    world: bool = False,
) -> Harness:
    """The real app serving on a test client; ``world`` seeds tests.support.crm's clients."""
    from bot.app import create_app
    from tests.support.crm import seed_world

    harness = build_harness(config, clock=clock, routers=routers)
    harness.client = await aiohttp_client(create_app(config, runtime=harness.runtime))
    if world:
        await seed_world()
    return harness
