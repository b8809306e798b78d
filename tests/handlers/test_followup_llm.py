"""The optional LLM fills what the rules missed; when it fails the card still comes from the rules."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from bot.app import create_app
from bot.clock import ManualClock
from tests.support.crm import NOW, seed_world
from tests.support.fake_llm import KEY, start_fake_llm
from tests.support.harness import build_harness, make_config

ANSWER = {
    "client": "华东机械",
    "contact": "李总",
    "stage": "需求确认",
    "amount": "45万",
    "products": [],
    "competitors": [],
    "next_action": "发送需求调研问卷",
    "next_action_due": "2026-12-01",
    "sentiment": "positive",
    "risks": [],
    "needs": [],
}
NOTE = "今天跟华东机械聊了聊，对方挺感兴趣"


@pytest.mark.parametrize("mode", ["good", "error"])
async def test_llm_fills_gaps_or_falls_back(
    sqlite_url, aiohttp_client, aiohttp_server, mode
) -> None:
    llm = await start_fake_llm(aiohttp_server, ANSWER)
    llm["mode"] = mode
    config = make_config(sqlite_url)
    nlp = config.nlp.model_copy(
        update={
            "llm": config.nlp.llm.model_copy(
                update={
                    "enabled": True,
                    "base_url": llm["url"],
                    "api_key": SecretStr(KEY),
                    "model": "m",
                }
            )
        }
    )
    config = config.model_copy(update={"nlp": nlp})
    bot = build_harness(config, clock=ManualClock(NOW))
    bot.client = await aiohttp_client(create_app(config, runtime=bot.runtime))
    await seed_world()
    await bot.say("zhang.wei", NOTE)
    (msg,) = await bot.next_sent()
    rows = {r["label"]: (r["value"], r["hint"]) for r in msg.card["rows"]}
    assert len(llm["requests"]) == 1  # the rules missed fields, so the LLM was asked once
    assert rows["客户"] == ("华东机械", "文字")
    if mode == "good":
        assert rows["金额"] == ("45万元", "文字") and rows["联系人"] == ("李总", "文字")
        assert rows["下一步"][0] == "发送需求调研问卷 · 截止 12月1日 周二"
    else:
        assert rows["金额"] == ("30万元", "历史")
        assert "还缺【下一步】" in msg.card["subtitle"]
