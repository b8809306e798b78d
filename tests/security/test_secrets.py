"""No secret reaches a log line, an error answer or /metrics, through a run that exercises the
paths most likely to leak: token fetches and expiry, refused sends, forged and malformed
callbacks, an unreachable LLM, both platforms."""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot.app import create_app
from bot.config.channels import Channels
from bot.devtools.sim.dingtalk import DingtalkSimulator
from bot.devtools.sim.wecom import WecomSimulator
from bot.logs import setup_logging
from tests.channels.wecom.support import add_people
from tests.support.harness import build_harness, make_config
from tests.support.waiting import eventually

LLM_KEY = "sk-llm-secret-0f9e8d7c6b5a4321"
LINK_SECRET = "link-secret-5e4d3c2b1a09876543210fedcba"


@pytest.fixture
async def sims() -> AsyncIterator[tuple[WecomSimulator, DingtalkSimulator]]:
    wecom = WecomSimulator(callback_timeout_s=1.0, callback_retry_interval_s=0.05)
    await wecom.start()
    async with DingtalkSimulator() as dingtalk:
        yield wecom, dingtalk
    await wecom.stop()


async def test_no_secret_in_logs_errors_or_metrics(sqlite_url: str, sims, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    wsim, dsim = sims
    base = make_config(sqlite_url)
    nlp = base.nlp.model_copy(
        update={
            "llm": base.nlp.llm.model_copy(
                update={
                    "enabled": True,
                    "base_url": "http://127.0.0.1:9",
                    "api_key": SecretStr(LLM_KEY),
                }
            )
        }
    )
    server = base.server.model_copy(
        update={"public_url": "http://bot.example", "link_secret": SecretStr(LINK_SECRET)}
    )
    channels = Channels(wecom=(wsim.app_config(),), dingtalk=(dsim.app_config(mode="http"),))
    config = base.model_copy(update={"channels": channels, "server": server, "nlp": nlp})
    secrets = {
        "corp secret": wsim.secret,
        "AES key": wsim.encoding_aes_key,
        "callback token": wsim.token,
        "app secret": dsim.app_secret,
        "LLM key": LLM_KEY,
        "link secret": LINK_SECRET,
    }
    out = io.StringIO()
    handler = setup_logging(config, stream=out)
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    raw: list[str] = []  # every record before redaction, as a stricter second check

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            raw.append(logging.Formatter().format(record))

    keep = Keep()
    root.addHandler(keep)
    answers: list[str] = []
    try:
        add_people(wsim, config)
        h = build_harness(config)
        client = await aiohttp_client(create_app(config, runtime=h.runtime))
        wsim.callback_url = str(client.make_url("/wecom/callback"))
        rep = next(p.wecom_userid for p in config.people if p.wecom_userid)
        await wsim.send_text(rep, "/帮助")
        await eventually(lambda: _async(len(wsim.inbox_of(rep)) >= 1))
        wsim.expire_tokens()
        wsim.fail_next("message/send", 40001, times=1)  # "invalid credential": logged
        wsim.fail_next("message/send", -1, times=4)
        await wsim.send_text(rep, "今天拜访了华东机械王经理，报价十二万")
        await wsim.send_text(rep, "/状态")
        # Forged and malformed callbacks on both platforms: their refusals are logged.
        for path, body in (
            ("/wecom/callback?msg_signature=x&timestamp=1&nonce=n", b"<xml>"),
            ("/dingtalk/callback", b"{}"),
            ("/dingtalk/callback", b"[" * 5000),
        ):
            resp = await client.post(path, data=body, headers={"timestamp": "1", "sign": "x"})
            answers.append(await resp.text())
        staff = next(p.dingtalk_staff_id for p in config.people if p.dingtalk_staff_id)
        url = str(client.make_url("/dingtalk/callback"))
        await dsim.post_http(url, dsim.text_message(staff, "/帮助"))
        await dsim.post_http(url, dsim.text_message(staff, "伪造"), secret="wrong-secret")
        await eventually(lambda: _async(len(dsim.items(staff)) >= 1))
        await eventually(lambda: _async("retrying until it goes through" in out.getvalue()))
        for path in ("/metrics", "/healthz"):
            answers.append(await (await client.get(path)).text())
    finally:
        root.removeHandler(handler)
        root.removeHandler(keep)
        root.setLevel(old_level)
    written = out.getvalue()
    # The run did go through the paths that log: refusals on both platforms, a refused send.
    assert "DingTalk callback refused: signature" in written
    assert "errcode 40001" in written and "wecom" in written
    everything = "\n".join([written, *raw, *answers])
    leaked = [name for name, value in secrets.items() if value in everything]
    assert leaked == []
    print(
        f"\nscanned {len(written.splitlines())} log lines, {len(raw)} records, "
        f"{len(answers)} answers: no secret"
    )


async def _async(value: bool) -> bool:
    return value
