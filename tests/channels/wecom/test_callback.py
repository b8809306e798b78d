"""The callback edge of the real app: what is refused, with which status, and that nothing of a
refused request is written while the process keeps serving."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from yarl import URL

from bot.app import create_app
from bot.clock import ManualClock
from bot.config.channels import WecomApp
from bot.devtools.sim.wecom_callbacks import Signer, message_xml
from bot.events import TextEvent
from bot.pipeline.context import Context
from bot.pipeline.router import Router
from tests.channels.wecom.support import vectors, with_wecom
from tests.support.harness import Harness, build_harness, make_config
from tests.support.waiting import eventually

V = vectors()
A, B = V["wecom_A"], V["wecom_B"]
PATH = "/wecom/callback"


def app_for(s: dict, agent_id: int, **extra) -> WecomApp:
    return WecomApp(
        corp_id=s["corpid"],
        agent_id=agent_id,
        secret="s3cret-not-used",
        token=s["token"],
        encoding_aes_key=s["encoding_aes_key"],
        **extra,
    )


def recorder(seen: list[str]) -> Router:
    router = Router("probe")

    @router.on(TextEvent)
    async def record(ctx: Context, event: TextEvent) -> None:
        seen.append(f"{event.user_id}:{event.text}")

    return router


async def boot(
    sqlite_url: str, aiohttp_client, app: WecomApp, when: int, seen: list[str]
) -> tuple[Harness, ManualClock]:
    clock = ManualClock(datetime.fromtimestamp(when, UTC))
    config = with_wecom(make_config(sqlite_url), app)
    h = build_harness(config, routers=[recorder(seen)], clock=clock)
    h.client = await aiohttp_client(create_app(config, runtime=h.runtime))
    return h, clock


async def inbox_count(h: Harness) -> int:
    return int((await h.runtime.db.fetch("SELECT COUNT(*) AS n FROM inbox"))[0]["n"])


def rejected(h: Harness, reason: str) -> float:
    return h.runtime.metrics.rejected.labels("wecom", reason)._value.get()


async def test_url_check_answers_exactly_the_plaintext(sqlite_url: str, aiohttp_client) -> None:
    u = A["url_check"]
    h, _ = await boot(sqlite_url, aiohttp_client, app_for(A, 1000002), int(u["timestamp"]), [])
    resp = await h.client.get(
        PATH, params={k: u[k] for k in ("msg_signature", "timestamp", "nonce", "echostr")}
    )
    assert resp.status == 200
    assert await resp.read() == u["plaintext"].encode()  # no quotes, no newline, no BOM


@pytest.mark.parametrize("plus", ["%2B", "+"])
async def test_url_check_survives_the_plus_pitfall(
    sqlite_url: str, aiohttp_client, plus: str
) -> None:
    query = B["url_check_query"]
    assert "%2B" in query
    # "+" as WeCom may send it unencoded: the query decoder turns it into a space.
    query = query.replace("%2B", plus)
    h, _ = await boot(sqlite_url, aiohttp_client, app_for(B, 218), 1409659589, [])
    resp = await h.client.get(URL(f"{PATH}?{query}", encoded=True))
    assert resp.status == 200
    assert await resp.read() == B["url_check_plaintext"].encode()


async def test_vector_message_is_stored_and_handled(sqlite_url: str, aiohttp_client) -> None:
    m = A["message"]
    seen: list[str] = []
    h, _ = await boot(sqlite_url, aiohttp_client, app_for(A, 1000002), int(m["timestamp"]), seen)
    params = {k: m[k] for k in ("msg_signature", "timestamp", "nonce")}
    resp = await h.client.post(PATH, params=params, data=m["body"].encode())
    assert resp.status == 200 and await resp.read() == b""
    await eventually(lambda: asyncio.sleep(0, result=seen))
    assert seen == ["ChenJiaShun:你好"]
    row = (await h.runtime.db.fetch("SELECT dedupe_key, user_key FROM inbox"))[0]
    assert row == {"dedupe_key": "1456453720", "user_key": "wecom:wecom:ChenJiaShun"}


class Forger:
    """Signs callbacks for vector set B's app, so each test can break exactly one thing."""

    def __init__(self, clock: ManualClock) -> None:
        from bot.channels.wecom.crypto import WecomCrypto

        self.crypto = WecomCrypto(B["token"], B["encoding_aes_key"], B["corpid"])
        self.signer = Signer(B["token"], self.crypto.key, B["corpid"], 218)
        self.clock = clock
        self.seq = 0

    def text(self, text: str, user: str = "mycreate") -> str:
        self.seq += 1
        return message_xml(
            {
                "ToUserName": B["corpid"],
                "FromUserName": user,
                "CreateTime": self.clock.ms() // 1000,
                "MsgType": "text",
                "Content": text,
                "MsgId": 9000 + self.seq,
                "AgentID": 218,
            }
        )

    def request(
        self,
        plaintext: str,
        *,
        ts: int | None = None,
        encrypt: str | None = None,
        signature: str | None = None,
    ) -> tuple[dict[str, str], bytes]:
        ts_s = str(ts if ts is not None else self.clock.ms() // 1000)
        enc = encrypt if encrypt is not None else self.crypto.seal(plaintext)
        sig = signature or self.crypto.signature(ts_s, "77", enc)
        body = f"<xml><ToUserName><![CDATA[{B['corpid']}]]></ToUserName><Encrypt><![CDATA[{enc}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>"
        return {"msg_signature": sig, "timestamp": ts_s, "nonce": "77"}, body.encode()


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xml><Encrypt>&lol3;</Encrypt></xml>"""


def _other_corp(f: Forger) -> tuple[dict[str, str], bytes]:
    from bot.channels.wecom.crypto import WecomCrypto

    other = WecomCrypto(B["token"], B["encoding_aes_key"], "wwanothercorp0001")
    return f.request("", encrypt=other.seal(f.text("冒充")))


CASES = {
    "tampered signature": (
        lambda f: f.request(f.text("x"), signature="0" * 40),
        403,
        "bad_signature",
    ),
    "wrong corpid": (_other_corp, 403, "wrong_corpid"),
    "stale timestamp": (
        lambda f: f.request(f.text("x"), ts=f.clock.ms() // 1000 - 301),
        403,
        "stale",
    ),
    "future timestamp": (
        lambda f: f.request(f.text("x"), ts=f.clock.ms() // 1000 + 301),
        403,
        "stale",
    ),
    "bad base64": (lambda f: f.request("", encrypt="@@not*base64@@"), 400, "bad_base64"),
    "bad aes": (lambda f: f.request("", encrypt="QUFB" * 22), 400, "bad_aes"),
    "entity expansion": (
        lambda f: (
            {"msg_signature": "0" * 40, "timestamp": str(f.clock.ms() // 1000), "nonce": "1"},
            BOMB.encode(),
        ),
        400,
        "xml_entities",
    ),
    "entity inside the plaintext": (
        lambda f: f.request(
            BOMB.replace(
                "<xml><Encrypt>&lol3;</Encrypt></xml>", "<xml><Content>&lol3;</Content></xml>"
            )
        ),
        400,
        "xml_entities",
    ),
    "not xml": (
        lambda f: (
            {"msg_signature": "0" * 40, "timestamp": str(f.clock.ms() // 1000), "nonce": "1"},
            b"{json: true}",
        ),
        400,
        "bad_xml",
    ),
    "oversize body": (lambda f: f.request(f.text("大" * 400_000)), 413, "too_large"),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_refused_requests_write_nothing_and_the_bot_keeps_serving(
    sqlite_url: str, aiohttp_client, case: str
) -> None:
    seen: list[str] = []
    h, clock = await boot(sqlite_url, aiohttp_client, app_for(B, 218), 1700000000, seen)
    forger = Forger(clock)
    build, status, reason = CASES[case]
    params, body = build(forger)
    resp = await h.client.post(PATH, params=params, data=body)
    assert resp.status == status
    assert rejected(h, reason) == 1
    assert await inbox_count(h) == 0
    # The process keeps serving: a normal message right after is stored and handled.
    params, body = forger.request(forger.text("正常消息"))
    assert (await h.client.post(PATH, params=params, data=body)).status == 200
    await eventually(lambda: asyncio.sleep(0, result=seen))
    assert seen == ["mycreate:正常消息"] and await inbox_count(h) == 1


async def test_oversize_is_refused_before_the_body_is_read(sqlite_url: str, aiohttp_client) -> None:
    h, clock = await boot(sqlite_url, aiohttp_client, app_for(B, 218), 1700000000, [])
    forger = Forger(clock)
    params, _ = forger.request(forger.text("x"))

    async def endless():  # a client streaming far more than the limit, chunked (no length)
        for _ in range(64):
            yield b"<" * 65536

    resp = await h.client.post(PATH, params=params, data=endless())
    assert resp.status == 413 and await inbox_count(h) == 0


async def test_replayed_request_is_acknowledged_once_stored_once(
    sqlite_url: str, aiohttp_client
) -> None:
    seen: list[str] = []
    h, clock = await boot(sqlite_url, aiohttp_client, app_for(B, 218), 1700000000, seen)
    forger = Forger(clock)
    params, body = forger.request(forger.text("只处理一次"))
    statuses = [(await h.client.post(PATH, params=params, data=body)).status for _ in range(3)]
    assert statuses == [200, 200, 200]
    await eventually(lambda: asyncio.sleep(0, result=seen))
    await asyncio.sleep(0.2)  # nothing else may follow; the inbox and metrics prove it below
    assert seen == ["mycreate:只处理一次"] and await inbox_count(h) == 1
    assert h.runtime.metrics.duplicates.labels("wecom")._value.get() == 2
    # The same message re-signed later (a replay outside the window) is refused outright.
    clock.advance(400)
    assert (await h.client.post(PATH, params=params, data=body)).status == 403


async def test_message_for_another_agent_is_refused(sqlite_url: str, aiohttp_client) -> None:
    h, clock = await boot(sqlite_url, aiohttp_client, app_for(B, 219), 1700000000, [])
    forger = Forger(clock)
    params, body = forger.request(forger.text("x"))
    assert (await h.client.post(PATH, params=params, data=body)).status == 403
    assert rejected(h, "wrong_agent") == 1 and await inbox_count(h) == 0
