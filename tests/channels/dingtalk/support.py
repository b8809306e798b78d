"""Helpers for the DingTalk tests: a bot wired to the simulator, probe routers, vectors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient
from pydantic import SecretStr

from bot.app import create_app
from bot.channels.dingtalk import DingtalkChannel
from bot.clock import Clock
from bot.config.channels import Channels, DingtalkApp
from bot.config.models import AppConfig
from bot.devtools.sim.dingtalk import DingtalkSimulator
from bot.events import Event, TextEvent
from bot.pipeline.context import Context
from bot.pipeline.router import Router
from bot.replies import Text
from tests.support.harness import Harness, build_harness, make_config

HERE = Path(__file__).resolve().parent
LINK_SECRET = "test-link-secret-0123456789abcdef"
PUBLIC_URL = "http://bot.example"


def vectors() -> dict[str, Any]:
    return json.loads((HERE / "vectors.json").read_text(encoding="utf-8"))


def with_dingtalk(
    config: AppConfig, app: DingtalkApp, *, link_secret: str = LINK_SECRET
) -> AppConfig:
    server = config.server.model_copy(
        update={"public_url": PUBLIC_URL, "link_secret": SecretStr(link_secret)}
    )
    return config.model_copy(update={"channels": Channels(dingtalk=(app,)), "server": server})


def fast_app(sim: DingtalkSimulator, **overrides: Any) -> DingtalkApp:
    """The simulator's app with a test-sized reconnect backoff."""
    return sim.app_config(**{"reconnect_base_s": 0.05, "reconnect_max_s": 0.4, **overrides})


async def start_bot(
    db_url: str,
    sim: DingtalkSimulator,
    aiohttp_client: Any,
    *,
    routers: Sequence[Router] | None = None,
    clock: Clock | None = None,
    app: DingtalkApp | None = None,
    **pipeline: Any,
) -> Harness:
    config = with_dingtalk(make_config(db_url, **pipeline), app or fast_app(sim))
    harness = build_harness(config, routers=routers, clock=clock)
    client: TestClient = await aiohttp_client(create_app(config, runtime=harness.runtime))
    harness.client = client
    return harness


def channel_of(harness: Harness) -> DingtalkChannel:
    channel = harness.runtime.channel("dingtalk")
    assert isinstance(channel, DingtalkChannel)
    return channel


def echo_router(seen: list[Event]) -> Router:
    """Records every event it handles and answers text with "收到：<text>"."""
    router = Router("echo")

    @router.on(TextEvent)
    async def echo(ctx: Context, event: TextEvent) -> None:
        seen.append(event)
        ctx.reply(Text(f"收到：{event.text}"))

    return router
