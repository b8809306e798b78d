"""`salesbot jobs list` and `salesbot jobs run … --dry-run` on the seeded demo history."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.devtools.demo.seed import seed_demo
from bot.orgsync import sync_org
from scheduler.cli import list_jobs, run_job, width
from scheduler.state import note_run
from storage.db import Database
from tests.support.harness import make_config
from tests.support.jobs import sh

SEEDED = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # Thursday 09:00 in Shanghai


async def seeded(db_url: str) -> None:
    config = make_config(db_url)
    db = Database(db_url)
    await db.open()
    try:
        await sync_org(config, db)
        await seed_demo(config, db, days=28, seed=7, now=SEEDED)
    finally:
        await db.close()


LINE = re.compile(r"^2026-12-\d\d \d\d:\d\d → \S+（(销售|主管|经理|总监)）: .+$")


async def test_the_demo_has_stalled_deals_on_every_rung_and_tasks_due_today(
    sqlite_url: str,
) -> None:
    await seeded(sqlite_url)
    config = make_config(sqlite_url)
    stall = await run_job(config, "stall", sh(2026, 12, 3, 9), dry_run=True)
    assert stall[-1].startswith("（演练：") and len(stall) > 3
    assert all(LINE.match(line) for line in stall[:-1]), stall
    kinds = {re.search(r"（(\S+)）:", line).group(1) for line in stall[:-1]}  # type: ignore[union-attr]
    assert {"销售", "主管", "总监"} <= kinds
    digest = await run_job(config, "digest", sh(2026, 12, 3, 8, 30), dry_run=True)
    assert any("今天（12月3日）的待办：" in line and "1. 10:00" in line for line in digest)
    # Run by hand in the evening it is meant: only a catch-up after downtime is judged too late.
    evening = await run_job(config, "digest", sh(2026, 12, 3, 19), dry_run=True)
    assert any("今天（12月3日）的待办：" in line for line in evening)
    # A dry run wrote nothing: the real run finds every push new.
    real = await run_job(config, "stall", sh(2026, 12, 3, 9), dry_run=False)
    assert real[:-1] == stall[:-1] and real[-1].startswith(f"已写入 {len(stall) - 1} 条")
    again = await run_job(config, "stall", sh(2026, 12, 3, 9), dry_run=False)
    assert again == ["已写入 0 条新推送，运行中的机器人会按免打扰规则发送"]


async def test_jobs_list_shows_schedule_last_and_next_run(sqlite_url: str) -> None:
    await seeded(sqlite_url)
    config = make_config(sqlite_url, clock=True)
    lines = await list_jobs(config, sh(2026, 12, 3, 9, 10))
    rows = {line.split()[0]: line for line in lines[1:]}
    assert {"reminders", "deliver", "digest", "stall", "checklist", "calibration"} <= set(rows)
    assert "08:30" in rows["digest"] and "2026-12-04 08:30" in rows["digest"]
    assert "2026-12-03 09:11" in rows["reminders"]
    assert "fri 17:00" in rows["calibration"] and "2026-12-04 17:00" in rows["calibration"]


async def test_an_unknown_job_and_a_manual_deliver_are_refused(sqlite_url: str) -> None:
    config = make_config(sqlite_url)
    with pytest.raises(SystemExit, match="没有任务 nope"):
        await run_job(config, "nope", sh(2026, 12, 3, 9), dry_run=True)
    with pytest.raises(SystemExit, match="deliver 只在运行中的机器人里执行"):
        await run_job(config, "deliver", sh(2026, 12, 3, 9), dry_run=False)


async def test_a_working_days_job_on_a_day_off_says_so(sqlite_url: str) -> None:
    config = make_config(sqlite_url)
    assert await run_job(config, "digest", sh(2026, 12, 5, 8, 30), dry_run=True) == [
        "2026-12-05 不是工作日，digest 不运行"
    ]


# A value may hold single spaces ("every 5m", "2026-12-03 09:10"); columns are two or more apart.
VALUE = re.compile(r"\S+(?: \S+)*")


def starts(line: str) -> list[int]:
    """The display column where each value of a ``jobs list`` line begins (CJK counts two)."""
    return [width(line[: m.start()]) for m in VALUE.finditer(line)]


async def test_jobs_list_columns_are_separated_and_show_a_recorded_late_run(
    sqlite_url: str,
) -> None:
    db = Database(sqlite_url)
    await db.open()
    try:  # approval_sla, the longest name, ran late at 09:05:30 for its 09:05 slot
        await note_run(db, "approval_sla", sh(2026, 12, 3, 9, 5), sh(2026, 12, 3, 9, 5, 30), True)
    finally:
        await db.close()
    lines = await list_jobs(make_config(sqlite_url, clock=True), sh(2026, 12, 3, 9, 6))
    table = [VALUE.findall(line) for line in lines]
    assert all(len(cells) == 5 for cells in table), lines
    assert table[0] == ["任务", "计划", "上次运行", "下次运行", "说明"]
    rows = {cells[0]: cells for cells in table[1:]}
    assert rows["approval_sla"][1:4] == ["every 5m", "2026-12-03 09:05（补跑）", "2026-12-03 09:10"]
    assert rows["digest"][2] == "—"
    # Every value starts in its header's column, counting a Chinese character as two.
    assert all(starts(line) == starts(lines[0]) for line in lines), lines
