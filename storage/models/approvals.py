"""Work orders moving along an approval chain.

An approval is one request; its steps are one row per (step, approver): the rows of one ``seq``
form an any-of group, cc rows have ``kind = 'cc'``. ``approvals.status`` and ``current_step`` are
what a decision changes conditionally, so two taps can never both win (handlers/approvals/store.py).
"""

from typing import Any

from tortoise import fields
from tortoise.models import Model

from storage.models.crm import Client, Deal
from storage.models.org import Person


class Approval(Model):
    id = fields.IntField(primary_key=True)
    template = fields.CharField(max_length=40)
    requester: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="approvals", on_delete=fields.RESTRICT
    )
    requester_id: str
    client: fields.ForeignKeyNullableRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="approvals", null=True, on_delete=fields.SET_NULL
    )
    client_id: int | None
    deal: fields.ForeignKeyNullableRelation[Deal] = fields.ForeignKeyField(
        "models.Deal", related_name="approvals", null=True, on_delete=fields.SET_NULL
    )
    deal_id: int | None
    title = fields.CharField(max_length=200)
    amount = fields.DecimalField(max_digits=16, decimal_places=2, null=True)
    form: dict[str, Any] = fields.JSONField(default=dict)
    # draft | pending | approved | rejected | withdrawn (handlers/approvals/states.py); always
    # written explicitly (the column default predates drafts and SQLite cannot alter it).
    status = fields.CharField(max_length=12, default="pending")
    current_step = fields.SmallIntField(default=0)  # the pending step's seq; 0 before submit
    route_rule = fields.SmallIntField(null=True)  # which route rule applied
    version = fields.IntField(default=1)  # bumped by every change: cards drawn earlier are stale
    platform = fields.CharField(max_length=20, null=True)  # where it was submitted
    # An approver tapped 驳回 without a reason: their next text message is the reason.
    reason_asked_by = fields.CharField(max_length=64, null=True, db_index=True)
    sla_due_at = fields.DatetimeField(null=True)  # the current step's limit (escalation)
    sla_remind_at = fields.DatetimeField(null=True)  # the current step's half time (reminder)
    created_at = fields.DatetimeField(auto_now_add=True)
    submitted_at = fields.DatetimeField(null=True)
    decided_at = fields.DatetimeField(null=True)

    class Meta:
        table = "approvals"
        indexes = (("status", "sla_due_at"), ("requester_id", "created_at"))


class ApprovalStep(Model):
    id = fields.IntField(primary_key=True)
    approval: fields.ForeignKeyRelation[Approval] = fields.ForeignKeyField(
        "models.Approval", related_name="steps", on_delete=fields.CASCADE
    )
    approval_id: int
    seq = fields.SmallIntField()  # 1.. for deciding steps; 0 for cc rows
    approver: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="approval_steps", on_delete=fields.RESTRICT
    )
    approver_id: str
    ref = fields.CharField(max_length=120, default="")  # the config reference, e.g. supervisor
    kind = fields.CharField(max_length=10, default="approve")  # approve | cc
    # waiting | pending | approved | rejected | skipped | cc
    status = fields.CharField(max_length=12, default="waiting")
    comment = fields.TextField(null=True)
    decided_by = fields.CharField(max_length=64, null=True)  # the approver or their delegate
    platform = fields.CharField(max_length=20, null=True)  # where the deciding tap came from
    started_at = fields.DatetimeField(null=True)  # when the step became pending
    remind_at = fields.DatetimeField(null=True)
    due_at = fields.DatetimeField(null=True)
    decided_at = fields.DatetimeField(null=True)
    elapsed_hours = fields.FloatField(null=True)  # working hours it waited (stats, 协作之星奖)
    reminded_at = fields.DatetimeField(null=True)
    escalated_at = fields.DatetimeField(null=True)

    class Meta:
        table = "approval_steps"
        unique_together = (("approval_id", "seq", "approver_id"),)
        indexes = (("approver_id", "status"), ("status", "due_at"))


class ApprovalAttachment(Model):
    id = fields.IntField(primary_key=True)
    approval: fields.ForeignKeyRelation[Approval] = fields.ForeignKeyField(
        "models.Approval", related_name="attachments", on_delete=fields.CASCADE
    )
    approval_id: int
    name = fields.CharField(max_length=60, default="")  # the required attachment it fills
    filename = fields.CharField(max_length=255)
    media_id = fields.IntField()
    uploaded_by_id = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "approval_attachments"


class ApprovalDelegation(Model):
    """``/委托 张三 至 12月5日``: delegations set in chat, next to the ones in config.yaml."""

    id = fields.IntField(primary_key=True)
    from_id = fields.CharField(max_length=64, db_index=True)
    to_id = fields.CharField(max_length=64)
    since = fields.DateField(null=True)
    until = fields.DateField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "approval_delegations"
