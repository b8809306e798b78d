"""同意 / 驳回: one decision per step, exactly once, by the current approver or their delegate.

Every tap is one transaction. The request row is locked (PostgreSQL) or the write lock held
(SQLite's BEGIN IMMEDIATE), and the request moves only by a conditional UPDATE on the status and
step the tap was made against — so a second tap, a tap on an old card, or two members of an any-of
group tapping at once give exactly one decision; the others change nothing and are audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.config.approvals import Delegation
from handlers.approvals.delegation import acting_for
from handlers.approvals.sla import WorkingHours, deadlines, elapsed_hours
from handlers.approvals.states import Action, Status, StepStatus, next_status
from handlers.approvals.store import audit, locked
from storage.db import Database
from storage.models import Approval, ApprovalStep
from storage.status import moved


class Outcome(StrEnum):
    advanced = "advanced"  # the step approved; the next step is pending
    approved = "approved"  # the last step approved: the request is approved
    rejected = "rejected"
    stale = "stale"  # the step was already decided, or the request is closed: nothing changed
    refused = "refused"  # the person may not decide this step: nothing changed


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    approval_id: int
    seq: int  # the step the tap was about
    status: Status  # the request's status after the tap
    version: int  # the request's version after the tap
    next_approvers: tuple[str, ...] = ()  # who is asked now (advanced only)
    acting_for: str | None = None  # the approver a delegate decided for

    @property
    def won(self) -> bool:
        return self.outcome in (Outcome.advanced, Outcome.approved, Outcome.rejected)


async def decide(
    db: Database,
    approval_id: int,
    *,
    seq: int,
    person_id: str,
    approve: bool,
    comment: str | None,
    platform: str,
    now: datetime,
    today: date,
    delegations: Sequence[Delegation],
    cal: WorkingHours,
    sla_hours: float,
) -> Decision:
    """Decide step ``seq`` (the step on the card that was tapped) of the request."""
    action = Action.approve if approve else Action.reject
    async with db.transaction():
        approval = await locked(db, approval_id)
        if approval is None:
            raise LookupError(f"no approval {approval_id}")
        status = Status(approval.status)

        def closed(outcome: Outcome) -> Decision:
            return Decision(outcome, approval_id, seq, status, approval.version)

        if status is not Status.pending or approval.current_step != seq:
            await audit(approval_id, person_id, "stale", now, platform=platform, seq=seq)
            return closed(Outcome.stale)
        # This step and the next in one query: the transaction holds the lock meanwhile.
        steps = await ApprovalStep.filter(
            approval_id=approval_id, seq__in=(seq, seq + 1), kind="approve"
        ).order_by("id")
        group = [s for s in steps if s.seq == seq and s.status == StepStatus.pending.value]
        approvers = [s.approver_id for s in group]
        # The requester never decides their own request, not even as someone's delegate.
        mine = person_id == approval.requester_id
        principal = None if mine else acting_for(person_id, approvers, delegations, today)
        if principal is None:
            await audit(
                approval_id, person_id, "refused", now, platform=platform, seq=seq, action=action
            )
            return closed(Outcome.refused)

        later = [s.approver_id for s in steps if s.seq == seq + 1]
        last = not later
        new_status = next_status(status, action, last_step=last)
        advancing = new_status is Status.pending
        due = deadlines(now, sla_hours, cal) if advancing else None
        won = await Approval.filter(
            id=approval_id, status=Status.pending.value, current_step=seq
        ).update(
            status=moved(Status, Status.pending, new_status),
            current_step=seq + 1 if advancing else seq,
            version=approval.version + 1,
            reason_asked_by=None,
            decided_at=None if advancing else now,
            sla_due_at=due.due_at if due else None,
            sla_remind_at=due.remind_at if due else None,
        )
        if won != 1:  # lost a race the lock should have prevented: change nothing
            await audit(approval_id, person_id, "stale", now, platform=platform, seq=seq)
            return closed(Outcome.stale)

        started = next(s.started_at for s in group if s.approver_id == principal) or now
        await ApprovalStep.filter(
            approval_id=approval_id, seq=seq, approver_id=principal, status=StepStatus.pending
        ).update(
            status=moved(
                StepStatus,
                StepStatus.pending,
                StepStatus.approved if approve else StepStatus.rejected,
            ),
            decided_by=person_id,
            platform=platform,
            comment=comment,
            decided_at=now,
            elapsed_hours=elapsed_hours(started, now, cal),
        )
        # The rest of an any-of group, and every later step of a rejected request, are done.
        await ApprovalStep.filter(
            approval_id=approval_id, seq=seq, status=StepStatus.pending
        ).update(status=moved(StepStatus, StepStatus.pending, StepStatus.skipped))
        if advancing and due is not None:
            await ApprovalStep.filter(
                approval_id=approval_id, seq=seq + 1, status=StepStatus.waiting
            ).update(
                status=moved(StepStatus, StepStatus.waiting, StepStatus.pending),
                started_at=now,
                remind_at=due.remind_at,
                due_at=due.due_at,
            )
        elif not approve:
            await ApprovalStep.filter(approval_id=approval_id, status=StepStatus.waiting).update(
                status=moved(StepStatus, StepStatus.waiting, StepStatus.skipped)
            )
        await audit(
            approval_id,
            person_id,
            action.value,
            now,
            platform=platform,
            seq=seq,
            acting_for=principal,
            comment=comment,
            status=new_status.value,
        )
    final = Outcome.approved if approve else Outcome.rejected
    outcome = Outcome.advanced if advancing else final
    return Decision(
        outcome,
        approval_id,
        seq,
        new_status,
        approval.version + 1,
        tuple(later) if advancing else (),
        principal if principal != person_id else None,
    )
