"""Hostile JSON at the DingTalk edge: refused cheaply and cleanly, never a 500 or a dead reader."""

from __future__ import annotations

import time

import pytest

from bot.channels import safejson
from bot.channels.dingtalk.sign import http_sign
from bot.channels.dingtalk.stream import FrameRejected, _frame_data
from bot.devtools.sim.dingtalk import DingtalkSimulator
from storage.models import InboxMessage
from tests.channels.dingtalk.support import echo_router, fast_app, start_bot

DEEP = "[" * 200_000 + "]" * 200_000
NESTED_OBJECTS = '{"a":' * 50 + "1" + "}" * 50


def test_safe_loads_refuses_deep_nesting_in_linear_time() -> None:
    started = time.perf_counter()
    for text in (DEEP, NESTED_OBJECTS, '{"x": ' + "[" * 40 + "]" * 40 + "}"):
        with pytest.raises(ValueError):
            safejson.loads(text)
    assert time.perf_counter() - started < 1.0
    assert safejson.loads('{"a": [1, {"b": 2}]}') == {"a": [1, {"b": 2}]}


def test_a_stream_frame_with_deep_data_is_rejected_not_raised() -> None:
    with pytest.raises(FrameRejected):
        _frame_data(DEEP)


async def test_http_mode_refuses_deep_json_with_a_400(sqlite_url: str, aiohttp_client) -> None:
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
        for body in (DEEP, NESTED_OBJECTS):
            timestamp = str(sim.clock.ms())
            headers = {"timestamp": timestamp, "sign": http_sign(sim.app_secret, timestamp)}
            started = time.perf_counter()
            resp = await client.post("/dingtalk/callback", data=body, headers=headers)
            assert resp.status == 400 and time.perf_counter() - started < 1.0
        assert await InboxMessage.all().count() == 0
        assert h.runtime.metrics.rejected.labels("dingtalk", "malformed")._value.get() == 2
