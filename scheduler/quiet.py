"""Quiet hours: when a push may go out, and when a held one goes out instead."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.config.schedule import QuietHours
from handlers.shared.workcal import WorkCalendar


def is_quiet(at: datetime, quiet: QuietHours, calendar: WorkCalendar, tz: ZoneInfo) -> bool:
    """Quiet hours (e.g. 21:00–08:00, across midnight) or a day off."""
    local = at.astimezone(tz)
    if not calendar.is_working_day(local.date()):
        return True
    return in_window(local.time(), quiet.start_time, quiet.end_time)


def in_window(t: time, start: time, end: time) -> bool:
    if start <= end:  # e.g. 12:00–13:00
        return start <= t < end
    return t >= start or t < end  # across midnight


def deliver_at(
    at: datetime, *, urgent: bool, quiet: QuietHours, calendar: WorkCalendar, tz: ZoneInfo
) -> datetime:
    """``at`` itself, or — in quiet hours or on a day off — the next working morning."""
    if urgent or not is_quiet(at, quiet, calendar, tz):
        return at
    local = at.astimezone(tz)
    start, end = quiet.start_time, quiet.end_time
    if start <= end and calendar.is_working_day(local.date()):  # a midday pause: its end today
        return datetime.combine(local.date(), end, tzinfo=tz)
    return calendar.next_working_morning(at, end)
