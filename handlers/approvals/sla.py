"""SLA deadlines on working hours: a reminder at half time, escalation at the limit.

The working calendar lives in the shared kit; this module only needs its two methods, so it is
typed against a Protocol and tested with a calendar of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


class WorkingHours(Protocol):
    def add_working_hours(self, start: datetime, hours: float) -> datetime: ...

    def working_hours_between(self, a: datetime, b: datetime) -> float: ...


@dataclass(frozen=True)
class Deadlines:
    remind_at: datetime  # half the SLA spent: remind the approver
    due_at: datetime  # the SLA spent: escalate to the approver's supervisor


def sla_deadline(start: datetime, hours: float, cal: WorkingHours) -> datetime:
    return cal.add_working_hours(start, hours)


def deadlines(start: datetime, hours: float, cal: WorkingHours) -> Deadlines:
    return Deadlines(cal.add_working_hours(start, hours / 2), cal.add_working_hours(start, hours))


def elapsed_hours(start: datetime, end: datetime, cal: WorkingHours) -> float:
    """Working hours a step waited: what stats and the 协作之星奖 count."""
    return round(cal.working_hours_between(start, end), 4)


class WallClockHours:
    """Every hour counts: the stand-in until the shared working calendar is wired in."""

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        return start + timedelta(hours=hours)

    def working_hours_between(self, a: datetime, b: datetime) -> float:
        return max((b - a).total_seconds(), 0.0) / 3600
