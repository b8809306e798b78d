"""Scheduled jobs as features declare them, and what a job gets when it runs.

A job is a module-level coroutine whose parameters are injected by type like a handler's; it
asks for ``JobRun`` to learn the time it runs as of and to queue pushes. Jobs never sleep and
never read the wall clock: ``run.now`` is the slot (or the restart time for a missed one, or the
operator's ``--now``), so calling a job with a given "now" is how it is tested.

Pushes are not sent by the job: they are stored with a unique key (``reminder:<task>:<due>``,
``stall:<deal>:<entered>:<rung>`` …), so a job that runs twice queues nothing twice, then delivered
by the ``deliver`` job after quiet hours, merged per person (scheduler/pushes.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple


@dataclass(frozen=True)
class JobSpec:
    name: str  # explicit id: the inbox dedupe key, the CLI name, the job_runs row
    schedule: str  # a field of config ``schedules`` holding the schedule, e.g. "daily_digest"
    func: Callable[..., Awaitable[Any]]
    label: str  # what operators read in `salesbot jobs list`
    # Skip slots on days off (a digest of a holiday's tasks, a stall scan on Sunday).
    working_days_only: bool = False


class Push(NamedTuple):
    """One thing to tell one person, once: ``key`` is unique forever.

    A named tuple, not a frozen dataclass: a stall scan over 100,000 deals builds a quarter of a
    million of them, and a frozen dataclass's ``__init__`` cost a third of that scan.
    """

    key: str
    person_id: str
    kind: str  # bot.config.schedule.PUSH_KINDS
    text: str
    task_id: int | None = None  # a reminder: the card gets 完成 / 推迟 for it
    due_at: datetime | None = None  # when it became due (a late push says so)


@dataclass
class JobRun:
    name: str
    slot: datetime
    now: datetime
    late: bool = False
    dry_run: bool = False
    pushes: list[Push] = field(default_factory=list)

    def push(self, push: Push) -> None:
        self.pushes.append(push)
