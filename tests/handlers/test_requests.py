"""Plain-language requests reach the feature that answers them and never become visit notes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import create_app
from bot.clock import ManualClock
from bot.replies import CardMessage, CardUpdate, Markdown, Text
from handlers.followup.ask import NOT_RECORDED
from nlp.intent_eval import load_intents
from storage.models import CardInstance
from tests.support.crm import NOW, seed_world
from tests.support.harness import Harness, build_harness, make_config

INTENTS = Path(__file__).resolve().parents[1] / "data" / "intents.jsonl"


@pytest.fixture
async def bot(db_url: str, aiohttp_client) -> AsyncIterator[Harness]:
    harness = build_harness(make_config(db_url), clock=ManualClock(NOW))
    harness.client = await aiohttp_client(
        create_app(harness.runtime.config, runtime=harness.runtime)
    )
    await seed_world()
    yield harness


async def test_a_managers_funnel_question_is_not_a_visit_note(bot: Harness) -> None:
    await bot.say("wang.li", "华东本月漏斗怎么样")
    (msg,) = await bot.next_sent()
    assert not isinstance(msg.reply, CardMessage | CardUpdate)
    assert isinstance(msg.reply, Text | Markdown)
    assert await CardInstance.filter(kind="followup").count() == 0


async def test_asking_about_a_client_in_words_gives_its_brief(bot: Harness) -> None:
    await bot.say("li.na", "帮我查下恒达科技")
    (msg,) = await bot.next_sent()
    assert isinstance(msg.reply, Markdown) and msg.reply.title == "恒达科技 客户简报"
    await bot.say("zhang.wei", "恒达科技最近怎么样")  # 李娜's client: not 张伟's to see
    (msg,) = await bot.next_sent()
    assert isinstance(msg.reply, Text) and "没有找到你可以查看的客户“恒达科技”" in msg.reply.text
    await bot.say("zhao.lei", "华东机械的情况发我一下")  # his team's client
    (msg,) = await bot.next_sent()
    assert isinstance(msg.reply, Markdown) and msg.reply.title == "华东机械 客户简报"
    assert await CardInstance.all().count() == 0


async def test_what_can_you_do_is_answered_with_help(bot: Harness) -> None:
    await bot.say("zhang.wei", "你能做什么")
    (msg,) = await bot.next_sent()
    assert isinstance(msg.reply, Markdown) and msg.reply.title == "帮助"


async def test_an_unclear_text_is_asked_about_once(bot: Harness) -> None:
    await bot.say("zhang.wei", "金桥物流")
    (ask,) = await bot.next_sent()
    assert isinstance(ask.reply, CardMessage) and ask.card["title"] == "这是一条拜访记录吗？"
    assert await CardInstance.filter(kind="followup").count() == 0
    await bot.tap("zhang.wei", ask.card["id"], "是")
    sent = await bot.next_sent(1)
    assert isinstance(sent[0].reply, CardMessage) and sent[0].card["title"] == "拜访记录确认"
    assert await CardInstance.filter(kind="followup").count() == 1
    assert (await CardInstance.get(id=ask.card["id"])).status == "closed"

    await bot.say("li.na", "恒达科技")  # her own client, named bare
    (ask,) = await bot.next_sent()
    assert ask.card is not None and ask.card["title"] == "这是一条拜访记录吗？"
    await bot.tap("li.na", ask.card["id"], "不是")
    (msg,) = await bot.next_sent()
    assert isinstance(msg.reply, Text) and msg.reply.text == NOT_RECORDED


async def test_no_request_of_the_labelled_set_becomes_a_draft(
    sqlite_url: str, aiohttp_client
) -> None:
    h = build_harness(make_config(sqlite_url), clock=ManualClock(NOW))
    h.client = await aiohttp_client(create_app(h.runtime.config, runtime=h.runtime))
    await seed_world()
    requests = [item for item in load_intents(INTENTS) if item.label == "request"]
    assert len(requests) >= 60
    for item in requests:
        await h.say("wang.li", item.text)
        (msg,) = await h.next_sent()
        assert not (isinstance(msg.reply, CardMessage) and msg.card["title"] == "拜访记录确认"), (
            item.text
        )
    assert await CardInstance.filter(kind="followup").count() == 0
