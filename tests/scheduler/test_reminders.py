"""Next-action reminders, quiet hours, merged pushes, 完成 / 推迟 — each job run at a given time."""

from __future__ import annotations

from datetime import timedelta

from bot.replies import CardMessage, CardUpdate, Text
from cards.model import Card
from cards.store import CardStore
from storage.models import CardInstance, Client, Task
from tests.support.harness import Harness
from tests.support.jobs import pushes, run_slot, sh


async def task(title: str, due: object, who: str = "zhang.wei", client: str | None = None) -> Task:
    c = await Client.get(name=client) if client else None
    return await Task.create(
        kind="next_action", assignee_id=who, title=title, due_at=due, client_id=c.id if c else None
    )


async def test_a_task_is_reminded_at_its_due_time_with_done_and_later(bot: Harness) -> None:
    await Client.create(name="华东机械", owner_id="zhang.wei", region="east")
    t = await task("给王经理发报价", sh(2026, 12, 3, 10), client="华东机械")
    await run_slot(bot, "reminders", sh(2026, 12, 3, 9, 59))
    assert await pushes(bot.runtime.db) == []  # not due yet
    await run_slot(bot, "reminders", sh(2026, 12, 3, 10))
    await run_slot(bot, "deliver", sh(2026, 12, 3, 10))
    [sent] = await bot.next_sent()
    assert sent.recipient == "zhang.wei" and isinstance(sent.reply, CardMessage)
    assert sent.card is not None
    assert "给王经理发报价（华东机械）" in sent.card["note"]
    assert "补发" not in sent.card["note"]
    assert [b["text"] for b in sent.card["buttons"]] == ["完成", "推迟"]
    assert (await Task.get(id=t.id)).reminded_at is not None
    # The next minute's run reminds nothing twice.
    await run_slot(bot, "reminders", sh(2026, 12, 3, 10, 1))
    await run_slot(bot, "deliver", sh(2026, 12, 3, 10, 1))
    assert len(await pushes(bot.runtime.db)) == 1

    await bot.tap("zhang.wei", sent.reply.card_id, "完成")
    [answer, *_] = await bot.next_sent()
    assert isinstance(answer.reply, Text) and "已完成" in answer.reply.text
    assert (await Task.get(id=t.id)).status == "done"


async def test_later_on_the_card_moves_the_task_to_tomorrow_and_reminds_again(bot: Harness) -> None:
    t = await task("回访李总", sh(2026, 12, 3, 10))
    await run_slot(bot, "reminders", sh(2026, 12, 3, 10))
    await run_slot(bot, "deliver", sh(2026, 12, 3, 10))
    [sent] = await bot.next_sent()
    assert isinstance(sent.reply, CardMessage)
    await bot.tap("zhang.wei", sent.reply.card_id, "推迟")
    [answer, *_] = await bot.next_sent()
    assert isinstance(answer.reply, Text) and "12月4日 10:00" in answer.reply.text
    moved = await Task.get(id=t.id)
    assert moved.due_at == sh(2026, 12, 4, 10) and moved.reminded_at is None
    await run_slot(bot, "reminders", sh(2026, 12, 4, 10))
    assert [p["key"] for p in await pushes(bot.runtime.db)][-1].startswith(f"reminder:{t.id}:")
    assert len(await pushes(bot.runtime.db)) == 2


async def test_someone_else_cannot_tap_my_reminder(bot: Harness) -> None:
    await task("回访李总", sh(2026, 12, 3, 10))
    await run_slot(bot, "reminders", sh(2026, 12, 3, 10))
    await run_slot(bot, "deliver", sh(2026, 12, 3, 10))
    [sent] = await bot.next_sent()
    assert isinstance(sent.reply, CardMessage)
    await bot.tap("li.na", sent.reply.card_id, "完成")
    [refused] = await bot.next_sent()
    assert refused.recipient == "li.na" and isinstance(refused.reply, Text)
    assert (await Task.get(assignee_id="zhang.wei")).status == "open"


async def test_quiet_hours_hold_a_reminder_until_the_next_working_morning(bot: Harness) -> None:
    await task("整理会议纪要", sh(2026, 12, 3, 22, 30))  # Thursday night
    await run_slot(bot, "reminders", sh(2026, 12, 3, 22, 30))
    [row] = await pushes(bot.runtime.db)
    assert row["deliver_at"] == int(sh(2026, 12, 4, 8).timestamp() * 1000)
    await run_slot(bot, "deliver", sh(2026, 12, 3, 23))
    await run_slot(bot, "deliver", sh(2026, 12, 4, 7, 59))
    assert bot.runtime.channel("test").sent == []  # type: ignore[attr-defined]
    await run_slot(bot, "deliver", sh(2026, 12, 4, 8))
    [sent] = await bot.next_sent()
    assert sent.recipient == "zhang.wei"


async def test_a_reminder_on_a_holiday_waits_for_the_first_working_morning(bot: Harness) -> None:
    # 2026-10-01..07 is the National Day holiday; Thursday 8 October is the next working day.
    await task("国庆期间回访", sh(2026, 10, 2, 10))
    await run_slot(bot, "reminders", sh(2026, 10, 2, 10))
    [row] = await pushes(bot.runtime.db)
    assert row["deliver_at"] == int(sh(2026, 10, 8, 8).timestamp() * 1000)


async def test_a_reminder_on_a_make_up_saturday_goes_out_at_once(bot: Harness) -> None:
    # Saturday 10 October 2026 is a 调休 working day.
    await task("调休日拜访", sh(2026, 10, 10, 10))
    await run_slot(bot, "reminders", sh(2026, 10, 10, 10))
    [row] = await pushes(bot.runtime.db)
    assert row["deliver_at"] == int(sh(2026, 10, 10, 10).timestamp() * 1000)


async def test_pushes_due_together_reach_one_person_as_one_message(bot: Harness) -> None:
    for i in range(3):
        await task(f"跟进事项{i}", sh(2026, 12, 3, 22) + timedelta(minutes=10 * i))
    await task("李娜的事项", sh(2026, 12, 3, 22, 30), who="li.na")
    await run_slot(bot, "reminders", sh(2026, 12, 3, 23))  # held overnight, all four
    await run_slot(bot, "deliver", sh(2026, 12, 4, 8))
    sent = await bot.next_sent(2)
    by = {m.recipient: m for m in sent}
    assert set(by) == {"zhang.wei", "li.na"}
    card = by["zhang.wei"].card
    assert card is not None and card["title"] == "待办提醒（3 条）"
    assert all(f"跟进事项{i}" in card["note"] for i in range(3))
    assert [b["text"] for b in card["buttons"]][:2] == ["完成 第1条", "推迟 第1条"]
    assert "补发提醒" in card["note"]  # reminded an hour after it was due
    await run_slot(bot, "deliver", sh(2026, 12, 4, 8, 1))
    assert len(bot.runtime.channel("test").sent) == 2  # type: ignore[attr-defined]


async def test_an_urgent_kind_ignores_quiet_hours(db_url: str, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    from bot.app import create_app
    from bot.clock import ManualClock
    from tests.support.harness import build_harness, make_config

    config = make_config(db_url)
    config = config.model_copy(
        update={"schedules": config.schedules.model_copy(update={"urgent": ("reminder",)})}
    )
    bot = build_harness(config, clock=ManualClock(sh(2026, 12, 3, 23)))
    bot.client = await aiohttp_client(create_app(config, runtime=bot.runtime))
    await task("紧急事项", sh(2026, 12, 3, 23))
    await run_slot(bot, "reminders", sh(2026, 12, 3, 23))
    await run_slot(bot, "deliver", sh(2026, 12, 3, 23))
    [sent] = await bot.next_sent()
    assert sent.recipient == "zhang.wei"


async def test_a_reminder_due_now_goes_out_without_waiting_for_the_next_minute(
    bot: Harness,
) -> None:
    await task("马上要做", sh(2026, 12, 3, 10))
    await run_slot(bot, "reminders", sh(2026, 12, 3, 10))  # no deliver tick of our own
    [sent] = await bot.next_sent()
    assert sent.recipient == "zhang.wei" and isinstance(sent.reply, CardMessage)
    rows = await bot.runtime.db.fetch(
        "SELECT dedupe_key FROM inbox WHERE dedupe_key LIKE 'job:deliver:%'"
    )
    assert [r["dedupe_key"] for r in rows] == ["job:deliver:2026-12-03T10:00:after:reminders"]


async def test_later_on_a_task_already_done_says_so_and_moves_nothing(bot: Harness) -> None:
    t = await task("回访李总", sh(2026, 12, 3, 10))
    await run_slot(bot, "reminders", sh(2026, 12, 3, 10))
    [sent] = await bot.next_sent()
    assert isinstance(sent.reply, CardMessage)
    await Task.filter(id=t.id).update(status="done")  # done meanwhile (another card, a visit)
    await bot.tap("zhang.wei", sent.reply.card_id, "推迟")
    [answer, *_] = await bot.next_sent()
    assert isinstance(answer.reply, Text)
    assert answer.reply.text == "“回访李总”已经完成了，不用推迟"
    after = await Task.get(id=t.id)
    assert (after.status, after.due_at) == ("done", sh(2026, 12, 3, 10))


async def card_now(card_id: str) -> Card:
    return CardStore.card_of(await CardInstance.get(id=card_id))


async def tap(bot: Harness, card_id: str, button: str) -> None:
    """Tap as zhang.wei and wait for the answer and the card's update."""
    await bot.tap("zhang.wei", card_id, button)
    answer, update = await bot.next_sent(2)
    assert isinstance(answer.reply, Text) and isinstance(update.reply, CardUpdate)


async def test_a_merged_card_says_how_to_act_on_tasks_without_buttons(bot: Harness) -> None:
    tasks = [
        await task(f"跟进事项{i}", sh(2026, 12, 3, 22) + timedelta(minutes=i)) for i in range(5)
    ]
    await run_slot(bot, "reminders", sh(2026, 12, 3, 23))  # held overnight, all five
    await run_slot(bot, "deliver", sh(2026, 12, 4, 8))
    [sent] = await bot.next_sent()
    assert isinstance(sent.reply, CardMessage) and sent.card is not None
    labels = [b["text"] for b in sent.card["buttons"]]
    assert len(labels) == 6 and labels[-1] == "推迟 第3条"  # WeCom shows at most six buttons
    note = sent.card["note"]
    assert "第4条起还有 2 条待办暂无按钮：处理完上面的一条，按钮会轮到下一条" in note
    assert "/待办" in note and "/推迟 序号 明天" in note
    # Done with the first: its buttons go to the fourth; then the fifth takes the second's.
    await tap(bot, sent.reply.card_id, "完成 第1条")
    card = await card_now(sent.reply.card_id)
    assert [b.text for b in card.buttons][-2:] == ["完成 第4条", "推迟 第4条"]
    assert "第5条起还有 1 条待办暂无按钮" in card.note and "第4条起" not in card.note
    await tap(bot, sent.reply.card_id, "推迟 第2条")
    card = await card_now(sent.reply.card_id)
    assert "暂无按钮" not in card.note  # the fifth has buttons now: nothing waits
    await tap(bot, sent.reply.card_id, "完成 第4条")
    card = await card_now(sent.reply.card_id)
    assert {b.text.split()[-1] for b in card.buttons} == {"第3条", "第5条"}
    assert (await Task.get(id=tasks[3].id)).status == "done"
    assert card.closed is None  # two tasks still have their buttons
