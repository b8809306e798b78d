"""Money the sales team earns: awards per period and commission per deal year."""

from typing import Any

from tortoise import fields
from tortoise.models import Model

from storage.models.crm import Deal
from storage.models.org import Person


class IncentiveLedger(Model):
    id = fields.IntField(primary_key=True)
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="awards", on_delete=fields.RESTRICT
    )
    award_id = fields.CharField(max_length=40)
    period = fields.CharField(max_length=16)  # 2026-11, 2026-W48, 2026-Q4
    amount = fields.DecimalField(max_digits=12, decimal_places=2)
    details: dict[str, Any] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "incentive_ledger"
        unique_together = (("person_id", "award_id", "period"),)


class CommissionLedger(Model):
    id = fields.IntField(primary_key=True)
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="commissions", on_delete=fields.RESTRICT
    )
    deal: fields.ForeignKeyRelation[Deal] = fields.ForeignKeyField(
        "models.Deal", related_name="commissions", on_delete=fields.RESTRICT
    )
    kind = fields.CharField(max_length=10)  # base | renewal
    contract_year = fields.SmallIntField()
    basis = fields.DecimalField(max_digits=16, decimal_places=2)
    rate = fields.DecimalField(max_digits=6, decimal_places=4)
    amount = fields.DecimalField(max_digits=14, decimal_places=2)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "commission_ledger"
        unique_together = (("deal_id", "contract_year", "kind"),)
        indexes = (("person_id", "created_at"),)
