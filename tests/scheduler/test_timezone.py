"""One timezone: the clock, quiet hours, the jobs and `salesbot jobs` all read the top-level one."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, load_config_text
from bot.config.models import AppConfig
from scheduler.cli import list_jobs
from scheduler.clock import job_event
from scheduler.state import note_slot
from storage.models import Task
from tests.scheduler.conftest import StartBot
from tests.support.harness import make_config
from tests.support.jobs import inbox_done, pushes

TOKYO = ZoneInfo("Asia/Tokyo")  # an hour ahead of Shanghai, the default


def tokyo(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TOKYO)


def in_tokyo(db_url: str, *, clock: bool = False) -> AppConfig:
    return make_config(db_url, clock=clock).model_copy(update={"timezone": "Asia/Tokyo"})


def test_a_second_timezone_under_schedules_is_refused_in_chinese() -> None:
    with pytest.raises(ConfigError) as info:
        load_config_text("timezone: Asia/Shanghai\nschedules: {timezone: Asia/Tokyo}", env={})
    [problem] = [str(p) for p in info.value.problems]
    assert "这里不再设置 timezone" in problem and "顶层 timezone" in problem, problem


async def test_the_clock_and_quiet_hours_follow_the_top_level_timezone(
    db_url: str, start_bot: StartBot
) -> None:
    bot = await start_bot(in_tokyo(db_url), tokyo(12, 3, 9))
    rt = bot.runtime
    assert rt.scheduler is not None
    # Back at 09:00 Tokyo (08:00 in Shanghai): Tokyo's 08:30 digest of today is owed, not
    # yesterday's Shanghai one.
    await note_slot(rt.db, "digest", tokyo(12, 2, 8, 30))
    for name in rt.dispatcher.job_names:
        if name != "digest":
            await note_slot(rt.db, name, tokyo(12, 3, 9))
    [event] = await rt.scheduler.catch_up(tokyo(12, 3, 9))
    assert (event.job, event.slot) == ("digest", "2026-12-03T08:30")
    await inbox_done(rt.db, event.dedupe_key)

    # 21:30 in Tokyo is quiet (20:30 in Shanghai would not be): held to 08:00 Tokyo.
    await Task.create(
        kind="next_action", assignee_id="zhang.wei", title="晚间事项", due_at=tokyo(12, 3, 21, 30)
    )
    rt.clock.set(tokyo(12, 3, 21, 30))  # type: ignore[attr-defined]
    tick = job_event("reminders", tokyo(12, 3, 21, 30), tokyo(12, 3, 21, 30), TOKYO, late=False)
    await rt.inbox.put(tick)
    await inbox_done(rt.db, tick.dedupe_key)
    [row] = await pushes(rt.db)
    assert row["deliver_at"] == int(tokyo(12, 4, 8).timestamp() * 1000)
    assert "截止 12月3日 21:30" in str(row["text"])


async def test_jobs_list_shows_times_in_the_top_level_timezone(sqlite_url: str) -> None:
    config = in_tokyo(sqlite_url, clock=True)
    lines = await list_jobs(config, tokyo(12, 3, 9))  # 08:00 in Shanghai
    [digest] = [line for line in lines if line.startswith("digest ")]
    assert "2026-12-04 08:30" in digest  # Tokyo's next 08:30, shown in Tokyo time
