"""`salesbot jobs list` and `salesbot jobs run NAME [--now ISO8601] [--dry-run]` for operators.

``run`` executes one job in this process as of ``--now`` (default: now): its pushes are stored
like a tick's (once, by key) and the running bot delivers them after quiet hours; with
``--dry-run`` it stores nothing and prints one line per push: ``<time> → <name>（<role>）: <text>``.
The ``deliver`` job only runs inside the bot (it sends through the channels); its dry run shows
what the next delivery would send.
"""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.app import Runtime, build_runtime
from bot.config.models import AppConfig
from bot.config.org import ROLE_LABELS
from bot.jobs import JobRun
from bot.pipeline.context import Context
from scheduler.clock import job_event, schedule_of
from scheduler.pushes import Planned
from scheduler.runner import JobRunner
from scheduler.schedule import next_slot
from scheduler.state import states
from storage.migrate import pending_migrations

TIME = "%Y-%m-%d %H:%M"


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    with_config: Callable[..., argparse.ArgumentParser],
) -> None:
    jobs = sub.add_parser("jobs", help="定时任务：查看计划、手动运行")
    jsub = jobs.add_subparsers(dest="jobs_command", required=True)
    with_config(jsub.add_parser("list", help="每个任务的计划、上次和下次运行时间"))
    run = with_config(jsub.add_parser("run", help="按给定时间运行一个任务"))
    run.add_argument("name", help="任务名，见 salesbot jobs list")
    run.add_argument("--now", help="按这个时间运行（ISO 8601，不带时区按配置的 timezone）")
    run.add_argument("--dry-run", action="store_true", help="只打印谁会收到什么，不写入、不发送")


def parse_now(text: str | None, tz: ZoneInfo, now: datetime) -> datetime:
    if not text:
        return now
    at = datetime.fromisoformat(text)
    return at if at.tzinfo is not None else at.replace(tzinfo=tz)


def push_line(planned: Planned, rt: Runtime, tz: ZoneInfo) -> str:
    push = planned.push
    person = rt.directory.get(push.person_id)
    who = f"{person.name}（{ROLE_LABELS[person.role]}）" if person else push.person_id
    text = " / ".join(line.strip() for line in push.text.splitlines() if line.strip())
    return f"{planned.deliver_at.astimezone(tz):{TIME}} → {who}: {text}"


def width(text: str) -> int:
    """Terminal columns: CJK characters (wide or fullwidth, like「补跑」and its brackets) take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def columns(rows: Sequence[Sequence[str]], gap: int = 2) -> list[str]:
    """Rows as aligned columns, each as wide as its widest value plus ``gap``; the last unpadded."""
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        "".join(cell + " " * (w - width(cell) + gap) for cell, w in zip(row, widths, strict=False))
        + row[-1]
        for row in rows
    ]


async def _open(config: AppConfig) -> Runtime:
    rt = build_runtime(config)
    await rt.db.open()
    if await pending_migrations(rt.db):
        await rt.db.close()
        raise SystemExit("数据库结构不是最新：请先运行 salesbot migrate")
    return rt


async def list_jobs(config: AppConfig, now: datetime) -> list[str]:
    rt = await _open(config)
    tz = ZoneInfo(config.timezone)
    try:
        known = await states(rt.db)
    finally:
        await rt.db.close()
    assert rt.scheduler is not None
    rows = [["任务", "计划", "上次运行", "下次运行", "说明"]]
    for spec in rt.scheduler.specs:
        schedule = schedule_of(config, spec)
        state = known.get(spec.name)
        last = state.last_run_at if state else None
        last_text = f"{last.astimezone(tz):{TIME}}" if last else "—"
        if state and state.last_late and last:
            last_text += "（补跑）"
        nxt = f"{next_slot(schedule, now, tz).astimezone(tz):{TIME}}"
        if not config.schedules.enabled:
            nxt = "（时钟已关闭）"
        extra = "，仅工作日" if spec.working_days_only else ""
        rows.append([spec.name, schedule, last_text, nxt, spec.label + extra])
    return columns(rows)


async def run_job(config: AppConfig, name: str, now: datetime, *, dry_run: bool) -> list[str]:
    rt = await _open(config)
    tz = ZoneInfo(config.timezone)
    try:
        handler = rt.dispatcher.job(name)
        if handler is None:
            names = "、".join(rt.dispatcher.job_names)
            raise SystemExit(f"没有任务 {name}。可用的任务：{names}")
        if name == "deliver" and not dry_run:
            raise SystemExit(
                "deliver 只在运行中的机器人里执行（每分钟）；用 --dry-run 查看将要发送的内容"
            )
        runner = rt.dispatcher.jobs
        assert isinstance(runner, JobRunner)
        ctx = Context(
            event=job_event(name, now, now, tz, late=False),
            config=rt.config,
            directory=rt.directory,
            services=rt.services,
            outbox=rt.outbox,
            inbox_id=0,
        )
        run = JobRun(name, now, now.astimezone(UTC), dry_run=dry_run)
        spec = runner.specs[name]
        if spec.working_days_only and not runner.calendar.is_working_day(now.astimezone(tz).date()):
            return [f"{now.astimezone(tz):%Y-%m-%d} 不是工作日，{name} 不运行"]
        planned = await runner.execute(ctx, handler, run)
    finally:
        await rt.db.close()
    lines = [push_line(p, rt, tz) for p in planned]
    if dry_run:
        lines.append(f"（演练：{len(planned)} 条推送，未写入、未发送）")
    else:
        lines.append(f"已写入 {len(planned)} 条新推送，运行中的机器人会按免打扰规则发送")
    return lines


def run(args: argparse.Namespace) -> int:
    import asyncio

    from bot.cli import _config_path, load_or_exit

    config = load_or_exit(_config_path(args))
    tz = ZoneInfo(config.timezone)
    now = datetime.now(UTC)
    if args.jobs_command == "list":
        lines = asyncio.run(list_jobs(config, now))
    else:
        at = parse_now(args.now, tz, now)
        lines = asyncio.run(run_job(config, args.name, at, dry_run=args.dry_run))
    print("\n".join(lines))
    return 0
