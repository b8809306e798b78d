"""Next-action reminders at their due time, and the morning digest of each person's day."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from bot.jobs import JobRun, Push
from handlers.shared.workcal import WorkCalendar
from scheduler.jobs import OFFSET_SLACK
from scheduler.pushes import ms
from scheduler.quiet import deliver_at
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


def digest_too_late(run: JobRun, config: AppConfig, calendar: WorkCalendar) -> bool:
    """Would this digest reach people only after its day's working hours (or on a later day)?

    A digest is about one day, its slot's. Run late — the bot was down over 08:30 — it is still
    worth sending while that working day lasts, marked late. Back at 22:00 it would sit out quiet
    hours and arrive tomorrow morning as "今天（昨天的日期）的待办", just before tomorrow's own
    digest, which lists the same open tasks (now overdue): a rep wants the second, not both. So it
    is skipped; so is a run whose day has passed altogether (back on Friday for Thursday's slot).
    Only catch-up runs are judged: an operator's `salesbot jobs run digest` at 19:00 means it.
    """
    tz = ZoneInfo(config.timezone)
    day = run.slot.astimezone(tz).date()
    s = config.schedules
    arrives = deliver_at(
        run.now, urgent="digest" in s.urgent, quiet=s.quiet_hours, calendar=calendar, tz=tz
    )
    return arrives >= datetime.combine(day, config.calendar.work_hours.end_time, tzinfo=tz)


async def morning_digest(run: JobRun, config: AppConfig, calendar: WorkCalendar) -> None:
    """One message per person with open tasks due on the slot's day or overdue (working days
    only); "today" is the slot's day, not the run's, and a catch-up too late for it sends
    nothing."""
    if run.late and digest_too_late(run, config, calendar):
        return
    tz = ZoneInfo(config.timezone)
    today = run.slot.astimezone(tz).date()
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
    day = f"今天（{today.month}月{today.day}日）的待办"
    header = f"早上好！{day}："
    if run.late:  # caught up after downtime: say so, and when it was due
        header = f"{day}（补发，原定 {run.slot.astimezone(tz):%H:%M}）："
    for person_id, (today_items, overdue) in sorted(by_person.items()):
        lines = [header]
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
