"""The real app against the WeCom simulator, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.channels.base import Channel
from bot.clock import ManualClock
from bot.devtools.sim.wecom import WecomSimulator, silent_amr
from bot.devtools.sim.wecom_feed import FeedItem
from bot.events import TextEvent, VoiceEvent
from bot.pipeline.context import Context
from bot.pipeline.outbox import PENDING, SENDING, SENT
from bot.pipeline.router import Router
from bot.pipeline.taps import Tap, TapResult
from bot.replies import CardMessage, CardUpdate, Text
from cards.actions import CardAction
from cards.model import Button, Card, Row
from cards.store import CardStore, new_card_id
from storage.models import CardDelivery, InboxMessage, OutboxMessage
from tests.channels.wecom.support import start_bot
from tests.support.waiting import eventually

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


@pytest.fixture
async def sim() -> AsyncIterator[WecomSimulator]:
    s = WecomSimulator(callback_timeout_s=1.0, callback_retry_interval_s=0.05)
    await s.start()
    yield s
    await s.stop()


def texts(sim: WecomSimulator, user: str) -> list[str]:
    return [i.text for i in sim.inbox_of(user) if i.kind == "text"]


def echo_router(calls: list[str], gate: asyncio.Event | None = None) -> Router:
    router = Router("probe")

    @router.on(TextEvent)
    async def echo(ctx: Context, event: TextEvent) -> None:
        calls.append(event.text)
        if gate is not None and event.text.startswith("慢"):
            await gate.wait()
        ctx.reply(Text(f"收到：{event.text}"))

    return router


async def test_text_in_answer_out_through_message_send(db_url: str, sim, aiohttp_client) -> None:
    calls: list[str] = []
    await start_bot(db_url, sim, aiohttp_client, routers=[echo_router(calls)])
    result = await sim.send_text("ZhangWei", "今天拜访了华东机械王经理")
    assert result.statuses == [200]
    item = await sim.wait_for("ZhangWei", lambda i: i.kind == "text")
    assert item.text == "收到：今天拜访了华东机械王经理"
    assert sim.stats.calls["message/send"] == 1 and sim.stats.gettoken == 1


async def test_long_answers_arrive_whole_in_parts(db_url: str, sim, aiohttp_client) -> None:
    calls: list[str] = []
    long_text = "\n".join(f"第{i}行：客户华东机械的跟进记录，金额十二万元。" for i in range(120))
    await start_bot(db_url, sim, aiohttp_client, routers=[echo_router(calls)])
    await sim.send_text("ZhangWei", long_text)
    expected = f"收到：{long_text}"
    await sim.wait_for("ZhangWei", lambda _: "".join(texts(sim, "ZhangWei")) == expected)
    parts = texts(sim, "ZhangWei")
    assert len(parts) > 1 and all(len(p.encode()) <= 2048 for p in parts)
    # The rate window counts every part, not one message per reply.
    row = await eventually(lambda: OutboxMessage.get_or_none(status=SENT))
    assert row.messages == len(parts)


async def test_voice_note_amr_is_fetched_with_media_get(db_url: str, sim, aiohttp_client) -> None:
    holder: dict[str, Channel] = {}
    router = Router("voice")

    @router.on(VoiceEvent)
    async def listen(ctx: Context, event: VoiceEvent) -> None:
        data = await holder["wecom"].fetch_media(event)
        ctx.reply(Text(f"语音 {event.format} {len(data)} {hashlib.sha256(data).hexdigest()[:12]}"))

    h = await start_bot(db_url, sim, aiohttp_client, routers=[router])
    holder["wecom"] = h.runtime.channel("wecom")
    amr = silent_amr(3.2)
    result = await sim.send_voice("ZhangWei", amr)
    assert result.ok
    item = await sim.wait_for("ZhangWei", lambda i: i.kind == "text")
    assert item.text == f"语音 amr {len(amr)} {hashlib.sha256(amr).hexdigest()[:12]}"
    assert sim.stats.calls["media/get"] == 1


class ProbeTap(CardAction, prefix="pr"):
    op: str


def card_router() -> Router:
    """Sends a card to the asker and to 李娜; 刷新 redraws it, 同意 closes it."""
    router = Router("cards")

    @router.on(TextEvent)
    async def make(ctx: Context, event: TextEvent, cards: CardStore) -> None:
        card_id = new_card_id("pr")
        card = Card(
            id=card_id,
            title="报价审批",
            subtitle="华东机械 · 12万元",
            rows=(Row("客户", "华东机械", "历史"), Row("状态", "待审批")),
            buttons=(
                Button("同意", ProbeTap(card_id, 0, "ok").pack(), "primary"),
                Button("刷新", ProbeTap(card_id, 0, "re").pack()),
            ),
        )
        await cards.create(
            card, kind="probe", owner_id=None, data={}, actors=["zhang.wei", "li.na"]
        )
        ctx.reply(CardMessage(card_id))
        other = ctx.directory.get("li.na")
        assert other is not None
        ctx.send_to(other, CardMessage(card_id))

    @router.tap(ProbeTap, "probe.tap")
    async def tapped(ctx: Context, tap: Tap[ProbeTap]) -> TapResult:
        card = tap.card
        who = tap.person.name
        ctx.reply(CardUpdate(card.id))
        if tap.action.op == "ok":
            return TapResult(
                Card.from_dict({**card.to_dict(), "closed": f"已同意 · {who}"}), {}, "closed"
            )
        card = Card.from_dict(
            {
                **card.to_dict(),
                "rows": [
                    {"label": "客户", "value": "华东机械", "hint": "历史"},
                    {"label": "状态", "value": f"{who}已查看", "hint": ""},
                ],
            }
        )
        return TapResult(card, {})

    return router


def card_items(sim: WecomSimulator, user: str) -> list[FeedItem]:
    return [i for i in sim.inbox_of(user) if i.card is not None]


async def test_card_sent_tapped_and_updated_in_place(db_url: str, sim, aiohttp_client) -> None:
    await start_bot(db_url, sim, aiohttp_client, routers=[card_router()])
    await sim.send_text("ZhangWei", "请审批")
    zw = (await sim.wait_for("ZhangWei", lambda i: i.card is not None)).card
    ln = (await sim.wait_for("LiNa", lambda i: i.card is not None)).card
    assert zw is not None and ln is not None and zw.task_id != ln.task_id  # never reused
    rows = zw.body["horizontal_content_list"]
    assert rows[0] == {"keyname": "客户", "value": "华东机械（历史）"}

    # 刷新 (not closing): both copies are redrawn in place, with the tap's code and the send's.
    await sim.tap("ZhangWei", zw.task_id, "刷新")
    await sim.wait_for("LiNa", lambda _: ln.version == 2)
    await sim.wait_for("ZhangWei", lambda _: zw.version == 2)
    for copy in (zw, ln):
        assert copy.body["horizontal_content_list"][1]["value"] == "张伟已查看"
        assert copy.greyed is None
    assert len(card_items(sim, "ZhangWei")) == 1 and len(card_items(sim, "LiNa")) == 1

    # 同意 by 李娜: her copy is greyed with her tap's code; 张伟 has no code left (his tap's was
    # spent on the redraw), so he gets the decided card anew instead of keeping a stale one.
    tap = await sim.tap("LiNa", ln.task_id, "同意")
    await sim.wait_for("LiNa", lambda _: ln.greyed == "已同意 · 李娜")
    fresh = await sim.wait_for(
        "ZhangWei",
        lambda i: i.card is not None and i.card is not zw and i.card.greyed == "已同意 · 李娜",
    )
    assert fresh.card is not None and fresh.card.version == 2  # sent, then greyed with its code
    assert zw.greyed is None and zw.version == 2
    with pytest.raises(ValueError, match="greyed"):
        await sim.tap("LiNa", ln.task_id, "同意")
    await eventually(_no_codes)  # every code the bot held was spent, none is left to reuse
    # The tap's code was consumed: WeCom refuses it a second time.
    client = sim_client(sim)
    answer = await client(tap.extra["response_code"], ln.task_id)
    assert answer["errcode"] == 40058


async def _no_codes() -> bool:
    return await CardDelivery.filter(response_code__not_isnull=True).count() == 0


def sim_client(sim: WecomSimulator):  # type: ignore[no-untyped-def]
    import aiohttp

    async def update(code: str, task_id: str) -> dict:
        async with aiohttp.ClientSession() as s:
            async with s.get(
                sim.api_base + "gettoken", params={"corpid": sim.corp_id, "corpsecret": sim.secret}
            ) as r:
                token = (await r.json())["access_token"]
            body = {
                "userids": ["LiNa"],
                "agentid": sim.agent_id,
                "response_code": code,
                "button": {"replace_name": "再来一次"},
            }
            async with s.post(
                sim.api_base + "message/update_template_card",
                params={"access_token": token},
                json=body,
            ) as r:
                return await r.json()

    return update


async def test_slow_handler_and_wecom_retries_mean_one_handling(
    db_url: str, sim, aiohttp_client
) -> None:
    calls: list[str] = []
    gate = asyncio.Event()
    await start_bot(db_url, sim, aiohttp_client, routers=[echo_router(calls, gate)])
    started = time.monotonic()
    result = await sim.send_text("ZhangWei", "慢慢处理的消息")
    # Acknowledged at once, well inside WeCom's timeout, although the handler is still busy.
    assert result.statuses == [200] and result.seconds[0] < sim.poster.timeout_s / 2
    await eventually(lambda: asyncio.sleep(0, result=calls))
    # WeCom resends the identical request when it misses an answer: twice more here.
    await sim.resend(result, times=2)
    assert result.statuses == [200, 200, 200]
    # Keep the handler busy for longer than WeCom's timeout before letting it finish.
    await asyncio.sleep(max(0.0, sim.poster.timeout_s + 0.2 - (time.monotonic() - started)))
    assert calls == ["慢慢处理的消息"] and texts(sim, "ZhangWei") == []
    gate.set()
    await sim.wait_for("ZhangWei", lambda i: i.kind == "text")
    await asyncio.sleep(0.2)
    assert calls == ["慢慢处理的消息"] and texts(sim, "ZhangWei") == ["收到：慢慢处理的消息"]
    assert await InboxMessage.all().count() == 1


async def test_token_expired_mid_conversation_is_refreshed_once(
    db_url: str, sim, aiohttp_client
) -> None:
    await start_bot(db_url, sim, aiohttp_client, routers=[echo_router([])])
    await sim.send_text("ZhangWei", "第一条")
    await sim.wait_for("ZhangWei", lambda i: i.text == "收到：第一条")
    assert sim.stats.gettoken == 1
    sim.expire_tokens()
    await sim.send_text("ZhangWei", "第二条")
    await sim.wait_for("ZhangWei", lambda i: i.text == "收到：第二条")
    assert sim.stats.gettoken == 2
    assert sim.stats.calls["message/send"] == 3  # ok, refused (42001), ok after the refresh
    assert texts(sim, "ZhangWei") == ["收到：第一条", "收到：第二条"]


async def test_forty_messages_in_a_minute_all_arrive(db_url: str, aiohttp_client) -> None:
    clock = ManualClock(T0)
    sim = WecomSimulator(clock=clock)
    await sim.start()
    try:
        h = await start_bot(db_url, sim, aiohttp_client, routers=[echo_router([])], clock=clock)
        said = [f"第{i}条" for i in range(40)]
        for i, text in enumerate(said):
            assert (await sim.send_text("ZhangWei", text)).ok
            if i % 4 == 3:
                clock.advance(5)  # 40 messages over 50 s: one minute's window

        async def settled() -> bool:
            """Nothing left to do until the clock moves: the inbox is drained, nothing is being
            sent, and the oldest unsent reply (which the others queue behind) is held back."""
            rows = await h.runtime.db.fetch(
                "SELECT status, available_at FROM outbox WHERE status IN (?, ?) ORDER BY id",
                PENDING,
                SENDING,
            )
            if await h.runtime.inbox.backlog() or any(r["status"] == SENDING for r in rows):
                return False
            return not rows or rows[0]["available_at"] > clock.ms()

        await eventually(settled, within=20)
        assert sim.stats.sent <= 28  # within the minute the bot stayed under WeCom's 30
        clock.advance(61)  # the window frees up; what was held back goes out now
        h.runtime.sender.notify()
        expected = "\n\n".join(f"收到：{t}" for t in said)
        await sim.wait_for(
            "ZhangWei", lambda _: "\n\n".join(texts(sim, "ZhangWei")) == expected, within=20
        )
        assert dict(sim.stats.dropped) == {}  # WeCom dropped nothing
        assert len(texts(sim, "ZhangWei")) < 40  # the overflow was merged, not sent one by one
    finally:
        await sim.stop()
