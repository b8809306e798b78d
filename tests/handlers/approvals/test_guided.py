"""The guided card through the real pipeline on SQLite and PostgreSQL: a bare /报价 asks for what
is missing one question at a time (a tap for the client, text for the rest, files for the
attachments), refuses a bad answer with the rule and asks again, and submits along the route;
取消 discards; nobody else may tap; texts nobody asked for stay visit notes."""

from __future__ import annotations

from bot.channels.testing import SentMessage
from bot.replies import CardMessage, CardUpdate, Text
from cards.model import Card
from cards.store import CardStore
from handlers.approvals.service import ApprovalService
from handlers.approvals.values import read_amount
from storage.models import Approval, ApprovalStep, AuditLog, CardInstance, Client
from tests.handlers.approvals.test_chat import send_file, start_bot, texts
from tests.support.harness import Harness, make_config

NOTE = "今天拜访了华东机械王经理，报价35万，下周三之前把合同发过去"


async def card(card_id: str) -> Card:
    return CardStore.card_of(await CardInstance.get(id=card_id))


def rows(c: Card) -> dict[str, str]:
    return {r.label: r.value for r in c.rows}


def buttons(c: Card) -> list[str]:
    return [b.text for b in c.buttons]


def updated(sent: list[SentMessage], card_id: str) -> bool:
    return any(isinstance(m.reply, CardUpdate) and m.reply.card_id == card_id for m in sent)


async def discount_required(db_url: str, aiohttp_client) -> Harness:  # type: ignore[no-untyped-def]
    """config.yaml, but a quote must say its discount (still at most 30%)."""
    config = make_config(db_url)
    quote = config.approvals["quote"]
    fields = tuple(
        f.model_copy(update={"required": True}) if f.key == "discount" else f for f in quote.fields
    )
    approvals = {**config.approvals, "quote": quote.model_copy(update={"fields": fields})}
    return await start_bot(db_url, aiohttp_client, approvals=approvals)


async def test_a_bare_quote_is_guided_field_by_field_then_submitted(
    db_url: str, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    bot = await discount_required(db_url, aiohttp_client)
    await bot.say("zhang.wei", "/报价")
    (shown,) = await bot.next_sent()
    assert isinstance(shown.reply, CardMessage) and shown.recipient == "zhang.wei"
    card_id = shown.reply.card_id
    c = await card(card_id)
    assert c.title == "报价审批 · 待补充"
    assert c.subtitle == "还缺【客户】：点选或直接回复客户名称"
    assert buttons(c) == ["华东机械", "金桥物流", "取消"]  # her visit notes, then her own clients
    draft = await Approval.get(requester_id="zhang.wei")
    assert draft.status == "draft"

    await bot.tap("li.na", card_id, "金桥物流")  # not her draft
    (refused,) = await bot.next_sent()
    assert isinstance(refused.reply, Text)
    assert refused.reply.text == "这张卡片需要由张伟处理，你不能操作。"

    await bot.tap("zhang.wei", card_id, "金桥物流")  # no open deal: nothing to pre-fill
    sent = await bot.next_sent()
    assert updated(sent, card_id)
    c = await card(card_id)
    assert c.subtitle == "还缺【报价金额】：请直接回复"
    assert rows(c)["客户"] == "金桥物流" and buttons(c) == ["取消"]

    await bot.say("zhang.wei", "30万")
    assert updated(await bot.next_sent(), card_id)
    c = await card(card_id)
    assert c.subtitle == "还缺【折扣】：请直接回复" and rows(c)["报价金额"] == "30万元"

    await bot.say("zhang.wei", "折扣50%")
    (bad,) = await bot.next_sent()
    assert isinstance(bad.reply, Text)
    assert bad.reply.text == "「折扣」不能超过 30%（现在是 50%）\n请回复「折扣」：例如 折扣5%。"
    assert "discount" not in (await Approval.get(id=draft.id)).form
    assert (await card(card_id)).subtitle == "还缺【折扣】：请直接回复"  # the same question

    await bot.say("zhang.wei", "5%")
    assert updated(await bot.next_sent(), card_id)
    c = await card(card_id)
    assert c.subtitle == "还缺附件【产品配置表】：请直接发文件或图片"
    assert rows(c)["折扣"] == "5%" and rows(c)["附件"] == "产品配置表（待发）、技术参数说明（待发）"

    await send_file(bot, "zhang.wei", "产品配置表.xlsx")
    sent = await bot.next_sent(2)
    assert texts(sent)["zhang.wei"] == ["已添加附件「产品配置表」。"] and updated(sent, card_id)
    await send_file(bot, "zhang.wei", "技术参数说明.pdf")
    sent = await bot.next_sent(6)  # note, guided card greyed, receipt, cards to 张伟 赵磊 马骏
    said = texts(sent)["zhang.wei"]
    assert said[0] == "已添加附件「技术参数说明」。"
    assert (
        said[1] == f"已提交报价审批 #{draft.id}，待 赵磊 审批（第 1/2 级，截止 11月27日 18:00）。"
    )
    decision = [m for m in sent if m.recipient == "zhao.lei" and isinstance(m.reply, CardMessage)]
    assert decision and buttons(await card(decision[0].reply.card_id)) == ["同意", "驳回"]
    instance = await CardInstance.get(id=card_id)
    assert instance.status == "closed"
    assert CardStore.card_of(instance).closed == f"已提交 #{draft.id}"

    approval = await Approval.get(id=draft.id)
    client = await Client.get(name="金桥物流")
    assert (approval.status, approval.client_id, float(approval.amount or 0)) == (
        "pending",
        client.id,
        300_000,
    )
    assert approval.form["discount"] == 5
    assert await ApprovalStep.filter(approval_id=draft.id, kind="approve").count() == 2


async def test_typed_answers_a_client_not_found_and_a_second_command_fill_the_same_card(
    db_url: str, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    bot = await start_bot(db_url, aiohttp_client)
    await bot.say("zhang.wei", "/技术支持")
    (shown,) = await bot.next_sent()
    assert isinstance(shown.reply, CardMessage)
    card_id = shown.reply.card_id

    await bot.say("zhang.wei", "青山建材")  # not a client she may see: asked again
    (unknown,) = await bot.next_sent()
    assert isinstance(unknown.reply, Text)
    assert unknown.reply.text.startswith("没有找到你可以查看的客户“青山建材”")
    assert unknown.reply.text.endswith(
        "请在卡片上点选客户，或回复客户名称（客户名称，例如 华东机械）。"
    )
    await bot.say("zhang.wei", "华东机械")
    assert updated(await bot.next_sent(), card_id)
    c = await card(card_id)
    assert c.subtitle == "还缺【支持内容】：请直接回复" and rows(c)["客户"] == "华东机械"

    await bot.say("zhang.wei", "/技术支持 仓储系统上线调试")  # the command fills the same draft
    sent = await bot.next_sent(4)  # card greyed, receipt, cards to 张伟 and 赵磊
    assert updated(sent, card_id)
    said = texts(sent)["zhang.wei"]
    assert said[0].startswith("已提交技术支持申请 #") and "待 赵磊 审批" in said[0]
    approval = await Approval.get(requester_id="zhang.wei")
    assert approval.status == "pending" and approval.form["topic"] == "仓储系统上线调试"
    assert approval.deal_id is not None  # the client's open deal came along
    assert await Approval.all().count() == 1


async def test_a_typed_amount_survives_the_client_given_later(db_url: str, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    """/报价 12万, then /报价 华东机械: 华东机械's open deal (30万) does not replace her 12万."""
    bot = await start_bot(db_url, aiohttp_client)
    await bot.say("zhang.wei", "/报价 12万")
    (shown,) = await bot.next_sent()
    assert isinstance(shown.reply, CardMessage)
    await bot.say("zhang.wei", "/报价 华东机械")
    await bot.next_sent()
    draft = await Approval.get(requester_id="zhang.wei")
    assert draft.form["client"] == "华东机械" and read_amount(str(draft.form["amount"])) == 120_000
    assert draft.deal_id is not None  # the deal still came along
    assert rows(await card(shown.reply.card_id))["报价金额"] == "12万元"


async def test_cancel_discards_the_draft_and_the_next_text_is_a_visit_note(
    db_url: str, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    bot = await start_bot(db_url, aiohttp_client)
    await bot.say("zhang.wei", "/样品")
    (shown,) = await bot.next_sent()
    assert isinstance(shown.reply, CardMessage)
    card_id = shown.reply.card_id
    await bot.tap("li.na", card_id, "取消")  # not hers
    (refused,) = await bot.next_sent()
    assert isinstance(refused.reply, Text) and "需要由张伟处理" in refused.reply.text
    assert (await Approval.get(requester_id="zhang.wei")).status == "draft"
    assert await AuditLog.filter(action="card.refused", actor="li.na").count() == 1

    await bot.tap("zhang.wei", card_id, "取消")
    assert updated(await bot.next_sent(), card_id)
    instance = await CardInstance.get(id=card_id)
    assert instance.status == "closed" and CardStore.card_of(instance).closed == "已取消"
    assert (await Approval.get(requester_id="zhang.wei")).status == "withdrawn"

    await bot.say("zhang.wei", NOTE)  # nothing waits for an answer any more
    (note,) = await bot.next_sent()
    assert isinstance(note.reply, CardMessage) and note.card["title"] == "拜访记录确认"


async def test_a_draft_waiting_only_for_files_asks_nothing_and_a_text_stays_a_note(
    db_url: str, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    bot = await start_bot(db_url, aiohttp_client)
    await bot.say("zhang.wei", "/报价 华东机械 30万")
    (told,) = await bot.next_sent()
    assert isinstance(told.reply, Text) and "缺少附件「产品配置表」" in told.reply.text  # as before
    await bot.say("zhang.wei", NOTE)
    (note,) = await bot.next_sent()
    assert isinstance(note.reply, CardMessage) and note.card["title"] == "拜访记录确认"
    assert await CardInstance.filter(kind="approval_guided").count() == 0


async def test_small_talk_is_not_the_answer_to_a_text_question(db_url: str, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    bot = await start_bot(db_url, aiohttp_client)
    await bot.say("zhang.wei", "/技术支持 华东机械")  # asks for 支持内容 by text
    (shown,) = await bot.next_sent()
    assert isinstance(shown.reply, CardMessage)
    await bot.say("zhang.wei", "好的谢谢")
    await bot.next_sent()
    draft = await Approval.get(requester_id="zhang.wei")
    assert draft.status == "draft" and not draft.form.get("topic")
    await bot.say("zhang.wei", "仓储系统上线调试")  # the answer still is
    await bot.next_sent(4)
    assert (await Approval.get(id=draft.id)).status == "pending"


async def test_an_answer_run_again_after_a_crash_finishes_the_submission(
    db_url: str, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    """The answer's first run submitted the draft, then the process died before its replies went
    out: run again, the answer sends the decision card instead of becoming a visit note."""
    bot = await start_bot(db_url, aiohttp_client)
    await bot.say("zhang.wei", "/技术支持 华东机械")
    (shown,) = await bot.next_sent()
    assert isinstance(shown.reply, CardMessage)
    draft = await Approval.get(requester_id="zhang.wei")
    zhang = bot.runtime.directory.get("zhang.wei")
    assert zhang is not None
    service = bot.runtime.services.get(ApprovalService)
    first_run = await service.fill(zhang, draft.id, {"topic": "仓储系统上线调试"}, platform="test")
    assert first_run is not None and first_run.submitted  # stored; its replies were lost

    await bot.say("zhang.wei", "仓储系统上线调试")
    sent = await bot.next_sent(4)  # guided card greyed, receipt, cards to 张伟 and 赵磊
    assert updated(sent, shown.reply.card_id)
    assert ("zhao.lei", "CardMessage") in {(m.recipient, type(m.reply).__name__) for m in sent}
    assert texts(sent)["zhang.wei"][0].startswith("已提交技术支持申请 #")
    closed = await card(shown.reply.card_id)
    assert closed.closed == f"已提交 #{draft.id}" and closed.note == ""  # asks nothing any more
    assert [r.label for r in closed.rows if r.value == "—"] == []
    assert await Approval.all().count() == 1
    assert not await CardInstance.filter(kind="followup").exists()
