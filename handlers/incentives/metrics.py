"""The award metrics, one SQL statement each, for one person and one period.

``new_valid_contacts`` is the stats definition of a valid lead (``config.metrics.valid_lead``,
``handlers.stats.queries.valid_leads``): clients the rep owns, created in the period, that count as
valid leads — the same number /排行 shows as 新增有效客户. ``avg_ticket_hours`` is the approvals
feature's turnaround (``tickets.py``);
``demo_completion_rate`` is defined here, next to nothing else that counts it.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.config.incentives import Award
from bot.config.metrics import Metrics
from handlers.incentives.rules import Measure, history_length
from handlers.incentives.tickets import avg_ticket_hours
from handlers.shared.periods import Period, shift
from handlers.stats.queries import valid_leads
from handlers.stats.sql import Filters, utc
from storage.db import Database


async def new_valid_contacts(
    db: Database, metrics: Metrics, person_id: str, period: Period
) -> Measure:
    rows = await valid_leads(
        db, Filters(owners=frozenset({person_id})), period.start, period.end, "c.owner_id", metrics
    )
    count = sum(int(r["n"]) for r in rows)
    return Measure(period.key, float(count), done=count)


# A planned 方案演示 action: a next-action task planned while its deal was in the award's stage
# (the deal's stage at the task's creation, from stage_history), due in the period. It is done on
# time when it was marked done (tasks.completed_at) no later than its due time. Cancelled tasks
# do not count; open tasks not yet due are "pending".
DEMO_SQL = """
SELECT COUNT(*) AS total,
       SUM(CASE WHEN t.status = 'done' AND t.completed_at IS NOT NULL
                 AND t.completed_at <= t.due_at THEN 1 ELSE 0 END) AS done,
       SUM(CASE WHEN t.status = 'open' AND t.due_at > ? THEN 1 ELSE 0 END) AS pending
FROM tasks t
WHERE t.assignee_id = ? AND t.kind = 'next_action' AND t.status <> 'cancelled'
  AND t.due_at >= ? AND t.due_at < ?
  AND (SELECT h.to_stage FROM stage_history h
       WHERE h.deal_id = t.deal_id AND h.changed_at <= t.created_at
       ORDER BY h.changed_at DESC, h.id DESC LIMIT 1) = ?
"""


async def demo_completion_rate(
    db: Database, person_id: str, period: Period, stage: str, now: datetime
) -> Measure:
    rows = await db.fetch(DEMO_SQL, utc(now), person_id, utc(period.start), utc(period.end), stage)
    row = rows[0] if rows else {}
    total = int(row.get("total") or 0)
    done = int(row.get("done") or 0)
    pending = int(row.get("pending") or 0)
    return Measure(period.key, done / total if total else None, done, total, pending)


async def measure(
    db: Database,
    metrics: Metrics,
    award: Award,
    person_id: str,
    period: Period,
    now: datetime,
) -> Measure:
    """The award's metric for ``person_id`` over ``period`` (only what happened before ``now``)."""
    if award.metric == "new_valid_contacts":
        return await new_valid_contacts(db, metrics, person_id, period)
    if award.metric == "demo_completion_rate":
        return await demo_completion_rate(db, person_id, period, award.stage or "方案演示", now)
    if award.metric == "avg_ticket_hours":
        return await avg_ticket_hours(person_id, period)
    raise ValueError(f"unknown award metric {award.metric!r}")  # check-config reports it first


async def history(
    db: Database,
    metrics: Metrics,
    award: Award,
    person_id: str,
    judged: Period,
    now: datetime,
    tz: ZoneInfo,
    cache: dict[str, Measure] | None = None,
) -> list[Measure]:
    """The measures ``rules.evaluate`` needs to judge ``judged``, oldest first; ``cache`` (keyed
    by period) spares the periods two judged weeks share."""
    memo = cache if cache is not None else {}
    out: list[Measure] = []
    for back in range(history_length(award) - 1, -1, -1):
        period = shift(judged, -back, tz)
        if period.key not in memo:
            memo[period.key] = await measure(db, metrics, award, person_id, period, now)
        out.append(memo[period.key])
    return out
