"""The same approvals over DingTalk in Stream mode (interactive cards): a south rep's quote goes
to his supervisor, then straight to the director (no regional manager above him), with a file
and a picture as its attachments; every holder's card is updated in place."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from bot.clock import ManualClock
from bot.devtools.sim.dingtalk import DingtalkSimulator
from bot.devtools.sim.dingtalk_feed import FeedItem, SimCard
from storage.models import Approval, ApprovalAttachment, ApprovalStep
from tests.channels.dingtalk.support import fast_app, start_bot
from tests.support.crm import NOW, seed_world
from tests.support.harness import Harness

REP, SUPERVISOR, DIRECTOR = "staff2002", "staff1001", "manager0001"  # 周杰, 黄涛, 陈志远


@pytest.fixture
async def sim() -> AsyncIterator[DingtalkSimulator]:
    async with DingtalkSimulator(clock=ManualClock(NOW)) as s:
        yield s


@pytest.fixture
async def bot(db_url: str, sim: DingtalkSimulator, aiohttp_client) -> AsyncIterator[Harness]:  # type: ignore[no-untyped-def]
    app = fast_app(sim, card_template_id="tpl-approval.schema")
    harness = await start_bot(db_url, sim, aiohttp_client, app=app, clock=sim.clock)
    await seed_world()
    await sim.wait_connected()
    yield harness


def said(text: str) -> object:
    return lambda i: i.kind != "card" and text in (i.text or "")


def is_card(item: FeedItem) -> bool:
    return item.kind == "card"


async def card_of(sim: DingtalkSimulator, user: str) -> SimCard:
    card = (await sim.wait_for(user, is_card)).card
    assert card is not None
    return card


async def test_quote_with_a_file_and_a_picture_approved_by_two_rungs(
    bot: Harness, sim: DingtalkSimulator
) -> None:
    await sim.send_text(REP, "/报价 南方纺织 20万 95折")
    await sim.wait_for(REP, said("报价审批还不能提交，请补充以下 2 项"))
    await sim.push(sim.file_message(REP, b"%PDF-1.4 spec", "技术参数说明.pdf"))
    await sim.wait_for(REP, said("已添加附件「技术参数说明」"))
    await sim.push(sim.picture_message(REP, b"\x89PNG\r\n\x1a\n"))
    await sim.wait_for(REP, said("待 黄涛 审批（第 1/2 级"))
    mine = await card_of(sim, REP)
    theirs = await card_of(sim, SUPERVISOR)
    assert mine.params["card_id"] == theirs.params["card_id"]  # one stored card, two copies
    assert [b["text"] for b in theirs.buttons] == ["同意", "驳回"]

    await sim.tap(REP, mine.out_track_id, "同意")  # the requester may not approve
    await sim.wait_for(REP, said("这张卡片需要由黄涛处理，你不能操作。"))
    await sim.tap(SUPERVISOR, theirs.out_track_id, "同意")
    await sim.wait_for(REP, said("黄涛 已同意，待 陈志远 审批（第 2/2 级"))
    await sim.wait_until(lambda: "待 陈志远" in mine.params["subtitle"] or None)
    directors = await card_of(sim, DIRECTOR)
    await sim.tap(DIRECTOR, directors.out_track_id, "同意")
    await sim.wait_for(REP, said("已通过"))
    for copy in (mine, theirs, directors):  # every copy updated in place
        await sim.wait_until(lambda c=copy: c.params["status"] == "closed")
        assert copy.params["closed_text"].startswith("已同意 · 陈志远")
        assert copy.params["buttons"] == "[]"

    approval = await Approval.get(requester_id="zhou.jie")
    assert approval.status == "approved" and approval.form["discount"] == 5.0
    steps = await ApprovalStep.filter(approval_id=approval.id, kind="approve").order_by("seq")
    assert [(s.decided_by, s.platform) for s in steps] == [
        ("huang.tao", "dingtalk"),
        ("chen.zhiyuan", "dingtalk"),
    ]
    names = await ApprovalAttachment.filter(approval_id=approval.id).order_by("id")
    assert [(a.name, a.filename.endswith(".pdf")) for a in names] == [
        ("技术参数说明", True),
        ("产品配置表", False),
    ]


async def test_reject_with_a_common_reason_and_a_stale_tap(
    bot: Harness, sim: DingtalkSimulator
) -> None:
    await sim.send_text(REP, "/样品 南方纺织 样机一台")
    card = await card_of(sim, SUPERVISOR)
    await sim.tap(SUPERVISOR, card.out_track_id, "驳回")
    await sim.wait_for(SUPERVISOR, said("请回复驳回理由"))
    await sim.send_text(SUPERVISOR, "3")
    await sim.wait_for(REP, said("被 黄涛 驳回：条款需要修改"))
    await sim.wait_until(lambda: card.params["status"] == "closed")
    first_drawing = card.history[0]
    old_approve = next(b["payload"] for b in json.loads(first_drawing["buttons"]))
    await sim.tap(SUPERVISOR, card.out_track_id, old_approve)  # a tap on the old drawing
    await sim.wait_for(SUPERVISOR, said("这张卡片已处理"))
    assert (await Approval.get(requester_id="zhou.jie")).status == "rejected"
