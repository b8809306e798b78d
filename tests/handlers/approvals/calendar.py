"""A weekday 09:00–18:00 calendar (UTC), enough for code that needs only the WorkingHours
protocol; the real calendar with holidays lives in the shared kit."""

from __future__ import annotations

from datetime import datetime, timedelta

START, END = 9, 18  # a working day, 09:00–18:00, Monday to Friday (UTC for simplicity)


class WeekdayCalendar:
    """Working hours 09:00–18:00 on weekdays; enough to test code that only needs the protocol."""

    def _open(self, t: datetime) -> datetime:
        while True:
            if t.weekday() >= 5 or t.hour >= END:
                t = (t + timedelta(days=1)).replace(hour=START, minute=0, second=0)
            elif t.hour < START:
                t = t.replace(hour=START, minute=0, second=0)
            else:
                return t

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        t = self._open(start)
        left = timedelta(hours=hours)
        while True:
            close = t.replace(hour=END, minute=0, second=0)
            if t + left <= close:
                return t + left
            left -= close - t
            t = self._open(close)

    def working_hours_between(self, a: datetime, b: datetime) -> float:
        total = timedelta()
        t = self._open(a)
        while t < b:
            close = t.replace(hour=END, minute=0, second=0)
            total += min(close, b) - t
            t = self._open(close)
        return total.total_seconds() / 3600
