"""``salesbot incentives settle --period 2026-11 [--dry-run] [--now ISO]``: the monthly settlement;
``salesbot incentives correct --entry N --amount -1000 --reason … --by ID``: a correction entry.

Until the scheduler runs it as a job, cron (or an operator) calls this on the 1st of the month.
Each participant is told their result through the outbox (one message per person and month,
keyed so a second run queues nothing); the running bot's sender delivers it.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from bot.clock import Clock, ManualClock, SystemClock
from bot.config.models import AppConfig
from bot.directory import Directory
from bot.pipeline.outbox import Outbox, OutgoingMessage
from bot.replies import Text
from handlers.incentives.ledger import CorrectionError, correct
from handlers.incentives.render import settlement_message, settlement_summary
from handlers.incentives.settle import SettlementResult, settle
from handlers.shared.periods import Period, period_from_key, period_of, previous
from storage.db import Database


async def notify(
    outbox: Outbox, directory: Directory, result: SettlementResult, roles: set[str]
) -> int:
    """Queue each participant's result; returns how many messages were queued (or re-queued:
    the outbox drops a key it already has)."""
    messages: list[OutgoingMessage] = []
    for r in result.people:
        person = directory.get(r.person_id)
        if person is None or person.role.value not in roles:
            continue
        address = directory.address(person)
        if address is None:
            continue
        text = settlement_message(result.period.label, r)
        messages.append(
            OutgoingMessage(address, Text(text), f"settle:{result.period.key}:{r.person_id}")
        )
    await outbox.add(messages)
    return len(messages)


def closed_month(key: str | None, now: datetime, tz: ZoneInfo) -> Period:
    """The month named by ``key``, or the last closed month before ``now``."""
    if key is None:
        return previous(period_of("month", now, tz), tz)
    period = period_from_key(key, tz)
    if period is None or period.kind != "month":
        raise SystemExit(f"--period 需要写成 2026-11 这样的月份，而不是“{key}”")
    return period


async def run_settlement(
    config: AppConfig, period_key: str | None, clock: Clock, *, dry_run: bool
) -> str:
    tz = ZoneInfo(config.timezone)
    now = clock.now()
    month = closed_month(period_key, now, tz)
    db = Database(config.database.url)
    await db.open()
    try:
        try:
            result = await settle(db, config, month, now, dry_run=dry_run)
        except ValueError as exc:
            raise SystemExit(str(exc)) from exc
        text = settlement_summary(result)
        if not dry_run:
            roles = {r.value for r in config.incentives.roles}
            sent = await notify(Outbox(db, clock), Directory(config), result, roles)
            text += f"\n已通知 {sent} 人"
        return text
    finally:
        await db.close()


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p: argparse.ArgumentParser = sub.add_parser("incentives", help="激励：月度结算")
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
    print(asyncio.run(run_settlement(config, args.period, clock, dry_run=args.dry_run)))
    return 0
