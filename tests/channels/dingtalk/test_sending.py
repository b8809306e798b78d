"""Replies out: sessionWebhook while valid, then the OpenAPI; tokens; limits; media."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp

from bot.channels.base import Delivered, RetryLater, Undeliverable
from bot.clock import ManualClock
from bot.devtools.sim.dingtalk import DingtalkSimulator
from bot.events import Event
from bot.replies import File, Image, Markdown, Text
from storage.media import MediaStore
from tests.channels.dingtalk.support import channel_of, echo_router, start_bot

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


async def test_webhook_while_valid_then_openapi(sqlite_url: str, aiohttp_client) -> None:
    clock = ManualClock(T0)
    seen: list[Event] = []
    async with DingtalkSimulator(clock=clock) as sim:
        h = await start_bot(
            sqlite_url, sim, aiohttp_client, routers=[echo_router(seen)], clock=clock
        )
        channel = channel_of(h)
        await sim.wait_connected()
        await sim.send_text("staff2001", "一")
        assert (await sim.wait_for("staff2001", lambda i: i.text == "收到：一")).via == "webhook"
        clock.advance(89 * 60 + 30)  # the hook expires at 90 min: too close to start a send on
        assert isinstance(await channel.deliver("staff2001", Text("二")), Delivered)
        assert sim.items("staff2001")[-1].via == "batchSend"
        # A hook DingTalk refuses with an errcode (HTTP 200) falls back to the OpenAPI too.
        await sim.send_text("staff2001", "三")
        await sim.wait_for("staff2001", lambda i: i.text == "收到：三")
        sim.tenant.sessions.clear()
        assert isinstance(await channel.deliver("staff2001", Markdown("标题", "**四**")), Delivered)
        last = sim.items("staff2001")[-1]
        assert (last.via, last.kind, last.title) == ("batchSend", "markdown", "标题")
        assert channel.webhooks.get("staff2001") is None  # a refused hook is forgotten


async def test_openapi_results_token_cache_and_refetch(sqlite_url: str, aiohttp_client) -> None:
    async with DingtalkSimulator() as sim:
        h = await start_bot(sqlite_url, sim, aiohttp_client, routers=[echo_router([])])
        channel = channel_of(h)
        for n in range(3):
            assert isinstance(await channel.deliver("staff1001", Text(f"消息{n}")), Delivered)
        assert sim.tenant.token_requests == 1  # cached
        sim.revoke_tokens()
        assert isinstance(await channel.deliver("staff1001", Text("轮换后")), Delivered)
        assert sim.tenant.token_requests == 2  # refetched once after the 401
        assert [i.text for i in sim.items("staff1001")] == ["消息0", "消息1", "消息2", "轮换后"]

        sim.mark_invalid("left.company")
        gone = await channel.deliver("left.company", Text("你好"))
        assert isinstance(gone, Undeliverable)
        sim.flow_control("staff1002")
        busy = await channel.deliver("staff1002", Text("你好"))
        assert isinstance(busy, RetryLater) and busy.after_s >= 30
        assert isinstance(await channel.deliver("staff1002", Text("你好")), Delivered)

        assert isinstance(await channel.deliver("chat:cidGroup==", Text("群消息")), Delivered)
        assert sim.items("chat:cidGroup==")[0].via == "groupMessages"


async def test_long_text_is_split_and_batches_hold_at_most_twenty(
    sqlite_url: str, aiohttp_client
) -> None:
    async with DingtalkSimulator() as sim:
        h = await start_bot(sqlite_url, sim, aiohttp_client, routers=[echo_router([])])
        channel = channel_of(h)
        text = "\n".join(f"第{i}行：华东机械的拜访记录与下一步计划" for i in range(400))
        assert isinstance(await channel.deliver("staff2001", Text(text)), Delivered)
        pieces = [i.text for i in sim.items("staff2001")]
        assert len(pieces) > 1 and all(len(p.encode()) <= channel.max_text_bytes for p in pieces)
        assert "\n".join(pieces) == text

        api = channel._client()
        users = [f"user{i:02d}" for i in range(45)]
        result = await api.batch_send(users, "sampleText", {"content": "通知"})
        sizes = [len(b["userIds"]) for p, b in sim.tenant.calls if p.endswith("batchSend")][-3:]
        assert sizes == [20, 20, 5] and not result.invalid
        assert all(isinstance(b["msgParam"], str) for p, b in sim.tenant.calls if "msgParam" in b)


async def test_the_simulator_enforces_dingtalks_rules(sqlite_url: str, aiohttp_client) -> None:
    async with DingtalkSimulator() as sim, aiohttp.ClientSession() as http:
        async with http.post(
            f"{sim.base_url}/v1.0/oauth2/accessToken",
            json={"appKey": sim.app_key, "appSecret": sim.app_secret},
        ) as resp:
            token = (await resp.json())["accessToken"]
        headers = {"x-acs-dingtalk-access-token": token}
        base = {"robotCode": sim.app_key, "msgKey": "sampleText"}
        cases = [
            ({**base, "userIds": ["u1"], "msgParam": {"content": "对象不是字符串"}}, "msgParam"),
            (
                {**base, "userIds": [f"u{i}" for i in range(21)], "msgParam": '{"content":"x"}'},
                "userIds",
            ),
            ({**base, "userIds": ["u1"], "msgParam": '{"text":"缺 content"}'}, "msgParam"),
        ]
        for body, field in cases:
            async with http.post(
                f"{sim.base_url}/v1.0/robot/oToMessages/batchSend", json=body, headers=headers
            ) as resp:
                error = await resp.json()
                assert resp.status == 400 and field in error["code"]
                assert set(error) == {"code", "message", "requestid"}
        async with http.post(
            f"{sim.base_url}/v1.0/robot/oToMessages/batchSend",
            json={**base, "userIds": ["u1"], "msgParam": '{"content":"x"}'},
            headers={"x-acs-dingtalk-access-token": "forged"},
        ) as resp:
            assert resp.status == 401


async def test_images_and_files_are_uploaded_then_sent(
    sqlite_url: str, aiohttp_client, tmp_path
) -> None:
    async with DingtalkSimulator() as sim:
        h = await start_bot(sqlite_url, sim, aiohttp_client, routers=[echo_router([])])
        channel = channel_of(h)
        store = MediaStore(tmp_path / "media")
        png = b"\x89PNG\r\n\x1a\n" + b"chart" * 20
        image = await store.save(png, "image/png")
        result = await channel.deliver("staff2001", Image(image.id, caption="本月漏斗"))
        assert isinstance(result, Delivered)
        kinds = [(i.kind, i.text) for i in sim.items("staff2001")]
        assert kinds == [("image", ""), ("text", "本月漏斗")]
        assert sim.items("staff2001")[0].media == png
        sheet = await store.save(b"PK\x03\x04excel", "application/vnd.ms-excel")
        assert isinstance(
            await channel.deliver("staff2001", File(sheet.id, "漏斗.xlsx")), Delivered
        )
        item = sim.items("staff2001")[-1]
        assert (item.kind, item.title, item.param["fileType"]) == ("file", "漏斗.xlsx", "xlsx")
        assert isinstance(await channel.deliver("staff2001", Image(99999)), Undeliverable)
