"""HTTP mode: signed posts to /dingtalk/callback; stale or forged posts write nothing."""

from __future__ import annotations

from bot.channels.dingtalk.parse import CARD_TOPIC
from bot.devtools.sim.dingtalk import DingtalkSimulator
from bot.events import Event, TextEvent
from storage.models import InboxMessage
from tests.channels.dingtalk.support import channel_of, echo_router, fast_app, start_bot

HOUR_MS = 3_600_000


async def test_signed_post_is_persisted_answered_fast_and_replied(
    sqlite_url: str, aiohttp_client
) -> None:
    seen: list[Event] = []
    async with DingtalkSimulator() as sim:
        h = await start_bot(
            sqlite_url,
            sim,
            aiohttp_client,
            routers=[echo_router(seen)],
            app=fast_app(sim, mode="http"),
        )
        assert channel_of(h).stream is None  # no Stream connection in HTTP mode without cards
        url = str(h.client.make_url("/dingtalk/callback"))  # type: ignore[union-attr]
        message = sim.text_message("staff2001", "HTTP 模式的消息")
        status, _ = await sim.post_http(url, message)
        assert status == 200
        assert await InboxMessage.filter(dedupe_key=f"dingtalk:msg:{message['msgId']}").exists()
        status, _ = await sim.post_http(url, message)  # DingTalk retrying the same message
        assert status == 200
        item = await sim.wait_for("staff2001", lambda i: i.kind == "text")
        assert item.text == "收到：HTTP 模式的消息"
        assert [e.text for e in seen if isinstance(e, TextEvent)] == ["HTTP 模式的消息"]


async def test_stale_forged_and_unsigned_posts_are_rejected(
    sqlite_url: str, aiohttp_client
) -> None:
    async with DingtalkSimulator() as sim:
        h = await start_bot(
            sqlite_url,
            sim,
            aiohttp_client,
            routers=[echo_router([])],
            app=fast_app(sim, mode="http"),
        )
        client = h.client
        assert client is not None
        url = str(client.make_url("/dingtalk/callback"))
        now = sim.clock.ms()
        message = sim.text_message("staff2001", "伪造")
        assert (await sim.post_http(url, message, timestamp_ms=now - HOUR_MS - 5_000))[0] == 403
        assert (await sim.post_http(url, message, timestamp_ms=now + HOUR_MS + 5_000))[0] == 403
        assert (await sim.post_http(url, message, secret="not-the-app-secret"))[0] == 403
        resp = await client.post("/dingtalk/callback", json=message)
        assert resp.status == 403
        resp = await client.post(
            "/dingtalk/callback", json=message, headers={"timestamp": str(now), "sign": "AAAA"}
        )
        assert resp.status == 403
        assert await InboxMessage.all().count() == 0  # nothing was written
        rejected = h.runtime.metrics.rejected
        assert rejected.labels("dingtalk", "stale")._value.get() == 2
        assert rejected.labels("dingtalk", "signature")._value.get() == 2
        assert rejected.labels("dingtalk", "missing")._value.get() == 1
        # A correctly signed body that is not a robot message is refused too.
        status, _ = await sim.post_http(url, {"msgtype": "text", "text": {"content": "x"}})
        assert status == 400
        assert await InboxMessage.all().count() == 0


async def test_http_mode_with_cards_listens_for_card_taps_only(
    sqlite_url: str, aiohttp_client
) -> None:
    async with DingtalkSimulator() as sim:
        app = fast_app(sim, mode="http", card_template_id="tpl.schema")
        await start_bot(sqlite_url, sim, aiohttp_client, routers=[], app=app)
        await sim.wait_connected()
        [conn] = sim.gateway.connections
        assert conn.topics == {CARD_TOPIC}  # robot messages keep coming over HTTP
