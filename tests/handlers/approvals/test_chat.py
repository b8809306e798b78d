"""Approvals through the real pipeline (test channel) on SQLite and PostgreSQL: a quote waits
for its attachments, moves up the chain by taps, is rejected with a reason; refusals, stale and
double taps, concurrent taps of an any-of group, withdraw, delegation, the two lists."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from bot.app import create_app
from bot.channels.testing import SentMessage
from bot.clock import ManualClock
from bot.config.approvals import ApprovalTemplate
from bot.events import FileEvent, ImageEvent
from bot.replies import CardMessage, CardUpdate, Markdown, Text
from cards.store import CardStore
from handlers.shared.access import CARD_STALE
from storage.models import Approval, ApprovalStep, AuditLog, CardInstance
from tests.support.crm import NOW, seed_world
from tests.support.harness import Harness, build_harness, make_config


async def start_bot(db_url: str, aiohttp_client, **config_update: object) -> Harness:  # type: ignore[no-untyped-def]
    config = make_config(db_url)
    if config_update:
        config = config.model_copy(update=config_update)
    harness = build_harness(config, clock=ManualClock(NOW))
    harness.client = await aiohttp_client(
        create_app(harness.runtime.config, runtime=harness.runtime)
    )
    await seed_world()
    return harness


@pytest.fixture
async def bot(db_url: str, aiohttp_client) -> AsyncIterator[Harness]:  # type: ignore[no-untyped-def]
    yield await start_bot(db_url, aiohttp_client)


async def send_file(bot: Harness, user: str, filename: str, image: bool = False) -> None:
    key = uuid.uuid4().hex
    bot.channel.media[key] = f"content of {filename}".encode()
    common = {
        "platform": "test",
        "app": "test",
        "user_id": user,
        "msg_id": key,
        "dedupe_key": key,
        "time": bot.runtime.clock.now(),
        "media_id": key,
    }
    event = ImageEvent(**common) if image else FileEvent(**common, filename=filename)
    await bot.channel.inject(event)


def texts(sent: list[SentMessage]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in sent:
        if isinstance(m.reply, Text | Markdown):
            out.setdefault(m.recipient, []).append(m.reply.text)
    return out


def cards_to(sent: list[SentMessage]) -> set[tuple[str, str]]:
    return {
        (m.recipient, type(m.reply).__name__)
        for m in sent
        if isinstance(m.reply, CardMessage | CardUpdate)
    }


async def submit_quote(bot: Harness) -> tuple[Approval, str]:
    """张伟 asks for a 30万 quote, then sends the two attachments it needs."""
    await bot.say("zhang.wei", "/报价 华东机械 30万 折扣5%")
    (ask,) = await bot.next_sent()
    assert isinstance(ask.reply, Text) and ask.recipient == "zhang.wei"
    assert ask.reply.text == (
        "报价审批还不能提交，请补充以下 2 项：\n"
        "1. 缺少附件「产品配置表」：请把文件或图片直接发给我\n"
        "2. 缺少附件「技术参数说明」：请把文件或图片直接发给我\n"
        "补齐后我会自动提交。"
    )
    await send_file(bot, "zhang.wei", "IMG_0001.jpg", image=True)
    first = await bot.next_sent(2)
    assert texts(first)["zhang.wei"][0] == "已添加附件「产品配置表」。"
    assert "1. 缺少附件「技术参数说明」" in texts(first)["zhang.wei"][1]
    await send_file(bot, "zhang.wei", "技术参数说明.pdf")
    sent = await bot.next_sent(5)  # note, receipt, card to 张伟, 赵磊 and 马骏 (finance, ≥30万)
    said = texts(sent)["zhang.wei"]
    assert said[0] == "已添加附件「技术参数说明」。"
    assert said[1].startswith("已提交报价审批 #") and "待 赵磊 审批（第 1/2 级" in said[1]
    assert cards_to(sent) == {
        ("zhang.wei", "CardMessage"),
        ("zhao.lei", "CardMessage"),
        ("ma.jun", "CardMessage"),
    }
    approval = await Approval.get(requester_id="zhang.wei")
    card_id = next(m.reply.card_id for m in sent if isinstance(m.reply, CardMessage))
    return approval, card_id


async def test_quote_with_attachments_approved_then_rejected_with_a_reason(bot: Harness) -> None:
    approval, card_id = await submit_quote(bot)
    assert approval.status == "pending" and float(approval.amount or 0) == 300_000
    assert approval.client_id is not None and approval.deal_id is not None
    card = CardStore.card_of(await CardInstance.get(id=card_id))
    rows = {r.label: r.value for r in card.rows}
    assert rows["客户"] == "华东机械" and rows["报价金额"] == "30万元" and rows["折扣"] == "5%"
    assert rows["附件"] == "产品配置表、技术参数说明" and rows["抄送"] == "马骏"
    assert (rows["第1级"], rows["第2级"]) == ("赵磊 待审批", "王丽 未开始")
    assert card.subtitle == "待 赵磊 审批（1/2，11月27日 18:00前）"
    assert [b.text for b in card.buttons] == ["同意", "驳回"]

    await bot.tap("zhao.lei", card_id, "同意")
    sent = await bot.next_sent(3)
    assert texts(sent)["zhang.wei"] == [
        f"报价审批 #{approval.id}：赵磊 已同意，待 王丽 审批（第 2/2 级，截止 11月27日 18:00）。"
    ]
    assert cards_to(sent) == {("wang.li", "CardMessage"), ("zhao.lei", "CardUpdate")}

    await bot.tap("wang.li", card_id, "驳回")
    (prompt,) = await bot.next_sent()
    assert isinstance(prompt.reply, Text) and prompt.reply.text.startswith("请回复驳回理由")
    assert (await Approval.get(id=approval.id)).status == "pending"  # no reason, no decision
    await bot.say("wang.li", "2")
    sent = await bot.next_sent(3)
    assert texts(sent) == {
        "wang.li": [f"已驳回 #{approval.id}。"],
        "zhang.wei": [
            f"报价审批 #{approval.id} 被 王丽 驳回：资料不全，请补充后重新提交。可修改后重新提交。"
        ],
    }
    instance = await CardInstance.get(id=card_id)
    card = CardStore.card_of(instance)
    assert instance.status == "closed" and card.buttons == ()
    assert card.closed is not None and card.closed.startswith("已驳回 · 王丽 ·")
    steps = await ApprovalStep.filter(approval_id=approval.id, kind="approve").order_by("seq")
    assert [(s.status, s.decided_by, s.platform, s.comment) for s in steps] == [
        ("approved", "zhao.lei", "test", None),
        ("rejected", "wang.li", "test", "资料不全，请补充后重新提交"),
    ]


async def test_someone_else_an_old_card_and_a_second_tap_change_nothing(bot: Harness) -> None:
    approval, card_id = await submit_quote(bot)
    old = CardStore.card_of(await CardInstance.get(id=card_id)).buttons[0].payload
    await bot.tap("li.na", card_id, "同意")  # a peer of the requester
    (refused,) = await bot.next_sent()
    assert isinstance(refused.reply, Text)
    assert refused.reply.text == "这张卡片需要由赵磊处理，你不能操作。"
    assert await AuditLog.filter(action="card.refused", actor="li.na").count() == 1

    await bot.tap("zhao.lei", card_id, "同意")
    await bot.next_sent(3)
    await bot.tap_payload("zhao.lei", old)  # the same button again, from the old drawing
    sent = await bot.next_sent(2)
    assert texts(sent)["zhao.lei"] == [CARD_STALE]
    await bot.tap("zhao.lei", card_id, "同意")  # the card as it is now: 王丽's step
    (again,) = await bot.next_sent()
    assert (
        isinstance(again.reply, Text) and again.reply.text == "这张卡片需要由王丽处理，你不能操作。"
    )
    fresh = await Approval.get(id=approval.id)
    assert (fresh.status, fresh.current_step) == ("pending", 2)
    assert await AuditLog.filter(action="approval.approve").count() == 1


ANY_OF = ApprovalTemplate.model_validate(
    {
        "name": "样品寄送",
        "command": "样品",
        "fields": [
            {"key": "client", "label": "客户"},
            {"key": "items", "label": "样品清单"},
        ],
        "route": [{"chain": [["legal", "finance"]]}],
    }
)


async def test_two_members_of_an_any_of_group_tapping_at_once_decide_once(
    db_url: str, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    config = make_config(db_url)
    bot = await start_bot(db_url, aiohttp_client, approvals={**config.approvals, "sample": ANY_OF})
    await bot.say("zhang.wei", "/样品 华东机械 样机一台")
    sent = await bot.next_sent(4)
    assert cards_to(sent) == {
        ("zhang.wei", "CardMessage"),
        ("xu.qing", "CardMessage"),
        ("ma.jun", "CardMessage"),
    }
    card_id = next(m.reply.card_id for m in sent if isinstance(m.reply, CardMessage))
    card = CardStore.card_of(await CardInstance.get(id=card_id))
    await asyncio.gather(
        bot.tap_payload("xu.qing", card.buttons[0].payload),
        bot.tap_payload("ma.jun", card.buttons[0].payload),
    )
    sent = await bot.next_sent(4)  # the winner: card update + 张伟 told; the loser: note + card
    approval = await Approval.get(requester_id="zhang.wei")
    assert approval.status == "approved"
    assert await AuditLog.filter(action="approval.approve").count() == 1
    decided = await ApprovalStep.filter(approval_id=approval.id, status="approved")
    assert len(decided) == 1
    assert any(t.startswith("样品寄送 #") and "已通过" in t for t in texts(sent)["zhang.wei"])


async def test_withdraw_closes_the_card_and_the_lists_say_where_things_stand(
    bot: Harness,
) -> None:
    first, card_id = await submit_quote(bot)
    await bot.say("zhang.wei", "/样品 华东机械 传感器2套")
    await bot.next_sent(3)
    await bot.say("zhao.lei", "/待审批")
    sent = await bot.next_sent(3)
    listing = texts(sent)["zhao.lei"][0]
    assert listing.startswith("**等你审批的申请（2）**")
    assert f"#{first.id} 报价审批 · 华东机械 报价审批 30万元 — 待 赵磊 审批" in listing
    await bot.say("zhang.wei", f"/撤回 {first.id}")
    sent = await bot.next_sent(2)
    assert texts(sent)["zhang.wei"] == [f"已撤回 #{first.id}。"]
    instance = await CardInstance.get(id=card_id)
    assert instance.status == "closed"
    await bot.say("zhang.wei", "/我的申请")
    (mine,) = await bot.next_sent()
    assert isinstance(mine.reply, Markdown)
    lines = mine.reply.text.splitlines()
    assert lines[1].endswith("待 赵磊 审批（第 1/1 级，截止 11月27日 18:00）")
    assert lines[2].startswith(f"- #{first.id} 报价审批") and "已撤回" in lines[2]
    await bot.say("zhang.wei", f"/撤回 {first.id}")
    (again,) = await bot.next_sent()
    assert (
        isinstance(again.reply, Text)
        and again.reply.text == f"#{first.id} 已经有了结果，不能撤回。"
    )


async def test_a_delegate_decides_while_the_supervisor_is_away(bot: Harness) -> None:
    await bot.say("zhao.lei", "/委托 孙梅 至 12月5日")
    (ok,) = await bot.next_sent()
    assert isinstance(ok.reply, Text) and ok.reply.text == "已委托 孙梅 在 12月5日 前代你审批。"
    await bot.say("zhang.wei", "/样品 华东机械 样机一台")
    sent = await bot.next_sent(3)
    card_id = next(m.reply.card_id for m in sent if isinstance(m.reply, CardMessage))
    await bot.tap("sun.mei", card_id, "同意")
    sent = await bot.next_sent(2)
    assert any("已通过" in t and "孙梅（代 赵磊）" in t for t in texts(sent)["zhang.wei"])
    step = await ApprovalStep.get(kind="approve")
    assert (step.approver_id, step.decided_by) == ("zhao.lei", "sun.mei")


async def test_nobody_to_decide_tells_the_requester_and_the_admins(
    db_url: str, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    config = make_config(db_url)
    people = tuple(
        p.model_copy(update={"supervisor": None}) if p.id == "li.na" else p for p in config.people
    )
    bot = await start_bot(db_url, aiohttp_client, people=people)
    await bot.say("li.na", "/样品 恒达科技 样机一台")
    sent = await bot.next_sent(2)
    told = texts(sent)
    assert told["li.na"] == [
        "审批链第 1 级「直属上级」找不到审批人，无法提交。请联系管理员检查组织架构。"
    ]
    assert told["lin.feng"][0].startswith("李娜 的审批申请无法提交：审批链第 1 级")
    assert await Approval.all().count() == 0


async def test_plain_language_asks_for_the_two_lists(bot: Harness) -> None:
    await bot.say("zhang.wei", "/样品 华东机械 样机一台")
    await bot.next_sent(3)
    await bot.say("zhang.wei", "我的样品申请批下来没")
    (mine,) = await bot.next_sent()
    assert isinstance(mine.reply, Markdown) and mine.reply.text.startswith("**我的申请**")
    await bot.say("zhao.lei", "有什么需要我审批的吗")
    sent = await bot.next_sent(2)  # the list, and the card again to act on
    assert texts(sent)["zhao.lei"][0].startswith("**等你审批的申请（1）**")


async def test_the_commands_are_the_ones_config_names(db_url: str, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    """An admin renames /样品 to /寄样 and adds a 开票申请 template with /开票: both work and
    /帮助 shows them with an example made of the fields' hints; the old name is gone."""
    config = make_config(db_url)
    sample = config.approvals["sample"].model_copy(update={"command": "寄样"})
    invoice = ApprovalTemplate.model_validate(
        {
            "name": "开票申请",
            "command": "开票",
            "fields": [
                {"key": "client", "label": "客户", "hint": "客户名称，例如 华东机械"},
                {"key": "amount", "label": "开票金额", "type": "amount", "hint": "例如 12万"},
            ],
            "route": [{"chain": ["supervisor"]}],
        }
    )
    bot = await start_bot(
        db_url, aiohttp_client, approvals={**config.approvals, "sample": sample, "invoice": invoice}
    )
    await bot.say("zhang.wei", "/开票 华东机械 12万")
    said = texts(await bot.next_sent(3))["zhang.wei"]
    assert said[-1].startswith("已提交开票申请 #") and "待 赵磊 审批" in said[-1]
    invoiced = await Approval.get(requester_id="zhang.wei", template="invoice")
    assert invoiced.status == "pending" and invoiced.form["amount"] == 120000

    await bot.say("zhang.wei", "/寄样 华东机械 样机一台")
    assert texts(await bot.next_sent(3))["zhang.wei"][-1].startswith("已提交样品寄送 #")
    await bot.say("zhang.wei", "/样品 华东机械 样机一台")
    (unknown,) = await bot.next_sent()
    assert isinstance(unknown.reply, Text)
    assert unknown.reply.text == "没有 /样品 这个命令。发送 /帮助 查看可用命令。"

    await bot.say("zhang.wei", "/帮助")
    (helped,) = await bot.next_sent()
    assert isinstance(helped.reply, Text | Markdown)
    assert "- `/开票` 发起开票申请" in helped.reply.text
    assert "- `/寄样` 发起样品寄送" in helped.reply.text
    assert "- `/样品`" not in helped.reply.text
    await bot.say("zhang.wei", "/帮助 开票")
    (usage,) = await bot.next_sent()
    assert isinstance(usage.reply, Text | Markdown) and "/开票 华东机械 12万" in usage.reply.text
    await bot.say("zhang.wei", "/帮助 审批")  # its example is the first template's, from config
    (usage,) = await bot.next_sent()
    assert isinstance(usage.reply, Text | Markdown)
    assert "/审批 报价审批 华东机械 30万 折扣5%" in usage.reply.text


def test_a_template_command_that_takes_a_built_in_name_stops_startup(sqlite_url: str) -> None:
    from bot.app import build_runtime
    from bot.feature import StartupError

    config = make_config(sqlite_url)
    sample = config.approvals["sample"].model_copy(update={"command": "帮助"})
    with pytest.raises(
        StartupError, match=r"命令 /帮助 被注册了两次：如果是 config\.yaml 里审批模板"
    ):
        build_runtime(
            config.model_copy(update={"approvals": {**config.approvals, "sample": sample}})
        )
