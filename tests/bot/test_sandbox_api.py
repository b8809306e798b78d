"""Demo mode wiring and the sandbox API, without a browser: the page's calls, made by hand."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import create_app
from bot.devtools.demo.mode import Demo, build_demo
from bot.devtools.demo.samples import load_samples
from tests.support.databases import SqliteTemplate
from tests.support.demo import demo_test_config, running_demo
from tests.support.harness import make_config

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"
API = "/sandbox/api"


def test_demo_config_points_the_wecom_channel_at_the_built_in_simulator() -> None:
    config = make_config("sqlite://:memory:")
    demo = build_demo(config, port=8123)
    (app,) = demo.config.channels.wecom
    sim = demo.simulator
    assert app.enabled and app.corp_id == sim.corp_id and app.agent_id == sim.agent_id
    assert app.secret.get_secret_value() == sim.secret
    assert app.api_base == "http://127.0.0.1:8123/sim/wecom/cgi-bin/"
    assert demo.config.channels.dingtalk == ()  # nothing leaves the machine in demo mode
    assert demo.config.server.public_url == "http://127.0.0.1:8123"
    assert sim.callback_url == "http://127.0.0.1:8123/wecom/callback"
    with_wecom = {p.wecom_userid: p.name for p in config.people if p.wecom_userid}
    members = {u: x.name for u, x in sim.tenant.users.items()}
    assert members.items() >= with_wecom.items()
    # Behind them, the simulated company's directory (what /同步通讯录 reads in the demo).
    assert len(members) >= len(with_wecom) + 300
    assert [c.platform for c in demo.runtime.channels] == ["wecom"]  # no test channel
    # The admin's config is untouched (frozen models are copied, never mutated).
    assert config.channels.wecom[0].api_base == "https://qyapi.weixin.qq.com/cgi-bin/"
    assert demo.sandbox_url == "http://127.0.0.1:8123/sandbox"


async def test_demo_routes_do_not_exist_outside_demo_mode(sqlite_url: str, aiohttp_client) -> None:
    client = await aiohttp_client(create_app(make_config(sqlite_url)))
    for path in (
        "/sandbox",
        f"{API}/setup",
        "/sim/wecom/cgi-bin/gettoken",
        "/sandbox/static/app.js",
    ):
        async with client.get(path) as r:
            assert r.status == 404, path


@pytest.fixture
async def demo(tmp_path: Path, sqlite_template: SqliteTemplate) -> AsyncIterator[Demo]:
    async with running_demo(demo_test_config(sqlite_template.new(tmp_path), tmp_path)) as app:
        yield app


@pytest.fixture
async def http(demo: Demo) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(demo.base_url) as session:
        yield session


async def conversation(
    http: aiohttp.ClientSession, user: str, etag: str = "", wait: float = 0
) -> Any:
    params = {"user": user, "etag": etag, "wait": str(wait)}
    async with http.get(f"{API}/conversation", params=params) as r:
        assert r.status == 200
        return await r.json()


async def until(http: aiohttp.ClientSession, user: str, found: Any, within: float = 30) -> Any:
    """Follow the long-poll as the page does until ``found(items)`` holds."""
    snap = await conversation(http, user)
    async with asyncio.timeout(within):
        while not found(snap["items"]):
            snap = await conversation(http, user, snap["etag"], wait=10)
    return snap


async def test_setup_lists_personas_and_samples(http: aiohttp.ClientSession, demo: Demo) -> None:
    async with http.get(f"{API}/setup") as r:
        setup = await r.json()
    labels = [p["label"] for p in setup["personas"]]
    assert labels[:3] == ["张伟 · 销售", "李娜 · 销售", "刘洋 · 销售"]  # reps first
    assert "王丽 · 经理" in labels and "陈志远 · 总监" in labels and "徐晴 · 法务" in labels
    assert len(labels) == len([p for p in demo.config.people if p.wecom_userid])
    assert [s["title"] for s in setup["samples"]] == [s.title for s in load_samples()]
    async with http.get("/sandbox") as r:
        assert r.status == 200 and "销售助手" in await r.text()
    async with http.get("/", allow_redirects=False) as r:
        assert r.status == 302 and r.headers["Location"] == "/sandbox"


async def test_a_message_goes_through_the_simulator_and_the_answer_comes_back(
    http: aiohttp.ClientSession, demo: Demo
) -> None:
    before = await conversation(http, "ZhangWei")
    assert before["items"] == []
    waiting = asyncio.ensure_future(conversation(http, "ZhangWei", before["etag"], wait=20))
    async with http.post(f"{API}/text", json={"user": "ZhangWei", "text": "/帮助"}) as r:
        assert r.status == 200, await r.text()
    changed = await waiting  # the long-poll answered on the change, well before its 20 s
    assert changed["etag"] != before["etag"] and changed["items"][0]["from"] == "me"

    snap = await until(http, "ZhangWei", lambda items: len(items) == 2)
    mine, answer = snap["items"]
    assert (mine["text"], mine["status"]) == ("/帮助", "sent")
    assert answer["from"] == "bot" and answer["kind"] == "markdown"
    assert "张伟（销售）可用的命令" in answer["text"]
    # The answer really went through the simulator's HTTP API, with a token.
    assert demo.simulator.stats.calls["message/send"] == 1
    assert snap["counts"]["ZhangWei"] == 1 and snap["counts"]["WangLi"] == 0
    same = await conversation(http, "ZhangWei", snap["etag"], wait=0.2)
    assert same["etag"] == snap["etag"]  # nothing changed: the poll ends at its deadline


async def test_cards_are_tapped_through_the_simulator_and_greyed(
    http: aiohttp.ClientSession,
) -> None:
    note = "今天拜访了花东机械王经理，报价三十万，下周三之前发合同"
    async with http.post(f"{API}/text", json={"user": "ZhangWei", "text": note}) as r:
        assert r.status == 200
    snap = await until(http, "ZhangWei", lambda items: any(i.get("card") for i in items))
    card = next(i["card"] for i in snap["items"] if i.get("card"))
    assert card["card_type"] == "button_interaction"
    rows = {r["keyname"]: r["value"] for r in card["body"]["horizontal_content_list"]}
    assert rows["客户"] == "华东机械（听到“花东机械”）（文字）"
    discard = next(b for b in card["body"]["button_list"] if b["text"] == "丢弃")
    tap = {"user": "ZhangWei", "task_id": card["task_id"], "key": discard["key"]}
    async with http.post(f"{API}/tap", json=tap) as r:
        assert r.status == 200
    await until(
        http, "ZhangWei", lambda items: any((i.get("card") or {}).get("greyed") for i in items)
    )
    async with http.post(f"{API}/tap", json=tap) as r:
        assert r.status == 409 and "已处理" in (await r.json())["error"]
    async with http.post(f"{API}/tap", json={**tap, "task_id": "nope"}) as r:
        assert r.status == 404


async def test_sample_and_recorded_voice_notes_reach_the_bot(
    http: aiohttp.ClientSession, demo: Demo
) -> None:
    sample = load_samples()[0]
    async with http.post(f"{API}/sample", json={"user": "LiNa", "sample": sample.id}) as r:
        assert r.status == 200
    snap = await until(http, "LiNa", lambda items: any("正在识别" in i["text"] for i in items))
    mine = snap["items"][0]
    assert (mine["kind"], mine["label"], mine["seconds"]) == ("voice", sample.title, sample.seconds)
    async with http.get(mine["audio_url"]) as r:  # AMR made playable for the browser
        assert r.content_type == "audio/wav" and (await r.read())[:4] == b"RIFF"

    webm = (AUDIO / "visit_quote_live.webm").read_bytes()
    params = {"user": "LiuYang", "seconds": "7.5"}
    headers = {"Content-Type": "audio/webm"}
    async with http.post(f"{API}/voice", params=params, data=webm, headers=headers) as r:
        assert r.status == 200
    await until(http, "LiuYang", lambda items: any("正在识别" in i["text"] for i in items))
    stored = [m for m in demo.simulator.tenant.media.values() if m.filename == "voice.webm"]
    assert [(m.content_type, m.data) for m in stored] == [("audio/webm", webm)]
    async with http.post(
        f"{API}/voice", params=params, data=b"x", headers={"Content-Type": "audio/x-foo"}
    ) as r:
        assert r.status == 415
    big = b"\0" * ((2 << 20) + 1)
    async with http.post(f"{API}/voice", params=params, data=big, headers=headers) as r:
        assert r.status == 413
    # Above the app's 1 MiB body limit but within WeCom's 2 MB for a voice file: accepted.
    long = webm + b"\0" * (1_200_000 - len(webm))
    async with http.post(f"{API}/voice", params=params, data=long, headers=headers) as r:
        assert r.status == 200


async def test_a_picture_reaches_the_simulator_as_an_image_message(
    http: aiohttp.ClientSession, demo: Demo
) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
    params = {"user": "ZhangWei", "filename": "产品配置表.png"}
    headers = {"Content-Type": "image/png"}
    async with http.post(f"{API}/image", params=params, data=png, headers=headers) as r:
        assert r.status == 200
    snap = await until(http, "ZhangWei", lambda items: bool(items))
    assert snap["items"][0]["text"] == "［图片］产品配置表.png"
    stored = [m for m in demo.simulator.tenant.media.values() if m.data == png]
    assert [m.content_type for m in stored] == ["image/png"]
    bad = {"Content-Type": "application/pdf"}
    async with http.post(f"{API}/image", params=params, data=b"%PDF", headers=bad) as r:
        assert r.status == 415
    async with http.post(f"{API}/image", params=params, data=b"", headers=headers) as r:
        assert r.status == 400


async def test_files_the_bot_sent_are_served_only_to_their_recipient(
    http: aiohttp.ClientSession, demo: Demo
) -> None:
    tenant = demo.simulator.tenant
    png = (AUDIO / "not_audio.png").read_bytes()
    media = tenant.store_media("image", "chart.png", "image/png", png)
    message = {"touser": "WangLi", "msgtype": "image", "agentid": tenant.agent_id}
    tenant.send({**message, "image": {"media_id": media.media_id}})  # as the bot's send would
    snap = await conversation(http, "WangLi")
    (item,) = snap["items"]
    async with http.get(item["media_url"]) as r:
        assert r.status == 200 and r.content_type == "image/png" and await r.read() == png
    async with http.get(f"{API}/media/{media.media_id}", params={"user": "ZhangWei"}) as r:
        assert r.status == 404


async def test_requests_from_elsewhere_are_refused(http: aiohttp.ClientSession) -> None:
    body = {"user": "ZhangWei", "text": "你好"}
    async with http.post(f"{API}/text", json=body, headers={"Host": "evil.example:8080"}) as r:
        assert r.status == 403  # DNS rebinding: the page was loaded from another name
    async with http.post(f"{API}/text", json=body, headers={"Origin": "http://evil.example"}) as r:
        assert r.status == 403
    async with http.post(
        f"{API}/text", data="user=ZhangWei&text=x", headers={"Content-Type": "text/plain"}
    ) as r:
        assert r.status == 415  # a cross-site form cannot send JSON without a preflight
    async with http.post(f"{API}/text", json={"user": "nobody", "text": "x"}) as r:
        assert r.status == 404 and "没有这个身份" in (await r.json())["error"]
    async with http.post(f"{API}/text", json={"user": "ZhangWei", "text": "  "}) as r:
        assert r.status == 400
