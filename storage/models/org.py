"""People and teams, mirrored from config.yaml (and later from the platforms' contacts APIs)."""

from tortoise import fields
from tortoise.models import Model


class Team(Model):
    id = fields.CharField(primary_key=True, max_length=64)
    name = fields.CharField(max_length=100)
    region = fields.CharField(max_length=64, db_index=True)
    region_name = fields.CharField(max_length=100, default="")
    lead_id = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "teams"


class Person(Model):
    id = fields.CharField(primary_key=True, max_length=64)
    name = fields.CharField(max_length=100)
    role = fields.CharField(max_length=20, db_index=True)
    team: fields.ForeignKeyNullableRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="members", null=True, on_delete=fields.SET_NULL
    )
    team_id: str | None
    # The chain approvals and escalations climb; kept as an id so config order never matters.
    supervisor_id = fields.CharField(max_length=64, null=True, db_index=True)
    title = fields.CharField(max_length=100, null=True)
    active = fields.BooleanField(default=True)
    # Where the person comes from: "config" (config.yaml, always wins) or a platform's directory.
    source = fields.CharField(max_length=16, default="config")
    department = fields.CharField(max_length=200, null=True)
    left_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "people"


class Identity(Model):
    """A person's user id on one platform; one person may have several."""

    id = fields.IntField(primary_key=True)
    platform = fields.CharField(max_length=20)
    external_id = fields.CharField(max_length=128)
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="identities", on_delete=fields.CASCADE
    )
    person_id: str

    class Meta:
        table = "identities"
        unique_together = (("platform", "external_id"),)
