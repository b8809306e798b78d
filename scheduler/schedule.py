"""Schedules from config as APScheduler cron triggers, and the slots they name.

A slot is one scheduled time of a job ("the 09:00 stall scan of 3 December"); it is the job's
dedupe key in the inbox, so two replicas ticking the same slot store it once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.config.schedule import SCHEDULE, check_schedule


def trigger(schedule: str, tz: ZoneInfo) -> CronTrigger:
    m = SCHEDULE.match(check_schedule(schedule))
    assert m is not None  # check_schedule raised otherwise
    if m.group("unit"):
        step = f"*/{m.group('n')}"
        unit = m.group("unit")
        if unit == "s":
            return CronTrigger(second=step, timezone=tz)
        if unit == "m":
            return CronTrigger(minute=step, second=0, timezone=tz)
        return CronTrigger(hour=step, minute=0, second=0, timezone=tz)
    hour, minute = m.group("hhmm").split(":")
    days = m.group("days") or "*"
    return CronTrigger(day_of_week=days, hour=int(hour), minute=int(minute), second=0, timezone=tz)


def period(schedule: str) -> timedelta:
    """The longest gap between two slots: how far back the latest slot can be."""
    m = SCHEDULE.match(check_schedule(schedule))
    assert m is not None
    if m.group("unit"):
        unit = {"s": "seconds", "m": "minutes", "h": "hours"}[m.group("unit")]
        return timedelta(**{unit: int(m.group("n"))})
    return timedelta(days=7)


def next_slot(schedule: str, after: datetime, tz: ZoneInfo) -> datetime:
    """The first slot strictly after ``after``."""
    t = trigger(schedule, tz)
    found = t.get_next_fire_time(None, after + timedelta(microseconds=1))
    assert found is not None  # cron triggers without an end date always have a next time
    return found


def latest_slot(schedule: str, at: datetime, tz: ZoneInfo) -> datetime:
    """The last slot at or before ``at``."""
    t = trigger(schedule, tz)
    probe = at - period(schedule) - timedelta(seconds=1)
    found: datetime | None = None
    while True:
        nxt = t.get_next_fire_time(None, probe + timedelta(microseconds=1))
        assert nxt is not None
        if nxt > at:
            break
        found, probe = nxt, nxt
    assert found is not None  # every period holds at least one slot
    return found


def slot_key(slot: datetime, tz: ZoneInfo) -> str:
    """``2026-12-03T09:00`` (seconds only when the schedule has them)."""
    local = slot.astimezone(tz)
    return local.strftime("%Y-%m-%dT%H:%M:%S" if local.second else "%Y-%m-%dT%H:%M")
