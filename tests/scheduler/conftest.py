"""A running bot on a manual clock, for calling jobs at given times."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import create_app
from bot.clock import ManualClock
from tests.support.harness import Harness, build_harness, make_config
from tests.support.jobs import sh


@pytest.fixture
async def bot(db_url: str, aiohttp_client) -> AsyncIterator[Harness]:  # type: ignore[no-untyped-def]
    harness = build_harness(make_config(db_url), clock=ManualClock(sh(2026, 12, 3, 9)))
    harness.client = await aiohttp_client(
        create_app(harness.runtime.config, runtime=harness.runtime)
    )
    yield harness
