"""The stall ladder, the morning digest, the checklist rule and a late run after downtime."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from bot.events import JobEvent
from handlers.shared.workcal import WorkCalendar
from scheduler.state import note_slot, states
from storage.models import Client, Deal, Task
from tests.scheduler.conftest import StartBot
from tests.support.harness import Harness, make_config
from tests.support.jobs import inbox_done, pushes, run_slot, sh


async def stalled_deal(stage: str, entered: datetime, owner: str = "zhang.wei") -> Deal:
    client = await Client.create(name="华东机械", owner_id=owner, region="east")
    return await Deal.create(
        client=client,
        owner_id=owner,
        title="仓储项目",
        stage=stage,
        amount=Decimal(300000),
        stage_entered_at=entered,
        created_at=entered,
        region="east",
    )


async def test_the_stall_ladder_climbs_rep_then_supervisor_then_director(bot: Harness) -> None:
    # 方案演示 allows 5 working days; entered Monday 30 November 09:00.
    await stalled_deal("方案演示", sh(2026, 11, 30, 9))
    db = bot.runtime.db
    await run_slot(bot, "stall", sh(2026, 12, 7, 9))  # 5 working days: not yet over
    assert await pushes(db) == []
    await run_slot(bot, "stall", sh(2026, 12, 8, 9))  # 6: the rep hears
    [rep] = await pushes(db)
    assert (rep["person_id"], rep["kind"]) == ("zhang.wei", "stall_rep")
    assert "方案演示" in rep["text"] and "6 个工作日" in rep["text"]
    await run_slot(bot, "stall", sh(2026, 12, 9, 9))  # 7: nothing new
    assert len(await pushes(db)) == 1
    await run_slot(bot, "stall", sh(2026, 12, 10, 9))  # 8 = 5 + 2 + 1: the supervisor
    supervisor = (await pushes(db))[-1]
    assert (supervisor["person_id"], supervisor["kind"]) == ("zhao.lei", "stall_supervisor")
    assert "张伟" in supervisor["text"] and "二次演示" in supervisor["text"]  # the stage's move
    await run_slot(bot, "stall", sh(2026, 12, 14, 9))  # 10: not yet the director
    assert len(await pushes(db)) == 2
    await run_slot(bot, "stall", sh(2026, 12, 15, 9))  # 11 = 5 + 5 + 1
    director = (await pushes(db))[-1]
    assert (director["person_id"], director["kind"]) == ("chen.zhiyuan", "stall_director")
    assert "30万元" in director["text"]
    await run_slot(bot, "stall", sh(2026, 12, 16, 9))
    assert len(await pushes(db)) == 3  # each rung once


async def test_a_new_stage_starts_the_ladder_again(bot: Harness) -> None:
    deal = await stalled_deal("方案演示", sh(2026, 11, 30, 9))
    await run_slot(bot, "stall", sh(2026, 12, 8, 9))
    await Deal.filter(id=deal.id).update(stage="报价谈判", stage_entered_at=sh(2026, 12, 8, 10))
    await run_slot(bot, "stall", sh(2026, 12, 9, 9))
    assert len(await pushes(bot.runtime.db)) == 1
    # 报价谈判 allows 7: over on the 8th working day after 8 December (18 December).
    await run_slot(bot, "stall", sh(2026, 12, 18, 9))
    rows = await pushes(bot.runtime.db)
    assert len(rows) == 2 and "报价谈判" in str(rows[-1]["text"])


async def test_stall_days_count_holidays_out_and_make_up_saturdays_in(bot: Harness) -> None:
    # Entered Wednesday 30 September; 1–7 October are off, Saturday 10 October is worked.
    # Working days from 30 Sep: 30, 8, 9, 10(Sat) → on Monday 12 October 4; 5 on Tue 13.
    await stalled_deal("方案演示", sh(2026, 9, 30, 9))
    await run_slot(bot, "stall", sh(2026, 10, 13, 9))
    assert await pushes(bot.runtime.db) == []
    await run_slot(bot, "stall", sh(2026, 10, 14, 9))  # 6 working days
    [row] = await pushes(bot.runtime.db)
    assert "6 个工作日" in str(row["text"])


async def test_the_stall_scan_does_not_run_on_a_day_off(bot: Harness) -> None:
    await stalled_deal("方案演示", sh(2026, 11, 2, 9))
    await run_slot(bot, "stall", sh(2026, 12, 5, 9))  # Saturday
    assert await pushes(bot.runtime.db) == []


async def test_the_stall_ladder_across_the_2026_2027_year_end(
    db_url: str, start_bot: StartBot
) -> None:
    # 2027 as config states it (New Year's Day off), whatever chinese-calendar ships for 2027.
    config = make_config(db_url)
    calendar = config.calendar.model_copy(update={"holidays": {2027: (date(2027, 1, 1),)}})
    bot = await start_bot(config.model_copy(update={"calendar": calendar}), sh(2026, 12, 28, 9))
    await stalled_deal("方案演示", sh(2026, 12, 28, 9))  # Monday
    # 28, 29, 30, 31 Dec, (1 Jan off, then the weekend), 4 Jan → on Tuesday 5 Jan: 5 working days.
    await run_slot(bot, "stall", sh(2027, 1, 5, 9))
    assert await pushes(bot.runtime.db) == []
    await run_slot(bot, "stall", sh(2027, 1, 6, 9))
    [row] = await pushes(bot.runtime.db)
    assert "6 个工作日" in str(row["text"])
    assert bot.runtime.services.get(WorkCalendar).warnings == []  # config covers 2027


async def test_the_morning_digest_lists_todays_and_overdue_tasks_per_person(bot: Harness) -> None:
    for title, due, who in [
        ("拜访华东机械", sh(2026, 12, 3, 14), "zhang.wei"),
        ("发送报价", sh(2026, 12, 3, 10), "zhang.wei"),
        ("补合同", sh(2026, 12, 1, 18), "zhang.wei"),
        ("明天的事", sh(2026, 12, 4, 10), "zhang.wei"),
        ("李娜今天的事", sh(2026, 12, 3, 16), "li.na"),
    ]:
        await Task.create(kind="next_action", assignee_id=who, title=title, due_at=due)
    await Task.create(
        kind="next_action",
        assignee_id="zhang.wei",
        title="已完成",
        due_at=sh(2026, 12, 3, 9),
        status="done",
    )
    await run_slot(bot, "digest", sh(2026, 12, 3, 8, 30))
    rows = {r["person_id"]: str(r["text"]) for r in await pushes(bot.runtime.db)}
    assert set(rows) == {"zhang.wei", "li.na"}
    text = rows["zhang.wei"]
    assert text.index("10:00 发送报价") < text.index("14:00 拜访华东机械")
    assert "已逾期 1 项" in text and "补合同" in text
    assert "明天的事" not in text and "已完成" not in text


async def test_the_digest_skips_days_off(bot: Harness) -> None:
    await Task.create(
        kind="next_action", assignee_id="zhang.wei", title="x", due_at=sh(2026, 12, 5, 10)
    )
    await run_slot(bot, "digest", sh(2026, 12, 5, 8, 30))  # Saturday
    assert await pushes(bot.runtime.db) == []


async def back_after_downtime(bot: Harness, at: datetime) -> list[JobEvent]:
    """The bot last ticked the digest on Wednesday 08:30 and comes back at ``at``."""
    rt = bot.runtime
    assert rt.scheduler is not None
    await note_slot(rt.db, "digest", sh(2026, 12, 2, 8, 30))
    for name in rt.dispatcher.job_names:
        if name != "digest":
            await note_slot(rt.db, name, at)
    return await rt.scheduler.catch_up(at)


async def test_a_late_digest_after_downtime_runs_once_marked_late(bot: Harness) -> None:
    rt = bot.runtime
    assert rt.scheduler is not None
    await Task.create(
        kind="next_action", assignee_id="li.na", title="回访", due_at=sh(2026, 12, 3, 15)
    )
    stored = await back_after_downtime(bot, sh(2026, 12, 3, 10))  # Thursday 10:00
    assert [(e.job, e.slot, e.late) for e in stored] == [("digest", "2026-12-03T08:30", True)]
    again = await rt.scheduler.catch_up(sh(2026, 12, 3, 10, 0, 30))  # a second replica starting
    assert again == []
    await inbox_done(rt.db, "job:digest:2026-12-03T08:30")
    [row] = await pushes(rt.db)
    assert row["person_id"] == "li.na" and row["key"] == "digest:li.na:2026-12-03"
    assert str(row["text"]).startswith("今天（12月3日）的待办（补发，原定 08:30）：")
    assert row["deliver_at"] == int(sh(2026, 12, 3, 10).timestamp() * 1000)  # at once
    state = (await states(rt.db))["digest"]
    assert state.last_late and state.last_run_slot == sh(2026, 12, 3, 8, 30)


async def test_a_digest_caught_up_after_the_working_day_is_skipped(bot: Harness) -> None:
    # Back at 22:00: quiet hours would hold Thursday's "today" until Friday 08:00, right before
    # Friday's own digest. It is dropped; Friday's lists the task as overdue.
    await Task.create(
        kind="next_action", assignee_id="li.na", title="回访", due_at=sh(2026, 12, 3, 15)
    )
    [event] = await back_after_downtime(bot, sh(2026, 12, 3, 22))
    await inbox_done(bot.runtime.db, event.dedupe_key)
    assert await pushes(bot.runtime.db) == []
    assert (await states(bot.runtime.db))["digest"].last_late  # it ran, and chose to say nothing
    await run_slot(bot, "digest", sh(2026, 12, 4, 8, 30))
    [row] = await pushes(bot.runtime.db)
    assert row["key"] == "digest:li.na:2026-12-04" and "已逾期 1 项" in str(row["text"])


async def test_a_reminder_due_while_the_bot_was_down_says_it_is_late(bot: Harness) -> None:
    await Task.create(
        kind="next_action", assignee_id="zhang.wei", title="回访", due_at=sh(2026, 12, 3, 9, 5)
    )
    await run_slot(bot, "reminders", sh(2026, 12, 3, 10), late=True)
    [row] = await pushes(bot.runtime.db)
    assert str(row["text"]).endswith("截止 12月3日 09:05（补发提醒）")


async def test_a_first_contact_gets_the_24_hour_follow_up_task(bot: Harness) -> None:
    deal = await stalled_deal("首次接触", sh(2026, 12, 3, 10))
    await run_slot(bot, "checklist", sh(2026, 12, 3, 10, 10))
    await run_slot(bot, "checklist", sh(2026, 12, 3, 10, 20))  # twice: created once
    tasks = await Task.filter(deal_id=deal.id).order_by("source_id")
    assert [t.title for t in tasks] == [
        "首次沟通后24小时内发送个性化跟进邮件",
        "记录关键联系人和决策链",
    ]
    assert tasks[0].due_at == sh(2026, 12, 4, 10) and tasks[0].kind == "checklist"
    assert tasks[1].due_at == sh(2026, 12, 7, 18)  # the second working day's end
    [row] = await pushes(bot.runtime.db)
    assert row["person_id"] == "zhang.wei" and "12月4日 10:00 前" in str(row["text"])
    # At the deadline, still open: the ordinary reminder.
    await run_slot(bot, "reminders", sh(2026, 12, 4, 10))
    assert "首次沟通后24小时内" in str((await pushes(bot.runtime.db))[-1]["text"])


async def test_a_checklist_item_within_n_hours_is_due_that_many_hours_later(bot: Harness) -> None:
    # 方案演示: "演示后48小时内发送方案和会议纪要" — 48 hours, not the two-working-days default
    # (which would be Thursday 18:00).
    deal = await stalled_deal("方案演示", sh(2026, 12, 1, 10))  # Tuesday
    await run_slot(bot, "checklist", sh(2026, 12, 1, 10, 10))
    [t] = await Task.filter(deal_id=deal.id)
    assert t.title == "演示后48小时内发送方案和会议纪要"
    assert t.due_at == sh(2026, 12, 3, 10)
    [row] = await pushes(bot.runtime.db)
    assert "12月3日 10:00 前" in str(row["text"])
