"""Work orders moving along an approval chain."""

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
    deal: fields.ForeignKeyNullableRelation[Deal] = fields.ForeignKeyField(
        "models.Deal", related_name="approvals", null=True, on_delete=fields.SET_NULL
    )
    title = fields.CharField(max_length=200)
    amount = fields.DecimalField(max_digits=16, decimal_places=2, null=True)
    form: dict[str, Any] = fields.JSONField(default=dict)
    status = fields.CharField(
        max_length=12, default="pending"
    )  # pending|approved|rejected|withdrawn
    current_step = fields.SmallIntField(default=0)
    sla_due_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
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
    seq = fields.SmallIntField()
    approver: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="approval_steps", on_delete=fields.RESTRICT
    )
    approver_id: str
    kind = fields.CharField(max_length=10, default="approve")  # approve | cc
    status = fields.CharField(max_length=12, default="waiting")  # waiting|pending|approved|rejected
    comment = fields.TextField(null=True)
    decided_at = fields.DatetimeField(null=True)
    reminded_at = fields.DatetimeField(null=True)
    escalated_at = fields.DatetimeField(null=True)

    class Meta:
        table = "approval_steps"
        unique_together = (("approval_id", "seq", "approver_id"),)
        indexes = (("approver_id", "status"),)


class ApprovalAttachment(Model):
    id = fields.IntField(primary_key=True)
    approval: fields.ForeignKeyRelation[Approval] = fields.ForeignKeyField(
        "models.Approval", related_name="attachments", on_delete=fields.CASCADE
    )
    filename = fields.CharField(max_length=255)
    media_id = fields.IntField()
    uploaded_by_id = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "approval_attachments"
