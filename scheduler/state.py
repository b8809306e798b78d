"""Each job's last slot and last run, in the database (shared by replicas, kept over restarts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scheduler.pushes import from_ms, ms
from storage.db import Database


@dataclass(frozen=True)
class JobState:
    name: str
    last_slot: datetime | None
    last_run_slot: datetime | None
    last_run_at: datetime | None
    last_late: bool


async def note_slot(db: Database, name: str, slot: datetime) -> None:
    """Remember ``slot`` as ticked (never moving backwards: replicas may tick out of order)."""
    await db.execute(
        "INSERT INTO job_runs (name, last_slot, last_late) VALUES (?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET last_slot = excluded.last_slot "
        "WHERE job_runs.last_slot < excluded.last_slot",
        name,
        ms(slot),
        False,
    )


async def note_run(db: Database, name: str, slot: datetime, at: datetime, late: bool) -> None:
    """``at``: when the run started (``at - slot`` is the scheduler's lag)."""
    await db.execute(
        "INSERT INTO job_runs (name, last_slot, last_run_slot, last_run_at, last_late) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
        "last_run_slot = excluded.last_run_slot, last_run_at = excluded.last_run_at, "
        "last_late = excluded.last_late",
        name,
        ms(slot),
        ms(slot),
        ms(at),
        late,
    )


async def states(db: Database) -> dict[str, JobState]:
    rows = await db.fetch(
        "SELECT name, last_slot, last_run_slot, last_run_at, last_late FROM job_runs"
    )

    def t(v: int | None) -> datetime | None:
        return from_ms(v) if v else None

    return {
        r["name"]: JobState(
            r["name"],
            t(r["last_slot"]),
            t(r["last_run_slot"]),
            t(r["last_run_at"]),
            bool(r["last_late"]),
        )
        for r in rows
    }
