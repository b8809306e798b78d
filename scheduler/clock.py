"""The clock: APScheduler ticks each job's schedule and stores the tick in the inbox. Nothing more.

The work happens in the ordinary workers (bot/pipeline/worker.py), so a tick gets their retries,
leases and outbox, and the inbox's unique ``(platform, dedupe_key)`` with the key
``job:<name>:<slot>`` makes every slot run once however many replicas tick it. On start, each job's
latest slot since the one last ticked (``job_runs``) is stored too, marked late: a 08:30 digest
missed while the bot was down goes out when it returns. Only the latest missed slot is caught up
(what APScheduler calls coalescing): every job reads the state it acts on as of its run, so one
late run covers all the slots it missed. A job never seen before starts from now, with no catch-up.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.config.models import AppConfig
from bot.events import JobEvent
from bot.jobs import JobSpec
from bot.pipeline.inbox import Inbox
from scheduler.schedule import latest_slot, slot_key, trigger
from scheduler.state import note_slot, states
from storage.db import Database

log = logging.getLogger(__name__)

PLATFORM, APP = "job", "scheduler"


def schedule_of(config: AppConfig, spec: JobSpec) -> str:
    value = getattr(config.schedules, spec.schedule, None)
    if not isinstance(value, str):
        raise ValueError(f"job '{spec.name}': schedules.{spec.schedule} is not a schedule")
    return value


def job_event(
    name: str, slot: datetime, as_of: datetime, tz: ZoneInfo, *, late: bool, after: str = ""
) -> JobEvent:
    """The tick of ``name`` for ``slot``; ``after`` names the job whose run asked for an extra one."""
    key = slot_key(slot, tz)
    return JobEvent(
        platform=PLATFORM,
        app=APP,
        user_id=name,
        msg_id=uuid.uuid4().hex,
        dedupe_key=f"job:{name}:{key}" + (f":after:{after}" if after else ""),
        time=slot,
        job=name,
        slot=key,
        as_of=as_of.isoformat(),
        late=late,
    )


class JobClock:
    def __init__(
        self,
        specs: Sequence[JobSpec],
        config: AppConfig,
        inbox: Inbox,
        db: Database,
        clock: Clock,
    ) -> None:
        self.specs = list(specs)
        self.config = config
        self.inbox = inbox
        self.db = db
        self.clock = clock
        self.tz = ZoneInfo(config.timezone)
        self._scheduler: AsyncIOScheduler | None = None
        for spec in self.specs:  # a wrong schedule name fails at startup, not at the first tick
            schedule_of(config, spec)

    async def start(self) -> None:
        if not self.config.schedules.enabled or not self.specs:
            return
        await self.catch_up(self.clock.now())
        scheduler = AsyncIOScheduler(timezone=self.tz)
        for spec in self.specs:
            scheduler.add_job(
                self.tick,
                trigger(schedule_of(self.config, spec), self.tz),
                args=(spec.name,),
                id=spec.name,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=None,
            )
        scheduler.start()
        self._scheduler = scheduler

    async def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None

    def _spec(self, name: str) -> JobSpec:
        return next(s for s in self.specs if s.name == name)

    async def tick(self, name: str) -> None:
        """APScheduler's job: store this slot's event (once across replicas)."""
        spec = self._spec(name)
        slot = latest_slot(schedule_of(self.config, spec), self.clock.now(), self.tz)
        try:
            await self.enqueue(name, slot, slot, late=False)
        except Exception:  # the next start catches the slot up; the clock keeps ticking
            log.exception("could not store a job tick", extra={"job": name})

    async def catch_up(self, now: datetime) -> list[JobEvent]:
        """Store each job's latest slot missed since its last tick, marked late."""
        known = await states(self.db)
        stored: list[JobEvent] = []
        for spec in self.specs:
            slot = latest_slot(schedule_of(self.config, spec), now, self.tz)
            state = known.get(spec.name)
            if state is None or state.last_slot is None:
                await note_slot(self.db, spec.name, slot)  # first start: nothing is owed
                continue
            if slot > state.last_slot:
                event = await self.enqueue(spec.name, slot, now, late=True)
                stored.append(event)
                log.info("job slot missed, run late", extra={"job": spec.name, "slot": event.slot})
        return stored

    async def enqueue(self, name: str, slot: datetime, as_of: datetime, *, late: bool) -> JobEvent:
        event = job_event(name, slot, as_of, self.tz, late=late)
        await self.inbox.put(event)
        await note_slot(self.db, name, slot)
        return event
