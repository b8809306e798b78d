"""The durable message pipeline: what came in (inbox) and what must go out (outbox).

Times are epoch milliseconds: the claim queries compare them on every poll and integers keep
those queries identical on SQLite and PostgreSQL.
"""

from tortoise import fields
from tortoise.models import Model


class InboxMessage(Model):
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=20)
    app = fields.CharField(max_length=40)
    dedupe_key = fields.CharField(max_length=200)
    user_key = fields.CharField(max_length=200)  # platform:app:user, for per-user ordering
    kind = fields.CharField(max_length=20)
    payload = fields.TextField()
    status = fields.SmallIntField(default=0)  # 0 pending, 1 processing, 2 done, 3 dead
    attempts = fields.SmallIntField(default=0)
    available_at = fields.BigIntField(default=0)
    lease_until = fields.BigIntField(default=0)
    worker = fields.CharField(max_length=80, null=True)
    received_at = fields.BigIntField()
    # Follows the message from callback to reply in the logs (outbox rows carry it on).
    request_id = fields.CharField(max_length=40, null=True)
    done_at = fields.BigIntField(null=True)
    error = fields.TextField(null=True)

    class Meta:
        table = "inbox"
        unique_together = (("platform", "dedupe_key"),)
        indexes = (("status", "id"), ("user_key", "status", "id"))


class OutboxMessage(Model):
    id = fields.BigIntField(primary_key=True)
    dedupe_key = fields.CharField(max_length=200, unique=True)
    platform = fields.CharField(max_length=20)
    app = fields.CharField(max_length=40)
    recipient = fields.CharField(max_length=200)  # the platform user id (or group id)
    kind = fields.CharField(max_length=20)
    payload = fields.TextField()
    status = fields.SmallIntField(default=0)  # 0 pending, 1 sending, 2 sent, 3 dead, 4 merged
    attempts = fields.SmallIntField(default=0)
    available_at = fields.BigIntField(default=0)
    lease_until = fields.BigIntField(default=0)
    created_at = fields.BigIntField()
    request_id = fields.CharField(max_length=40, null=True)  # the inbox row's that queued it
    sent_at = fields.BigIntField(null=True)
    messages = fields.SmallIntField(default=1)  # platform messages the delivery took
    error = fields.TextField(null=True)

    class Meta:
        table = "outbox"
        indexes = (
            ("status", "available_at", "id"),
            ("platform", "app", "recipient", "status", "id"),
            ("platform", "app", "recipient", "sent_at"),
        )
