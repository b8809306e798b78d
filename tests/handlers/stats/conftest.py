from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config.models import AppConfig
from bot.orgsync import sync_org
from storage.db import Database
from tests.handlers.stats.world import seed_stats_world
from tests.support.harness import make_config


@pytest.fixture
def config(db_url: str) -> AppConfig:
    return make_config(db_url)


@pytest.fixture
async def world_db(db_url: str, config: AppConfig) -> AsyncIterator[Database]:
    db = Database(db_url)
    await db.open()
    await sync_org(config, db)
    await seed_stats_world()
    yield db
    await db.close()
