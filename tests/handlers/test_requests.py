"""Plain-language requests reach the feature that answers them and never become visit notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import create_app
from bot.clock import ManualClock
from bot.config.org import Person, Role
from bot.feature import Feature, permission
from bot.pipeline.context import Context
from bot.pipeline.router import Router
from bot.replies import CardMessage, Markdown, Text
from handlers.followup.ask import NOT_RECORDED
from nlp.intent import Topic
from nlp.intent_eval import load_intents
from storage.models import CardInstance
from tests.support.crm import NOW, seed_world
from tests.support.harness import Harness, build_harness, make_config, start_harness

INTENTS = Path(__file__).resolve().parents[1] / "data" / "intents.jsonl"


@pytest.fixture
async def bot(db_url: str, aiohttp_client) -> Harness:
    return await start_harness(
        make_config(db_url), aiohttp_client, clock=ManualClock(NOW), world=True
    )


async def test_a_managers_funnel_question_is_answered_with_the_funnel(bot: Harness) -> None:
    await bot.say("wang.li", "华东本月漏斗怎么样")
    (msg,) = await bot.next_sent()
    assert isinstance(msg.reply, Markdown) and "漏斗" in msg.reply.title
    assert "华东" in msg.reply.title + msg.reply.text
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


async def test_the_llm_decides_what_the_rules_are_unsure_of(
    sqlite_url: str, aiohttp_client, aiohttp_server
) -> None:
    from pydantic import SecretStr

    from tests.support.fake_llm import KEY, start_fake_llm

    llm = await start_fake_llm(
        aiohttp_server, {"kind": "request", "topic": "brief", "subject": "金桥物流"}
    )
    config = make_config(sqlite_url)
    settings = config.nlp.llm.model_copy(
        update={"enabled": True, "base_url": llm["url"], "api_key": SecretStr(KEY), "model": "m"}
    )
    config = config.model_copy(update={"nlp": config.nlp.model_copy(update={"llm": settings})})
    h = build_harness(config, clock=ManualClock(NOW))
    h.client = await aiohttp_client(create_app(config, runtime=h.runtime))
    await seed_world()
    await h.say("zhang.wei", "华东本月漏斗怎么样")  # the rules are sure: the LLM is not asked
    await h.next_sent()
    assert llm["requests"] == []
    await h.say("zhang.wei", "金桥物流")  # unsure by the rules; the LLM says: a brief request
    (msg,) = await h.next_sent()
    assert len(llm["requests"]) == 1
    assert isinstance(msg.reply, Markdown) and msg.reply.title == "金桥物流 客户简报"
    llm["mode"] = "error"  # the LLM failing leaves the rules' answer: ask once
    await h.say("li.na", "恒达科技")
    (msg,) = await h.next_sent()
    assert msg.card is not None and msg.card["title"] == "这是一条拜访记录吗？"


async def test_a_request_needs_the_permission_its_feature_names(
    sqlite_url: str, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    """The dispatcher asks the access policy before the handler runs, as for a command: a role
    without the permission gets the one refusal text, and the handler is never called."""
    asked: list[str] = []
    router = Router("probe")

    @router.request(Topic.funnel, permission="probe.funnel")
    async def funnel(ctx: Context, person: Person) -> None:
        asked.append(person.id)
        ctx.reply(Text("漏斗在此"))

    only_managers = permission("probe.funnel", [Role.manager], "查看探针漏斗")
    h = build_harness(
        make_config(sqlite_url),
        clock=ManualClock(NOW),
        features=[Feature("probe", router, (only_managers,))],
    )
    h.client = await aiohttp_client(create_app(h.runtime.config, runtime=h.runtime))
    await h.say("zhang.wei", "华东本月漏斗怎么样")
    (refused,) = await h.next_sent()
    assert refused.reply == Text(
        "你的角色（销售）不能查看探针漏斗。发送 /帮助 查看你可以使用的命令。"
    )
    await h.say("wang.li", "华东本月漏斗怎么样")
    (answered,) = await h.next_sent()
    assert answered.reply == Text("漏斗在此") and asked == ["wang.li"]
