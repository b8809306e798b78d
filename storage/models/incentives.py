"""The incentive ledger: every award, commission, allowance and points movement, append-only.

Nothing is updated or deleted: a correction is a new entry (kind ``correction``) that names the
entry it corrects and carries the difference. ``settlement_key`` makes the monthly settlement
idempotent (running it twice inserts nothing the second time); manual entries leave it empty.
"""

from typing import Any

from tortoise import fields
from tortoise.models import Model


class LedgerEntry(Model):
    id = fields.IntField(primary_key=True)
    # A plain id, like Payment.owner_id: a departed rep's history stays intact.
    person_id = fields.CharField(max_length=64)
    # award | commission | allowance | correction | redemption
    kind = fields.CharField(max_length=12)
    period = fields.CharField(max_length=16)  # the settlement period it belongs to: 2026-11
    ref = fields.CharField(max_length=80, default="")  # award id, payment id, certificate count …
    amount = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    points = fields.IntField(default=0)
    details: dict[str, Any] = fields.JSONField(default=dict)
    settlement_key = fields.CharField(max_length=120, null=True, unique=True)
    # The entry a correction corrects (a plain id: tortoise cannot create a self-referencing key).
    corrects_id = fields.IntField(null=True, db_index=True)
    created_by = fields.CharField(max_length=64, default="system")
    created_at = fields.DatetimeField()

    class Meta:
        table = "incentive_entries"
        indexes = (("person_id", "period"),)
