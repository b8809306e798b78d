"""`/待办` and `/推迟`: a person's open tasks, and moving one."""

from __future__ import annotations

from bot.replies import Text
from storage.models import Client, Task
from tests.support.harness import Harness
from tests.support.jobs import sh


async def seed_tasks() -> list[Task]:
    c = await Client.create(name="华东机械", owner_id="zhang.wei", region="east")
    return [
        await Task.create(
            kind="next_action",
            assignee_id="zhang.wei",
            title="发送报价",
            due_at=sh(2026, 12, 3, 16),
            client_id=c.id,
        ),
        await Task.create(
            kind="next_action", assignee_id="zhang.wei", title="补合同", due_at=sh(2026, 12, 1, 18)
        ),
        await Task.create(kind="next_action", assignee_id="zhang.wei", title="整理需求"),
        await Task.create(
            kind="next_action", assignee_id="li.na", title="李娜的事", due_at=sh(2026, 12, 3, 10)
        ),
        await Task.create(
            kind="next_action",
            assignee_id="zhang.wei",
            title="做完了",
            due_at=sh(2026, 12, 2, 10),
            status="done",
        ),
    ]


async def text_reply(bot: Harness, user: str, text: str) -> str:
    await bot.say(user, text)
    [sent] = await bot.next_sent()
    assert isinstance(sent.reply, Text) and sent.recipient == user
    return sent.reply.text


async def test_todo_lists_my_open_tasks_by_due_time(bot: Harness) -> None:
    await seed_tasks()
    text = await text_reply(bot, "zhang.wei", "/待办")
    lines = text.splitlines()
    assert lines[0] == "你的待办（3 项）："
    assert lines[1] == "1. 12月1日 18:00 补合同（已逾期）"
    assert lines[2] == "2. 12月3日 16:00 发送报价（华东机械）"
    assert lines[3] == "3. 整理需求"
    assert "李娜" not in text and "做完了" not in text


async def test_todo_when_there_is_nothing(bot: Harness) -> None:
    assert await text_reply(bot, "liu.yang", "/待办") == "你目前没有未完成的待办。"


async def test_postpone_by_number_to_tomorrow_keeps_the_time(bot: Harness) -> None:
    tasks = await seed_tasks()
    answer = await text_reply(bot, "zhang.wei", "/推迟 2 明天")
    assert "发送报价" in answer and "12月4日 16:00" in answer
    moved = await Task.get(id=tasks[0].id)
    assert moved.due_at == sh(2026, 12, 4, 16) and moved.reminded_at is None


async def test_postpone_by_name_to_a_weekday(bot: Harness) -> None:
    tasks = await seed_tasks()
    answer = await text_reply(bot, "zhang.wei", "/推迟 补合同 下周一")
    assert "12月7日 18:00" in answer
    assert (await Task.get(id=tasks[1].id)).due_at == sh(2026, 12, 7, 18)


async def test_postpone_without_a_time_means_tomorrow_and_an_undated_task_gets_nine(
    bot: Harness,
) -> None:
    tasks = await seed_tasks()
    await text_reply(bot, "zhang.wei", "/推迟 整理需求")
    assert (await Task.get(id=tasks[2].id)).due_at == sh(2026, 12, 4, 9)


async def test_postpone_someone_elses_or_an_unknown_task(bot: Harness) -> None:
    await seed_tasks()
    assert "没有找到待办“李娜的事”" in await text_reply(bot, "zhang.wei", "/推迟 李娜的事 明天")
    assert "没有找到待办“9”" in await text_reply(bot, "zhang.wei", "/推迟 9 明天")
    assert "用法" in await text_reply(bot, "zhang.wei", "/推迟 明天")


async def test_asking_in_words_gives_the_same_list(bot: Harness) -> None:
    await seed_tasks()
    text = await text_reply(bot, "zhang.wei", "我今天有什么要跟进的")
    assert text.startswith("你的待办（3 项）：")
