"""/状态: an admin sees, in chat, the figures /metrics exposes (from the same reading of the
database); nobody else may ask."""

from __future__ import annotations

import tomllib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.metrics import Metrics
from bot.opstatus import DeliveryFailure, JobLag, OpsStatus
from bot.pipeline.outbox import DEAD, PENDING
from bot.replies import Markdown, Text
from handlers.admin.status import AsrFigures, StatusFigures, span_text, status_text
from storage.models import Approval
from tests.support.harness import ROOT, Harness, make_config, start_harness
from tests.support.jobs import run_slot, sh
from tests.support.waiting import eventually

T0 = sh(2026, 12, 3, 9)  # Thursday 09:00 in Shanghai: the bot becomes ready
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
MINUTE = 60_000


@pytest.fixture
async def bot(db_url: str, aiohttp_client) -> AsyncIterator[Harness]:  # type: ignore[no-untyped-def]
    yield await start_harness(make_config(db_url), aiohttp_client, clock=ManualClock(T0))


async def outbox_row(
    bot: Harness, key: str, status: int, attempts: int, created: int, due: int, error: str
) -> None:
    """A row as the sender leaves it (written directly, so the running sender cannot take it:
    a waiting row is due tomorrow)."""
    await bot.runtime.db.execute(
        "INSERT INTO outbox (dedupe_key, platform, app, recipient, kind, payload, status, "
        "attempts, available_at, lease_until, created_at, messages, error) "
        "VALUES (?, 'test', 'test', 'wu.fang', 'text', ?, ?, ?, ?, 0, ?, 1, ?)",
        key,
        '{"text": "你好"}',
        status,
        attempts,
        due,
        created,
        error,
    )


async def test_admin_sees_the_figures_the_metrics_expose(bot: Harness) -> None:
    rt = bot.runtime
    clock = rt.clock
    assert isinstance(clock, ManualClock) and rt.started_at == T0
    # The approval SLA job's 09:00 slot starts at 09:02: two minutes late.
    await run_slot(bot, "approval_sla", sh(2026, 12, 3, 9), as_of=sh(2026, 12, 3, 9, 2))
    clock.set(sh(2026, 12, 3, 9, 5))
    now = clock.ms()
    # Two messages given up: the newer give-up (by its last attempt) has the lower id.
    await outbox_row(bot, "dead-1", DEAD, 6, now - 180 * MINUTE, now - 60 * MINUTE, "errcode 40003 invalid userid")  # fmt: skip
    await outbox_row(bot, "dead-2", DEAD, 6, now - 300 * MINUTE, now - 120 * MINUTE, "errcode 60011 no privilege")  # fmt: skip
    # One reply the platform refused twice, waiting for its next try tomorrow.
    await outbox_row(bot, "retry-1", PENDING, 2, now - 15 * MINUTE, now + 1440 * MINUTE, "errcode 45009 api freq out of limit")  # fmt: skip
    # A message whose handling failed once, waiting for its retry (another user: not in the way).
    await rt.db.execute(
        "INSERT INTO inbox (platform, app, dedupe_key, user_key, kind, payload, status, attempts, "
        "available_at, lease_until, received_at, error) "
        "VALUES ('test', 'test', 'waiting-1', 'test:test:wu.fang', 'text', ?, 0, 1, ?, 0, ?, ?)",
        bot.channel.text_event("wu.fang", "明天拜访华东机械").to_json(),
        now + 1440 * MINUTE,
        now - 4 * MINUTE,
        "handler timed out",
    )
    past = clock.now() - timedelta(hours=1)
    await Approval.create(template="t", requester_id="zhang.wei", title="a", sla_due_at=past)
    await Approval.create(
        template="t", requester_id="zhang.wei", title="b", sla_due_at=past, status="approved"
    )
    await Approval.create(
        template="t", requester_id="zhang.wei", title="c", sla_due_at=past + timedelta(hours=2)
    )

    await bot.say("lin.feng", "/状态")
    (sent,) = await bot.next_sent()
    assert isinstance(sent.reply, Markdown)
    assert sent.reply.text.splitlines() == [
        "**机器人状态**",
        f"- 版本：{VERSION}",
        "- 已运行：5 分钟",
        "- 收件箱：2 条待处理，最久已等 4 分钟",  # the waiting message and this /状态 itself
        "- 发件箱：1 条待发送，最久已等 15 分钟",
        "- 发送重试中：1 条",
        "- 已放弃发送：2 条，最近原因：errcode 40003 invalid userid。"
        "修复原因后运行 salesbot outbox retry 重新发送",
        "- 超过时限的待审批：1 件",
        "- 定时任务：时钟已关闭；审批时限提醒与超时升级 3 分钟前开始，比计划晚 2 分钟",
        "- 语音识别：模型未加载（收到第一条语音时加载）",
        "- 最近发送错误：15 分钟前排队发给 test:wu.fang 的消息，已试 2 次，重试中："
        "errcode 45009 api freq out of limit",
        # December: next year's notice is due, and chinese-calendar stops at 2026.
        "- 工作日历：2027 年没有法定节假日数据：请在 config.yaml 的 calendar.holidays / "
        "calendar.workdays 中按国务院通知填写，目前按普通周末计算。",
    ]
    # /metrics reads the same figures, once the /状态 reply's own row is marked sent (the test
    # channel hands it over a moment before the sender records it).
    assert bot.client is not None
    client = bot.client
    expected = (
        "salesbot_outbox_depth 1.0",
        "salesbot_outbox_oldest_age_seconds 900.0",
        "salesbot_outbox_retrying 1.0",
        "salesbot_outbox_given_up 2.0",
        "salesbot_approvals_past_sla 1.0",
        'salesbot_scheduler_lag_seconds{job="approval_sla"} 120.0',
    )

    async def exposed() -> bool:
        lines = (await (await client.get("/metrics")).text()).splitlines()
        return all(line in lines for line in expected)

    await eventually(exposed, within=10, every=0.05)


async def test_only_admins_may_ask(bot: Harness) -> None:
    await bot.say("zhang.wei", "/status")
    (sent,) = await bot.next_sent()
    assert sent.reply == Text("你的角色（销售）不能使用 /状态。发送 /帮助 查看你可以使用的命令。")


def quiet(**changes: object) -> OpsStatus:
    figures: dict[str, object] = {
        "inbox_depth": 0,
        "inbox_oldest_age_s": 0.0,
        "outbox_depth": 0,
        "outbox_oldest_age_s": 0.0,
        "approvals_past_sla": 0,
        "outbox_retrying": 0,
        "outbox_given_up": 0,
        "last_give_up_reason": None,
        "last_failure": None,
        "jobs": (),
        **changes,
    }
    return OpsStatus(**figures)  # type: ignore[arg-type]


def test_a_quiet_bot_reads_none_everywhere() -> None:
    figures = StatusFigures("1.2.3", None, T0, quiet(), asr=None)
    assert status_text(figures).splitlines()[1:] == [
        "- 已运行：尚未就绪",
        "- 收件箱：无待处理",
        "- 发件箱：无待发送",
        "- 发送重试中：无",
        "- 已放弃发送：无",
        "- 超过时限的待审批：无",
        "- 定时任务：尚无运行记录",
        "- 语音识别：未启用",
        "- 最近发送错误：无",
        "- 工作日历：节假日数据齐全",
    ]


def test_a_busy_bot_with_a_long_error_a_late_job_and_voice_notes() -> None:
    now = datetime(2026, 12, 4, 1, 3, tzinfo=UTC)
    now_ms = int(now.timestamp() * 1000)
    failure = DeliveryFailure("wecom", "ZhangWei", "x" * 200, 8, True, now_ms - 26 * 3600_000)
    jobs = (
        JobLag("deliver", now_ms - 20_000, 0.4, False),
        JobLag("digest", now_ms - 3 * 3600_000, 7260.0, True),
    )
    metrics = Metrics()  # the observer AsrService reports to; /状态 reads the same numbers
    for audio_s, took_s in ((10.0, 2.0), (20.0, 6.0)):
        metrics.asr_started()
        metrics.asr_finished("bundled", audio_s, took_s)
    metrics.asr_started()
    metrics.asr_finished("platform", 30.0, 0.01)  # DingTalk's transcript: no recognition time
    metrics.asr_started()  # one note being transcribed now
    asr = AsrFigures(True, 2, metrics.asr_waiting, metrics.asr_recent_rtf())
    labels = {"deliver": "发送到期的推送（免打扰后合并发送）", "digest": "每日待办摘要"}
    ops = quiet(last_failure=failure, jobs=jobs, outbox_given_up=1, last_give_up_reason="y" * 130)
    text = status_text(StatusFigures("1.2.3", now - timedelta(days=1, minutes=3), now, ops, asr, True, labels))  # fmt: skip
    lines = text.splitlines()
    assert lines[1] == "- 已运行：1 天"
    assert lines[5] == f"- 已放弃发送：1 条，最近原因：{'y' * 120}…。修复原因后运行 salesbot outbox retry 重新发送"  # fmt: skip
    assert lines[7] == "- 定时任务：发送到期的推送 刚刚开始，准时；最晚：每日待办摘要 比计划晚 2 小时 1 分钟（补跑）"  # fmt: skip
    assert lines[8] == "- 语音识别：排队 1 条（2 个识别进程），最近实时率 0.25×实时（近 2 条）"
    assert lines[9] == f"- 最近发送错误：1 天 2 小时前排队发给 wecom:ZhangWei 的消息，已试 8 次，已放弃：{'x' * 120}…"  # fmt: skip


def test_durations_read_as_people_say_them() -> None:
    spans = [span_text(s) for s in (0, 45, 60, 3599, 3600, 7500, 86_400, 90_000)]
    assert spans == ["0 秒", "45 秒", "1 分钟", "59 分钟", "1 小时", "2 小时 5 分钟", "1 天", "1 天 1 小时"]  # fmt: skip
