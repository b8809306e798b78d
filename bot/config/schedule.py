"""When the bot speaks up on its own: reminders, scans, digests, quiet hours.

A schedule is written the way an admin says it: ``"08:30"`` (every day), ``"fri 17:00"`` or
``"mon,thu 09:00"`` (those weekdays), ``"every 5m"`` / ``"every 30s"`` / ``"every 2h"``.
"""

import re
from datetime import time
from typing import Any

from pydantic import Field, field_validator, model_validator

from bot.config.base import Frozen

HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SCHEDULE = re.compile(
    r"^(?:(?P<days>(?:mon|tue|wed|thu|fri|sat|sun)(?:,(?:mon|tue|wed|thu|fri|sat|sun))*) )?"
    r"(?P<hhmm>(?:[01]\d|2[0-3]):[0-5]\d)$"
    r"|^every (?P<n>[1-9]\d*)(?P<unit>[smh])$"
)
# What each push kind is, for config's `urgent` list (checked, so a typo is an error).
PUSH_KINDS = (
    "reminder",
    "digest",
    "checklist",
    "stall_rep",
    "stall_supervisor",
    "stall_director",
    "calibration",
    "approval_reminder",
    "approval_escalation",
    "incentive_settlement",
)


def check_schedule(value: str) -> str:
    value = " ".join(value.split()).lower()
    m = SCHEDULE.match(value)
    if not m:
        raise ValueError(
            'expected a schedule like "08:30", "fri 17:00", "mon,thu 09:00" or "every 5m"'
        )
    if m.group("unit"):
        n, unit = int(m.group("n")), m.group("unit")
        # Cron steps must divide their field evenly, or the gap at the top of the hour differs.
        if (unit in "sm" and 60 % n) or (unit == "h" and 24 % n):
            raise ValueError(f"every {n}{unit}: the step must divide {60 if unit in 'sm' else 24}")
    return value


class QuietHours(Frozen):
    start: str = "21:00"
    end: str = "08:00"

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not HHMM.match(value):
            raise ValueError("应为 08:30 这样的时间")
        return value

    @property
    def start_time(self) -> time:
        return time.fromisoformat(self.start)

    @property
    def end_time(self) -> time:
        return time.fromisoformat(self.end)


class StallLadder(Frozen):
    """Working days past a stage's ``stall_days`` before the supervisor, then the director, hear."""

    supervisor_after_days: int = Field(default=2, ge=0)
    director_after_days: int = Field(default=5, ge=0)


class Schedules(Frozen):
    enabled: bool = True  # the clock; off, nothing is scheduled (jobs still run by hand)
    quiet_hours: QuietHours = QuietHours()
    # Push kinds that go out even in quiet hours and on days off (see PUSH_KINDS).
    urgent: tuple[str, ...] = ()
    first_followup_hours: float = Field(default=24, gt=0)
    stall_ladder: StallLadder = StallLadder()
    reminder_scan: str = "every 1m"
    deliver: str = "every 1m"
    checklist_scan: str = "every 10m"
    daily_digest: str = "08:30"
    stall_scan: str = "09:00"
    weekly_calibration: str = "fri 17:00"
    approval_sla: str = "every 5m"
    incentive_settlement: str = "09:10"  # daily; settles the last closed month once

    @model_validator(mode="before")
    @classmethod
    def _no_own_timezone(cls, data: Any) -> Any:
        # Early configs (and `salesbot init` before 0.1) had a second timezone here that the clock
        # and quiet hours read while the jobs read the top-level one; two settings can disagree.
        if isinstance(data, dict) and "timezone" in data:
            raise ValueError(
                "这里不再设置 timezone：时区只在顶层 timezone 设置一次，"
                "请删除 schedules 下的 timezone 这一行"
            )
        return data

    @field_validator(
        "reminder_scan",
        "deliver",
        "checklist_scan",
        "daily_digest",
        "stall_scan",
        "weekly_calibration",
        "approval_sla",
        "incentive_settlement",
    )
    @classmethod
    def _schedule(cls, value: str) -> str:
        return check_schedule(value)

    @field_validator("urgent")
    @classmethod
    def _kinds(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [k for k in value if k not in PUSH_KINDS]
        if unknown:
            raise ValueError(f"unknown push kind {unknown[0]!r}; known: {', '.join(PUSH_KINDS)}")
        return value
