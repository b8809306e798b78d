"""The operational figures read from the database: inbox and outbox depth and oldest age, retries
in progress, messages given up, the last delivery error, approvals past their SLA, each job's
last run and lag. Refreshed into the Prometheus gauges on every /metrics scrape, and returned as
plain numbers for /状态 in chat (handlers/admin reads ``read_status``): one reading, two views.
Figures only this process knows (the ASR queue and real-time factor) live on ``Metrics``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.metrics import Metrics
from bot.pipeline.outbox import CIRCUIT_HOLD, DEAD, PENDING, RATE_HOLD, SENDING
from scheduler.pushes import ms
from scheduler.state import states
from storage.db import Database

UNFINISHED = f"({PENDING}, {SENDING})"  # the same codes in inbox and outbox
# A row waiting after a failure (not one a rate window merely held back).
RETRYING = f"status IN {UNFINISHED} AND error IS NOT NULL AND error <> ?"


@dataclass(frozen=True)
class DeliveryFailure:
    platform: str
    recipient: str
    error: str
    attempts: int
    given_up: bool
    created_ms: int  # when the message was queued


@dataclass(frozen=True)
class JobLag:
    """A job's last run: when it started and how long after its slot."""

    name: str
    started_ms: int
    lag_s: float
    late: bool  # a slot missed while the bot was down, caught up at start


@dataclass(frozen=True)
class OpsStatus:
    inbox_depth: int
    inbox_oldest_age_s: float
    outbox_depth: int
    outbox_oldest_age_s: float
    approvals_past_sla: int
    outbox_retrying: int  # waiting for another try after a failed delivery
    outbox_given_up: int  # given up and not re-queued (`salesbot outbox retry`)
    last_give_up_reason: str | None
    last_failure: DeliveryFailure | None
    jobs: tuple[JobLag, ...]  # newest run first

    @property
    def last_job(self) -> JobLag | None:
        return self.jobs[0] if self.jobs else None

    @property
    def most_late_job(self) -> JobLag | None:
        return max(self.jobs, key=lambda j: j.lag_s, default=None)


async def _queue(db: Database, table: str, since: str, now_ms: int) -> tuple[int, float]:
    row = (
        await db.fetch(
            f"SELECT COUNT(*) AS n, MIN({since}) AS t FROM {table} WHERE status IN {UNFINISHED}"
        )
    )[0]
    age = max(0.0, (now_ms - int(row["t"])) / 1000) if row["t"] is not None else 0.0
    return int(row["n"]), age


async def _last_failure(db: Database) -> DeliveryFailure | None:
    """The newest message whose delivery failed (still retrying or given up), if any."""
    rows = await db.fetch(
        "SELECT platform, recipient, error, attempts, status, created_at FROM outbox "
        f"WHERE status IN ({PENDING}, {SENDING}, {DEAD}) AND error IS NOT NULL "
        "AND error <> ? AND error <> ? ORDER BY id DESC LIMIT 1",
        RATE_HOLD,
        CIRCUIT_HOLD,
    )
    if not rows:
        return None
    r = rows[0]
    return DeliveryFailure(
        r["platform"],
        r["recipient"],
        str(r["error"]),
        int(r["attempts"]),
        int(r["status"]) == DEAD,
        int(r["created_at"]),
    )


async def _given_up(db: Database) -> tuple[int, str | None]:
    count = await db.fetch(f"SELECT COUNT(*) AS n FROM outbox WHERE status = {DEAD}")
    # A given-up row's available_at is the attempt that gave up: the newest such is the last.
    last = await db.fetch(
        f"SELECT error FROM outbox WHERE status = {DEAD} "
        "ORDER BY available_at DESC, id DESC LIMIT 1"
    )
    return int(count[0]["n"]), (str(last[0]["error"] or "") if last else None)


async def _jobs(db: Database) -> tuple[JobLag, ...]:
    ran = [
        JobLag(
            s.name,
            ms(s.last_run_at),
            (s.last_run_at - s.last_run_slot).total_seconds(),
            s.last_late,
        )
        for s in (await states(db)).values()
        if s.last_run_at is not None and s.last_run_slot is not None
    ]
    return tuple(sorted(ran, key=lambda j: (j.started_ms, j.name), reverse=True))


async def read_status(db: Database, now_ms: int) -> OpsStatus:
    inbox = await _queue(db, "inbox", "received_at", now_ms)
    outbox = await _queue(db, "outbox", "created_at", now_ms)
    late = await db.fetch(
        "SELECT COUNT(*) AS n FROM approvals WHERE status = 'pending' AND sla_due_at IS NOT NULL AND sla_due_at < ?",
        datetime.fromtimestamp(now_ms / 1000, UTC),
    )
    retrying = await db.fetch(f"SELECT COUNT(*) AS n FROM outbox WHERE {RETRYING}", RATE_HOLD)
    given_up, reason = await _given_up(db)
    return OpsStatus(
        inbox_depth=inbox[0],
        inbox_oldest_age_s=inbox[1],
        outbox_depth=outbox[0],
        outbox_oldest_age_s=outbox[1],
        approvals_past_sla=int(late[0]["n"]),
        outbox_retrying=int(retrying[0]["n"]),
        outbox_given_up=given_up,
        last_give_up_reason=reason,
        last_failure=await _last_failure(db),
        jobs=await _jobs(db),
    )


async def refresh(metrics: Metrics, db: Database, now_ms: int) -> OpsStatus:
    status = await read_status(db, now_ms)
    metrics.backlog.set(status.inbox_depth)
    metrics.inbox_depth.set(status.inbox_depth)
    metrics.inbox_oldest_age.set(status.inbox_oldest_age_s)
    metrics.outbox_depth.set(status.outbox_depth)
    metrics.outbox_oldest_age.set(status.outbox_oldest_age_s)
    metrics.outbox_retrying.set(status.outbox_retrying)
    metrics.outbox_given_up.set(status.outbox_given_up)
    metrics.approvals_past_sla.set(status.approvals_past_sla)
    for job in status.jobs:
        metrics.scheduler_lag.labels(job.name).set(max(job.lag_s, 0.0))
    return status
