"""Voice notes end to end through the pipeline: receipt, transcript, one card per visit."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import create_app
from bot.clock import ManualClock
from bot.replies import CardMessage, CardUpdate, Text
from storage.models import FollowUp, Media
from tests.support.crm import NOW, seed_world
from tests.support.harness import Harness, build_harness, make_config

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"
EXPECTED = json.loads((AUDIO / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture
async def bot(sqlite_url: str, aiohttp_client, tmp_path: Path) -> AsyncIterator[Harness]:
    config = make_config(sqlite_url)
    config = config.model_copy(
        update={
            "database": config.database.model_copy(update={"media_dir": str(tmp_path / "media")})
        }
    )
    harness = build_harness(config, clock=ManualClock(NOW))
    harness.client = await aiohttp_client(create_app(config, runtime=harness.runtime))
    await seed_world()
    yield harness


async def send_voice(bot: Harness, user: str, name: str, msg_id: str) -> None:
    await bot.voice(user, audio=(AUDIO / name).read_bytes(), msg_id=msg_id)


async def test_two_voice_notes_become_one_visit(bot: Harness) -> None:
    await send_voice(bot, "zhang.wei", "visit_budget.amr", "v1")
    receipt, card = await bot.next_sent(2, within=90)
    assert isinstance(receipt.reply, Text)
    assert receipt.reply.text.startswith("收到 ") and receipt.reply.text.endswith(
        " 秒语音，正在识别…"
    )
    assert isinstance(card.reply, CardMessage) and card.card is not None
    assert {r["label"]: r["value"] for r in card.card["rows"]}["金额"] == "50万元", card.card[
        "note"
    ]

    bot.runtime.clock.advance(60)  # the next note of the same visit, a minute later
    await send_voice(bot, "zhang.wei", "visit_quote.amr", "v2")
    receipt2, update = await bot.next_sent(2, within=60)
    assert isinstance(receipt2.reply, Text) and "正在识别" in receipt2.reply.text
    assert isinstance(update.reply, CardUpdate) and update.reply.card_id == card.card["id"]
    rows = {r["label"]: r["value"] for r in update.card["rows"]}
    assert rows["金额"] == "90万元", update.card["note"]  # the quote beats the budget
    assert "预算" in update.card["note"] and "明天" in update.card["note"]  # both notes, in order

    await bot.say("zhang.wei", "客户是华东机械")
    (named,) = await bot.next_sent()
    assert {r["label"]: r["value"] for r in named.card["rows"]}["客户"] == "华东机械"
    await bot.tap("zhang.wei", card.card["id"], "保存")
    await bot.next_sent(2)
    record = await FollowUp.get(card_id=card.card["id"])
    assert len(record.audio) == 2 and record.transcript
    assert record.transcript.index("预算") < record.transcript.index("明天")
    assert await Media.filter(id__in=record.audio).count() == 2  # the originals are kept


async def test_a_note_after_the_window_starts_a_new_visit(bot: Harness) -> None:
    await send_voice(bot, "zhang.wei", "visit_friday.amr", "w1")
    _, first = await bot.next_sent(2, within=90)
    bot.runtime.clock.advance(timedelta(minutes=10).total_seconds())
    await send_voice(bot, "zhang.wei", "visit_budget.amr", "w2")
    _, second = await bot.next_sent(2, within=60)
    assert isinstance(second.reply, CardMessage) and second.card["id"] != first.card["id"]


@pytest.mark.parametrize(
    ("name", "receipt", "says"),
    [
        ("empty.amr", False, "空的"),
        ("corrupt_truncated.amr", False, ""),
        ("not_audio.png", False, ""),
        ("silent.amr", True, ""),  # readable, so acknowledged first; then nothing was heard
    ],
)
async def test_unusable_audio_gets_a_clear_reply_and_is_kept(
    bot: Harness, name: str, receipt: bool, says: str
) -> None:
    await send_voice(bot, "zhang.wei", name, f"bad-{name}")
    if receipt:
        (ack,) = await bot.next_sent(1, within=90)
        assert "正在识别" in ack.reply.text  # type: ignore[union-attr]
    (reply,) = await bot.next_sent(1, within=90)
    assert isinstance(reply.reply, Text) and reply.reply.text.endswith("（原始语音已保存）")
    assert says in reply.reply.text
    assert await Media.all().count() == 1
