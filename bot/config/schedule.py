"""When the bot speaks up on its own: reminders, scans, digests, quiet hours.

A schedule is written the way an admin says it: ``"08:30"`` (every day), ``"fri 17:00"`` or
``"mon,thu 09:00"`` (those weekdays), ``"every 5m"`` / ``"every 30s"`` / ``"every 2h"``.
"""

import re
from datetime import time
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, Field, field_validator, model_validator

from bot.config.base import Frozen
from bot.config.messages import did_you_mean, suggestion

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


# How a schedule may be written, for the message that explains a wrong one.
SCHEDULE_FORMS = (
    "「08:30」（每天）、「fri 17:00」或「mon,thu 09:00」（那几天）、"
    "「every 5m」（每隔一段时间，单位 s、m、h）"
)
_EVERY = re.compile(r"^every ?(\d+) ?([a-z]+)$")
_LOOSE_TIME = re.compile(r"^(\d{1,2})[:：.](\d{2})$")


def check_schedule(value: str) -> str:
    value = " ".join(value.split()).lower()
    m = SCHEDULE.match(value)
    if not m:
        guess = _schedule_guess(value)
        hint = f"（是不是 {guess}？）" if guess else ""
        raise ValueError(f"「{value}」不是有效的时间表，应写成{SCHEDULE_FORMS}{hint}")
    if m.group("unit"):
        n, unit = int(m.group("n")), m.group("unit")
        # Cron steps must divide their field evenly, or the gap at the top of the hour differs.
        whole = 60 if unit in "sm" else 24
        if whole % n:
            steps = "、".join(str(d) for d in range(1, whole) if whole % d == 0)
            raise ValueError(
                f"「every {n}{unit}」的间隔必须能整除 {whole}，否则整点前后的间隔会不一样"
                f"（可选：{steps}）"
            )
    return value


def _schedule_guess(value: str) -> str | None:
    """The schedule the admin probably meant: a weekday typo, 8:30 for 08:30, 5min for 5m."""
    every = _EVERY.match(value)
    if every:
        guess = f"every {int(every[1])}{every[2][0]}"  # min, minutes → m; sec → s; hour → h
    else:
        *days, clock = value.replace("，", ",").split(" ")
        t = _LOOSE_TIME.match(clock)
        guess = f"{int(t[1]):02d}:{t[2]}" if t else clock
        if days:
            named = [did_you_mean(d, WEEKDAYS) for d in ",".join(days).split(",") if d]
            if None in named:
                return None
            guess = ",".join(str(d) for d in named) + " " + guess
    if guess == value or not SCHEDULE.match(guess):
        return None
    try:
        return check_schedule(guess)
    except ValueError:
        return None  # e.g. every 7m: the step is the problem, explained once it is written right


def check_hhmm(value: str, example: str) -> str:
    """A time of day written HH:MM; ``example`` is shown in the message."""
    if HHMM.match(value):
        return value
    t = _LOOSE_TIME.match(value.strip())
    guess = f"{int(t[1]):02d}:{t[2]}" if t else ""
    hint = f"（是不是 {guess}？）" if HHMM.match(guess) else ""
    raise ValueError(f"应为 {example} 这样的时间{hint}")


def check_timezone(value: str) -> str:
    """An IANA time zone name the system knows (``Asia/Shanghai``), else a Chinese error."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        hint = suggestion(value, sorted(available_timezones()))
        raise ValueError(
            f"未知的时区「{value}」{hint}，应为 Asia/Shanghai 这样的 IANA 时区名"
        ) from None
    return value


def check_push_kind(value: str) -> str:
    if value not in PUSH_KINDS:
        raise ValueError(
            f"未知的推送类型「{value}」{suggestion(value, PUSH_KINDS)}，可选：{'、'.join(PUSH_KINDS)}"
        )
    return value


TimeZone = Annotated[str, AfterValidator(check_timezone)]
PushKind = Annotated[str, AfterValidator(check_push_kind)]


class QuietHours(Frozen):
    start: str = "21:00"
    end: str = "08:00"

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        return check_hhmm(value, "08:30")

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
    urgent: tuple[PushKind, ...] = ()
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
