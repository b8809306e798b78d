"""The follow-up feature end to end through the WeCom simulator: encrypted callbacks in, real
message/send and update_template_card out, the record in the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock
from bot.devtools.sim.wecom import WecomSimulator
from bot.devtools.sim.wecom_feed import FeedItem
from storage.models import Deal, FollowUp, StageHistory, Task
from tests.channels.wecom.support import start_bot
from tests.support.crm import NOW, seed_world
from tests.support.harness import Harness

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"
REP = "ZhangWei"


@pytest.fixture
async def sim() -> AsyncIterator[WecomSimulator]:
    s = WecomSimulator(
        clock=ManualClock(NOW), callback_timeout_s=2.0, callback_retry_interval_s=0.05
    )
    await s.start()
    yield s
    await s.stop()


@pytest.fixture
async def bot(db_url: str, sim: WecomSimulator, aiohttp_client) -> AsyncIterator[Harness]:
    harness = await start_bot(db_url, sim, aiohttp_client, clock=sim.clock)
    await seed_world()
    yield harness


def rows(item: FeedItem) -> dict[str, str]:
    assert item.card is not None
    return {r["keyname"]: r["value"] for r in item.card.body.get("horizontal_content_list", [])}


def is_card(item: FeedItem) -> bool:
    return item.kind == "template_card"


def has_save_button(item: FeedItem) -> bool:
    if item.card is None or item.card.greyed is not None:
        return False
    return "保存" in [b["text"] for b in item.card.body.get("button_list", [])]


async def test_voice_note_to_saved_record_through_wecom(bot: Harness, sim: WecomSimulator) -> None:
    await sim.send_voice(REP, (AUDIO / "visit_quote.amr").read_bytes())
    receipt = await sim.wait_for(
        REP, lambda i: i.kind == "text" and "正在识别" in i.text, within=90
    )
    assert receipt.text.startswith("收到 ")
    card = await sim.wait_for(REP, is_card, within=90)
    assert rows(card)["金额"].startswith("90万元")
    assert card.card is not None and "还缺【客户】" in card.card.body["main_title"]["desc"]
    # The note named no client: the rep picks one of their own with one tap.
    await sim.tap(REP, card.card.task_id, "华东机械")
    await sim.wait_for(
        REP, lambda i: is_card(i) and i.card is not None and i.card.version >= 2, within=20
    )
    assert rows(card)["客户"].startswith("华东机械")
    await sim.tap(REP, card.card.task_id, "保存")
    brief = await sim.wait_for(REP, lambda i: i.kind == "markdown", within=20)
    assert "华东机械 · 客户简报" in brief.text and "金额：90万元" in brief.text
    assert card.card.greyed is not None and card.card.greyed.startswith("已保存 · 张伟")

    record = await FollowUp.get(card_id=card.card.task_id.rsplit("-", 1)[0])
    assert record.transcript and len(record.audio) == 1
    deal = await Deal.get(id=record.deal_id)
    assert float(deal.amount or 0) == 900000
    assert await StageHistory.filter(deal_id=deal.id, followup_id=record.id).exists() == (
        deal.stage != "方案演示"
    )
    task = await Task.get(source_id=f"fu:{record.card_id}")
    assert task.due_at.astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat() == "2026-11-28"


async def test_correction_and_missing_field_through_wecom(
    bot: Harness, sim: WecomSimulator
) -> None:
    await sim.send_text(REP, "今天拜访了花东机械李总，报价三十万")
    card = await sim.wait_for(REP, is_card, within=20)
    assert card.card is not None
    assert rows(card)["客户"].startswith("华东机械")
    assert "还缺【下一步】" in card.card.body["main_title"]["desc"]
    await sim.send_text(REP, "金额改成35万")
    await sim.wait_for(
        REP,
        lambda i: rows(i).get("金额", "").startswith("35万元") if is_card(i) else False,
        within=20,
    )
    assert card.card.version >= 2  # the same card, updated in place
    await sim.send_text(REP, "下周三前发合同")
    # WeCom lets a send's response code update a card once; without a tap in between, the
    # next version arrives as a fresh copy of the same card (same card id, new task id).
    ready = await sim.wait_for(REP, has_save_button, within=20)
    assert ready.card is not None
    assert ready.card.task_id.rsplit("-", 1)[0] == card.card.task_id.rsplit("-", 1)[0]
    await sim.tap(REP, ready.card.task_id, "保存")
    await sim.wait_for(REP, lambda i: i.kind == "markdown", within=20)
    record = await FollowUp.get(card_id=card.card.task_id.rsplit("-", 1)[0])
    assert record.fields_final["amount"] == {"value": 350000, "source": "answered"}
    assert record.fields_final["next_action"]["value"] == "下周三前发合同"
