"""/我的激励 on the large generated history: p50/p95, SQLite and PostgreSQL.

Run: .venv/bin/python benchmarks/incentives.py --db sqlite [--url sqlite:///path.sqlite3]
     .venv/bin/python benchmarks/incentives.py --db postgres [--url postgres://…/salesbot_inc_bench]
     [--scale large|medium] [--runs 40]

The database is migrated and seeded (``salesbot seed --scale large --seed 7``: 1M follow-ups) when
it holds no clients. The large seed has no payments, next-action tasks or work orders, so they are
generated deterministically once (seeded RNG): yearly payments per client (first year, renewals
with a 75 % renewal chance, some upsell), a next-action task for every deal that entered 方案演示,
and approval steps decided by reps. Each run answers /我的激励 for a different rep as the handler
does (every award's metric, this month's pay, the projection) and renders the text; the chart is
drawn in a worker thread and is timed apart.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.stats import bench_config, ensure_postgres_db, is_empty  # noqa: E402
from bot.config.models import AppConfig  # noqa: E402
from bot.devtools.demo.seedcli import seed_large  # noqa: E402
from handlers.incentives.chart import projection_png  # noqa: E402
from handlers.incentives.render import standing_text  # noqa: E402
from handlers.incentives.standing import standing  # noqa: E402
from storage.db import Database, dialect_of, postgres_credentials, sqlite_path  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

NOW = datetime(2026, 12, 3, tzinfo=UTC)
DEFAULT_URLS = {
    "sqlite": "sqlite:///tmp/salesbot-inc-bench.sqlite3",
    "postgres": "postgres://postgres@127.0.0.1:5432/salesbot_inc_bench",
}
Rows = dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]


async def extras(db: Database, seed: int = 7) -> Rows:
    """Payments, demo tasks and work orders, the same for the same seeded history."""
    rng = random.Random(seed)
    clients = await db.fetch("SELECT id, owner_id, created_at FROM clients ORDER BY id")
    payments: list[tuple[Any, ...]] = []
    for c in clients:
        start = as_dt(c["created_at"]) + timedelta(days=rng.randint(20, 90))
        year, at = 1, start
        while at < NOW:
            amount = Decimal(rng.randint(5, 60) * 10_000)
            kind = "first_year" if year == 1 else "renewal"
            payments.append(
                (c["id"], c["owner_id"], kind, year, amount, at, f"B-{len(payments)}", at)
            )
            if year > 1 and rng.random() < 0.1:
                up = at + timedelta(days=rng.randint(30, 200))
                if up < NOW:
                    payments.append(
                        (
                            c["id"],
                            c["owner_id"],
                            "upsell",
                            year,
                            amount / 4,
                            up,
                            f"B-{len(payments)}",
                            up,
                        )
                    )
            if rng.random() > 0.75:
                break
            year, at = year + 1, at + timedelta(days=365)
    demos = await db.fetch(
        """SELECT h.deal_id, h.changed_at, d.owner_id, d.client_id FROM stage_history h
           JOIN deals d ON d.id = h.deal_id WHERE h.to_stage = '方案演示' ORDER BY h.id"""
    )
    tasks: list[tuple[Any, ...]] = []
    for i, h in enumerate(demos):
        planned = as_dt(h["changed_at"]) + timedelta(hours=1)
        due = planned + timedelta(days=rng.randint(2, 7))
        roll = rng.random()
        status, done = ("open", None) if due > NOW else ("done", due - timedelta(hours=3))
        if status == "done" and roll < 0.12:
            done = due + timedelta(hours=rng.randint(1, 48))  # late
        tasks.append(
            (
                "next_action",
                h["owner_id"],
                h["deal_id"],
                h["client_id"],
                "方案演示",
                due,
                status,
                done,
                planned,
                f"bench:{i}",
                0,
            )
        )
    reps = [r["id"] for r in await db.fetch("SELECT id FROM people WHERE role = 'rep' ORDER BY id")]
    approvals: list[tuple[Any, ...]] = []
    steps: list[tuple[Any, ...]] = []
    base = (await db.fetch("SELECT COALESCE(MAX(id), 0) AS n FROM approvals"))[0]["n"]
    for i in range(20_000):
        created = NOW - timedelta(days=rng.randint(1, 540), hours=rng.randint(0, 8))
        aid = int(base) + i + 1
        requester = rng.choice(reps)
        approvals.append((aid, "quote", requester, "报价审批", "{}", "approved", created, 1))
        decided = created + timedelta(hours=rng.uniform(0.2, 30))
        who = rng.choice(reps)
        elapsed = round(rng.uniform(0.2, 9), 2)
        steps.append((aid, 1, who, "approve", "approved", decided, who, elapsed))
    return {
        "payments": (
            ("client_id", "owner_id", "kind", "contract_year", "amount", "paid_at", "external_ref", "created_at"),
            payments,
        ),
        "tasks": (
            ("kind", "assignee_id", "deal_id", "client_id", "title", "due_at", "status", "completed_at", "created_at", "source_id", "escalation_level"),
            tasks,
        ),
        "approvals": (
            ("id", "template", "requester_id", "title", "form", "status", "created_at", "current_step"),
            approvals,
        ),
        "approval_steps": (
            ("approval_id", "seq", "approver_id", "kind", "status", "decided_at", "decided_by", "elapsed_hours"),
            steps,
        ),
    }  # fmt: skip


def as_dt(value: object) -> datetime:
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def write_sqlite(url: str, rows: Rows) -> None:
    def conv(v: Any) -> Any:
        if isinstance(v, datetime):
            return v.isoformat(sep=" ")  # the ORM's text form, so comparisons line up
        return str(v) if isinstance(v, Decimal) else v

    conn = sqlite3.connect(sqlite_path(url))
    try:
        with conn:
            for table, (cols, data) in rows.items():
                sql = f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})'
                conn.executemany(sql, [tuple(map(conv, r)) for r in data])
        conn.execute("ANALYZE")
    finally:
        conn.close()


async def write_postgres(url: str, rows: Rows) -> None:
    import asyncpg

    conn = await asyncpg.connect(**postgres_credentials(url))
    try:
        async with conn.transaction():
            for table, (cols, data) in rows.items():
                await conn.copy_records_to_table(table, records=data, columns=list(cols))
            await conn.execute(
                "SELECT setval(pg_get_serial_sequence('approvals', 'id'), "
                "(SELECT COALESCE(MAX(id), 1) FROM approvals))"
            )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def ensure_extras(url: str) -> None:
    db = Database(url)
    await db.open()
    try:
        if int((await db.fetch("SELECT COUNT(*) AS n FROM payments"))[0]["n"]) > 0:
            return
        started = time.perf_counter()
        rows = await extras(db)
    finally:
        await db.close()
    if dialect_of(url) == "sqlite":
        write_sqlite(url, rows)
    else:
        await write_postgres(url, rows)
    counts = {t: len(r) for t, (_, r) in rows.items()}
    print(f"generated {counts} in {time.perf_counter() - started:.0f} s")


async def run(url: str, config: AppConfig, runs: int) -> None:
    db = Database(url)
    await db.open()
    try:
        reps = [
            (str(r["id"]), str(r["name"]))
            for r in await db.fetch("SELECT id, name FROM people WHERE role = 'rep' ORDER BY id")
        ]
        sizes = await db.fetch(
            "SELECT (SELECT COUNT(*) FROM followups) AS f, (SELECT COUNT(*) FROM payments) AS p, "
            "(SELECT COUNT(*) FROM tasks) AS t, (SELECT COUNT(*) FROM approval_steps) AS s"
        )
        print(
            f"{dialect_of(url)}: {sizes[0]['f']:,} follow-ups, {sizes[0]['p']:,} payments, "
            f"{sizes[0]['t']:,} tasks, {sizes[0]['s']:,} work-order steps, {len(reps)} reps"
        )
        await standing(db, config, *reps[0], NOW)  # warm the pool
        times: list[float] = []
        last = None
        for i in range(runs):
            pid, name = reps[(i * 37) % len(reps)]
            t = time.perf_counter()
            last = await standing(db, config, pid, name, NOW)
            standing_text(last)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(
            f"/我的激励 (text)   p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   ({runs} runs)"
        )
        if last is not None and any(p.book for p in last.projection):
            t = time.perf_counter()
            await asyncio.to_thread(projection_png, last.projection)
            print(
                f"chart (worker thread, not in the target) {(time.perf_counter() - t) * 1000:7.1f} ms"
            )
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--url")
    parser.add_argument("--scale", default="large")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    url = args.url or DEFAULT_URLS[args.db]
    if args.db == "postgres":
        asyncio.run(ensure_postgres_db(url))
    asyncio.run(upgrade(url))
    if asyncio.run(is_empty(url)):
        started = time.perf_counter()
        counts = seed_large(url, args.scale, seed=7, now=NOW)
        print(f"seeded {counts} in {time.perf_counter() - started:.0f} s")
    asyncio.run(ensure_extras(url))
    asyncio.run(run(url, bench_config(url), args.runs))


if __name__ == "__main__":
    main()
