"""``salesbot seed --scale demo|medium|large [--seed N]``: the demo history or a large one."""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import UTC, datetime

from bot.config.models import AppConfig
from storage.db import Database, dialect_of, sqlite_path


async def _is_empty(url: str) -> bool:
    from storage.migrate import pending_migrations

    db = Database(url)
    await db.open()
    try:
        if await pending_migrations(db):
            raise SystemExit("数据库结构不是最新：请先运行 salesbot migrate")
        rows = await db.fetch("SELECT COUNT(*) AS n FROM clients")
        return int(rows[0]["n"]) == 0
    finally:
        await db.close()


def seed_large(url: str, scale_name: str, *, seed: int, now: datetime) -> dict[str, int]:
    """Generate and bulk-write a scale's history into an empty, migrated database."""
    from bot.devtools.demo.bigseed import Scale, generate
    from bot.devtools.demo.bulkload import write_postgres, write_sqlite

    if not asyncio.run(_is_empty(url)):
        raise SystemExit("数据库里已有客户数据：大规模数据只写入空数据库")
    started = time.perf_counter()
    data = generate(Scale.named(scale_name), seed=seed, now=now)
    built = time.perf_counter()
    print(f"生成数据用时 {built - started:.1f} 秒", file=sys.stderr)
    if dialect_of(url) == "sqlite":
        write_sqlite(sqlite_path(url), data)
    else:
        asyncio.run(write_postgres(url, data))
    print(f"写入用时 {time.perf_counter() - built:.1f} 秒", file=sys.stderr)
    return {
        "clients": len(data.clients),
        "deals": len(data.deals),
        "followups": len(data.followups),
        "stage_history": len(data.history),
    }


def seed_cli(config: AppConfig, *, scale: str, seed: int, now: str | None) -> int:
    if scale == "demo":
        from bot.devtools.demo.seed import seed_demo_cli

        return seed_demo_cli(config, days=28, seed=seed)
    # Midnight UTC by default: the same seed on the same day writes the same rows.
    at = (
        datetime.fromisoformat(now)
        if now
        else datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    )
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    counts = seed_large(config.database.url, scale, seed=seed, now=at)
    print(
        f"写入 {counts['clients']:,} 个客户、{counts['deals']:,} 个商机、"
        f"{counts['followups']:,} 条跟进记录（截至 {at.date().isoformat()}）"
    )
    return 0
