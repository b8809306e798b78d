"""Reminders at half time and escalations at the limit, each claimed exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import load_config
from bot.orgsync import sync_org
from handlers.approvals.decide import decide
from handlers.approvals.sla_jobs import Duty, escalations_due, reminders_due
from handlers.approvals.store import submit
from storage.db import Database
from tests.handlers.approvals.test_store import CAL, MON_10, plan_for, quote

ROOT = Path(__file__).resolve().parents[3]
CONFIG = load_config(ROOT / "config.yaml", env={})
SUPERVISORS = {p.id: p.supervisor for p in CONFIG.people}


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    await database.open()
    await sync_org(CONFIG, database)
    try:
        yield database
    finally:
        await database.close()


async def test_reminder_at_half_time_then_escalation_at_the_limit_once(db: Database) -> None:
    request = quote(200_000)
    aid = await submit(db, request, plan_for(request), now=MON_10, cal=CAL, sla_hours=8)
    # Submitted Monday 10:00 on 9–18 working days: half time 14:00, limit 18:00.
    assert await reminders_due(MON_10 + timedelta(hours=3, minutes=59)) == []
    at_half = MON_10 + timedelta(hours=4)
    assert await reminders_due(at_half) == [Duty(aid, 1, "zhao.lei")]
    assert await reminders_due(at_half + timedelta(hours=1)) == []  # once
    assert await escalations_due(MON_10 + timedelta(hours=7), SUPERVISORS) == []
    limit = MON_10 + timedelta(hours=8)
    both = await asyncio.gather(
        escalations_due(limit, SUPERVISORS), escalations_due(limit, SUPERVISORS)
    )
    assert sorted(both, key=len) == [[], [Duty(aid, 1, "zhao.lei", "wang.li")]]


async def test_a_decided_step_is_neither_reminded_nor_escalated(db: Database) -> None:
    request = quote(50_000)
    aid = await submit(db, request, plan_for(request), now=MON_10, cal=CAL, sla_hours=8)
    await decide(
        db,
        aid,
        seq=1,
        person_id="zhao.lei",
        approve=True,
        comment=None,
        platform="wecom",
        now=MON_10 + timedelta(hours=1),
        today=MON_10.date(),
        delegations=(),
        cal=CAL,
        sla_hours=8,
    )
    later = MON_10 + timedelta(days=3)
    assert await reminders_due(later) == [] and await escalations_due(later, SUPERVISORS) == []
