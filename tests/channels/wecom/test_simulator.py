"""The simulator behaves like WeCom's documentation says (checked over raw HTTP, not our client)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.clock import ManualClock
from bot.devtools.sim.wecom import WecomSimulator

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


class Api:
    def __init__(self, sim: WecomSimulator, session: aiohttp.ClientSession) -> None:
        self.sim, self.s = sim, session
        self.token = ""

    async def gettoken(self, secret: str | None = None) -> dict[str, Any]:
        async with self.s.get(
            self.sim.api_base + "gettoken",
            params={"corpid": self.sim.corp_id, "corpsecret": secret or self.sim.secret},
        ) as r:
            data = await r.json()
        self.token = data.get("access_token", "")
        return data

    async def post(self, api: str, body: dict[str, Any], token: str | None = None) -> dict:
        async with self.s.post(
            self.sim.api_base + api, json=body, params={"access_token": token or self.token}
        ) as r:
            assert r.status == 200
            return await r.json()

    async def send(self, **body: Any) -> dict[str, Any]:
        return await self.post("message/send", {"agentid": self.sim.agent_id, **body})


@pytest.fixture
async def env() -> AsyncIterator[tuple[WecomSimulator, Api, ManualClock]]:
    clock = ManualClock(T0)
    sim = WecomSimulator(clock=clock, callback_timeout_s=0.3, callback_retry_interval_s=0.01)
    sim.add_user("ZhangWei", "张伟")
    sim.add_user("LiNa", "李娜")
    sim.callback_url = "http://127.0.0.1:9/unused"
    await sim.start()
    async with aiohttp.ClientSession() as session:
        api = Api(sim, session)
        await api.gettoken()
        yield sim, api, clock
    await sim.stop()


def card(task_id: str, buttons: int = 2) -> dict[str, Any]:
    return {
        "card_type": "button_interaction",
        "main_title": {"title": "审批"},
        "task_id": task_id,
        "button_list": [{"text": f"b{i}", "style": 1, "key": f"k{i}"} for i in range(buttons)],
    }


async def test_tokens(env) -> None:
    sim, api, clock = env
    assert (await api.gettoken("wrong"))["errcode"] == 40001
    first = (await api.gettoken())["access_token"]
    assert (await api.gettoken())["access_token"] == first  # the live token is handed out again
    assert (await api.send(touser="ZhangWei", msgtype="text", text={"content": "hi"}))[
        "errcode"
    ] == 0
    assert (await api.post("message/send", {}, token="nope"))["errcode"] == 40014
    sim.expire_tokens()
    assert (await api.post("message/send", {}, token=first))["errcode"] == 42001
    second = (await api.gettoken())["access_token"]
    assert second != first
    clock.advance(7201)
    assert (await api.post("message/send", {}, token=second))["errcode"] == 42001
    async with api.s.post(sim.api_base + "message/send", json={}) as r:
        assert (await r.json())["errcode"] == 41001


async def test_message_send_validation(env) -> None:
    sim, api, _ = env
    assert (
        await api.post(
            "message/send",
            {"agentid": 1, "touser": "ZhangWei", "msgtype": "text", "text": {"content": "x"}},
        )
    )["errcode"] == 40056
    assert (await api.send(touser="ZhangWei", msgtype="video", video={}))["errcode"] == 40008
    assert (await api.send(touser="ZhangWei", msgtype="text", text={"content": " "}))[
        "errcode"
    ] == 44004
    partial = await api.send(touser="ZhangWei|Ghost", msgtype="text", text={"content": "x"})
    assert partial["errcode"] == 0 and partial["invaliduser"] == "Ghost"
    assert (await api.send(touser="Ghost", msgtype="text", text={"content": "x"}))[
        "errcode"
    ] == 81013
    long = "长" * 1000  # 3000 bytes: WeCom cuts at 2048
    await api.send(touser="LiNa", msgtype="text", text={"content": long})
    assert sim.inbox_of("LiNa")[-1].text == "长" * 682
    assert (await api.send(touser="LiNa", msgtype="image", image={"media_id": "x"}))[
        "errcode"
    ] == 40007


async def test_template_card_rules(env) -> None:
    sim, api, _ = env
    ok = await api.send(touser="ZhangWei", msgtype="template_card", template_card=card("t-1"))
    assert ok["errcode"] == 0 and ok["response_code"]
    again = await api.send(touser="LiNa", msgtype="template_card", template_card=card("t-1"))
    assert again["errcode"] == 42014  # a task id is never reused within the app
    for bad in (
        card("t 2"),
        card("t" * 129),
        card("t-3", buttons=7),
        card("t-4", buttons=0),
        {**card("t-5"), "button_list": [{"text": "a", "key": "k"}, {"text": "b", "key": "k"}]},
    ):
        assert (await api.send(touser="ZhangWei", msgtype="template_card", template_card=bad))[
            "errcode"
        ] == 40058
    sim.callback_url = None
    refused = await api.send(touser="ZhangWei", msgtype="template_card", template_card=card("t-6"))
    assert refused["errcode"] == 43012


async def test_thirty_per_minute_then_silence(env) -> None:
    sim, api, clock = env
    for i in range(32):
        answer = await api.send(touser="ZhangWei", msgtype="text", text={"content": f"{i}"})
        assert answer["errcode"] == 0  # the drop is silent
    assert [i.text for i in sim.inbox_of("ZhangWei")] == [str(i) for i in range(30)]
    assert sim.stats.dropped["ZhangWei"] == 2
    assert sim.stats.received["ZhangWei"] == 30
    clock.advance(60.001)
    await api.send(touser="ZhangWei", msgtype="text", text={"content": "again"})
    assert sim.inbox_of("ZhangWei")[-1].text == "again"


async def test_response_codes_are_single_use_and_expire(env) -> None:
    sim, api, clock = env
    sent = await api.send(touser="ZhangWei", msgtype="template_card", template_card=card("t-7"))
    update = {
        "userids": ["ZhangWei"],
        "agentid": sim.agent_id,
        "response_code": sent["response_code"],
        "button": {"replace_name": "已处理"},
    }
    assert (await api.post("message/update_template_card", update))["errcode"] == 0
    held = sim.cards_of("ZhangWei")[0]
    assert held.greyed == "已处理" and held.version == 2
    assert (await api.post("message/update_template_card", update))["errcode"] == 40058
    sent = await api.send(touser="ZhangWei", msgtype="template_card", template_card=card("t-8"))
    clock.advance(86_401)
    await api.gettoken()  # the token outlived too, of course
    late = {**update, "response_code": sent["response_code"]}
    assert (await api.post("message/update_template_card", late))["errcode"] == 40058


async def test_taps_bring_fresh_codes_and_replace_the_card(env) -> None:
    sim, api, _ = env
    received: list[str] = []

    async def bot(request: web.Request) -> web.Response:
        received.append(request.query_string)
        return web.Response()

    app = web.Application()
    app.router.add_post("/cb", bot)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    sim.callback_url = f"http://127.0.0.1:{runner.addresses[0][1]}/cb"
    try:
        await api.send(touser="ZhangWei", msgtype="template_card", template_card=card("t-9"))
        one = await sim.tap("ZhangWei", "t-9", "b1")
        two = await sim.tap("ZhangWei", "t-9", "k0")
        assert one.ok and two.ok and one.extra["response_code"] != two.extra["response_code"]
        assert "<EventKey><![CDATA[k1]]></EventKey>" in one.request.plaintext
        assert "<TaskId><![CDATA[t-9]]></TaskId>" in one.request.plaintext
        new = {
            "card_type": "multiple_interaction",
            "main_title": {"title": "选阶段"},
            "select_list": [
                {
                    "question_key": "stage",
                    "option_list": [
                        {"id": "s1", "text": "需求确认"},
                        {"id": "s2", "text": "方案演示"},
                    ],
                }
            ],
            "submit_button": {"text": "提交", "key": "fu:c:submit"},
        }
        replaced = await api.post(
            "message/update_template_card",
            {
                "userids": ["ZhangWei"],
                "agentid": sim.agent_id,
                "response_code": two.extra["response_code"],
                "template_card": new,
            },
        )
        assert replaced["errcode"] == 0
        held = sim.cards_of("ZhangWei")[0]
        assert held.card_type == "multiple_interaction" and held.task_id == "t-9"
        submitted = await sim.submit("ZhangWei", "t-9", {"stage": "s2"})
        assert (
            "<SelectedItem><QuestionKey><![CDATA[stage]]></QuestionKey><OptionIds><OptionId>"
            "<![CDATA[s2]]></OptionId></OptionIds></SelectedItem>"
        ) in submitted.request.plaintext
        with pytest.raises(LookupError):
            await sim.submit("ZhangWei", "t-9", {"stage": "nope"})
    finally:
        await runner.cleanup()


async def test_media_upload_and_get(env) -> None:
    sim, api, clock = env
    form = aiohttp.FormData()
    form.add_field("media", b"PNGDATA", filename="chart.png", content_type="image/png")
    async with api.s.post(
        sim.api_base + "media/upload",
        data=form,
        params={"access_token": api.token, "type": "image"},
    ) as r:
        up = await r.json()
    assert up["errcode"] == 0 and isinstance(up["created_at"], str)
    async with api.s.get(
        sim.api_base + "media/get", params={"access_token": api.token, "media_id": up["media_id"]}
    ) as r:
        assert r.content_type == "image/png" and await r.read() == b"PNGDATA"
    wrong = aiohttp.FormData()
    wrong.add_field("file", b"x", filename="a.png", content_type="image/png")
    async with api.s.post(
        sim.api_base + "media/upload",
        data=wrong,
        params={"access_token": api.token, "type": "image"},
    ) as r:
        assert (await r.json())["errcode"] == 44001
    clock.advance(3 * 86_400 + 1)
    await api.gettoken()
    async with api.s.get(
        sim.api_base + "media/get", params={"access_token": api.token, "media_id": up["media_id"]}
    ) as r:
        assert r.status == 200 and r.content_type == "application/json"
        assert (await r.json())["errcode"] == 40007


async def test_directory(env) -> None:
    sim, api, _ = env
    sim.add_department(2, "华东销售部")
    sim.add_department(3, "华东一组", parentid=2)
    async with api.s.get(
        sim.api_base + "user/get", params={"access_token": api.token, "userid": "LiNa"}
    ) as r:
        assert (await r.json())["name"] == "李娜"
    async with api.s.get(
        sim.api_base + "user/get", params={"access_token": api.token, "userid": "Ghost"}
    ) as r:
        assert (await r.json())["errcode"] == 60111
    async with api.s.get(
        sim.api_base + "department/list", params={"access_token": api.token, "id": "2"}
    ) as r:
        assert [d["id"] for d in (await r.json())["department"]] == [2, 3]


@pytest.mark.parametrize(
    ("behaviour", "statuses"),
    [("slow", [None, None, None]), ("error", [500, 500, 500]), ("ok", [200])],
)
async def test_callbacks_resend_the_identical_request(env, behaviour: str, statuses) -> None:
    sim, _, _ = env
    seen: list[tuple[str, bytes]] = []

    async def target(request: web.Request) -> web.Response:
        seen.append((request.query_string, await request.read()))
        if behaviour == "slow":
            await asyncio.sleep(1)
        return web.Response(status=500 if behaviour == "error" else 200)

    app = web.Application()
    app.router.add_post("/cb", target)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    sim.callback_url = f"http://127.0.0.1:{runner.addresses[0][1]}/cb"
    try:
        result = await sim.send_text("ZhangWei", "你好")
        assert result.statuses == statuses
        assert len(seen) == len(statuses) and len(set(seen)) == 1  # byte-identical resends
    finally:
        await runner.cleanup()


async def test_api_mounted_under_a_prefix_of_another_app(aiohttp_client) -> None:
    sim = WecomSimulator()
    host = web.Application()
    base = sim.mount(host, "/sim/wecom", "http://127.0.0.1:1")
    assert base == "http://127.0.0.1:1/sim/wecom/cgi-bin/"
    client = await aiohttp_client(host)
    resp = await client.get(
        "/sim/wecom/cgi-bin/gettoken", params={"corpid": sim.corp_id, "corpsecret": sim.secret}
    )
    assert (await resp.json())["expires_in"] == 7200
