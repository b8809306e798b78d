"""The large history generator: deterministic, shaped by source and region, bulk-written."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.devtools.demo.bigseed import Scale, generate
from bot.devtools.demo.bulkload import write_postgres, write_sqlite
from storage.db import Database, dialect_of, sqlite_path
from storage.models import Client, Deal, FollowUp, StageHistory
from tests.support.harness import ROOT

NOW = datetime(2026, 12, 3, tzinfo=UTC)
TINY = Scale(reps=3, clients=20, deals=50, followups=200)


def test_same_seed_same_rows_other_seed_other_rows() -> None:
    a = generate(TINY, seed=11, now=NOW)
    b = generate(TINY, seed=11, now=NOW)
    c = generate(TINY, seed=12, now=NOW)
    assert a.deals == b.deals and a.followups == b.followups and a.history == b.history
    assert a.deals != c.deals
    assert (len(a.people), len(a.clients), len(a.deals), len(a.followups)) == (
        1 + 5 + 1 + 3,
        20,
        50,
        200,
    )  # director, managers, supervisor, reps


def test_win_rates_and_pace_differ_by_source_and_region() -> None:
    data = generate(Scale(reps=50, clients=800, deals=6000, followups=6000), seed=3, now=NOW)
    closed = [d for d in data.deals if d[3] != "open"]
    by_source: Counter[str] = Counter(str(d[5]) for d in closed)
    won_source: Counter[str] = Counter(str(d[5]) for d in closed if d[3] == "won")
    rate = {s: won_source[s] / by_source[s] for s in by_source}
    assert rate["转介绍"] > rate["展会"] > rate["电话拓客"] + 0.05
    by_region: Counter[str] = Counter(str(d[6]) for d in closed)
    won_region: Counter[str] = Counter(str(d[6]) for d in closed if d[3] == "won")
    assert won_region["east"] / by_region["east"] > won_region["west"] / by_region["west"]

    # Time from creation to a win is shorter for referrals than for cold calls.
    def days_to_win(source: str) -> float:
        spans = [(d[12] - d[14]).days for d in closed if d[3] == "won" and d[5] == source]
        return sorted(spans)[len(spans) // 2]

    assert days_to_win("转介绍") < days_to_win("电话拓客")
    # Every closed deal's history ends in its closing stage; open deals end in their stage.
    last = {}
    for h in data.history:
        last[h[6]] = h[2]
    assert all(last[d[0]] == d[2] for d in data.deals)


async def test_bulk_write_round_trip(db_url: str) -> None:
    data = generate(TINY, seed=5, now=NOW)
    if dialect_of(db_url) == "sqlite":
        await asyncio.to_thread(write_sqlite, sqlite_path(db_url), data, lambda *_: None)
    else:
        await write_postgres(db_url, data, lambda *_: None)
    db = Database(db_url)
    await db.open()
    try:
        assert await Client.all().count() == 20
        assert await Deal.all().count() == 50
        assert await FollowUp.all().count() == 200
        assert await StageHistory.all().count() == len(data.history)
        deal = await Deal.get(id=1)
        assert deal.stage == data.deals[0][2] and float(deal.amount or 0) == data.deals[0][4]
        assert deal.created_at == data.deals[0][14]
        # New rows after a bulk load get fresh ids (PostgreSQL's sequences were moved on).
        more = await Deal.create(
            client_id=1,
            owner_id=deal.owner_id,
            stage="首次接触",
            stage_entered_at=NOW,
            created_at=NOW,
        )
        assert more.id == 51
    finally:
        await db.close()


def test_seed_command_demo_then_refuses_large_on_a_filled_database(tmp_path: Path) -> None:
    env = {**os.environ, "SALESBOT_DATABASE_URL": f"sqlite://{tmp_path}/seed.sqlite3"}
    salesbot = [sys.executable, "-m", "bot"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*salesbot, *args], env=env, cwd=ROOT, capture_output=True, text=True)

    assert run("migrate").returncode == 0
    demo = run("seed", "--scale", "demo")
    assert demo.returncode == 0 and "写入 14 个客户" in demo.stdout
    large = run("seed", "--scale", "large", "--seed", "3")
    assert large.returncode != 0 and "已有客户数据" in large.stderr
