"""Run one job: for a tick from the inbox (via the dispatcher) or by hand (``salesbot jobs run``).

The job's coroutine plans pushes on its ``JobRun``; the runner stores them (once, by key) and
records the run in ``job_runs``. A dry run stores nothing and returns what would be sent. When a
tick stored pushes that may go out now, the runner asks for a ``deliver`` run of the same slot at
once (key ``job:deliver:<slot>:after:<job>``): otherwise a reminder stored just after the minute's
own deliver run would wait for the next minute.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.events import JobEvent
from bot.jobs import JobRun, JobSpec
from bot.pipeline.context import Context
from bot.pipeline.inbox import Inbox
from bot.pipeline.router import Handler
from handlers.shared.workcal import WorkCalendar
from scheduler.clock import job_event
from scheduler.pushes import Planned, PushStore
from scheduler.state import note_run
from storage.db import Database

DELIVER = "deliver"


def parse_slot(key: str, tz: ZoneInfo) -> datetime:
    return datetime.fromisoformat(key).replace(tzinfo=tz)


class JobRunner:
    def __init__(
        self,
        specs: dict[str, JobSpec],
        pushes: PushStore,
        calendar: WorkCalendar,
        db: Database,
        clock: Clock,
        inbox: Inbox | None = None,
    ) -> None:
        self.inbox = inbox
        self.specs = specs
        self.pushes = pushes
        self.calendar = calendar
        self.db = db
        self.clock = clock
        self.tz = pushes.tz

    async def run(self, ctx: Context, handler: Handler) -> None:
        """The dispatcher's entry: a ``JobEvent`` from the inbox."""
        event = ctx.event
        assert isinstance(event, JobEvent)
        run = JobRun(
            event.job,
            parse_slot(event.slot, self.tz),
            datetime.fromisoformat(event.as_of).astimezone(UTC),
            late=event.late,
        )
        # The start, not the end, is recorded: start minus slot is how late the work began
        # (queueing, a restart): salesbot_scheduler_lag_seconds and /状态 read it (bot/opstatus.py).
        started = self.clock.now()
        stored = await self.execute(ctx, handler, run)
        await note_run(self.db, run.name, run.slot, started, run.late)
        due_now = any(p.deliver_at <= run.now for p in stored)
        if due_now and self.inbox is not None and DELIVER in self.specs and run.name != DELIVER:
            await self.inbox.put(
                job_event(DELIVER, run.slot, run.now, self.tz, late=False, after=run.name)
            )

    async def execute(self, ctx: Context, handler: Handler, run: JobRun) -> list[Planned]:
        spec = self.specs.get(run.name)
        day = run.slot.astimezone(self.tz).date()
        if spec is not None and spec.working_days_only and not self.calendar.is_working_day(day):
            return []
        ctx.job = run
        await handler(ctx)
        if run.dry_run:
            return self.pushes.plan(run.pushes, run.now)
        new = set(await self.pushes.store(run.pushes, run.now))
        return [p for p in self.pushes.plan(run.pushes, run.now) if p.push.key in new]
