"""申请审批 on a saved visit: the request starts pre-filled with the client, deal and amount."""

from __future__ import annotations

from bot.replies import CardMessage, CardUpdate, Markdown, Text
from storage.models import Approval, CardInstance, Deal
from tests.handlers.approvals.test_chat import send_file, start_bot


async def test_a_saved_quote_offers_an_approval_prefilled_from_the_deal(
    db_url: str, aiohttp_client
) -> None:
    bot = await start_bot(db_url, aiohttp_client)
    await bot.say("zhang.wei", "今天拜访了华东机械王经理，报价35万，下周三之前把合同发过去")
    (card,) = await bot.next_sent()
    await bot.tap("zhang.wei", card.card["id"], "保存")
    _, brief, offer = await bot.next_sent(3)
    assert isinstance(brief.reply, Markdown)
    assert isinstance(offer.reply, CardMessage) and offer.card["title"] == "需要发起审批吗？"
    assert offer.card["subtitle"] == "华东机械 · 报价谈判 · 35万元"
    assert [b["text"] for b in offer.card["buttons"]][-1] == "暂不需要"

    await bot.tap("li.na", offer.card["id"], "申请报价审批")  # not hers to tap
    (refused,) = await bot.next_sent()
    assert isinstance(refused.reply, Text) and "需要由张伟处理" in refused.reply.text

    await bot.tap("zhang.wei", offer.card["id"], "申请报价审批")
    told, greyed = (m.reply for m in await bot.next_sent(2))
    assert isinstance(told, Text) and "产品配置表" in told.text  # what is still to send
    assert greyed == CardUpdate(offer.card["id"])  # the offer answered: no longer tappable
    draft = await Approval.get(requester_id="zhang.wei")
    deal = await Deal.get(client__name="华东机械", status="open")
    assert (draft.client_id, draft.deal_id) == (deal.client_id, deal.id)
    assert float(draft.form["amount"]) == 350000
    assert (await CardInstance.get(id=offer.card["id"])).status == "closed"

    await send_file(bot, "zhang.wei", "产品配置表.xlsx")
    await send_file(bot, "zhang.wei", "技术参数说明.pdf")
    sent = await bot.next_sent(4, within=30)
    to_supervisor = [m for m in sent if m.recipient == "zhao.lei"]
    assert to_supervisor and isinstance(to_supervisor[0].reply, CardMessage)
    assert (await Approval.get(id=draft.id)).status == "pending"
