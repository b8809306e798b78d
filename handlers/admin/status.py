"""The /状态 report as plain data and text (no I/O, so it tests without a bot)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.pipeline.outbox import DeliveryFailure

ERROR_CHARS = 120  # a platform error is one line in chat; the full text is in the outbox row


@dataclass(frozen=True)
class StatusFigures:
    version: str
    started_at: datetime | None
    inbox_depth: int
    last_failure: DeliveryFailure | None
    asr_in_flight: int
    asr_loaded: bool
    asr_workers: int
    undeliverable: int = 0  # messages given up and not re-queued


def undeliverable_text(count: int) -> str:
    if count == 0:
        return "无"
    return f"{count} 条（排除原因后运行 salesbot outbox retry 重新发送）"


def uptime_text(started_at: datetime | None, now: datetime) -> str:
    if started_at is None:
        return "尚未就绪"
    left = max(now - started_at, timedelta(0))
    days, rest = divmod(int(left.total_seconds()), 86_400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days} 天"] if days else []
    if days or hours:
        parts.append(f"{hours} 小时")
    parts.append(f"{minutes} 分钟")
    return " ".join(parts)


def failure_text(failure: DeliveryFailure | None, tz: ZoneInfo) -> str:
    if failure is None:
        return "无"
    when = datetime.fromtimestamp(failure.created_ms / 1000, UTC).astimezone(tz)
    state = "已放弃" if failure.given_up else f"重试中（已试 {failure.attempts} 次）"
    error = (
        failure.error if len(failure.error) <= ERROR_CHARS else failure.error[:ERROR_CHARS] + "…"
    )
    return f"{when:%m-%d %H:%M} 发给 {failure.platform}:{failure.recipient} 的消息{state}：{error}"


def status_text(figures: StatusFigures, now: datetime, tz: ZoneInfo) -> str:
    asr = (
        f"{figures.asr_in_flight} 条语音在识别或排队（{figures.asr_workers} 个识别进程）"
        if figures.asr_loaded
        else "模型未加载（收到第一条语音时加载）"
    )
    return "\n".join(
        [
            f"- 版本：{figures.version}",
            f"- 已运行：{uptime_text(figures.started_at, now)}",
            f"- 待处理消息：{figures.inbox_depth} 条",
            f"- 最近一次发送失败：{failure_text(figures.last_failure, tz)}",
            f"- 已放弃发送：{undeliverable_text(figures.undeliverable)}",
            f"- 语音识别：{asr}",
        ]
    )
