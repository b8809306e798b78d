"""Who did what, when: approvals, saves, config-driven changes."""

from typing import Any

from tortoise import fields
from tortoise.models import Model


class AuditLog(Model):
    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField()
    actor = fields.CharField(max_length=64)  # a person id, or "system"
    action = fields.CharField(max_length=60)
    subject_type = fields.CharField(max_length=40)
    subject_id = fields.CharField(max_length=64)
    details: dict[str, Any] = fields.JSONField(default=dict)

    class Meta:
        table = "audit_log"
        indexes = (("subject_type", "subject_id"), ("at",))
