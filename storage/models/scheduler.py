"""The scheduler's state: each job's last slot, and pushes waiting to be delivered.

Times are epoch milliseconds, like the pipeline tables: the deliver job compares them every
minute and integers keep the queries identical on SQLite and PostgreSQL.
"""

from tortoise import fields
from tortoise.models import Model


class JobRunState(Model):
    """Per job: the latest slot ticked (to find missed ones after a restart) and the last run."""

    name = fields.CharField(max_length=60, primary_key=True)
    last_slot = fields.BigIntField(default=0)  # the latest slot put in the inbox
    last_run_slot = fields.BigIntField(null=True)  # the slot of the last run that finished
    last_run_at = fields.BigIntField(null=True)  # when that run started (the clock's ms)
    last_late = fields.BooleanField(default=False)

    class Meta:
        table = "job_runs"


class PushRecord(Model):
    """Something to tell one person, once: ``key`` is unique, whatever runs the job twice."""

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=200, unique=True)
    person_id = fields.CharField(max_length=64)
    kind = fields.CharField(max_length=30)
    text = fields.TextField()
    task_id = fields.IntField(null=True)
    due_at = fields.BigIntField(null=True)  # when it became due
    deliver_at = fields.BigIntField()  # not before: quiet hours and days off move it
    batch = fields.BigIntField(null=True)  # the deliver run (inbox row id) that sent it
    created_at = fields.BigIntField()

    class Meta:
        table = "pushes"
        indexes = (("batch", "deliver_at"), ("person_id", "created_at"))
