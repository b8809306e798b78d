"""Forecast backtest on the generated history: how often the realised month fell inside P10–P90.

Run: .venv/bin/python benchmarks/forecast_backtest.py [--url sqlite:///tmp/salesbot-stats-bench.sqlite3]
     [--history-months 12] [--days 1,11,21] [--by-region]

Uses a database seeded by benchmarks/stats.py (``salesbot seed --scale large``, now = 2026-12-03).
For every past month with ``--history-months`` of history before it, the forecast is made as it
would have been on each given day of that month (pipeline rebuilt from stage history), then
compared with the revenue that month actually closed. Well calibrated is about 80 % inside.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.stats import DEFAULT_URLS, NOW, bench_config  # noqa: E402
from handlers.stats.forecast_data import ForecastRates, won_between  # noqa: E402
from handlers.stats.forecast_report import forecast  # noqa: E402
from handlers.stats.periods import period_of  # noqa: E402
from handlers.stats.sql import Filters  # noqa: E402
from storage.db import Database  # noqa: E402


async def run(url: str, history_months: int, days: list[int], by_region: bool) -> None:
    base = bench_config(url)
    settings = base.metrics.forecast.model_copy(update={"history_days": history_months * 30})
    config = base.model_copy(
        update={"metrics": base.metrics.model_copy(update={"forecast": settings})}
    )
    tz = ZoneInfo(config.timezone)
    db = Database(url)
    await db.open()
    rates = ForecastRates(db)
    try:
        first = (await db.fetch("SELECT MIN(created_at) AS t FROM deals"))[0]["t"]
        start = datetime.fromisoformat(str(first)) if isinstance(first, str) else first
        month = period_of("month", NOW, tz)
        months = []
        cursor = month.start
        while True:
            past = period_of("month", cursor - timedelta(days=1), tz)
            if past.start - timedelta(days=30 * history_months) < start:
                break
            months.append(past)
            cursor = past.start
        scopes = {"全部": Filters()}
        if by_region:
            scopes |= {r.name: Filters(region=r.id) for r in config.regions}
        inside = total = 0
        width: list[float] = []
        print(
            f"{'月份':<9}{'日':>3} {'范围':<5}{'P10 万':>9}{'P50 万':>9}{'P90 万':>9}{'实际 万':>9}  结果"
        )
        started = time.perf_counter()
        for m in reversed(months):
            for day in days:
                at = m.start + timedelta(days=day - 1)
                for name, f in scopes.items():
                    result = await forecast(
                        db, config, f, at.astimezone(UTC), rates, as_of_history=True
                    )
                    actual = await won_between(db, f, m.start, m.end)
                    r = result.range
                    ok = r.contains(actual)
                    inside += ok
                    total += 1
                    width.append((r.high - r.low) / max(r.median, 1))
                    print(
                        f"{m.key:<9}{day:>3} {name:<5}{r.low / 1e4:>9.0f}{r.median / 1e4:>9.0f}"
                        f"{r.high / 1e4:>9.0f}{actual / 1e4:>9.0f}  {'在区间内' if ok else '区间外'}"
                    )
        print(
            f"\n{total} 次预测（{len(months)} 个月 × {len(days)} 个时点 × {len(scopes)} 个范围），"
            f"实际落在 P10–P90 内：{inside}/{total} = {100 * inside / max(total, 1):.0f}%；"
            f"区间宽度中位数 {100 * sorted(width)[len(width) // 2]:.0f}% of P50；"
            f"用时 {time.perf_counter() - started:.0f} 秒"
        )
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=DEFAULT_URLS["sqlite"])
    parser.add_argument("--history-months", type=int, default=12)
    parser.add_argument("--days", default="1,11,21")
    parser.add_argument("--by-region", action="store_true")
    args = parser.parse_args()
    days = [int(d) for d in args.days.split(",")]
    asyncio.run(run(args.url, args.history_months, days, args.by_region))


if __name__ == "__main__":
    main()
