"""A whole quote chain through the WeCom simulator: encrypted callbacks in, template cards out,
every holder's copy of the card updated in place, greyed when the request is decided."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.clock import ManualClock
from bot.devtools.sim.wecom import WecomSimulator
from bot.devtools.sim.wecom_feed import FeedItem, HeldCard
from storage.models import Approval, ApprovalStep, AuditLog
from tests.channels.wecom.support import start_bot
from tests.support.crm import NOW, seed_world
from tests.support.harness import Harness

REP, SUPERVISOR, MANAGER, DIRECTOR = "ZhangWei", "ZhaoLei", "WangLi", "ChenZhiYuan"
LEGAL, FINANCE, PEER = "XuQing", "MaJun", "LiNa"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
async def sim() -> AsyncIterator[WecomSimulator]:
    s = WecomSimulator(
        clock=ManualClock(NOW), callback_timeout_s=2.0, callback_retry_interval_s=0.05
    )
    await s.start()
    yield s
    await s.stop()


@pytest.fixture
async def bot(db_url: str, sim: WecomSimulator, aiohttp_client) -> AsyncIterator[Harness]:  # type: ignore[no-untyped-def]
    harness = await start_bot(db_url, sim, aiohttp_client, clock=sim.clock)
    await seed_world()
    yield harness


def said(text: str) -> object:
    return lambda i: i.kind == "text" and text in i.text


def approval_card(item: FeedItem) -> bool:
    return (
        item.kind == "template_card"
        and item.card is not None
        and "报价审批" in str(item.card.body.get("main_title"))
    )


def card_id(card: HeldCard) -> str:
    return card.task_id.rsplit("-", 1)[0]  # a fresh task id per send, one stored card


def greyed_copy(sim: WecomSimulator, user: str, of: HeldCard) -> HeldCard | None:
    copies = [c for c in sim.cards_of(user) if card_id(c) == card_id(of)]
    return copies[-1] if copies and copies[-1].greyed is not None else None


def rows(card: HeldCard) -> dict[str, str]:
    return {r["keyname"]: r["value"] for r in card.body.get("horizontal_content_list", [])}


async def card_of(sim: WecomSimulator, user: str) -> HeldCard:
    item = await sim.wait_for(user, approval_card, within=20)
    assert item.card is not None
    return item.card


async def test_quote_up_the_whole_chain_and_rejected_by_the_director(
    bot: Harness, sim: WecomSimulator
) -> None:
    await sim.send_text(REP, "/报价 华东机械 60万 折扣5% 特殊条款:质保三年")
    await sim.wait_for(REP, said("报价审批还不能提交，请补充以下 2 项"), within=20)
    await sim.send_image(REP, PNG)
    await sim.wait_for(REP, said("已添加附件「产品配置表」"), within=20)
    await sim.send_image(REP, PNG + b"2")
    await sim.wait_for(REP, said("待 赵磊 审批（第 1/3 级"), within=20)
    mine = await card_of(sim, REP)
    held = {REP: mine}
    for holder in (SUPERVISOR, LEGAL, FINANCE):  # the approver and both copied
        held[holder] = await card_of(sim, holder)
        assert card_id(held[holder]) == card_id(mine)
    assert rows(mine)["报价金额"] == "60万元" and rows(mine)["特殊条款"] == "质保三年"
    assert [b["text"] for b in mine.body["button_list"]] == ["同意", "驳回"]

    await sim.tap(LEGAL, held[LEGAL].task_id, "同意")  # copied, not deciding
    await sim.wait_for(LEGAL, said("这张卡片需要由赵磊处理，你不能操作。"), within=20)

    await sim.tap(SUPERVISOR, held[SUPERVISOR].task_id, "同意")
    await sim.wait_for(REP, said("赵磊 已同意，待 王丽 审批（第 2/3 级"), within=20)
    await sim.tenant.feed.wait_until(lambda: "待 王丽" in mine.body["main_title"]["desc"], 20)
    held[MANAGER] = await card_of(sim, MANAGER)
    await sim.tap(MANAGER, held[MANAGER].task_id, "同意")
    await sim.wait_for(REP, said("王丽 已同意，待 陈志远 审批（第 3/3 级"), within=20)

    held[DIRECTOR] = await card_of(sim, DIRECTOR)
    await sim.tap(DIRECTOR, held[DIRECTOR].task_id, "驳回")
    await sim.wait_for(DIRECTOR, said("请回复驳回理由"), within=20)
    await sim.send_text(DIRECTOR, "价格需要重新核算")
    await sim.wait_for(REP, said("被 陈志远 驳回：价格需要重新核算"), within=20)

    # Every holder's newest copy is greyed with the outcome (WeCom spends a copy's update code,
    # so a holder who never tapped gets a fresh copy rather than a stale one).
    for user in held:
        newest = await sim.tenant.feed.wait_until(lambda u=user: greyed_copy(sim, u, mine), 20)
        assert newest.greyed.startswith("已驳回 · 陈志远"), user
    approval = await Approval.get(requester_id="zhang.wei")
    assert approval.status == "rejected"
    steps = await ApprovalStep.filter(approval_id=approval.id, kind="approve").order_by("seq")
    assert [(s.decided_by, s.status, s.platform) for s in steps] == [
        ("zhao.lei", "approved", "wecom"),
        ("wang.li", "approved", "wecom"),
        ("chen.zhiyuan", "rejected", "wecom"),
    ]
    assert await AuditLog.filter(action="card.refused", actor="xu.qing").count() == 1


async def test_withdrawn_request_greys_the_approvers_copy(
    bot: Harness, sim: WecomSimulator
) -> None:
    await sim.send_text(REP, "/样品 华东机械 传感器2套")
    await sim.wait_for(REP, said("已提交样品寄送"), within=20)
    item = await sim.wait_for(SUPERVISOR, lambda i: i.kind == "template_card", within=20)
    assert item.card is not None
    await sim.send_text(REP, "/撤回")
    await sim.wait_for(REP, said("已撤回 #"), within=20)
    copy = await sim.tenant.feed.wait_until(lambda: greyed_copy(sim, SUPERVISOR, item.card), 20)
    assert copy.greyed.startswith("已撤回")
    assert sim.cards_of(PEER) == []  # nobody else got a copy


async def test_a_bare_sample_request_is_guided_to_submission(
    bot: Harness, sim: WecomSimulator
) -> None:
    await sim.send_text(REP, "/样品")
    item = await sim.wait_for(
        REP,
        lambda i: i.kind == "template_card" and "样品寄送 · 待补充" in str(i.card and i.card.body),
        within=20,
    )
    guided = item.card
    assert guided is not None
    assert guided.body["main_title"]["desc"] == "还缺【客户】：点选或直接回复客户名称"
    assert [b["text"] for b in guided.body["button_list"]] == ["华东机械", "金桥物流", "取消"]

    await sim.tap(REP, guided.task_id, "华东机械")
    await sim.tenant.feed.wait_until(
        lambda: "样品清单" in guided.body["main_title"].get("desc", ""), 20
    )  # the same copy, redrawn in place
    assert rows(guided)["客户"] == "华东机械"

    await sim.send_text(REP, "传感器模组2套")
    await sim.wait_for(REP, said("已提交样品寄送 #"), within=20)
    decision = await sim.wait_for(SUPERVISOR, lambda i: i.kind == "template_card", within=20)
    assert decision.card is not None
    assert [b["text"] for b in decision.card.body["button_list"]] == ["同意", "驳回"]
    approval = await Approval.get(requester_id="zhang.wei")
    assert approval.status == "pending" and approval.form["items"] == "传感器模组2套"
    done = await sim.tenant.feed.wait_until(lambda: greyed_copy(sim, REP, guided), 20)
    assert done.greyed == f"已提交 #{approval.id}"
