"""The ``world`` fixture: a bot wired to either simulator, which serves the generated company."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import create_app
from bot.clock import ManualClock
from bot.config.models import AppConfig
from bot.devtools.sim.dingtalk import DingtalkSimulator
from bot.devtools.sim.orgchart import OrgChart, generate
from bot.devtools.sim.wecom import WecomSimulator
from tests.bot.orgdir.world import SETTINGS, Tenant
from tests.channels.dingtalk.support import fast_app, with_dingtalk
from tests.channels.wecom.support import add_people, with_wecom
from tests.support.crm import NOW
from tests.support.harness import Harness, build_harness, make_config


@pytest.fixture(params=["wecom", "dingtalk"])
async def world(
    request: pytest.FixtureRequest, db_url: str, aiohttp_client: Any
) -> AsyncIterator[tuple[Tenant, Harness, OrgChart]]:
    chart = generate()
    clock = ManualClock(NOW)
    config: AppConfig
    if request.param == "wecom":
        sim: Any = WecomSimulator(clock=clock)
        await sim.start()
        config = with_wecom(make_config(db_url), sim.app_config())
        add_people(sim, config)
        ids = sim.load_directory(chart)
        tenant = Tenant("wecom", sim, ids, "wx")
    else:
        sim = DingtalkSimulator(clock=clock)
        await sim.start()
        config = with_dingtalk(make_config(db_url), fast_app(sim))
        tenant = Tenant("dingtalk", sim, sim.directory.load(chart), "dd")
    config = config.model_copy(update={"org_sync": SETTINGS})
    harness = build_harness(config, clock=clock)
    harness.client = await aiohttp_client(create_app(config, runtime=harness.runtime))
    yield tenant, harness, chart
    await sim.stop()
