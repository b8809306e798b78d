"""Money received against a client (and usually a deal): what incentives are paid on."""

from tortoise import fields
from tortoise.models import Model

from storage.models.crm import Client, Deal


class Payment(Model):
    id = fields.IntField(primary_key=True)
    deal: fields.ForeignKeyNullableRelation[Deal] = fields.ForeignKeyField(
        "models.Deal", related_name="payments", null=True, on_delete=fields.SET_NULL
    )
    deal_id: int | None
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="payments", on_delete=fields.RESTRICT
    )
    client_id: int
    # The rep credited with the payment; a plain id so a departed rep's history stays intact.
    owner_id = fields.CharField(max_length=64, db_index=True)
    kind = fields.CharField(max_length=12)  # first_year | renewal | upsell
    contract_year = fields.SmallIntField(default=1)
    amount = fields.DecimalField(max_digits=16, decimal_places=2)
    paid_at = fields.DatetimeField()
    # The finance system's reference (receipt / voucher number): the key that makes imports idempotent.
    external_ref = fields.CharField(max_length=100, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "payments"
        indexes = (("client_id", "paid_at"), ("paid_at",))
