"""What the chat records exports and imports back onto itself: deals saved from visit notes have
no 商机编号 (and a client's next deal has the same title as its won one), and payments recorded
with /回款 point at such a deal."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.channels.testing import SentMessage
from bot.clock import ManualClock
from bot.ops.exporter import export_rows
from bot.ops.importer import import_table
from bot.ops.kinds import KINDS, template_rows
from bot.ops.sheets import read_table, write_table
from bot.replies import CardMessage, CardUpdate, Text
from storage.models import Client, Contact, Deal, Payment
from tests.support.crm import NOW
from tests.support.harness import Harness, make_config, start_harness

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def bot(db_url: str, aiohttp_client: Any) -> Harness:
    # A real clock has microseconds, which chat records keep and Excel does not (it keeps ms).
    clock = ManualClock(NOW.replace(microsecond=208850))
    return await start_harness(make_config(db_url), aiohttp_client, clock=clock, world=True)


async def save_note(bot: Harness, user: str, text: str) -> None:
    await bot.say(user, text)
    (msg,) = await bot.next_sent()
    assert isinstance(msg.reply, CardMessage | CardUpdate) and msg.card is not None, msg.reply
    await bot.tap(user, msg.card["id"], "保存")
    await bot.next_sent(2)  # the saved card and the client brief


async def answer_to(bot: Harness, user: str) -> SentMessage:
    """The next message to ``user`` (a won deal's approval offer may come first to the rep)."""
    while True:
        (msg,) = await bot.next_sent()
        if msg.recipient == user:
            return msg


async def test_chat_records_export_and_import_back_unchanged(bot: Harness, tmp_path: Path) -> None:
    await save_note(bot, "zhang.wei", "金桥物流张工说合同今天签了，金额20万，下周一前安排实施")
    await bot.say("ma.jun", "/回款 金桥物流 20万")
    paid = await answer_to(bot, "ma.jun")
    assert isinstance(paid.reply, Text) and paid.reply.text.startswith("已登记回款"), paid.reply
    await save_note(bot, "zhang.wei", "金桥物流张工说二期需求确认了，下周一前出方案")
    deals = await Deal.filter(title="金桥物流项目").order_by("id").values_list("status", flat=True)
    assert deals == ["won", "open"]  # same client, same title, no 商机编号
    payment = await Payment.get()
    assert payment.deal_id is not None

    runtime = bot.runtime
    counts = {}
    for kind in ("clients", "contacts", "deals", "payments"):
        headers, _, notes = template_rows(KINDS[kind])
        path = tmp_path / f"{kind}.xlsx"
        counts[kind] = write_table(path, headers, await export_rows(KINDS[kind], TZ), notes)
        outcome = await import_table(
            KINDS[kind], read_table(path), config=runtime.config, db=runtime.db, now=NOW
        )
        assert outcome.errors == [], kind
        assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, counts[kind]), kind
    assert counts == {
        "clients": await Client.all().count(),
        "contacts": await Contact.all().count(),
        "deals": 3,
        "payments": 1,
    }
    assert await Deal.all().count() == 3
    assert (await Payment.get()).deal_id == payment.deal_id

    # A sheet without the deal (finance's own, or an edited export) leaves the link alone.
    sheet = tmp_path / "finance.csv"
    sheet.write_text(
        "回款编号,客户名称,商机编号,负责人,类型,金额,回款日期\n"
        f"{payment.external_ref},金桥物流,,zhang.wei,首年,20万,2026-11-27 10:00\n",
        encoding="utf-8",
    )
    outcome = await import_table(
        KINDS["payments"], read_table(sheet), config=runtime.config, db=runtime.db, now=NOW
    )
    assert (outcome.errors, outcome.created, outcome.updated) == ([], 0, 0)
    assert (await Payment.get()).deal_id == payment.deal_id
