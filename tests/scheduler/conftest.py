"""A running bot on a manual clock, for calling jobs at given times."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime

import pytest

from bot.app import create_app
from bot.clock import ManualClock
from bot.config.models import AppConfig
from tests.support.harness import Harness, build_harness, make_config
from tests.support.jobs import sh

StartBot = Callable[[AppConfig, datetime], Awaitable[Harness]]


@pytest.fixture
def start_bot(aiohttp_client) -> StartBot:  # type: ignore[no-untyped-def]
    """Start the app with a given config, its clock set to a given time."""

    async def start(config: AppConfig, at: datetime) -> Harness:
        harness = build_harness(config, clock=ManualClock(at))
        harness.client = await aiohttp_client(create_app(config, runtime=harness.runtime))
        return harness

    return start


@pytest.fixture
async def bot(db_url: str, start_bot: StartBot) -> AsyncIterator[Harness]:
    yield await start_bot(make_config(db_url), sh(2026, 12, 3, 9))
