"""Helpers for the WeCom tests: a bot wired to a simulated tenant, and hand-signed requests."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.clock import Clock
from bot.config.channels import Channels, WecomApp
from bot.config.models import AppConfig
from bot.devtools.sim.wecom import WecomSimulator
from bot.pipeline.router import Router
from tests.support.harness import Harness, build_harness, make_config

HERE = Path(__file__).resolve().parent


def vectors() -> dict[str, Any]:
    """WeCom's published sample data (the wecom sets of shared/spec/vectors.json)."""
    return json.loads((HERE / "vectors.json").read_text(encoding="utf-8"))


def with_wecom(config: AppConfig, *apps: WecomApp) -> AppConfig:
    return config.model_copy(update={"channels": Channels(wecom=apps)})


def add_people(sim: WecomSimulator, config: AppConfig) -> None:
    for person in config.people:
        if person.wecom_userid:
            sim.add_user(person.wecom_userid, person.name)


async def start_bot(
    db_url: str,
    sim: WecomSimulator,
    aiohttp_client: Any,
    *,
    routers: Sequence[Router] | None = None,
    clock: Clock | None = None,
    **pipeline: Any,
) -> Harness:
    config = with_wecom(make_config(db_url, **pipeline), sim.app_config())
    add_people(sim, config)
    harness = build_harness(config, routers=routers, clock=clock)
    client: TestClient = await aiohttp_client(create_app(config, runtime=harness.runtime))
    harness.client = client
    sim.callback_url = str(client.make_url(config.channels.wecom[0].callback_path))
    return harness
