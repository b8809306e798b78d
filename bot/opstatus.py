"""The operational figures read from the database: inbox and outbox depth and oldest age,
approvals past their SLA. Refreshed into the Prometheus gauges on every /metrics scrape, and
returned as plain numbers for /状态 in chat (handlers/admin reads ``read_status``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.metrics import Metrics
from storage.db import Database

UNFINISHED = "(0, 1)"  # pending, processing/sending — the same codes in inbox and outbox


@dataclass(frozen=True)
class OpsStatus:
    inbox_depth: int
    inbox_oldest_age_s: float
    outbox_depth: int
    outbox_oldest_age_s: float
    approvals_past_sla: int


async def read_status(db: Database, now_ms: int) -> OpsStatus:
    inbox = (
        await db.fetch(
            f"SELECT COUNT(*) AS n, MIN(received_at) AS t FROM inbox WHERE status IN {UNFINISHED}"
        )
    )[0]
    outbox = (
        await db.fetch(
            f"SELECT COUNT(*) AS n, MIN(created_at) AS t FROM outbox WHERE status IN {UNFINISHED}"
        )
    )[0]
    now = datetime.fromtimestamp(now_ms / 1000, UTC)
    late = await db.fetch(
        "SELECT COUNT(*) AS n FROM approvals WHERE status = 'pending' AND sla_due_at IS NOT NULL AND sla_due_at < ?",
        now,
    )

    def age(t: int | None) -> float:
        return max(0.0, (now_ms - int(t)) / 1000) if t is not None else 0.0

    return OpsStatus(
        int(inbox["n"]), age(inbox["t"]), int(outbox["n"]), age(outbox["t"]), int(late[0]["n"])
    )


async def refresh(metrics: Metrics, db: Database, now_ms: int) -> OpsStatus:
    status = await read_status(db, now_ms)
    metrics.inbox_depth.set(status.inbox_depth)
    metrics.inbox_oldest_age.set(status.inbox_oldest_age_s)
    metrics.outbox_depth.set(status.outbox_depth)
    metrics.outbox_oldest_age.set(status.outbox_oldest_age_s)
    metrics.approvals_past_sla.set(status.approvals_past_sla)
    return status
