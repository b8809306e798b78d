"""Two real bot processes on one PostgreSQL, both ticking, both sending to one WeCom simulator:
1,000 reminders due at once reach their 1,000 reps, each exactly once at the platform (the
clock's ticks share one inbox key per slot; pushes are claimed into one batch; the outbox sends
each row once)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from bot.devtools.sim.wecom import WecomSimulator
from bot.orgsync import sync_org
from storage.db import Database
from storage.models import Task
from tests.pipeline.test_processes import BotProcess, processes  # noqa: F401  (fixture)
from tests.support.run_bot import clock_config
from tests.support.waiting import eventually
from tests.support.wecom_env import wecom_env

N = 1000
SENT = 2


async def prepare(db_url: str) -> None:
    db = Database(db_url)
    await db.open()
    try:
        # Synced once here: two processes starting together would race to insert 1,000 people.
        await sync_org(clock_config(db_url, N), db)
        due = datetime.now(UTC) - timedelta(seconds=30)
        await Task.bulk_create(
            [
                Task(
                    kind="next_action", assignee_id=f"rep{i:04d}", title=f"任务{i:04d}", due_at=due
                )
                for i in range(N)
            ],
            batch_size=500,
        )
    finally:
        await db.close()


async def fetch(db_url: str, sql: str) -> list[dict]:  # type: ignore[type-arg]
    db = Database(db_url)
    await db.open()
    try:
        return await db.fetch(sql)
    finally:
        await db.close()


def wecom_args(sim: WecomSimulator) -> list[str]:
    """``--env`` arguments pointing config.yaml's WeCom app at the simulator."""
    env = wecom_env(sim)
    return [arg for name, value in env.items() for arg in ("--env", f"{name}={value}")]


@pytest.mark.slow
async def test_two_replicas_deliver_1000_due_reminders_exactly_once(
    postgres_url: str,
    processes: list[BotProcess],  # noqa: F811
) -> None:
    await prepare(postgres_url)
    sim = WecomSimulator()
    await sim.start()
    # Reminder cards have buttons, which WeCom sends only with a callback URL; no one taps here.
    sim.callback_url = "http://127.0.0.1:9/wecom/callback"
    reps = [f"Rep{i:04d}" for i in range(N)]
    for userid in reps:
        sim.add_user(userid, userid)
    try:
        async with aiohttp.ClientSession() as session:
            args = ("--clock", "--reps", str(N), *wecom_args(sim))
            a = BotProcess(postgres_url, *args)
            processes.append(a)
            b = BotProcess(postgres_url, *args)
            processes.append(b)
            await asyncio.gather(a.ready(session), b.ready(session))

            async def all_received() -> bool:
                return len(sim.stats.received) >= N

            await eventually(all_received, within=90, every=0.5)
            await asyncio.sleep(2)  # two more ticks of both clocks: a second send would show
    finally:
        await sim.stop()
    # At the platform: every rep got exactly one message, the card with their own task.
    assert dict(sim.stats.received) == {userid: 1 for userid in reps}
    assert not sim.stats.dropped
    for userid in reps:
        [item] = sim.inbox_of(userid)
        assert item.kind == "template_card" and item.card is not None
        assert f"任务{userid[3:]}" in json.dumps(item.card.body, ensure_ascii=False)
    out = await fetch(postgres_url, "SELECT recipient, status FROM outbox ORDER BY id")
    assert len(out) == N and {r["status"] for r in out} == {SENT}
    pushes = await fetch(postgres_url, "SELECT key, batch FROM pushes")
    assert len(pushes) == N and all(p["batch"] is not None for p in pushes)
    ticks = await fetch(
        postgres_url, "SELECT dedupe_key FROM inbox WHERE platform = 'job' ORDER BY id"
    )
    keys = [t["dedupe_key"] for t in ticks]
    assert len(keys) == len(set(keys)) and any(k.startswith("job:deliver:") for k in keys)
