"""SLA duties at a given ``now``: remind approvers at half time, escalate at the limit.

Plain functions over the store, for the scheduler to call with its clock (python-telegram-bot's
JobQueue habit: primitive arguments, callable directly in tests). Each duty is claimed by a
conditional UPDATE (``WHERE reminded_at IS NULL``), so two replicas running the same tick send
each reminder once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from handlers.approvals.states import Status, StepStatus
from storage.models import ApprovalStep


@dataclass(frozen=True)
class Duty:
    approval_id: int
    seq: int
    approver_id: str
    escalate_to: str | None = None  # the approver's supervisor, for an escalation


async def _claim(now: datetime, due_field: str, done_field: str) -> list[ApprovalStep]:
    rows = await ApprovalStep.filter(
        status=StepStatus.pending.value,
        kind="approve",
        approval__status=Status.pending.value,
        **{f"{due_field}__lte": now, f"{done_field}__isnull": True},
    ).order_by("approval_id", "id")
    claimed = []
    for row in rows:
        won = await ApprovalStep.filter(id=row.id, **{f"{done_field}__isnull": True}).update(
            **{done_field: now}
        )
        if won == 1:
            claimed.append(row)
    return claimed


async def reminders_due(now: datetime) -> list[Duty]:
    """Steps past half their SLA and not yet reminded; each is returned once, ever."""
    return [
        Duty(r.approval_id, r.seq, r.approver_id)
        for r in await _claim(now, "remind_at", "reminded_at")
    ]


async def escalations_due(now: datetime, supervisors: Mapping[str, str | None]) -> list[Duty]:
    """Steps past their SLA: escalated once to the approver's supervisor (None: nobody above)."""
    return [
        Duty(r.approval_id, r.seq, r.approver_id, supervisors.get(r.approver_id))
        for r in await _claim(now, "due_at", "escalated_at")
    ]
