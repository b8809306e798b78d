"""A year the working calendar has to guess reaches the admins: once in chat, and in /状态.

chinese-calendar 1.11 stops at 2026 and config.yaml lists no 2027 days, so 2027 counts plain
weekends. The clock is injected: jobs run "as of" a given time, /状态 reads the same clock.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock
from bot.config.calendar import CalendarSettings
from bot.replies import Markdown, Text
from handlers.shared.calendar_notice import CalendarNotices, notice_text
from handlers.shared.workcal import WorkCalendar
from tests.support.harness import Harness, make_config, start_harness
from tests.support.jobs import run_slot, sh

WARNING_2027 = (
    "2027 年没有法定节假日数据：请在 config.yaml 的 calendar.holidays / calendar.workdays "
    "中按国务院通知填写，目前按普通周末计算。"
)


@pytest.fixture
async def bot(db_url: str, aiohttp_client) -> Harness:  # type: ignore[no-untyped-def]
    return await start_harness(
        make_config(db_url), aiohttp_client, clock=ManualClock(sh(2026, 10, 12, 9))
    )


async def calendar_rows(bot: Harness) -> list[dict[str, object]]:
    return await bot.runtime.db.fetch(
        "SELECT dedupe_key, recipient FROM outbox WHERE dedupe_key LIKE 'calendar:%' ORDER BY id"
    )


async def status_lines(bot: Harness) -> list[str]:
    await bot.say("lin.feng", "/状态")
    (sent,) = await bot.next_sent()
    assert isinstance(sent.reply, Markdown)
    return [line for line in sent.reply.text.splitlines() if line.startswith("- 工作日历")]


async def test_the_admins_hear_once_when_a_job_meets_2027(bot: Harness) -> None:
    assert await status_lines(bot) == ["- 工作日历：节假日数据齐全"]  # October 2026: nothing due
    # The first working day of 2027, as the digest job's day-off check asks it.
    await run_slot(bot, "digest", sh(2027, 1, 4, 8, 30))
    (told,) = await bot.next_sent()
    assert told.recipient == "lin.feng"  # config.yaml's one admin
    assert told.reply == Text(notice_text(2027))
    assert WARNING_2027 in notice_text(2027)
    # More 2027 days, another job: nobody is told twice.
    await run_slot(bot, "digest", sh(2027, 1, 5, 8, 30))
    await run_slot(bot, "stall", sh(2027, 1, 5, 9))
    notices = bot.runtime.services.get(CalendarNotices)
    assert not await notices.flush()
    assert await calendar_rows(bot) == [{"dedupe_key": "calendar:2027:test:test:lin.feng", "recipient": "lin.feng"}]  # fmt: skip
    assert await status_lines(bot) == [f"- 工作日历：{WARNING_2027}"]


async def test_a_restarted_bot_does_not_tell_the_admins_again(bot: Harness) -> None:
    await run_slot(bot, "digest", sh(2027, 1, 4, 8, 30))
    await bot.next_sent()
    # What a second replica, or the process after a restart, does: its own calendar guesses
    # 2027 again and queues the same keys, which the outbox already holds.
    rt = bot.runtime
    again = WorkCalendar(rt.config.calendar, ZoneInfo(rt.config.timezone))
    assert again.is_working_day(date(2027, 1, 1))  # New Year's Day, unknown: a plain Friday
    admins = rt.services.get(CalendarNotices).admins_now()
    assert await CalendarNotices(again, rt.outbox, lambda: admins).flush()
    assert len(await calendar_rows(bot)) == 1


async def test_status_warns_from_november_before_any_job_guessed(bot: Harness) -> None:
    clock = bot.runtime.clock
    assert isinstance(clock, ManualClock)
    clock.set(sh(2026, 11, 2, 9))  # the State Council's notice is due about now
    assert await status_lines(bot) == [f"- 工作日历：{WARNING_2027}"]
    assert await calendar_rows(bot) == []  # /状态 only reads: nothing was guessed, nobody told


def test_a_year_config_lists_is_no_gap() -> None:
    settings = CalendarSettings(holidays={2027: (date(2027, 1, 1),)})
    calendar = WorkCalendar(settings, ZoneInfo("Asia/Shanghai"))
    assert not calendar.is_working_day(date(2027, 1, 1))
    assert calendar.is_working_day(date(2027, 1, 4))
    assert calendar.missing_years == []
    assert calendar.gaps(date(2026, 12, 1)) == []


async def test_an_admin_who_arrives_after_startup_is_told(bot: Harness) -> None:
    """Admins can come with an org sync after the bot started: the list is asked each time."""
    from bot.pipeline.outbox import Address

    rt = bot.runtime
    calendar = WorkCalendar(rt.config.calendar, ZoneInfo(rt.config.timezone))
    assert calendar.is_working_day(date(2031, 1, 1))  # a year no data covers
    admins: list[Address] = []
    notices = CalendarNotices(calendar, rt.outbox, lambda: list(admins))
    assert not await notices.flush()  # nobody to tell yet: the year waits
    admins.append(Address("test", "test", "new.admin"))
    assert await notices.flush()
    rows = await bot.runtime.db.fetch(
        "SELECT recipient FROM outbox WHERE dedupe_key LIKE 'calendar:2031:%'"
    )
    assert rows == [{"recipient": "new.admin"}]
