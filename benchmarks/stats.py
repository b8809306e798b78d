"""Manager stats on a large generated history: p50/p95 per command, SQLite and PostgreSQL.

Run: .venv/bin/python benchmarks/stats.py --db sqlite [--url sqlite:///path.sqlite3]
     .venv/bin/python benchmarks/stats.py --db postgres [--url postgres://postgres@127.0.0.1:5432/statsbench]
     [--scale large|medium] [--runs 20]

The database is migrated and seeded (``salesbot seed --scale large --seed 7``) when it holds no
clients, else reused. Each command is timed as the bot runs it (aggregate SQL + rendering) for
three scopes: everyone (admin/director), a region manager's reps, and one rep.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import load_config_text  # noqa: E402
from bot.config.models import AppConfig  # noqa: E402
from bot.devtools.demo.seedcli import seed_large  # noqa: E402
from handlers.stats.charts import heatmap_png  # noqa: E402
from handlers.stats.compute import build_report  # noqa: E402
from handlers.stats.export import workbook_bytes  # noqa: E402
from handlers.stats.forecast_data import ForecastRates  # noqa: E402
from handlers.stats.forecast_report import forecast  # noqa: E402
from handlers.stats.media import export_sheets  # noqa: E402
from handlers.stats.model import Kind, StatsQuery  # noqa: E402
from handlers.stats.periods import parse_period  # noqa: E402
from handlers.stats.queries import city_conversion  # noqa: E402
from handlers.stats.sql import Filters  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

NOW = datetime(2026, 12, 3, tzinfo=UTC)
TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_URLS = {
    "sqlite": "sqlite:///tmp/salesbot-stats-bench.sqlite3",
    "postgres": "postgres://postgres@127.0.0.1:5432/salesbot_stats_bench",
}


def bench_config(url: str) -> AppConfig:
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config = load_config_text(text, env={"SALESBOT_DATABASE_URL": url})
    # The generated org has five regions; the funnel and sources are the config's.
    from bot.config.org import Region

    regions = tuple(
        Region(id=i, name=n)
        for i, n in [
            ("east", "华东"),
            ("south", "华南"),
            ("north", "华北"),
            ("west", "西南"),
            ("central", "华中"),
        ]
    )
    return config.model_copy(update={"regions": regions})


async def ensure_postgres_db(url: str) -> None:
    import asyncpg

    from storage.db import postgres_credentials

    creds = postgres_credentials(url)
    name = creds.pop("database")
    conn = await asyncpg.connect(**{**creds, "database": "postgres"})
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def scopes(db: Database) -> dict[str, frozenset[str] | None]:
    reps = await db.fetch(
        "SELECT p.id, t.region FROM people p JOIN teams t ON t.id = p.team_id WHERE p.role = 'rep'"
    )
    east = frozenset(str(r["id"]) for r in reps if r["region"] == "east")
    return {"全部": None, "区域经理": east, "单个销售": frozenset({str(reps[0]["id"])})}


def queries() -> list[tuple[str, StatsQuery]]:
    last = parse_period("上月", NOW, TZ)
    return [
        ("漏斗 上月", StatsQuery(Kind.funnel, period=last)),
        ("漏斗 上月 华东", StatsQuery(Kind.funnel, period=last, region="east")),
        ("转化 渠道 上月", StatsQuery(Kind.conversion, period=last, dimension="source")),
        ("转化 区域 上月", StatsQuery(Kind.conversion, period=last, dimension="region")),
        ("停留 上月", StatsQuery(Kind.dwell, period=last)),
        ("排行 成单 上月", StatsQuery(Kind.leaderboard, period=last, metric="won")),
        ("排行 拜访 上月", StatsQuery(Kind.leaderboard, period=last, metric="visits")),
        ("排行 新客户 上月", StatsQuery(Kind.leaderboard, period=last, metric="new_clients")),
        ("停滞", StatsQuery(Kind.stalled)),
    ]


def line(label: str, scope: str, times: list[float]) -> None:
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(f"{label:<16}{scope:<8}{statistics.median(times):>9.1f}{p95:>9.1f}")


async def timed(runs: int, step: Callable[[], Awaitable[object]]) -> list[float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        await step()
        times.append((time.perf_counter() - t) * 1000)
    return times


async def run(url: str, runs: int) -> None:
    config = bench_config(url)
    db = Database(url)
    await db.open()
    last = parse_period("上月", NOW, TZ)
    assert last is not None
    try:
        print(f"{'命令':<16}{'范围':<8}{'p50 ms':>9}{'p95 ms':>9}")
        groups = await scopes(db)
        for label, query in queries():
            for scope_name, owners in groups.items():
                f = Filters(owners=owners, region=query.region)
                line(
                    label,
                    scope_name,
                    await timed(
                        runs,
                        lambda q=query, f=f, s=scope_name: build_report(db, config, q, f, NOW, s),
                    ),
                )
        for scope_name, owners in groups.items():
            f = Filters(owners=owners)
            cells = await timed(runs, lambda f=f: city_conversion(db, f, last.start, last.end))
            line("热力图 查询", scope_name, cells)
        data = await city_conversion(db, Filters(), last.start, last.end)
        line(
            "热力图 绘图*",
            "全部",
            await timed(max(3, runs // 4), lambda: asyncio.to_thread(heatmap_png, "热力图", data)),
        )
        warm = ForecastRates(db)
        await forecast(db, config, Filters(), NOW, warm)  # the day's rates, computed once
        for scope_name, owners in groups.items():
            f = Filters(owners=owners)
            line(
                "预测 首次*",
                scope_name,
                await timed(2, lambda f=f: forecast(db, config, f, NOW, ForecastRates(db))),
            )
            line(
                "预测",
                scope_name,
                await timed(runs, lambda f=f: forecast(db, config, f, NOW, warm)),
            )
        export = StatsQuery(Kind.export, period=last)
        for scope_name, owners in groups.items():
            f = Filters(owners=owners)

            async def build(f: Filters = f, s: str = scope_name) -> bytes:
                sheets = await export_sheets(db, config, export, f, NOW, s, warm)
                return await asyncio.to_thread(workbook_bytes, [("范围", s)], sheets)

            line("导出*", scope_name, await timed(max(3, runs // 4), build))
        print(
            "* 不计入 300 ms 目标：绘图在线程中进行；预测首次计算各阶段历史赢单率后按天缓存；导出生成文件。"
        )
    finally:
        await db.close()


async def is_empty(url: str) -> bool:
    db = Database(url)
    await db.open()
    try:
        return int((await db.fetch("SELECT COUNT(*) AS n FROM clients"))[0]["n"]) == 0
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--url")
    parser.add_argument("--scale", default="large")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    url = args.url or DEFAULT_URLS[args.db]
    if args.db == "postgres":
        asyncio.run(ensure_postgres_db(url))
    asyncio.run(upgrade(url))
    if asyncio.run(is_empty(url)):
        started = time.perf_counter()
        counts = seed_large(url, args.scale, seed=7, now=NOW)
        print(f"seeded {counts} in {time.perf_counter() - started:.0f} s")
    asyncio.run(run(url, args.runs))


if __name__ == "__main__":
    main()
