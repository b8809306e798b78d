"""Stream mode against the simulator's gateway, with the real app and the real pipeline."""

from __future__ import annotations

import asyncio
import json
import random

import pytest

from bot.app import create_app
from bot.channels.dingtalk.stream import Backoff
from bot.devtools.sim.dingtalk import DingtalkSimulator
from bot.events import Event, TextEvent
from bot.pipeline.inbox import Inbox
from storage.models import InboxMessage
from tests.channels.dingtalk.support import (
    channel_of,
    echo_router,
    fast_app,
    start_bot,
    with_dingtalk,
)
from tests.support.harness import build_harness, make_config
from tests.support.waiting import eventually


async def test_text_in_reply_out_and_pings_are_echoed(sqlite_url: str, aiohttp_client) -> None:
    seen: list[Event] = []
    async with DingtalkSimulator() as sim:
        await start_bot(sqlite_url, sim, aiohttp_client, routers=[echo_router(seen)])
        await sim.wait_connected()
        [pong] = await sim.ping()
        assert pong["code"] == 200
        opaque = json.loads(pong["data"])["opaque"]
        assert opaque and pong["headers"]["contentType"] == "application/json"

        pushed = await sim.send_text("staff2001", "今天拜访了华东机械")
        assert pushed.ack is not None and pushed.ack["code"] == 200
        assert pushed.ack["headers"]["messageId"] == pushed.message_id
        item = await sim.wait_for("staff2001", lambda i: i.kind == "text")
        assert item.text == "收到：今天拜访了华东机械"
        assert item.via == "webhook"  # the sessionWebhook that came with the message
        assert [e.user_id for e in seen] == ["staff2001"]


async def test_group_text_is_answered_in_the_group(sqlite_url: str, aiohttp_client) -> None:
    seen: list[Event] = []
    async with DingtalkSimulator() as sim:
        await start_bot(sqlite_url, sim, aiohttp_client, routers=[echo_router(seen)])
        await sim.wait_connected()
        await sim.send_text("staff2002", "华南本月漏斗怎么样", group="cidSales==")
        item = await sim.wait_for("chat:cidSales==", lambda i: i.kind == "text")
        assert item.text == "收到：华南本月漏斗怎么样"  # the @robot prefix is gone
        assert seen[0].conversation_id == "cidSales==" and seen[0].user_id == "staff2002"


async def test_a_message_is_persisted_before_it_is_acknowledged(
    sqlite_url: str, aiohttp_client, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with DingtalkSimulator() as sim:
        h = await start_bot(sqlite_url, sim, aiohttp_client, routers=[echo_router([])])
        await sim.wait_connected()
        persisted_at_ack: list[int] = []
        real_put = Inbox.put

        async def failing_put(self: Inbox, event: Event) -> bool:
            raise ConnectionError("database unavailable")

        monkeypatch.setattr(Inbox, "put", failing_put)
        lost = await sim.send_text("staff2001", "数据库挂了")
        assert lost.ack is not None and lost.ack["code"] == 500  # never "OK" for a lost message
        monkeypatch.setattr(Inbox, "put", real_put)

        original = Inbox.put

        async def watching_put(self: Inbox, event: Event) -> bool:
            result = await original(self, event)
            persisted_at_ack.append(await InboxMessage.filter(dedupe_key=event.dedupe_key).count())
            return result

        monkeypatch.setattr(Inbox, "put", watching_put)
        ok = await sim.send_text("staff2001", "正常")
        assert ok.ack is not None and ok.ack["code"] == 200
        assert persisted_at_ack == [1]
        assert await InboxMessage.filter(platform="dingtalk").count() == 1
        assert h.runtime.ready


async def test_drop_mid_stream_reconnects_and_loses_nothing(db_url: str, aiohttp_client) -> None:
    seen: list[Event] = []
    async with DingtalkSimulator() as sim:
        h = await start_bot(db_url, sim, aiohttp_client, routers=[echo_router(seen)])
        channel = channel_of(h)
        await sim.wait_connected()
        for i in range(3):
            await sim.send_text("staff2001", f"第{i}条")
        # The bot persists this one and acks it, but the ack is lost in transit…
        unacked = await sim.push(
            sim.text_message("staff2001", "第3条"), wait_ack=False, lose_ack=True
        )
        await eventually(lambda: _stored(unacked.msg_id))
        # …then the network fails. More messages are waiting at the gateway meanwhile.
        await sim.drop()
        later = [asyncio.create_task(sim.send_text("staff2001", f"第{i}条")) for i in range(4, 6)]
        await asyncio.gather(*later)
        await sim.wait_for("staff2001", lambda i: i.text == "收到：第5条")
        await eventually(lambda: _count_replies(sim, 6))
        assert sorted(e.text for e in seen if isinstance(e, TextEvent)) == [
            f"第{i}条" for i in range(6)
        ]
        assert len(seen) == 6  # nothing handled twice, though 第3条 reached the bot twice
        assert sim.gateway.stats.acks[unacked.message_id][-1]["code"] == 200  # replay acked
        assert sim.gateway.stats.tickets_issued == 2  # a fresh ticket for the new connection
        assert channel.stream is not None and channel.stream.connections == 2


async def test_a_frame_replayed_after_reconnect_is_handled_once(
    db_url: str, aiohttp_client
) -> None:
    seen: list[Event] = []
    async with DingtalkSimulator() as sim:
        await start_bot(db_url, sim, aiohttp_client, routers=[echo_router(seen)])
        await sim.wait_connected()
        first = await sim.send_text("staff2002", "拜访了恒达科技")
        await sim.wait_for("staff2002", lambda i: i.text == "收到：拜访了恒达科技")
        await sim.disconnect()  # the gateway asks for a reconnect (SYSTEM disconnect)
        await sim.wait_connected()
        again = await sim.replay(first.message_id)
        assert again is not None and again["code"] == 200  # a replay is still acknowledged
        await sim.send_text("staff2002", "第二条")
        await sim.wait_for("staff2002", lambda i: i.text == "收到：第二条")
        assert [e.text for e in seen if isinstance(e, TextEvent)] == ["拜访了恒达科技", "第二条"]
        assert await InboxMessage.filter(platform="dingtalk").count() == 2
        assert sim.gateway.stats.tickets_issued == 2


async def test_one_users_burst_is_handled_in_order(sqlite_url: str, aiohttp_client) -> None:
    seen: list[Event] = []
    async with DingtalkSimulator() as sim:
        await start_bot(sqlite_url, sim, aiohttp_client, routers=[echo_router(seen)], workers=4)
        await sim.wait_connected()
        texts = [f"第{i}条" for i in range(15)]
        await asyncio.gather(*(sim.send_text("staff2003", t) for t in texts))
        await eventually(lambda: _count_replies(sim, 15, "staff2003"))
        stored = [m.payload for m in await InboxMessage.filter(platform="dingtalk").order_by("id")]
        order = [json.loads(p)["text"] for p in stored]
        assert [e.text for e in seen if isinstance(e, TextEvent)] == order


async def test_shutdown_while_connected_is_quick_and_clean(sqlite_url: str, aiohttp_client) -> None:
    async with DingtalkSimulator() as sim:
        config = with_dingtalk(make_config(sqlite_url), fast_app(sim))
        harness = build_harness(config, routers=[echo_router([])])
        client = await aiohttp_client(create_app(config, runtime=harness.runtime))
        await sim.wait_connected()
        await sim.send_text("staff2001", "在吗")
        loop = asyncio.get_running_loop()
        started = loop.time()
        await client.close()
        assert loop.time() - started < 5
        await sim.wait_until(lambda: not sim.gateway.connections, within=2)
        lingering = [t for t in asyncio.all_tasks() if t.get_name().startswith("dingtalk-stream")]
        assert lingering == []
        assert channel_of(harness).stream is None


async def _stored(msg_id: str) -> bool:
    return await InboxMessage.filter(dedupe_key=f"dingtalk:msg:{msg_id}").exists()


async def _count_replies(sim: DingtalkSimulator, n: int, user: str = "staff2001") -> bool:
    return len([i for i in sim.items(user) if i.kind == "text"]) >= n


def test_backoff_grows_with_jitter_up_to_its_cap() -> None:
    backoff = Backoff(base_s=1.0, max_s=30.0)
    rng = random.Random(7)
    for attempt, step in [(0, 1.0), (1, 2.0), (3, 8.0), (5, 30.0), (60, 30.0)]:
        delays = [backoff.delay(attempt, rng) for _ in range(50)]
        assert all(step / 2 <= d <= step for d in delays)
        assert len(set(delays)) > 1  # jittered, so replicas do not reconnect in lockstep


async def test_a_gateway_that_refuses_connections_is_retried(
    sqlite_url: str, aiohttp_client
) -> None:
    seen: list[Event] = []
    async with DingtalkSimulator() as sim:
        sim.refuse_connections(3)
        await start_bot(sqlite_url, sim, aiohttp_client, routers=[echo_router(seen)])
        await sim.wait_connected()
        assert sim.gateway.stats.opens_refused == 3 and sim.gateway.stats.tickets_issued == 1
        await sim.send_text("staff2001", "终于连上了")
        await sim.wait_for("staff2001", lambda i: i.text == "收到：终于连上了")
