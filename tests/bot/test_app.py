"""The running app: health, metrics, /帮助 per role, commands and aliases, unknown users."""

from __future__ import annotations

import asyncio

from bot.replies import Markdown, Text
from tests.support.harness import Harness


async def reply_to(bot: Harness, user: str, text: str) -> Text | Markdown:
    before = len(bot.channel.sent)
    await bot.say(user, text)
    sent = await asyncio.wait_for(bot.channel.wait_for(before + 1), 10)
    reply = sent[before].reply
    assert isinstance(reply, Text | Markdown)
    return reply


async def test_healthz_checks_the_database(bot: Harness) -> None:
    assert bot.client is not None
    resp = await bot.client.get("/healthz")
    assert resp.status == 200
    assert (await resp.json())["status"] == "ok"
    await bot.runtime.db.close()  # the database goes away: health must say so
    resp = await bot.client.get("/healthz")
    assert resp.status == 503
    await bot.runtime.db.open()


async def test_metrics_in_prometheus_text_format(bot: Harness) -> None:
    assert bot.client is not None
    await reply_to(bot, "zhang.wei", "/帮助")
    await bot.say("zhang.wei", "/帮助", msg_id="dup")
    await bot.say("zhang.wei", "/帮助", msg_id="dup")
    resp = await bot.client.get("/metrics")
    assert resp.status == 200 and resp.content_type == "text/plain"
    body = await resp.text()
    assert 'salesbot_inbox_received_total{kind="text",platform="test"}' in body
    assert 'salesbot_inbox_duplicates_total{platform="test"} 1.0' in body
    assert "# TYPE salesbot_handle_seconds histogram" in body


async def test_help_lists_the_commands_of_each_role(bot: Harness) -> None:
    rep = await reply_to(bot, "zhang.wei", "/帮助")
    manager = await reply_to(bot, "wang.li", "/help")
    admin = await reply_to(bot, "lin.feng", "/帮助")
    assert "张伟（销售）" in rep.text and "王丽（经理）" in manager.text
    for text in (rep.text, manager.text, admin.text):
        assert "`/帮助`" in text and "`/简报`" in text
        assert len(text.encode()) < 2048  # one WeCom message, not split on a phone
    assert "`/状态`" in admin.text  # admins only
    assert "`/状态`" not in rep.text and "`/状态`" not in manager.text
    assert "`/同步通讯录`" in admin.text and "`/同步通讯录`" not in manager.text
    usage = await reply_to(bot, "wang.li", "/帮助 漏斗")
    assert "用法：`/漏斗 [本周|本月|上月|本季|YYYY-MM]" in usage.text and "/funnel" in usage.text
    refused = await reply_to(bot, "wang.li", "/帮助 状态")
    assert "不能使用 /状态" in refused.text


async def test_unknown_people_and_commands_get_clear_chinese_answers(bot: Harness) -> None:
    stranger = await reply_to(bot, "who-is-this", "/帮助")
    assert "不在本系统的人员名单中" in stranger.text and "who-is-this" in stranger.text
    unknown = await reply_to(bot, "zhang.wei", "/飞行")
    assert unknown.text == "没有 /飞行 这个命令。发送 /帮助 查看可用命令。"
    fullwidth = await reply_to(bot, "zhang.wei", "／帮助")
    assert "可用的命令" in fullwidth.text
