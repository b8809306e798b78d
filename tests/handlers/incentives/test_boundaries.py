"""Rows at 23:59:59 and at 00:00 Asia/Shanghai on either side of a month edge, a week edge and
the leap day 2028-02-29, placed by measure() and settle() on SQLite and PostgreSQL (which store
and compare the times differently: UTC text, timestamptz)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import Runtime
from handlers.incentives.metrics import measure
from handlers.incentives.settle import SettlementResult, settle
from handlers.shared.periods import Period, period_of
from tests.handlers.incentives.world import TZ, client, deal, pay, step, task


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0, sec: int = 0) -> datetime:
    """A Shanghai wall-clock time, in UTC as the app's clock gives it."""
    return datetime(year, month, day, hour, minute, sec, tzinfo=TZ).astimezone(UTC)


def month(at: datetime) -> Period:
    return period_of("month", at, TZ)


def week(at: datetime) -> Period:
    return period_of("week", at, TZ)


async def value(rt: Runtime, award_id: str, period: Period, now: datetime) -> tuple:  # type: ignore[type-arg]
    award = next(a for a in rt.config.incentives.awards if a.id == award_id)
    m = await measure(rt.db, rt.config.metrics, award, "zhang.wei", period, now)
    return (m.period_key, m.value, m.done, m.total)


def commissions(result: SettlementResult) -> set[str]:
    return {e.ref for r in result.people for e in r.entries if e.kind == "commission"}


def awards(result: SettlementResult, award_id: str) -> list[str]:
    return [e.key for r in result.people for e in r.entries if e.ref == award_id]


NOV_LAST = sh(2026, 11, 30, 23, 59, 59)
DEC_FIRST = sh(2026, 12, 1)


async def test_a_month_edge_in_the_metrics(rt: Runtime) -> None:
    await client("月末客户", "zhang.wei", NOV_LAST)
    await client("月初客户", "zhang.wei", DEC_FIRST)
    await step("zhang.wei", NOV_LAST, 1.0)
    await step("zhang.wei", DEC_FIRST, 5.0)
    now = sh(2026, 12, 2)
    nov, dec = month(NOV_LAST), month(DEC_FIRST)
    assert (nov.key, dec.key) == ("2026-11", "2026-12")
    assert await value(rt, "new_contacts", nov, now) == ("2026-11", 1.0, 1, 0)
    assert await value(rt, "new_contacts", dec, now) == ("2026-12", 1.0, 1, 0)
    assert await value(rt, "collaboration", nov, now) == ("2026-11", 1.0, 1, 1)
    assert await value(rt, "collaboration", dec, now) == ("2026-12", 5.0, 1, 1)


async def test_a_month_edge_in_the_settlement(rt: Runtime) -> None:
    c = await client("回款客户", "zhang.wei", sh(2025, 6, 1))
    last = await pay(c, "first_year", 1, 100_000, NOV_LAST, "B-1")
    first = await pay(c, "renewal", 2, 100_000, DEC_FIRST, "B-2")
    nov = await settle(rt.db, rt.config, month(NOV_LAST), sh(2026, 12, 2))
    assert commissions(nov) == {str(last.id)}
    dec = await settle(rt.db, rt.config, month(DEC_FIRST), sh(2027, 1, 1, 2))
    assert commissions(dec) == {str(first.id)}


async def test_a_week_edge_in_the_metrics_and_the_settlement(rt: Runtime) -> None:
    """Sunday 29 Nov 23:59:59 is W48 (settled with November); Monday 30 Nov 00:00 is W49 (settled
    with December). Demos on time in W46, W47, W48 earn 流程规范奖 for W48; W49's demo is late,
    so the next run of three is W50, W51, W52."""
    demo = await deal(
        await client("演示客户", "zhang.wei", sh(2026, 9, 1)), "方案演示", sh(2026, 11, 1)
    )
    sunday, monday = sh(2026, 11, 29, 23, 59, 59), sh(2026, 11, 30)
    for due in (sh(2026, 11, 12, 18), sh(2026, 11, 19, 18), sunday):
        await task(demo, due, due, sh(2026, 11, 2))  # done right at the due time: on time
    await task(demo, monday, sh(2026, 11, 30, 0, 0, 1), sh(2026, 11, 2))  # a second late
    now = sh(2026, 12, 2)
    assert await value(rt, "process", week(sunday), now) == ("2026-W48", 1.0, 1, 1)
    assert await value(rt, "process", week(monday), now) == ("2026-W49", 0.0, 0, 1)
    nov = await settle(rt.db, rt.config, month(sunday), now)
    assert awards(nov, "process") == ["award:process:zhang.wei:2026-W48"]
    for due in (sh(2026, 12, 9, 18), sh(2026, 12, 16, 18), sh(2026, 12, 27, 23, 59, 59)):
        await task(demo, due, due, sh(2026, 12, 1))
    dec = await settle(rt.db, rt.config, month(DEC_FIRST), sh(2027, 1, 1, 2))
    assert awards(dec, "process") == ["award:process:zhang.wei:2026-W52"]


async def test_the_leap_day(rt: Runtime) -> None:
    leap = sh(2028, 2, 29, 23, 59, 59)
    march = sh(2028, 3, 1)
    feb = month(leap)
    assert (feb.key, feb.end) == ("2028-02", march)
    await client("闰日客户", "zhang.wei", leap)
    await client("三月客户", "zhang.wei", march)
    c = await client("回款客户", "zhang.wei", sh(2027, 6, 1))
    noon = await pay(c, "first_year", 1, 100_000, sh(2028, 2, 29, 12), "L-1")
    night = await pay(c, "renewal", 2, 50_000, leap, "L-2")
    await pay(c, "upsell", 2, 10_000, march, "L-3")
    demo = await deal(
        await client("演示客户", "zhang.wei", sh(2027, 6, 1)), "方案演示", sh(2028, 2, 1)
    )
    await task(demo, sh(2028, 2, 29, 18), sh(2028, 2, 29, 17), sh(2028, 2, 28))
    now = sh(2028, 3, 2)
    assert await value(rt, "new_contacts", feb, now) == ("2028-02", 1.0, 1, 0)
    assert await value(rt, "new_contacts", month(march), now) == ("2028-03", 1.0, 1, 0)
    assert await value(rt, "process", week(leap), now) == ("2028-W09", 1.0, 1, 1)
    result = await settle(rt.db, rt.config, feb, sh(2028, 3, 1, 2))
    assert commissions(result) == {str(noon.id), str(night.id)}
