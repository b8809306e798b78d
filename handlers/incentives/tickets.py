"""协作之星奖's metric: the average time a person took over the work orders (approval steps) they
decided in a period.

Written against the approval fields on this branch: a step's handling time runs from when it
became the approver's turn — the previous deciding step's ``decided_at``, or the approval's
``created_at`` for the first step — to its own ``decided_at``, counted in working hours by the
caller's ``hours`` function (``WorkCalendar.working_hours_between``). Copies (``kind = 'cc'``) and
steps still waiting are not counted. When the approvals branch lands with ``started_at`` /
``elapsed_hours`` on each step, this statement can read those instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from handlers.incentives.rules import Measure
from handlers.shared.periods import Period
from handlers.stats.sql import utc
from storage.db import Database

TICKETS_SQL = """
SELECT s.decided_at AS decided,
       COALESCE((SELECT MAX(p.decided_at) FROM approval_steps p
                 WHERE p.approval_id = s.approval_id AND p.seq < s.seq AND p.kind = 'approve'),
                a.created_at) AS started
FROM approval_steps s JOIN approvals a ON a.id = s.approval_id
WHERE s.approver_id = ? AND s.kind = 'approve' AND s.status IN ('approved', 'rejected')
  AND s.decided_at >= ? AND s.decided_at < ?
"""


def as_datetime(value: object) -> datetime:
    # PostgreSQL returns datetimes; SQLite returns the stored ISO text.
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return at if at.tzinfo else at.replace(tzinfo=UTC)


async def avg_ticket_hours(
    db: Database, person_id: str, period: Period, hours: Callable[[datetime, datetime], float]
) -> Measure:
    rows = await db.fetch(TICKETS_SQL, person_id, utc(period.start), utc(period.end))
    spans = [max(0.0, hours(as_datetime(r["started"]), as_datetime(r["decided"]))) for r in rows]
    if not spans:
        return Measure(period.key, None)
    return Measure(period.key, sum(spans) / len(spans), done=len(spans), total=len(spans))
