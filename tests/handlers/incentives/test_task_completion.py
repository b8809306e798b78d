"""Saving a visit note marks the deal's previous next action done and records when (the on-time
rate of 流程规范奖 compares that moment with the due time)."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import ManualClock
from bot.replies import CardMessage
from storage.models import Task
from tests.support.crm import NOW
from tests.support.harness import Harness, make_config, start_harness


async def save_note(bot: Harness, text: str) -> str:
    await bot.say("zhang.wei", text)
    while True:  # skip what the previous save still sends (an offer to request an approval)
        (msg,) = await bot.next_sent()
        buttons = [b["text"] for b in (msg.card or {}).get("buttons", [])]
        if isinstance(msg.reply, CardMessage) and "保存" in buttons:
            break
    assert msg.card is not None
    await bot.tap("zhang.wei", msg.card["id"], "保存")
    await bot.next_sent(2)
    return str(msg.card["id"])


async def test_the_replaced_next_action_gets_its_completion_time(
    db_url: str, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    clock = ManualClock(NOW)
    bot = await start_harness(make_config(db_url), aiohttp_client, clock=clock, world=True)
    first = await save_note(bot, "拜访华东机械李总，报价30万，周五前回复")
    task = await Task.get(source_id=f"fu:{first}")
    assert (task.status, task.completed_at) == ("open", None)
    clock.advance(3 * 3600)
    await save_note(bot, "今天拜访了华东机械王经理，报价三十五万，下周三之前把合同发过去")
    task = await Task.get(source_id=f"fu:{first}")
    assert task.status == "done"
    assert task.completed_at == NOW + timedelta(hours=3)
