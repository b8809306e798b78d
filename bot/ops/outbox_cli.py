"""``salesbot outbox retry``: queue given-up messages again once their cause is fixed.

A running bot finds the rows on its next scan (within ``pipeline.poll_seconds``); each gets a
fresh ``pipeline.delivery_give_up_hours``.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import SystemClock
from bot.config.models import AppConfig
from bot.pipeline.outbox import Outbox
from storage.db import Database


def add_arguments(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="outbox_action", required=True)
    retry = actions.add_parser("retry", help="重新发送已放弃的消息（排除原因之后）")
    retry.add_argument(
        "--since", help="只重发此时间之后排队的消息（如 2026-12-03 或 2026-12-03T08:00）"
    )
    retry.add_argument("--recipient", help="只重发给这个平台用户 ID 的消息")
    # Also after the action (`salesbot outbox retry --config x`); SUPPRESS keeps a value given
    # before it.
    retry.add_argument("--config", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def since_ms(text: str | None, tz: ZoneInfo) -> int:
    if not text:
        return 0
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=tz)
    return int(when.timestamp() * 1000)


async def retry(config: AppConfig, since: str | None, recipient: str | None) -> int:
    db = Database(config.database.url)
    await db.open()
    try:
        outbox = Outbox(db, SystemClock())
        return await outbox.requeue(
            since_ms=since_ms(since, ZoneInfo(config.timezone)), recipient=recipient
        )
    finally:
        await db.close()
