"""Two real bot processes on one PostgreSQL, both ticking: 1,000 reminders due at once are
delivered 1,000 times, none twice (the clock's ticks share one inbox key per slot; pushes are
claimed into one batch; the outbox sends each row once)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from bot.orgsync import sync_org
from storage.db import Database
from storage.models import Task
from tests.pipeline.test_processes import BotProcess, processes  # noqa: F401  (fixture)
from tests.support.run_bot import clock_config
from tests.support.waiting import eventually

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


@pytest.mark.slow
async def test_two_replicas_deliver_1000_due_reminders_exactly_once(
    postgres_url: str,
    processes: list[BotProcess],  # noqa: F811
) -> None:
    await prepare(postgres_url)
    async with aiohttp.ClientSession() as session:
        a = BotProcess(postgres_url, "--clock", "--reps", str(N))
        processes.append(a)
        b = BotProcess(postgres_url, "--clock", "--reps", str(N))
        processes.append(b)
        await asyncio.gather(a.ready(session), b.ready(session))

        async def all_sent() -> bool:
            rows = await fetch(
                postgres_url, f"SELECT count(*) AS n FROM outbox WHERE status = {SENT}"
            )
            return rows[0]["n"] >= N

        await eventually(all_sent, within=90, every=0.5)
        await asyncio.sleep(2)  # two more ticks of both clocks: a wrongful second send would show
    out = await fetch(postgres_url, "SELECT recipient, status, payload FROM outbox ORDER BY id")
    assert len(out) == N and {r["status"] for r in out} == {SENT}
    assert len({r["recipient"] for r in out}) == N  # one message per rep
    cards = await fetch(postgres_url, "SELECT id, owner_id, state FROM card_instances")
    by_card = {c["id"]: c for c in cards}
    for row in out:
        card = by_card[json.loads(row["payload"])["card_id"]]
        state = json.loads(card["state"]) if isinstance(card["state"], str) else card["state"]
        assert card["owner_id"] == row["recipient"]
        assert f"任务{row['recipient'][3:]}" in state["card"]["note"]
    pushes = await fetch(postgres_url, "SELECT key, batch FROM pushes")
    assert len(pushes) == N and all(p["batch"] is not None for p in pushes)
    ticks = await fetch(
        postgres_url, "SELECT dedupe_key FROM inbox WHERE platform = 'job' ORDER BY id"
    )
    keys = [t["dedupe_key"] for t in ticks]
    assert len(keys) == len(set(keys)) and any(k.startswith("job:deliver:") for k in keys)
