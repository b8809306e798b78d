"""Interactive cards: one stable card, delivered to one or more people on their platforms."""

from typing import Any

from tortoise import fields
from tortoise.models import Model


class CardInstance(Model):
    id = fields.CharField(primary_key=True, max_length=64)
    kind = fields.CharField(max_length=40)  # followup_confirm | approval | ...
    owner_id = fields.CharField(max_length=64, null=True, db_index=True)
    subject_type = fields.CharField(max_length=40, null=True)
    subject_id = fields.CharField(max_length=64, null=True)
    status = fields.CharField(max_length=20, default="open")
    state: dict[str, Any] = fields.JSONField(
        default=dict
    )  # the feature's data the card is drawn from
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "card_instances"
        indexes = (("subject_type", "subject_id"), ("owner_id", "kind", "status"))


class CardDelivery(Model):
    """Where a card was shown; the platform handle needed to update it in place."""

    id = fields.IntField(primary_key=True)
    card: fields.ForeignKeyRelation[CardInstance] = fields.ForeignKeyField(
        "models.CardInstance", related_name="deliveries", on_delete=fields.CASCADE
    )
    card_id: str
    platform = fields.CharField(max_length=20)
    app = fields.CharField(max_length=40)
    recipient = fields.CharField(max_length=128)
    handle = fields.CharField(max_length=128)  # WeCom task_id / DingTalk outTrackId
    response_code = fields.CharField(max_length=256, null=True)  # single use
    response_code_at = fields.DatetimeField(null=True)
    rendered_version = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "card_deliveries"
        unique_together = (("platform", "app", "handle", "recipient"),)
        indexes = (("card_id", "recipient"),)
