"""Requests in the database: drafts, attachments, submit and withdraw — each one transaction,
each audited. Decisions live in decide.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bot.config.approvals import Delegation
from handlers.approvals.routing import RoutePlan
from handlers.approvals.sla import WorkingHours, deadlines
from handlers.approvals.states import Action, IllegalTransition, Status, StepStatus, next_status
from storage.db import Database
from storage.models import (
    Approval,
    ApprovalAttachment,
    ApprovalDelegation,
    ApprovalStep,
    AuditLog,
)
from storage.status import moved

SUBJECT = "approval"


@dataclass(frozen=True)
class NewRequest:
    template: str
    requester_id: str
    title: str
    form: dict[str, Any]
    platform: str
    client_id: int | None = None
    deal_id: int | None = None
    amount: float | None = None


async def audit(approval_id: int, actor: str, what: str, now: datetime, **details: Any) -> None:
    await AuditLog.create(
        at=now,
        actor=actor,
        action=f"approval.{what}",
        subject_type=SUBJECT,
        subject_id=str(approval_id),
        details=details,
    )


def _money(amount: float | None) -> Decimal | None:
    return Decimal(str(amount)) if amount is not None else None


async def locked(db: Database, approval_id: int) -> Approval | None:
    # PostgreSQL: the row lock serialises everything that changes one request; a second
    # transaction waits, then reads what the first one wrote. SQLite: BEGIN IMMEDIATE already did.
    query = Approval.filter(id=approval_id)
    if db.dialect == "postgres":
        query = query.select_for_update()
    return await query.first()


async def save_draft(db: Database, request: NewRequest, *, now: datetime) -> int:
    """A request still missing fields or attachments: kept so files sent later attach to it."""
    async with db.transaction():
        approval = await Approval.create(
            template=request.template,
            requester_id=request.requester_id,
            client_id=request.client_id,
            deal_id=request.deal_id,
            title=request.title,
            amount=_money(request.amount),
            form=request.form,
            status=Status.draft.value,
            platform=request.platform,
            created_at=now,
        )
        await audit(approval.id, request.requester_id, "draft", now, platform=request.platform)
    return approval.id


async def update_draft(db: Database, approval_id: int, request: NewRequest) -> bool:
    """New field values for a draft; False when it is no longer a draft."""
    count = await Approval.filter(id=approval_id, status=Status.draft.value).update(
        title=request.title,
        form=request.form,
        client_id=request.client_id,
        deal_id=request.deal_id,
        amount=_money(request.amount),
    )
    return count == 1


async def open_draft(requester_id: str) -> Approval | None:
    """The requester's newest draft, where a file sent in chat belongs."""
    return (
        await Approval.filter(requester_id=requester_id, status=Status.draft.value)
        .order_by("-created_at", "-id")
        .first()
    )


async def attach(
    db: Database,
    approval_id: int,
    *,
    name: str,
    filename: str,
    media_id: int,
    by: str,
    now: datetime,
) -> bool:
    """A file for a draft or a pending request; False when the request is closed."""
    async with db.transaction():
        approval = await locked(db, approval_id)
        if approval is None or approval.status not in (Status.draft, Status.pending):
            return False
        await ApprovalAttachment.create(
            approval_id=approval_id,
            name=name,
            filename=filename,
            media_id=media_id,
            uploaded_by_id=by,
            created_at=now,
        )
        await Approval.filter(id=approval_id).update(version=approval.version + 1)
        await audit(approval_id, by, "attach", now, name=name, filename=filename)
    return True


async def attachment_names(approval_id: int) -> list[str]:
    rows = await ApprovalAttachment.filter(approval_id=approval_id).order_by("id")
    return [r.name for r in rows]


async def submit(
    db: Database,
    request: NewRequest,
    plan: RoutePlan,
    *,
    now: datetime,
    cal: WorkingHours,
    sla_hours: float,
    draft_id: int | None = None,
) -> int:
    """Request, its steps (the first one pending, with its deadlines) and the audit entry, in
    one transaction. A draft is submitted in place, so its attachments stay with it."""
    due = deadlines(now, sla_hours, cal)
    async with db.transaction():
        values: dict[str, Any] = {
            "title": request.title,
            "form": request.form,
            "client_id": request.client_id,
            "deal_id": request.deal_id,
            "amount": _money(request.amount),
            "status": Status.pending.value,
            "current_step": 1,
            "route_rule": plan.rule,
            "platform": request.platform,
            "submitted_at": now,
            "sla_due_at": due.due_at,
            "sla_remind_at": due.remind_at,
        }
        if draft_id is None:
            approval = await Approval.create(
                template=request.template,
                requester_id=request.requester_id,
                created_at=now,
                **values,
            )
            approval_id = approval.id
        else:
            draft = await locked(db, draft_id)
            if draft is None:
                raise LookupError(f"no approval {draft_id}")
            next_status(Status(draft.status), Action.submit)  # only a draft may be submitted
            await Approval.filter(id=draft_id).update(version=draft.version + 1, **values)
            approval_id = draft_id
        rows = [
            ApprovalStep(
                approval_id=approval_id,
                seq=step.seq,
                approver_id=approver,
                ref=step.ref,
                kind="approve",
                status=(StepStatus.pending if step.seq == 1 else StepStatus.waiting).value,
                started_at=now if step.seq == 1 else None,
                remind_at=due.remind_at if step.seq == 1 else None,
                due_at=due.due_at if step.seq == 1 else None,
            )
            for step in plan.steps
            for approver in step.approvers
        ]
        rows += [
            ApprovalStep(
                approval_id=approval_id,
                seq=0,
                approver_id=person,
                kind="cc",
                status=StepStatus.cc.value,
            )
            for person in plan.cc
        ]
        await ApprovalStep.bulk_create(rows)
        await audit(
            approval_id,
            request.requester_id,
            "submit",
            now,
            platform=request.platform,
            rule=plan.rule,
            steps=[list(s.approvers) for s in plan.steps],
            cc=list(plan.cc),
        )
    return approval_id


async def withdraw(
    db: Database, approval_id: int, *, person_id: str, platform: str, now: datetime
) -> bool:
    """Only the requester withdraws, and only while nobody has decided the whole request."""
    async with db.transaction():
        approval = await locked(db, approval_id)
        if approval is None or approval.requester_id != person_id:
            await audit(approval_id, person_id, "withdraw_refused", now, platform=platform)
            return False
        try:
            next_status(Status(approval.status), Action.withdraw)
        except IllegalTransition:
            return False
        count = await Approval.filter(id=approval_id, status=approval.status).update(
            status=moved(Status, approval.status, Status.withdrawn),
            version=approval.version + 1,
            decided_at=now,
            sla_due_at=None,
            sla_remind_at=None,
        )
        if count != 1:
            return False
        open_steps = (StepStatus.pending, StepStatus.waiting)
        await ApprovalStep.filter(approval_id=approval_id, status__in=open_steps).update(
            status=moved(StepStatus, open_steps, StepStatus.skipped)
        )
        await audit(approval_id, person_id, "withdraw", now, platform=platform)
    return True


async def add_delegation(db: Database, delegation: Delegation, *, by: str, now: datetime) -> None:
    async with db.transaction():
        await ApprovalDelegation.create(
            from_id=delegation.from_,
            to_id=delegation.to,
            since=delegation.since,
            until=delegation.until,
            created_at=now,
        )
        await AuditLog.create(
            at=now,
            actor=by,
            action="approval.delegate",
            subject_type="person",
            subject_id=delegation.from_,
            details={"to": delegation.to, "until": delegation.until.isoformat()},
        )


async def delegations(configured: Sequence[Delegation], day: date) -> list[Delegation]:
    """Config delegations plus the ones set in chat that have not ended before ``day``."""
    rows = await ApprovalDelegation.filter(until__gte=day).order_by("id")
    return [
        *configured,
        *(Delegation.of(r.from_id, r.to_id, r.until, r.since) for r in rows),
    ]


async def ask_reason(approval_id: int, person_id: str, seq: int) -> bool:
    """驳回 tapped without a reason: remember who owes one (their next text is it)."""
    count = await Approval.filter(
        id=approval_id, status=Status.pending.value, current_step=seq
    ).update(reason_asked_by=person_id)
    return count == 1


async def reason_owed_by(person_id: str) -> Approval | None:
    return (
        await Approval.filter(reason_asked_by=person_id, status=Status.pending.value)
        .order_by("-id")
        .first()
    )
