"""A question asked by voice is answered like the typed one; a spoken visit note stays a note.

Transcripts arrive the way DingTalk delivers them: the platform's own recognition on the voice
event, trusted alone (``asr.platform_trust_alone``, the default), so the real follow-up voice
handler runs without loading a model. The bundled model on real audio is covered by
test_voice_notes.py, whose visit notes must still become cards.
"""

from __future__ import annotations

import pytest

from bot.channels.testing import SentMessage
from bot.clock import ManualClock
from bot.replies import CardMessage, Markdown, Text
from storage.models import CardInstance
from tests.support.crm import NOW
from tests.support.harness import Harness, make_config, start_harness


@pytest.fixture
async def bot(db_url: str, aiohttp_client) -> Harness:
    return await start_harness(
        make_config(db_url), aiohttp_client, clock=ManualClock(NOW), world=True
    )


async def speak(bot: Harness, user: str, heard: str, msg_id: str) -> None:
    await bot.voice(user, heard=heard, msg_id=msg_id)


async def typed_answer(bot: Harness, user: str, text: str) -> list[SentMessage]:
    await bot.say(user, text)
    return await bot.next_sent()


def echo_of(msg: SentMessage) -> str:
    assert isinstance(msg.reply, Text), msg.reply
    return msg.reply.text


async def test_a_managers_spoken_funnel_question_gets_the_funnel(bot: Harness) -> None:
    await speak(bot, "wang.li", "华东本月漏斗怎么样？", "v-funnel")
    echo, answer = await bot.next_sent(2)
    assert echo_of(echo) == "识别：华东本月漏斗怎么样？"
    assert isinstance(answer.reply, Markdown) and "漏斗" in answer.reply.title
    assert "华东" in answer.reply.title + answer.reply.text
    (typed,) = await typed_answer(bot, "wang.li", "华东本月漏斗怎么样")
    assert answer.reply == typed.reply  # the same answer as the typed question
    assert await CardInstance.filter(kind="followup").count() == 0


async def test_a_reps_spoken_incentive_question_gets_her_standing(bot: Harness) -> None:
    await speak(bot, "zhang.wei", "我这个月激励多少", "v-bonus")
    echo, answer = await bot.next_sent(2)
    assert echo_of(echo) == "识别：我这个月激励多少"
    assert isinstance(answer.reply, Markdown) and answer.reply.title.startswith("张伟的激励")
    (typed,) = await typed_answer(bot, "zhang.wei", "我这个月激励多少")
    assert answer.reply == typed.reply
    assert await CardInstance.filter(kind="followup").count() == 0


async def test_a_reps_spoken_visit_note_is_still_a_visit_card(bot: Harness) -> None:
    note = "今天拜访了华东机械王经理，报价三十万，下周三之前把合同发过去"
    await speak(bot, "zhang.wei", note, "v-note")
    (card,) = await bot.next_sent()  # no echo: the card shows what was heard
    assert isinstance(card.reply, CardMessage) and card.card is not None
    assert card.card["title"] == "拜访记录确认"
    rows = {r["label"]: (r["value"], r["hint"]) for r in card.card["rows"]}
    assert rows["客户"][0] == "华东机械" and rows["金额"] == ("30万元", "语音")
    assert (await CardInstance.get(id=card.card["id"])).kind == "followup"


async def test_an_unclear_transcript_stays_a_visit_note_and_is_not_asked_about(
    bot: Harness,
) -> None:
    # Typed, a bare client name is asked about; spoken, it is the start of a note (a question
    # card would take the audio off the draft and stop the next voice note merging into it).
    await speak(bot, "zhang.wei", "金桥物流", "v-bare")
    (card,) = await bot.next_sent()
    assert card.card is not None and card.card["title"] == "拜访记录确认"
    assert await CardInstance.filter(kind="note_check").count() == 0


async def test_legal_asking_by_voice_gets_the_same_refusals_as_typing(bot: Harness) -> None:
    await speak(bot, "xu.qing", "华东本月漏斗怎么样", "v-legal-funnel")
    echo, refusal = await bot.next_sent(2)
    assert echo_of(echo) == "识别：华东本月漏斗怎么样"
    (typed,) = await typed_answer(bot, "xu.qing", "华东本月漏斗怎么样")
    assert isinstance(refusal.reply, Text) and "查看销售统计" in refusal.reply.text
    assert refusal.reply == typed.reply

    # Incentives refuse a role without them in their own words, not as a visit note.
    await speak(bot, "xu.qing", "我这个月激励多少", "v-legal-bonus")
    echo, refusal = await bot.next_sent(2)
    assert echo_of(echo) == "识别：我这个月激励多少"
    (typed,) = await typed_answer(bot, "xu.qing", "我这个月激励多少")
    assert isinstance(refusal.reply, Text) and "不能查看激励" in refusal.reply.text
    assert refusal.reply == typed.reply
    assert await CardInstance.all().count() == 0
