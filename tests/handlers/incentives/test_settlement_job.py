"""The monthly settlement on the scheduler's clock: once per closed month, each rep told once."""

from __future__ import annotations

from bot.app import create_app
from bot.clock import ManualClock
from storage.models import LedgerEntry
from tests.handlers.incentives.world import seed_incentives_world
from tests.support.harness import build_harness, make_config
from tests.support.jobs import pushes, run_slot, sh


async def test_the_job_settles_the_closed_month_once(db_url: str, aiohttp_client) -> None:
    bot = build_harness(make_config(db_url), clock=ManualClock(sh(2026, 12, 1, 9)))
    bot.client = await aiohttp_client(create_app(bot.runtime.config, runtime=bot.runtime))
    await seed_incentives_world()
    await run_slot(bot, "incentive-settlement", sh(2026, 12, 1, 9, 10))
    entries = await LedgerEntry.all().count()
    told = await pushes(bot.runtime.db)
    assert entries > 0 and told
    assert {p["kind"] for p in told} == {"incentive_settlement"}
    mine = [p for p in told if p["person_id"] == "zhang.wei"]
    assert len(mine) == 1 and "2026年11月" in mine[0]["text"]
    await run_slot(bot, "incentive-settlement", sh(2026, 12, 2, 9, 10))  # the next morning
    assert await LedgerEntry.all().count() == entries
    assert len(await pushes(bot.runtime.db)) == len(told)
