"""The incentives tests' runtime on SQLite and PostgreSQL, the organisation synced."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import Runtime, build_runtime
from bot.orgsync import sync_org
from tests.support.harness import make_config


@pytest.fixture
async def rt(db_url: str) -> AsyncIterator[Runtime]:
    runtime = build_runtime(make_config(db_url))
    await runtime.db.open()
    await sync_org(runtime.config, runtime.db)
    try:
        yield runtime
    finally:
        await runtime.db.close()
