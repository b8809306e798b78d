"""A visit note becomes a confirmed follow-up record: card, sources, answers, corrections, 保存."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock
from bot.replies import CardMessage, CardUpdate, Markdown, Text
from storage.models import CardInstance, Client, Deal, FollowUp, StageHistory, Task
from tests.support.crm import NOW
from tests.support.harness import Harness, make_config, start_harness

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def bot(db_url: str, aiohttp_client) -> Harness:
    return await start_harness(
        make_config(db_url), aiohttp_client, clock=ManualClock(NOW), world=True
    )


def rows_of(card: dict) -> dict[str, tuple[str, str]]:
    return {r["label"]: (r["value"], r["hint"]) for r in card["rows"]}


async def card_after(bot: Harness, user: str, text: str) -> dict:
    await bot.say(user, text)
    (msg,) = await bot.next_sent()
    assert isinstance(msg.reply, CardMessage | CardUpdate), msg.reply
    assert msg.card is not None
    return msg.card


async def test_note_to_saved_record_with_stage_history_task_and_brief(bot: Harness) -> None:
    card = await card_after(
        bot, "zhang.wei", "今天拜访了花东机械王经理，报价三十五万，下周三之前把合同发过去"
    )
    rows = rows_of(card)
    assert rows["客户"] == ("华东机械（听到“花东机械”）", "文字")
    assert rows["联系人"] == ("王经理", "文字")
    assert rows["阶段"] == ("报价谈判", "文字")
    assert rows["金额"] == ("35万元", "文字")
    assert rows["产品"] == ("智能仓储系统", "历史")  # not said: carried over from the open deal
    assert rows["下一步"][0].endswith("截止 12月2日 周三")
    assert [b["text"] for b in card["buttons"]] == ["保存", "修改", "丢弃"]
    assert await FollowUp.filter(card_id=card["id"]).count() == 0  # nothing written before 保存

    await bot.tap("zhang.wei", card["id"], "保存")
    update, brief = await bot.next_sent(2)
    assert isinstance(update.reply, CardUpdate) and update.card is not None
    assert update.card["closed"] == "已保存 · 张伟 · 10:00"
    assert isinstance(brief.reply, Markdown) and "华东机械 · 客户简报" in brief.reply.text
    assert "阶段：报价谈判（第 0 天）" in brief.reply.text and "金额：35万元" in brief.reply.text
    assert "（截止 12月2日 周三）" in brief.reply.text  # a day's deadline reads as the day

    record = await FollowUp.get(card_id=card["id"])
    deal = await Deal.get(id=record.deal_id)
    assert (deal.stage, float(deal.amount or 0), deal.stage_entered_at) == (
        "报价谈判",
        350000.0,
        NOW,
    )
    history = (
        await StageHistory.filter(deal_id=deal.id)
        .order_by("id")
        .values_list("from_stage", "to_stage")
    )
    assert history[-1] == ("方案演示", "报价谈判")
    task = await Task.get(source_id=f"fu:{card['id']}")
    assert task.title.startswith("把合同发过去") or "合同" in task.title
    assert task.due_at.astimezone(SHANGHAI) == datetime(2026, 12, 2, 18, 0, tzinfo=SHANGHAI)


async def test_second_save_tap_does_nothing_twice(bot: Harness) -> None:
    card = await card_after(bot, "zhang.wei", "金桥物流张工说需求确认了，下周一前出方案")
    await bot.tap("zhang.wei", card["id"], "保存")
    await bot.next_sent(2)
    await bot.tap("zhang.wei", card["id"], "保存")
    note, redraw = await bot.next_sent(2)  # told it is done, and shown the card as it is now
    assert isinstance(note.reply, Text) and "已保存 · 张伟" in note.reply.text
    assert isinstance(redraw.reply, CardUpdate) and redraw.card["closed"].startswith("已保存")
    assert await FollowUp.filter(card_id=card["id"]).count() == 1
    assert await Task.filter(source_id=f"fu:{card['id']}").count() == 1


async def test_correction_by_reply_updates_the_card(bot: Harness) -> None:
    card = await card_after(bot, "zhang.wei", "拜访华东机械李总，报价30万，周五前回复")
    assert rows_of(card)["金额"] == ("30万元", "文字")
    await bot.say("zhang.wei", "金额改成35万")
    (upd,) = await bot.next_sent()
    assert isinstance(upd.reply, CardUpdate) and upd.card is not None
    assert rows_of(upd.card)["金额"] == ("35万元", "已确认")
    await bot.say("zhang.wei", "阶段 需求确认")
    (upd,) = await bot.next_sent()
    assert rows_of(upd.card)["阶段"] == ("需求确认", "已确认")  # an explicit correction may go back
    await bot.say("zhang.wei", "金额改成很多")
    (err,) = await bot.next_sent()
    assert isinstance(err.reply, Text) and "没看懂这个金额" in err.reply.text


async def test_missing_required_field_is_asked_and_answered(bot: Harness) -> None:
    card = await card_after(bot, "zhang.wei", "今天第一次拜访远大重工，见了采购部的孙经理")
    rows = rows_of(card)
    assert rows["客户"] == ("远大重工（新客户）", "文字")
    assert "还缺【下一步】" in card["subtitle"]
    assert "保存" not in [b["text"] for b in card["buttons"]]
    await bot.tap("zhang.wei", card["id"], "发送公司介绍和案例")
    (upd,) = await bot.next_sent()
    rows = rows_of(upd.card)
    assert rows["下一步"][0].startswith(
        "发送公司介绍和案例 · 截止 12月2日 周三（建议）"
    )  # 3 working days
    assert [b["text"] for b in upd.card["buttons"]] == ["保存", "修改", "丢弃"]
    await bot.tap("zhang.wei", card["id"], "保存")
    await bot.next_sent(2)
    client = await Client.get(name="远大重工")
    assert client.owner_id == "zhang.wei" and client.region == "east"
    deal = await Deal.get(client_id=client.id)
    assert deal.stage == "首次接触" and deal.contact_name == "孙经理"


async def test_stage_asked_with_a_pick_list(bot: Harness) -> None:
    card = await card_after(bot, "zhang.wei", "和新盛电子的赵总吃了个饭，下周二约他看方案")
    if "还缺【阶段】" not in card["subtitle"]:
        pytest.skip("the extractor found a stage in this note")
    assert card["selects"][0]["key"] == "stage" and card["submit"]["text"] == "确定"
    await bot.tap("zhang.wei", card["id"], "确定", selections={"stage": ["0"]})
    (upd,) = await bot.next_sent()
    assert rows_of(upd.card)["阶段"] == ("首次接触", "已确认")


async def test_discard_writes_nothing_and_others_cannot_tap(bot: Harness) -> None:
    card = await card_after(bot, "zhang.wei", "恒达科技的刘总监说预算冻结了，项目暂停")
    await bot.tap("li.na", card["id"], "丢弃")
    (refused,) = await bot.next_sent()
    assert (
        isinstance(refused.reply, Text)
        and refused.reply.text == "这张卡片需要由张伟处理，你不能操作。"
    )
    await bot.tap("zhang.wei", card["id"], "丢弃")
    (upd,) = await bot.next_sent()
    assert upd.card["closed"] == "已丢弃"
    assert await FollowUp.all().count() == 1  # only the seeded one
    assert (await CardInstance.get(id=card["id"])).status == "discarded"


async def test_edit_mode_offers_pick_lists(bot: Harness) -> None:
    card = await card_after(bot, "zhang.wei", "华东机械王经理看了演示，下周五前给报价")
    await bot.tap("zhang.wei", card["id"], "修改")
    (edit,) = await bot.next_sent()
    keys = [s["key"] for s in edit.card["selects"]]
    assert keys == ["stage", "contact"]
    contacts = [o["text"] for o in edit.card["selects"][1]["options"]]
    assert contacts == ["王经理", "李总"]
    await bot.tap("zhang.wei", card["id"], "确定", selections={"stage": ["3"], "contact": ["1"]})
    (upd,) = await bot.next_sent()
    rows = rows_of(upd.card)
    assert rows["阶段"] == ("报价谈判", "已确认") and rows["联系人"] == ("李总", "已确认")


async def test_text_that_is_not_a_note_gets_guidance(bot: Harness) -> None:
    await bot.say("zhang.wei", "你好呀")
    (msg,) = await bot.next_sent()
    assert isinstance(msg.reply, Text) and "拜访完直接发语音或文字给我" in msg.reply.text
    await bot.say("zhang.wei", "那个事情再说吧")
    (msg,) = await bot.next_sent()
    assert isinstance(msg.reply, Text) and "没有从这条消息里找到拜访信息" in msg.reply.text
    assert await CardInstance.all().count() == 0


async def test_brief_command_respects_who_may_see_what(bot: Harness) -> None:
    await bot.say("zhang.wei", "/简报 花东机械")
    (msg,) = await bot.next_sent()
    assert isinstance(msg.reply, Markdown) and "华东机械 · 客户简报" in msg.reply.text
    assert "联系人：王经理、李总" in msg.reply.text
    assert "提到竞品：金蝶" in msg.reply.text
    assert "在「方案演示」停留 9 天" in msg.reply.text  # stall limit 5 days
    await bot.say("li.na", "/简报 华东机械")  # another rep's client
    (msg,) = await bot.next_sent()
    assert isinstance(msg.reply, Text) and "没有找到你可以查看的客户" in msg.reply.text
    await bot.say("zhao.lei", "/brief 花东")  # their supervisor, by sound (pinyin)
    (msg,) = await bot.next_sent()
    assert isinstance(msg.reply, Markdown) and "华东机械 · 客户简报" in msg.reply.text
    await bot.say("zhao.lei", "/brief huadong")  # typed pinyin works too
    (msg,) = await bot.next_sent()
    assert isinstance(msg.reply, Markdown) and "华东机械 · 客户简报" in msg.reply.text
    await bot.say("zhao.lei", "/简报")
    (msg,) = await bot.next_sent()
    assert "请在命令后写上客户名称" in msg.reply.text  # type: ignore[union-attr]


async def test_a_new_visit_while_a_question_is_open_starts_its_own_card(bot: Harness) -> None:
    first = await card_after(bot, "zhang.wei", "今天第一次拜访远大重工，见了采购部的孙经理")
    assert "还缺【下一步】" in first["subtitle"]
    bot.runtime.clock.advance(60)
    second = await card_after(bot, "zhang.wei", "金桥物流张工说方案看过了，报价80万，周五前回复")
    assert second["id"] != first["id"]
    assert {r["label"]: r["value"] for r in second["rows"]}["客户"] == "金桥物流"
    bot.runtime.clock.advance(60)
    await bot.say("zhang.wei", "下周一前发案例")  # answers the card that asked for it
    (upd,) = await bot.next_sent()
    assert upd.reply.card_id == first["id"]  # type: ignore[union-attr]
    assert {r["label"]: r["value"] for r in upd.card["rows"]}["下一步"].startswith("下周一前发案例")
    bot.runtime.clock.advance(60)
    await bot.say("zhang.wei", "金额改成85万")  # a correction edits the card last worked on
    (upd,) = await bot.next_sent()
    assert upd.reply.card_id == first["id"]  # type: ignore[union-attr]
    assert {r["label"]: r["value"] for r in upd.card["rows"]}["金额"] == "85万元"


async def test_an_old_unsaved_card_no_longer_captures_replies(bot: Harness) -> None:
    await card_after(bot, "zhang.wei", "今天第一次拜访远大重工，见了采购部的孙经理")
    bot.runtime.clock.advance(13 * 3600)
    await bot.say("zhang.wei", "好的")
    (msg,) = await bot.next_sent()
    assert isinstance(msg.reply, Text) and "拜访完直接发语音或文字给我" in msg.reply.text


async def test_after_the_holiday_reads_the_configured_calendar(db_url: str, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    """节后 in a 2027 note: the holidays come from config.yaml (the library knows no 2027)."""
    from bot.config.calendar import CalendarSettings

    spring = [datetime(2027, 2, d).date() for d in range(6, 13)]  # Sat 6 – Fri 12 February
    config = make_config(db_url)
    calendar = CalendarSettings(holidays={2027: spring})  # type: ignore[dict-item]
    bot = await start_harness(
        config.model_copy(update={"calendar": calendar}),
        aiohttp_client,
        clock=ManualClock(datetime(2027, 2, 1, 10, tzinfo=SHANGHAI)),
        world=True,
    )
    card = await card_after(bot, "zhang.wei", "拜访了华东机械王经理，节后再约他看方案")
    assert rows_of(card)["下一步"][0].endswith("截止 2月15日 周一")  # Sat 13 and Sun 14 off too
