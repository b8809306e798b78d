"""The same follow-up scenario on DingTalk (Stream mode, interactive cards): switching a team
from WeCom to DingTalk is a config change, and one person is the same person on both."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from bot.clock import ManualClock
from bot.devtools.sim.dingtalk import DingtalkSimulator
from storage.models import FollowUp
from tests.channels.dingtalk.support import fast_app, start_bot
from tests.support.crm import NOW, seed_world
from tests.support.harness import Harness

REP = "staff2001"  # 张伟's DingTalk staffId; the same person as WeCom's ZhangWei


@pytest.fixture
async def sim() -> AsyncIterator[DingtalkSimulator]:
    async with DingtalkSimulator(clock=ManualClock(NOW)) as s:
        yield s


@pytest.fixture
async def bot(db_url: str, sim: DingtalkSimulator, aiohttp_client) -> AsyncIterator[Harness]:
    app = fast_app(sim, card_template_id="tpl-followup.schema")
    harness = await start_bot(db_url, sim, aiohttp_client, app=app, clock=sim.clock)
    await seed_world()
    await sim.wait_connected()
    yield harness


def rows(params: dict[str, str]) -> dict[str, tuple[str, str]]:
    return {r["label"]: (r["value"], r["hint"]) for r in json.loads(params["rows"])}


async def test_note_correction_and_save_over_dingtalk(bot: Harness, sim: DingtalkSimulator) -> None:
    await sim.send_text(REP, "今天拜访了花东机械王经理，报价三十万，下周三之前把合同发过去")
    card = (await sim.wait_for(REP, lambda i: i.kind == "card")).card
    assert card is not None
    assert rows(card.params)["客户"] == ("华东机械（听到“花东机械”）", "文字")
    assert rows(card.params)["产品"] == ("智能仓储系统", "历史")  # 张伟's history, whichever app

    await sim.send_text(REP, "金额改成35万")
    await sim.wait_until(lambda: rows(card.params)["金额"] == ("35万元", "已确认"))
    assert card.version == 2  # updated in place through PUT /v1.0/card/instances

    await sim.tap(REP, card.out_track_id, "保存")
    brief = await sim.wait_for(REP, lambda i: i.kind == "markdown")
    assert "华东机械 · 客户简报" in brief.text
    await sim.wait_until(lambda: card.params["status"] == "closed")
    assert card.params["closed_text"].startswith("已保存 · 张伟")
    record = await FollowUp.get(card_id=card.out_track_id)
    assert record.rep_id == "zhang.wei"
    assert record.fields_final["amount"] == {"value": 350000, "source": "answered"}
