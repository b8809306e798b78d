"""协作之星奖's metric: the average working hours a person took over the work orders (approval
steps) they decided in a period.

The definition is the approvals feature's (``handlers.approvals.queries.turnaround``): deciding
steps (not copies) decided in the period, each step's ``elapsed_hours`` (working hours from when
it became the approver's turn to the decision, computed on the shared working calendar when the
step is decided), credited to whoever decided it (the approver or their delegate).
"""

from __future__ import annotations

from handlers.approvals.queries import turnaround
from handlers.incentives.rules import Measure
from handlers.shared.periods import Period
from handlers.stats.sql import utc


async def avg_ticket_hours(person_id: str, period: Period) -> Measure:
    mine = next(
        (
            t
            for t in await turnaround(utc(period.start), utc(period.end))
            if t.approver_id == person_id
        ),
        None,
    )
    if mine is None:
        return Measure(period.key, None)
    return Measure(period.key, mine.average_hours, done=mine.decisions, total=mine.decisions)
