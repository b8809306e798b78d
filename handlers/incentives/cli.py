"""``salesbot incentives settle --period 2026-11 [--dry-run] [--now ISO]``: the monthly settlement;
``salesbot incentives correct --entry N --amount -1000 --reason … --by ID``: a correction entry;
``salesbot incentives redeem --person ID --what leave_day|training --count N --by ID``: spend points.

The scheduled job ``incentive-settlement`` settles each closed month by itself; this is the same
settlement by hand (another month, a dry run, a re-run after fixing data). It tells people what
the job would, through the same pushes (``jobs.owed_pushes``, one key per rep and month), so
running it after the job — or the job after it — messages nobody twice; the running bot delivers
them after quiet hours.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from bot.clock import Clock, ManualClock, SystemClock
from bot.config.models import AppConfig
from handlers.incentives.jobs import owed_pushes
from handlers.incentives.ledger import (
    REDEEM_CN,
    REDEEM_UNIT,
    CorrectionError,
    balance,
    correct,
    redeem,
)
from handlers.incentives.render import settlement_summary
from handlers.incentives.settle import settle
from handlers.shared.periods import Period, period_from_key, period_of, previous
from handlers.shared.workcal import WorkCalendar
from scheduler.pushes import PushStore
from storage.db import Database


def closed_month(key: str | None, now: datetime, tz: ZoneInfo) -> Period:
    """The month named by ``key``, or the last closed month before ``now``."""
    if key is None:
        return previous(period_of("month", now, tz), tz)
    period = period_from_key(key, tz)
    if period is None or period.kind != "month":
        raise SystemExit(f"--period 需要写成 2026-11 这样的月份，而不是“{key}”")
    return period


async def settle_month(
    db: Database,
    config: AppConfig,
    month: Period,
    now: datetime,
    pushes: PushStore,
    *,
    dry_run: bool,
) -> str:
    """Settle ``month`` and queue what it tells people; returns the operator's summary."""
    try:
        result = await settle(db, config, month, now, dry_run=dry_run)
    except ValueError as exc:
        raise SystemExit(str(exc)) from exc
    text = settlement_summary(result)
    if not dry_run:
        told = await pushes.store(await owed_pushes(config, result), now)
        text += f"\n新通知 {len(told)} 条，运行中的机器人会按免打扰规则发送"
    return text


async def run_settlement(
    config: AppConfig, period_key: str | None, clock: Clock, *, dry_run: bool
) -> str:
    tz = ZoneInfo(config.timezone)
    now = clock.now()
    month = closed_month(period_key, now, tz)
    db = Database(config.database.url)
    await db.open()
    try:
        pushes = PushStore(db, config, WorkCalendar(config.calendar, tz))
        return await settle_month(db, config, month, now, pushes, dry_run=dry_run)
    finally:
        await db.close()


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p: argparse.ArgumentParser = sub.add_parser("incentives", help="激励：月度结算、更正、积分兑换")
    p.add_argument("--config", help="配置文件路径（默认 $SALESBOT_CONFIG 或 ./config.yaml）")
    action = p.add_subparsers(dest="action", required=True)
    s = action.add_parser("settle", help="结算一个已结束的月份（可重复执行，不会重复入账）")
    s.add_argument("--period", help="月份，如 2026-11（默认上个月）")
    s.add_argument("--dry-run", action="store_true", help="只显示将写入的内容")
    s.add_argument("--now", help="当作现在的时刻（ISO 格式，测试和补跑用）")
    c = action.add_parser("correct", help="更正一条激励记录（追加一条更正，原记录不变）")
    c.add_argument("--entry", type=int, required=True, help="被更正记录的编号")
    c.add_argument("--amount", required=True, help="金额差额，如 -1000（收回）或 500（补发）")
    c.add_argument("--points", type=int, default=0, help="积分差额")
    c.add_argument("--reason", required=True, help="更正原因")
    c.add_argument("--by", required=True, help="操作人的人员 id")
    r = action.add_parser("redeem", help="用积分兑换年假或培训（追加一条兑换记录，扣减积分）")
    r.add_argument("--person", required=True, help="兑换人的人员 id")
    r.add_argument(
        "--what", required=True, help="兑换什么：leave_day 年假（按天）/ training 培训（按次）"
    )
    r.add_argument("--count", default="1", help="数量（天数或次数，默认 1）")
    r.add_argument("--by", required=True, help="操作人的人员 id")
    return p


async def run_correction(config: AppConfig, args: argparse.Namespace, now: datetime) -> str:
    db = Database(config.database.url)
    await db.open()
    try:
        entry = await correct(
            args.entry, Decimal(args.amount), args.reason, args.by, now, points=args.points
        )
    except (CorrectionError, InvalidOperation) as exc:
        raise SystemExit(str(exc) or "金额写法不对") from exc
    finally:
        await db.close()
    return f"已追加更正记录 {entry.id}（更正 {args.entry}）：{args.amount} 元，积分 {args.points}"


def redeemable(config: AppConfig) -> dict[str, int]:
    """What points buy, from ``incentives.points``: option → points for one (day, course)."""
    return dict(config.incentives.points.model_dump())


def redemption_option(config: AppConfig, text: str) -> str:
    """``--what`` as the config's option name or its Chinese word (年假, 培训)."""
    options = redeemable(config)
    for key in options:
        if text.strip() in (key, REDEEM_CN.get(key)):
            return key
    listed = "、".join(
        f"{k}（{REDEEM_CN.get(k, k)}，每{REDEEM_UNIT.get(k, '份')} {cost} 积分）"
        for k, cost in options.items()
    )
    raise SystemExit(f"不能兑换“{text}”，可选：{listed}")


async def run_redemption(config: AppConfig, args: argparse.Namespace, now: datetime) -> str:
    what = redemption_option(config, args.what)
    person = next((p for p in config.people if p.id == args.person), None)
    if person is None:
        raise SystemExit(f"配置里没有人员“{args.person}”（--person 填人员 id）")
    if not str(args.count).isdecimal():
        raise SystemExit(f"--count 需要是正整数，而不是“{args.count}”")
    count, cost = int(args.count), redeemable(config)[what]
    db = Database(config.database.url)
    await db.open()
    try:
        # The ledger's month is the organisation's: 07:00 on the 1st in Shanghai is not last month.
        local = now.astimezone(ZoneInfo(config.timezone))
        entry = await redeem(db, person.id, what, count, cost, args.by, local)
        left = (await balance(person.id)).points
    except CorrectionError as exc:
        raise SystemExit(str(exc)) from exc
    finally:
        await db.close()
    unit = REDEEM_UNIT.get(what, "份")
    return (
        f"已为 {person.name} 兑换{REDEEM_CN.get(what, what)} {count} {unit}，"
        f"扣除 {-entry.points} 积分，剩余 {left} 积分（记录 {entry.id}）"
    )


def run(args: argparse.Namespace) -> int:
    from bot.cli import _config_path, load_or_exit

    config = load_or_exit(_config_path(args))
    clock: Clock = SystemClock()
    if getattr(args, "now", None):
        at = datetime.fromisoformat(args.now)
        clock = ManualClock(at if at.tzinfo else at.replace(tzinfo=UTC))
    if args.action == "correct":
        print(asyncio.run(run_correction(config, args, clock.now())))
        return 0
    if args.action == "redeem":
        print(asyncio.run(run_redemption(config, args, clock.now())))
        return 0
    print(asyncio.run(run_settlement(config, args.period, clock, dry_run=args.dry_run)))
    return 0
