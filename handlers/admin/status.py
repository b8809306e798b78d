"""The /状态 report as plain data and text (no I/O, so it tests without a bot).

Every figure comes from ``bot/opstatus.read_status`` (the database, as /metrics reads it) or from
``Metrics`` (what only this process knows: the ASR queue and real-time factor); this module only
words them for a phone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.opstatus import DeliveryFailure, JobLag, OpsStatus
from bot.pipeline.giveup import RETRY_HINT

ERROR_CHARS = 120  # a platform error is one line in chat; the full text is in the outbox row


@dataclass(frozen=True)
class AsrFigures:
    loaded: bool
    workers: int
    waiting: int  # being transcribed or waiting for a worker
    recent_rtf: tuple[float, int] | None  # mean real-time factor, over how many notes


@dataclass(frozen=True)
class StatusFigures:
    version: str
    started_at: datetime | None
    now: datetime
    ops: OpsStatus
    asr: AsrFigures | None  # None: voice notes are not enabled
    clock_on: bool = True  # config schedules.enabled: the scheduler ticks by itself
    job_labels: Mapping[str, str] = field(default_factory=dict)
    calendar_gaps: tuple[str, ...] = ()  # WorkCalendar.gaps: years without holiday data


def span_text(seconds: float) -> str:
    """A duration as people say it: 45 秒, 3 分钟, 2 小时 5 分钟, 1 天 3 小时."""
    total = max(int(seconds), 0)
    if total < 60:
        return f"{total} 秒"
    days, rest = divmod(total, 86_400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days:
        return f"{days} 天 {hours} 小时" if hours else f"{days} 天"
    if hours:
        return f"{hours} 小时 {minutes} 分钟" if minutes else f"{hours} 小时"
    return f"{minutes} 分钟"


def ago_text(seconds: float) -> str:
    return "刚刚" if seconds < 60 else f"{span_text(seconds)}前"


def waited_text(seconds: float) -> str:
    return "不到 1 分钟" if seconds < 60 else span_text(seconds)


def uptime_text(started_at: datetime | None, now: datetime) -> str:
    if started_at is None:
        return "尚未就绪"
    return span_text(max(now - started_at, timedelta(0)).total_seconds())


def queue_text(depth: int, oldest_s: float, verb: str) -> str:
    if depth == 0:
        return f"无{verb}"
    return f"{depth} 条{verb}，最久已等 {waited_text(oldest_s)}"


def short(error: str) -> str:
    return error if len(error) <= ERROR_CHARS else error[:ERROR_CHARS] + "…"


def given_up_text(count: int, reason: str | None) -> str:
    if count == 0:
        return "无"
    why = f"，最近原因：{short(reason)}" if reason else ""
    return f"{count} 条{why}。{RETRY_HINT}"


def failure_text(failure: DeliveryFailure | None, now_ms: int) -> str:
    if failure is None:
        return "无"
    queued = ago_text((now_ms - failure.created_ms) / 1000)
    state = "已放弃" if failure.given_up else "重试中"
    return (
        f"{queued}排队发给 {failure.platform}:{failure.recipient} 的消息，"
        f"已试 {failure.attempts} 次，{state}：{short(failure.error)}"
    )


def job_text(figures: StatusFigures, now_ms: int) -> str:
    def name(job: JobLag) -> str:
        label = figures.job_labels.get(job.name, job.name)
        return label.split("（")[0]  # the gist; `salesbot jobs list` has the whole label

    def lag(job: JobLag) -> str:
        late = "准时" if job.lag_s < 1 else f"比计划晚 {span_text(job.lag_s)}"
        return late + ("（补跑）" if job.late else "")

    ops = figures.ops
    last, worst = ops.last_job, ops.most_late_job
    off = "" if figures.clock_on else "时钟已关闭；"
    if last is None or worst is None:
        return off + "尚无运行记录"
    text = f"{off}{name(last)} {ago_text((now_ms - last.started_ms) / 1000)}开始，{lag(last)}"
    if worst.name != last.name and worst.lag_s >= 1 and worst.lag_s > last.lag_s:
        text += f"；最晚：{name(worst)} {lag(worst)}"
    return text


def asr_text(asr: AsrFigures | None) -> str:
    if asr is None:
        return "未启用"
    if not asr.loaded:
        return "模型未加载（收到第一条语音时加载）"
    text = f"排队 {asr.waiting} 条（{asr.workers} 个识别进程）"
    if asr.recent_rtf is None:
        return text + "，尚无识别记录"
    factor, notes = asr.recent_rtf
    return text + f"，最近实时率 {factor:.2f}×实时（近 {notes} 条）"


def calendar_text(gaps: tuple[str, ...]) -> str:
    return "；".join(g.rstrip("。") for g in gaps) + "。" if gaps else "节假日数据齐全"


def status_text(figures: StatusFigures) -> str:
    ops, now_ms = figures.ops, int(figures.now.timestamp() * 1000)
    late = f"{ops.approvals_past_sla} 件" if ops.approvals_past_sla else "无"
    retrying = f"{ops.outbox_retrying} 条" if ops.outbox_retrying else "无"
    return "\n".join(
        [
            f"- 版本：{figures.version}",
            f"- 已运行：{uptime_text(figures.started_at, figures.now)}",
            f"- 收件箱：{queue_text(ops.inbox_depth, ops.inbox_oldest_age_s, '待处理')}",
            f"- 发件箱：{queue_text(ops.outbox_depth, ops.outbox_oldest_age_s, '待发送')}",
            f"- 发送重试中：{retrying}",
            f"- 已放弃发送：{given_up_text(ops.outbox_given_up, ops.last_give_up_reason)}",
            f"- 超过时限的待审批：{late}",
            f"- 定时任务：{job_text(figures, now_ms)}",
            f"- 语音识别：{asr_text(figures.asr)}",
            f"- 最近发送错误：{failure_text(ops.last_failure, now_ms)}",
            f"- 工作日历：{calendar_text(figures.calendar_gaps)}",
        ]
    )
