"""The request's life, in one place: draft → pending (step n) → approved / rejected / withdrawn."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    draft = "draft"  # saved, waiting for fields or attachments; nobody has been asked yet
    pending = "pending"  # waiting for the current step's approver
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"


class StepStatus(StrEnum):
    waiting = "waiting"  # a later step, not asked yet
    pending = "pending"  # the current step
    approved = "approved"
    rejected = "rejected"
    skipped = "skipped"  # another member of the any-of group decided, or the request ended
    cc = "cc"  # copied, not deciding


class Action(StrEnum):
    submit = "submit"
    approve = "approve"
    reject = "reject"
    withdraw = "withdraw"


FINAL = frozenset({Status.approved, Status.rejected, Status.withdrawn})

# (status, action) → status after it; approving a step that is not the last stays pending.
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.draft, Action.submit): Status.pending,
    (Status.draft, Action.withdraw): Status.withdrawn,
    (Status.pending, Action.approve): Status.approved,
    (Status.pending, Action.reject): Status.rejected,
    (Status.pending, Action.withdraw): Status.withdrawn,
}


class IllegalTransition(ValueError):
    pass


def next_status(status: Status, action: Action, *, last_step: bool = True) -> Status:
    target = TRANSITIONS.get((status, action))
    if target is None:
        raise IllegalTransition(f"{action.value} is not allowed when {status.value}")
    if action is Action.approve and not last_step:
        return Status.pending
    return target


STATUS_LABELS: dict[Status, str] = {
    Status.draft: "待补充",
    Status.pending: "审批中",
    Status.approved: "已同意",
    Status.rejected: "已驳回",
    Status.withdrawn: "已撤回",
}
