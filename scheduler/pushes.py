"""Pushes: what jobs want to tell people, stored once, delivered after quiet hours.

A job only *plans* pushes (``JobRun.push``); ``PushStore.store`` inserts them with
``ON CONFLICT (key) DO NOTHING``, so a job run twice — a retry, two replicas, an operator's
``salesbot jobs run`` — queues each push once. The delivery time is fixed when a push is stored:
now, or the next working morning in quiet hours and on days off, unless its kind is urgent. The
``deliver`` job then takes every due push in one batch and sends one message per person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from bot.jobs import Push
from bot.pipeline.outbox import Address
from handlers.shared.workcal import WorkCalendar
from scheduler.quiet import deliver_at
from storage.db import Database
from storage.models import Task

_COLUMNS = ("key", "person_id", "kind", "text", "task_id", "due_at", "deliver_at", "created_at")
_CHUNK = 200  # 8 columns each: well under SQLite's bound-parameter limit


def ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def from_ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, UTC)


@dataclass(frozen=True)
class Planned:
    push: Push
    deliver_at: datetime


@dataclass(frozen=True)
class StoredPush:
    id: int
    key: str
    person_id: str
    kind: str
    text: str
    task_id: int | None


class PushStore:
    def __init__(
        self,
        db: Database,
        config: AppConfig,
        calendar: WorkCalendar,
        prefer: Address | None = None,
    ) -> None:
        self.db = db
        self.config = config
        self.calendar = calendar
        self.tz = ZoneInfo(config.timezone)
        # Where jobs' messages go first (the first channel), as a handler's go where it was asked.
        self.prefer = prefer

    def plan(self, pushes: Sequence[Push], now: datetime) -> list[Planned]:
        s = self.config.schedules
        return [
            Planned(
                p,
                deliver_at(
                    now,
                    urgent=p.kind in s.urgent,
                    quiet=s.quiet_hours,
                    calendar=self.calendar,
                    tz=self.tz,
                ),
            )
            for p in pushes
        ]

    async def store(self, pushes: Sequence[Push], now: datetime) -> list[str]:
        """Insert what is new; returns the keys that were. Reminded tasks are marked as such."""
        planned = self.plan(pushes, now)
        new: list[str] = []
        marks = "(" + ",".join("?" * len(_COLUMNS)) + ")"
        for start in range(0, len(planned), _CHUNK):
            chunk = planned[start : start + _CHUNK]
            sql = (
                f"INSERT INTO pushes ({','.join(_COLUMNS)}) VALUES {','.join([marks] * len(chunk))}"
                " ON CONFLICT (key) DO NOTHING RETURNING key"
            )
            args: list[object] = []
            for p in chunk:
                push = p.push
                due = ms(push.due_at) if push.due_at is not None else None
                args += [push.key, push.person_id, push.kind, push.text, push.task_id, due]
                args += [ms(p.deliver_at), ms(now)]
            new += [r["key"] for r in await self.db.fetch(sql, *args)]
        fresh = set(new)
        tasks = [p.task_id for p in pushes if p.task_id is not None and p.key in fresh]
        for start in range(0, len(tasks), 500):
            await Task.filter(id__in=tasks[start : start + 500]).update(reminded_at=now)
        return new

    async def claim(self, batch: int, now: datetime) -> list[StoredPush]:
        """Take every push due by ``now`` into ``batch`` (a deliver run's inbox row id).

        A deliver run that failed after claiming runs again under the same id and finds its batch
        as it left it; runs of the deliver job never overlap (one job's slots run in order).
        """
        await self.db.execute(
            "UPDATE pushes SET batch = ? WHERE batch IS NULL AND deliver_at <= ?", batch, ms(now)
        )
        rows = await self.db.fetch(
            "SELECT id, key, person_id, kind, text, task_id FROM pushes WHERE batch = ? "
            "ORDER BY person_id, id",
            batch,
        )
        return [StoredPush(**r) for r in rows]

    async def due(self, now: datetime) -> list[StoredPush]:
        """What a deliver run at ``now`` would take (a dry run's view; nothing is claimed)."""
        rows = await self.db.fetch(
            "SELECT id, key, person_id, kind, text, task_id FROM pushes "
            "WHERE batch IS NULL AND deliver_at <= ? ORDER BY person_id, id",
            ms(now),
        )
        return [StoredPush(**r) for r in rows]

    async def waiting(self, person_id: str | None = None) -> list[dict[str, object]]:
        """Pushes not delivered yet (for operators and tests)."""
        sql = "SELECT key, person_id, kind, deliver_at FROM pushes WHERE batch IS NULL"
        if person_id is None:
            return await self.db.fetch(sql + " ORDER BY id")
        return await self.db.fetch(sql + " AND person_id = ? ORDER BY id", person_id)
