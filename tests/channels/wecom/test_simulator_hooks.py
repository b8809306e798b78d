"""The simulator's hooks for the sandbox page: typed voice media and feed change notices."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from bot.devtools.sim.wecom import WecomSimulator


@pytest.fixture
async def sim() -> AsyncIterator[WecomSimulator]:
    s = WecomSimulator(callback_timeout_s=0.3, callback_retry_interval_s=0.01)
    s.add_user("ZhangWei", "张伟")
    yield s
    await s.stop()


async def test_a_browser_recording_is_served_by_media_get_as_recorded(
    sim: WecomSimulator, aiohttp_server
) -> None:
    posted: list[bytes] = []

    async def callback(request: web.Request) -> web.Response:
        posted.append(await request.read())
        return web.Response(text="")

    bot = web.Application()
    bot.router.add_post("/cb", callback)
    server = await aiohttp_server(bot)
    sim.callback_url = str(server.make_url("/cb"))
    await sim.start()
    webm = b"\x1aE\xdf\xa3" + b"\0" * 64
    result = await sim.send_voice(
        "ZhangWei", webm, content_type="audio/webm", filename="voice.webm"
    )
    assert result.ok and len(posted) == 1
    async with aiohttp.ClientSession() as session:
        auth = {"corpid": sim.corp_id, "corpsecret": sim.secret}
        async with session.get(sim.api_base + "gettoken", params=auth) as r:
            token = (await r.json())["access_token"]
        query = {"access_token": token, "media_id": result.extra["media_id"]}
        async with session.get(sim.api_base + "media/get", params=query) as r:
            assert r.content_type == "audio/webm" and await r.read() == webm
            assert 'filename="voice.webm"' in r.headers["Content-Disposition"]
    amr = await sim.send_voice("ZhangWei")  # the default stays WeCom's AMR
    assert sim.tenant.media[amr.extra["media_id"]].content_type == "audio/amr"


async def test_feed_changes_are_announced_by_version(sim: WecomSimulator) -> None:
    tenant = sim.tenant
    start = sim.feed_version
    assert await sim.wait_changed(start, 0.01) is False  # nothing happened
    waiting = asyncio.ensure_future(sim.wait_changed(start, 5))
    await asyncio.sleep(0)
    tenant.send(
        {
            "touser": "ZhangWei",
            "msgtype": "text",
            "agentid": sim.agent_id,
            "text": {"content": "你好"},
        }
    )
    assert await waiting is True
    assert sim.feed_version == start + 1
    assert await sim.wait_changed(start, 5) is True  # already behind: answers at once
