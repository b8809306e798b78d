"""Scheduler figures: the stall scan over 100,000 open deals, and 10,000 reminders due in one
minute delivered to the WeCom simulator — on SQLite and on PostgreSQL.

1. **Stall scan**: 100,000 open deals (1,000 clients, the stages of the default funnel, entered
   0–60 days before a Thursday 09:00) in a fresh, migrated database; the time of the ``stall`` job
   as the scheduler runs it (``find_stalls`` and the ladder's pushes planned, nothing stored), median
   of ``--repeats``, then the time to store those pushes once. Target < 2 s.
2. **Reminders**: the real demo app (bot + WeCom simulator in one process, served on 127.0.0.1),
   ``--reps`` reps with ``--reminders`` tasks due in the same minute; the clock is replaced by
   storing that minute's ``reminders`` and ``deliver`` ticks directly (what the APScheduler tick
   does). Timed from the ticks until the simulator has received every message; reminders are
   ``urgent`` so the hour the benchmark runs at does not hold them back. Each rep gets one merged
   card listing all of their reminders; every reminder is checked to be on exactly one sent card.
   Target < 60 s.

    .venv/bin/python benchmarks/scheduler.py [--db sqlite,postgres] [--deals 100000]
        [--reps 1000] [--reminders 10000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiohttp import web  # noqa: E402

from bot.config import load_config_text  # noqa: E402
from bot.config.models import AppConfig  # noqa: E402
from bot.config.org import Person, Role  # noqa: E402
from bot.jobs import JobRun  # noqa: E402
from bot.orgsync import sync_org  # noqa: E402
from handlers.shared.workcal import WorkCalendar  # noqa: E402
from scheduler.clock import job_event  # noqa: E402
from scheduler.jobs.stall import scan_stalls  # noqa: E402
from scheduler.pushes import PushStore  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Client, Deal, Task  # noqa: E402

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/"
SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 3, 9, tzinfo=SH)  # a Thursday
TITLE = re.compile(r"待办到期：(提醒\d{5})")


def base_config(url: str, reps: int = 0) -> AppConfig:
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config = load_config_text(text, env={"SALESBOT_DATABASE_URL": url})
    extra = tuple(
        Person(
            id=f"bench{i:05d}",
            name=f"销售{i:05d}",
            role=Role.rep,
            team="east-1",
            supervisor="zhao.lei",
            wecom_userid=f"Bench{i:05d}",
        )
        for i in range(reps)
    )
    schedules = config.schedules.model_copy(update={"enabled": False, "urgent": ("reminder",)})
    pipeline = config.pipeline.model_copy(update={"poll_seconds": 0.2})
    return config.model_copy(
        update={"people": (*config.people, *extra), "schedules": schedules, "pipeline": pipeline}
    )


async def fresh_database(kind: str, folder: Path, name: str) -> str:
    if kind == "sqlite":
        url = f"sqlite://{folder}/{name}.sqlite3"
    else:
        import asyncpg

        conn = await asyncpg.connect(PG_ADMIN + "postgres")
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        url = PG_ADMIN + name
    await upgrade(url)
    return url


# ------------------------------------------------------------------------------- stall scan
async def stall_scan(kind: str, folder: Path, deals: int, repeats: int) -> dict[str, object]:
    url = await fresh_database(kind, folder, "salesbot_bench_stall")
    config = base_config(url)
    db = Database(url)
    await db.open()
    try:
        await sync_org(config, db)
        reps = [p.id for p in config.people if p.role is Role.rep]
        await Client.bulk_create(
            [
                Client(name=f"客户{i:04d}", owner_id=reps[i % len(reps)], region="east")
                for i in range(1000)
            ],
            batch_size=1000,
        )
        ids = [c for c in await Client.all().values_list("id", "owner_id")]
        rng = random.Random(1)
        stages = [s.name for s in config.funnel.open_stages]
        started = time.perf_counter()
        await Deal.bulk_create(
            [
                Deal(
                    client_id=ids[i % len(ids)][0],
                    owner_id=ids[i % len(ids)][1],
                    title=f"商机{i}",
                    stage=stages[i % len(stages)],
                    amount=Decimal(rng.randrange(10, 3000) * 1000),
                    stage_entered_at=(NOW - timedelta(days=rng.uniform(0, 60))).astimezone(UTC),
                    created_at=(NOW - timedelta(days=90)).astimezone(UTC),
                    region="east",
                )
                for i in range(deals)
            ],
            batch_size=2000,
        )
        setup_s = time.perf_counter() - started
        from bot.directory import Directory

        calendar = WorkCalendar(config.calendar, SH)
        directory = Directory(config)
        times: list[float] = []
        cpu: list[float] = []
        run = JobRun("stall", NOW, NOW.astimezone(UTC))
        for _ in range(repeats):
            run = JobRun("stall", NOW, NOW.astimezone(UTC))
            t, c = time.perf_counter(), time.process_time()
            await scan_stalls(run, config, directory, calendar, db)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        store = PushStore(db, config, calendar)
        t = time.perf_counter()
        stored = await store.store(run.pushes, NOW.astimezone(UTC))
        store_s = time.perf_counter() - t
        stalled = len({p.key.split(":")[1] for p in run.pushes})
        return {
            "db": kind,
            "open_deals": deals,
            "stalled": stalled,
            "pushes": len(run.pushes),
            "scan_s": statistics.median(times),
            "scan_runs": times,
            "scan_cpu_s": statistics.median(cpu),
            "store_pushes_s": store_s,
            "stored": len(stored),
            "setup_s": setup_s,
        }
    finally:
        await db.close()


# ------------------------------------------------------------------------------- reminders
async def reminders(kind: str, folder: Path, reps: int, count: int) -> dict[str, object]:
    from bot.devtools.demo.mode import build_demo, create_demo_app

    url = await fresh_database(kind, folder, "salesbot_bench_remind")
    config = base_config(url, reps)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    demo = build_demo(config, port=sock.getsockname()[1])
    runner = web.AppRunner(create_demo_app(demo), access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock).start()  # the app is up: org synced, workers running
    rt = demo.runtime
    try:
        slot = datetime.now(UTC).replace(second=0, microsecond=0)
        due = slot - timedelta(seconds=1)
        people = [f"bench{i:05d}" for i in range(reps)]
        await Task.bulk_create(
            [
                Task(
                    kind="next_action",
                    assignee_id=people[i % reps],
                    title=f"提醒{i:05d}",
                    due_at=due,
                )
                for i in range(count)
            ],
            batch_size=2000,
        )
        sim = demo.simulator
        before = sim.stats.sent
        started = time.perf_counter()
        # The minute's tick; the runner asks for a delivery as soon as the pushes are stored.
        await rt.inbox.put(job_event("reminders", slot, slot, SH, late=False))
        stored_at = queued_at = None
        while sim.stats.sent - before < reps:
            if stored_at is None and await rt.db.fetch("SELECT 1 FROM pushes LIMIT 1"):
                stored_at = time.perf_counter() - started
            if queued_at is None:
                queued = await rt.db.fetch("SELECT count(*) AS n FROM outbox")
                if queued[0]["n"] >= reps:
                    queued_at = time.perf_counter() - started
            if time.perf_counter() - started > 300:
                break
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - started
        sent = sim.stats.sent - before
        await asyncio.sleep(
            1
        )  # the sender marks the last rows sent just after the simulator has them
        rows = await rt.db.fetch("SELECT recipient, payload FROM outbox WHERE status = 2")
        cards = {
            r["id"]: r["state"]
            for r in await rt.db.fetch("SELECT id, state FROM card_instances WHERE id LIKE 'rm-%'")
        }
        seen: dict[str, int] = {}
        for row in rows:
            state = cards[json.loads(row["payload"])["card_id"]]
            note = (json.loads(state) if isinstance(state, str) else state)["card"]["note"]
            for key in TITLE.findall(note):
                seen[key] = seen.get(key, 0) + 1
        return {
            "db": kind,
            "reps": reps,
            "reminders": count,
            "messages_sent": sent,
            "seconds": elapsed,
            "pushes_stored_after_s": stored_at,
            "queued_after_s": queued_at,
            "reminders_on_cards": len(seen),
            "reminders_twice": sum(1 for v in seen.values() if v > 1),
        }
    finally:
        await runner.cleanup()
        sock.close()


async def one(kind: str, part: str, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if part == "stall":
            s = await stall_scan(kind, Path(tmp), args.deals, args.repeats)
            print(
                f"stall scan [{kind}]: {s['open_deals']:,} open deals, {s['stalled']:,} stalled, "
                f"{s['pushes']:,} pushes planned in {s['scan_s']:.2f} s (median of "
                f"{args.repeats}, {s['scan_cpu_s']:.2f} s CPU; target < 2 s); "
                f"storing them once {s['store_pushes_s']:.2f} s",
                flush=True,
            )
        else:
            r = await reminders(kind, Path(tmp), args.reps, args.reminders)
            print(
                f"reminders [{kind}]: {r['reminders']:,} due in one minute for {r['reps']:,} reps → "
                f"{r['messages_sent']:,} messages at the WeCom simulator in {r['seconds']:.1f} s "
                f"(target < 60 s); {r['reminders_on_cards']:,} reminders on sent cards, "
                f"{r['reminders_twice']} twice (pushes stored after {r['pushes_stored_after_s']:.1f} s, "
                f"all messages queued after {r['queued_after_s']:.1f} s)",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", choices=("stall", "reminders"))
    args = parser.parse_args()
    kinds = args.db.split(",")
    parts = [args.only] if args.only else ["stall", "reminders"]
    if len(kinds) == 1 and len(parts) == 1:
        asyncio.run(one(kinds[0], parts[0], args))
        return
    # One process per database and part: the ORM's setup is process-wide.
    for part in parts:
        for kind in kinds:
            cmd = [
                sys.executable,
                __file__,
                "--db",
                kind,
                "--only",
                part,
                "--deals",
                str(args.deals),
                "--reps",
                str(args.reps),
                "--reminders",
                str(args.reminders),
                "--repeats",
                str(args.repeats),
            ]
            subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
