"""Next-action reminders at their due time, and the morning digest of each person's day."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from bot.jobs import JobRun, Push
from scheduler.jobs import OFFSET_SLACK
from scheduler.pushes import ms
from storage.models import Task
from storage.status import TaskStatus

LOOKBACK = timedelta(days=7)  # older unreminded tasks are in the digest, not pushed one by one
LATE_AFTER = timedelta(minutes=5)  # a reminder this far past its time says so


def local_text(at: datetime, tz: ZoneInfo) -> str:
    local = at.astimezone(tz)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def reminder_text(
    title: str, client: str | None, due: datetime, now: datetime, tz: ZoneInfo
) -> str:
    about = f"（{client}）" if client else ""
    text = f"⏰ 待办到期：{title}{about}，截止 {local_text(due, tz)}"
    if now - due > LATE_AFTER:
        text += "（补发提醒）"  # due while the bot was down or the reminder held back
    return text


async def remind_due_tasks(run: JobRun, config: AppConfig) -> None:
    """Every open task due by now and not yet reminded (a postponed task is reminded again)."""
    tz = ZoneInfo(config.timezone)
    rows = await Task.filter(
        status=TaskStatus.open,
        due_at__lte=run.now + OFFSET_SLACK,
        due_at__gt=run.now - LOOKBACK - OFFSET_SLACK,
        reminded_at__isnull=True,
    ).values_list("id", "assignee_id", "title", "due_at", "client__name")
    for task_id, assignee, title, due, client in rows:
        if not run.now - LOOKBACK < due <= run.now:
            continue
        run.push(
            Push(
                f"reminder:{task_id}:{ms(due)}",
                assignee,
                "reminder",
                reminder_text(title, client, due, run.now, tz),
                task_id=task_id,
                due_at=due,
            )
        )


async def morning_digest(run: JobRun, config: AppConfig) -> None:
    """One message per person with open tasks due today or overdue (working days only)."""
    tz = ZoneInfo(config.timezone)
    today = run.now.astimezone(tz).date()
    end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=tz)
    start = datetime.combine(today, time(0), tzinfo=tz)
    rows = (
        await Task.filter(status=TaskStatus.open, due_at__lt=end + OFFSET_SLACK)
        .order_by("id")
        .values_list("assignee_id", "title", "due_at", "client__name")
    )
    by_person: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for assignee, title, due, client in sorted(rows, key=lambda r: r[2]):
        if due >= end:
            continue
        about = f"（{client}）" if client else ""
        today_items, overdue = by_person[assignee]
        if due >= start:
            today_items.append(f"{due.astimezone(tz):%H:%M} {title}{about}")
        else:
            overdue.append(f"{title}{about}，原定 {local_text(due, tz)}")
    for person_id, (today_items, overdue) in sorted(by_person.items()):
        lines = [f"早上好！今天（{today.month}月{today.day}日）的待办："]
        lines += [f"{i}. {item}" for i, item in enumerate(today_items, 1)] or [
            "今天没有到期的待办。"
        ]
        if overdue:
            lines.append(f"已逾期 {len(overdue)} 项：")
            lines += [f"- {item}" for item in overdue[:10]]
            if len(overdue) > 10:
                lines.append(f"……还有 {len(overdue) - 10} 项")
        lines.append("发送 /待办 查看全部，/推迟 任务 明天 可顺延。")
        run.push(
            Push(f"digest:{person_id}:{today.isoformat()}", person_id, "digest", "\n".join(lines))
        )
