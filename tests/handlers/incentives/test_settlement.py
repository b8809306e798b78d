"""Metrics, settlement and corrections on SQLite and PostgreSQL, against the hand-computed world."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from decimal import Decimal

import pytest

from bot.app import Runtime
from bot.config.incentives import Award
from handlers.incentives.ledger import CorrectionError, balance, correct
from handlers.incentives.metrics import measure
from handlers.incentives.settle import settle
from handlers.shared.periods import period_of
from storage.models import LedgerEntry, Payment, Task
from tests.handlers.incentives.world import (
    NOW,
    TZ,
    client,
    local,
    pay,
    seed_incentives_world,
    task,
)

SETTLE_AT = local(12, 1, 2)  # 1 Dec 2026 02:00, when the monthly job runs
NOVEMBER = period_of("month", local(11, 15), TZ)


def award(rt: Runtime, award_id: str) -> Award:
    return next(a for a in rt.config.incentives.awards if a.id == award_id)


async def value(rt: Runtime, award_id: str, at: datetime, now: datetime = NOW) -> tuple:  # type: ignore[type-arg]
    a = award(rt, award_id)
    period = period_of(a.period, at, TZ)  # type: ignore[arg-type]
    m = await measure(rt.db, rt.config.metrics, a, "zhang.wei", period, now)
    return (m.value, m.done, m.total, m.pending)


async def test_each_metric_on_the_world(rt: Runtime) -> None:
    await seed_incentives_world()
    assert (await value(rt, "new_contacts", NOW))[0] == 12
    assert await value(rt, "process", local(11, 10)) == (1.0, 1, 1, 0)  # W46
    assert await value(rt, "process", local(11, 17)) == (1.0, 1, 1, 0)  # W47: 商务谈判 not counted
    assert await value(rt, "process", NOW) == (0.5, 1, 2, 1)  # W48: one due tomorrow
    assert await value(rt, "process", local(11, 3)) == (None, 0, 0, 0)  # W45: nothing planned
    assert (await value(rt, "collaboration", NOW))[:3] == (2.0, 2, 2)


async def test_a_late_demo_is_not_on_time(rt: Runtime) -> None:
    world = await seed_incentives_world()
    pending = world["pending_task"]
    assert isinstance(pending, Task)
    await Task.filter(id=pending.id).update(status="done", completed_at=local(11, 29))
    assert await value(rt, "process", NOW, now=SETTLE_AT) == (0.5, 1, 2, 0)
    await Task.filter(id=pending.id).update(completed_at=local(11, 28, 18))  # exactly at due time
    assert await value(rt, "process", NOW, now=SETTLE_AT) == (1.0, 2, 2, 0)


def summary(result: object) -> dict[str, list[tuple[str, str, Decimal, int]]]:
    return {
        r.person_id: sorted((e.kind, e.ref, e.amount, e.points) for e in r.entries)  # type: ignore[attr-defined]
        for r in result.people  # type: ignore[attr-defined]
        if r.entries
    }


EXPECTED_NOVEMBER = {
    "zhang.wei": sorted(
        [
            ("award", "collaboration", Decimal("1500.00"), 30),  # 2.0 h average
            ("allowance", "1", Decimal("300.00"), 0),
            ("commission", "P1", Decimal("15000.00"), 0),  # first year 30万 × 5 %
            ("commission", "P4", Decimal("3000.00"), 0),  # renewal year 2 10万 × 3 %
            ("commission", "P5", Decimal("3500.00"), 0),  # renewal year 4 5万 × 7 %
        ]
    ),
    "li.na": [("allowance", "2", Decimal("600.00"), 0)],
}


def named(result: object, ids: dict[int, str]) -> dict[str, list[tuple[str, str, Decimal, int]]]:
    out = summary(result)
    return {
        pid: sorted(
            (k, ids.get(int(ref), ref) if k == "commission" else ref, a, p) for k, ref, a, p in rows
        )
        for pid, rows in out.items()
    }


async def payment_ids() -> dict[int, str]:
    from storage.models import Payment

    return {p.id: p.external_ref.replace("-", "") for p in await Payment.all()}


async def test_settlement_is_idempotent(rt: Runtime) -> None:
    await seed_incentives_world()
    ids = await payment_ids()
    dry = await settle(rt.db, rt.config, NOVEMBER, SETTLE_AT, dry_run=True)
    assert (dry.created, dry.existing) == (6, 0)
    assert await LedgerEntry.all().count() == 0
    first = await settle(rt.db, rt.config, NOVEMBER, SETTLE_AT)
    assert named(first, ids) == EXPECTED_NOVEMBER
    assert (first.created, first.existing) == (6, 0)
    rows = await LedgerEntry.all().order_by("id").values_list("settlement_key", "amount")
    again = await settle(rt.db, rt.config, NOVEMBER, SETTLE_AT)
    assert again.created == 0
    assert await LedgerEntry.all().order_by("id").values_list("settlement_key", "amount") == rows
    assert (await balance("zhang.wei")).amount == Decimal("23300.00")
    assert (await balance("zhang.wei")).points == 30


async def test_three_running_weeks_earn_the_process_award(rt: Runtime) -> None:
    world = await seed_incentives_world()
    pending = world["pending_task"]
    assert isinstance(pending, Task)
    await Task.filter(id=pending.id).update(status="done", completed_at=local(11, 27))
    result = await settle(rt.db, rt.config, NOVEMBER, SETTLE_AT)
    awards = [e for r in result.people for e in r.entries if e.kind == "award"]
    assert sorted((e.ref, e.key) for e in awards) == [
        ("collaboration", "award:collaboration:zhang.wei:2026-11"),
        ("process", "award:process:zhang.wei:2026-W48"),  # W46, W47, W48 all on time
    ]


async def test_an_unfinished_month_is_refused(rt: Runtime) -> None:
    with pytest.raises(ValueError, match="还没有结束"):
        await settle(rt.db, rt.config, NOVEMBER, NOW)


async def test_a_correction_is_a_new_entry(rt: Runtime) -> None:
    await seed_incentives_world()
    await settle(rt.db, rt.config, NOVEMBER, SETTLE_AT)
    original = await LedgerEntry.get(
        kind="commission", person_id="zhang.wei", amount=Decimal("3000.00")
    )
    fix = await correct(original.id, Decimal("-1000"), "合同金额应为 6.67万", "ma.jun", SETTLE_AT)
    assert (fix.kind, fix.corrects_id, fix.period, fix.created_by) == (
        "correction",
        original.id,
        "2026-11",
        "ma.jun",
    )
    assert (await LedgerEntry.get(id=original.id)).amount == Decimal("3000.00")  # untouched
    assert (await balance("zhang.wei")).amount == Decimal("22300.00")
    again = await settle(rt.db, rt.config, NOVEMBER, SETTLE_AT)
    assert again.created == 0  # the correction is not undone by a re-run
    with pytest.raises(CorrectionError):
        await correct(original.id, Decimal("1"), " ", "ma.jun", SETTLE_AT)
    with pytest.raises(CorrectionError):
        await correct(99_999, Decimal("1"), "原因", "ma.jun", SETTLE_AT)


async def test_each_rep_is_told_once(rt: Runtime) -> None:
    from handlers.incentives.jobs import settlement_pushes

    await seed_incentives_world()
    result = await settle(rt.db, rt.config, NOVEMBER, SETTLE_AT)
    told = settlement_pushes(rt.config, result)
    reps = sorted(p.id for p in rt.config.people if p.role.value == "rep")
    assert [p.key for p in told] == [f"settle:2026-11:{pid}" for pid in reps]
    zhang = next(p for p in told if p.person_id == "zhang.wei")
    assert "2026年11月激励结算结果：" in zhang.text
    assert "协作之星奖：1,500元，积分 30" in zhang.text
    assert "合计 23,300元" in zhang.text
    again = await settle(rt.db, rt.config, NOVEMBER, SETTLE_AT)
    assert settlement_pushes(rt.config, again) == []  # a second run has nothing to tell


def test_the_cli_settles_the_last_closed_month(sqlite_url: str) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "SALESBOT_DATABASE_URL": sqlite_url}
    cmd = [
        sys.executable,
        "-m",
        "bot",
        "incentives",
        "settle",
        "--now",
        "2026-12-01T02:00:00+08:00",
    ]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    # an empty database: only the certificate allowances (张伟 1 × 300, 李娜 2 × 300)
    assert first.stdout.startswith("2026年11月：写入 2 条，已存在 0 条；5 人，合计 900元\n")
    second = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    assert second.stdout.startswith("2026年11月：写入 0 条，已存在 2 条；")
    fix = [sys.executable, "-m", "bot", "incentives", "correct", "--entry", "1", "--amount", "-300"]
    done = subprocess.run(
        [*fix, "--reason", "证书已过期", "--by", "ma.jun"], env=env, capture_output=True, text=True
    )
    assert done.stdout == "已追加更正记录 3（更正 1）：-300 元，积分 0\n", done.stderr
    wrong = subprocess.run([*cmd, "--period", "2026-W48"], env=env, capture_output=True, text=True)
    assert wrong.returncode == 1 and "--period 需要写成 2026-11" in wrong.stderr


async def test_points_are_redeemed_from_the_balance(rt: Runtime) -> None:
    from handlers.incentives.ledger import redeem

    await seed_incentives_world()
    await settle(rt.db, rt.config, NOVEMBER, SETTLE_AT)
    assert (await balance("zhang.wei")).points == 30  # 协作之星奖
    with pytest.raises(CorrectionError, match="积分不足：需要 100，现有 30"):
        await redeem(
            rt.db,
            "zhang.wei",
            "leave_day",
            1,
            rt.config.incentives.points.leave_day,
            "hr",
            SETTLE_AT,
        )
    await correct(
        (await LedgerEntry.get(kind="award")).id,
        Decimal(0),
        "补发积分",
        "ma.jun",
        SETTLE_AT,
        points=40,
    )
    spent = await redeem(
        rt.db, "zhang.wei", "training", 1, rt.config.incentives.points.training, "hr", SETTLE_AT
    )
    assert (spent.kind, spent.points) == ("redemption", -50)
    assert (await balance("zhang.wei")).points == 20
    # Two redemptions at the same moment against 20 points, 20 each: exactly one goes through.
    both = await asyncio.gather(
        *(redeem(rt.db, "zhang.wei", "x", 1, 20, "hr", SETTLE_AT) for _ in range(2)),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in both) == ["CorrectionError", "LedgerEntry"]
    assert (await balance("zhang.wei")).points == 0


async def backfill(c: object, at: datetime, ref: str, recorded: datetime) -> Payment:
    p = await pay(c, "renewal", 2, 100_000, at, ref)  # type: ignore[arg-type]
    await Payment.filter(id=p.id).update(created_at=recorded)
    return p


async def test_commission_goes_by_when_paid_not_when_recorded(rt: Runtime) -> None:
    """A first import of past years' payments (all recorded this month) earns no commission;
    a payment of last month recorded late still does."""
    await seed_incentives_world()
    c = await client("历史客户", "zhang.wei", local(1, 1, year=2024))
    recorded = local(11, 20)
    old = await backfill(c, local(3, 15, year=2025), "H-1", recorded)
    september = await backfill(c, local(9, 30, 23), "H-2", recorded)
    late = await backfill(c, local(10, 31, 23), "H-3", recorded)  # late last month
    since = rt.config.incentives.model_copy(update={"commission_from": date(2025, 1, 1)})
    configured = rt.config.model_copy(update={"incentives": since})
    dry = await settle(rt.db, configured, NOVEMBER, SETTLE_AT, dry_run=True)
    paid = {e.ref for r in dry.people for e in r.entries if e.kind == "commission"}
    assert {str(old.id), str(september.id), str(late.id)} <= paid  # history from 2025 on
    await settle(rt.db, rt.config, NOVEMBER, SETTLE_AT)
    keys = set(await LedgerEntry.filter(kind="commission").values_list("settlement_key", flat=True))
    assert f"pay:{late.id}" in keys
    assert f"pay:{old.id}" not in keys and f"pay:{september.id}" not in keys
    assert len(keys) == 4  # P-1, P-4, P-5 and the late one


def test_points_are_redeemed_with_the_cli(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.setenv("SALESBOT_DATABASE_URL", sqlite_url)

    def run(*argv: str) -> str:
        with pytest.raises(SystemExit) as done:
            main(["incentives", *argv])
        if done.value.code not in (0, None):
            return f"错误：{done.value.code}"
        return capsys.readouterr().out

    run("settle", "--now", "2026-12-01T02:00:00+08:00")  # entry 1: 张伟's allowance
    fix = ["correct", "--entry", "1", "--amount", "0", "--points", "150", "--reason", "补发积分"]
    assert run(*fix, "--by", "ma.jun").startswith("已追加更正记录 3")
    redeem = ["redeem", "--person", "zhang.wei", "--by", "ma.jun"]
    assert run(*redeem, "--what", "年假", "--count", "1") == (
        "已为 张伟 兑换年假 1 天，扣除 100 积分，剩余 50 积分（记录 4）\n"
    )
    assert run(*redeem, "--what", "training", "--count", "2") == "错误：积分不足：需要 100，现有 50"
    assert run(*redeem, "--what", "training") == (
        "已为 张伟 兑换培训 1 次，扣除 50 积分，剩余 0 积分（记录 5）\n"
    )
    assert run(*redeem, "--what", "购物卡") == (
        "错误：不能兑换“购物卡”，可选：leave_day（年假，每天 100 积分）、"
        "training（培训，每次 50 积分）"
    )
    assert run(*redeem, "--what", "年假", "--count", "0") == "错误：兑换数量至少为 1"
    assert (
        run(*redeem, "--what", "年假", "--count", "两") == "错误：--count 需要是正整数，而不是“两”"
    )
    assert run("redeem", "--person", "nobody", "--what", "年假", "--by", "ma.jun") == (
        "错误：配置里没有人员“nobody”（--person 填人员 id）"
    )


async def test_payout_so_far_counts_a_week_earned_earlier_this_month(rt: Runtime) -> None:
    """W45, W46 and W47 on time: 流程规范奖 is earned for W47 (paid when November is settled),
    and the rep's payout so far says so in W48; once settled it is in the ledger instead."""
    from handlers.incentives.ledger import award_key
    from handlers.incentives.standing import standing

    world = await seed_incentives_world()
    demo = world["demo_deal"]
    await task(demo, local(11, 5, 18), local(11, 5), local(11, 2))  # type: ignore[arg-type]
    s = await standing(rt.db, rt.config, "zhang.wei", "张伟", NOW)
    process = next(st for st in s.awards if st.award.id == "process")
    assert not process.earned  # W48 itself: one demo still open
    assert s.bonus == Decimal(1500 + 1000)  # 协作之星奖 this month + 流程规范奖 for W47
    await LedgerEntry.create(
        person_id="zhang.wei",
        kind="award",
        period="2026-11",
        ref="process",
        amount=Decimal(1000),
        settlement_key=award_key("process", "zhang.wei", "2026-W47"),
        created_at=NOW,
    )
    again = await standing(rt.db, rt.config, "zhang.wei", "张伟", NOW)
    assert again.bonus == Decimal(1500)  # settled: counted in the ledger, not twice
