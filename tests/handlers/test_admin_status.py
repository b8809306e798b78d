"""/状态: an admin sees the bot's own state in chat; nobody else may."""

from __future__ import annotations

import tomllib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import create_app
from bot.clock import ManualClock
from bot.pipeline.outbox import DeliveryFailure
from bot.replies import Markdown, Text
from handlers.admin.status import StatusFigures, status_text
from tests.support.harness import ROOT, Harness, build_harness, make_config

T0 = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
SHANGHAI = ZoneInfo("Asia/Shanghai")
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


@pytest.fixture
async def bot(db_url: str, aiohttp_client) -> AsyncIterator[Harness]:  # type: ignore[no-untyped-def]
    harness = build_harness(make_config(db_url), clock=ManualClock(T0))
    harness.client = await aiohttp_client(
        create_app(harness.runtime.config, runtime=harness.runtime)
    )
    yield harness


async def test_admin_sees_version_uptime_queues_and_the_last_delivery_error(bot: Harness) -> None:
    rt = bot.runtime
    assert rt.started_at == T0
    clock = rt.clock
    assert isinstance(clock, ManualClock)
    # A reply the platform refused, waiting for its next try tomorrow (written as the sender
    # leaves it, so the running sender cannot deliver it first).
    await rt.db.execute(
        "INSERT INTO outbox (dedupe_key, platform, app, recipient, kind, payload, status, "
        "attempts, available_at, lease_until, created_at, messages, error) "
        "VALUES (?, 'test', 'test', 'wu.fang', 'text', ?, 0, 1, ?, 0, ?, 1, ?)",
        "status-test-1",
        '{"text": "你好"}',
        clock.ms() + 86_400_000,
        clock.ms(),
        "errcode 45009 api freq out of limit",
    )
    clock.advance(2 * 3600 + 5 * 60)

    await bot.say("lin.feng", "/状态")
    (sent,) = await bot.next_sent()
    assert isinstance(sent.reply, Markdown)
    assert sent.reply.text.splitlines() == [
        "**机器人状态**",
        f"- 版本：{VERSION}",
        "- 已运行：2 小时 5 分钟",
        "- 待处理消息：1 条",  # this /状态 itself, being handled
        "- 最近一次发送失败：12-03 09:00 发给 test:wu.fang 的消息重试中（已试 1 次）："
        "errcode 45009 api freq out of limit",
        "- 已放弃发送：无",
        "- 语音识别：模型未加载（收到第一条语音时加载）",
    ]


async def test_only_admins_may_ask(bot: Harness) -> None:
    await bot.say("zhang.wei", "/status")
    (sent,) = await bot.next_sent()
    assert sent.reply == Text("你的角色（销售）不能使用 /状态。发送 /帮助 查看你可以使用的命令。")


def test_status_text_for_a_busy_bot_with_a_dead_message() -> None:
    failure = DeliveryFailure(
        "wecom", "ZhangWei", "x" * 200, attempts=8, given_up=True, created_ms=1_764_720_000_000
    )
    figures = StatusFigures(
        "1.2.3", T0, 0, failure, asr_in_flight=3, asr_loaded=True, asr_workers=2, undeliverable=4
    )
    text = status_text(figures, T0 + timedelta(days=1, minutes=3), SHANGHAI)
    assert text.splitlines()[1:] == [
        "- 已运行：1 天 0 小时 3 分钟",
        "- 待处理消息：0 条",
        f"- 最近一次发送失败：12-03 08:00 发给 wecom:ZhangWei 的消息已放弃：{'x' * 120}…",
        "- 已放弃发送：4 条（排除原因后运行 salesbot outbox retry 重新发送）",
        "- 语音识别：3 条语音在识别或排队（2 个识别进程）",
    ]
