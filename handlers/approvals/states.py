"""The request's life: draft → pending (step n) → approved / rejected / withdrawn.

The statuses and which changes are allowed live in ``storage.status`` with every other status
of the bot; this module names the actions people take and what each one leads to.
"""

from __future__ import annotations

from enum import StrEnum

from storage.status import ApprovalStatus as Status
from storage.status import InvalidTransition, StepStatus, check

IllegalTransition = InvalidTransition

__all__ = [
    "FINAL",
    "STATUS_LABELS",
    "Action",
    "IllegalTransition",
    "Status",
    "StepStatus",
    "next_status",
]


class Action(StrEnum):
    submit = "submit"
    approve = "approve"
    reject = "reject"
    withdraw = "withdraw"


_TARGET: dict[Action, Status] = {
    Action.submit: Status.pending,
    Action.approve: Status.approved,
    Action.reject: Status.rejected,
    Action.withdraw: Status.withdrawn,
}
FINAL = frozenset({Status.approved, Status.rejected, Status.withdrawn})


def next_status(status: Status, action: Action, *, last_step: bool = True) -> Status:
    """The status after ``action``; approving a step that is not the last stays pending."""
    target = _TARGET[action]
    if status == target:  # submitting what is already pending, deciding twice
        raise IllegalTransition(f"{action.value} is not allowed when {status.value}")
    check(Status, status.value, target.value)
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
