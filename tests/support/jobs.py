"""Run scheduled jobs in tests the way the clock would, at a given time: no sleeping, no ticks."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.clock import job_event
from storage.db import Database
from tests.support.harness import Harness
from tests.support.waiting import eventually

TZ = ZoneInfo("Asia/Shanghai")


def sh(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """A time in Shanghai: sh(2026, 12, 3, 9) is 09:00 on 3 December 2026."""
    return datetime(year, month, day, hour, minute, second, tzinfo=TZ)


async def run_slot(
    bot: Harness, name: str, at: datetime, *, as_of: datetime | None = None, late: bool = False
) -> None:
    """Store the tick of job ``name`` for slot ``at`` in the inbox and wait until it was handled."""
    rt = bot.runtime
    rt.clock.set(as_of or at)  # type: ignore[attr-defined]
    event = job_event(name, at, as_of or at, TZ, late=late)
    await rt.inbox.put(event)
    await inbox_done(rt.db, event.dedupe_key)


async def inbox_done(db: Database, key: str) -> None:
    async def done() -> bool:
        rows = await db.fetch("SELECT status, error FROM inbox WHERE dedupe_key = ?", key)
        if rows and rows[0]["error"]:
            raise AssertionError(f"job failed: {rows[0]['error']}")
        return bool(rows) and rows[0]["status"] == 2

    await eventually(done, within=20)


async def pushes(db: Database) -> list[dict[str, Any]]:
    return await db.fetch(
        "SELECT key, person_id, kind, text, task_id, deliver_at, batch FROM pushes ORDER BY id"
    )
