"""What waits for me (/待审批) and where my requests stand (/我的申请)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.config.approvals import Delegation
from handlers.approvals.delegation import delegates_of
from handlers.approvals.states import Status, StepStatus
from storage.models import Approval, ApprovalStep


@dataclass(frozen=True)
class Standing:
    approval: Approval
    waiting_on: tuple[str, ...]  # approver ids of the pending step (empty when closed)
    steps: int  # deciding steps in the chain


async def waiting_for(
    person_id: str, delegations: Sequence[Delegation], today: date
) -> list[Approval]:
    """Pending requests whose current step is ``person_id``'s, or of someone they stand in for
    (never their own: a requester does not decide their request)."""
    principals = {person_id} | {
        d.from_ for d in delegations if person_id in delegates_of(d.from_, delegations, today)
    }
    ids = await ApprovalStep.filter(
        approver_id__in=sorted(principals), status=StepStatus.pending.value, kind="approve"
    ).values_list("approval_id", flat=True)
    return (
        await Approval.filter(id__in=set(ids), status=Status.pending.value)
        .exclude(requester_id=person_id)
        .order_by("submitted_at", "id")
    )


async def requests_of(person_id: str, limit: int = 10) -> list[Standing]:
    approvals = (
        await Approval.filter(requester_id=person_id).order_by("-created_at", "-id").limit(limit)
    )
    steps = await ApprovalStep.filter(
        approval_id__in=[a.id for a in approvals], kind="approve"
    ).values("approval_id", "seq", "approver_id", "status")
    out = []
    for a in approvals:
        mine = [s for s in steps if s["approval_id"] == a.id]
        waiting = tuple(s["approver_id"] for s in mine if s["status"] == StepStatus.pending)
        out.append(Standing(a, waiting, len({s["seq"] for s in mine})))
    return out


async def chain_of(approval_id: int) -> list[ApprovalStep]:
    """Every step row of a request in order: the history a card shows."""
    return await ApprovalStep.filter(approval_id=approval_id).order_by("seq", "id")


@dataclass(frozen=True)
class Turnaround:
    approver_id: str
    decisions: int
    average_hours: float  # working hours from the step's start to its decision


async def turnaround(since: datetime, until: datetime) -> list[Turnaround]:
    """Working hours each approver took, over steps decided in [since, until): the stats and
    the 协作之星奖 (average ticket time) read this."""
    rows = await ApprovalStep.filter(
        kind="approve", decided_at__gte=since, decided_at__lt=until, elapsed_hours__isnull=False
    ).values("approver_id", "decided_by", "elapsed_hours")
    per: dict[str, list[float]] = {}
    for r in rows:
        per.setdefault(r["decided_by"] or r["approver_id"], []).append(r["elapsed_hours"])
    return [
        Turnaround(pid, len(hours), round(sum(hours) / len(hours), 4))
        for pid, hours in sorted(per.items())
    ]
