"""``salesbot export KIND [--period 上月] FILE.xlsx``: the importer's columns, filled from the database."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from bot.ops.kinds import KINDS


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "export", help="导出客户、联系人、商机或回款（与导入模板的列相同）"
    )
    p.add_argument("kind", choices=sorted(KINDS))
    p.add_argument("file", help="保存为 .xlsx 或 .csv")
    p.add_argument("--period", help="只导出这段时间的：本月、上月、本季、2026-11、近30天 ……")
    p.add_argument("--config", help="配置文件路径（默认 $SALESBOT_CONFIG 或 ./config.yaml）")
    return p


async def export_file(
    config: AppConfig, kind: str, path: Path, period: str | None, now: datetime
) -> int:
    """Rows written, or -1 when ``period`` is not understood."""
    from bot.ops.exporter import export_rows
    from bot.ops.kinds import template_rows
    from bot.ops.sheets import write_table
    from handlers.shared.periods import parse_period
    from storage.db import Database

    tz = ZoneInfo(config.timezone)
    start = end = None
    if period:
        found = parse_period(period, now, tz)
        if found is None:
            return -1
        start, end = found.start, found.end
    db = Database(config.database.url)
    await db.open()
    try:
        rows = await export_rows(KINDS[kind], tz, start, end)
    finally:
        await db.close()
    headers, _, notes = template_rows(KINDS[kind])
    return write_table(path, headers, rows, notes)


def run(args: argparse.Namespace) -> int:
    from bot.cli import _config_path, load_or_exit

    config = load_or_exit(_config_path(args))
    count = asyncio.run(
        export_file(config, args.kind, Path(args.file), args.period, datetime.now(UTC))
    )
    if count < 0:
        print(
            f"看不懂时间段「{args.period}」：可写 本月、上月、本季、2026-11、近30天",
            file=sys.stderr,
        )
        return 2
    print(f"已导出 {count} 行到 {args.file}")
    return 0
