"""`/待办`, `/推迟 <任务> <时间>`, and 完成 / 推迟 on reminder cards."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config.models import AppConfig
from bot.config.org import Person
from bot.pipeline.commands import CommandInvocation
from bot.pipeline.context import Context
from bot.pipeline.router import Router
from bot.pipeline.taps import Tap, TapResult
from bot.replies import CardUpdate, Text
from handlers.reminders.cards import Op, ReminderTap, after_tap
from handlers.shared.workcal import WorkCalendar
from nlp.extract.dates import find_times
from nlp.intent import Topic
from scheduler.jobs.reminders import local_text
from storage.models import Task
from storage.status import CardStatus, TaskStatus, moved

router = Router("reminders")

VIEW, POSTPONE, ACT = "reminders.view", "reminders.postpone", "reminders.act"
DEFAULT_TIME = time(9, 0)  # a task postponed to a day, with no time said and none before
USAGE = "用法：/推迟 任务序号或名称 时间，例如 /推迟 1 明天、/推迟 发送方案 下周一"


async def open_tasks(person_id: str) -> list[Task]:
    """Open tasks in the order /待办 numbers them: by due time, undated last."""
    tasks = await Task.filter(assignee_id=person_id, status=TaskStatus.open).prefetch_related(
        "client"
    )
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(tasks, key=lambda t: (t.due_at or far, t.id))


def task_line(n: int, task: Task, now: datetime, tz: ZoneInfo) -> str:
    client = f"（{task.client.name}）" if task.client_id and task.client else ""
    if task.due_at is None:
        return f"{n}. {task.title}{client}"
    overdue = "（已逾期）" if task.due_at < now else ""
    return f"{n}. {local_text(task.due_at, tz)} {task.title}{client}{overdue}"


@router.command(
    "待办",
    "todo",
    "tasks",
    summary="查看我的待办事项",
    usage="/待办",
    permission=VIEW,
    group="待办",
)
async def list_tasks(ctx: Context, person: Person, clock: Clock, config: AppConfig) -> None:
    await answer_tasks(ctx, person, clock, config)


@router.request(Topic.tasks, permission=VIEW)
async def tasks_request(ctx: Context, person: Person, clock: Clock, config: AppConfig) -> None:
    """ "我今天有什么要跟进的": the same list as /待办."""
    await answer_tasks(ctx, person, clock, config)


async def answer_tasks(ctx: Context, person: Person, clock: Clock, config: AppConfig) -> None:
    tz = ZoneInfo(config.timezone)
    tasks = await open_tasks(person.id)
    if not tasks:
        ctx.reply(Text("你目前没有未完成的待办。"))
        return
    now = clock.now()
    lines = [f"你的待办（{len(tasks)} 项）："]
    lines += [task_line(n, t, now, tz) for n, t in enumerate(tasks, 1)]
    lines.append("推迟：/推迟 序号 明天")
    ctx.reply(Text("\n".join(lines)))


def postponed_due(task: Task, day: date, at: time | None, tz: ZoneInfo) -> datetime:
    keep = task.due_at.astimezone(tz).time() if task.due_at is not None else DEFAULT_TIME
    return datetime.combine(day, at or keep, tzinfo=tz)


async def postpone(task: Task, due: datetime) -> None:
    # reminded_at cleared: the reminder job reminds it again at its new time.
    await Task.filter(id=task.id).update(due_at=due.astimezone(UTC), reminded_at=None)
    task.due_at, task.reminded_at = due, None


@router.command(
    "推迟",
    "postpone",
    summary="推迟一项待办，例如 /推迟 1 明天",
    usage="/推迟 任务 时间",
    permission=POSTPONE,
    group="待办",
)
async def postpone_task(
    ctx: Context,
    person: Person,
    command: CommandInvocation,
    clock: Clock,
    config: AppConfig,
    calendar: WorkCalendar,
) -> None:
    tz = ZoneInfo(config.timezone)
    now = clock.now()
    args = command.args.strip()
    times = find_times(args, now.astimezone(tz), [], calendar.after_holiday)
    mention = times[-1] if times else None
    what = (args[: mention.start] + args[mention.end :]).strip() if mention else args
    if not what:
        ctx.reply(Text(USAGE))
        return
    tasks = await open_tasks(person.id)
    if what.isdecimal():
        n = int(what)
        found = [tasks[n - 1]] if 1 <= n <= len(tasks) else []
    else:
        found = [t for t in tasks if what in t.title or (t.client and what in t.client.name)]
    if not found:
        ctx.reply(Text(f"没有找到待办“{what}”。发送 /待办 查看序号。"))
        return
    if len(found) > 1:
        names = "、".join(t.title for t in found[:5])
        ctx.reply(Text(f"有多项待办符合“{what}”：{names}。请用 /待办 里的序号。"))
        return
    task = found[0]
    local_now = now.astimezone(tz)
    day = mention.day if mention else local_now.date() + timedelta(days=1)
    due = postponed_due(task, day, mention.at.time() if mention and mention.at else None, tz)
    if due <= now:
        ctx.reply(Text(f"“{mention.text if mention else '明天'}”已经过去了，请换一个以后的时间。"))
        return
    await postpone(task, due)
    ctx.reply(Text(f"已推迟：{task.title}，新的时间 {local_text(due, tz)}，到时再提醒你。"))


@router.tap(ReminderTap, ACT, permission=ACT)
async def act_on_reminder(
    ctx: Context, tap: Tap[ReminderTap], clock: Clock, config: AppConfig
) -> TapResult:
    tz = ZoneInfo(config.timezone)
    action = tap.action
    task = await Task.get_or_none(id=action.task)
    if task is None or task.assignee_id != tap.person.id:
        ctx.reply(Text("这项待办已不存在。"))
        return TapResult()
    if task.status == TaskStatus.cancelled:
        outcome = f"“{task.title}”已取消"
    elif task.status == TaskStatus.done:  # 完成 on another card, or before this card was tapped
        outcome = f"“{task.title}”已经完成了" + ("，不用推迟" if action.op is Op.later else "")
    elif action.op is Op.done:
        await Task.filter(id=task.id, status=task.status).update(
            status=moved(TaskStatus, task.status, TaskStatus.done)
        )
        outcome = f"✅ 已完成：{task.title}"
    else:
        local = clock.now().astimezone(tz)
        due = postponed_due(task, local.date() + timedelta(days=1), None, tz)
        await postpone(task, due)
        outcome = f"⏰ 已推迟到 {local_text(due, tz)}：{task.title}"
    card = after_tap(tap.card, task.id, outcome)
    ctx.reply(Text(outcome), CardUpdate(tap.instance.id))  # the tapped task's buttons go
    return TapResult(
        card=card,
        status=CardStatus.closed if card.closed else None,
        audit={"task": task.id, "op": str(action.op)},
    )
