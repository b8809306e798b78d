"""Clients, contacts, deals and what happens to them."""

from typing import Any

from tortoise import fields
from tortoise.models import Model

from storage.models.org import Person


class Client(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200, unique=True)
    aliases: list[str] = fields.JSONField(default=list)
    owner: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="clients", null=True, on_delete=fields.SET_NULL
    )
    owner_id: str | None
    region = fields.CharField(max_length=64, null=True, db_index=True)
    city = fields.CharField(max_length=64, null=True)
    industry = fields.CharField(max_length=64, null=True)
    source = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "clients"
        indexes = (("owner_id", "name"),)


class Contact(Model):
    id = fields.IntField(primary_key=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="contacts", on_delete=fields.CASCADE
    )
    client_id: int
    name = fields.CharField(max_length=100)
    title = fields.CharField(max_length=100, null=True)
    phone = fields.CharField(max_length=40, null=True)
    valid = fields.BooleanField(default=True)
    created_by_id = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "contacts"
        unique_together = (("client_id", "name"),)
        indexes = (("created_by_id", "created_at"),)


class Deal(Model):
    id = fields.IntField(primary_key=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="deals", on_delete=fields.CASCADE
    )
    client_id: int
    owner: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="deals", on_delete=fields.RESTRICT
    )
    owner_id: str
    title = fields.CharField(max_length=200, default="")
    stage = fields.CharField(max_length=40)
    status = fields.CharField(max_length=10, default="open")  # open | won | lost
    amount = fields.DecimalField(max_digits=16, decimal_places=2, null=True)
    source = fields.CharField(max_length=64, null=True)
    region = fields.CharField(max_length=64, null=True)
    product_line = fields.CharField(max_length=64, null=True)
    products: list[str] = fields.JSONField(default=list)
    contact_name = fields.CharField(max_length=100, null=True)
    stage_entered_at = fields.DatetimeField()
    expected_close = fields.DateField(null=True)
    closed_at = fields.DatetimeField(null=True)
    lost_reason = fields.CharField(max_length=200, null=True)
    # An imported deal's id in the system it came from: re-importing updates instead of duplicating.
    external_ref = fields.CharField(max_length=100, null=True, unique=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "deals"
        indexes = (
            ("owner_id", "status"),
            ("status", "stage", "stage_entered_at"),
            ("region", "stage"),
            ("source", "created_at"),
            ("product_line", "created_at"),
            ("client_id", "status"),
            ("closed_at",),
            # won (or lost) deals closed in a period: leaderboards and the forecast.
            ("status", "closed_at"),
        )


class StageHistory(Model):
    id = fields.IntField(primary_key=True)
    deal: fields.ForeignKeyRelation[Deal] = fields.ForeignKeyField(
        "models.Deal", related_name="history", on_delete=fields.CASCADE
    )
    deal_id: int
    from_stage = fields.CharField(max_length=40, null=True)
    to_stage = fields.CharField(max_length=40)
    changed_at = fields.DatetimeField()
    changed_by_id = fields.CharField(max_length=64, null=True)
    followup_id = fields.IntField(null=True)

    class Meta:
        table = "stage_history"
        # Stage dwell reads the moves of one period; covering, so it never visits the table.
        indexes = (
            ("deal_id", "changed_at"),
            ("to_stage", "changed_at"),
            ("changed_at", "deal_id", "from_stage"),
        )


class Media(Model):
    """An original file (voice note, image, attachment) kept on disk by content hash."""

    id = fields.IntField(primary_key=True)
    sha256 = fields.CharField(max_length=64, unique=True)
    content_type = fields.CharField(max_length=100)
    size = fields.IntField()
    path = fields.CharField(max_length=500)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "media"


class FollowUp(Model):
    id = fields.IntField(primary_key=True)
    rep: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="followups", on_delete=fields.RESTRICT
    )
    rep_id: str
    client: fields.ForeignKeyNullableRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="followups", null=True, on_delete=fields.SET_NULL
    )
    client_id: int | None
    deal: fields.ForeignKeyNullableRelation[Deal] = fields.ForeignKeyField(
        "models.Deal", related_name="followups", null=True, on_delete=fields.SET_NULL
    )
    deal_id: int | None
    raw_text = fields.TextField(default="")
    transcript = fields.TextField(null=True)
    audio: list[int] = fields.JSONField(default=list)  # Media ids, in the order the notes were sent
    extracted: dict[str, Any] = fields.JSONField(default=dict)  # what the extractor heard
    fields_final: dict[str, Any] = fields.JSONField(
        default=dict
    )  # what the rep confirmed, with each field's source
    occurred_at = fields.DatetimeField()
    created_at = fields.DatetimeField(auto_now_add=True)
    # The confirm card it was saved from: saving twice from one card must not write twice.
    card_id = fields.CharField(max_length=64, null=True, unique=True)

    class Meta:
        table = "followups"
        # occurred_at: visits of a period across everyone (leaderboards, exports).
        indexes = (("client_id", "occurred_at"), ("rep_id", "occurred_at"), ("occurred_at",))


class Task(Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=30)  # next_action | first_followup | stall | approval_sla
    assignee: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="tasks", on_delete=fields.CASCADE
    )
    assignee_id: str
    deal: fields.ForeignKeyNullableRelation[Deal] = fields.ForeignKeyField(
        "models.Deal", related_name="tasks", null=True, on_delete=fields.CASCADE
    )
    deal_id: int | None
    client: fields.ForeignKeyNullableRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="tasks", null=True, on_delete=fields.CASCADE
    )
    client_id: int | None
    title = fields.CharField(max_length=300)
    due_at = fields.DatetimeField(null=True)
    status = fields.CharField(max_length=12, default="open")  # open | done | cancelled
    # When it was marked done (on-time rates compare it with due_at); NULL for older rows.
    completed_at = fields.DatetimeField(null=True)
    reminded_at = fields.DatetimeField(null=True)
    escalation_level = fields.SmallIntField(default=0)
    source_id = fields.CharField(max_length=100, null=True, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "tasks"
        indexes = (("status", "due_at"), ("assignee_id", "status"))
