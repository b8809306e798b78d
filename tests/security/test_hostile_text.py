"""Hostile text through the real app: every message gets an answer, nothing is executed, the
text is stored exactly as sent, no handler fails."""

from __future__ import annotations

import json

from bot.clock import ManualClock
from storage.models import Client, InboxMessage
from tests.support.crm import NOW
from tests.support.harness import Harness, make_config, start_harness

HOSTILE = [
    "'; DROP TABLE clients; --",
    "华东机械' OR '1'='1",
    "/简报 ' UNION SELECT * FROM people --",
    "<script>alert(1)</script> 今天拜访了<b>华东机械</b>",
    "**粗体** [链接](javascript:alert(1)) `代码` # 标题 > 引用",
    "控制字符\x00\x01\x07\x1b[31m红色\x1b[0m\r\n\t结束",
    "\u202e\u200b\ufeff 方向控制 \u2066隔离\u2069",
    "今天拜访华东机械👨‍👩‍👧‍👦💰🔥 报价35万🏻",
    "Mixed 混合 スクリプト 한국어 العربية русский ελληνικά 🇨🇳",
    "/" * 50,
    "／简报" + "华东机械" * 200,
    "拜访记录：" + "客户很满意，下周签约。" * 9_091,  # ~100,000 characters
    # Digits that str.isdigit() accepts and int() does not: every numbered argument.
    "/推迟 ¹ 明天",
    "/撤回 ²",
    "/漏斗 ²⁰²⁶-¹²",
    "/待办 ①",
]


async def test_hostile_text_is_answered_stored_verbatim_and_never_executed(
    db_url: str, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    bot: Harness = await start_harness(
        make_config(db_url), aiohttp_client, clock=ManualClock(NOW), world=True
    )
    clients_before = await Client.all().count()
    for i, text in enumerate(HOSTILE):
        assert await bot.say("zhang.wei", text, msg_id=f"hostile-{i}")
        replies = await bot.next_sent()
        assert replies, text[:40]
        row = await InboxMessage.get(dedupe_key__contains=f"hostile-{i}")
        assert json.loads(row.payload)["text"] == text  # stored exactly as sent
    assert await Client.all().count() == clients_before  # nothing dropped, nothing injected
    handled = bot.runtime.metrics.handled
    assert handled.labels("text", "error")._value.get() == 0
    assert handled.labels("text", "ok")._value.get() >= len(HOSTILE)
    # The bot still works normally afterwards.
    await bot.say("zhang.wei", "/帮助")
    assert (await bot.next_sent())[0].reply is not None
